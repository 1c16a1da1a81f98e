"""The printable receipts' HTML cells: every value escaped (a file name or a reason may hold markup), shared by the
file receipt (:mod:`.receipts`) and the submission's (:mod:`.submissions`)."""

from __future__ import annotations

import html
from typing import Any


def cell(value: Any) -> str:
    """One value as escaped HTML text: None as a dash, booleans as yes/no, lists joined with commas."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return html.escape(", ".join(str(v) for v in value))
    return html.escape(str(value))


def rows(pairs: list[tuple[str, Any]]) -> str:
    """A table's rows, one (name, value) pair each."""
    return "".join(f"<tr><th>{cell(name)}</th><td>{cell(value)}</td></tr>" for name, value in pairs)
