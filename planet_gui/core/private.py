"""Everything the app writes under the user's folders is private: folders 0700, files 0600, whatever the umask.

Why: the journal, the upload history and the profiles name the lake, the objects and the files of confidential
clinical data; none of it is for the other accounts of a shared machine. The modes are set explicitly after
creating (``chmod``), because the mode given to ``mkdir``/``open`` is filtered by the umask, and folders an older
version created 0755 are tightened on the next write.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "planet-uploader"
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def app_config_dir() -> Path:
    """The app's folder in the user's config folder (profiles, templates); not created here."""
    return Path(user_config_dir(APP_NAME))


def app_data_dir() -> Path:
    """The app's folder in the user's data folder (the journal, the upload history); not created here."""
    return Path(user_data_dir(APP_NAME))


def private_dir(path: Path) -> Path:
    """Create ``path`` with its missing parents, each one 0700 (the XDG rule for a missing user folder). The app's
    own folders on the way (``planet-uploader`` and below) are made 0700 even when they exist already."""
    path = Path(path)
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:  # another process made it meanwhile
            pass
        os.chmod(folder, PRIVATE_DIR)
    ours = False
    for folder in reversed([path, *path.parents]):
        ours = ours or folder.name == APP_NAME
        if ours and folder not in missing:
            _tighten(folder, PRIVATE_DIR)
    return path


def private_file(path: Path) -> None:
    """Make an existing file of ours 0600 (SQLite's side files, a file an older version left 0644); anything but a
    regular file (a folder in its place) is left for the caller's own error."""
    try:
        regular = stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return
    if regular:
        _tighten(path, PRIVATE_FILE)


def create_private_file(path: Path) -> None:
    """Create ``path`` empty and 0600 if it does not exist (so a library opening it later keeps that mode);
    an existing one is made 0600."""
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), PRIVATE_FILE)
    except FileExistsError:
        private_file(path)
        return
    try:
        os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)


def write_private(path: Path, data: bytes) -> Path:
    """Write ``path`` atomically (a crash leaves the old file or the new one, never half) and 0600."""
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def _tighten(path: Path, mode: int) -> None:
    try:
        if (os.stat(path).st_mode & 0o777) != mode:
            os.chmod(path, mode)
    except (FileNotFoundError, PermissionError):  # gone meanwhile, or not ours: nothing we may change
        pass
