"""The folder watcher in-process on a private lake: a file still being written is waited for, then uploaded
once with the template merged over the inferred metadata; a rewritten file is a new delivery."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from planet_gui.core.session import Session
from planet_gui.core.transfer import ConflictPolicy, TransferSettings
from planet_gui.core.transfer.sidecar import read_metadata
from planet_gui.core.transfer.watch import WatchEvent, WatchEventKind, WatchSettings
from tests.conftest import wait_for
from tests.support.uploads import MiB, PrivateLake, memory_session, sha256_file, sha256_object

pytestmark = pytest.mark.e2e

TEMPLATE = {"category": "Atmosphere", "source": "ARPA Lombardia", "area": "Lombardia", "licence": "CC BY 4.0"}


@pytest.fixture
def alice(plake: PrivateLake, login: Session, tmp_path: Path) -> Iterator[Session]:
    session = memory_session(plake.profile_path, tmp_path / "journal.sqlite3", login_of=login)
    session.configure_transfers(TransferSettings(part_size=5 * MiB))
    yield session
    session.stop_uploads()


def test_a_growing_file_is_uploaded_once_complete(alice: Session, plake: PrivateLake, tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    growing = folder / "stations.csv"
    rows = [f"2024-01-{day:02d};{day * 3}\n" for day in range(1, 29)]
    growing.write_text("data;pm10\n", encoding="utf-8")
    written = threading.Event()

    def slow_writer() -> None:  # another program copying the file in bursts, each gap shorter than stable_for
        for row in rows:
            with growing.open("a", encoding="utf-8") as handle:
                handle.write(row * 2000)
            time.sleep(0.05)
        written.set()

    events: list[WatchEvent] = []
    writer = threading.Thread(target=slow_writer)
    writer.start()
    watcher = alice.watch_folder(folder, template=TEMPLATE, on_event=events.append,
                                 settings=WatchSettings(interval=0.1, stable_for=1.0, once=True))
    writer.join()
    assert written.is_set()
    assert [e.kind for e in events if e.kind is not WatchEventKind.WAITING] == [WatchEventKind.UPLOADING,
                                                                                 WatchEventKind.UPLOADED]
    outcome = watcher.uploaded[0]
    assert outcome.key == "Atmosphere/ARPA Lombardia/alice/stations.csv"
    admin = plake.admin()
    assert sha256_object(admin, "raw", outcome.key) == sha256_file(growing)  # the whole file, not a prefix
    values = read_metadata(admin, alice.schema, "raw", outcome.key)
    assert values["licence"] == "CC BY 4.0" and values["format"] == "CSV"  # template over inference
    assert values["fields"] == ["data", "pm10"]


def test_a_rewritten_file_is_a_new_delivery(alice: Session, plake: PrivateLake, tmp_path: Path) -> None:
    folder = tmp_path / "daily"
    folder.mkdir()
    daily = folder / "latest.csv"
    daily.write_text("data;no2\n2024-02-01;30\n", encoding="utf-8")
    settings = WatchSettings(interval=0.1, stable_for=0.3, once=True)
    first = alice.watch_folder(folder, template=TEMPLATE, settings=settings, conflict=ConflictPolicy.RENAME)
    assert [o.key for o in first.uploaded] == ["Atmosphere/ARPA Lombardia/alice/latest.csv"]

    again = alice.watch_folder(folder, template=TEMPLATE, settings=settings, conflict=ConflictPolicy.RENAME)
    assert again.uploaded == []  # the journal knows it was delivered

    daily.write_text("data;no2\n2024-02-02;28\n", encoding="utf-8")
    third = alice.watch_folder(folder, template=TEMPLATE, settings=settings, conflict=ConflictPolicy.RENAME)
    assert [o.key for o in third.uploaded] == ["Atmosphere/ARPA Lombardia/alice/latest (2).csv"]


def test_a_running_watcher_stops_on_request(alice: Session, tmp_path: Path) -> None:
    folder = tmp_path / "watched"
    folder.mkdir()
    stop = threading.Event()
    events: list[WatchEvent] = []
    thread = threading.Thread(target=lambda: alice.watch_folder(
        folder, template=TEMPLATE, stop=stop, on_event=events.append,
        settings=WatchSettings(interval=0.1, stable_for=0.3)))
    thread.start()
    (folder / "arrived.csv").write_text("data;o3\n2024-03-01;40\n", encoding="utf-8")
    wait_for(lambda: any(e.kind is WatchEventKind.UPLOADED for e in events), 60, "the delivery to be uploaded")
    stop.set()
    thread.join(30)
    assert not thread.is_alive()
