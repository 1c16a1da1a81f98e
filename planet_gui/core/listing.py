"""What the user handed over (files and folders, dropped or chosen) as the list of files to inspect.

Kept out of the window because listing a folder is I/O: a large tree, or one on a slow network share, takes
seconds, so the GUI runs this on a worker thread.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Folders become the files inside them, recursively and in a stable order; hidden files and folders
    (a leading dot, such as ``.git`` or ``.DS_Store``) are skipped, and so are folders that cannot be read
    (``Path.rglob`` passes over them)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and not any(
                part.startswith(".") for part in p.relative_to(path).parts)))
        else:
            found.append(path)
    return found
