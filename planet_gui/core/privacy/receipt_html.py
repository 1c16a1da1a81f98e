"""The printable receipts' HTML cells: every value escaped (a file name or a reason may hold markup), shared by the
file receipt (:mod:`.receipts`) and the submission's (:mod:`.submissions`)."""

from __future__ import annotations

import html
from collections.abc import Mapping
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


def findings_table(findings: list[Mapping[str, Any]]) -> str:
    """The personal-data findings, one row per column: kind (with what free text embeds), count, confidence and
    the masked examples the scan kept (never a value in clear)."""
    out = ["<table><tr><th>Column</th><th>Kind</th><th>Count</th><th>Confidence</th><th>Examples (masked)</th></tr>"]
    for finding in findings:
        embedded = finding.get("embedded") or {}
        kind = str(finding.get("kind", ""))
        if embedded:
            kind += " (" + ", ".join(f"{k} {v}" for k, v in embedded.items()) + ")"
        out.append(f"<tr><td>{cell(finding.get('column'))}</td><td>{cell(kind)}</td>"
                   f"<td>{cell(finding.get('count'))}</td><td>{cell(finding.get('confidence'))}</td>"
                   f"<td>{cell(finding.get('examples'))}</td></tr>")
    out.append("</table>")
    return "".join(out)
