"""Detection of personal data: every planted identifier column is found, in every shape; public aggregated data
gives no finding at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from planet_gui.core.privacy import scan_file, scan_stream
from planet_gui.core.privacy.patterns import mask
from tests.core.privacy_tables import COLUMNS, EXPECTED, people, write_csv, write_json, write_xlsx

NEUTRAL = [f"col{index + 1}" for index in range(len(COLUMNS))]
# Without a header to go by, a column is known by its values alone.
EXPECTED_NEUTRAL = {f"col{COLUMNS.index(name) + 1}": kind for name, kind in EXPECTED.items()}


def _found(report: object) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in report.findings:  # type: ignore[attr-defined]
        found.setdefault(finding.column, set()).add(finding.kind)
    return found


def _assert_all_found(report: object, expected: dict[str, str]) -> None:
    assert report.personal_data  # type: ignore[attr-defined]
    found = _found(report)
    missing = {column: kind for column, kind in expected.items() if kind not in found.get(column, set())}
    assert not missing, f"not found: {missing}; found: {found}"
    extra = {column: kinds for column, kinds in found.items() if column not in expected}
    assert not extra, f"flagged columns that hold no personal data: {extra}"


@pytest.fixture(scope="module")
def rows() -> list[list[str]]:
    return people(600)


def test_named_columns_csv(tmp_path: Path, rows: list[list[str]]) -> None:
    report = scan_file(write_csv(tmp_path / "pazienti.csv", rows))
    _assert_all_found(report, EXPECTED)
    assert not report.full and report.rows == 500  # the pre-upload sample: the first 500 rows
    small = scan_file(write_csv(tmp_path / "few.csv", rows[:100]))
    assert small.full and small.rows == 100  # a file within the sample is read whole


def test_neutral_column_names(tmp_path: Path, rows: list[list[str]]) -> None:
    report = scan_file(write_csv(tmp_path / "export.csv", rows, columns=NEUTRAL))
    _assert_all_found(report, EXPECTED_NEUTRAL)


def test_semicolon_latin1(tmp_path: Path, rows: list[list[str]]) -> None:
    path = write_csv(tmp_path / "excel.csv", rows, delimiter=";", encoding="cp1252")
    assert "ì".encode("cp1252") in path.read_bytes()  # the notes' accents really are latin-1
    report = scan_file(path)
    assert report.details["separator"] == ";"
    _assert_all_found(report, EXPECTED)


def test_utf8_bom_tsv(tmp_path: Path, rows: list[list[str]]) -> None:
    path = write_csv(tmp_path / "dati.tsv", rows, delimiter="\t", encoding="utf-8-sig")
    report = scan_file(path)
    _assert_all_found(report, EXPECTED)
    assert "nome" in _found(report)  # the BOM is not part of the first column's name


def test_xlsx(tmp_path: Path, rows: list[list[str]]) -> None:
    report = scan_file(write_xlsx(tmp_path / "pazienti.xlsx", rows))
    assert report.format == "xlsx"
    _assert_all_found(report, EXPECTED)


def test_json_records(tmp_path: Path, rows: list[list[str]]) -> None:
    report = scan_file(write_json(tmp_path / "pazienti.json", rows))
    assert report.format == "json"
    _assert_all_found(report, {f"records.{name}": kind for name, kind in EXPECTED.items()})


def test_free_text_identifiers_are_counted(tmp_path: Path, rows: list[list[str]]) -> None:
    report = scan_file(write_csv(tmp_path / "pazienti.csv", rows))
    note = next(f for f in report.findings if f.column == "note")
    assert note.kind == "free_text"
    planted = sum(1 for index in range(len(rows)) if index % 10 == 3)
    assert 0.8 * planted <= note.count <= planted
    assert set(note.embedded) <= {"phone", "email", "codice_fiscale"} and len(note.embedded) >= 2


def test_examples_are_masked(tmp_path: Path, rows: list[list[str]]) -> None:
    report = scan_file(write_csv(tmp_path / "pazienti.csv", rows))
    every_value = {cell for row in rows for cell in row}
    for finding in report.findings:
        assert finding.examples, finding.column
        for example in finding.examples:
            assert example not in every_value
            assert "*" in example


def test_full_scan_finds_an_identifier_past_the_sample(tmp_path: Path) -> None:
    """A codice fiscale hidden in a note far past the first MiB: the sample misses it, the full scan does not."""
    path = tmp_path / "report.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("giorno,regione,casi,note\n")
        for index in range(60_000):
            handle.write(f"2024-01-{index % 28 + 1:02d},Lombardia,{index},nessuna nota per oggi\n")
        handle.write("2024-02-01,Lombardia,7,segnalato da RSSMRA85T10A562S al reparto\n")
    sample = scan_file(path)
    assert not sample.personal_data and not sample.full
    full = scan_file(path, full=True)
    assert full.full and full.rows == 60_001
    assert [(f.column, f.kind, f.embedded) for f in full.findings] == [("note", "free_text", {"codice_fiscale": 1})]
    with path.open("rb") as handle:  # what the hook does with an object's body
        streamed = scan_stream(handle, "report.csv")
    assert streamed.to_json()["findings"] == full.to_json()["findings"]


@pytest.mark.parametrize("columns", [None, NEUTRAL])
def test_full_scan_of_a_big_file_finds_every_planted_column(tmp_path: Path, columns: list[str] | None) -> None:
    """Past the first MiB the full scan reads raw bytes (identifiers) and spread samples (names, dates): the same
    columns are found, quoted notes with commas included."""
    rows = people(9000, seed=21)
    path = write_csv(tmp_path / "big.csv", rows, **({"columns": columns} if columns else {}))
    assert path.stat().st_size > 1024 * 1024
    report = scan_file(path, full=True)
    assert report.details.get("method") == "bytes" and report.rows == len(rows)
    _assert_all_found(report, EXPECTED_NEUTRAL if columns else EXPECTED)
    by_kind = {f.kind: f for f in report.findings}
    assert 0.95 * len(rows) <= by_kind["codice_fiscale"].count <= len(rows)
    assert 0.95 * len(rows) <= by_kind["email"].count <= len(rows)
    note = by_kind["free_text"]
    assert set(note.embedded) == {"codice_fiscale", "email", "phone"}
    # Beside a column holding one per row, the note's few are counted from the validated candidates of each block
    # (at most 96 per kind): an estimate, marked so, not a count.
    assert note.estimated and 0.5 * len(rows) / 10 <= note.count <= 1.5 * len(rows) / 10


def test_invalid_check_characters_are_not_codici_fiscali(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text("id,codice\n" + "".join(f"{i},RSSMRA85T10A562{c}\n" for i, c in enumerate("ABCDEFGHIJ")),
                    encoding="utf-8")  # only S is the right check character
    assert not scan_file(path).personal_data
    path.write_text("id,codice\n1,RSSMRA85T10A562S\n2,RSSMRA85T1LA562V\n", encoding="utf-8")  # omocodia: L for 0
    report = scan_file(path)
    assert [(f.column, f.kind, f.count) for f in report.findings] == [("codice", "codice_fiscale", 2)]


def test_station_coordinates_are_not_persons(tmp_path: Path) -> None:
    path = tmp_path / "stazioni.csv"
    lines = ["stazione,lat,lon,pm10"] + [f"S{i},{45 + i / 997:.6f},{9 + i / 991:.6f},{i % 50}" for i in range(300)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not scan_file(path).personal_data


def test_person_coordinates_are(tmp_path: Path, rows: list[list[str]]) -> None:
    path = tmp_path / "domicili.csv"
    lines = ["cognome,lat,lon"] + [f"{row[1]},{45 + i / 997:.6f},{9 + i / 991:.6f}" for i, row in enumerate(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _found(scan_file(path)) == {"cognome": {"person_name"}, "lat": {"coordinates"}, "lon": {"coordinates"}}


def test_masks() -> None:
    assert mask("codice_fiscale", "RSSMRA85T10A562S") == "RSSM***********S"
    assert mask("email", "mario.rossi@asl.it") == "m***@a***.it"
    assert mask("phone", "+39 333 1234567") == "+39 33* ******7"
    assert mask("person_name", "Mario Rossi") == "M*** R***"


def test_shared_testdata_has_no_false_positives(testdata: Path) -> None:
    """Public aggregated data (regions, provinces, ISTAT and NUTS codes, report dates): nothing personal, sampled
    or read whole."""
    files = sorted(path for path in testdata.rglob("*") if path.is_file() and path.name != "SOURCES.md")
    assert files
    for path in files:
        for full in (False, True):
            report = scan_file(path, full=full)
            assert not report.findings, f"{path.name}: {[f.to_json() for f in report.findings]}"


# Omocodia replaces a codice fiscale's digits (1-based positions 7, 8, 10, 11, 13, 14, 15) with L M N P Q R S T U V,
# from the right: 15, 14, 13, 11, 10, then the year's 8 and 7. A code that needs all seven is sixteen letters.
_OMO_LETTERS = "LMNPQRSTUV"
_OMO_ORDER = (14, 13, 12, 10, 9, 7, 6)  # 0-based


def _omocodic(code: str, substituted: int) -> str:
    from stdnum.it import codicefiscale

    chars = list(code[:15])
    for index in _OMO_ORDER[:substituted]:
        chars[index] = _OMO_LETTERS[int(chars[index])]
    body = "".join(chars)
    return body + codicefiscale.calc_check_digit(body)


def _omocodic_codes(count: int, substituted: int) -> list[str]:
    from faker import Faker

    fake = Faker("it_IT")
    fake.seed_instance(18)
    return [_omocodic(fake.ssn(), substituted) for _ in range(count)]


def test_omocodic_codes_are_valid_and_letters_where_substituted() -> None:
    from stdnum.it import codicefiscale

    for substituted in range(8):
        for code in _omocodic_codes(20, substituted):
            assert codicefiscale.is_valid(code)
            assert sum(ch.isdigit() for ch in code) == 7 - substituted
    assert all(code.isalpha() for code in _omocodic_codes(20, 7))


@pytest.mark.parametrize("substituted", [6, 7])
def test_codes_substituted_up_to_the_year_are_found(tmp_path: Path, substituted: int) -> None:
    """A year in letters (six or seven substitutions, the second a code of sixteen letters): found in a column, in
    free text, before upload and by the full scan (over raw bytes past the sample)."""
    codes = _omocodic_codes(300, substituted)
    path = tmp_path / "codes.csv"
    path.write_text("id,codice,note\n" + "".join(f"{i},{code},nessuna nota\n" for i, code in enumerate(codes)),
                    encoding="utf-8")
    report = scan_file(path)
    assert [(f.column, f.kind, f.count) for f in report.findings] == [("codice", "codice_fiscale", len(codes))]
    note = tmp_path / "note.csv"
    note.write_text("id,note\n" + "".join(f"{i},paziente {codes[i]} ricoverato ieri in reparto\n" if i % 10 == 0
                                          else f"{i},nessuna segnalazione automatizzazione ricoverato\n"
                                          for i in range(300)), encoding="utf-8")
    assert [(f.column, f.kind, f.embedded) for f in scan_file(note).findings] == \
        [("note", "free_text", {"codice_fiscale": 30})]
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8", newline="") as handle:
        handle.write("giorno,regione,casi,note\n")
        for index in range(60_000):  # past the sample (the first 200 lines of each block), one note in 200
            note_text = f"segnalato da {codes[index // 200]} al reparto" if index % 200 == 199 else "nessuna nota"
            handle.write(f"2024-01-{index % 28 + 1:02d},Lombardia,{index},{note_text}\n")
    full = scan_file(big, full=True)
    assert full.details.get("method") == "bytes"
    assert [f.column for f in full.findings] == ["note"]
    found = full.findings[0]
    count = found.count if found.kind == "codice_fiscale" else found.embedded["codice_fiscale"]
    assert 0.5 * len(codes) <= count <= 1.5 * len(codes)


def test_sixteen_letter_words_are_not_codes(tmp_path: Path) -> None:
    """A long word has a codice fiscale's length and no digit: only its shape and stdnum's check tell it apart."""
    from stdnum.it import codicefiscale

    words = ["automatizzazione", "ABCDEFLMNPQRSTUV", "PRECIPITEVOLISSIMEVOLMENTE", "LMNPQRLMLMNLMNPQ"]
    assert not any(codicefiscale.is_valid(word.upper()) for word in words)
    path = tmp_path / "words.csv"
    path.write_text("id,parola\n" + "".join(f"{i},{word}\n" for i, word in enumerate(words * 50)), encoding="utf-8")
    assert not scan_file(path).findings
    assert not scan_file(path, full=True).findings
