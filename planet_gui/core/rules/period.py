"""Period end is not before period start (the schema checks each date alone, not the two together)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from planet_gui.core.i18n import tr
from planet_gui.core.rules import OpenStream, Problem


def moment(value: Any, *, end: bool = False) -> datetime | None:
    """An ISO 8601 date or date-time as an aware datetime (naive ones taken as UTC); a bare date is its first
    moment, or with ``end`` its last (a period ending on 2020-01-31 covers that whole day). None when unreadable
    (the schema reports that)."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time.max if end else time.min)
    else:
        text = str(value).strip()
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        if end and len(text) <= 10:  # a date without a time
            parsed = datetime.combine(parsed.date(), time.max)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


class PeriodOrder:
    name = "period-order"
    version = "1"
    needs_content = False

    def check(self, metadata: Mapping[str, Any], open_stream: OpenStream | None) -> list[Problem]:
        del open_stream
        start, end = metadata.get("period_start"), metadata.get("period_end")
        if start in (None, "") or end in (None, ""):
            return []
        first, last = moment(start), moment(end, end=True)
        if first is None or last is None or last >= first:
            return []
        return [Problem(tr("Period end (period_end) {end} is before period start (period_start) {start}",
                           end=end, start=start), field="period_end")]
