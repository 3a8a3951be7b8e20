"""Counting distinct URLs in bounded memory: exact for a crawl's usual numbers, approximate past them.

The spider counts the distinct article links a crawl discovered and those it left for later
(not due). A set of every URL grows with the site; :class:`DistinctCounter` keeps 64-bit hashes
of up to ``exact_limit`` keys (exact counts, about 60 bytes a key), then switches to a
HyperLogLog sketch of ``2**precision`` one-byte registers (16 KiB at the default 14: a
standard error of 1.04 / sqrt(2**14) = 0.81 %, the algorithm and precision of Redis's PFCOUNT).

Written here rather than taken from a library: the sketch is 30 lines of arithmetic, and the
packages that offer one (datasketch) bring numpy and scipy for it.
"""

from __future__ import annotations

import hashlib
import math

#: Keys counted exactly before the counter becomes a sketch.
EXACT_LIMIT = 20_000
#: Register-index bits of the sketch: 2**14 registers, 0.81 % standard error.
PRECISION = 14


def _hash64(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")


class DistinctCounter:
    """The number of distinct strings added; exact up to ``exact_limit``, then within about
    1 % (HyperLogLog), in at most ``2**precision`` bytes."""

    def __init__(self, exact_limit: int = EXACT_LIMIT, precision: int = PRECISION) -> None:
        self.exact_limit = exact_limit
        self.precision = precision
        self._hashes: set[int] | None = set()
        self._registers: bytearray | None = None

    @property
    def exact(self) -> bool:
        """Whether the count is exact (the sketch has not been needed yet)."""
        return self._hashes is not None

    def add(self, key: str) -> None:
        h = _hash64(key)
        if self._hashes is not None:
            self._hashes.add(h)
            if len(self._hashes) > self.exact_limit:
                self._to_sketch()
        else:
            self._add_hash(h)

    def __len__(self) -> int:
        if self._hashes is not None:
            return len(self._hashes)
        assert self._registers is not None
        return _estimate(self._registers)

    def union_len(self, other: DistinctCounter) -> int:
        """How many distinct keys were added to this counter or ``other`` (same precision)."""
        if self._hashes is not None and other._hashes is not None:
            return len(self._hashes | other._hashes)
        a, b = self._as_registers(), other._as_registers()
        return _estimate(bytearray(max(x, y) for x, y in zip(a, b, strict=True)))

    def _to_sketch(self) -> None:
        hashes, self._hashes = self._hashes or set(), None
        self._registers = bytearray(1 << self.precision)
        for h in hashes:
            self._add_hash(h)

    def _as_registers(self) -> bytearray:
        if self._registers is not None:
            return self._registers
        sketch = DistinctCounter(self.exact_limit, self.precision)
        sketch._to_sketch()
        for h in self._hashes or ():
            sketch._add_hash(h)
        assert sketch._registers is not None
        return sketch._registers

    def _add_hash(self, h: int) -> None:
        assert self._registers is not None
        p = self.precision
        index, rest = h >> (64 - p), h & ((1 << (64 - p)) - 1)
        rank = (64 - p) - rest.bit_length() + 1  # position of the first 1 bit
        if rank > self._registers[index]:
            self._registers[index] = rank


def _estimate(registers: bytearray) -> int:
    """The HyperLogLog estimate (with the small-range correction, linear counting)."""
    m = len(registers)
    alpha = 0.7213 / (1 + 1.079 / m)
    raw = alpha * m * m / sum(2.0 ** -r for r in registers)
    empty = registers.count(0)
    if raw <= 2.5 * m and empty:
        return round(m * math.log(m / empty))
    return round(raw)
