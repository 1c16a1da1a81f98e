"""Metadata templates: a named set of field values for repeated deliveries ("ARPA daily PM10").

A template is a small TOML file in the user's config folder (``~/.config/planet-uploader/templates/NAME.toml``
on Linux) whose keys are fields of the metadata schema; ``planet-lake watch DIR --template NAME`` merges its
values over what inspection infers for each new file. A path to a TOML file works as well as a name.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from planet_gui.core.errors import PlanetError
from planet_gui.core.i18n import tr
from planet_gui.core.private import app_config_dir, write_private
from planet_gui.core.schema import Schema, is_empty

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._ -]{0,99}")


class TemplateError(PlanetError):
    title = "Template problem"


def templates_dir() -> Path:
    return app_config_dir() / "templates"


def template_path(name_or_path: str) -> Path:
    candidate = Path(name_or_path).expanduser()
    if candidate.suffix == ".toml" and (candidate.is_file() or "/" in name_or_path):
        return candidate
    if not _NAME.fullmatch(name_or_path):
        raise TemplateError(tr("{name_or_path!r} is not a template name (letters, digits, . _ - and spaces).",
                               name_or_path=name_or_path))
    return templates_dir() / f"{name_or_path}.toml"


def list_templates() -> list[str]:
    folder = templates_dir()
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def load_template(name_or_path: str, schema: Schema) -> dict[str, Any]:
    """The template's values, checked against the schema's field names and coerced to their types."""
    path = template_path(name_or_path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        known = ", ".join(list_templates()) or "none yet"
        raise TemplateError(tr("No template {name_or_path!r} (looked for {path}; templates: {known}).",
                               name_or_path=name_or_path, path=path, known=known)) from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TemplateError(tr("Cannot read the template {path}: {error}", path=path, error=exc)) from exc
    table = raw.get("metadata", {k: v for k, v in raw.items() if k != "upload"})
    if not isinstance(table, dict):
        raise TemplateError(tr("{path}: [metadata] must be a table of field = value", path=path))
    values: dict[str, Any] = {}
    for name, value in table.items():
        if name not in schema.names:
            raise TemplateError(tr("{path}: {name!r} is not a metadata field; fields: {names}",
                                   path=path, name=name, names=', '.join(schema.names)))
        if schema.field(name).system:
            raise TemplateError(tr("{path}: {name!r} is set by the uploader, not by a template", path=path, name=name))
        values[name] = schema.coerce(name, value) if isinstance(value, str) else value
    return values


def save_template(name: str, values: Mapping[str, Any], schema: Schema, *, destination: str | None = None) -> Path:
    """Write ``values`` (schema fields only, system fields left out) as the template ``name``; ``destination``
    (the profile's destination its files go to) in its ``[upload]`` table."""
    path = template_path(name)
    lines = [f"# PLANET metadata template {name!r}: values merged over what inspection infers", "[metadata]"]
    for spec in schema.fields:
        value = values.get(spec.name)
        if value is None or value == "" or spec.system:
            continue
        lines.append(f"{spec.name} = {_toml_value(value)}")
    if destination:
        lines += ["", "[upload]", f"destination = {_toml_value(destination)}"]
    return write_private(path, ("\n".join(lines) + "\n").encode("utf-8"))


def template_destination(name_or_path: str) -> str | None:
    """The destination a template sends its files to (its ``[upload] destination``), None when it names none."""
    try:
        raw = tomllib.loads(template_path(name_or_path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None  # load_template reports an unreadable template
    upload = raw.get("upload")
    value = upload.get("destination") if isinstance(upload, dict) else None
    return str(value) if value else None


def reusable_values(values: Mapping[str, Any], schema: Schema) -> dict[str, Any]:
    """The part of one file's metadata that fits its whole series (source, area, licence…): what the GUI's
    "Save as template" keeps. Per-file fields (the schema's ``per_file``: what inspection reads from each file's
    own content describes one delivery, never the series; merged over a later file it would overwrite what was
    read from that file), fields the uploader sets, and empty values are left out."""
    return {spec.name: values[spec.name] for spec in schema.fields
            if spec.name in values and not spec.system and not spec.per_file
            and not is_empty(values[spec.name])}


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # JSON string escapes are valid TOML basic strings
