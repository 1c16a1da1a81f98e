"""The outline of Italy the preview's maps are drawn on: Natural Earth's 1:110m country shape (public domain),
shipped as a 2 KB file in resources/geo, so a map needs no network and no GIS library."""

from __future__ import annotations

import functools
import json

from planet_gui.core.resources import resource_path

Ring = list[tuple[float, float]]


@functools.cache
def italy_outline() -> tuple[Ring, ...]:
    """The rings (mainland, Sicily, Sardinia) as (lon, lat) pairs in degrees, each closed."""
    doc = json.loads(resource_path("geo", "italy-outline.json").read_text(encoding="utf-8"))
    return tuple([(float(lon), float(lat)) for lon, lat in polygon[0]] for polygon in doc["coordinates"])
