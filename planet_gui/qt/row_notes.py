"""What a file's row says besides its state: inspection warnings and, once uploaded, where the file went (the
object's key, its SHA-256, who uploaded it). Shown in the row's tooltip and above the form."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication

_UPLOADED = {"pending", "validated", "triage"}  # files_model's states once the file is in the lake


class _Row(Protocol):
    state: str
    key: str
    values: dict[str, Any]
    warnings: list[str]


def row_notes(entry: _Row) -> str:
    translate = QCoreApplication.translate
    lines = [f"⚠ {warning}" for warning in entry.warnings]
    if entry.state in _UPLOADED and entry.key:
        lines.append(translate("RowNotes", "Object key: %1").replace("%1", entry.key))
        sha256 = entry.values.get("sha256")
        if sha256:
            lines.append(translate("RowNotes", "SHA-256: %1").replace("%1", str(sha256)))
        uploader = entry.values.get("uploader")
        if uploader:
            lines.append(translate("RowNotes", "Uploaded by: %1").replace("%1", str(uploader)))
    return "\n".join(lines)
