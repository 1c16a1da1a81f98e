"""Object keys from the profile's template, made safe for S3 and for the people who browse the lake."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

MAX_KEY_BYTES = 1024
#: room kept free under S3's 1024 bytes for " (2)" renames and the ".planet-meta.json" sidecar name
KEY_RESERVE = 64
MAX_SEGMENT_BYTES = 255
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\{}^%`\]\[\"<>~#|]")
_SPACES = re.compile(r"\s+")


def sanitise_segment(text: str) -> str:
    """One path segment: NFC, no control or awkward characters, never '.' or '..'."""
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub("_", text).replace("/", "_")
    # Unicode controls, invisible format characters (e.g. right-to-left overrides), surrogates, line separators
    text = "".join("_" if unicodedata.category(c) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"} else c
                   for c in text)
    text = _SPACES.sub(" ", text).strip()
    if text in {"", ".", ".."}:
        return "_"
    return _clip(text, MAX_SEGMENT_BYTES)


def _clip(text: str, limit: int) -> str:
    """At most ``limit`` UTF-8 bytes, cutting the name before its extension and never inside a character."""
    if len(text.encode("utf-8")) <= limit:
        return text
    stem, dot, ext = text.rpartition(".")
    if not dot or not stem or len(ext) > 16:
        stem, ext = text, ""
    suffix = f".{ext}" if ext else ""
    room = max(1, limit - len(suffix.encode("utf-8")))
    return stem.encode("utf-8")[:room].decode("utf-8", errors="ignore").rstrip() + suffix


def build_key(template: str, values: Mapping[str, Any], *, user: str, filename: str) -> str:
    """Values are sanitised before they enter the template, so a value can never add a '/' level."""
    fields: dict[str, str] = {}
    for name, value in values.items():
        if isinstance(value, list | tuple):
            value = "-".join(str(v) for v in value)
        fields[name] = "unknown" if value in (None, "") else sanitise_segment(str(value))
    fields["user"] = sanitise_segment(user)
    fields["filename"] = sanitise_segment(filename)
    try:
        rendered = template.format_map(_Missing(fields))
    except (ValueError, IndexError) as exc:
        raise ValueError(f"The key template {template!r} is malformed: {exc}") from exc
    segments = [sanitise_segment(part) for part in rendered.split("/") if part.strip()]
    key = "/".join(segments)
    limit = MAX_KEY_BYTES - KEY_RESERVE
    if len(key.encode("utf-8")) > limit:
        # keep the folders (category/source/user) and shorten the file name, keeping its extension
        *folders, name = segments
        head = "/".join(folders) + "/" if folders else ""
        room = limit - len(head.encode("utf-8"))
        if room < 32:
            head = _clip(head, limit - 64).rstrip("/") + "/"
            room = limit - len(head.encode("utf-8"))
        key = head + _clip(name, room)
    return key


class _Missing(dict[str, str]):
    def __missing__(self, name: str) -> str:
        return "unknown"
