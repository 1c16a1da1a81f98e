"""Metadata inference: look at a data file and propose PLANET metadata, details and a preview.

    from planet_gui.core.inspect import inspect_file
    inspection = inspect_file("dpc-covid19-ita-andamento-nazionale.csv")
    inspection.metadata   # schema field names -> values (only what could be inferred)
    inspection.details    # JSON-serialisable extras (encoding, field types, bbox, confidence...)
    inspection.preview    # bounded table / tree / text
    inspection.warnings   # things the user should check

Modules, one job each: ``sniff`` (file kind), ``text`` (encoding, CSV dialect), ``linecount``,
``formats`` (the table of formats: magic, extensions, inspector), ``fields`` (column types), ``table``
(shared table analysis), ``csv_inspector``, ``jsonstream`` and
``json_inspector``, ``netcdf_inspector``, ``xlsx`` and ``xlsx_reader``, ``frames`` (tables a library reads:
``parquet``, ``readstat`` for Stata/SPSS/SAS, ``ods``, ``xls``), ``grib``, ``compressed`` (gzip/zip CSV, and
what a zip holds), ``generic`` (PDF, images, DICOM, other),
``time_axis`` (period, frequency), ``area`` and ``places`` (regions, bbox), ``guess`` (category,
source, also from the columns a publisher's files carry). Heavy libraries (xarray, numpy, pypdf,
charset-normalizer, openpyxl, pyarrow, pyreadstat, xlrd, eccodes) are imported only when
needed; nothing here imports Qt. Every reader is bounded in memory and time whatever the file holds
(tests/core/test_inspect_hostile.py): it streams, caps, or refuses with a sentence.
"""

from __future__ import annotations

from planet_gui.core.inspect.api import inspect_file
from planet_gui.core.inspect.model import FULL_SCAN_LIMIT, Inspection, Preview

__all__ = ["FULL_SCAN_LIMIT", "Inspection", "Preview", "inspect_file"]
