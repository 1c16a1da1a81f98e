"""Count the records of a delimited text file without parsing it: newlines, in chunks.

:func:`count_newlines` is the fast path for big files (as fast as ``wc -l``): numpy compares each
chunk with the newline byte, off the GIL, in one thread per core on its own part of the file, with
fixed buffers (memory does not grow with the file). :func:`count_records` is the exact, quote-aware
count used for files up to FULL_SCAN_LIMIT.

With ``quoted`` set, newlines between double quotes (a quoted cell spanning lines) do not end a
record; an escaped quote ``""`` toggles the state twice, so it needs no special case. Blank lines
are not records, as for every CSV reader. Works on the raw bytes of any ASCII-compatible encoding.
"""

from __future__ import annotations

import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

_CHUNK = 4 * 1024 * 1024
# count_newlines: bytes per read (fits the CPU caches well), the least work worth a thread, most threads.
_FAST_CHUNK = 1024 * 1024
_MIN_PART = 32 * 1024 * 1024
_MAX_THREADS = 4


class _Counter:
    def __init__(self, newline: bytes) -> None:
        self.newline = newline
        self.records = 0
        self.has_content = False  # the current, unterminated record holds something
        self._blank = re.compile(b"(?<![^" + re.escape(newline) + b"])\r?" + re.escape(newline))

    def scan(self, part: bytes) -> None:
        """Account for ``part``, text outside quotes."""
        nl = self.newline
        count = part.count(nl)
        if count == 0:
            if part.strip(b"\r"):
                self.has_content = True
            return
        first = part.find(nl)
        last = part.rfind(nl)
        if self.has_content or part[:first].strip(b"\r"):
            self.records += 1
        middle = part[first + 1 : last + 1]
        blank = 0
        if middle.startswith((nl, b"\r" + nl)) or nl + nl in middle or nl + b"\r" + nl in middle:
            blank = sum(1 for _ in self._blank.finditer(middle))
        self.records += count - 1 - blank
        self.has_content = bool(part[last + 1 :].strip(b"\r"))


_QUOTED = re.compile(b'"[^"]*"')
_CARRY_LIMIT = 16 * 1024 * 1024


def count_records(
    path: Path, *, quoted: bool, newline: bytes = b"\n", start: int = 0, chunk_size: int = _CHUNK
) -> int | None:
    """Non-blank records from byte ``start`` to the end (the header counts as one).

    Quoted sections are replaced by a placeholder before counting (one regex pass per chunk); a
    section still open at the end of a chunk is carried into the next one. Returns None when
    ``quoted`` and the quotes never balance (the caller should then count plain lines).
    """
    counter = _Counter(newline)
    carry = b""
    with path.open("rb") as handle:
        handle.seek(start)
        while True:
            chunk = handle.read(chunk_size)
            if not chunk:
                break
            if not quoted:
                counter.scan(chunk)
                continue
            data = carry + chunk if carry else chunk
            if b'"' not in data:
                counter.scan(data)
                carry = b""
                continue
            if data.count(b'"') % 2:
                cut = data.rfind(b'"')
                data, carry = data[:cut], data[cut:]
                if len(carry) > _CARRY_LIMIT:
                    return None
            else:
                carry = b""
            counter.scan(_QUOTED.sub(b"Q", data))
    if carry:
        return None
    return counter.records + (1 if counter.has_content else 0)


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class NewlineCounter:
    """Counts the ``newline`` bytes of a file (``wc -l``) in the background, from construction on.

    The file is cut into one part per usable CPU (at most _MAX_THREADS, parts of at least
    _MIN_PART bytes), each read by its own thread into fixed buffers of _FAST_CHUNK bytes: memory
    does not grow with the file. numpy compares and counts without the GIL, so the caller's thread
    can go on with other work meanwhile. :meth:`result` waits for the total; :meth:`cancel` stops
    the threads early when the count is no longer wanted.
    """

    def __init__(self, path: Path, newline: bytes = b"\n", *, threads: int | None = None) -> None:
        if len(newline) != 1:
            raise ValueError("newline must be one byte")
        size = path.stat().st_size
        if threads is None:
            threads = min(usable_cpus(), _MAX_THREADS)
        threads = max(1, min(threads, size // _MIN_PART or 1))
        bounds = [size * index // threads for index in range(threads + 1)]
        self._stop = threading.Event()
        try:
            import numpy  # noqa: F401 - imported once here, not by each thread
        except ImportError:  # pragma: no cover - numpy comes with pandas and xarray
            counter = _count_part_plain
        else:
            counter = _count_part
        pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="planet-count")
        self._parts = [
            pool.submit(counter, path, bounds[i], bounds[i + 1], newline[0], self._stop) for i in range(threads)
        ]
        pool.shutdown(wait=False)  # the threads end with their parts

    def result(self) -> int:
        """The number of newline bytes (re-raises an OSError of a reading thread)."""
        total = sum(part.result() for part in self._parts)
        if self._stop.is_set():
            raise RuntimeError("the newline count was cancelled")
        return total

    def cancel(self) -> None:
        self._stop.set()


def count_newlines(path: Path, newline: bytes = b"\n", *, threads: int | None = None) -> int:
    """How many ``newline`` bytes the file holds (``wc -l``), reading it in parallel parts."""
    return NewlineCounter(path, newline, threads=threads).result()


def _count_part(path: Path, start: int, end: int, byte: int, stop: threading.Event) -> int:
    """Newline bytes in [start, end) of the file; numpy compares and counts, releasing the GIL."""
    import numpy as np

    total = 0
    buffer = bytearray(_FAST_CHUNK)
    view = memoryview(buffer)
    data = np.frombuffer(buffer, dtype=np.uint8)
    equal = np.empty(_FAST_CHUNK, dtype=np.bool_)
    with path.open("rb", buffering=0) as handle:
        handle.seek(start)
        position = start
        while position < end and not stop.is_set():
            got = handle.readinto(view[: min(_FAST_CHUNK, end - position)])
            if not got:
                break
            total += int(np.count_nonzero(np.equal(data[:got], byte, out=equal[:got])))
            position += got
    return total


def _count_part_plain(path: Path, start: int, end: int, byte: int, stop: threading.Event) -> int:  # pragma: no cover
    total = 0
    needle = bytes([byte])
    with path.open("rb") as handle:
        handle.seek(start)
        position = start
        while position < end and not stop.is_set():
            chunk = handle.read(min(_FAST_CHUNK, end - position))
            if not chunk:
                break
            total += chunk.count(needle)
            position += len(chunk)
    return total
