"""Read a JSON document in bounded memory, whatever its shape: ijson's C parser (yajl2_c) gives events,
and values are built from them here under limits.

Arrays at the top level (or under a top-level key) are streamed item by item to a callback; other
values are built whole, but nothing is built without a bound:

* nesting deeper than ``MAX_DEPTH`` is refused (``[[[[...`` with millions of levels);
* one value (a record, or a value beside the records) holds at most ``MAX_VALUE_NODES`` nodes, and the
  values kept at once (samples, the document's other keys) at most ``MAX_KEPT_NODES`` — a node is a
  scalar or container, long strings count per 64 characters, and strings are clipped to
  ``MAX_STRING_CHARS`` once read;
* one value (a record, a value beside the records) spans at most ``MAX_VALUE_BYTES`` of text: one
  300 MB string, number or record is refused after 32 MB, not read (yajl holds a token whole).

The records of a top-level array and the values of JSON Lines take a faster way (:meth:`JsonStream.items`):
building each value from ijson's events in Python cost 2-3x the old ``json``-based reader, so the standard
library's C scanner decodes each one, and a walk over the result then applies the same limits. (ijson's own C
builder is no help: it tracks each event's path, which makes deep nesting cost quadratic time.) The scanner
holds no bound of its own but the recursion limit, so that way is taken only while each value spans at most
``FAST_VALUE_BYTES`` of text (at most about 500,000 nodes); a longer one, or anything the scanner refuses,
ends it (:class:`FastPathDeclined`) and the caller reads the document again from its start the
event-by-event way, under the limits above, which also words any syntax error.

Text is decoded with the detected encoding (undecodable bytes replaced) and fed to the parser as
UTF-8. Syntax errors say where they are (line and column, found from the parser's excerpt).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterator
from typing import IO, Any

import ijson

from planet_gui.core.i18n import tr

MAX_DEPTH = 256
MAX_VALUE_NODES = 1_000_000
MAX_KEPT_NODES = 1_000_000
MAX_STRING_CHARS = 32_768
MAX_VALUE_BYTES = 32 * 1024 * 1024
_CHUNK = 64 * 1024
# yajl re-scans a token cut by a chunk boundary from its start: once a value is long, read in big chunks so
# that a huge string costs a few re-scans, not hundreds (small chunks otherwise keep ``offset`` precise)
_BIG_CHUNK = 1024 * 1024
_LONG_VALUE = 2 * 1024 * 1024
_STRING_UNIT = 64
_SINK_COST = 16  # nodes a streamed array's callback holds besides its sample
FAST_VALUE_BYTES = 1024 * 1024  # the longest value ijson's C builder makes (see the module's docstring)


class JsonSyntaxError(ValueError):
    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(f"{message}{where}")
        self.line = line
        self.column = column


class JsonLimit(ValueError):
    """The document breaks one of the limits above; the message is for a person."""


class StopScan(Exception):
    """Raised by a callback to stop reading (e.g. enough has been seen of a huge file)."""


class FastPathDeclined(Exception):
    """A value is longer than :data:`FAST_VALUE_BYTES`: read the document again with a new, slow stream."""


class _Source:
    """Bytes of the file, decoded and re-encoded as UTF-8 for the parser; counts and guards what passes."""

    def __init__(self, handle: IO[bytes], encoding: str) -> None:
        self._handle = handle
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self.offset = 0  # raw bytes read
        self.since_value = 0  # bytes fed since the last value was complete
        self.recent = b""  # the last two chunks fed, to locate a syntax error
        self.lines_before_recent = 0
        self.recent_start = 0
        self.done = False
        self.fast = False  # the C builder reads: a value over FAST_VALUE_BYTES ends that way

    def read(self, size: int = _CHUNK) -> bytes:
        if size == 0:  # ijson asks for nothing to learn whether the source gives bytes or text
            return b""
        if self.fast and self.since_value > FAST_VALUE_BYTES:
            raise FastPathDeclined
        if self.since_value > MAX_VALUE_BYTES:
            raise JsonLimit(tr("a single JSON value (a record, a string) is longer than {mb} MB; it is not read.",
                               mb=MAX_VALUE_BYTES // 1_000_000))
        raw = self._handle.read(_BIG_CHUNK if self.since_value > _LONG_VALUE else _CHUNK)
        self.offset += len(raw)
        self.done = not raw
        data = self._decoder.decode(raw, final=not raw).encode("utf-8", errors="replace")
        self.since_value += len(data)
        if len(self.recent) > _CHUNK:
            dropped = self.recent[: -_CHUNK]
            self.lines_before_recent += dropped.count(b"\n")
            self.recent_start += len(dropped)
            self.recent = self.recent[-_CHUNK:]
        self.recent += data
        return data

    def locate(self, message: str) -> tuple[int, int] | None:
        """(line, column) of a yajl error, from the excerpt yajl prints under a caret."""
        lines = message.split("\n")
        for index in range(1, len(lines)):
            caret = lines[index].rstrip()
            if caret.endswith("^") and "right here" in caret:
                excerpt = lines[index - 1]
                indent = len(excerpt) - len(excerpt.lstrip(" "))
                snippet = excerpt.strip(" ").encode("utf-8", errors="replace")
                at = len(caret) - 1 - indent
                flat = self.recent.replace(b"\n", b" ").replace(b"\r", b" ").replace(b"\t", b" ")
                found = flat.find(snippet.replace(b"\t", b" ")) if snippet else -1
                if found < 0 or at < 0:
                    return None
                position = found + at
                before = self.recent[:position]
                line = self.lines_before_recent + before.count(b"\n") + 1
                column = position - (before.rfind(b"\n") + 1) + 1
                return line, column
        return None


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity: not JSON, whatever Python's scanner would make of them


class _Text:
    """The fast way's reader: text from a :class:`_Source`, values decoded by ``json``'s C scanner."""

    def __init__(self, source: _Source) -> None:
        self._source = source
        self._decode = json.JSONDecoder(parse_constant=_no_constant).raw_decode
        self.text = ""
        self.pos = 0

    def _fill(self) -> bool:
        if self._source.done:
            return False
        if self.pos > _CHUNK:
            self.text = self.text[self.pos:]
            self.pos = 0
        chunk = self._source.read()
        self.text += chunk.decode("utf-8")  # whole characters: the source re-encodes what it decoded
        return bool(chunk)

    def _skip(self) -> bool:
        """Past blank space; False at the end of the file."""
        while True:
            text = self.text
            pos = self.pos
            while pos < len(text) and text[pos] in " \t\r\n":
                pos += 1
            self.pos = pos
            if pos < len(text):
                return True
            if not self._fill():
                return False

    def at_end(self) -> bool:
        return not self._skip()

    def take(self, char: str) -> bool:
        if self._skip() and self.text[self.pos] == char:
            self.pos += 1
            return True
        return False

    def value(self) -> Any:
        if not self._skip():
            raise FastPathDeclined
        while True:
            try:
                value, end = self._decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                incomplete = exc.pos >= len(self.text) - 32 or exc.msg.startswith("Unterminated")
                if incomplete and self._fill():
                    continue
                raise FastPathDeclined from None
            except (ValueError, RecursionError):  # NaN, a number of over 4,300 digits, deep nesting
                raise FastPathDeclined from None
            if end >= len(self.text) and self._fill():  # a number at the end of the text may go on
                continue
            self.pos = end
            self._source.since_value = 0
            return value


_END = ("end_map", "end_array")
_CONTAINERS = ("start_map", "start_array")
_BRACKETS = {"start_array": "[", "start_map": "{", "end_array": "]", "end_map": "}"}
_SCALARS = frozenset(("string", "number", "boolean", "null", "integer", "double"))


class JsonStream:
    def __init__(self, handle: IO[bytes], encoding: str = "utf-8") -> None:
        self._source = _Source(handle, encoding)
        self._events: Iterator[tuple[str, Any]] = ijson.basic_parse(
            self._source, use_float=True, multiple_values=True, buf_size=_CHUNK
        )
        self._next: tuple[str, Any] | None = None
        self.kept = 0  # nodes of values kept (samples, other keys), against MAX_KEPT_NODES

    @property
    def offset(self) -> int:
        """Bytes of the file read so far."""
        return self._source.offset

    def keep(self, nodes: int) -> None:
        """Count ``nodes`` as kept in memory by the caller."""
        self.kept += nodes
        if self.kept > MAX_KEPT_NODES:
            raise JsonLimit(tr("the document holds more than {count:,} values outside arrays of records, too "
                               "many to read as a table.", count=MAX_KEPT_NODES))

    def error(self, message: str) -> JsonSyntaxError:
        return JsonSyntaxError(message)

    # -- events ---------------------------------------------------------------------------------------

    def _pull(self) -> tuple[str, Any] | None:
        following = self._next
        if following is not None:
            self._next = None
            return following
        try:
            event: tuple[str, Any] = next(self._events)
        except StopIteration:
            return None
        except ijson.JSONError as exc:
            raise self._syntax(exc) from None
        return event

    def _syntax(self, exc: Exception) -> JsonSyntaxError:
        message = str(exc)
        where = self._source.locate(message)
        first = message.strip().split("\n")[0].removeprefix("parse error: ")
        return JsonSyntaxError(first) if where is None else JsonSyntaxError(first, *where)

    def _peek_event(self) -> tuple[str, Any] | None:
        if self._next is None:
            self._next = self._pull()
        return self._next

    def peek(self) -> str | None:
        """"[" or "{" when a container comes next, "" for a scalar, None at the end."""
        event = self._peek_event()
        if event is None:
            return None
        return _BRACKETS.get(event[0], "")

    def at_end(self) -> bool:
        return self._peek_event() is None

    # -- values ---------------------------------------------------------------------------------------

    def value(self) -> Any:
        return self.value_sized()[0]

    def value_sized(self) -> tuple[Any, int]:
        """The next value, built under the limits, and how many nodes it holds.

        The loop runs once per JSON token, so it is written flat: no method call per event."""
        event = self._pull()
        if event is None:
            raise JsonSyntaxError("Unexpected end of the file")
        kind, scalar = event
        if kind not in _CONTAINERS:
            if kind in _END or kind == "map_key":
                raise JsonSyntaxError(f"Unexpected {kind}")
            self._source.since_value = 0
            return _clip(scalar), _cost(scalar)
        root: Any = {} if kind == "start_map" else []
        stack: list[Any] = [root]
        keys: list[Any] = [None]
        nodes = 1
        events = self._events
        try:
            while stack:
                kind, scalar = next(events)
                if kind == "map_key":
                    keys[-1] = scalar
                    continue
                if kind == "end_map" or kind == "end_array":
                    stack.pop()
                    keys.pop()
                    continue
                if kind == "start_map" or kind == "start_array":
                    item: Any = {} if kind == "start_map" else []
                    nodes += 1
                elif kind == "string":
                    nodes += 1 + len(scalar) // _STRING_UNIT
                    item = scalar if len(scalar) <= MAX_STRING_CHARS else scalar[:MAX_STRING_CHARS]
                else:
                    nodes += 1
                    item = scalar
                parent = stack[-1]
                if type(parent) is dict:
                    parent[keys[-1]] = item
                else:
                    parent.append(item)
                if type(item) is dict or type(item) is list:
                    stack.append(item)
                    keys.append(None)
                    if len(stack) > MAX_DEPTH:
                        raise JsonLimit(tr("the JSON nests more than {depth} levels deep.", depth=MAX_DEPTH))
                if nodes > MAX_VALUE_NODES:
                    raise JsonLimit(tr("one record or value holds more than {count:,} values; that is not a record "
                                       "of a table.", count=MAX_VALUE_NODES))
        except StopIteration:
            raise JsonSyntaxError("Unexpected end of the file") from None
        except ijson.JSONError as exc:
            raise self._syntax(exc) from None
        self._source.since_value = 0
        return root, nodes

    # -- the fast way ---------------------------------------------------------------------------------

    def items(self, array: bool, on_item: Callable[[Any, int], None]) -> int:
        """Stream a top-level array's items (``array``), or JSON Lines' values one after another, to
        ``on_item(item, nodes)``, each decoded by the standard library's C scanner and then checked and clipped
        as :meth:`value_sized` does; returns how many. Only on a stream nothing was read from. Raises
        :class:`FastPathDeclined` (the stream is then spent) for a value too long for this way, and for anything
        that is not plain valid JSON (a syntax error, ``NaN``, nesting deeper than the scanner's recursion
        limit): the slow way then reads the document and says what is wrong, where, in its own words."""
        source = self._source
        if source.offset or self._next is not None:
            raise RuntimeError("JsonStream.items must be the first read")
        source.fast = True
        reader = _Text(source)
        count = 0
        try:
            if array:
                if not reader.take("["):
                    raise FastPathDeclined
                if reader.take("]"):
                    return self._ended(reader, count)
            while True:
                if not array and reader.at_end():
                    return self._ended(reader, count)
                on_item(*_bounded(reader.value()))
                count += 1
                if array and not reader.take(","):
                    if reader.take("]"):
                        return self._ended(reader, count)
                    raise FastPathDeclined
        finally:
            source.fast = False

    def _ended(self, reader: _Text, count: int) -> int:
        if not reader.at_end():
            raise FastPathDeclined  # text after the array: the slow way says where
        self._events = iter(())  # at_end() holds
        return count

    # -- structure ------------------------------------------------------------------------------------

    def array(self, on_item: Callable[[Any, int], None]) -> int:
        """Stream the array starting here, calling ``on_item(item, nodes)`` for each; returns how many."""
        event = self._pull()
        if event is None or event[0] != "start_array":
            raise JsonSyntaxError("Expected an array")
        count = 0
        while True:
            following = self._peek_event()
            if following is None:
                raise JsonSyntaxError("Unexpected end of the file")
            if following[0] == "end_array":
                self._pull()
                return count
            on_item(*self.value_sized())
            count += 1

    def object(self, on_value: Callable[[str], Callable[[Any, int], None] | None]) -> dict[str, Any]:
        """Read the object starting here. For each key, ``on_value(key)`` may return an item callback:
        then an array value is streamed to it and stored as its length; other values are built and kept.

        Scalars take a fast path: a top-level object of a million keys is refused in seconds, not minutes."""
        event = self._pull()
        if event is None or event[0] != "start_map":
            raise JsonSyntaxError("Expected an object")
        found: dict[str, Any] = {}
        pull = self._pull
        while True:
            event = pull()
            if event is None:
                raise JsonSyntaxError("Unexpected end of the file")
            if event[0] == "end_map":
                return found
            key = str(event[1])
            following = pull()
            if following is None:
                raise JsonSyntaxError("Unexpected end of the file")
            kind, scalar = following
            if kind in _SCALARS:
                self.kept += 2 + (len(key) + len(scalar) if isinstance(scalar, str) else len(key)) // _STRING_UNIT
                if self.kept > MAX_KEPT_NODES:
                    self.keep(0)
                found[key] = _clip(scalar)
                self._source.since_value = 0
                continue
            self._next = following
            self.keep(1 + len(key) // _STRING_UNIT)
            callback = on_value(key) if kind == "start_array" else None  # a callback only for arrays
            if callback is not None:
                self.keep(_SINK_COST)
                found[key] = _Streamed(self.array(callback))
            else:
                value, nodes = self.value_sized()
                self.keep(nodes)
                found[key] = value


def _bounded(value: Any) -> tuple[Any, int]:
    """A value the C builder made, under :meth:`JsonStream.value_sized`'s limits: strings clipped (in place),
    nesting and nodes counted the same way; the value and its nodes."""
    kind = type(value)
    if kind is not dict and kind is not list:
        return _clip(value), _cost(value)
    scalars = value.values() if kind is dict else value
    kinds = set(map(type, scalars))  # the common record, flat, is counted in C: no Python step per field
    if dict not in kinds and list not in kinds:
        nodes = 1 + len(value)
        if str in kinds and max(map(len, filter(_IS_STR, scalars))) >= _STRING_UNIT:
            return _bounded_nested(value)
        if nodes <= MAX_VALUE_NODES:
            return value, nodes
    return _bounded_nested(value)


_IS_STR = str.__instancecheck__


def _bounded_nested(value: Any) -> tuple[Any, int]:
    """:func:`_bounded` for a value holding containers or long strings: walked, container by container."""
    nodes = 1
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        container, depth = stack.pop()
        pairs = container.items() if type(container) is dict else enumerate(container)
        for key, item in pairs:
            kind = type(item)
            if kind is str:
                nodes += 1 + len(item) // _STRING_UNIT
                if len(item) > MAX_STRING_CHARS:
                    container[key] = item[:MAX_STRING_CHARS]  # the same key: the dict does not change size
            elif kind is dict or kind is list:
                nodes += 1
                if depth >= MAX_DEPTH:
                    raise JsonLimit(tr("the JSON nests more than {depth} levels deep.", depth=MAX_DEPTH))
                stack.append((item, depth + 1))
            else:
                nodes += 1
        if nodes > MAX_VALUE_NODES:
            raise JsonLimit(tr("one record or value holds more than {count:,} values; that is not a record of a "
                               "table.", count=MAX_VALUE_NODES))
    return value, nodes


def _clip(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_STRING_CHARS:
        return value[:MAX_STRING_CHARS]
    return value


def _cost(value: Any) -> int:
    if isinstance(value, str):
        return 1 + min(len(value), MAX_STRING_CHARS) // _STRING_UNIT
    return 1


class _Streamed:
    """Stands for an array that was streamed to a callback: only its length is kept."""

    def __init__(self, length: int) -> None:
        self.length = length

    def __repr__(self) -> str:
        return f"<streamed array of {self.length}>"


def is_streamed(value: Any) -> bool:
    return isinstance(value, _Streamed)
