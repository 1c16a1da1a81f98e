"""Pseudonymised copies of JSON records and XLSX workbooks: the chosen fields replaced by the same keyed pseudonyms
a CSV gets (or removed), the rows and every other value as they were, the original untouched."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest

from planet_gui.core.privacy import scan_file
from planet_gui.core.privacy.pseudonymise import PseudonymiseError, pseudonymise, sidecar_note
from tests.core.privacy_tables import COLUMNS, people, write_json, write_xlsx

KEY = bytes(range(32))
CHOSEN = ["nome", "cognome", "codice_fiscale", "email"]
DROPPED = ["telefono", "iban"]


def _pseudonym(value: str, key: bytes = KEY) -> str:
    return "ps_" + hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("scan_names", [False, True], ids=["fields", "scan-names"])
def test_json_records(tmp_path: Path, scan_names: bool) -> None:
    rows = people(200, seed=4)
    source = write_json(tmp_path / "pazienti.json", rows)
    before = _sha(source)
    prefix = "records." if scan_names else ""  # as the scan's findings name them, or by the field alone
    out = tmp_path / "pseudo.json"
    result = pseudonymise(source, out, columns=[prefix + name for name in CHOSEN],
                          drop=[prefix + name for name in DROPPED], key=KEY)
    assert _sha(source) == before == result.source_sha256 and result.output_sha256 == _sha(out)
    assert result.rows == len(rows)
    original = json.loads(source.read_text(encoding="utf-8"))["records"]
    copied = json.loads(out.read_text(encoding="utf-8"))["records"]
    assert len(copied) == len(original)
    for old, new in zip(original, copied, strict=True):
        assert list(new) == [name for name in COLUMNS if name not in DROPPED]  # order kept, dropped ones gone
        for name in new:
            assert new[name] == (_pseudonym(old[name]) if name in CHOSEN else old[name]), name
    assert sidecar_note(out) == result.metadata_note()
    kinds = {finding.column: finding.kind for finding in scan_file(out, full=True).findings}
    assert not {f"records.{name}" for name in CHOSEN + DROPPED} & set(kinds), kinds  # nothing left to find there


def test_xlsx(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    rows = people(150, seed=5)
    source = write_xlsx(tmp_path / "pazienti.xlsx", rows)
    before = _sha(source)
    out = tmp_path / "pseudo.xlsx"
    result = pseudonymise(source, out, columns=CHOSEN, drop=DROPPED, key=KEY)
    again = pseudonymise(source, tmp_path / "again.xlsx", columns=CHOSEN, drop=DROPPED, key=KEY)
    assert _sha(source) == before == result.source_sha256
    assert result.rows == len(rows)
    original = list(load_workbook(source).active.iter_rows(values_only=True))
    copied = list(load_workbook(out).active.iter_rows(values_only=True))
    assert list(load_workbook(again.output).active.iter_rows(values_only=True)) == copied  # stable per key
    kept = [name for name in COLUMNS if name not in DROPPED]
    assert list(copied[0]) == kept and len(copied) == len(original)
    for old, new in zip(original[1:], copied[1:], strict=True):
        values = dict(zip(COLUMNS, old, strict=True))
        expected = [_pseudonym(values[name]) if name in CHOSEN else values[name] for name in kept]
        assert list(new) == expected  # the birth dates stay dates, every other cell as it was


def test_unknown_column_and_other_formats_are_clear_errors(tmp_path: Path) -> None:
    source = write_json(tmp_path / "pazienti.json", people(5))
    with pytest.raises(PseudonymiseError, match="No column named cellulare"):
        pseudonymise(source, tmp_path / "out.json", columns=["cellulare"], key=KEY)
    assert not (tmp_path / "out.json").exists()
    other = tmp_path / "dati.json"
    other.write_text('{"a": 1, "b": [1, 2]}', encoding="utf-8")
    with pytest.raises(PseudonymiseError, match="does not hold records"):
        pseudonymise(other, tmp_path / "out2.json", columns=["a"], key=KEY)
    parquet = tmp_path / "x.parquet"
    parquet.write_bytes(b"PAR1" + b"\0" * 100 + b"PAR1")
    with pytest.raises(PseudonymiseError, match="can be pseudonymised"):
        pseudonymise(parquet, tmp_path / "out.parquet", columns=["a"], key=KEY)
