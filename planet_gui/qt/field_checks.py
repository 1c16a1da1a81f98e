"""The schema's checks of a file's values, kept per field, so a bulk edit re-checks only the field it changed.

Typing into a field with a thousand files selected must stay within a frame (16 ms). Checking every field of
every file at each keystroke cost about 0.1 ms a file; the edited field's problem is the same for every file
(the value is the same), so it is found once and each file's list of problems is put together again from its
per-field ones, in schema order: the same list :meth:`Schema.problems` gives.

The rules beyond the schema that need no content (:mod:`planet_gui.core.rules`: a period that ends before it
starts) see every field at once, so they run again for each file on each edit, after the schema's checks, as
:meth:`Session.review` and the hook run them; each problem they name a field for is shown beside that field."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from planet_gui.core.rules import RuleSet
from planet_gui.core.schema import Schema

UNKNOWN = ""  # the key under which problems with no field of their own are kept (names the schema lacks)


class FieldChecks:
    def __init__(self, schema: Schema, language: str, rules: RuleSet | None = None) -> None:
        self.schema = schema
        self.language = language
        self.rules = rules if rules is not None else RuleSet(())
        self._single = {spec.name: replace(schema, fields=(spec,)) for spec in schema.fields}
        self._order = [spec.name for spec in schema.fields] + [UNKNOWN]

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
        return found

    def joined(self, by_field: dict[str, list[str]], values: dict[str, Any] | None = None) -> list[str]:
        """The problems in the order :meth:`Schema.problems` gives them, then the rules' problems of ``values``
        (when given) in the rules' order: what :meth:`Session.review` says, so a row is never ready here and
        refused at submit."""
        found = [problem for name in self._order for problem in by_field.get(name, ())] if by_field else []
        if values and self.rules.rules:
            found += [problem.text for problem in self.rules.problems(_kept(values))]
        return found

    def rule_problems(self, values: dict[str, Any]) -> dict[str, list[str]]:
        """The rules' problems of ``values`` by the field each names (``UNKNOWN`` for those that name none)."""
        found: dict[str, list[str]] = {}
        if self.rules.rules:
            for problem in self.rules.problems(_kept(values)):
                name = problem.field if problem.field in self._single else UNKNOWN
                found.setdefault(name, []).append(problem.text)
        return found


def _kept(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}
