"""Check that a classic netCDF file (CDF-1, CDF-2, CDF-5) is complete, from its header alone.

The netCDF library opens a classic file whose header or data was cut short without complaint (it
reads zeros past the end), so a truncated upload would look fine. The header says where every
variable's data starts and how long it is: the file must be at least that long.
"""

from __future__ import annotations

import struct
from pathlib import Path

from planet_gui.core.errors import InspectionError
from planet_gui.core.i18n import tr

_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 4, 6: 8, 7: 1, 8: 2, 9: 4, 10: 8, 11: 8}
_DIMENSION, _VARIABLE, _ATTRIBUTE = 0x0A, 0x0B, 0x0C
_STREAMING = 0xFFFFFFFF
_MAX_HEADER = 64 * 1024 * 1024


class _Truncated(Exception):
    pass


class _Header:
    def __init__(self, path: Path, version: int) -> None:
        self._handle = path.open("rb")
        self.buf = b""
        self.pos = 0
        self.version = version
        self.count_size = 8 if version == 5 else 4  # nelems, dim lengths, dimids, vsize
        self.offset_size = 4 if version == 1 else 8

    def close(self) -> None:
        self._handle.close()

    def _need(self, n: int) -> None:
        while self.pos + n > len(self.buf):
            if len(self.buf) > _MAX_HEADER:
                raise InspectionError(tr("The netCDF header is implausibly large; the file may be damaged."))
            chunk = self._handle.read(max(65536, n))
            if not chunk:
                raise _Truncated
            self.buf += chunk

    def raw(self, n: int) -> bytes:
        self._need(n)
        data = self.buf[self.pos : self.pos + n]
        self.pos += n
        return data

    def uint(self, size: int) -> int:
        value: int = struct.unpack(">Q" if size == 8 else ">I", self.raw(size))[0]
        return value

    def count(self) -> int:
        return self.uint(self.count_size)

    def name(self) -> None:
        length = self.count()
        self.raw(_pad(length))

    def attributes(self) -> None:
        tag, number = self.uint(4), self.count()
        if tag == 0 and number == 0:
            return
        if tag != _ATTRIBUTE:
            raise InspectionError(tr("The netCDF header is malformed (bad attribute list)."))
        for _ in range(number):
            self.name()
            kind = self.uint(4)
            values = self.count()
            if kind not in _TYPE_SIZES:
                raise InspectionError(tr("The netCDF header is malformed (unknown attribute type)."))
            self.raw(_pad(values * _TYPE_SIZES[kind]))


def _pad(length: int) -> int:
    return (length + 3) // 4 * 4


def check_classic(path: Path, size: int, version: int) -> None:
    """Raise InspectionError when the classic netCDF file at ``path`` is shorter than its header says."""
    header = _Header(path, version)
    try:
        header.raw(4)
        numrecs = header.count()
        tag, ndims = header.uint(4), header.count()
        dims: list[int] = []
        if tag not in (0, _DIMENSION):
            raise InspectionError(tr("{name} has a malformed netCDF header (bad dimension list).", name=path.name))
        for _ in range(ndims):
            header.name()
            dims.append(header.count())
        header.attributes()
        tag, nvars = header.uint(4), header.count()
        if tag not in (0, _VARIABLE):
            raise InspectionError(tr("{name} has a malformed netCDF header (bad variable list).", name=path.name))
        ends: list[int] = []
        record: list[tuple[int, int, int]] = []  # (begin, vsize, unpadded size) of record variables
        for _ in range(nvars):
            header.name()
            dimids = [header.count() for _ in range(header.count())]
            header.attributes()
            kind = header.uint(4)
            vsize = header.count()
            begin = header.uint(header.offset_size)
            if any(dimid >= len(dims) for dimid in dimids):
                raise InspectionError(tr("{name} has a malformed netCDF header (bad dimension id).", name=path.name))
            is_record = bool(dimids) and dims[dimids[0]] == 0
            elements = 1
            for dimid in dimids[1:] if is_record else dimids:
                elements *= dims[dimid]
            unpadded = elements * _TYPE_SIZES.get(kind, 1)  # the last variable's padding may be missing
            if is_record:
                record.append((begin, vsize, unpadded))
            else:
                ends.append(begin + min(vsize, unpadded) if vsize else begin + unpadded)
        header_end = header.pos
    except _Truncated:
        raise InspectionError(tr("{name} is truncated: the file ends inside its netCDF header.",
                                 name=path.name)) from None
    except struct.error as exc:
        raise InspectionError(tr("{name} has a malformed netCDF header: {error}", name=path.name, error=exc)) from exc
    finally:
        header.close()
    if record and numrecs not in (0, _STREAMING):
        recsize = sum(vsize for _, vsize, _ in record) if len(record) > 1 else record[0][2]
        ends += [begin + (numrecs - 1) * recsize + unpadded for begin, _, unpadded in record]
    needed = max([header_end, *ends])
    if needed > size:
        raise InspectionError(
            tr("{name} is truncated: its netCDF header describes {needed:,} bytes but the file has {size:,} "
               "bytes.", name=path.name, needed=needed, size=size)
        )
