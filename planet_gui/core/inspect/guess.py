"""Guess the category and the source of a file from names, attributes and its file name.

Guesses are scored evidence, never invented: no evidence, no guess (the key stays out).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Whole names (a column or variable named exactly this) that point to a category.
_EXACT: dict[str, tuple[str, ...]] = {
    "Atmosphere": (
        "pm10",
        "pm2p5",
        "pm25",
        "pm2_5",
        "pm1",
        "no2",
        "no",
        "nox",
        "o3",
        "go3",
        "so2",
        "co",
        "nh3",
        "nmvoc",
        "pan",
        "pans",
        "c6h6",
        "benzene",
        "aod",
        "aod550",
        "ch4",
        "co2",
        "hcho",
        "bc",
        "aqi",
    ),
    "Meteorological": (
        "u",
        "v",
        "w",
        "z",
        "t",
        "q",
        "r",
        "t2m",
        "2t",
        "d2m",
        "u10",
        "v10",
        "msl",
        "sp",
        "tp",
        "tcc",
        "ssrd",
        "sst",
        "rh",
        "ws",
        "wd",
        "pr",
        "tas",
        "tasmax",
        "tasmin",
        "psl",
        "huss",
        "uas",
        "vas",
    ),
    "COVID-19": ("d1", "d2", "db1", "db2", "db3", "dpi"),
    "Demographic": ("eta", "età", "sesso", "sex", "age", "m", "f"),
}
# Words (parts of names, attributes, file names) that point to a category, with a weight.
_WORDS: dict[str, dict[str, float]] = {
    "COVID-19": {
        "covid": 3, "covid19": 3, "sars": 2, "cov": 1, "positivi": 2, "terapia": 1, "intensiva": 1,
        "deceduti": 1, "guariti": 1, "ricoverati": 1, "tamponi": 2, "isolamento": 1, "vaccini": 2,
        "vaccino": 2, "vaccinazioni": 2, "vaccine": 2, "vaccination": 2, "somministrazioni": 2,
        "dosi": 2, "dose": 1, "doses": 1, "booster": 1, "pfizer": 2, "moderna": 2, "astrazeneca": 2,
        "vaxzevria": 2, "janssen": 1, "novavax": 2, "biontech": 2, "contagi": 2, "casi": 1,
        "pandemia": 2, "pandemic": 2, "quarantena": 1,
    },
    "Atmosphere": {
        "pm10": 3, "pm2p5": 3, "pm25": 3, "particulate": 2, "aerosol": 2, "ozone": 2, "ozono": 2,
        "dioxide": 1, "monoxide": 1, "nitrogen": 1, "sulfur": 1, "sulphur": 1, "ammonia": 1,
        "pollution": 2, "pollutant": 2, "inquinamento": 2, "inquinanti": 2, "air": 1, "aria": 1,
        "quality": 1, "qualita": 1, "cams": 2, "concentration": 1, "emissions": 1, "emissioni": 1,
        "smog": 2, "benzene": 2, "arpa": 1,
    },
    "Meteorological": {
        "temperature": 2, "temperatura": 2, "precipitation": 2, "precipitazione": 2, "rain": 2,
        "pioggia": 2, "wind": 2, "vento": 2, "humidity": 2, "umidita": 2, "pressure": 1,
        "pressione": 1, "geopotential": 2, "eastward": 1, "northward": 1, "meteo": 2,
        "meteorological": 2, "weather": 2, "era5": 2, "eraint": 2, "interim": 1, "snow": 1,
        "neve": 1, "radiation": 1, "cloud": 1, "nuvolosita": 1, "climate": 1, "clima": 1,
    },
    "Demographic": {
        "popolazione": 3, "population": 3, "residenti": 2, "residents": 2, "nascite": 2,
        "births": 2, "natalita": 2, "mortalita": 1, "eta": 1, "age": 1, "sesso": 1, "genere": 1,
        "maschi": 1, "femmine": 1, "maschile": 1, "femminile": 1, "famiglie": 1, "households": 1,
        "demografia": 3, "demographic": 3, "censimento": 2, "census": 2, "anagrafe": 1, "comuni": 1,
        "immigrati": 1, "stranieri": 1,
    },
    "Sociological": {
        "reddito": 2, "income": 2, "istruzione": 2, "education": 2, "occupazione": 2,
        "employment": 2, "disoccupazione": 2, "unemployment": 2, "poverta": 2, "poverty": 2,
        "survey": 2, "indagine": 2, "sociale": 1, "social": 1, "lavoro": 1, "consumi": 1,
        "criminalita": 2, "crime": 2, "elezioni": 2, "votes": 1, "mobilita": 1, "mobility": 1,
    },
    "Clinical": {
        "paziente": 2, "pazienti": 2, "patient": 2, "patients": 2, "diagnosi": 2, "diagnosis": 2,
        "icd": 2, "icd10": 2, "farmaco": 2, "drug": 1, "terapia": 1, "therapy": 1, "clinical": 3,
        "clinico": 3, "ospedale": 1, "hospital": 1, "sdo": 2, "esami": 1, "laboratorio": 1,
    },
}  # fmt: skip
_EXACT_WEIGHT = 2.0
_MIN_SCORE = 3.0


def _words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return [word for word in re.split(r"[^a-z0-9]+", plain) if word]


@dataclass(frozen=True)
class Guess:
    value: str
    confidence: float
    evidence: list[str]


@dataclass(frozen=True)
class Signature:
    """Column or variable names that only one publisher's files carry together: a renamed copy keeps them."""

    source: str
    category: str
    names: frozenset[str]
    at_least: int


# Checked in order; names compared as words joined by "_" (so "Codice Comune formato alfanumerico" matches).
_SIGNATURES: tuple[Signature, ...] = (
    Signature("Protezione Civile (DPC)", "COVID-19", frozenset({
        "ricoverati_con_sintomi", "terapia_intensiva", "totale_ospedalizzati", "isolamento_domiciliare",
        "totale_positivi", "variazione_totale_positivi", "nuovi_positivi", "dimessi_guariti", "totale_casi",
        "casi_da_sospetto_diagnostico", "casi_da_screening", "casi_testati", "ingressi_terapia_intensiva",
        "denominazione_provincia", "sigla_provincia", "codice_provincia", "totale_positivi_test_molecolare"}), 3),
    Signature("Commissario straordinario COVID-19 (vaccini)", "COVID-19", frozenset({
        "forn", "fornitore", "d1", "d2", "dpi", "db1", "db2", "db3", "prima_dose", "seconda_dose",
        "pregressa_infezione", "dose_addizionale_booster", "numero_dosi", "data_consegna"}), 3),
    Signature("ISTAT", "Demographic", frozenset({
        "codice_comune_formato_alfanumerico", "codice_catastale_del_comune", "denominazione_in_italiano",
        "ripartizione_geografica", "codice_ripartizione_geografica", "flag_comune_capoluogo_di_provincia",
        "totale_genere_maschile", "totale_genere_femminile", "range_eta", "itter107", "tipo_dato15", "sexistat1",
        "seleziona_periodo", "flag_codes"}), 2),
    Signature("CAMS/Copernicus", "Atmosphere", frozenset({
        "pm2p5_conc", "pm10_conc", "no2_conc", "o3_conc", "so2_conc", "co_conc", "nh3_conc", "nmvoc_conc",
        "pans_conc", "pmwf_conc", "go3", "pan", "c5h8", "aod550", "tcno2", "tcco", "tcso2", "gtco3"}), 2),
)


def _name_key(name: str) -> str:
    return "_".join(_words(name.split("(")[0]))


def signature_of(names: Iterable[str]) -> tuple[Signature, list[str]] | None:
    """The publisher whose telling names ``names`` holds (at least the signature's count of them), and which."""
    keys = {_name_key(name) for name in names}
    for signature in _SIGNATURES:
        found = sorted(keys & signature.names)
        if len(found) >= signature.at_least:
            return signature, found
    return None


def guess_category(
    names: Iterable[str] = (),
    texts: Iterable[str] = (),
    filename: str = "",
) -> Guess | None:
    """Category from field/variable ``names`` (strong), free ``texts`` (attributes, values) and the file name."""
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}

    def add(category: str, weight: float, why: str) -> None:
        scores[category] = scores.get(category, 0.0) + weight
        found = evidence.setdefault(category, [])
        if why not in found and len(found) < 8:
            found.append(why)

    names = list(names)
    signed = signature_of(names)
    if signed is not None:
        signature, found = signed
        add(signature.category, 2 * _MIN_SCORE, f"columns of {signature.source}: {', '.join(found[:4])}")
    exact_index = {name: cat for cat, names_ in _EXACT.items() for name in names_}
    for name in names:
        key = name.strip().lower()
        category = exact_index.get(key)
        if category:
            add(category, _EXACT_WEIGHT, name)
            continue
        for word in set(_words(name)):
            for category, weights in _WORDS.items():
                if word in weights:
                    add(category, weights[word], name)
    for text in texts:
        for word in set(_words(text)):
            for category, weights in _WORDS.items():
                if word in weights:
                    add(category, weights[word] / 2, word)
    for word in set(_words(filename)):
        for category, weights in _WORDS.items():
            if word in weights:
                add(category, weights[word] * 1.5, f"file name: {word}")
    if not scores:
        return None
    best, score = max(scores.items(), key=lambda item: item[1])
    if score < _MIN_SCORE:
        return None
    total = sum(scores.values())
    confidence = round(min(0.95, score / total) * min(1.0, score / 6), 2)
    return Guess(best, max(confidence, 0.2), evidence.get(best, []))


# (words that must all appear, the source) for file names, checked in order.
_NAME_SOURCES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("dpc",), "Protezione Civile (DPC)"),
    (("protezione", "civile"), "Protezione Civile (DPC)"),
    (("somministrazioni", "vaccini"), "Commissario straordinario COVID-19 (vaccini)"),
    (("anagrafica", "vaccini"), "Commissario straordinario COVID-19 (vaccini)"),
    (("consegne", "vaccini"), "Commissario straordinario COVID-19 (vaccini)"),
    (("vaccini", "summary"), "Commissario straordinario COVID-19 (vaccini)"),
    (("punti", "somministrazione"), "Commissario straordinario COVID-19 (vaccini)"),
    (("istat",), "ISTAT"),
    (("cams",), "CAMS/Copernicus"),
    (("era5",), "ECMWF (ERA5)"),
    (("eraint",), "ECMWF (ERA-Interim)"),
    (("ispra",), "ISPRA"),
    (("iss",), "Istituto Superiore di Sanità"),
)
# (phrase in an attribute, the source), checked in order.
_TEXT_SOURCES: tuple[tuple[str, str], ...] = (
    ("atmosphere monitoring", "CAMS/Copernicus"),
    ("cams", "CAMS/Copernicus"),
    ("climate change service", "C3S/Copernicus"),
    ("c3s", "C3S/Copernicus"),
    ("copernicus", "Copernicus"),
    ("era interim", "ECMWF (ERA-Interim)"),
    ("era5", "ECMWF (ERA5)"),
    ("ecmwf", "ECMWF"),
    ("protezione civile", "Protezione Civile (DPC)"),
    ("istat", "ISTAT"),
    ("istituto superiore di sanita", "Istituto Superiore di Sanità"),
    ("ispra", "ISPRA"),
    ("noaa", "NOAA"),
    ("nasa", "NASA"),
    ("eumetsat", "EUMETSAT"),
    ("met office", "Met Office"),
)
# Attributes naming who made the data, most telling first; their value may be the source itself.
_SOURCE_ATTRIBUTES = ("provider", "institution", "institute", "producer", "creator_institution", "publisher")
_HINT_ATTRIBUTES = ("title", "production", "source", "project", "references", "summary", "info", "history")


def _phrase_source(text: str) -> str | None:
    plain = " ".join(_words(text))
    for phrase, source in _TEXT_SOURCES:
        if re.search(rf"\b{re.escape(phrase)}\b", plain):
            return source
    return None


def _specific_copernicus(attrs: Mapping[str, str]) -> str | None:
    for text in attrs.values():
        source = _phrase_source(text)
        if source and source != "Copernicus" and source.endswith("/Copernicus"):
            return source
    return None


def guess_source(
    filename: str = "", attributes: Mapping[str, str] | None = None, weak_texts: Iterable[str] = (),
    names: Iterable[str] = (),
) -> Guess | None:
    """Source from attributes (provider, institution, title...), well-known file-name prefixes, the column or
    variable ``names`` a publisher's files carry (:func:`signature_of`: a renamed copy keeps its source) and,
    last, ``weak_texts`` (e.g. a PDF title, which may name whoever is quoted rather than the publisher)."""
    attrs = {key.lower(): str(value) for key, value in (attributes or {}).items() if value}
    signed = signature_of(names)
    for keys, confidence in ((_SOURCE_ATTRIBUTES, 0.9), (_HINT_ATTRIBUTES[:4], 0.8)):
        for key in keys:
            source = _phrase_source(attrs[key]) if key in attrs else None
            if source:
                if source == "Copernicus":  # which Copernicus service, if another attribute says
                    source = _specific_copernicus(attrs) or source
                if source == "ECMWF" and signed is not None and signed[0].source.endswith("/Copernicus"):
                    source = signed[0].source  # ECMWF runs CAMS: its variables say which service
                return Guess(source, confidence, [f"{key}: {attrs[key][:80]}"])
    words = _words(filename)
    for needed, source in _NAME_SOURCES:
        if all(word in words for word in needed):
            return Guess(source, 0.7, [f"file name: {filename}"])
    if signed is not None:
        return Guess(signed[0].source, 0.75, [f"columns: {', '.join(signed[1][:4])}"])
    for key in _HINT_ATTRIBUTES[4:]:
        if key in attrs:
            source = _phrase_source(attrs[key])
            if source:
                return Guess(source, 0.5, [f"{key}: {attrs[key][:80]}"])
    for text in weak_texts:
        source = _phrase_source(text)
        if source:
            return Guess(source, 0.4, [text[:80]])
    for key in _SOURCE_ATTRIBUTES:
        if key in attrs and len(attrs[key]) <= 200:
            return Guess(attrs[key].strip(), 0.6, [f"{key} attribute"])
    return None
