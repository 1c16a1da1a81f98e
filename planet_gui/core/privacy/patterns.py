"""What a direct identifier looks like, and how it is confirmed.

Each kind has a regular expression that finds *candidates* cheaply over a whole block of text (many
values joined by newlines), and a validator from a maintained library that confirms a candidate: the
check character of a codice fiscale (omocodia included) with python-stdnum, an IBAN's check digits
with stdnum.iban, a TEAM card number's Luhn digit, a phone number with Google's phonenumbers. Only
candidates are validated, so clean text costs one regex pass.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from functools import lru_cache

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.it import codicefiscale

# Kinds, in the order a column is labelled when it holds several.
CODICE_FISCALE = "codice_fiscale"
HEALTH_CARD = "health_card"  # tessera sanitaria / TEAM card number
IBAN = "iban"
EMAIL = "email"
PHONE = "phone"
ADDRESS = "address"
PERSON_NAME = "person_name"
BIRTH_DATE = "birth_date"
COORDINATES = "coordinates"
FREE_TEXT = "free_text"  # a text column with identifiers inside it
KINDS = (CODICE_FISCALE, HEALTH_CARD, IBAN, EMAIL, PHONE, ADDRESS, PERSON_NAME, BIRTH_DATE, COORDINATES, FREE_TEXT)

_OMO = "0-9LMNPQRSTUVlmnpqrstuv"  # a digit, or the letter omocodia puts in its place
CF_RE = re.compile(
    rf"(?<![A-Za-z0-9])[A-Za-z]{{6}}[{_OMO}]{{2}}[ABCDEHLMPRSTabcdehlmprst][{_OMO}]{{2}}[A-Za-z][{_OMO}]{{3}}[A-Za-z]"
    r"(?![A-Za-z0-9])"
)
# A TEAM / tessera sanitaria card number: 20 digits, 80 (health) + 380 (Italy) + issuer + serial + Luhn digit.
CARD_RE = re.compile(r"(?<!\d)80380\d{15}(?!\d)")
IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}")
# Phone numbers written as one: Italian mobiles (3xx) and landlines (0x), optionally +39/0039, with at most
# a separator after the prefix. Free text needs more (see PHONE_CONTEXT_RE) than a column of phones does.
PHONE_RE = re.compile(
    r"(?<![\w.,/+-])(?:(?:\+|00)39[ .-]?)?(?:3\d{2}[ .-]?\d{6,7}|0\d{1,3}[ .-]?\d{5,8})(?![\w.,/-])"
)
PHONE_CONTEXT_RE = re.compile(
    r"(?i:tel|telefono|telefonare|cell|cellulare|chiamare|chiama|contattare|contatto|recapito|numero|n\.|"
    r"phone|mobile|call|whatsapp)[^\n0-9]{0,20}$"
)
_STREET_WORDS = (
    "via", "viale", "piazza", "piazzale", "p.zza", "corso", "c.so", "largo", "vicolo", "vico", "strada",
    "contrada", "c.da", "borgo", "lungomare", "lungotevere", "località", "loc.", "frazione", "salita", "calle",
    "stretto", "incrocio", "canale", "rotonda", "traversa", "galleria",
)  # fmt: skip
ADDRESS_RE = re.compile(
    r"(?<![\w.])(?i:" + "|".join(re.escape(word) for word in _STREET_WORDS) + r")\s+"
    r"(?:[A-ZÀ-Ý][\w'’À-ÿ.]*|d[aeiu]l?l?[aeiou']?|de|di|del|della|dei|degli|delle)"
    r"(?:[ \-'][\w'’À-ÿ.]+){0,5}?,?\s*(?:n\.?\s*|nr\.?\s*)?\d{1,4}(?:\s?/?\s?[A-Za-z])?(?![\w/])"
)


def valid_cf(text: str) -> bool:
    return bool(codicefiscale.is_valid(text.upper()))


def valid_card(text: str) -> bool:
    return bool(luhn.is_valid(text))


def valid_iban(text: str) -> bool:
    """The ISO 13616 check digits (mod 97); the per-country format lookup is left out: slow, and no help here."""
    try:
        stdnum_iban.validate(text, check_country=False)
    except ValueError:  # stdnum's ValidationError
        return False
    return True


def valid_email(text: str) -> bool:
    local, _, domain = text.rpartition("@")
    return bool(local) and not local.startswith(".") and ".." not in text and not domain.startswith("-")


@lru_cache(maxsize=4096)
def valid_phone(text: str) -> bool:
    """A number phonenumbers calls valid in Italy (region IT: numbers without +39 are read as Italian)."""
    try:
        number = phonenumbers.parse(text, "IT")
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(number))


def valid_address(text: str) -> bool:
    return True


VALIDATORS: dict[str, Callable[[str], bool]] = {
    CODICE_FISCALE: valid_cf,
    HEALTH_CARD: valid_card,
    IBAN: valid_iban,
    EMAIL: valid_email,
    PHONE: valid_phone,
    ADDRESS: valid_address,
}
PATTERNS: dict[str, re.Pattern[str]] = {
    CODICE_FISCALE: CF_RE,
    HEALTH_CARD: CARD_RE,
    IBAN: IBAN_RE,
    EMAIL: EMAIL_RE,
    PHONE: PHONE_RE,
    ADDRESS: ADDRESS_RE,
}

# Byte classes (bytes.translate): letters -> A, digits -> 9, anything else -> _. Searches with a literal
# prefix over them run at C speed and say where an identifier *may* be; only there do the patterns run.
_TABLE = bytearray(b"_" * 256)
for _byte in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz":
    _TABLE[_byte] = ord("A")
for _byte in b"0123456789":
    _TABLE[_byte] = ord("9")
_TABLE[ord("\n")] = ord("\n")
CLASSES = bytes(_TABLE)  # where a codice fiscale or an IBAN may be
_TABLE[ord(" ")] = ord("9")
DIGITS = bytes(_TABLE)  # blanks -> 9 too: "333 1234567" is one run, like "3331234567"
for _byte in b".-/":
    _TABLE[_byte] = ord("9")
LOOSE_DIGITS = bytes(_TABLE)  # and the other separators phone numbers are written with
# A codice fiscale's shape over the byte classes: six letters, the year, the month's letter, the day, a letter,
# three digits, the check letter. Omocodia may turn any of the seven digits into a letter (from the right: 15, 14,
# 13, 11, 10, then the year's 8 and 7), so each is a digit or a letter; a code with all seven substituted is sixteen
# letters. The search starts with a literal (six letters) the engine skips to in C: as fast over the shared data as
# the year-in-digits shape it replaces (a literal of nine), where a lookbehind first tried every position. A
# sixteen-letter word fits it too: CF_RE and stdnum's check character decide.
CF_SHAPE = re.compile(rb"AAAAAA[9A]{2}A[9A]{2}A[9A]{3}A")
_ALL_LETTERS = b"A" * 16  # a codice fiscale without a digit: every position substituted
DIGIT_RUN = re.compile(rb"999999999")
IBAN_SHAPE = re.compile(rb"AA99[A9]{11}")


# Street words as whole words: a set lookup per word of the block (an alternation of 27 words, or 27 substring
# searches, cost milliseconds per column).
_STREET_SET = frozenset(_STREET_WORDS)


# Runs of five digits or more, over the byte classes: a literal prefix, so the regex engine skips to them at C
# speed. A pattern that starts with a lookbehind or a character set (PHONE_RE) is tried at every position: over a
# column of report dates that took milliseconds.
_DIGITS5 = re.compile(rb"99999+")
_SPARSE = 40  # runs of digits looked at one by one; more, and one pass of PHONE_RE over the block is cheaper


def streets(block: str) -> tuple[str, frozenset[str]]:
    """``block`` lower-cased, and the street words it holds as words: found by :func:`prefilters`, used by
    :func:`matches` (lowering and splitting a block of free text once, not twice)."""
    if " " not in block:  # a street word, then a blank
        return "", frozenset()
    lowered = block.lower()
    return lowered, _STREET_SET.intersection(lowered.split())


def matches(kind: str, block: str, found_streets: tuple[str, frozenset[str]] | None = None) -> list[re.Match[str]]:
    """Every match of ``kind``'s pattern in ``block``, found from where one can start: street words (addresses),
    the letters-and-digits shape of a codice fiscale (ASCII text) or a phone's digits, then matched there.
    ``found_streets``: :func:`streets` of the block, when the caller has it."""
    pattern = PATTERNS[kind]
    lowered, words = (found_streets or streets(block)) if kind == ADDRESS else ("", frozenset())
    if kind == ADDRESS and len(lowered) == len(block):  # (lower() may lengthen a rare letter)
        starts: set[int] = set()
        # only the street words the block holds as words (as prefilters tells ADDRESS), each found where it is
        for word in words:
            at = lowered.find(word)
            while at >= 0:
                starts.add(at)
                at = lowered.find(word, at + 1)
        return _matched_at(pattern, block, sorted(starts))
    # one byte per character ("?" for any other than ASCII, which no codice fiscale or phone number holds), so
    # a position in the byte classes is the same position in the text: Italian free text with accents and
    # curly quotes takes the fast path too (CF_RE and PHONE_RE start with lookbehinds: tried at every position)
    if kind == CODICE_FISCALE:
        classes = block.encode("ascii", "replace").translate(CLASSES)
        return _matched_at(pattern, block, [m.start() for m in CF_SHAPE.finditer(classes)])
    runs: list[re.Match[bytes]] = []
    if kind == PHONE:
        classes = block.encode("ascii", "replace").translate(CLASSES)
        runs = list(itertools.islice(_DIGITS5.finditer(classes), _SPARSE + 1))
    if kind == PHONE and len(runs) <= _SPARSE:  # dense runs (a column of counts): one pass
        found: list[re.Match[str]] = []
        end = 0
        for run in runs:
            # the number ends with this run; "+39 333 " or "0039 06 " may come before it
            at = max(end, run.start() - 9)
            while (match := pattern.search(block, at, run.end() + 1)) is not None:
                found.append(match)
                at = end = match.end()
        return found
    return list(pattern.finditer(block))


def _matched_at(pattern: re.Pattern[str], block: str, starts: list[int]) -> list[re.Match[str]]:
    found: list[re.Match[str]] = []
    end = 0
    for start in starts:
        if start < end:
            continue  # inside the previous match
        match = pattern.match(block, start)
        if match is not None:
            found.append(match)
            end = match.end()
    return found


_NO_STREETS: tuple[str, frozenset[str]] = ("", frozenset())


def prefilters(block: str) -> tuple[set[str], tuple[str, frozenset[str]]]:
    """The kinds that may be in ``block`` (values joined by newlines), the others certainly not; and
    :func:`streets` of the block, for :func:`matches` (computed only when an address may be there).

    A block without a digit holds no identifier but an e-mail or a codice fiscale substituted everywhere by
    omocodia (sixteen letters in a row): a phone, card or IBAN is digits, an address has its house number. A column
    of names, regions or categories is settled with three substring searches, not a pass of every shape over its
    text."""
    kinds = set()
    if "@" in block:
        kinds.add(EMAIL)
    raw = block.encode("utf-8", errors="replace")
    classes = raw.translate(CLASSES)
    if b"9" not in classes:
        if _ALL_LETTERS in classes and CF_SHAPE.search(classes):
            kinds.add(CODICE_FISCALE)
        return kinds, _NO_STREETS
    if CF_SHAPE.search(classes):
        kinds.add(CODICE_FISCALE)
    if IBAN_SHAPE.search(classes):
        kinds.add(IBAN)
    if b"99999" in classes:  # every phone number has five digits in a row (PHONE_RE)
        kinds.add(PHONE)
    if "80380" in block:
        kinds.add(HEALTH_CARD)
    found_streets = streets(block)
    if found_streets[1]:
        kinds.add(ADDRESS)
    return kinds, found_streets


def mask(kind: str, value: str) -> str:
    """An example safe to show: enough to recognise the kind, never the whole value."""
    value = value.strip()
    if kind == EMAIL:
        local, _, domain = value.partition("@")
        head, _, tld = domain.rpartition(".")
        return f"{local[:1]}***@{head[:1]}***.{tld}"
    if kind in (CODICE_FISCALE, IBAN, HEALTH_CARD):
        return value[:4] + "*" * max(0, len(value) - 5) + value[-1:]
    if kind == PHONE:
        prefix = next((p for p in ("+39 ", "+39", "0039 ", "0039") if value.startswith(p)), "")
        value = value[len(prefix) :]
        digits = sum(ch.isdigit() for ch in value)
        seen = 0
        out = []
        for ch in value:
            if ch.isdigit():
                seen += 1
                out.append(ch if seen <= 2 or seen > digits - 1 else "*")
            else:
                out.append(ch)
        return prefix + "".join(out)
    if kind == BIRTH_DATE:
        return "".join("*" if ch.isdigit() and index > 2 else ch for index, ch in enumerate(value[:10]))
    if kind == COORDINATES:
        whole, sep, decimals = value.partition(".")
        return whole + sep + decimals[:1] + "*" * max(0, len(decimals) - 1) if sep else value[:2] + "***"
    if kind == ADDRESS:
        words = value.split()
        return " ".join([words[0]] + [word[:1] + "***" for word in words[1:]]) if words else ""
    words = value.split()  # names and anything else: initials only
    return " ".join(word[:1] + "***" for word in words)
