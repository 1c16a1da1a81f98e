"""The one piece of code that validates PLANET metadata and maps it to and from S3 user metadata.

The schema itself is data (``resources/schema/planet-metadata.json``) so curators can change fields
without touching code; the GUI builds its forms from it and the hook validates with it.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planet_gui.core import i18n, metadata_codec
from planet_gui.core.errors import MetadataInvalid, SchemaError
from planet_gui.core.i18n import tr
from planet_gui.core.resources import resource_path

FIELD_TYPES = {"string", "text", "enum", "integer", "datetime", "boolean", "list"}
_LIST_SEPARATOR = ","


@dataclass(frozen=True)
class FieldSpec:
    name: str
    s3_key: str
    type: str
    required: bool = False
    system: bool = False
    inferred: bool = False  # inspection may propose a value
    per_file: bool = False  # differs from file to file: a template never keeps it
    column: bool = False  # a column of the window's file table
    values: tuple[str, ...] = ()
    label: Mapping[str, str] = field(default_factory=dict)
    help: Mapping[str, str] = field(default_factory=dict)
    value_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # language -> value -> label
    default: Any = None
    max_length: int | None = None
    minimum: int | None = None
    pattern: str | None = None

    def label_for(self, language: str) -> str:
        return self.label.get(language) or self.label.get("en") or self.name

    def value_label(self, value: Any, language: str) -> str:
        """How an enum value is shown in ``language`` (the schema's ``labels``); the stored value never changes."""
        text = "" if value is None else str(value)
        return self.value_labels.get(language, {}).get(text) or text


@dataclass(frozen=True)
class Schema:
    name: str
    version: int
    fields: tuple[FieldSpec, ...]
    #: the JSON document it was read from (canonical: sorted keys), what the hook publishes for the clients
    document: str = field(default="", compare=False, repr=False)

    @property
    def digest(self) -> str:
        """A short fingerprint of the document: two schemas with the same one enforce the same fields."""
        return hashlib.sha256(self.document.encode("utf-8")).hexdigest()[:16]

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [spec.name for spec in self.fields]

    @property
    def inferred(self) -> tuple[str, ...]:
        """The fields inspection may fill, in schema order."""
        return tuple(spec.name for spec in self.fields if spec.inferred)

    @property
    def per_file(self) -> frozenset[str]:
        return frozenset(spec.name for spec in self.fields if spec.per_file)

    @property
    def columns(self) -> tuple[str, ...]:
        """The fields shown as columns of the file table, in schema order."""
        return tuple(spec.name for spec in self.fields if spec.column)

    def defaults(self) -> dict[str, Any]:
        return {spec.name: spec.default for spec in self.fields if spec.default is not None}

    # -- validation -------------------------------------------------------------------------------

    def problems(self, values: Mapping[str, Any], language: str | None = None) -> list[str]:
        """Every reason ``values`` is not acceptable, in schema order; empty when valid. ``language`` is the
        reader's ("en", "it"); by default the core's (:mod:`planet_gui.core.i18n`): the window's own, English in
        the hook and the CLI."""
        language = language or i18n.language()
        found: list[str] = []
        for spec in self.fields:
            value = values.get(spec.name)
            if is_empty(value):
                if spec.required:
                    found.append(_say(language, "required", label=spec.label_for(language), name=spec.name))
                continue
            problem = _check_value(spec, value)
            if problem:
                key, details = problem
                what = _say(language, key, **details)
                found.append(f"{spec.label_for(language)} ({spec.name}) {what}")
        unknown = sorted(set(values) - set(self.names))
        for name in unknown:
            found.append(_say(language, "unknown", name=name, schema=self.name))
        return found

    def validate(self, values: Mapping[str, Any]) -> None:
        found = self.problems(values)
        if found:
            raise MetadataInvalid(found)

    # -- conversion -------------------------------------------------------------------------------

    def coerce(self, name: str, text: str) -> Any:
        """Turn a user's text (a form field, ``--set key=value``) into the field's Python value."""
        spec = self.field(name)
        text = text.strip()
        if text == "":
            return None
        if spec.type == "integer":
            try:
                return int(text)
            except ValueError as exc:
                raise MetadataInvalid([f"{spec.name} must be a whole number, not {text!r}"]) from exc
        if spec.type == "boolean":
            lowered = text.lower()
            if lowered in {"true", "yes", "1", "si", "sì", "y"}:
                return True
            if lowered in {"false", "no", "0", "n"}:
                return False
            raise MetadataInvalid([f"{spec.name} must be yes or no, not {text!r}"])
        if spec.type == "list":
            return split_list(text)
        return text

    def to_s3(self, values: Mapping[str, Any]) -> dict[str, str]:
        """S3 user metadata (key without the ``x-amz-meta-`` prefix -> US-ASCII value)."""
        headers: dict[str, str] = {}
        for spec in self.fields:
            value = values.get(spec.name)
            if is_empty(value):
                continue
            headers[spec.s3_key] = metadata_codec.encode(format_value(spec, value))
        return headers

    def from_s3(self, headers: Mapping[str, str]) -> dict[str, Any]:
        """Read back what :meth:`to_s3` wrote, whatever case the server gives the keys in."""
        lowered = {_strip_meta_prefix(key).lower(): value for key, value in headers.items()}
        values: dict[str, Any] = {}
        for spec in self.fields:
            raw = lowered.get(spec.s3_key.lower())
            if raw is None:
                continue
            text = metadata_codec.decode(raw)
            try:
                values[spec.name] = self._read_stored(spec, text)
            except MetadataInvalid:
                values[spec.name] = text  # keep what is there so validation can report it
        return values

    def _read_stored(self, spec: FieldSpec, text: str) -> Any:
        """A stored value as the field's Python value. Lenient with what the lake already holds, written by
        other tools before this app: an enum in another case (``Type: json``), a list written as ``[a b c]``,
        ``["a", "b"]`` or ``['a', 'b']``."""
        if spec.type == "text":
            return text
        if spec.type == "enum":
            folded = {value.casefold(): value for value in spec.values}
            return folded.get(text.strip().casefold(), text.strip())
        if spec.type == "list":
            listed = _bracketed_list(text.strip())
            if listed is not None:
                return listed
        return self.coerce(spec.name, text)


def _bracketed_list(text: str) -> list[str] | None:
    """``[a b c]``, ``[a, b]``, ``["a", "b"]`` or ``['a', 'b']`` as a list of names; None for anything else.
    Values are at most S3's 2 KB (or a capped sidecar's), so parsing them whole is bounded."""
    if not (text.startswith("[") and text.endswith("]")):
        return None
    inner = text[1:-1].strip()
    if not inner:
        return []
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if parsed is None:
        try:
            parsed = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            parsed = None
    if isinstance(parsed, list) and all(isinstance(item, str | int | float) for item in parsed):
        return [str(item) for item in parsed]
    if "," in inner:
        return split_list(inner)
    return [part.strip("'\"") for part in inner.split() if part.strip("'\"")]


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def split_list(text: str) -> list[str]:
    """Split on commas not preceded by a backslash; ``\\,`` is a literal comma."""
    parts = re.split(r"(?<!\\),", text)
    return [part.replace("\\,", ",").strip() for part in parts if part.strip()]


def format_value(spec: FieldSpec, value: Any) -> str:
    if spec.type == "list":
        items = [value] if isinstance(value, str) else list(value)
        return _LIST_SEPARATOR.join(str(item).replace(",", "\\,") for item in items)
    if spec.type == "boolean":
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _strip_meta_prefix(key: str) -> str:
    return key[len("x-amz-meta-") :] if key.lower().startswith("x-amz-meta-") else key


#: problem messages by language; placeholders are filled by :func:`_say`
_MESSAGES: dict[str, dict[str, str]] = {
    "required": {"en": "{label} ({name}) is required", "it": "{label} ({name}): campo obbligatorio"},
    "unknown": {"en": "{name} is not a field of the {schema} schema",
                "it": "{name} non è un campo dello schema {schema}"},
    "one_of": {"en": "must be one of {values}, not {value}", "it": "deve essere uno tra {values}, non {value}"},
    "whole": {"en": "must be a whole number, not {value}", "it": "deve essere un numero intero, non {value}"},
    "at_least": {"en": "must be at least {minimum}", "it": "deve essere almeno {minimum}"},
    "yes_no": {"en": "must be yes or no, not {value}", "it": "deve essere sì o no, non {value}"},
    "date": {"en": "must be an ISO 8601 date or date-time, not {value}",
             "it": "deve essere una data (o data e ora) ISO 8601, non {value}"},
    "names": {"en": "must be a list of names", "it": "deve essere un elenco di nomi"},
    "text": {"en": "must be text, not {value}", "it": "deve essere un testo, non {value}"},
    "too_long": {"en": "is longer than {limit} characters", "it": "è più lungo di {limit} caratteri"},
    "form": {"en": "is not in the expected form", "it": "non è nella forma attesa"},
}


def _say(language: str, key: str, **details: Any) -> str:
    templates = _MESSAGES[key]
    return (templates.get(language) or templates["en"]).format(**details)


def _check_value(spec: FieldSpec, value: Any) -> tuple[str, dict[str, Any]] | None:
    """The first problem of a non-empty value: a message key and what fills it in."""
    kind = spec.type
    if kind == "enum":
        if value not in spec.values:
            return "one_of", {"values": ", ".join(spec.values), "value": repr(value)}
    elif kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return "whole", {"value": repr(value)}
        if spec.minimum is not None and value < spec.minimum:
            return "at_least", {"minimum": spec.minimum}
    elif kind == "boolean":
        if not isinstance(value, bool):
            return "yes_no", {"value": repr(value)}
    elif kind == "datetime":
        if not _is_iso_datetime(str(value)):
            return "date", {"value": repr(value)}
    elif kind == "list":
        if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
            return "names", {}
    elif not isinstance(value, str):
        return "text", {"value": repr(value)}
    if spec.max_length is not None and isinstance(value, str) and len(value) > spec.max_length:
        return "too_long", {"limit": spec.max_length}
    if spec.pattern is not None and isinstance(value, str) and not re.fullmatch(spec.pattern, value):
        return "form", {}
    return None


def _is_iso_datetime(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _parse_field(raw: Mapping[str, Any]) -> FieldSpec:
    try:
        spec = FieldSpec(
            name=str(raw["name"]),
            s3_key=str(raw["s3_key"]),
            type=str(raw["type"]),
            required=bool(raw.get("required", False)),
            system=bool(raw.get("system", False)),
            inferred=bool(raw.get("inferred", False)),
            per_file=bool(raw.get("per_file", False)),
            column=bool(raw.get("column", False)),
            values=tuple(str(v) for v in raw.get("values", ())),
            label=dict(raw.get("label", {})),
            help=dict(raw.get("help", {})),
            value_labels={str(lang): {str(k): str(v) for k, v in dict(labels).items()}
                          for lang, labels in dict(raw.get("labels", {})).items()},
            default=raw.get("default"),
            max_length=raw.get("max_length"),
            minimum=raw.get("minimum"),
            pattern=raw.get("pattern"),
        )
    except KeyError as exc:
        raise SchemaError(tr("A schema field lacks {missing!r}: {fields}",
                             missing=exc.args[0], fields=dict(raw))) from exc
    if spec.type not in FIELD_TYPES:
        raise SchemaError(tr("Field {name!r} has unknown type {type!r}", name=spec.name, type=spec.type))
    if spec.type == "enum" and not spec.values:
        raise SchemaError(tr("Enum field {name!r} lists no values", name=spec.name))
    for language, labels in spec.value_labels.items():
        unknown = sorted(set(labels) - set(spec.values))
        if unknown:
            raise SchemaError(tr("Field {name!r} labels values it does not have ({language}): {values}",
                                 name=spec.name, language=language, values=", ".join(unknown)))
    return spec


def default_schema_path() -> Path:
    return resource_path("schema", "planet-metadata.json")


def load_schema(path: Path | None = None) -> Schema:
    """Load the schema at ``path``, or the default PLANET schema shipped in ``resources/``."""
    source = path or default_schema_path()
    try:
        raw = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SchemaError(tr("Cannot read the metadata schema {source}: {error}", source=source, error=exc)) from exc
    return parse_schema(raw, source=str(source), default_name=source.stem)


def parse_schema(raw: Any, *, source: str, default_name: str = "schema") -> Schema:
    """A schema from its JSON document (a file, or the one the lake publishes: :mod:`planet_gui.core.lake_schema`).
    ``document`` keeps it as read, so the hook can publish exactly what it enforces."""
    if not isinstance(raw, dict) or not isinstance(raw.get("fields", []), list):
        raise SchemaError(tr("The metadata schema {source} is not a schema document", source=source))
    try:
        fields = tuple(_parse_field(item) for item in raw.get("fields", []))
        version = int(raw.get("version", 1))
    except (TypeError, ValueError, AttributeError) as exc:
        raise SchemaError(tr("Cannot read the metadata schema {source}: {error}", source=source, error=exc)) from exc
    keys = [spec.s3_key.lower() for spec in fields]
    if len(set(keys)) != len(keys):
        raise SchemaError(tr("Two fields of {source} share an S3 key", source=source))
    return Schema(name=str(raw.get("name", default_name)), version=version, fields=fields,
                  document=json.dumps(raw, sort_keys=True, ensure_ascii=False))
