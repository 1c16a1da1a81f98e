"""Receipts (issue 18): what an auditor gets for each upload, as JSON and as a printable, escaped HTML page."""

from __future__ import annotations

import html.parser
import json
import stat
from dataclasses import replace
from pathlib import Path

from planet_gui.core.privacy.inspection import details
from planet_gui.core.privacy.policy import review
from planet_gui.core.privacy.receipts import ReceiptStore, Uploaded, build, render_html, text_summary
from planet_gui.core.privacy.scan import scan_file
from tests.core.privacy_tables import people, write_csv

HOSTILE = "<script>alert('x')</script>&<b>"


def _upload(path: Path, values: dict[str, object], key: str = "Clinical/Reparto/alice/pazienti.csv") -> Uploaded:
    return Uploaded(path=path, key=key, bucket="raw", size=path.stat().st_size, sha256="ab" * 32,
                    values=values, profile="lake", endpoint="127.0.0.1:9000", policy="block", subject="sub-123",
                    username="alice")


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_a_receipt_says_who_what_found_decided_and_the_verdict(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "pazienti.csv", people(40))
    scan = details(scan_file(path))
    values = review("block", scan, {"category": "Clinical", "source": HOSTILE, "personal_data": True},
                    who="alice (sub sub-123)", reason="Comitato etico, protocollo 42/2026")
    receipt = build(_upload(path, values))
    assert receipt["uploader"] == {"sub": "sub-123", "username": "alice"}
    assert receipt["files"][0]["sha256"] == "ab" * 32 and receipt["files"][0]["size"] == path.stat().st_size
    assert receipt["decisions"]["policy"] == "block" and receipt["decisions"]["confirmation_needed"] is True
    assert "42/2026" in receipt["decisions"]["confirmation"]
    kinds = {f["kind"] for f in receipt["findings"]["findings"]}
    assert {"codice_fiscale", "email", "person_name"} <= kinds
    assert receipt["verdict"]["state"] == "pending"
    raw = json.dumps(receipt)
    for row in people(40):  # masked examples only: no whole identifier anywhere in the receipt
        assert row[2] not in raw and row[5] not in raw and row[8] not in raw

    store = ReceiptStore(tmp_path / "receipts")
    saved = store.save(receipt)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.html_path(receipt).stat().st_mode) == 0o600
    assert store.find(receipt["key"])["id"] == receipt["id"]
    assert store.find("Clinical/Reparto/alice/other.csv") is None

    updated = store.record_verdict(receipt["key"], "ab" * 32, "triage", "triage", ("its content holds <x>",))
    assert updated is not None and updated["times"]["verdict"]
    again = store.find(receipt["key"], "ab" * 32)
    assert again["verdict"] == {"state": "triage", "bucket": "triage", "reasons": ["its content holds <x>"]}
    assert store.record_verdict(receipt["key"], "ab" * 32, "triage", "triage", ("its content holds <x>",)) is None
    assert store.record_verdict(receipt["key"], "cd" * 32, "validated", "validated", ()) is None  # another upload
    page = store.html_path(receipt).read_text(encoding="utf-8")
    assert "triage" in page and "&lt;x&gt;" in page
    lines = "\n".join(text_summary(again))
    assert "alice (sub sub-123)" in lines and "verdict:    triage" in lines and "42/2026" in lines


def test_the_html_escapes_everything(tmp_path: Path) -> None:
    path = tmp_path / f"{'a'}.csv"
    path.write_text("x,y\n1,2\n", encoding="utf-8")
    receipt = build(_upload(path, {"source": HOSTILE, "title": '"><img src=x onerror=alert(1)>'},
                            key=f"Other/{HOSTILE}/alice/a.csv"))
    receipt["verdict"] = {"state": HOSTILE, "bucket": None, "reasons": [HOSTILE]}
    page = render_html(receipt)
    parser = _Tags()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert HOSTILE in "".join(parser.text)  # shown, as text
    assert "Not scanned" not in page and "None found" in page  # a CSV without identifiers was scanned


def test_a_submission_gathers_its_files_and_each_verdict(tmp_path: Path) -> None:
    """Two files sent together: one submission receipt (0600, JSON and escaped HTML) listing both, with each
    file's SHA-256, key, metadata, findings, decisions (who confirmed, why) and its verdict as it arrives."""
    from planet_gui.core.privacy.submissions import new_id, valid_id
    from planet_gui.core.privacy.submissions import render_html as page_of
    from planet_gui.core.privacy.submissions import text_summary as lines_of

    submission = new_id()
    assert valid_id(submission) and not valid_id("../../etc/passwd") and new_id() != submission
    clinical = write_csv(tmp_path / "pazienti.csv", people(40))
    scan = details(scan_file(clinical))
    values = review("block", scan, {"category": "Clinical", "source": HOSTILE, "personal_data": True},
                    who="alice (sub sub-123)", reason="Comitato etico, protocollo 42/2026")
    public = tmp_path / "casi.csv"
    public.write_text("giorno,regione,casi\n2024-01-01,Lombardia,3\n", encoding="utf-8")
    store = ReceiptStore(tmp_path / "receipts")
    first = build(replace(_upload(clinical, values), submission=submission))
    second = build(Uploaded(path=public, key="Other/Casi/alice/casi.csv", bucket="raw", size=public.stat().st_size,
                            sha256="cd" * 32, values={"category": "Other", "personal_data": False}, profile="lake",
                            endpoint="127.0.0.1:9000", policy="block", subject="sub-123", username="alice",
                            submission=submission))
    assert first["submission"] == second["submission"] == submission
    assert first["decisions"]["confirmed"]["who"] == "alice (sub sub-123)"
    assert first["decisions"]["confirmed"]["reason"] == "Comitato etico, protocollo 42/2026"
    store.save(first)
    store.save(second)
    lone = build(_upload(public, {}, key="Other/Casi/alice/alone.csv"))  # outside any: a submission of its own
    assert valid_id(lone["submission"]) and lone["submission"] != submission

    gathered = store.submissions.get(submission)
    assert gathered is not None
    assert stat.S_IMODE(store.submissions.json_path(submission).stat().st_mode) == 0o600
    assert stat.S_IMODE(store.submissions.html_path(submission).stat().st_mode) == 0o600
    assert gathered["uploader"] == {"sub": "sub-123", "username": "alice"}
    assert sorted((f["key"], f["sha256"]) for f in gathered["files"]) == [
        ("Clinical/Reparto/alice/pazienti.csv", "ab" * 32), ("Other/Casi/alice/casi.csv", "cd" * 32)]
    by_key = {f["key"]: f for f in gathered["files"]}
    assert by_key["Clinical/Reparto/alice/pazienti.csv"]["decisions"]["confirmed"]["at"]
    assert {"codice_fiscale", "email"} <= {f["kind"] for f in
                                           by_key["Clinical/Reparto/alice/pazienti.csv"]["findings"]["findings"]}
    assert gathered["verdict"] == {"state": "pending", "validated": 0, "triage": 0, "pending": 2}

    store.record_verdict("Other/Casi/alice/casi.csv", "cd" * 32, "validated", "validated", ())
    gathered = store.submissions.get(submission)
    assert gathered["verdict"] == {"state": "pending", "validated": 1, "triage": 0, "pending": 1}
    assert gathered["times"]["verdicts_complete"] is None
    store.record_verdict(first["key"], "ab" * 32, "triage", "triage", ("holds <codice_fiscale> undeclared",))
    gathered = store.submissions.get(submission)
    assert gathered["verdict"] == {"state": "triage", "validated": 1, "triage": 1, "pending": 0}
    assert gathered["times"]["verdicts_complete"]
    assert {f["name"]: f["verdict"]["state"] for f in gathered["files"]} == {"pazienti.csv": "triage",
                                                                            "casi.csv": "validated"}
    raw = json.dumps(gathered)
    for row in people(40):  # masked examples only
        assert row[2] not in raw and row[5] not in raw and row[8] not in raw
    assert "token" not in raw.lower()

    page = store.submissions.html_path(submission).read_text(encoding="utf-8")
    assert page == page_of(gathered)
    parser = _Tags()
    parser.feed(page)
    assert "script" not in parser.tags and HOSTILE in "".join(parser.text)
    assert "&lt;codice_fiscale&gt;" in page and "42/2026" in page and "cd" * 32 in page
    text = "\n".join(lines_of(gathered))
    assert f"submission {submission}: 2 file(s)" in text and "1 validated, 1 in triage" in text
    assert "confirmed by alice (sub sub-123) at " in text
    assert f"submission: {submission}" in "\n".join(text_summary(store.find(first["key"]) or {}))
    assert store.submissions.get("../" + submission) is None and len(store.all()) == 2  # not a file receipt


def test_a_reupload_of_a_file_replaces_its_entry(tmp_path: Path) -> None:
    from planet_gui.core.privacy.submissions import new_id

    submission = new_id()
    path = tmp_path / "a.csv"
    path.write_text("x,y\n1,2\n", encoding="utf-8")
    store = ReceiptStore(tmp_path / "receipts")
    receipt = build(replace(_upload(path, {}), submission=submission))
    store.save(receipt)
    store.save(receipt)  # saved again (its verdict, say): still one entry
    assert len(store.submissions.get(submission)["files"]) == 1
