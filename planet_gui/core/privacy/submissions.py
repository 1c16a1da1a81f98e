"""Submission receipts: what one submission sent, file by file, and what the lake said of each.

A *submission* is what the uploader sent with one decision: the files confirmed together in the window, or one
``planet-lake upload`` (or one file a watched folder delivers). Each file's receipt (:mod:`.receipts`) names its
submission; the submission receipt gathers those files (name, size, SHA-256, key, metadata, findings, decisions,
times, verdict) under one id, the uploader and the lake, and is rewritten whenever one of its files' receipts is
(written at upload, updated when the verdict arrives), so it shows each final verdict as soon as it is known.

Kept next to the file receipts as ``submission-ID.json`` and a printable ``submission-ID.html`` (every value
escaped), both 0600. Like the file receipts it holds no token and no personal data value: findings carry masked
examples only.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from planet_gui.core.privacy.receipt_html import cell as _e
from planet_gui.core.privacy.receipt_html import findings_table
from planet_gui.core.privacy.receipt_html import rows as _rows
from planet_gui.core.private import write_private

FORMAT = 1
_ID = re.compile(r"\A[0-9TZ]{16}-[0-9a-f]{8}\Z")
_PREFIX = "submission-"
_FINAL = ("validated", "triage")
# the confirmation recorded in the metadata (policy._note): "WHO at WHEN[ [found: KINDS]]: REASON"
_NOTE = re.compile(r"\A(?P<who>.+?) at (?P<at>\S+?)(?: \[found: (?P<found>[^\]]*)\])?: (?P<reason>.*)\Z", re.S)


def new_id() -> str:
    """A submission id: when it was opened (UTC) and a random part, e.g. ``20261202T100512Z-9f3a61c2``."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(4)


def valid_id(text: str) -> bool:
    return bool(_ID.match(text))


def confirmation(note: Any) -> dict[str, Any] | None:
    """Who confirmed, when, what was found and why, from the confirmation recorded in the metadata."""
    if not isinstance(note, str) or not note:
        return None
    match = _NOTE.match(note)
    if match is None:
        return {"who": None, "at": None, "found": [], "reason": note}
    found = [kind.strip() for kind in (match["found"] or "").split(",") if kind.strip()]
    return {"who": match["who"], "at": match["at"], "found": found, "reason": match["reason"]}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _file_entry(receipt: Mapping[str, Any]) -> dict[str, Any]:
    files = receipt.get("files") or [{}]
    first = files[0] if isinstance(files[0], Mapping) else {}
    return {
        "receipt": receipt.get("id"), "name": first.get("name"), "path": first.get("path"), "size": first.get("size"),
        "sha256": first.get("sha256"), "key": receipt.get("key"), "bucket": receipt.get("bucket"),
        "metadata": receipt.get("metadata"), "findings": receipt.get("findings"),
        "decisions": receipt.get("decisions"), "times": receipt.get("times"), "verdict": receipt.get("verdict"),
    }


def overall(files: list[Mapping[str, Any]]) -> dict[str, Any]:
    """The submission's verdict: ``pending`` while any file waits, ``validated`` when all were, else ``triage``
    (at least one file sent to triage); with the count of each."""
    states = [str((item.get("verdict") or {}).get("state") or "pending") for item in files]
    counts = {state: sum(1 for s in states if s == state) for state in ("validated", "triage")}
    counts["pending"] = len(states) - counts["validated"] - counts["triage"]
    state = "pending" if counts["pending"] else "validated" if counts["triage"] == 0 else "triage"
    return {"state": state, **counts}


def merged(existing: Mapping[str, Any] | None, receipt: Mapping[str, Any]) -> dict[str, Any]:
    """The submission receipt with ``receipt``'s file added or brought up to date."""
    submission = dict(existing) if existing else {
        "submission_receipt": FORMAT, "id": receipt["submission"], "profile": receipt.get("profile"),
        "lake": receipt.get("lake"), "uploader": receipt.get("uploader"),
        "times": {"first_upload": None, "last_upload": None, "written": None, "verdicts_complete": None},
        "files": [], "verdict": {},
    }
    entry = _file_entry(receipt)
    files = [item for item in submission.get("files", []) if item.get("receipt") != entry["receipt"]]
    files.append(entry)
    files.sort(key=lambda item: (str((item.get("times") or {}).get("uploaded") or ""), str(item.get("name"))))
    submission["files"] = files
    uploaded = sorted(str((item.get("times") or {}).get("uploaded")) for item in files
                      if (item.get("times") or {}).get("uploaded"))
    times = dict(submission.get("times") or {})
    now = _now()
    times.update({"first_upload": uploaded[0] if uploaded else None,
                  "last_upload": uploaded[-1] if uploaded else None, "written": now})
    verdict = overall(files)
    if verdict["state"] in _FINAL and not times.get("verdicts_complete"):
        times["verdicts_complete"] = now
    elif verdict["state"] not in _FINAL:
        times["verdicts_complete"] = None  # a file joined later, its verdict not known yet
    submission["times"] = times
    submission["verdict"] = verdict
    return submission


class SubmissionStore:
    """The submission receipts of one profile, in its receipts folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def json_path(self, submission_id: str) -> Path:
        return self.folder / f"{_PREFIX}{submission_id}.json"

    def html_path(self, submission_id: str) -> Path:
        return self.folder / f"{_PREFIX}{submission_id}.html"

    def get(self, submission_id: str) -> dict[str, Any] | None:
        """The submission receipt, or None (no such submission, an id that is not one, an unreadable file)."""
        if not valid_id(submission_id):
            return None
        try:
            data = json.loads(self.json_path(submission_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("submission_receipt") == FORMAT else None

    def add(self, receipt: Mapping[str, Any]) -> dict[str, Any] | None:
        """Bring the submission of a file's receipt up to date with it (JSON and HTML, atomically, 0600)."""
        submission_id = receipt.get("submission")
        if not isinstance(submission_id, str) or not valid_id(submission_id):
            return None
        submission = merged(self.get(submission_id), receipt)
        write_private(self.json_path(submission_id),
                      json.dumps(submission, ensure_ascii=False, indent=2).encode("utf-8"))
        write_private(self.html_path(submission_id), render_html(submission).encode("utf-8"))
        return submission


# -- the printable page and the terminal's lines ------------------------------------------------------------

_STYLE = """body{font-family:sans-serif;margin:2em;color:#222}h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
h3{font-size:1em;margin-top:1.2em}table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #bbb;
padding:3px 8px;text-align:left;vertical-align:top}th{background:#eee}.validated{color:#1a7f37}.triage{color:#b3261e}
.pending{color:#8a6d00}code{font-size:.95em}"""


def _state(verdict: Mapping[str, Any] | None) -> str:
    state = str((verdict or {}).get("state") or "pending")
    return state if state in _FINAL else "pending"


def render_html(submission: Mapping[str, Any]) -> str:
    """The submission receipt as a self-contained, printable HTML page; every value from it is escaped."""
    times = submission.get("times") or {}
    uploader = submission.get("uploader") or {}
    verdict = submission.get("verdict") or {}
    files = submission.get("files") or []
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>Submission receipt — {_e(submission.get('id'))}</title><style>{_STYLE}</style></head><body>",
        f"<h1>PLANET submission receipt</h1><p>Submission <code>{_e(submission.get('id'))}</code>, "
        f"{len(files)} file(s)</p>",
        f"<h2>Verdict: <span class='{_state(verdict)}'>{_e(verdict.get('state') or 'pending')}</span> "
        f"({_e(verdict.get('validated', 0))} validated, {_e(verdict.get('triage', 0))} in triage, "
        f"{_e(verdict.get('pending', 0))} waiting)</h2>",
        "<table>" + _rows([
            ("Lake", submission.get("lake")), ("Profile", submission.get("profile")),
            ("Uploader", uploader.get("username")), ("Uploader (sub)", uploader.get("sub")),
            ("First upload", times.get("first_upload")), ("Last upload", times.get("last_upload")),
            ("Every verdict known", times.get("verdicts_complete")), ("Receipt written", times.get("written")),
        ]) + "</table>",
        "<h2>Files</h2><table><tr><th>File</th><th>Size (bytes)</th><th>SHA-256</th><th>Object key</th>"
        "<th>Verdict</th></tr>",
    ]
    for item in files:
        state = _state(item.get("verdict"))
        parts.append(f"<tr><td>{_e(item.get('name'))}</td><td>{_e(item.get('size'))}</td>"
                     f"<td><code>{_e(item.get('sha256'))}</code></td><td><code>{_e(item.get('key'))}</code></td>"
                     f"<td class='{state}'>{_e((item.get('verdict') or {}).get('state') or 'pending')}</td></tr>")
    parts.append("</table>")
    for item in files:
        parts.extend(_file_html(item))
    parts.append("</body></html>")
    return "\n".join(parts)


def _file_html(item: Mapping[str, Any]) -> list[str]:
    verdict = item.get("verdict") or {}
    times = item.get("times") or {}
    decisions = item.get("decisions") or {}
    confirmed = confirmation(decisions.get("confirmation")) or {}
    parts = [f"<h2>{_e(item.get('name'))}</h2>", "<table>" + _rows([
        ("Object key", item.get("key")), ("Bucket", verdict.get("bucket") or item.get("bucket")),
        ("SHA-256", item.get("sha256")), ("Size (bytes)", item.get("size")), ("Uploaded", times.get("uploaded")),
        ("Verdict", verdict.get("state")), ("Verdict received", times.get("verdict")),
        ("File receipt", item.get("receipt")),
    ]) + "</table>"]
    reasons = verdict.get("reasons") or []
    if reasons:
        parts.append("<ul>" + "".join(f"<li>{_e(reason)}</li>" for reason in reasons) + "</ul>")
    parts.append("<h3>Personal data: decisions</h3><table>" + _rows([
        ("Policy", decisions.get("policy")), ("Contains personal data", decisions.get("personal_data")),
        ("Confirmation needed", decisions.get("confirmation_needed")),
        ("Confirmed by", confirmed.get("who")), ("Confirmed at", confirmed.get("at")),
        ("Reason", confirmed.get("reason")), ("Pseudonymisation", decisions.get("pseudonymisation")),
    ]) + "</table>")
    findings = (item.get("findings") or {}).get("findings") or []
    parts.append("<h3>Personal data: findings</h3>")
    if findings:
        parts.append(findings_table(findings))
    else:
        parts.append("<p>None found.</p>" if item.get("findings") else "<p>Not scanned.</p>")
    metadata = item.get("metadata") or {}
    parts.append("<h3>Metadata</h3><table>" + _rows(sorted(metadata.items())) + "</table>")
    return parts


def text_summary(submission: Mapping[str, Any]) -> list[str]:
    """The submission receipt as lines for a terminal (``planet-lake receipt --submission ID``)."""
    times = submission.get("times") or {}
    uploader = submission.get("uploader") or {}
    verdict = submission.get("verdict") or {}
    files = submission.get("files") or []
    lines = [f"submission {submission.get('id')}: {len(files)} file(s)",
             f"  lake:       {submission.get('lake')} ({submission.get('profile')})",
             f"  uploader:   {uploader.get('username')} (sub {uploader.get('sub')})",
             f"  uploaded:   {times.get('first_upload')} .. {times.get('last_upload')}",
             f"  verdict:    {verdict.get('state')} ({verdict.get('validated', 0)} validated, "
             f"{verdict.get('triage', 0)} in triage, {verdict.get('pending', 0)} waiting)"]
    for item in files:
        decisions = item.get("decisions") or {}
        state = (item.get("verdict") or {}).get("state") or "pending"
        lines.append(f"  file:       {item.get('name')} -> {item.get('key')}: {state}")
        lines.append(f"    sha256 {item.get('sha256')}, {item.get('size')} bytes; personal data: "
                     f"{decisions.get('personal_data')} (policy {decisions.get('policy')})")
        confirmed = confirmation(decisions.get("confirmation"))
        if confirmed:
            lines.append(f"    confirmed by {confirmed['who']} at {confirmed['at']}: {confirmed['reason']}")
        for finding in (item.get("findings") or {}).get("findings") or []:
            lines.append(f"    found {finding.get('column')}: {finding.get('kind')}, {finding.get('count')} value(s)")
        lines.extend(f"    - {reason}" for reason in (item.get("verdict") or {}).get("reasons") or [])
    return lines
