"""Pseudonymised copies: chosen columns replaced by keyed pseudonyms or dropped, every other byte as it was, the
original untouched, the same pseudonym for the same value and key."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from pathlib import Path

import pytest

from planet_gui.core.privacy import scan_file
from planet_gui.core.privacy.keystore import PseudonymKeys
from planet_gui.core.privacy.pseudonymise import PseudonymiseError, pseudonymise, sidecar_note
from tests.core.privacy_tables import COLUMNS, people, write_csv

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def _expected_pseudonym(key: bytes, value: str) -> str:
    return "ps_" + hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("delimiter", "encoding"), [(",", "utf-8"), (";", "cp1252"), ("\t", "utf-8-sig")])
def test_copy_differs_only_in_the_chosen_columns(tmp_path: Path, delimiter: str, encoding: str) -> None:
    rows = people(300, seed=11)
    for index in range(0, 300, 7):  # cells that need quoting: separators, quotes, line breaks
        rows[index][10] = f'Nota "urgente"{delimiter} richiamare\ndomani'
    source = write_csv(tmp_path / "pazienti.csv", rows, delimiter=delimiter, encoding=encoding)
    before = _sha(source)
    out = tmp_path / "pseudo.csv"
    chosen, dropped = ["nome", "cognome", "codice_fiscale"], ["telefono"]
    result = pseudonymise(source, out, columns=chosen, drop=dropped, key=KEY)

    assert _sha(source) == before == result.source_sha256  # the original never changes
    assert result.rows == len(rows)
    # The copy is exactly what writing the same rows with the replacements gives: every other field, its quoting,
    # the separators and the CRLF line ends are byte for byte the original's.
    keep = [index for index, name in enumerate(COLUMNS) if name not in dropped]
    replaced = {COLUMNS.index(name) for name in chosen}
    expected_rows = [[_expected_pseudonym(KEY, row[i]) if i in replaced else row[i] for i in keep] for row in rows]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([COLUMNS[i] for i in keep])
    writer.writerows(expected_rows)
    assert out.read_bytes() == buffer.getvalue().encode(encoding)
    assert result.output_sha256 == _sha(out)

    sidecar = json.loads(Path(result.sidecar).read_text(encoding="utf-8"))
    assert sidecar["pseudonymised"] == chosen and sidecar["dropped"] == dropped and sidecar["rows"] == 300
    assert "pseudonymised nome,cognome,codice_fiscale; dropped telefono" in result.metadata_note()
    assert sidecar_note(out) == result.metadata_note()  # what an upload of the copy records
    found = {f.column for f in scan_file(out).findings}  # the replaced columns are no longer found
    assert not found & {"nome", "cognome", "codice_fiscale", "telefono"}


def test_unusual_quoting_is_kept(tmp_path: Path) -> None:
    """Quoting no csv writer would produce (needless quotes, blanks around fields) stays as it was."""
    source = tmp_path / "odd.csv"
    source.write_bytes(b'\xef\xbb\xbfsep=,\n"id", nome ,"note"\n"1", Mario ,"a ""b"", c"\n2,"Anna",\n\n3,,x\n')
    out = tmp_path / "odd-pseudo.csv"
    pseudonymise(source, out, columns=["nome"], key=KEY)
    mario, anna = _expected_pseudonym(KEY, "Mario"), _expected_pseudonym(KEY, "Anna")
    assert out.read_bytes() == (
        b'\xef\xbb\xbfsep=,\n"id", nome ,"note"\n"1",' + mario.encode() + b',"a ""b"", c"\n2,' + anna.encode()
        + b",\n\n3,,x\n"
    )


def test_the_record_belongs_to_its_copy_only(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "a.csv", people(20, seed=3))
    out = tmp_path / "b.csv"
    pseudonymise(source, out, columns=["nome"], key=KEY)
    assert sidecar_note(out) is not None and sidecar_note(source) is None
    out.write_bytes(out.read_bytes() + b"x,y\r\n")  # changed after the fact: the record no longer describes it
    assert sidecar_note(out) is None


def test_pseudonyms_are_stable_per_key(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "a.csv", people(50, seed=3))
    first, second, other = tmp_path / "1.csv", tmp_path / "2.csv", tmp_path / "3.csv"
    pseudonymise(source, first, columns=["codice_fiscale"], key=KEY)
    pseudonymise(source, second, columns=["codice_fiscale"], key=KEY)
    pseudonymise(source, other, columns=["codice_fiscale"], key=OTHER_KEY)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_refusals(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "a.csv", people(5, seed=3))
    before = _sha(source)
    with pytest.raises(PseudonymiseError, match="another file"):
        pseudonymise(source, source, columns=["nome"], key=KEY)
    with pytest.raises(PseudonymiseError, match="No column named nomi"):
        pseudonymise(source, tmp_path / "b.csv", columns=["nomi"], key=KEY)
    assert not (tmp_path / "b.csv").exists() and not list(tmp_path.glob(".*.partial"))
    (tmp_path / "c.csv").write_text("x", encoding="utf-8")
    with pytest.raises(PseudonymiseError, match="already exists"):
        pseudonymise(source, tmp_path / "c.csv", columns=["nome"], key=KEY)
    assert _sha(source) == before


def test_project_keys_live_in_the_keyring() -> None:
    keys = PseudonymKeys()
    if not keys.persistent:
        pytest.skip("no secure keyring in this session (the test runner provides one)")
    first = keys.key("project-a")
    assert len(first) == 32
    assert PseudonymKeys().key("project-a") == first  # a new process would read the same key
    assert PseudonymKeys().key("project-b") != first
    assert keys.key_id("project-a") == PseudonymKeys().key_id("project-a") and first.hex() not in keys.key_id("a")
