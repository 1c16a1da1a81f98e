"""An upload bandwidth cap, for hospital networks where a full-speed upload would starve everyone else.

A token bucket shared by every part of every file: a part may leave once the bucket has earned its bytes.
The average rate stays at the cap; single parts still travel at line speed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    def __init__(self, bytes_per_second: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if bytes_per_second <= 0:
            raise ValueError("a rate limit must be positive")
        self.rate = float(bytes_per_second)
        self._clock = clock
        self._lock = threading.Lock()
        self._next_free = clock()  # when the bucket will have paid off everything granted so far
        self._wake = threading.Event()

    def delay_for(self, amount: int) -> float:
        """Reserve ``amount`` bytes and return how long the caller must wait before sending them."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next_free)
            self._next_free = start + amount / self.rate
            return start - now

    def acquire(self, amount: int, check: Callable[[], None] | None = None, step: float = 0.5) -> None:
        """Wait until ``amount`` bytes may go; ``check`` runs every ``step`` s so pause/cancel still work."""
        deadline = self._clock() + self.delay_for(amount)
        while (left := deadline - self._clock()) > 0:
            if check is not None:
                check()
            self._wake.wait(min(step, left))
