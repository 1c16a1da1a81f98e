"""The core's messages in the user's language, without Qt.

Every message a person may read (a domain error, a reason a transfer stopped) is written as an English
``str.format`` template passed to :func:`tr`, which looks it up in the catalogue of the current language
(``resources/translations/core_<lang>.json``, English template → translated template) and fills it in. Tables
of templates mark theirs with :func:`N_` and translate them where they are used. The GUI sets the language it
shows (:func:`set_language`); the CLI and the hook keep English, the language of their logs and scripts.
``tests/core/test_core_i18n.py`` checks that every template in the core has its Italian with the same fields.
"""

from __future__ import annotations

import json
from functools import cache

from planet_gui.core.resources import resource_path

SOURCE_LANGUAGE = "en"
_language = SOURCE_LANGUAGE  # process-wide: set once, at start, before any worker runs


def set_language(code: str) -> None:
    """``en`` or a language with a catalogue; anything else falls back to English."""
    global _language
    _language = code if code == SOURCE_LANGUAGE or catalogue(code) else SOURCE_LANGUAGE


def language() -> str:
    return _language


@cache
def catalogue(code: str) -> dict[str, str]:
    """The translations of one language; empty when it has none."""
    try:
        raw = json.loads(resource_path("translations", f"core_{code}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in raw.items() if not k.startswith("//")}


def tr(template: str, /, **values: object) -> str:
    """``template`` in the current language, filled in with ``values`` (``str.format`` fields)."""
    text = template if _language == SOURCE_LANGUAGE else catalogue(_language).get(template, template)
    return text.format(**values)


def N_(template: str) -> str:  # noqa: N802 - the gettext name translators and tools know
    """Marks a template kept in a table; :func:`tr` translates it where it is used."""
    return template
