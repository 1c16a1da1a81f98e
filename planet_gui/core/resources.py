"""Locate the files under ``resources/``, both from a source checkout and from an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """The wheel ships ``resources/`` as ``planet_gui/_resources``; a checkout has it at the top."""
    for candidate in (_PACKAGE_DIR / "_resources", _PACKAGE_DIR.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("PLANET Uploader resources are missing from this installation")


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
