"""Object keys from the profile's template, made safe for S3 and for the people who browse the lake."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

MAX_KEY_BYTES = 1024
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\{}^%`\]\[\"<>~#|]")
_SPACES = re.compile(r"\s+")


def sanitise_segment(text: str) -> str:
    """One path segment: NFC, no control or awkward characters, never '.' or '..'."""
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub("_", text).replace("/", "_")
    text = _SPACES.sub(" ", text).strip()
    if text in {"", ".", ".."}:
        return "_"
    return text


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
    encoded = key.encode("utf-8")
    if len(encoded) > MAX_KEY_BYTES:
        key = encoded[-MAX_KEY_BYTES:].decode("utf-8", errors="ignore").lstrip("/")
    return key


class _Missing(dict[str, str]):
    def __missing__(self, name: str) -> str:
        return "unknown"
