"""``planet-lake sandbox demo``: the app's main job, end to end and headless, on the sandbox lake.

Start the sandbox, log the sandbox user in (the approval is done over HTTP, as a browser would), upload the
files with the metadata inferred from each, wait for the hook's verdict on each, print one line per file, stop
everything. The login stays in memory: no keyring, no display needed.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from keyring.backends.fail import Keyring as NoKeyring

from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.profile import load_profile
from planet_gui.core.session import Session
from planet_gui.core.status import State
from planet_gui.sandbox.approve import approve
from planet_gui.sandbox.lake import Sandbox

VERDICT_TIMEOUT = 120.0
SAMPLE_NAME = "sandbox-sample-pm10.csv"


@dataclass(frozen=True)
class Verdict:
    name: str
    state: str
    reasons: tuple[str, ...] = ()

    def line(self) -> str:
        return f"{self.name}: {self.state}" + (f" — {'; '.join(self.reasons)}" if self.reasons else "")


def sample_file(folder: Path) -> Path:
    """A small table of daily PM10 readings, for a demo run with no files given."""
    path = folder / SAMPLE_NAME
    rows = ["data,regione,pm10_ug_m3"]
    for day in range(1, 29):
        for region, base in (("Lombardia", 38), ("Lazio", 27), ("Sicilia", 22)):
            rows.append(f"2024-02-{day:02d},{region},{base + (day * 7) % 13}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def in_memory_session(profile_path: Path) -> Session:
    """A session whose login lives in this process only (no keyring is asked for anything)."""
    profile = load_profile(profile_path)
    return Session(profile, token_store=TokenStore(profile.keyring_service, backend=NoKeyring()))  # type: ignore[no-untyped-call]


def login(session: Session) -> None:
    authorization = session.start_login()
    approve(authorization.link)
    session.finish_login(authorization)


def run_demo(files: Sequence[Path], *, say: Callable[[str], None] = print, sandbox: Sandbox | None = None) -> \
        list[Verdict]:
    """Everything ``sandbox demo`` does; returns the verdicts (also printed through ``say``)."""
    from planet_gui.core.transfer import ConflictPolicy

    lake = sandbox or Sandbox()
    with tempfile.TemporaryDirectory(prefix="planet-sandbox-demo-") as scratch:
        paths = list(files) or [sample_file(Path(scratch))]
        began = time.monotonic()
        profile_path = lake.start()
        try:
            say(f"sandbox ready in {time.monotonic() - began:.1f} s (profile {profile_path})")
            session = in_memory_session(profile_path)
            login(session)
            assert session.identity is not None
            say(f"logged in as {session.identity.username} (approved on the sandbox's page)")
            items = []
            for path in paths:
                values = {k: v for k, v in session.initial_values(session.inspect(path)).items() if v is not None}
                if path.name == SAMPLE_NAME and not files:
                    values.setdefault("source", "PLANET sandbox sample")
                items.append((path, values))
            # the hook, not the app, judges here: a file the app would refuse still gets its verdict and reasons
            outcomes = session.upload_many(items, validate=False, conflict=ConflictPolicy.RENAME)
            verdicts = _verdicts(session, outcomes)
            session.stop_uploads()
        finally:
            lake.stop()
    for verdict in verdicts:
        say(verdict.line())
    return verdicts


def _verdicts(session: Session, outcomes: Sequence[object]) -> list[Verdict]:
    from planet_gui.core.transfer import UploadOutcome

    waiting: dict[str, str] = {}
    done: dict[str, Verdict] = {}
    order: list[str] = []
    for outcome in outcomes:
        assert isinstance(outcome, UploadOutcome)
        order.append(outcome.path.name)
        if outcome.ok:
            waiting[outcome.key] = outcome.path.name
        else:
            reason = outcome.error.message if outcome.error is not None else outcome.state.value
            done[outcome.path.name] = Verdict(outcome.path.name, "not uploaded", (reason,))
    deadline = time.monotonic() + VERDICT_TIMEOUT
    while waiting and time.monotonic() < deadline:
        for status in session.status(list(waiting)):
            if status.state in (State.VALIDATED, State.TRIAGE):
                name = waiting.pop(status.key)
                done[name] = Verdict(name, status.state.value, tuple(status.reasons))
        if waiting:
            time.sleep(0.5)  # the hook polls its bucket; we poll the verdict
    for key, name in waiting.items():
        done[name] = Verdict(name, "pending", (f"no verdict after {VERDICT_TIMEOUT:.0f} s ({key})",))
    return [done[name] for name in order]
