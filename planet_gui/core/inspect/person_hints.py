"""What a column's name says, and the list of Italian names a column's values are checked against.

Header hints only ever *raise* confidence in what the values show, with two exceptions that are
direct enough to stand alone: a column named for a person (cognome, paziente, nominativo…) holding
words, and a column named for a birth date (data_nascita, nato_il, dob…) holding dates.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from planet_gui.core.resources import resource_path

_PERSON_WORDS = {
    "nome", "cognome", "nominativo", "paziente", "assistito", "intestatario", "cittadino", "utente", "medico",
    "name", "surname", "firstname", "lastname", "fullname", "forename", "patient", "person", "persona",
    "nomecognome", "cognomenome", "contatto", "referente", "titolare", "genitore", "tutore",
}  # fmt: skip
_PERSON_PAIRS = {("first", "name"), ("last", "name"), ("full", "name"), ("given", "name"), ("family", "name")}
# A "name" that is not a person's: of a place, a station, a variable.
_NOT_PERSON = {
    "area", "comune", "regione", "provincia", "stazione", "station", "site", "sito", "file", "variabile",
    "variable", "campo", "field", "struttura", "ospedale", "hospital", "ente", "azienda", "asl", "distretto",
    "denominazione", "indicatore", "farmaco", "prodotto", "product", "vaccino", "fornitore", "città", "citta",
    "city", "country", "paese", "stato", "state", "region", "province", "località", "localita", "via", "strada",
    "inquinante", "sensore", "sensor", "parametro", "parameter", "specie", "species", "layer", "dataset",
}  # fmt: skip
# A column named for a place holds places: its values are not looked up in the names lists (many towns and
# regions share a word with a surname, and province tables hold a hundred of them).
_PLACE_WORDS = {
    "comune", "comuni", "regione", "regioni", "provincia", "province", "stazione", "station", "città", "citta",
    "city", "country", "paese", "stato", "state", "region", "località", "localita", "frazione", "nazione", "nuts",
    "municipality", "county", "territorio", "reg", "prov", "uts",  # ISTAT's COD_REG, DEN_PROV, DEN_UTS
}  # fmt: skip
_BIRTH_NAMES = {
    "datanascita", "data_nascita", "data_di_nascita", "dt_nascita", "nato_il", "nata_il", "natoil", "dob",
    "birthdate", "birth_date", "date_of_birth", "dateofbirth", "nascita", "data_nasc", "dat_nasc", "dnascita",
    "anno_nascita", "birthday", "born",
}  # fmt: skip
_PHONE_WORDS = {"telefono", "tel", "cellulare", "cell", "phone", "mobile", "recapito", "fax", "telephone"}
_EMAIL_WORDS = {"email", "mail", "pec", "posta"}
_ADDRESS_WORDS = {"indirizzo", "address", "residenza", "domicilio", "via", "street"}
_CF_WORDS = {"cf", "codfisc", "codicefiscale", "fiscale", "taxcode", "ssn"}


@lru_cache(maxsize=4096)
def words(name: str) -> tuple[str, ...]:
    return tuple(word for word in re.split(r"[^a-zà-ÿ0-9]+", name.lower()) if word)


def is_person_name_header(name: str) -> bool:
    found = words(name)
    if not found or any(word in _NOT_PERSON for word in found):
        return False
    joined = "".join(found)
    return (
        any(word in _PERSON_WORDS for word in found)
        or joined in _PERSON_WORDS
        or any(pair in _PERSON_PAIRS for pair in zip(found, found[1:], strict=False))
    )


@lru_cache(maxsize=4096)
def is_place_header(name: str) -> bool:
    """Whether a column's name says it holds places (denominazione_regione, comune, stazione…) and no person's
    name is part of it (a "nome_paziente_comune" still gets its values looked up)."""
    found = words(name)
    return any(word in _PLACE_WORDS for word in found) and not any(word in _PERSON_WORDS for word in found)


@lru_cache(maxsize=4096)
def is_birth_date_header(name: str) -> bool:
    """Whether a column's name says it holds dates (or years) of birth: never a time axis."""
    lowered = name.strip().lower()
    found = words(name)
    joined = "_".join(found)
    if lowered in _BIRTH_NAMES or joined in _BIRTH_NAMES or "".join(found) in _BIRTH_NAMES:
        return True
    return "nascita" in found or "birth" in found or ("nato" in found and "il" in found)


@lru_cache(maxsize=4096)
def hinted_kind(name: str) -> str | None:
    """The identifier kind a column's name points at (a hint, never a finding on its own)."""
    found = set(words(name))
    joined = "".join(words(name))
    if found & _CF_WORDS or joined in _CF_WORDS or "codicefiscale" in joined:
        return "codice_fiscale"
    if found & _PHONE_WORDS:
        return "phone"
    if found & _EMAIL_WORDS or "email" in joined:
        return "email"
    if found & _ADDRESS_WORDS:
        return "address"
    if is_birth_date_header(name):
        return "birth_date"
    if is_person_name_header(name):
        return "person_name"
    return None


def plain(text: str) -> str:
    """Lower case, accents dropped: how names are kept in the list."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


@cache
def names() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, surnames) from resources/privacy/names_it.txt."""
    first: set[str] = set()
    last: set[str] = set()
    text = resource_path("privacy", "names_it.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        kind, _, name = line.partition(" ")
        if kind == "f":
            first.add(name)
        elif kind == "s":
            last.add(name)
    return frozenset(first), frozenset(last)


_TITLES = {"dott", "dott.", "dott.ssa", "sig", "sig.", "sig.ra", "sig.na", "prof", "prof.", "prof.ssa", "ing.",
           "avv.", "dr", "dr.", "mr", "mrs", "ms"}  # fmt: skip
_NAME_TOKEN = re.compile(r"[A-Za-zÀ-ÿ'’]+(?:-[A-Za-zÀ-ÿ'’]+)*")


def looks_like_person_name(value: str) -> bool:
    """A value of one to four words, each a letter word, at least half of them in the names list."""
    tokens = [token for token in value.split() if token.lower() not in _TITLES]
    if not tokens or len(tokens) > 4:
        return False
    first, last = names()
    known = 0
    for token in tokens:
        if not _NAME_TOKEN.fullmatch(token):
            return False
        # plain() is lower() for ASCII (most values): the Unicode normalisation only where it can matter
        parts = (token.lower() if token.isascii() else plain(token)).split("-")
        if any(part in first or part in last for part in parts):
            known += 1
    return known * 2 >= len(tokens) and known >= 1
