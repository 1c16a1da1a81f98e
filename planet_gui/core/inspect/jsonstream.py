"""Read a JSON document without holding it all: arrays at the top level (or under a top-level key)
are streamed item by item to a callback; other values are decoded whole.

Built on ``json.JSONDecoder.raw_decode`` over a sliding text buffer, so only the standard library is
needed and each record is decoded by the C scanner.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TextIO

_CHUNK = 1 << 16
_WHITESPACE = " \t\r\n"


class JsonSyntaxError(ValueError):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"{message} (line {line}, column {column})")
        self.line = line
        self.column = column


class StopScan(Exception):
    """Raised by a callback to stop reading (e.g. enough has been seen of a huge file)."""


class JsonStream:
    def __init__(self, handle: TextIO) -> None:
        self._handle = handle
        self._decoder = json.JSONDecoder()
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.consumed = 0  # characters dropped from the front of ``buf``
        self._lines_dropped = 0
        self._last_line_start = 0  # absolute offset of the start of the last dropped line

    # -- buffer ---------------------------------------------------------------------------------------

    def _fill(self, amount: int = _CHUNK) -> bool:
        if self.eof:
            return False
        if self.pos > _CHUNK:
            dropped = self.buf[: self.pos]
            newlines = dropped.count("\n")
            if newlines:
                self._lines_dropped += newlines
                self._last_line_start = self.consumed + dropped.rfind("\n") + 1
            self.consumed += self.pos
            self.buf = self.buf[self.pos :]
            self.pos = 0
        chunk = self._handle.read(amount)
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    @property
    def offset(self) -> int:
        """Characters read and consumed so far."""
        return self.consumed + self.pos

    def location(self, pos: int | None = None) -> tuple[int, int]:
        """(line, column), 1-based, of buffer position ``pos`` (default: the current one)."""
        pos = self.pos if pos is None else pos
        before = self.buf[:pos]
        newlines = before.count("\n")
        line = self._lines_dropped + newlines + 1
        if newlines:
            column = pos - before.rfind("\n")
        else:
            column = self.consumed + pos - self._last_line_start + 1
        return line, column

    def error(self, message: str, pos: int | None = None) -> JsonSyntaxError:
        line, column = self.location(pos)
        return JsonSyntaxError(message, line, column)

    # -- tokens ---------------------------------------------------------------------------------------

    def peek(self) -> str | None:
        """The next non-blank character (not consumed), or None at the end."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return None

    def take(self, expected: str) -> None:
        char = self.peek()
        if char != expected:
            found = "the end of the file" if char is None else repr(char)
            raise self.error(f"Expected {expected!r} but found {found}")
        self.pos += 1

    def value(self) -> Any:
        """Decode the next complete JSON value."""
        pos = self.pos
        if pos >= len(self.buf) or self.buf[pos] in _WHITESPACE:
            if self.peek() is None:
                raise self.error("Unexpected end of the file")
        amount = _CHUNK
        while True:
            try:
                obj, end = self._decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                near_end = exc.pos >= len(self.buf) - 32 or exc.msg.startswith("Unterminated")
                if self.eof or not near_end:
                    raise self.error(exc.msg, exc.pos) from None
                self._fill(amount)
                amount *= 2
                continue
            if end >= len(self.buf) and not self.eof:
                if self._fill(amount):  # a number at the end of the buffer may go on
                    continue
            self.pos = end
            return obj

    # -- structure ------------------------------------------------------------------------------------

    def array(self, on_item: Callable[[Any], None]) -> int:
        """Stream the array starting here, calling ``on_item`` for each item; returns how many."""
        self.take("[")
        count = 0
        if self.peek() == "]":
            self.pos += 1
            return 0
        while True:
            on_item(self.value())
            count += 1
            pos = self.pos
            if pos < len(self.buf) and self.buf[pos] == ",":  # fast path: compact JSON
                self.pos = pos + 1
                continue
            char = self.peek()
            if char == ",":
                self.pos += 1
                continue
            if char == "]":
                self.pos += 1
                return count
            found = "the end of the file" if char is None else repr(char)
            raise self.error(f"Expected ',' or ']' in an array but found {found}")

    def object(self, on_value: Callable[[str], Callable[[Any], None] | None]) -> dict[str, Any]:
        """Read the object starting here. For each key, ``on_value(key)`` may return an item callback:
        then an array value is streamed to it and stored as its length; other values are decoded."""
        self.take("{")
        found: dict[str, Any] = {}
        if self.peek() == "}":
            self.pos += 1
            return found
        while True:
            if self.peek() != '"':
                raise self.error("Expected a quoted key in an object")
            key = self.value()
            self.take(":")
            callback = on_value(str(key))
            if callback is not None and self.peek() == "[":
                found[str(key)] = _Streamed(self.array(callback))
            else:
                found[str(key)] = self.value()
            char = self.peek()
            if char == ",":
                self.pos += 1
                continue
            if char == "}":
                self.pos += 1
                return found
            found_text = "the end of the file" if char is None else repr(char)
            raise self.error(f"Expected ',' or '}}' in an object but found {found_text}")

    def at_end(self) -> bool:
        return self.peek() is None


class _Streamed:
    """Stands for an array that was streamed to a callback: only its length is kept."""

    def __init__(self, length: int) -> None:
        self.length = length

    def __repr__(self) -> str:
        return f"<streamed array of {self.length}>"


def is_streamed(value: Any) -> bool:
    return isinstance(value, _Streamed)
