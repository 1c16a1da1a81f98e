"""What the personal-data scan adds to a file's inspection (``inspect_and_scan``: what the session and the CLI use).

``metadata["personal_data"]`` becomes the scan's verdict (True when anything is found, False when a
table or text was scanned and nothing was), the findings go to ``details["personal_data"]``, and a
time axis the scan shows to be dates of birth is withdrawn: a period of births is not the period the
data covers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planet_gui.core.errors import PlanetError
from planet_gui.core.i18n import tr
from planet_gui.core.inspect import inspect_file
from planet_gui.core.inspect.model import Inspection
from planet_gui.core.privacy import patterns as pt
from planet_gui.core.privacy.readers import CsvHint
from planet_gui.core.privacy.scan import ScanReport, scan_file, scan_rows

_TIME_KEYS = ("time_field", "period_start", "period_end", "frequency")


def inspect_and_scan(path: Path) -> Inspection:
    """Inspect ``path`` and scan a sample of it for personal data: the inspection every caller should see.

    The scan sits above inspection (it reuses inspection's encoding and separator), so inspection itself never
    imports it; this is where the two meet."""
    inspection = inspect_file(path)
    apply_scan(inspection, Path(path))
    return inspection


def apply_scan(inspection: Inspection, path: Path) -> ScanReport | None:
    """Scan ``path`` (a sample) and record the outcome in ``inspection``; None when it could not be scanned."""
    details = inspection.details
    known = None
    if details.get("detected") == "csv" and isinstance(details.get("encoding"), str) and details.get("separator"):
        known = CsvHint(str(details["encoding"]), str(details["separator"]), str(details.get("quotechar") or '"'))
    sample = inspection.table_sample
    try:
        if sample is not None:  # the rows inspection parsed (a CSV, Parquet, Stata…): not read a second time
            header, rows, complete = sample
            found = {"encoding": known.encoding, "separator": known.separator} if known is not None else {}
            compression = details.get("compression")  # a .csv.gz is no CSV to pseudonymise in place
            label = str(compression) if compression else "csv" if known is not None \
                else str(inspection.metadata.get("format") or "table").lower()
            report = scan_rows(Path(path).name, header, rows, complete=complete, details=found, format=label)
        else:
            report = scan_file(path, known=known)
    except PlanetError as exc:
        inspection.warnings.append(tr("Could not look for personal data: {message}", message=exc.message))
        return None
    except (OSError, ValueError) as exc:
        inspection.warnings.append(tr("Could not look for personal data: {message}", message=str(exc)))
        return None
    if not report.scanned:
        return report
    record(inspection, report)
    return report


def record(inspection: Inspection, report: ScanReport) -> None:
    inspection.metadata["personal_data"] = report.personal_data
    inspection.details["personal_data"] = details(report)
    confidence = inspection.details.setdefault("confidence", {})
    if isinstance(confidence, dict):
        confidence["personal_data"] = max((f.confidence for f in report.findings), default=0.8)
    if not report.findings:
        return
    columns = sorted({f.column for f in report.findings})
    inspection.warnings.append(tr("Personal data found ({kinds}) in: {columns}. Remove or pseudonymise it, or "
                                  "confirm why it must be uploaded.", kinds=", ".join(report.kinds),
                                  columns=", ".join(columns)))
    births = {f.column for f in report.findings if f.kind == pt.BIRTH_DATE}
    if inspection.metadata.get("time_field") in births:
        for key in _TIME_KEYS:
            inspection.metadata.pop(key, None)
        inspection.warnings.append(tr("The column {column} holds dates of birth, so it is not used as the time of "
                                      "the data; set the period by hand.", column=next(iter(births))))


def details(report: ScanReport) -> dict[str, Any]:
    data = report.to_json()
    data.pop("file", None)
    data.pop("seconds", None)  # the same file gives the same details
    return data
