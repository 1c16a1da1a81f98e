"""From what each column holds to findings: which kind, how many, masked examples, how sure.

Rules are conservative where aggregated public data could look personal: a checksum-validated
identifier (codice fiscale, IBAN, TEAM card) or an e-mail address counts wherever it appears; a phone
number counts as a column when most values are phones, and in free text only next to a word such as
"tel." or with +39; names, birth dates and addresses need a share of the column; a birth date known
only from its values, and exact coordinates, count only in a table that already holds other
personal data (station coordinates and event dates are not people).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from planet_gui.core.inspect import person_hints as hints
from planet_gui.core.privacy import patterns as pt
from planet_gui.core.privacy.columns import ColumnScanner

_STRONG = (pt.CODICE_FISCALE, pt.HEALTH_CARD, pt.IBAN, pt.EMAIL)
_LAT = ("lat", "latitude", "latitudine", "lat_dd", "y_lat", "y")
_LON = ("lon", "long", "lng", "longitude", "longitudine", "lon_dd", "x_lon", "x")


@dataclass
class ColumnFinding:
    """One kind of personal data found in one column."""

    column: str
    kind: str
    count: int  # values (or, in free text, identifiers) found
    values: int  # non-empty values looked at
    share: float
    confidence: float
    examples: list[str] = field(default_factory=list)  # masked, never a whole value
    embedded: dict[str, int] = field(default_factory=dict)  # free text: identifiers inside it, by kind
    estimated: bool = False  # the count extrapolates from the candidates that were validated
    table: str = ""  # the sheet (XLSX with several sheets) or JSON path, when not the only table

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["share"] = round(self.share, 3)
        data["confidence"] = round(self.confidence, 2)
        if not self.embedded:
            data.pop("embedded")
        if not self.table:
            data.pop("table")
        return data


def judge_table(scanners: list[ColumnScanner], *, table: str = "") -> list[ColumnFinding]:
    """Findings of one table, column by column, then the rules that need the whole table."""
    findings: list[ColumnFinding] = []
    birth_candidates: list[ColumnScanner] = []
    for scanner in scanners:
        found = _judge_column(scanner)
        if not any(f.kind == pt.BIRTH_DATE for f in found) and scanner.plausible_birth_dates():
            birth_candidates.append(scanner)
        findings.extend(found)
    if findings:  # the table holds people: their dates and exact places are theirs too
        for scanner in birth_candidates:
            share = scanner.date_share
            findings.append(_finding(scanner, pt.BIRTH_DATE, scanner.values * share, share, 0.6, scanner.date_examples))
        findings.extend(_coordinates(scanners))
    for finding in findings:
        finding.table = table
    order = {scanner.name: index for index, scanner in enumerate(scanners)}
    findings.sort(key=lambda f: (order.get(f.column, 0), pt.KINDS.index(f.kind)))
    return findings


def _finding(scanner: ColumnScanner, kind: str, count: float, share: float, confidence: float,
             examples: list[str], *, estimated: bool = False) -> ColumnFinding:
    if kind != pt.FREE_TEXT:  # an extrapolated count may overshoot: a column holds one per value at most
        count = min(count, scanner.values)
    return ColumnFinding(column=scanner.name, kind=kind, count=int(round(count)), values=scanner.values,
                         share=share, confidence=min(0.99, confidence), examples=list(examples),
                         estimated=estimated)


def _judge_column(scanner: ColumnScanner) -> list[ColumnFinding]:
    if not scanner.values:
        return []
    hint = hints.hinted_kind(scanner.name)
    if not scanner.kinds and not scanner.name_hits and hint not in (pt.PERSON_NAME, pt.BIRTH_DATE):
        return []  # nothing matched, no name in the lists, a name that says nothing: most columns end here
    found: list[ColumnFinding] = []
    for kind in (*_STRONG, pt.PHONE, pt.ADDRESS):
        count = scanner.kinds.get(kind)
        if count is None or count.valid == 0:
            continue
        share = scanner.share(kind)
        if kind == pt.PHONE:
            if not (share >= 0.5 or (hint == pt.PHONE and share >= 0.2) or (share >= 0.2 and count.context)):
                continue
        elif kind == pt.ADDRESS:
            if not (share >= 0.3 or (hint == pt.ADDRESS and share >= 0.1)):
                continue
        confidence = 0.9 + 0.1 * share if kind in _STRONG else 0.6 + 0.4 * share
        found.append(_finding(scanner, kind, count.found, share, confidence, count.examples,
                              estimated=count.estimated))
    if scanner.free_text and not any(finding.share >= 0.3 for finding in found):
        return _judge_free_text(scanner)  # text with identifiers inside, not a column of identifiers
    letters = scanner.letter_cells / max(1, min(scanner.values, scanner.name_checked + scanner.numeric))
    name_share = scanner.name_share
    if (name_share >= 0.6 and len(scanner.distinct) >= 5) or (hint == pt.PERSON_NAME and letters >= 0.8):
        confidence = 0.6 + 0.4 * name_share if name_share >= 0.6 else 0.6 + 0.3 * name_share
        if hint == pt.PERSON_NAME:
            confidence += 0.1
        found.append(_finding(scanner, pt.PERSON_NAME, scanner.values * name_share if name_share >= 0.6 else
                              scanner.values, name_share, confidence, scanner.name_examples))
    if hint == pt.BIRTH_DATE and scanner.date_share >= 0.5:
        found.append(_finding(scanner, pt.BIRTH_DATE, scanner.values * scanner.date_share, scanner.date_share, 0.9,
                              scanner.date_examples))
    return found


def _judge_free_text(scanner: ColumnScanner) -> list[ColumnFinding]:
    embedded: dict[str, int] = {}
    examples: list[str] = []
    estimated = False
    for kind in (*_STRONG, pt.PHONE, pt.ADDRESS):
        count = scanner.kinds.get(kind)
        if count is None or count.valid == 0:
            continue
        number = round(count.context + count.context_estimate) if kind == pt.PHONE else round(count.found)
        if number <= 0:
            continue
        embedded[kind] = int(number)
        examples.extend(count.examples[:1])
        estimated = estimated or count.estimated
    if not embedded:
        return []
    strong = any(kind in embedded for kind in (*_STRONG, pt.PHONE))
    total = sum(embedded.values())
    finding = _finding(scanner, pt.FREE_TEXT, total, min(1.0, total / scanner.values), 0.9 if strong else 0.6,
                       examples[:3], estimated=estimated)
    finding.embedded = embedded
    return [finding]


def _coordinates(scanners: list[ColumnScanner]) -> list[ColumnFinding]:
    """Exact latitude and longitude per row, in a table about people."""
    lat = lon = None
    for scanner in scanners:
        words = hints.words(scanner.name)
        if not words:
            continue
        if lat is None and (words[0] in _LAT or words[-1] in _LAT):
            lat = scanner
        elif lon is None and (words[0] in _LON or words[-1] in _LON):
            lon = scanner
    if lat is None or lon is None:
        return []
    found = []
    for scanner in (lat, lon):
        precise = scanner.precise_share
        distinct = len(scanner.distinct_coords)
        if precise < 0.8 or distinct < max(5, 0.5 * min(scanner.precise, 5000)):
            return []
        found.append(_finding(scanner, pt.COORDINATES, scanner.precise, precise, 0.7, scanner.coord_examples))
    return found
