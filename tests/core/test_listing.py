"""Dropped folders become the files inside them."""

from __future__ import annotations

from pathlib import Path

from planet_gui.core.listing import expand_paths


def test_folders_become_their_files_hidden_ones_skipped(tmp_path: Path) -> None:
    tree = tmp_path / "consegna"
    for name in ("b.csv", "a.nc", "regioni/città.json", "regioni/2020/marzo.csv", ".DS_Store", ".git/config",
                 "regioni/.~lock.b.csv#"):
        path = tree / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    single = tmp_path / "report.pdf"
    single.write_bytes(b"%PDF")

    found = expand_paths([single, tree])

    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "report.pdf", "consegna/a.nc", "consegna/b.csv", "consegna/regioni/2020/marzo.csv",
        "consegna/regioni/città.json"]


def test_a_missing_path_is_kept_for_the_inspector_to_explain(tmp_path: Path) -> None:
    gone = tmp_path / "gone.csv"
    assert expand_paths([gone]) == [gone]  # the row shows why it cannot be read, rather than vanishing
