"""Where the data is: Italian region names, countries, bounding boxes and approximate point lookup."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from planet_gui.core.inspect.places import FOREIGN_PLACES, ITALIAN_PLACES

ITALY = "Italy"
# The 19 regions and the two autonomous provinces that Italian open data reports separately,
# spelled as Protezione Civile spells them; "Trentino-Alto Adige" for data that reports the region.
REGIONS: tuple[str, ...] = (
    "Abruzzo", "Basilicata", "Calabria", "Campania", "Emilia-Romagna", "Friuli Venezia Giulia",
    "Lazio", "Liguria", "Lombardia", "Marche", "Molise", "P.A. Bolzano", "P.A. Trento", "Piemonte",
    "Puglia", "Sardegna", "Sicilia", "Toscana", "Trentino-Alto Adige", "Umbria", "Valle d'Aosta",
    "Veneto",
)  # fmt: skip

_EXTRA_NAMES = {
    "friuli venezia giulia": "Friuli Venezia Giulia",
    "friuli": "Friuli Venezia Giulia",
    "emilia romagna": "Emilia-Romagna",
    "valle d aosta": "Valle d'Aosta",
    "vallee d aoste": "Valle d'Aosta",
    "aosta valley": "Valle d'Aosta",
    "trentino alto adige": "Trentino-Alto Adige",
    "trentino sudtirol": "Trentino-Alto Adige",
    "trentino south tyrol": "Trentino-Alto Adige",
    "p a bolzano": "P.A. Bolzano",
    "pa bolzano": "P.A. Bolzano",
    "provincia autonoma bolzano": "P.A. Bolzano",
    "provincia autonoma di bolzano": "P.A. Bolzano",
    "provincia autonoma di bolzano alto adige": "P.A. Bolzano",
    "bolzano": "P.A. Bolzano",
    "bozen": "P.A. Bolzano",
    "alto adige": "P.A. Bolzano",
    "sudtirol": "P.A. Bolzano",
    "south tyrol": "P.A. Bolzano",
    "p a trento": "P.A. Trento",
    "pa trento": "P.A. Trento",
    "provincia autonoma trento": "P.A. Trento",
    "provincia autonoma di trento": "P.A. Trento",
    "trento": "P.A. Trento",
    "trentino": "P.A. Trento",
    "lombardy": "Lombardia",
    "piedmont": "Piemonte",
    "tuscany": "Toscana",
    "sicily": "Sicilia",
    "sardinia": "Sardegna",
    "apulia": "Puglia",
    "latium": "Lazio",
}
# Three-letter region codes of the vaccine open data (italia/covid19-opendata-vaccini).
REGION_CODES = {
    "ABR": "Abruzzo", "BAS": "Basilicata", "CAL": "Calabria", "CAM": "Campania",
    "EMR": "Emilia-Romagna", "FVG": "Friuli Venezia Giulia", "LAZ": "Lazio", "LIG": "Liguria",
    "LOM": "Lombardia", "MAR": "Marche", "MOL": "Molise", "PAB": "P.A. Bolzano", "PAT": "P.A. Trento",
    "PIE": "Piemonte", "PUG": "Puglia", "SAR": "Sardegna", "SIC": "Sicilia", "TOS": "Toscana",
    "UMB": "Umbria", "VDA": "Valle d'Aosta", "VEN": "Veneto",
}  # fmt: skip
_COUNTRIES = {"ita": ITALY, "it": ITALY, "italia": ITALY, "italy": ITALY, "italie": ITALY}

# Generous box around Italy (with its islands and seas) and one around Europe.
ITALY_BOX = (6.0, 35.0, 19.0, 47.5)
EUROPE_BOX = (-32.0, 27.0, 45.0, 72.0)
_MAX_DISTANCE_KM = 60.0


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


_NAMES = {_key(name): name for name in REGIONS} | {_key(key): name for key, name in _EXTRA_NAMES.items()}


def normalise_region(text: str) -> str | None:
    """The canonical name of an Italian region in ``text`` ("P.A. Bolzano", "Lombardy"...), or None."""
    if not text or len(text) > 80:
        return None
    found = _NAMES.get(_key(text))
    if found:
        return found
    for part in re.split(r"\s*/\s*|\s+-\s+", text):  # bilingual "Valle d'Aosta / Vallée d'Aoste"
        found = _NAMES.get(_key(part))
        if found:
            return found
    key = _key(text)
    for prefix in ("regione ", "region ", "provincia autonoma di ", "provincia autonoma "):
        if key.startswith(prefix) and key[len(prefix) :] in _NAMES:
            return _NAMES[key[len(prefix) :]]
    return None


def region_from_code(text: str) -> str | None:
    return REGION_CODES.get(text.strip())


def normalise_country(text: str) -> str | None:
    return _COUNTRIES.get(_key(text))


def sort_regions(names: Iterable[str]) -> list[str]:
    order = {name: index for index, name in enumerate(REGIONS)}
    return sorted(set(names), key=lambda name: order.get(name, len(order)))


def region_units(names: Iterable[str]) -> int:
    """How many of the 20 regions ``names`` stand for (the two P.A. make Trentino-Alto Adige)."""
    merged = {"Trentino-Alto Adige" if name.startswith("P.A. ") else name for name in names}
    return len(merged)


def describe_regions(names: list[str]) -> str:
    """Area text for data naming ``names``: "Italy" when it covers most regions."""
    if region_units(names) >= 10:
        return ITALY
    return ", ".join(sort_regions(names))


@dataclass(frozen=True)
class Place:
    region: str | None  # Italian region, or None outside Italy
    country: str | None
    distance_km: float


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


def normalise_lon(lon: float) -> float:
    return lon - 360.0 if lon > 180.0 else lon


def _near_box(lat: float, lon: float) -> bool:
    return ITALY_BOX[1] - 1 <= lat <= ITALY_BOX[3] + 1 and ITALY_BOX[0] - 1 <= lon <= ITALY_BOX[2] + 1


def locate(lat: float, lon: float) -> Place | None:
    """The region (or foreign country) of a point near Italy; None far from any reference place."""
    lon = normalise_lon(lon)
    if not _near_box(lat, lon):
        return None
    best: tuple[float, str | None, str] | None = None
    for plat, plon, region in ITALIAN_PLACES:
        distance = _distance_km(lat, lon, plat, plon)
        if best is None or distance < best[0]:
            best = (distance, region, ITALY)
    for plat, plon, country in FOREIGN_PLACES:
        distance = _distance_km(lat, lon, plat, plon)
        if best is None or distance < best[0]:
            best = (distance, None, country)
    if best is None or best[0] > _MAX_DISTANCE_KM:
        return None
    return Place(region=best[1], country=best[2], distance_km=round(best[0], 1))


def locate_many(points: Iterable[tuple[float, float]]) -> list[Place | None]:
    """:func:`locate` for many points at once: one numpy computation of every point-place distance."""
    import numpy as np

    pairs = [(float(lat), normalise_lon(float(lon))) for lat, lon in points]
    found: list[Place | None] = [None] * len(pairs)
    near = [index for index, (lat, lon) in enumerate(pairs) if _near_box(lat, lon)]
    if not near:
        return found
    places = ITALIAN_PLACES + FOREIGN_PLACES
    place_lat = np.array([place[0] for place in places])
    place_lon = np.array([place[1] for place in places])
    lat = np.array([pairs[index][0] for index in near])[:, None]
    lon = np.array([pairs[index][1] for index in near])[:, None]
    x = np.radians(place_lon - lon) * np.cos(np.radians((lat + place_lat) / 2))  # as in _distance_km
    distance = 6371.0 * np.hypot(x, np.radians(place_lat - lat))
    nearest = np.argmin(distance, axis=1)  # the first of equals, as locate's strict "<"
    italian = len(ITALIAN_PLACES)
    for row, index in enumerate(near):
        column = int(nearest[row])
        km = float(distance[row, column])
        if km > _MAX_DISTANCE_KM:
            continue
        if column < italian:
            found[index] = Place(region=places[column][2], country=ITALY, distance_km=round(km, 1))
        else:
            found[index] = Place(region=None, country=places[column][2], distance_km=round(km, 1))
    return found


def regions_of_points(points: Iterable[tuple[float, float]]) -> tuple[list[str], int]:
    """Regions the points fall in, and how many points fell in another country or far away
    (points at sea near Italy count for neither)."""
    found: set[str] = set()
    outside = 0
    points = list(points)
    for (lat, lon), place in zip(points, locate_many(points), strict=True):
        if place is not None and place.region is not None:
            found.add(place.region)
        elif place is not None or not _near_italy(lat, lon):
            outside += 1
    return sort_regions(found), outside


def _near_italy(lat: float, lon: float) -> bool:
    lon = normalise_lon(lon)
    return ITALY_BOX[1] <= lat <= ITALY_BOX[3] and ITALY_BOX[0] <= lon <= ITALY_BOX[2]


def contains(outer: tuple[float, float, float, float], inner: tuple[float, float, float, float]) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and outer[2] >= inner[2] and outer[3] >= inner[3]


_ITALY_CORE = (7.0, 37.0, 18.0, 46.5)


@dataclass(frozen=True)
class AreaGuess:
    area: str | None
    regions: list[str]
    state: str | None
    confidence: float


def apply_guess(guess: AreaGuess, metadata: dict[str, Any], confidence: dict[str, float]) -> None:
    """Copy what the guess knows (area, regions, state) into the inspection, each with its confidence."""
    for name in ("area", "regions", "state"):
        value = getattr(guess, name)
        if value:
            metadata[name] = value
            confidence[name] = guess.confidence


def describe_bbox(bbox: tuple[float, float, float, float], points: Iterable[tuple[float, float]] = ()) -> AreaGuess:
    """Area from a bounding box [min_lon, min_lat, max_lon, max_lat] (and sample points inside it)."""
    min_lon, min_lat, max_lon, max_lat = bbox
    if max_lon - min_lon >= 300 and max_lat - min_lat >= 120:
        return AreaGuess("Global", [], None, 0.9)
    if contains(bbox, _ITALY_CORE):
        if contains(ITALY_BOX, bbox) or contains((3.0, 33.0, 22.0, 49.0), bbox):
            return AreaGuess(ITALY, [], ITALY, 0.8)
        if contains(EUROPE_BOX, bbox):
            return AreaGuess("Europe", [], None, 0.7)
        return AreaGuess(None, [], None, 0.0)
    sample = list(points) or [((min_lat + max_lat) / 2, (min_lon + max_lon) / 2)]
    regions, outside = regions_of_points(sample)
    if regions:
        state = ITALY if outside == 0 else None
        return AreaGuess(describe_regions(regions), regions, state, 0.8 if outside == 0 else 0.5)
    return AreaGuess(None, [], None, 0.0)


def format_bbox(bbox: tuple[float, float, float, float]) -> list[float]:
    return [round(value, 6) for value in bbox]
