"""The validation rules beyond the schema: each shipped rule on passing and failing objects, and how rules are
found (built in, a module the hook names, refusals of what is not a rule)."""

from __future__ import annotations

import io
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from planet_gui.core.errors import SchemaError
from planet_gui.core.rules import Problem, Rule, RuleSet, load_rules
from planet_gui.core.rules.csv_records import CsvRecordCount
from planet_gui.core.rules.netcdf_time import NetcdfTimeInPeriod
from planet_gui.core.rules.period import PeriodOrder


def _opener(data: bytes) -> Any:
    return lambda: io.BytesIO(data)


# -- period end >= period start ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "end", "ok"), [
    ("2021-01-01", "2021-01-31", True),
    ("2021-01-31", "2021-01-31", True),
    ("2021-01-31T10:00:00", "2021-01-31", True),  # a bare end date covers its whole day
    ("2021-02-01", "2021-01-31", False),
    ("2021-01-31T10:00:00+01:00", "2021-01-31T08:59:00Z", False),
    ("2021-01-31", None, True),
    ("not a date", "2021-01-01", True),  # the schema reports the unreadable date
])
def test_period_order(start: str, end: str | None, ok: bool) -> None:
    problems = PeriodOrder().check({"period_start": start, "period_end": end}, None)
    assert (problems == []) is ok
    if not ok:
        assert problems[0].field == "period_end"
        assert str(problems[0]) == (f"Period end (period_end) {end} is before period start (period_start) {start}")


# -- a CSV's records ----------------------------------------------------------------------------------------------

CSV = "data;regione;casi\n2021-01-01;Umbria;3\n\n2021-01-02;Umbria;5\n2021-01-03;\"Umbria; sud\";7\n"


def test_csv_count_matches_with_the_detected_separator() -> None:
    rule = CsvRecordCount()
    assert rule.check({"format": "CSV", "record_count": 3}, _opener(CSV.encode())) == []


def test_csv_count_that_differs_is_a_problem_naming_both_counts() -> None:
    problems = CsvRecordCount().check({"format": "CSV", "record_count": 15}, _opener(CSV.encode()))
    assert [str(p) for p in problems] == [
        "Records (record_count) says 15, but the file holds 3 records (separator ';')"]
    assert problems[0].field == "record_count"


def test_csv_count_streams_a_file_bigger_than_its_sniffed_head() -> None:
    rows = "".join(f"{i},x{i},{i * 2}\n" for i in range(60_000))  # ~1 MB: several reads past the head
    data = ("n,name,double\n" + rows).encode("cp1252")
    assert CsvRecordCount().check({"format": "CSV", "record_count": 60_000}, _opener(data)) == []
    assert CsvRecordCount().check({"format": "CSV", "record_count": 59_999}, _opener(data)) != []


def test_csv_that_does_not_parse_is_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    from planet_gui.core.rules import csv_records

    monkeypatch.setattr(csv_records, "MAX_RECORD_CHARS", 100_000)
    unclosed = b"a,b\n1,\"" + b"x\n" * (200 * 1024)  # a quote never closed: one record growing line by line
    endless = b"a,b\n1," + b"x" * (200 * 1024)  # a line without end
    for data in (unclosed, endless):
        problems = CsvRecordCount().check({"format": "CSV", "record_count": 1}, _opener(data))
        assert len(problems) == 1 and "does not parse as CSV with the separator ','" in str(problems[0])
        assert "a record is longer than" in str(problems[0])


def test_csv_rule_leaves_other_formats_and_the_client_alone() -> None:
    assert CsvRecordCount().check({"format": "JSON", "record_count": 9}, _opener(b"[]")) == []
    assert CsvRecordCount().check({"format": "CSV", "record_count": 9}, None) == []


# -- a netCDF's time axis -----------------------------------------------------------------------------------------

def _netcdf(path: Path) -> bytes:
    import numpy as np
    import pandas as pd
    import xarray as xr

    times = pd.date_range("2021-01-01", periods=10, freq="D")
    ds = xr.Dataset({"t2m": (("time",), np.zeros(10, dtype="float32"))}, {"time": times})
    ds.to_netcdf(path, format="NETCDF3_64BIT")
    return path.read_bytes()


def test_netcdf_time_axis_within_the_period(tmp_path: Path) -> None:
    data = _netcdf(tmp_path / "a.nc")
    rule = NetcdfTimeInPeriod()
    assert rule.check({"format": "netCDF", "period_start": "2021-01-01", "period_end": "2021-01-10"},
                      _opener(data)) == []
    problems = rule.check({"format": "netCDF", "period_start": "2021-01-02", "period_end": "2021-01-05"},
                          _opener(data))
    assert [p.field for p in problems] == ["period_start", "period_end"]
    assert "its time axis starts at 2021-01-01" in str(problems[0])
    assert "before the declared period start (period_start) 2021-01-02" in str(problems[0])
    assert "its time axis ends at 2021-01-10" in str(problems[1])


def test_netcdf_over_the_cap_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from planet_gui.core.rules import netcdf_time

    data = _netcdf(tmp_path / "a.nc")
    reads: list[int] = []

    class Counting(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            chunk = super().read(size)
            reads.append(len(chunk))
            return chunk

    monkeypatch.setattr(netcdf_time, "MAX_BYTES", 64)
    assert len(data) > 64
    assert NetcdfTimeInPeriod().check({"format": "netCDF", "period_start": "2021-01-05"},
                                      lambda: Counting(data)) == []
    assert sum(reads) <= 65


# -- the rule set --------------------------------------------------------------------------------------------------

def test_builtin_rules_and_which_run_in_the_client() -> None:
    rules = load_rules(plugins=False)
    assert [rule.name for rule in rules.rules] == ["period-order", "csv-records", "netcdf-time-in-period"]
    assert [rule.name for rule in rules.metadata_only().rules] == ["period-order"]
    assert rules.metadata_only(["csv-records"]).rules == ()
    assert all(isinstance(rule, Rule) for rule in rules.rules)
    assert len(rules.version) == 16


def test_a_module_named_in_the_config_adds_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lake_rules_extra.py").write_text(textwrap.dedent("""
        from planet_gui.core.rules import Problem

        class NeedsLicence:
            name = "needs-licence"
            version = "1"
            needs_content = False

            def check(self, metadata, open_stream):
                return [] if metadata.get("licence") else [Problem("a licence is required", field="licence")]

        RULES = [NeedsLicence]
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    rules = load_rules(["lake_rules_extra"], plugins=False)
    assert rules.rules[-1].name == "needs-licence"
    assert rules.version != load_rules(plugins=False).version
    assert [str(p) for p in rules.problems({"period_start": "2021-02-01", "period_end": "2021-01-01"})] == [
        "Period end (period_end) 2021-01-01 is before period start (period_start) 2021-02-01",
        "a licence is required"]
    sys.modules.pop("lake_rules_extra", None)


def test_what_is_not_a_rule_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lake_rules_bad.py").write_text("RULES = [object()]\n")
    (tmp_path / "lake_rules_twice.py").write_text(
        "from planet_gui.core.rules.period import PeriodOrder\nRULES = [PeriodOrder]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(SchemaError, match="not a validation rule"):
        load_rules(["lake_rules_bad"], plugins=False)
    with pytest.raises(SchemaError, match="share the name period-order"):
        load_rules(["lake_rules_twice"], plugins=False)
    with pytest.raises(SchemaError, match="Cannot load the rules module"):
        load_rules(["no_such_rules_module"], plugins=False)


def test_a_rule_that_raises_is_a_problem_not_a_pass() -> None:
    class Broken:
        name = "broken"
        version = "1"
        needs_content = False

        def check(self, metadata: Any, open_stream: Any) -> list[Problem]:
            raise ValueError("boom")

    problems = RuleSet((Broken(),)).problems({})
    assert [str(p) for p in problems] == ["the check broken could not run: boom"]
