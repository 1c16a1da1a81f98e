"""The lake checks too (issue 18): the hook reads every object and sends to triage one whose content holds
personal data its metadata does not declare, so a client that skips the app's check cannot slip it through.

Real SeaweedFS with the lake's per-user policy, the real hook process polling raw; alice writes with the raw
minio SDK and her own STS credentials, headers and all, as an old or hostile client would.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from planet_gui.core.session import Session
from tests.core.privacy_tables import COLUMNS, people
from tests.e2e.test_gatekeeper import (  # noqa: F401 - fixtures
    RunningHook,
    headers_for,
    hook,
    key_of,
    notifications,
    put,
    reasons,
    verdict_of,
)
from tests.support.uploads import PrivateLake

pytestmark = pytest.mark.e2e


def _patients(count: int) -> tuple[bytes, list[list[str]]]:
    rows = people(count, seed=18)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode(), rows


def test_undeclared_personal_data_goes_to_triage_with_the_findings(
        plake: PrivateLake, login: Session, hook: RunningHook, testdata: Path) -> None:  # noqa: F811
    admin, alice = plake.admin(), login.s3
    body, rows = _patients(200)
    tag = os.getpid()

    forced = key_of("alice", f"pazienti-{tag}.csv")
    put(alice, forced, body, headers_for(body, "alice", personal_data=False))  # the app's check skipped

    declared = key_of("alice", f"pazienti-dichiarati-{tag}.csv")
    put(alice, declared, body, headers_for(
        body, "alice", personal_data=True,
        personal_data_confirmation="alice at 2026-12-02T06:00:00Z [found: codice_fiscale]: comitato etico 42/2026"))

    shared = testdata / "csv" / "dpc-covid19-ita-regioni-latest.csv"
    public = key_of("alice", f"regioni-{tag}.csv")
    public_body = shared.read_bytes()
    put(alice, public, public_body, headers_for(public_body, "alice", personal_data=False))

    assert verdict_of(admin, forced, timeout=60) == "triage"
    why = "\n".join(reasons(admin, "triage", forced))
    assert "does not declare (personal_data is false)" in why, why
    for kind, column in (("codice_fiscale", "codice_fiscale"), ("email", "email"), ("iban", "iban"),
                         ("person_name", "cognome"), ("health_card", "tessera")):
        assert f"{kind} in column {column} (" in why, (kind, why)
    assert "in column codice_fiscale (200 values)" in why, why  # counted over the whole object
    for row in rows:  # never a value, not even a part of one
        for value in (row[2], row[5], row[8], row[7]):
            assert value not in why and value[:8] not in why, value

    assert verdict_of(admin, declared, timeout=60) == "validated"  # declared, with its confirmation
    assert verdict_of(admin, public, timeout=60) == "validated"  # public aggregated data: no false positive


def test_receipts_get_the_lakes_verdict(plake: PrivateLake, login: Session, hook: RunningHook,  # noqa: F811
                                        tmp_path: Path) -> None:
    """The app's receipts: written at the upload, the verdict added when ``status`` finds it (triage, with the
    hook's findings, for personal data declared absent by an app that skipped the check)."""
    from planet_gui.core.privacy.receipts import ReceiptStore
    from tests.e2e.test_gatekeeper import SOURCE, app_session
    from tests.support.uploads import VALID

    body, _rows = _patients(30)
    path = tmp_path / f"ricevuta-{os.getpid()}.csv"
    path.write_bytes(body)
    session = app_session(login, tmp_path)
    outcome, = session.upload_many([(path, {**VALID, "source": SOURCE})])  # personal_data False, no review
    assert outcome.ok, outcome.error
    store = session.receipts
    assert isinstance(store, ReceiptStore)
    receipt = store.find(outcome.key)
    assert receipt is not None and receipt["verdict"]["state"] == "pending"
    assert receipt["uploader"]["username"] == "alice" and receipt["uploader"]["sub"]
    assert receipt["findings"]["personal_data"] is True  # what the app's scan would have said

    def verdict() -> str | None:
        state = session.status([outcome.key])[0].state.value
        return state if state != "pending" else None

    from tests.conftest import wait_for

    assert wait_for(verdict, 60, "a verdict") == "triage"
    receipt = store.find(outcome.key, outcome.sha256)
    assert receipt["verdict"]["state"] == "triage" and receipt["times"]["verdict"]
    assert any("does not declare" in reason for reason in receipt["verdict"]["reasons"])
    assert "does not declare" in store.html_path(receipt).read_text(encoding="utf-8")


def test_undeclared_personal_data_in_parquet_and_stata_goes_to_triage(
        plake: PrivateLake, login: Session, hook: RunningHook, tmp_path: Path) -> None:  # noqa: F811
    """The formats a library reads (the object spooled to a private file for it) are checked as a CSV is."""
    from tests.core.test_privacy_formats import write

    admin, alice = plake.admin(), login.s3
    rows = people(200, seed=18)
    keys = []
    for kind, suffix in (("parquet", ".parquet"), ("stata", ".dta")):
        folder = tmp_path / kind
        folder.mkdir()
        body = write(kind, folder, rows, COLUMNS).read_bytes()
        key = key_of("alice", f"pazienti-{os.getpid()}{suffix}")
        put(alice, key, body, headers_for(body, "alice", personal_data=False))
        keys.append(key)
    for key in keys:
        assert verdict_of(admin, key, timeout=60) == "triage", key
        why = "\n".join(reasons(admin, "triage", key))
        assert "does not declare (personal_data is false)" in why, why
        assert "codice_fiscale in column codice_fiscale (200 values)" in why, why
        assert "birth_date in column data_nascita (" in why, why


def test_a_scan_past_the_hooks_caps_is_a_reason_for_triage(plake: PrivateLake) -> None:
    """An object too big or too slow to scan is not validated unscanned: the reason says why the lake did not
    finish. Read from the real server (a bucket no hook serves, so nothing moves it meanwhile)."""
    from planet_gui.hook.config import load_config
    from planet_gui.hook.personal_data import undeclared_personal_data

    admin = plake.admin()
    body, _rows = _patients(300)
    key = key_of("alice", f"capped-{os.getpid()}.csv")
    put(admin, key, body, {}, bucket="validated")
    etag = admin.stat_object("validated", key).etag
    assert etag
    declared = {"personal_data": False}

    found = undeclared_personal_data(admin, "validated", key, etag, declared)
    assert len(found) == 1 and "does not declare" in found[0]  # within the caps: the findings
    over_bytes = undeclared_personal_data(admin, "validated", key, etag, declared, max_bytes=len(body) // 2)
    assert len(over_bytes) == 1 and "did not finish looking" in over_bytes[0], over_bytes
    assert "SCAN_MAX_BYTES" in over_bytes[0] and "personal_data is false" in over_bytes[0]
    over_time = undeclared_personal_data(admin, "validated", key, etag, declared, seconds=0)
    assert len(over_time) == 1 and "SCAN_SECONDS" in over_time[0], over_time
    assert undeclared_personal_data(admin, "validated", key, etag, {"personal_data": True}, max_bytes=1) == []

    config = load_config(environ={"ENDPOINT": "x", "ACCESSKEYID": "a", "SECRETACCESSKEY": "b",
                                  "SCAN_MAX_BYTES": "1000", "SCAN_SECONDS": "5"})
    assert (config.scan_max_bytes, config.scan_seconds) == (1000, 5.0)
