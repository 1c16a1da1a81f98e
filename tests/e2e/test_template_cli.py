"""`planet-lake template`: the command-line twin of the GUI's "Save as template", as a user runs it."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import cli

PROFILE = Path(__file__).resolve().parents[2] / "resources" / "profiles" / "local-test.toml"


def test_save_a_template_from_a_file_then_list_and_show_it(testdata: Path, tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    source = testdata / "csv" / "dpc-covid19-ita-regioni-latest.csv"
    saved = cli(PROFILE, "template", "save", "dpc regioni", "--from", str(source),
                "--set", "licence=CC BY 4.0", "--set", "area=Umbria", env=env)
    assert saved.returncode == 0, saved.stderr
    path = tmp_path / "config" / "planet-uploader" / "templates" / "dpc regioni.toml"
    assert str(path) in saved.stdout

    listed = cli(PROFILE, "template", "list", env=env)
    assert listed.stdout.splitlines() == ["dpc regioni"]
    shown = cli(PROFILE, "template", "show", "dpc regioni", env=env).stdout
    assert 'licence = "CC BY 4.0"' in shown and 'area = "Umbria"' in shown  # --set wins over the inferred area
    assert 'category = "COVID-19"' in shown  # inferred from the file: fits the whole series
    assert "record_count" not in shown and "period_start" not in shown  # one delivery's, never the series'

    again = cli(PROFILE, "template", "save", "dpc regioni", "--set", "licence=CC0", env=env)
    assert again.returncode == 1 and "--replace" in again.stderr
    assert 'licence = "CC BY 4.0"' in path.read_text(encoding="utf-8")  # nothing lost
    replaced = cli(PROFILE, "template", "save", "dpc regioni", "--set", "licence=CC0", "--set", "format=CSV",
                   "--replace", env=env)
    assert replaced.returncode == 0, replaced.stderr
    lines = path.read_text(encoding="utf-8").splitlines()
    assert 'licence = "CC0"' in lines and 'format = "CSV"' in lines  # set by hand: kept, even a per-file field
    assert not any(line.startswith("category") for line in lines)  # replaced, not merged


def test_template_errors_are_one_clear_line(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    for args, expected in ((["show", "missing"], "No template 'missing'"),
                           (["save", "empty"], "Nothing to save"),
                           (["save", "bad", "--set", "colour=red"], "--set takes FIELD=VALUE"),
                           (["save", "../escape", "--set", "licence=CC0"], "is not a template name")):
        result = cli(PROFILE, "template", *args, env=env)
        assert result.returncode == 1, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0], (args, result.stderr)
    assert not (tmp_path / "config").exists() or not any((tmp_path / "config").rglob("*.toml"))
