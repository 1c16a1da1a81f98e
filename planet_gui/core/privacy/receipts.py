"""Receipts: what was uploaded, by whom, what was found in it, what was decided, and what the lake said.

One receipt per uploaded file (its object key and SHA-256), written when the upload succeeds and updated
when the lake's verdict arrives; each names its submission (the files sent together), whose receipt
(:mod:`.submissions`) is brought up to date with it. As JSON (for programs and auditors: GDPR, DPIA) and as
a printable HTML page (every value escaped). Both are kept in the user data folder
(``~/.local/share/planet-uploader/receipts/PROFILE/``, private: 0700/0600) and never sent anywhere.

A receipt holds the file's name, size and SHA-256, the metadata uploaded, the object key and bucket, the
uploader's identity (the token's ``sub`` and username), the times (uploaded, written, verdict), the
personal-data findings (masked examples only, never a value) and the decisions (the profile's policy,
``personal_data``, the confirmation and its reason, the pseudonymisation), and the final verdict with its
reasons.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from planet_gui.core.privacy.receipt_html import cell as _e
from planet_gui.core.privacy.receipt_html import findings_table
from planet_gui.core.privacy.receipt_html import rows as _rows
from planet_gui.core.privacy.submissions import SubmissionStore, confirmation, new_id
from planet_gui.core.private import app_data_dir, write_private

FORMAT = 1
_FINAL = ("validated", "triage")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Uploaded:
    """What the session knows of one finished upload (what :func:`build` turns into a receipt)."""

    path: Path
    key: str
    bucket: str
    size: int
    sha256: str
    values: Mapping[str, Any]
    profile: str
    endpoint: str
    policy: str
    subject: str
    username: str
    submission: str = ""  # the files sent together (Session.open_submission); alone in a new one when empty


def build(upload: Uploaded, *, uploaded_at: str | None = None, scan: Mapping[str, Any] | None = None
          ) -> dict[str, Any]:
    """A new receipt (verdict pending). ``scan``: the personal-data scan's details; scanned here (a sample,
    what the check before upload reads) when not given."""
    from planet_gui.core.privacy.policy import CONFIRMATION_FIELD, PSEUDONYMISATION_FIELD, needs_confirmation

    if scan is None:
        scan = _scan(upload.path)
    values = _jsonable(dict(upload.values))
    values.setdefault("sha256", upload.sha256)
    decisions = {
        "policy": upload.policy,
        "personal_data": values.get("personal_data"),
        "confirmation_needed": needs_confirmation(upload.policy, scan, values),
        "confirmation": values.get(CONFIRMATION_FIELD),
        "confirmed": confirmation(values.get(CONFIRMATION_FIELD)),  # who, when, why
        "pseudonymisation": values.get(PSEUDONYMISATION_FIELD),
    }
    written = _now()
    return {
        "receipt": FORMAT,
        "id": receipt_id(upload.key, upload.sha256),
        "submission": upload.submission or new_id(),
        "profile": upload.profile,
        "lake": upload.endpoint,
        "bucket": upload.bucket,
        "key": upload.key,
        "files": [{"name": upload.path.name, "path": str(upload.path), "size": upload.size,
                   "sha256": upload.sha256}],
        "metadata": values,
        "uploader": {"sub": upload.subject, "username": upload.username},
        "times": {"uploaded": uploaded_at or written, "written": written, "verdict": None},
        "findings": _jsonable(scan) if scan else None,
        "decisions": decisions,
        "verdict": {"state": "pending", "bucket": None, "reasons": []},
    }


def _scan(path: Path) -> dict[str, Any] | None:
    from planet_gui.core.errors import PlanetError
    from planet_gui.core.privacy.inspection import details
    from planet_gui.core.privacy.scan import scan_file

    try:
        report = scan_file(path)
    except (PlanetError, OSError, ValueError):
        return None
    return details(report) if report.scanned else None


def receipt_id(key: str, sha256: str) -> str:
    return hashlib.sha256(f"{key}\n{sha256}".encode()).hexdigest()[:24]


def default_folder(profile: str) -> Path:
    return app_data_dir() / "receipts" / profile


class ReceiptStore:
    """The receipts of one profile: ``ID.json`` and ``ID.html`` side by side."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    @property
    def submissions(self) -> SubmissionStore:
        """The submission receipts, in the same folder."""
        return SubmissionStore(self.folder)

    def save(self, receipt: Mapping[str, Any]) -> Path:
        """Write the JSON and the HTML (atomically, 0600), and bring its submission's receipt up to date; returns
        the JSON's path."""
        path = self.folder / f"{receipt['id']}.json"
        write_private(path, json.dumps(receipt, ensure_ascii=False, indent=2).encode("utf-8"))
        write_private(path.with_suffix(".html"), render_html(receipt).encode("utf-8"))
        self.submissions.add(receipt)
        return path

    def all(self) -> list[dict[str, Any]]:
        found = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict) and data.get("receipt") == FORMAT and isinstance(data.get("key"), str):
                found.append(data)
        return found

    def find(self, key: str, sha256: str | None = None) -> dict[str, Any] | None:
        """The receipt of ``key`` (with ``sha256``: of that upload; else the latest upload under the key)."""
        if sha256:
            path = self.folder / f"{receipt_id(key, sha256)}.json"
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return None
            return data if isinstance(data, dict) else None
        matching = [r for r in self.all() if r["key"] == key]
        return max(matching, key=lambda r: str(r.get("times", {}).get("uploaded", "")), default=None)

    def html_path(self, receipt: Mapping[str, Any]) -> Path:
        return self.folder / f"{receipt['id']}.html"

    def record_verdict(self, key: str, sha256: str | None, state: str, bucket: str | None,
                       reasons: tuple[str, ...] | list[str]) -> dict[str, Any] | None:
        """Put the lake's verdict on the receipt of this upload (once final, it is not rewritten); returns the
        receipt when it changed."""
        receipt = self.find(key, sha256)
        if receipt is None or state not in _FINAL:
            return None
        verdict = {"state": state, "bucket": bucket, "reasons": list(reasons)}
        if receipt.get("verdict") == verdict:
            return None
        receipt["verdict"] = verdict
        receipt.setdefault("times", {})["verdict"] = _now()
        self.save(receipt)
        return receipt


# -- the printable page ---------------------------------------------------------------------------------------

_STYLE = """body{font-family:sans-serif;margin:2em;color:#222}h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.4em}
table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #bbb;padding:3px 8px;text-align:left;
vertical-align:top}th{background:#eee}.validated{color:#1a7f37}.triage{color:#b3261e}.pending{color:#8a6d00}
code{font-size:.95em}"""


def render_html(receipt: Mapping[str, Any]) -> str:
    """The receipt as a self-contained, printable HTML page; every value from the receipt is escaped."""
    times = receipt.get("times", {})
    uploader = receipt.get("uploader", {})
    verdict = receipt.get("verdict", {})
    state = str(verdict.get("state", "pending"))
    decisions = receipt.get("decisions", {})
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>Upload receipt — {_e(receipt.get('key'))}</title><style>{_STYLE}</style></head><body>",
        f"<h1>PLANET upload receipt</h1><p>Receipt <code>{_e(receipt.get('id'))}</code>, submission "
        f"<code>{_e(receipt.get('submission'))}</code></p>",
        f"<h2>Verdict: <span class='{_e(state if state in ('validated', 'triage') else 'pending')}'>"
        f"{_e(state)}</span></h2>",
    ]
    reasons = verdict.get("reasons") or []
    if reasons:
        parts.append("<ul>" + "".join(f"<li>{_e(reason)}</li>" for reason in reasons) + "</ul>")
    parts.append("<table>" + _rows([
        ("Object key", receipt.get("key")), ("Bucket", verdict.get("bucket") or receipt.get("bucket")),
        ("Lake", receipt.get("lake")), ("Profile", receipt.get("profile")),
        ("Uploader", uploader.get("username")), ("Uploader (sub)", uploader.get("sub")),
        ("Uploaded", times.get("uploaded")), ("Receipt written", times.get("written")),
        ("Verdict received", times.get("verdict")),
    ]) + "</table>")
    parts.append("<h2>Files</h2><table><tr><th>Name</th><th>Size (bytes)</th><th>SHA-256</th></tr>")
    for item in receipt.get("files", []):
        parts.append(f"<tr><td>{_e(item.get('name'))}</td><td>{_e(item.get('size'))}</td>"
                     f"<td><code>{_e(item.get('sha256'))}</code></td></tr>")
    parts.append("</table>")
    parts.append("<h2>Personal data: decisions</h2><table>" + _rows([
        ("Policy", decisions.get("policy")), ("Contains personal data", decisions.get("personal_data")),
        ("Confirmation needed", decisions.get("confirmation_needed")),
        ("Confirmation", decisions.get("confirmation")), ("Pseudonymisation", decisions.get("pseudonymisation")),
    ]) + "</table>")
    findings = (receipt.get("findings") or {}).get("findings") or []
    scope = (receipt.get("findings") or {}).get("scope", "")
    parts.append(f"<h2>Personal data: findings{f' ({_e(scope)})' if scope else ''}</h2>")
    if findings:
        parts.append(findings_table(findings))
    else:
        parts.append("<p>None found.</p>" if receipt.get("findings") else "<p>Not scanned.</p>")
    metadata = receipt.get("metadata", {})
    parts.append("<h2>Metadata</h2><table>" + _rows(sorted(metadata.items())) + "</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def text_summary(receipt: Mapping[str, Any]) -> list[str]:
    """The receipt as lines for a terminal (``planet-lake receipt KEY``)."""
    times = receipt.get("times", {})
    uploader = receipt.get("uploader", {})
    verdict = receipt.get("verdict", {})
    decisions = receipt.get("decisions", {})
    lines = [f"receipt {receipt.get('id')}", f"  submission: {receipt.get('submission')}",
             f"  key:        {receipt.get('key')}",
             f"  lake:       {receipt.get('lake')} ({receipt.get('profile')})",
             f"  uploader:   {uploader.get('username')} (sub {uploader.get('sub')})",
             f"  uploaded:   {times.get('uploaded')}"]
    for item in receipt.get("files", []):
        lines.append(f"  file:       {item.get('name')} ({item.get('size')} bytes, sha256 {item.get('sha256')})")
    lines.append(f"  policy:     {decisions.get('policy')}; personal data: {decisions.get('personal_data')}")
    if decisions.get("confirmation"):
        lines.append(f"  confirmed:  {decisions['confirmation']}")
    if decisions.get("pseudonymisation"):
        lines.append(f"  pseudonym.: {decisions['pseudonymisation']}")
    for finding in (receipt.get("findings") or {}).get("findings") or []:
        lines.append(f"  found:      {finding.get('column')}: {finding.get('kind')}, {finding.get('count')} value(s), "
                     f"e.g. {', '.join(finding.get('examples') or [])}")
    at = f" at {times['verdict']}" if times.get("verdict") else ""
    lines.append(f"  verdict:    {verdict.get('state')}{at}")
    lines.extend(f"    - {reason}" for reason in verdict.get("reasons") or [])
    return lines


# -- what the session calls -----------------------------------------------------------------------------------

def record_upload(store: ReceiptStore, upload: Uploaded) -> Path | None:
    """Write the receipt of a finished upload; a receipt that cannot be written is logged, never an upload's
    failure (the object is in the lake either way)."""
    import logging

    try:
        return store.save(build(upload))
    except (OSError, ValueError, TypeError) as exc:
        logging.getLogger(__name__).warning("could not write the receipt of %s: %s", upload.key, exc)
        return None


def record_verdicts(store: ReceiptStore, wanted: list[tuple[str, str | None]], statuses: list[Any]) -> None:
    """Put each final verdict (``ObjectStatus``) on its upload's receipt (matched by key and SHA-256)."""
    import logging

    for (key, sha256), status in zip(wanted, statuses, strict=False):
        try:
            store.record_verdict(key, sha256, str(status.state), status.bucket, tuple(status.reasons))
        except (OSError, ValueError, TypeError) as exc:
            logging.getLogger(__name__).warning("could not update the receipt of %s: %s", key, exc)
