"""Count the records of a delimited text file without parsing it: newlines, in chunks.

With ``quoted`` set, newlines between double quotes (a quoted cell spanning lines) do not end a
record; an escaped quote ``""`` toggles the state twice, so it needs no special case. Blank lines
are not records, as for every CSV reader. Works on the raw bytes of any ASCII-compatible encoding.
"""

from __future__ import annotations

import re
from pathlib import Path

_CHUNK = 4 * 1024 * 1024


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
