"""The decision before an upload: what the profile's policy lets through, and the record of who said why.

The profile's ``personal_data_policy`` is ``warn`` (the default: findings are shown, the upload may go on)
or ``block`` (a file with findings goes only with a confirmation: who, why, when). Either way a file with
findings is uploaded with ``personal_data`` true, unless the person uploading says it is not, with a
reason; every reason given is kept in the object's metadata (``personal_data_confirmation``), where the
lake, curators and auditors read it.

The GUI and the CLI call :func:`review` with the inspection's ``details["personal_data"]`` (the scan),
the values about to be uploaded, the uploader's name and the reason typed, if any.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from planet_gui.core.errors import PlanetError
from planet_gui.core.i18n import tr

WARN = "warn"
BLOCK = "block"
POLICIES = (WARN, BLOCK)
CONFIRMATION_FIELD = "personal_data_confirmation"
PSEUDONYMISATION_FIELD = "pseudonymisation"
_MAX_NOTE = 500
MIN_REASON = 5  # characters: a reason, not a keystroke
_MIN_REASON = MIN_REASON


class PersonalDataBlocked(PlanetError):
    title = "Personal data found"


def found_kinds(scan: Mapping[str, Any] | None) -> list[str]:
    """The kinds of personal data a scan (``Inspection.details["personal_data"]``) found; empty if none."""
    if not scan or not scan.get("personal_data"):
        return []
    return [str(kind) for kind in scan.get("kinds", [])]


def found_columns(scan: Mapping[str, Any] | None) -> list[str]:
    if not scan:
        return []
    columns: list[str] = []
    for finding in scan.get("findings", []):
        column = str(finding.get("column", ""))
        if column not in columns:
            columns.append(column)
    return columns


def needs_confirmation(policy: str, scan: Mapping[str, Any] | None, values: Mapping[str, Any]) -> bool:
    """Whether :func:`review` will want a reason: findings under ``block``, or findings declared absent."""
    kinds = found_kinds(scan)
    return bool(kinds) and (policy == BLOCK or values.get("personal_data") is False)


def review(policy: str, scan: Mapping[str, Any] | None, values: Mapping[str, Any], *, who: str,
           reason: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    """The values to upload, or PersonalDataBlocked with what was found and what to do.

    ``values["personal_data"]`` False while the scan found something is the person's override: it
    needs a reason, under either policy. Under ``block`` any finding needs one.
    """
    if policy not in POLICIES:
        raise PersonalDataBlocked(tr("Unknown personal-data policy {policy!r}: use 'warn' or 'block'.",
                                     policy=policy))
    result = dict(values)
    kinds = found_kinds(scan)
    reason = (reason or "").strip()
    if not kinds:
        if reason:
            result[CONFIRMATION_FIELD] = _note(who, reason, [], now)
        return result
    what = ", ".join(kinds)
    columns = ", ".join(found_columns(scan))
    if needs_confirmation(policy, scan, values) and len(reason) < _MIN_REASON:
        if values.get("personal_data") is False:
            raise PersonalDataBlocked(tr("The file holds personal data ({kinds}, in {columns}) but is declared "
                                         "without: give the reason (--confirm-personal-data), or pseudonymise "
                                         "those columns.", kinds=what, columns=columns))
        raise PersonalDataBlocked(tr("The file holds personal data ({kinds}, in {columns}) and this lake's policy "
                                     "blocks it without a confirmation: remove or pseudonymise those columns, or "
                                     "confirm with the reason it must be uploaded (--confirm-personal-data).",
                                     kinds=what, columns=columns))
    if values.get("personal_data") is None:
        result["personal_data"] = True
    if reason:
        result[CONFIRMATION_FIELD] = _note(who, reason, kinds, now)
    return result


def _note(who: str, reason: str, kinds: list[str], now: datetime | None) -> str:
    moment = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    found = f" [found: {', '.join(kinds)}]" if kinds else ""
    text = f"{who} at {moment}{found}: {' '.join(reason.split())}"
    return text if len(text) <= _MAX_NOTE else text[: _MAX_NOTE - 1] + "…"
