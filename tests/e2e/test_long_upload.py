"""A working day in two minutes: with 60-second access tokens and storage credentials renewed every ~15 s,
a bandwidth-limited multi-minute upload finishes with no failed request, renewing along the way."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from planet_gui.core.hashing import sha256_file
from planet_gui.core.profile import Profile, load_profile
from planet_gui.core.transfer import TransferSettings
from planet_gui.core.transfer.sizing import MiB
from tests.conftest import SHARED_DEVICE_INTERVAL, separate_lake
from tests.support.login import login_in_process, memory_session
from tests.support.servers import S3Server

pytestmark = pytest.mark.e2e

PARTS = 10
UPLOAD_SECONDS = 125  # "multi-minute": the cap spreads the parts over this long


@pytest.fixture(scope="module")
def short_lived_lake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Profile]:
    with separate_lake(tmp_path_factory.mktemp("long-upload"), access_token_ttl=60,
                       device_interval=SHARED_DEVICE_INTERVAL) as profile_path:
        base = load_profile(profile_path)
        # the shortest STS lifetime SeaweedFS accepts, renewed when less than 885 s are left: every ~15 s
        yield replace(base, s3=replace(base.s3, sts_duration=S3Server.sts_duration_min, sts_renew_margin=885))


def test_long_upload_renews_credentials_without_a_failed_request(short_lived_lake: Profile,
                                                                  tmp_path: Path) -> None:
    session = memory_session(short_lived_lake)
    login_in_process(session)
    part = 5 * MiB
    rate = (PARTS - 1) * part // UPLOAD_SECONDS  # the first part leaves at once, the rest at the cap
    session.configure_transfers(TransferSettings(part_size=part, concurrency=2, max_rate=rate))
    source = tmp_path / "long-upload.bin"
    with source.open("wb") as handle:
        for _ in range(PARTS):
            handle.write(os.urandom(part))
    values = {"category": "Other", "source": "PLANET tests", "area": "Italy", "frequency": "none",
              "format": "other", "personal_data": False}

    started = time.monotonic()
    result = session.upload(source, values)
    elapsed = time.monotonic() - started

    assert elapsed >= 2 * 60, f"the upload took {elapsed:.0f} s; the test needs it to span minutes"
    assert result.sha256 == sha256_file(source)
    assert session.credentials.renewals >= 2, session.credentials.renewals
    assert session.token_refreshes >= 1  # the 60-second access token was refreshed silently too
    engine = session._engine()
    assert engine.retries == 0  # no request failed, so none was tried again
    entry = next(e for e in engine.journal.entries() if e.key == result.key)
    sends = engine.journal.sends(entry.id)
    assert sorted(number for number, _ in sends) == list(range(1, PARTS + 1))  # each part sent once
    assert {outcome for _, outcome in sends} == {"ok"}
    stat = session.s3.stat_object(short_lived_lake.buckets.raw, result.key)
    assert stat.size == PARTS * part
