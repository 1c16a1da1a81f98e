"""Per column: what its values hold, accumulated over batches in bounded memory.

A :class:`ColumnScanner` is fed batches of a column's cells (text). Each batch is joined into one
string so every identifier pattern runs once over it at C speed; only the candidates a pattern finds
are validated, at most ``_VALIDATE_CAP`` per kind and batch (the rest are counted from the share that
validated, and the count is marked as estimated). Checks that need each value (names, dates,
coordinates) look at a bounded number of values per batch. Memory is bounded by the caps, whatever
the number of rows.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from planet_gui.core.inspect import person_hints as hints
from planet_gui.core.privacy import patterns as pt

_VALIDATE_CAP = 2000
_SETTLED = 400  # candidates of a kind checked in a column before its verdict counts as settled
_SETTLED_CAP = 25  # candidates checked per batch once settled
_VALUE_CHECKS = 600  # values per batch looked at one by one (names, dates, coordinates)
_DISTINCT_CAP = 5000
_EXAMPLES = 3
_NUMERIC_RE = re.compile(r"[0-9.,+\-eE \n]*")  # fullmatch: a block of numbers only
_DATE_CHECKS = 200  # values per batch parsed as dates: enough to tell births (decades, whole days) from events
_COORD_WORDS = frozenset(("lat", "latitude", "latitudine", "lat_dd", "y_lat", "y", "lon", "long", "lng", "longitude",
                          "longitudine", "lon_dd", "x_lon", "x"))  # as findings._LAT and _LON
_NAME_FIRST = 40  # distinct values looked up before the share may settle the question
_NAME_CHECKS = 150  # distinct values per batch looked up in the names lists (the share is what counts)
_DATE_RE = re.compile(
    r"^(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}))"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?[^\n]*)?$",
    re.MULTILINE,
)
_DIGIT = re.compile(r"\d")
# Whole lines, over "\n" + text + "\n": a literal newline first lets the engine skip to line starts in C (a
# MULTILINE "^" was tried at every character: 50 µs for a column of 500 latitudes)
_YEAR_RE = re.compile(r"\n(1[89]\d\d|20\d\d)(?=\n)")
# 1975-01-31, 31.01.1975: dates, not numbers. Over byte classes (digits 9, "-" and "." a dot), a date holds one of
# two literals: substring searches in C (a regex from the dot stopped at every decimal point of a column of rates).
_DATE_SHAPES = (b"9.9.9", b"9.99.9")
_SEPARATORS = bytearray(b"_" * 256)
for _byte in b"0123456789":
    _SEPARATORS[_byte] = ord("9")
_SEPARATORS[ord("-")] = _SEPARATORS[ord(".")] = ord(".")
_NUMBER_CLASSES = bytes(_SEPARATORS)


def _date_like(block: str) -> bool:
    """Whether a block of numbers holds dates (two separators around one or two digits)."""
    classes = block.encode("ascii", "replace").translate(_NUMBER_CLASSES)
    return _DATE_SHAPES[0] in classes or _DATE_SHAPES[1] in classes


# Where a phone number may start in a block of numbers (the beginning of each form patterns.PHONE_RE takes, after a
# line's start or a blank): "+39…" or "0039…", a mobile (3xx and six digits), a landline (0, one to three digits,
# five more). Latitudes, counts and rates rarely begin so. Each pattern starts with a two-character literal, which
# the regex engine skips to at C speed (a set of first characters was tried at every position: 12 µs a column).
_PHONE_STARTS = tuple(re.compile(before + form) for before in ("\n", " ")
                      for form in (r"3\d\d[ .-]?\d{6}", r"0(?:0|\d{1,3}[ .-]?\d{5})"))
_LINE_MOBILE, _LINE_LANDLINE, _BLANK_MOBILE, _BLANK_LANDLINE = _PHONE_STARTS


def _phone_start(block: str) -> bool:
    return bool(_LINE_MOBILE.search(block) or _LINE_LANDLINE.search(block) or (
        " " in block and (_BLANK_MOBILE.search(block) or _BLANK_LANDLINE.search(block))))


_PHONE_FIRST = re.compile(r"\+|00|3\d\d[ .-]?\d{6}|0\d{1,3}[ .-]?\d{5}")
_PRECISE_RE = re.compile(r"\n(-?\d{1,3}[.,]\d{4,})(?=\n)")


@dataclass
class KindCount:
    found: float = 0.0  # validated matches (extrapolated when not every candidate was checked)
    candidates: int = 0
    checked: int = 0
    valid: int = 0
    context: int = 0  # phone numbers with a word like "tel." or "chiamare" just before, or +39
    context_estimate: float = 0.0  # more of those, extrapolated (see ColumnScanner.add_estimate)
    examples: list[str] = field(default_factory=list)

    @property
    def estimated(self) -> bool:
        return self.checked < self.candidates


@dataclass
class ColumnScanner:
    name: str
    values: int = 0  # non-empty cells (in a byte-level full scan, partly estimated from the samples)
    sampled: int = 0  # non-empty cells looked at one by one (through add)
    numeric: int = 0
    wordy: int = 0  # cells of three words or more (free text)
    letter_cells: int = 0  # cells of one to four letter words
    name_checked: int = 0
    name_hits: int = 0
    name_examples: list[str] = field(default_factory=list)
    dates: int = 0
    timed: int = 0  # dates with a time of day other than midnight
    date_checked: int = 0
    years: int = 0
    min_year: int = 9999
    max_year: int = 0
    distinct_dates: set[str] = field(default_factory=set)
    date_examples: list[str] = field(default_factory=list)
    precise: int = 0
    coord_checked: int = 0
    distinct_coords: set[str] = field(default_factory=set)
    coord_examples: list[str] = field(default_factory=list)
    distinct: set[str] = field(default_factory=set)
    kinds: dict[str, KindCount] = field(default_factory=dict)
    not_births: bool = False  # its dates carry times of day and its name says nothing of births: no more date work

    def __post_init__(self) -> None:
        words = hints.words(self.name)
        # only a column named like a latitude or longitude can hold a person's exact place (findings._coordinates)
        self._coordinates = bool(words) and (words[0] in _COORD_WORDS or words[-1] in _COORD_WORDS)
        self._birth_header = hints.is_birth_date_header(self.name)
        self._hint = hints.hinted_kind(self.name)
        self._place = hints.is_place_header(self.name)  # its values are places: not looked up as names (_words)

    def add(self, cells: list[str]) -> None:
        """One batch of this column's cells (stripped text; empty cells allowed)."""
        present = list(filter(None, cells))
        if not present:
            return
        self.values += len(present)
        self.sampled += len(present)
        block = "\n".join(present)
        numeric = _NUMERIC_RE.fullmatch(block) is not None and not _date_like(block)
        if numeric:
            self.numeric += len(present)
            self._numbers(block, present)
            return
        if len(self.distinct) < _DISTINCT_CAP:  # how many names a column holds (numbers are never names)
            self.distinct.update(present[:_VALUE_CHECKS])
        self._identifiers(block)
        sample = present[:_VALUE_CHECKS]
        self._words(sample)
        self._dates(sample)

    # -- identifiers ----------------------------------------------------------------------------

    def add_found(self, kind: str, text: str, *, context: bool = False) -> None:
        """One validated identifier found by the byte-level full scan (:mod:`fastscan`)."""
        if kind == pt.PHONE and not self._plausible_phone(text):
            return
        count = self.kinds.setdefault(kind, KindCount())
        count.candidates += 1
        count.checked += 1
        count.valid += 1
        count.found += 1
        if context:
            count.context += 1
        if len(count.examples) < _EXAMPLES:
            count.examples.append(pt.mask(kind, text))

    def add_estimate(self, kind: str, amount: float, *, context: float = 0.0) -> None:
        """Identifiers counted but not each validated (a block with more candidates than the scan checks)."""
        count = self.kinds.setdefault(kind, KindCount())
        count.found += amount
        count.candidates += int(round(amount))
        count.context_estimate += context

    def _identifiers(self, block: str) -> None:
        possible, found_streets = pt.prefilters(block)
        for kind in pt.PATTERNS:
            if kind not in possible:
                continue
            matches = pt.matches(kind, block, found_streets)
            if matches:
                self._validate(kind, block, matches)

    def _validate(self, kind: str, block: str, matches: list[re.Match[str]]) -> None:
        count = self.kinds.setdefault(kind, KindCount())
        validator = pt.VALIDATORS[kind]
        checked = valid = 0
        # a kind already settled in this column (hundreds checked, nearly all valid or nearly none): a few more
        # checked per batch, the rest extrapolated, as the full scan's later blocks would only repeat the verdict
        settled = count.checked >= _SETTLED and not 0.05 < count.valid / count.checked < 0.95
        for match in matches[: _SETTLED_CAP if settled else _VALIDATE_CAP]:
            text = match.group()
            checked += 1
            if not validator(text):
                continue
            if kind == pt.PHONE and not self._plausible_phone(text):
                continue
            valid += 1
            if kind == pt.PHONE and self._phone_context(block, match):
                count.context += 1
            if len(count.examples) < _EXAMPLES:
                count.examples.append(pt.mask(kind, text))
        count.candidates += len(matches)
        count.checked += checked
        count.valid += valid
        count.found += valid if checked == len(matches) else valid * len(matches) / max(1, checked)

    def _plausible_phone(self, text: str) -> bool:
        """A bare run of digits is a phone number only as a 10-digit mobile or a 9+-digit landline
        (counts and codes in aggregated data are shorter or do not start so), unless the column is named
        for phones."""
        if not text.isdigit() or self._hint == pt.PHONE:
            return True
        return (text[0] == "3" and len(text) == 10) or (text[0] == "0" and len(text) >= 9)

    @staticmethod
    def _phone_context(block: str, match: re.Match[str]) -> bool:
        text = match.group()
        if text.startswith(("+39", "0039")):
            return True
        start = match.start()
        line_start = block.rfind("\n", 0, start) + 1
        return bool(pt.PHONE_CONTEXT_RE.search(block[max(line_start, start - 30) : start]))

    def _numbers(self, block: str, present: list[str]) -> None:
        # only a phone number or a card number can hide in a block of numbers: each told by a literal search,
        # not the whole prefilter (counts and rates of aggregated data reach here in every column)
        if "80380" in block:
            self._numbers_of(pt.HEALTH_CARD, block)
        if self._hint == pt.PHONE or "+" in block or (block[:1] in "03" and _PHONE_FIRST.match(block) is not None) \
                or _phone_start(block):
            self._numbers_of(pt.PHONE, block)
        sample = present[:_VALUE_CHECKS]
        text = "\n" + (block if len(sample) == len(present) else "\n".join(sample)) + "\n"  # see _PRECISE_RE
        if self._coordinates:
            precise = _PRECISE_RE.findall(text)
            self.coord_checked += len(sample)
            self.precise += len(precise)
            if len(self.distinct_coords) < _DISTINCT_CAP:  # a set's update, not a Python loop over the values
                self.distinct_coords.update(precise[: _DISTINCT_CAP - len(self.distinct_coords)])
            for value in precise[: max(0, _EXAMPLES - len(self.coord_examples))]:
                self.coord_examples.append(pt.mask(pt.COORDINATES, value))
        if self._birth_header:
            years = _YEAR_RE.findall(text)
            self.years += len(years)
            self.date_checked += len(sample)
            if years:
                self._year(int(min(years)))
                self._year(int(max(years)))
            for year in years[: max(0, _EXAMPLES - len(self.date_examples))]:
                self.date_examples.append(year[:2] + "**")

    def _numbers_of(self, kind: str, block: str) -> None:
        matches = pt.matches(kind, block)
        if matches:
            self._validate(kind, block, matches)

    # -- values one by one ----------------------------------------------------------------------

    def _words(self, sample: list[str]) -> None:
        if self._place:
            return  # places, not names; identifiers inside them are still found (and judged on their share)
        # enough to tell codes from words; digits counted by deleting them in C (findall built a list of each)
        head = "".join(sample[:50])[:1000].encode("ascii", "replace")
        if (len(head) - len(head.translate(None, b"0123456789"))) * 4 > len(head):  # codes, dates, numbers: no names
            return
        looked_up = 0
        for value, times in Counter(sample).items():  # each distinct value once (categories repeat)
            if value.count(" ") >= 2 and len(value) >= 15:
                self.wordy += times
                continue
            if _DIGIT.search(value):
                continue
            self.letter_cells += times
            if len(value) <= 3 and value.isupper():
                continue  # a code (AQ, ITA, LAZ), not a name: not looked up, and not counted against the share
            if looked_up >= _NAME_CHECKS or (looked_up >= _NAME_FIRST and self._names_clear()):
                continue  # the share of names is known well enough from the values looked up
            looked_up += 1
            self.name_checked += times
            if hints.looks_like_person_name(value):
                self.name_hits += times
                if len(self.name_examples) < _EXAMPLES:
                    self.name_examples.append(pt.mask(pt.PERSON_NAME, value))

    def _names_clear(self) -> bool:
        """Whether the values looked up so far leave no doubt about the names rule (a share of 0.6): far below or
        far above it."""
        share = self.name_share
        return share < 0.3 or share > 0.9

    def _dates(self, sample: list[str]) -> None:
        if self.not_births or not _DIGIT.search("".join(sample[:20])[:200]):
            return
        sample = sample[:_DATE_CHECKS]
        self.date_checked += len(sample)
        for value, times in Counter(sample).items():  # report dates repeat: each distinct value parsed once
            match = _DATE_RE.match(value)
            if match is None or match.end() != len(value):
                continue
            year, month, day = (match[1], match[2], match[3]) if match[1] else (match[6], match[5], match[4])
            try:
                moment = date(int(year), int(month), int(day))
            except ValueError:
                continue
            self.dates += times
            if match[7] is not None and (int(match[7]), int(match[8] or 0), int(match[9] or 0)) != (0, 0, 0):
                self.timed += times
                if self._hint != pt.BIRTH_DATE:  # moments of the day: events, never births (plausible_birth_dates)
                    self.not_births = True
                    return
            self._year(moment.year)
            if len(self.distinct_dates) < _DISTINCT_CAP:
                self.distinct_dates.add(moment.isoformat())
            if len(self.date_examples) < _EXAMPLES:
                self.date_examples.append(pt.mask(pt.BIRTH_DATE, value))

    def _year(self, year: int) -> None:
        self.min_year = min(self.min_year, year)
        self.max_year = max(self.max_year, year)

    # -- shares -----------------------------------------------------------------------------------

    def share(self, kind: str) -> float:
        count = self.kinds.get(kind)
        # addresses are only looked for in the cells read one by one (the byte-level scan skips them)
        whole = self.sampled if kind == pt.ADDRESS else self.values
        return 0.0 if count is None or not whole else min(1.0, count.found / whole)

    @property
    def free_text(self) -> bool:
        checked = self.wordy + self.letter_cells
        return checked > 0 and self.wordy / max(1, min(self.values, checked + self.numeric)) >= 0.3

    @property
    def name_share(self) -> float:
        return self.name_hits / self.name_checked if self.name_checked else 0.0

    @property
    def date_share(self) -> float:
        return (self.dates + self.years) / self.date_checked if self.date_checked else 0.0

    @property
    def precise_share(self) -> float:
        return self.precise / self.coord_checked if self.coord_checked else 0.0

    def plausible_birth_dates(self) -> bool:
        """Dates that read as people's births: whole days, over decades, rarely repeated, none in the future."""
        if self.dates < 20:
            return False
        this_year = date.today().year
        distinct = len(self.distinct_dates)
        return (
            self.dates >= 20
            and self.date_share >= 0.8
            and self.timed == 0
            and 1900 <= self.min_year
            and self.max_year <= this_year
            and self.max_year - self.min_year >= 15
            and distinct >= 20
            and distinct >= 0.5 * min(self.dates, _DISTINCT_CAP)
        )
