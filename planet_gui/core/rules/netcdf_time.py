"""A netCDF's time axis lies within the period its metadata declares.

netCDF is not streamable (HDF5 seeks all over the file), so the content is copied to a private temporary file
first, at most :data:`MAX_BYTES` (``PLANET_RULES_NETCDF_MAX_BYTES``); a bigger file is not checked by this rule
(logged), never read whole into memory. The time axis is read with the inspection code (coordinates only).
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from planet_gui.core.i18n import tr
from planet_gui.core.rules import OpenStream, Problem
from planet_gui.core.rules.period import moment

log = logging.getLogger(__name__)

MAX_BYTES = int(os.environ.get("PLANET_RULES_NETCDF_MAX_BYTES", str(8 * 1024**3)))
_CHUNK = 1024 * 1024


class NetcdfTimeInPeriod:
    name = "netcdf-time-in-period"
    version = "1"
    needs_content = True

    def check(self, metadata: Mapping[str, Any], open_stream: OpenStream | None) -> list[Problem]:
        if open_stream is None or str(metadata.get("format", "")).lower() != "netcdf":
            return []
        start, end = metadata.get("period_start"), metadata.get("period_end")
        if start in (None, "") and end in (None, ""):
            return []
        with tempfile.TemporaryDirectory(prefix="planet-rule-") as folder:
            path = Path(folder) / "object.nc"
            if not _copy_capped(open_stream, path, MAX_BYTES):
                log.warning("%s: the file is over %d bytes, its time axis is not checked", self.name, MAX_BYTES)
                return []
            axis_start, axis_end = _time_axis(path)
        if axis_start is None or axis_end is None:
            return []
        problems = []
        first, last = moment(axis_start), moment(axis_end)
        declared_start = moment(start) if start not in (None, "") else None
        declared_end = moment(end, end=True) if end not in (None, "") else None
        if first is not None and declared_start is not None and first < declared_start:
            problems.append(Problem(tr("its time axis starts at {axis}, before the declared period start "
                                       "(period_start) {declared}", axis=axis_start, declared=start),
                                    field="period_start"))
        if last is not None and declared_end is not None and last > declared_end:
            problems.append(Problem(tr("its time axis ends at {axis}, after the declared period end "
                                       "(period_end) {declared}", axis=axis_end, declared=end), field="period_end"))
        return problems


def _copy_capped(open_stream: OpenStream, path: Path, limit: int) -> bool:
    """Copy the content to ``path`` (0600), reading at most ``limit`` + 1 bytes; False when it is bigger."""
    copied = 0
    with closing(open_stream()) as stream, open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600),
                                                "wb") as out:
        while True:
            chunk = stream.read(min(_CHUNK, limit + 1 - copied))
            if not chunk:
                return True
            copied += len(chunk)
            if copied > limit:
                return False
            out.write(chunk)
    return True  # pragma: no cover - the loop returns


def _time_axis(path: Path) -> tuple[str | None, str | None]:
    """First and last moment of the time coordinate, as inspection reads them (None when there is none)."""
    from planet_gui.core.inspect.api import inspect_file

    found = inspect_file(path)
    start, end = found.metadata.get("period_start"), found.metadata.get("period_end")
    return (str(start) if start else None, str(end) if end else None)

