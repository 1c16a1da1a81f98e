"""The formats people bring beyond CSV/JSON/netCDF/XLSX: each file is written here by the library that makes such
files (pandas, pyarrow, pyreadstat, odfpy, xlwt, ecCodes), and inspection must give back what was written:
records, fields, period, frequency, regions. Hostile ones (truncated, compression bombs, repeat bombs) get a
clear error or a result in bounded memory, measured in a child process as in test_inspect_hostile.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from planet_gui.core.errors import InspectionError
from planet_gui.core.inspect import inspect_file
from tests.core.test_inspect_hostile import MAX_RSS_MB, MAX_SECONDS, inspect_in_child
from tests.support.grib import italy_grib

ROOT = Path(__file__).resolve().parents[2]
REGIONS = ["Lombardia", "Veneto", "Lazio"]
DAYS = 40
START = date(2020, 2, 24)


def _panel() -> list[tuple[date, str, int, float]]:
    """A DPC-like regional panel: one row per day and region."""
    return [(START + timedelta(days=day), region, day * 10 + index, 45.0 + index / 10)
            for day in range(DAYS) for index, region in enumerate(REGIONS)]


def _frame():  # type: ignore[no-untyped-def]
    import pandas as pd

    frame = pd.DataFrame(_panel(), columns=["data", "denominazione_regione", "totale_casi", "indice"])
    frame["data"] = pd.to_datetime(frame["data"]).astype("datetime64[ns]")  # pyreadstat writes ns only
    return frame


def _write(kind: str, folder: Path) -> Path:
    frame = _frame()
    if kind == "parquet":
        path = folder / "casi.parquet"
        frame.to_parquet(path, row_group_size=25)  # several row groups: the role columns span them
    elif kind == "stata":
        path = folder / "casi.dta"
        frame.to_stata(path, write_index=False, variable_labels={"totale_casi": "Totale casi positivi COVID"})
    elif kind == "spss":
        import pyreadstat

        path = folder / "casi.sav"
        pyreadstat.write_sav(frame, str(path), column_labels={"totale_casi": "Totale casi positivi"})
    elif kind == "sas":
        import pyreadstat

        path = folder / "casi.xpt"
        pyreadstat.write_xport(frame.rename(columns={"denominazione_regione": "regione"}), str(path))
    elif kind == "ods":
        path = folder / "casi.ods"
        frame.to_excel(path, engine="odf", index=False)
    elif kind == "xls":
        import xlwt

        path = folder / "casi.xls"
        book = xlwt.Workbook()
        sheet = book.add_sheet("casi")
        dated = xlwt.easyxf(num_format_str="YYYY-MM-DD")
        for col, name in enumerate(frame.columns):
            sheet.write(0, col, name)
        for row, (day, region, cases, index) in enumerate(_panel(), start=1):
            sheet.write(row, 0, day, dated)
            sheet.write(row, 1, region)
            sheet.write(row, 2, cases)
            sheet.write(row, 3, index)
        book.save(str(path))
    elif kind == "gzip":
        path = folder / "casi.csv.gz"
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            frame.to_csv(handle, index=False)
    elif kind == "zip":
        path = folder / "casi.csv.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("casi.csv", frame.to_csv(index=False))
    else:
        raise AssertionError(kind)
    return path


FORMATS = [("parquet", "Parquet"), ("stata", "Stata"), ("spss", "SPSS"), ("sas", "SAS"), ("ods", "ODS"),
           ("xls", "XLS"), ("gzip", "CSV"), ("zip", "CSV")]


@pytest.mark.parametrize(("kind", "label"), FORMATS, ids=[kind for kind, _ in FORMATS])
def test_inference_matches_what_was_written(kind: str, label: str, tmp_path: Path) -> None:
    path = _write(kind, tmp_path)
    found = inspect_file(path)
    meta = found.metadata
    assert meta["format"] == label, (meta, found.warnings)
    assert meta["record_count"] == DAYS * len(REGIONS)
    assert meta["fields"][0] == "data" and meta["fields"][2:] == ["totale_casi", "indice"]
    assert meta["time_field"] == "data"
    assert meta["period_start"] == START.isoformat()
    assert meta["period_end"] == (START + timedelta(days=DAYS - 1)).isoformat()
    assert meta["frequency"] == "daily"
    assert meta["regions"] == sorted(REGIONS) and meta["state"] == "Italy"
    assert found.details["field_types"]["totale_casi"] == "integer"
    assert found.preview.kind == "table" and len(found.preview.rows) == 20
    assert found.preview.rows[0][1] == REGIONS[0]


def test_renamed_formats_are_known_by_their_bytes(tmp_path: Path) -> None:
    """A Parquet or Stata file without its extension is still read as what it is (magic bytes)."""
    for kind, label in (("parquet", "Parquet"), ("stata", "Stata"), ("spss", "SPSS"), ("gzip", "CSV")):
        path = _write(kind, tmp_path)
        renamed = path.rename(tmp_path / f"export-{kind}.bin")
        assert inspect_file(renamed).metadata["format"] == label


def test_parquet_statistics_come_from_the_footer(tmp_path: Path) -> None:
    found = inspect_file(_write("parquet", tmp_path))
    assert found.details["row_groups"] == 5
    stats = found.details["column_statistics"]["totale_casi"]
    assert (stats["min"], stats["max"], stats["nulls"]) == (0, (DAYS - 1) * 10 + 2, 0)


def test_stata_labels_help_the_category(tmp_path: Path) -> None:
    found = inspect_file(_write("stata", tmp_path))
    assert found.details["variable_labels"]["totale_casi"] == "Totale casi positivi COVID"
    assert found.metadata["category"] == "COVID-19"


def _grib(path: Path, days: int = 5) -> Path:
    pytest.importorskip("eccodes")
    return italy_grib(path, days, start=START)


def test_grib_gets_real_inference(tmp_path: Path) -> None:
    found = inspect_file(_grib(tmp_path / "t2m.grib2"))
    meta = found.metadata
    assert meta["format"] == "GRIB" and meta["fields"] == ["2t", "msl"]
    assert (meta["period_start"], meta["period_end"]) == ("2020-02-24", "2020-02-28")
    assert meta["frequency"] == "daily" and meta["record_count"] == 5
    assert meta["category"] == "Meteorological" and meta["area"] == "Italy"
    assert found.details["messages"] == 10 and found.details["bbox"] == [6.5, 36.5, 18.5, 47.0]


def test_truncated_grib_keeps_the_complete_messages(tmp_path: Path) -> None:
    whole = _grib(tmp_path / "whole.grib2").read_bytes()
    cut = tmp_path / "cut.grib2"
    cut.write_bytes(whole[: len(whole) * 6 // 10 + 50])  # inside a message, not at a boundary
    found = inspect_file(cut)
    assert found.metadata["format"] == "GRIB" and 0 < found.details["messages"] < 10
    assert any("truncated" in warning or "ends in the middle" in warning for warning in found.warnings)


def test_garbage_grib_is_a_clear_error(tmp_path: Path) -> None:
    for name, data in (("noise.grib", bytes(range(256)) * 40), ("header-only.grib", b"GRIB" + bytes(4000))):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(InspectionError) as caught:
            inspect_file(path)
        assert "GRIB" in caught.value.message


def test_grib_without_eccodes_gets_honest_basic_metadata(tmp_path: Path) -> None:
    path = _grib(tmp_path / "t.grib2")
    script = ("import sys, json; sys.modules['eccodes'] = None\n"
              "from planet_gui.core.inspect import inspect_file\n"
              f"found = inspect_file({str(path)!r})\n"
              "print(json.dumps([found.metadata, found.details['messages'], found.warnings]))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    import json

    metadata, messages, warnings = json.loads(result.stdout.strip().splitlines()[-1])
    assert metadata == {"format": "GRIB"} and messages == 10
    assert any("ecCodes is not available" in warning for warning in warnings)


def test_known_but_uninspectable_files_say_so(tmp_path: Path) -> None:
    dicom = tmp_path / "scan.dcm"
    dicom.write_bytes(bytes(128) + b"DICM" + b"\x02\x00\x00\x00UL\x04\x00" + bytes(200))
    renamed = tmp_path / "scan.bin"
    renamed.write_bytes(dicom.read_bytes())
    for path in (dicom, renamed):
        found = inspect_file(path)
        assert found.metadata["format"] == "DICOM" and found.preview.kind == "none"
        assert any("DICOM image: its content is not inspected" in warning for warning in found.warnings)
    png = tmp_path / "plot.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (640).to_bytes(4, "big") + (480).to_bytes(4, "big")
                    + bytes(20))
    found = inspect_file(png)
    assert found.metadata == {"format": "image"} and found.details["image_size"] == {"width": 640, "height": 480}
    assert any("not inspected for content" in warning for warning in found.warnings)


def test_a_pdf_says_what_was_read(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Title": "Bollettino ISTAT"})
    path = tmp_path / "bollettino.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    found = inspect_file(path)
    assert found.metadata["format"] == "PDF" and found.details["pages"] == 1
    assert any("A PDF is a document, not data" in warning for warning in found.warnings)


def test_a_zip_of_several_files_is_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.csv", "x,y\n1,2\n")
        archive.writestr("b.txt", "hello")
    found = inspect_file(path)
    assert found.metadata["format"] == "other" and found.details["members"] == ["a.csv", "b.txt"]
    assert any("not inspected" in warning for warning in found.warnings)


# -- hostile ----------------------------------------------------------------------------------------------

_ODS_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
             b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
             b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
             b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
             b'<table:table table:name="S">')
_ODS_TAIL = b"</table:table></office:spreadsheet></office:body></office:document-content>"


def _ods(path: Path, content: bytes | None = None, *, filler: int = 0) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        if content is not None:
            archive.writestr("content.xml", content)
        else:  # a content.xml of `filler` bytes of spaces inside a cell: a zip bomb
            with archive.open("content.xml", "w", force_zip64=True) as handle:
                handle.write(_ODS_HEAD + b"<table:table-row><table:table-cell><text:p>")
                block = b" " * (1024 * 1024)
                for _ in range(filler // len(block)):
                    handle.write(block)
                handle.write(b"</text:p></table:table-cell></table:table-row>" + _ODS_TAIL)
    return path


def _repeat_bomb(path: Path) -> Path:
    """Rows and cells that say they repeat a billion times: expanded, they would fill any memory."""
    cell = b'<table:table-cell office:value-type="float" office:value="1"/>'
    named = b"".join(b"<table:table-cell><text:p>%s</text:p></table:table-cell>" % name for name in (b"data", b"n"))
    header = b"<table:table-row>" + named + b"</table:table-row>"
    row = (b'<table:table-row table:number-rows-repeated="1000000000">'
           b'<table:table-cell office:value-type="date" office:date-value="2020-02-24"/>'
           + cell.replace(b"/>", b' table:number-columns-repeated="1000000000"/>') + b"</table:table-row>")
    return _ods(path, _ODS_HEAD + header + row + _ODS_TAIL)


def _gzip_bomb(path: Path) -> Path:
    with gzip.open(path, "wb", compresslevel=1) as handle:
        handle.write(b"data,valore\n")
        block = b"2020-01-01,1\n" * 80_000
        for _ in range(100):  # ~100 MB of text in ~0.3 MB
            handle.write(block)
    return path


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("data.csv", "w") as handle:
        handle.write(b"data,valore\n")
        block = bytes(1024 * 1024)
        for _ in range(100):
            handle.write(block)
    return path


def _truncated_parquet(path: Path) -> Path:
    whole = _write("parquet", path.parent)
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    whole.unlink()
    return path


def _lying_parquet(path: Path) -> Path:
    whole = _write("parquet", path.parent)
    data = bytearray(whole.read_bytes())
    data[-8:-4] = (2**31 - 1).to_bytes(4, "little")  # a footer "as long as" 2 GB
    path.write_bytes(bytes(data))
    whole.unlink()
    return path


HOSTILE = [
    ("truncated-parquet", _truncated_parquet, "t.parquet", False, r"truncated or damaged"),
    ("parquet-footer-lies", _lying_parquet, "l.parquet", False, r"damaged Parquet footer"),
    ("gzip-bomb-csv", _gzip_bomb, "b.csv.gz", False, r"compression bomb"),
    ("zip-bomb-csv", _zip_bomb, "b.csv.zip", False, r"zip bomb"),
    ("ods-zip-bomb", lambda p: _ods(p, filler=200 * 1024 * 1024), "b.ods", False, r"zip bomb"),
    ("ods-repeat-bomb", _repeat_bomb, "r.ods", True, r""),
]


@pytest.mark.timeout(180)
@pytest.mark.parametrize(("name", "build", "filename", "ok", "pattern"), HOSTILE, ids=[case[0] for case in HOSTILE])
def test_hostile_files_are_bounded(name: str, build, filename: str, ok: bool, pattern: str,  # type: ignore[no-untyped-def]
                                   tmp_path: Path) -> None:
    import re

    path = build(tmp_path / filename)
    answer, _rss, _wall = inspect_in_child(path)
    print(name, answer)
    assert float(answer["seconds"]) < MAX_SECONDS, answer  # type: ignore[arg-type]
    assert float(answer["vmhwm_mb"]) < MAX_RSS_MB, answer  # type: ignore[arg-type]
    assert answer["ok"] is ok, answer
    if not ok:
        message = str(answer["error"])
        assert re.search(pattern, message), message
        assert "Traceback" not in message and len(message) < 600


def test_repeat_bomb_counts_rows_without_expanding_them(tmp_path: Path) -> None:
    found = inspect_file(_repeat_bomb(tmp_path / "r.ods"))
    assert found.metadata["record_count"] == 1_000_000_000
    assert len(found.metadata["fields"]) == 2
    assert found.metadata["period_start"] == "2020-02-24" and found.metadata["frequency"] == "snapshot"


def test_a_big_parquet_file_is_sampled_head_and_tail_with_exact_ends(tmp_path: Path) -> None:
    """Over _FULL_ROWS rows, only the first and last batches' role columns are read: the record count is the
    footer's, the period runs from the very first to the very last row."""
    import pandas as pd

    from planet_gui.core.inspect import parquet

    rows = parquet._FULL_ROWS + 100_000
    frame = pd.DataFrame({"ora": pd.date_range("1950-01-01", periods=rows, freq="h"), "valore": range(rows)})
    path = tmp_path / "orario.parquet"
    frame.to_parquet(path, row_group_size=100_000)
    found = inspect_file(path)
    meta = found.metadata
    assert meta["record_count"] == rows and meta["frequency"] == "hourly"
    assert meta["period_start"] == "1950-01-01T00:00:00"
    assert meta["period_end"] == frame["ora"].iloc[-1].isoformat()
    assert found.details["time_sampled"] is True
