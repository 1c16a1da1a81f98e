"""Byte streams and row blocks, shared by the readers and the raw-byte scan (so neither imports the other)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class ByteStream(Protocol):
    """What a scan reads from: a file opened "rb", an S3 object's body, anything with ``read``."""

    def read(self, size: int = -1, /) -> bytes: ...


def read_exact(stream: ByteStream, size: int) -> bytes:
    """Up to ``size`` bytes, fewer only at the end (a network stream may return short reads)."""
    parts = []
    left = size
    while left > 0:
        data = stream.read(left)
        if not data:
            break
        parts.append(data)
        left -= len(data)
    return b"".join(parts)


def transpose(rows: list[list[str]], width: int) -> list[Sequence[str]]:
    """Rows to columns; short rows padded, long ones cut to the header's width."""
    if any(len(row) != width for row in rows):
        rows = [row[:width] if len(row) >= width else row + [""] * (width - len(row)) for row in rows]
    return list(zip(*rows, strict=True)) if rows else [[] for _ in range(width)]


class Counting:
    """A read-only byte stream that counts what was read: how much a scan covered, or how many packed bytes a
    decompressor took (its ratio guards against bombs)."""

    def __init__(self, raw: ByteStream) -> None:
        self.raw = raw
        self.count = 0

    def read(self, size: int = -1, /) -> bytes:
        data = self.raw.read(size)
        self.count += len(data)
        return data

    def readable(self) -> bool:
        return True
