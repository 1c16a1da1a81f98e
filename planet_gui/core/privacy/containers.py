"""What the scan needs around a table it cannot stream as it comes: a gzip unpacked as it streams, a local file
for the formats that need random access, and the one table of a zip.

The same bomb rules as inspection (:mod:`planet_gui.core.inspect.compressed`): a gzip unpacking at more than
``MAX_RATIO``:1 past ``RATIO_FLOOR`` bytes, or a zip member claiming such a ratio, is refused with a sentence.
A spooled copy lives in a private temporary file, deleted when the scan ends, so memory stays at one block.
"""

from __future__ import annotations

import contextlib
import gzip
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

from planet_gui.core.i18n import tr
from planet_gui.core.inspect.compressed import MAX_RATIO, RATIO_FLOOR
from planet_gui.core.privacy.readers import PrivacyScanError
from planet_gui.core.privacy.streams import ByteStream, Counting

CONTAINER_KINDS = ("gzip", "zip")
_BLOCK = 1024 * 1024
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_TABLE_SUFFIXES = (".csv", ".tsv", ".tab", ".psv", ".txt")


class Gunzipped:
    """The unpacked bytes of a gzip stream, read as they come; refuses a compression bomb."""

    def __init__(self, stream: ByteStream, name: str) -> None:
        self.packed = Counting(stream)
        self.source = gzip.GzipFile(fileobj=cast(IO[bytes], self.packed), mode="rb")  # it only reads
        self.name = name
        self.unpacked = 0

    def read(self, size: int = -1, /) -> bytes:
        try:
            data = self.source.read(size)
        except (OSError, EOFError, zlib.error) as exc:
            raise PrivacyScanError(tr("{name} is not a readable gzip file (damaged or truncated?): {error}",
                                      name=self.name, error=exc)) from exc
        self.unpacked += len(data)
        if self.unpacked > RATIO_FLOOR and self.unpacked / max(1, self.packed.count) > MAX_RATIO:
            raise PrivacyScanError(tr("{name} unpacks at more than {ratio} to 1: that is a compression bomb, not a "
                                      "data file; it is not read.", name=self.name, ratio=MAX_RATIO))
        return data


def inner_name(name: str) -> str:
    """``casi.csv.gz`` holds ``casi.csv``."""
    return name[:-3] if name.lower().endswith(".gz") else (Path(name).stem or "data")


@contextlib.contextmanager
def local_file(stream: ByteStream, path: Path | None, suffix: str) -> Iterator[Path]:
    """``path`` itself when the stream is a local file's, else the stream copied to a private temporary file."""
    if path is not None:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="planet-scan-") as folder:
        target = Path(folder) / f"data{suffix}"
        with target.open("wb") as handle:
            shutil.copyfileobj(_Readable(stream), handle, _BLOCK)
        yield target


class _Readable:
    """shutil.copyfileobj wants ``read`` only; this keeps a ByteStream's signature."""

    def __init__(self, stream: ByteStream) -> None:
        self.read = stream.read


def zip_content(path: Path, name: str) -> tuple[str, zipfile.ZipInfo | None]:
    """What a zip holds, for the scan: ("ods", None), ("table", its one table member), or ("archive", None)."""
    from planet_gui.core.inspect.xlsx_reader import XlsxLimit, check_members

    try:
        with zipfile.ZipFile(path) as archive:
            check_members(archive)
            names = archive.namelist()
            if "mimetype" in names:
                with archive.open("mimetype") as handle:
                    if handle.read(len(_ODS_MIME) + 1).strip() == _ODS_MIME:
                        return "ods", None
            members = [info for info in archive.infolist()
                       if not info.is_dir() and not info.filename.startswith("__MACOSX")]
    except XlsxLimit as exc:
        raise PrivacyScanError(tr("{name} cannot be scanned safely: {reason}", name=name, reason=exc)) from exc
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise PrivacyScanError(tr("{name} is not a readable zip file (damaged or truncated?): {error}",
                                  name=name, error=exc)) from exc
    if len(members) == 1 and members[0].filename.lower().endswith(_TABLE_SUFFIXES):
        if members[0].flag_bits & 0x1:
            raise PrivacyScanError(tr("{name} is an encrypted zip; it cannot be scanned.", name=name))
        return "table", members[0]
    return "archive", None


@contextlib.contextmanager
def open_member(path: Path, member: zipfile.ZipInfo, name: str) -> Iterator[IO[bytes]]:
    """The one table of a zip, as a stream (damage becomes a PrivacyScanError)."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member) as handle:
            yield handle
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise PrivacyScanError(tr("{name} is not a readable zip file (damaged or truncated?): {error}",
                                  name=name, error=exc)) from exc
