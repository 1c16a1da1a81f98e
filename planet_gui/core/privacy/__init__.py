"""Personal data in files: detect it (per column, with masked examples), decide, pseudonymise a copy.

* ``scan_file(path)`` samples a file before upload (``inspection.inspect_and_scan`` calls it:
  ``metadata["personal_data"]`` and ``details["personal_data"]``); ``scan_file(path, full=True)`` reads all
  of it in bounded memory.
* ``scan_stream(stream, name)`` reads any object with ``read(n)`` (an S3 object's body, in the hook) front to
  back, in bounded memory, and returns the same :class:`ScanReport` (``personal_data``, ``kinds``,
  ``findings``, ``to_json()``); it raises :class:`PrivacyScanError` for content that cannot be read.
* :mod:`planet_gui.core.privacy.policy`: ``needs_confirmation`` and ``review`` apply the profile's
  ``personal_data_policy`` to the values about to be uploaded and record who confirmed what, and why.
* :mod:`planet_gui.core.privacy.pseudonymise` with :mod:`planet_gui.core.privacy.keystore`: a copy of a CSV
  with columns replaced by keyed pseudonyms (the key per project in the OS keyring) or dropped.
"""

from planet_gui.core.privacy.findings import ColumnFinding
from planet_gui.core.privacy.readers import PrivacyScanError
from planet_gui.core.privacy.scan import ScanReport, scan_file, scan_stream

__all__ = ["ColumnFinding", "PrivacyScanError", "ScanReport", "scan_file", "scan_stream"]
