"""GRIB (editions 1 and 2): variables, valid times, grid box and producing centre from each message's header.

With ecCodes (the ``eccodes`` package and its library) each message is opened headers-only, so no field is
decoded: the keys give the variable (``shortName``), the valid date and time, the first and last grid points
and the centre. A GRIB file is a sequence of messages, often thousands; at most ``_MAX_MESSAGES`` headers or
their bytes are read before the rest is estimated from the bytes per message. Without ecCodes,
or when it cannot open a message, the messages are still counted from their section-0 headers (the length each
one declares) and the inspection says plainly what it could not read: honest basic metadata, never a crash.

Records are the time steps, as for netCDF (the schema's "rows, or time steps for gridded data").
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from planet_gui.core.errors import InspectionError
from planet_gui.core.i18n import tr
from planet_gui.core.inspect import area, guess
from planet_gui.core.inspect.model import Inspection, Preview
from planet_gui.core.inspect.time_axis import summarise

_MAX_MESSAGES = 20_000
_KEYS = ("shortName", "name", "units", "typeOfLevel", "level", "centre", "gridType", "edition")
_CENTRES = {"ecmf": "ECMWF", "cnmc": "Aeronautica Militare (COMET)", "edzw": "DWD", "kwbc": "NOAA (NCEP)",
            "lfpw": "Météo-France", "egrr": "Met Office"}


def _headers(path: Path, limit: int) -> tuple[list[tuple[int, int]], str | None]:
    """(offset, length) of each message from its section 0, and why the walk stopped early (damage)."""
    found: list[tuple[int, int]] = []
    offset = 0
    with path.open("rb") as handle:
        while len(found) < limit:
            handle.seek(offset)
            head = handle.read(16)
            if not head:
                return found, None
            if len(head) < 8:
                return found, tr("the file ends in the middle of message {count}", count=len(found) + 1)
            if head[:4] != b"GRIB":
                return found, tr("bytes after message {count} are not a GRIB message", count=len(found))
            edition = head[7]
            if edition == 1:
                length = int.from_bytes(head[4:7], "big")
            elif edition == 2 and len(head) == 16:
                length = int.from_bytes(head[8:16], "big")
            else:
                return found, tr("message {count} has an unknown GRIB edition {edition}", count=len(found) + 1,
                                 edition=edition)
            if length < 8:
                return found, tr("message {count} declares an impossible length", count=len(found) + 1)
            handle.seek(offset + length - 4)
            if handle.read(4) != b"7777":
                return found, tr("message {count} is truncated or damaged (no end marker)", count=len(found) + 1)
            found.append((edition, length))
            offset += length
    return found, None


def inspect_grib(path: Path, size: int, *, preview_rows: int, head: bytes) -> Inspection:
    del preview_rows, head
    warnings: list[str] = []
    messages, damage = _headers(path, _MAX_MESSAGES)
    if not messages:
        raise InspectionError(tr("{name} starts like a GRIB file but holds no complete GRIB message ({why}).",
                                 name=path.name, why=damage or tr("it is empty after the signature")))
    if damage:
        warnings.append(tr("Only the first {count} GRIB message(s) could be read: {why}", count=len(messages),
                           why=damage))
    read_bytes = sum(length for _, length in messages)
    estimated = len(messages) >= _MAX_MESSAGES and read_bytes < size
    details: dict[str, Any] = {"editions": sorted({edition for edition, _ in messages}),
                               "messages": len(messages), "confidence": {"format": 1.0}}
    if estimated:
        details["messages"] = round(len(messages) * size / max(1, read_bytes))
        details["messages_estimated"] = True
    metadata: dict[str, Any] = {"format": "GRIB"}
    try:
        import eccodes  # noqa: F401
    except (ImportError, RuntimeError, OSError) as exc:
        warnings.append(tr("ecCodes is not available ({error}): only the GRIB messages were counted; fill in the "
                           "variables, period and area by hand.", error=exc))
        return Inspection(path, size, metadata, details, _outline(details), warnings)
    keys = _read_keys(path, len(messages), warnings)
    if not keys:
        warnings.append(tr("ecCodes could not read the GRIB messages: only the messages were counted; fill in "
                           "the variables, period and area by hand."))
        return Inspection(path, size, metadata, details, _outline(details), warnings)
    _describe(path, keys, metadata, details, warnings, estimated)
    return Inspection(path, size, metadata, details, _outline(details), warnings)


def _read_keys(path: Path, count: int, warnings: list[str]) -> list[dict[str, Any]]:
    import eccodes

    found: list[dict[str, Any]] = []
    with path.open("rb") as handle:
        for _ in range(count):
            try:
                message = eccodes.codes_grib_new_from_file(handle, headers_only=True)
            except (eccodes.CodesInternalError, OSError, ValueError) as exc:
                warnings.append(tr("ecCodes stopped at GRIB message {number}: {error}", number=len(found) + 1,
                                   error=exc))
                break
            if message is None:
                break
            try:
                found.append(_message_keys(eccodes, message))
            finally:
                eccodes.codes_release(message)
    return found


def _message_keys(eccodes: Any, message: Any) -> dict[str, Any]:
    keys: dict[str, Any] = {}
    for key in (*_KEYS, "validityDate", "validityTime", "latitudeOfFirstGridPointInDegrees",
                "longitudeOfFirstGridPointInDegrees", "latitudeOfLastGridPointInDegrees",
                "longitudeOfLastGridPointInDegrees", "Ni", "Nj"):
        try:
            keys[key] = eccodes.codes_get(message, key)
        except (eccodes.CodesInternalError, ValueError, TypeError):
            keys[key] = None
    return keys


def _valid_time(keys: dict[str, Any]) -> datetime | None:
    day, hhmm = keys.get("validityDate"), keys.get("validityTime")
    try:
        return datetime.strptime(f"{int(str(day)):08d}{int(str(hhmm or 0)):04d}", "%Y%m%d%H%M")
    except (TypeError, ValueError):
        return None


def _describe(path: Path, keys: list[dict[str, Any]], metadata: dict[str, Any], details: dict[str, Any],
              warnings: list[str], estimated: bool) -> None:
    confidence: dict[str, float] = details["confidence"]
    variables: dict[str, dict[str, Any]] = {}
    for message in keys:
        name = str(message.get("shortName") or "unknown")
        variables.setdefault(name, {key: message.get(key) for key in ("name", "units", "typeOfLevel")})
    metadata["fields"] = list(variables)
    details["variables"] = variables
    times = [moment for moment in (_valid_time(message) for message in keys) if moment is not None]
    summary = summarise(times, date_only=all(t.hour == 0 and t.minute == 0 for t in times))
    if summary is not None:
        metadata.update(time_field="valid_time", period_start=summary.start, period_end=summary.end,
                        frequency=summary.frequency, record_count=summary.steps)
        details["time_steps"] = summary.steps
        if summary.note:
            warnings.append(tr("Frequency set to 'irregular': {note}", note=summary.note))
        level = 0.6 if estimated else 0.9
        confidence.update(period_start=level, period_end=level, frequency=level, record_count=level)
    else:
        metadata["frequency"] = "none"
    box = _bbox(keys)
    if box is not None:
        details["bbox"] = area.format_bbox(box)
        area.apply_guess(area.describe_bbox(box), metadata, confidence)
    centres = sorted({str(message.get("centre")) for message in keys if message.get("centre")})
    details["centres"] = centres
    names = list(variables) + [str(v.get("name") or "") for v in variables.values()]
    category = guess.guess_category(names=names, filename=path.name)
    if category is not None:
        metadata["category"] = category.value
        confidence["category"] = category.confidence
        details["category_evidence"] = category.evidence
    source = guess.guess_source(filename=path.name, names=list(variables))
    if source is None and centres and centres[0] in _CENTRES:
        metadata["source"] = _CENTRES[centres[0]]
        confidence["source"] = 0.6
    elif source is not None:
        metadata["source"] = source.value
        confidence["source"] = source.confidence


def _bbox(keys: list[dict[str, Any]]) -> tuple[float, float, float, float] | None:
    """[min_lon, min_lat, max_lon, max_lat] of the grids (first and last grid points; longitudes may run 0-360)."""
    lons: list[float] = []
    lats: list[float] = []
    for message in keys[:1000]:
        try:
            lat1, lat2 = (float(message[f"latitudeOf{end}GridPointInDegrees"]) for end in ("First", "Last"))
            lon1, lon2 = (float(message[f"longitudeOf{end}GridPointInDegrees"]) for end in ("First", "Last"))
        except (TypeError, ValueError, KeyError):
            continue
        span = (lon2 - lon1) % 360 if lon2 != lon1 else 0.0
        if span >= 355:
            lons += [-180.0, 180.0]
        else:
            west = area.normalise_lon(lon1)
            lons += [west, west + span]
        lats += [lat1, lat2]
    if not lats or not all(-90 <= lat <= 90 for lat in lats):
        return None
    return min(lons), min(lats), max(lons), max(lats)


def _outline(details: dict[str, Any]) -> Preview:
    lines = [f"GRIB edition(s) {', '.join(map(str, details['editions']))}: {details['messages']} message(s)"]
    for name, info in list(details.get("variables", {}).items())[:50]:
        lines.append(f"  {name}: {info.get('name') or ''} [{info.get('units') or ''}] on {info.get('typeOfLevel')}")
    return Preview(kind="tree", text="\n".join(lines))

