"""Part buffers that are reused instead of allocated for every part.

A fresh 8 MiB ``bytes`` per part costs the client thousands of page faults and the kernel's zeroing of every
page, and the allocator's heap grows with the number of parts (glibc raises its mmap threshold after the first
large free, so later parts land in arenas that are not given back). Reading each part into one of a few
reused buffers keeps the process's memory flat whatever the file size, and leaves more CPU to the transfer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class BufferPool:
    """Free buffers by size, keeping at most ``keep`` bytes of them. Taking never blocks: how many buffers are
    in use at once is the engine's byte budget's job."""

    def __init__(self, keep: int) -> None:
        self._keep = keep
        self._kept = 0
        self._free: dict[int, list[bytearray]] = {}
        self._lock = threading.Lock()

    def take(self, size: int) -> bytearray:
        with self._lock:
            free = self._free.get(size)
            if free:
                self._kept -= size
                return free.pop()
        return bytearray(size)

    def give(self, buffer: bytearray) -> None:
        size = len(buffer)
        with self._lock:
            if self._kept + size <= self._keep:
                self._free.setdefault(size, []).append(buffer)
                self._kept += size

    @property
    def kept(self) -> int:
        with self._lock:
            return self._kept


class Budget:
    """Bytes of file data allowed in memory at once. A request larger than the budget waits until nothing
    else is held, so one huge part can still go through."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self.peak = 0
        self._cond = threading.Condition()

    def acquire(self, amount: int, check: Callable[[], None]) -> None:
        with self._cond:
            while self.used and self.used + amount > self.limit:
                check()
                self._cond.wait(0.2)
            self.used += amount
            self.peak = max(self.peak, self.used)

    def release(self, amount: int) -> None:
        with self._cond:
            self.used -= amount
            self._cond.notify_all()


class Lease:
    """A part's buffer shared by its sender and the reader that hashes it at the same time: it goes back to
    the pool, and its bytes back to the budget, when the last of them is done with it (never before, or
    another file's reader could overwrite bytes still being hashed)."""

    def __init__(self, buffer: bytearray, charged: int, give_back: Callable[[bytearray, int], None],
                 holders: int = 2) -> None:
        self.buffer = buffer
        self._charged = charged
        self._give_back = give_back
        self._holders = holders
        self._lock = threading.Lock()

    def done(self) -> None:
        with self._lock:
            self._holders -= 1
            last = self._holders == 0
        if last:
            self._give_back(self.buffer, self._charged)
