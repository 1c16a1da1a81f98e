"""The batch's overall progress comes from sums the jobs keep (not a pass over every job at each update): after
a batch with a failure, and after the finished jobs are cleared, the sums must match the jobs."""

from __future__ import annotations

from pathlib import Path

import pytest

from planet_gui.core.profile import Buckets
from planet_gui.core.schema import load_schema
from planet_gui.core.transfer import EngineSetup, FileState, Journal, TransferEngine, TransferUpdate, UploadItem
from tests.support.uploads import VALID, MiB, PrivateLake, make_file

pytestmark = pytest.mark.e2e


def test_overall_sums_match_the_jobs(plake: PrivateLake, tmp_path: Path) -> None:
    admin = plake.admin()
    engine = TransferEngine(EngineSetup(lambda: admin, Buckets(), load_schema(), Journal(tmp_path / "j.sqlite3"),
                                        scope="overall"))
    files = [make_file(tmp_path / f"f{i}.bin", (i + 1) * MiB // 2, seed=40 + i) for i in range(3)]
    missing = tmp_path / "missing.bin"
    updates: list[TransferUpdate] = []
    try:
        items = [UploadItem(p, f"overall/{p.name}", VALID) for p in [*files, missing]]
        outcomes = engine.run(items, on_update=updates.append)
        assert [o.state for o in outcomes] == [FileState.DONE] * 3 + [FileState.FAILED]
        size = sum(p.stat().st_size for p in files)
        overall = engine.overall()
        assert (overall.files, overall.finished, overall.failed, overall.total, overall.done) == (4, 4, 1, size, size)
        assert updates[-1].overall.finished <= 4 and max(u.overall.done for u in updates) == size
        engine.clear_finished()
        overall = engine.overall()
        assert (overall.files, overall.finished, overall.failed, overall.total, overall.done) == (0, 0, 0, 0, 0)
    finally:
        engine.close()
