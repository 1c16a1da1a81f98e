"""Where data may go: a profile's (and the hook's) destinations, each a raw location and its validated and triage
locations, each location a bucket and a folder prefix in it.

PLANET keeps data in per-user buckets and topic folders (``<user bucket>/Epidemiologici-raw/``,
``ISTAT-raw/``...). A destination names one such place: the uploader writes ``<raw prefix><key>`` in the raw
bucket (the key from the profile's template, whose ``{user}`` folder the lake's policy binds to the user, so the
hook can still tell who uploaded it), and the hook moves it to ``<validated prefix><key>`` or
``<triage prefix><key>``. A profile without destinations has one, named ``default``, with its ``[buckets]`` and
no prefix: what every profile did before.

Limits, checked when read: within a destination the three buckets differ (the hook tells a copy's verdict by its
bucket), and no raw location overlaps another location (a hook serving one must never list the other's objects).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from planet_gui.core.errors import ProfileError
from planet_gui.core.i18n import tr

DEFAULT_DESTINATION = "default"


@dataclass(frozen=True)
class Buckets:
    raw: str = "raw"
    validated: str = "validated"
    triage: str = "triage"


@dataclass(frozen=True)
class Location:
    bucket: str
    #: "" or a folder path ending in "/"
    prefix: str = ""

    def __str__(self) -> str:
        return f"{self.bucket}/{self.prefix}"

    def overlaps(self, other: Location) -> bool:
        return self.bucket == other.bucket and (self.prefix.startswith(other.prefix)
                                                or other.prefix.startswith(self.prefix))


@dataclass(frozen=True)
class Destination:
    name: str
    raw: Location
    validated: Location
    triage: Location

    @property
    def buckets(self) -> Buckets:
        return Buckets(self.raw.bucket, self.validated.bucket, self.triage.bucket)

    def raw_key(self, key: str) -> str:
        """The raw object key of a key made from the profile's template."""
        return self.raw.prefix + key

    def relative(self, raw_key: str) -> str | None:
        """The template part of a raw key (None when the key is not in this destination's raw folder)."""
        return raw_key[len(self.raw.prefix):] if raw_key.startswith(self.raw.prefix) else None

    def key_in(self, bucket: str, raw_key: str) -> str:
        """Where the object under ``raw_key`` is (or goes) in ``bucket``, one of this destination's three."""
        relative = self.relative(raw_key)
        if relative is None:
            return raw_key
        for location in (self.validated, self.triage, self.raw):
            if location.bucket == bucket:
                return location.prefix + relative
        return raw_key


def default_destination(buckets: Buckets) -> Destination:
    return Destination(DEFAULT_DESTINATION, Location(buckets.raw), Location(buckets.validated),
                       Location(buckets.triage))


def _prefix(value: Any, where: str, name: str) -> str:
    text = str(value or "").strip().lstrip("/")
    if not text:
        return ""
    text = text if text.endswith("/") else text + "/"
    segments = text[:-1].split("/")
    if any(part in {"", ".", ".."} or any(c in part for c in "{}*?\\") or part != part.strip()
           for part in segments):
        raise ProfileError(tr("{where}: destination {name}: {prefix!r} is not a folder prefix (plain folder names "
                              "separated by /, no *, ?, braces or ..)", where=where, name=name, prefix=text))
    return text


def parse_destinations(raw: Any, buckets: Buckets, *, where: str) -> tuple[Destination, ...]:
    """``[[destinations]]`` tables (name, raw, prefix, validated, validated_prefix, triage, triage_prefix; buckets
    default to ``buckets``, the validated and triage prefixes to the raw one) as destinations; one ``default``
    destination when there are none."""
    if raw in (None, [], ()):
        return (default_destination(buckets),)
    if not isinstance(raw, Sequence) or isinstance(raw, str | bytes):
        raise ProfileError(tr("{where}: destinations must be a list of tables ([[destinations]])", where=where))
    found: list[Destination] = []
    for index, table in enumerate(raw):
        if not isinstance(table, Mapping):
            raise ProfileError(tr("{where}: destinations must be a list of tables ([[destinations]])",
                                  where=where))
        name = str(table.get("name") or "").strip()
        if not name:
            raise ProfileError(tr("{where}: destination {number} has no name", where=where, number=index + 1))
        prefix = _prefix(table.get("prefix"), where, name)
        destination = Destination(
            name,
            Location(str(table.get("raw") or buckets.raw), prefix),
            Location(str(table.get("validated") or buckets.validated),
                     _prefix(table.get("validated_prefix", prefix), where, name)),
            Location(str(table.get("triage") or buckets.triage),
                     _prefix(table.get("triage_prefix", prefix), where, name)),
        )
        if len({destination.raw.bucket, destination.validated.bucket, destination.triage.bucket}) != 3:
            raise ProfileError(tr("{where}: destination {name} needs three different buckets for raw, validated "
                                  "and triage", where=where, name=name))
        found.append(destination)
    _check_apart(found, where)
    return tuple(found)


def _check_apart(destinations: Iterable[Destination], where: str) -> None:
    listed = list(destinations)
    names = [d.name for d in listed]
    for name in names:
        if names.count(name) > 1:
            raise ProfileError(tr("{where}: two destinations are named {name}", where=where, name=name))
    for destination in listed:
        for other in listed:
            places = [other.validated, other.triage] + ([other.raw] if other is not destination else [])
            for place in places:
                if destination.raw.overlaps(place):
                    raise ProfileError(tr("{where}: the raw location {raw} of {name} overlaps {place} of {other}",
                                          where=where, raw=str(destination.raw), name=destination.name,
                                          place=str(place), other=other.name))


def destination_of(destinations: Sequence[Destination], raw_key: str, bucket: str | None = None) -> Destination:
    """The destination whose raw folder holds ``raw_key`` (in ``bucket`` when given): the longest prefix."""
    matching = [d for d in destinations
                if d.relative(raw_key) is not None and (bucket is None or d.raw.bucket == bucket)]
    if not matching:
        return destinations[0]
    return max(matching, key=lambda d: len(d.raw.prefix))
