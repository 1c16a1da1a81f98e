"""Rules beyond the schema: the seed's "customizable validation function", as plug-ins.

The schema (:mod:`planet_gui.core.schema`) says what each field may hold on its own; a rule sees all of an object's
metadata at once and, when it says it needs to, its content: period end after period start, a CSV whose record
count is the one declared, a netCDF whose time axis lies in the declared period. The hook runs every rule on every
object it judges; the client runs the rules that need only metadata before it uploads (so a file the hook would
send to triage for them is refused on this computer first, with the same text).

A rule is any object with ``name``, ``version``, ``needs_content`` and ``check(metadata, open_stream)`` (the
:class:`Rule` protocol). Besides the three shipped here, rules come from the Python entry points of the group
``planet_lake.rules`` (an entry point names a rule, a rule class, or a list of them) and from modules the hook's
configuration names (``RULES = "package.module, ..."``; the module's ``RULES`` list). Pure Python: no S3, no Qt.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any, Protocol, runtime_checkable

from planet_gui.core.errors import SchemaError
from planet_gui.core.i18n import tr

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "planet_lake.rules"
#: opens the object's content, read from the start; the rule closes what it opened
OpenStream = Callable[[], IO[bytes]]


@dataclass(frozen=True)
class Problem:
    """Why a rule refuses an object: ``text`` for people (the triage reason), ``field`` the schema field it is
    about when there is one (the form shows it next to that field)."""

    text: str
    field: str | None = None

    def __str__(self) -> str:
        return self.text


@runtime_checkable
class Rule(Protocol):
    #: unique; the lake publishes the names of the rules it runs
    name: str
    #: bumped when what the rule accepts changes
    version: str
    #: False: ``check`` reads only the metadata (and may run in the client); True: it reads the content too
    needs_content: bool

    def check(self, metadata: Mapping[str, Any], open_stream: OpenStream | None) -> list[Problem]:
        """Every problem of an object with ``metadata`` (the schema's values, as :meth:`Schema.from_s3` gives
        them). ``open_stream`` is None when there is no content to read (the client); a content rule then
        returns no problem."""
        ...


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]

    @property
    def version(self) -> str:
        """The names and versions of the rules, as one short fingerprint the lake publishes with its schema."""
        text = ";".join(sorted(f"{rule.name}={rule.version}" for rule in self.rules))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def describe(self) -> list[dict[str, Any]]:
        return [{"name": rule.name, "version": rule.version, "needs_content": rule.needs_content}
                for rule in self.rules]

    def metadata_only(self, names: Iterable[str] | None = None) -> RuleSet:
        """The rules that need no content (those among ``names``, when given: the ones the lake runs)."""
        wanted = None if names is None else set(names)
        return RuleSet(tuple(rule for rule in self.rules
                             if not rule.needs_content and (wanted is None or rule.name in wanted)))

    def problems(self, metadata: Mapping[str, Any], open_stream: OpenStream | None = None) -> list[Problem]:
        """Every rule's problems, in order. A rule that fails (raises) is a problem of its own, never a pass:
        the lake cannot say it checked what it could not check."""
        found: list[Problem] = []
        for rule in self.rules:
            if rule.needs_content and open_stream is None:
                continue
            try:
                found += rule.check(metadata, open_stream)
            except Exception as exc:  # noqa: BLE001 - a plug-in may raise anything
                log.exception("rule %s failed", rule.name)
                found.append(Problem(tr("the check {rule} could not run: {error}", rule=rule.name, error=exc)))
        return found


def builtin_rules() -> list[Rule]:
    from planet_gui.core.rules.csv_records import CsvRecordCount
    from planet_gui.core.rules.netcdf_time import NetcdfTimeInPeriod
    from planet_gui.core.rules.period import PeriodOrder

    return [PeriodOrder(), CsvRecordCount(), NetcdfTimeInPeriod()]


def _as_rules(found: Any, origin: str) -> list[Rule]:
    """A rule, a rule class, or a list of them, as rule objects."""
    items = list(found) if isinstance(found, list | tuple) else [found]
    rules: list[Rule] = []
    for item in items:
        rule = item() if isinstance(item, type) else item
        if not isinstance(rule, Rule):
            raise SchemaError(tr("{origin} gives {item!r}, which is not a validation rule (it needs name, version, "
                                 "needs_content and check)", origin=origin, item=item))
        rules.append(rule)
    return rules


@functools.cache
def installed_rules() -> RuleSet:
    """The shipped rules and the entry points' (what a client runs), read once per process."""
    return load_rules()


def load_rules(modules: Sequence[str] = (), *, plugins: bool = True) -> RuleSet:
    """The shipped rules, then those of the ``planet_lake.rules`` entry points (when ``plugins``), then the
    ``RULES`` of each module named in ``modules``. Two rules of one name are refused: the lake publishes names."""
    rules = builtin_rules()
    if plugins:
        from importlib.metadata import entry_points  # ~30 ms: not on the window's start path

        for point in entry_points(group=ENTRY_POINT_GROUP):
            rules += _as_rules(point.load(), f"the entry point {point.name} ({point.value})")
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            raise SchemaError(tr("Cannot load the rules module {module}: {error}", module=name, error=exc)) from exc
        rules += _as_rules(getattr(module, "RULES", []), f"the module {name}")
    names = [rule.name for rule in rules]
    doubled = sorted({name for name in names if names.count(name) > 1})
    if doubled:
        raise SchemaError(tr("Two validation rules share the name {names}", names=", ".join(doubled)))
    return RuleSet(tuple(rules))
