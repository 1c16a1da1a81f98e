"""Personal data in files: detect it (per column, with masked examples), and pseudonymise a copy.

``scan_file(path)`` samples a file before upload; ``scan_file(path, full=True)`` and
``scan_stream(stream, name)`` read all of it in bounded memory (the hook uses the latter).
"""

from planet_gui.core.privacy.findings import ColumnFinding
from planet_gui.core.privacy.readers import PrivacyScanError
from planet_gui.core.privacy.scan import ScanReport, scan_file, scan_stream

__all__ = ["ColumnFinding", "PrivacyScanError", "ScanReport", "scan_file", "scan_stream"]
