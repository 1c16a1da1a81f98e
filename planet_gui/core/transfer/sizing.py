"""Part sizes within S3's limits, chosen from the file size.

S3 (and MinIO, SeaweedFS) accept parts of 5 MiB to 5 GiB, at most 10,000 of them, and objects of at most
5 TiB. Parts are a fixed size so memory stays bounded whatever the file size: the engine holds at most a few
parts in memory. The part size only grows beyond the preferred size when a file would need more than
10,000 parts (files over ~78 GiB at 8 MiB).
"""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024
GiB = 1024 * MiB
MIN_PART_SIZE = 5 * MiB
MAX_PART_SIZE = 5 * GiB
MAX_PARTS = 10_000
MAX_OBJECT_SIZE = 5 * 1024 * GiB
MAX_SINGLE_PUT = 5 * GiB
#: with 3 in flight (the engine's default), SeaweedFS spends less CPU per byte than with 16 MiB parts, 4 in
#: flight (its whole parts sit in its memory); see tests/bench/README.md, "Where the time goes"
DEFAULT_PART_SIZE = 8 * MiB
#: sizes are rounded up to this, so they are easy to read in logs and align with the disk's pages
_ALIGN = 1 * MiB


class TooLarge(ValueError):
    """The file is larger than S3 can store as one object."""


@dataclass(frozen=True)
class PartPlan:
    size: int
    part_size: int
    part_count: int

    @property
    def multipart(self) -> bool:
        return self.part_count > 1

    def bounds(self, part_number: int) -> tuple[int, int]:
        """(offset, length) of a 1-based part."""
        if not 1 <= part_number <= self.part_count:
            raise IndexError(part_number)
        offset = (part_number - 1) * self.part_size
        return offset, min(self.part_size, self.size - offset)


def choose_part_size(size: int, preferred: int = DEFAULT_PART_SIZE) -> int:
    """The smallest part size >= ``preferred`` (clamped to S3's limits) that needs at most 10,000 parts."""
    if size < 0:
        raise ValueError("size must not be negative")
    if size > MAX_OBJECT_SIZE:
        raise TooLarge(f"{size} bytes is more than the 5 TiB an S3 object may hold")
    part_size = min(max(preferred, MIN_PART_SIZE), MAX_PART_SIZE)
    needed = -(-size // MAX_PARTS)  # ceil
    if needed > part_size:
        part_size = -(-needed // _ALIGN) * _ALIGN
    return min(part_size, MAX_PART_SIZE)


def plan_parts(size: int, preferred: int = DEFAULT_PART_SIZE) -> PartPlan:
    """One part (a single PUT) for files up to the part size, else equal parts and a shorter last one."""
    part_size = choose_part_size(size, preferred)
    if size <= part_size:
        return PartPlan(size=size, part_size=max(size, 1), part_count=1)
    count = -(-size // part_size)
    assert count <= MAX_PARTS
    return PartPlan(size=size, part_size=part_size, part_count=count)
