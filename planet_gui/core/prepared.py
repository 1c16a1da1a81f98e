"""What :meth:`Session.prepare` gives for a file: the values to review, the key, and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planet_gui.core.inspect import Inspection


@dataclass(frozen=True)
class Prepared:
    """A file ready to be reviewed or uploaded: its values (defaults, inferred, overrides), the key they give,
    and what is wrong with them (empty when they pass the schema)."""

    path: Path
    values: dict[str, Any]
    key: str
    problems: list[str] = field(default_factory=list)
    inspection: Inspection | None = None
    #: the name of the profile's destination the key is in
    destination: str = ""

    @property
    def valid(self) -> bool:
        return not self.problems
