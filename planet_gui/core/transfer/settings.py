"""The upload engine's settings: a plain dataclass in a module of its own, so the window can read and change
them (the bandwidth cap) at start without loading the engine and the S3 client behind it."""

from __future__ import annotations

from dataclasses import dataclass, field

from planet_gui.core.transfer.retry import RetryPolicy
from planet_gui.core.transfer.sizing import DEFAULT_PART_SIZE


@dataclass(frozen=True)
class TransferSettings:
    concurrency: int = 3  # requests carrying data in flight at once, over all files
    file_concurrency: int = 4  # files being hashed/checked/driven at once
    part_size: int = DEFAULT_PART_SIZE
    memory_budget: int = 0  # bytes of file data in memory at once; 0 = (concurrency + 1) * part size
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_rate: int = 0  # bytes per second over all uploads; 0 = as fast as the network goes
    #: how much lower than the process the upload threads run (Linux: a thread's own nice value; elsewhere
    #: ignored). The window passes a few steps so its UI thread wins a contended core; the CLI keeps 0.
    niceness: int = 0

    @property
    def budget(self) -> int:
        return self.memory_budget or (self.concurrency + 1) * self.part_size
