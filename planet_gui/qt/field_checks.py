"""The schema's checks of a file's values, kept per field, so a bulk edit re-checks only the field it changed.

Typing into a field with a thousand files selected must stay within a frame (16 ms). Checking every field of
every file at each keystroke cost about 0.1 ms a file; the edited field's problem is the same for every file
(the value is the same), so it is found once and each file's list of problems is put together again from its
per-field ones, in schema order: the same list :meth:`Schema.problems` gives.

The rules that need no content (:mod:`planet_gui.core.rules`: period end after start, ...) are checked here too, as
the session checks them before upload: a row they refuse shows invalid with their text while it is edited, not
only when submitted. They read several fields at once, so they run again for each file, but only when the edited
field is one they read (:meth:`RuleSet.reads`)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from planet_gui.core.schema import Schema

if TYPE_CHECKING:
    from planet_gui.core.rules import RuleSet

UNKNOWN = ""  # the key under which problems with no field of their own are kept (names the schema lacks)
RULES = "\x00rules"  # the key under which the rules' problems are kept (after the schema's)


class FieldChecks:
    def __init__(self, schema: Schema, language: str, rules: RuleSet | None = None) -> None:
        self.schema = schema
        self.language = language
        self.rules = rules
        self._single = {spec.name: replace(schema, fields=(spec,)) for spec in schema.fields}
        self._order = [spec.name for spec in schema.fields] + [UNKNOWN, RULES]

    def rules_read(self, name: str) -> bool:
        """Whether an edit of field ``name`` needs :meth:`by_rules` again."""
        return self.rules is not None and self.rules.reads(name)

    def by_rules(self, values: dict[str, Any]) -> list[str]:
        """The problems the rules that need no content find in ``values``, in the hook's words."""
        if self.rules is None or not self.rules.rules:
            return []
        return [str(p) for p in self.rules.problems({k: v for k, v in values.items() if v is not None})]

    def one(self, name: str, value: Any) -> list[str]:
        """The problems of ``value`` as field ``name``."""
        return self._single[name].problems({name: value}, self.language)

    def all(self, values: dict[str, Any]) -> dict[str, list[str]]:
        """Every field's problems (an entry only for fields that have some)."""
        found = {name: problems for name in self._single if (problems := self.one(name, values.get(name)))}
        unknown = sorted(set(values) - set(self._single))
        if unknown:
            found[UNKNOWN] = self.schema.problems({name: values[name] for name in unknown}, self.language)[-len(
                unknown):]
        if by_rules := self.by_rules(values):
            found[RULES] = by_rules
        return found

    def joined(self, by_field: dict[str, list[str]]) -> list[str]:
        """The problems in the order :meth:`Schema.problems` gives them."""
        if not by_field:
            return []
        return [problem for name in self._order for problem in by_field.get(name, ())]
