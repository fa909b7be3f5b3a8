"""Counter-based random numbers keyed on (seed, run, month, mechanism, site).

Every draw is a pure function of its key, so run ``k`` of an ensemble sees the same
numbers whether it is stepped alone, in a chunk of 10,000, on another Dask worker or
after a resume; two scenarios sharing a seed see the same weather and the same luck
(common random numbers for paired counterfactuals).

The hash is the SplitMix64 finaliser (Steele, Lea & Flood 2014, "Fast splittable
pseudorandom number generators", OOPSLA), applied once per key component. It passes
BigCrush as a counter-based generator and is fully vectorised in numpy, which a
per-run ``numpy.random.Philox`` object is not (creating 10,000 generators per month
per mechanism would dominate the step).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TWO_POW_53 = 2.0**-53
_TWO_POW_32 = 2.0**-32
_MASK64 = (1 << 64) - 1
_S11, _S27, _S30, _S31 = (np.uint64(k) for k in (11, 27, 30, 31))


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser on a uint64 array (wrap-around arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


def _mix_inplace(x: np.ndarray) -> np.ndarray:
    """``_mix`` overwriting its (owned, uint64) argument: same bits, one scratch array."""
    tmp = np.right_shift(x, _S30)
    x ^= tmp
    x *= _M1
    np.right_shift(x, _S27, out=tmp)
    x ^= tmp
    x *= _M2
    np.right_shift(x, _S31, out=tmp)
    x ^= tmp
    return x


@lru_cache(maxsize=4096)
def stable_hash(text: str) -> np.uint64:
    """A 64-bit hash of a name that is stable across processes and Python versions."""
    return np.uint64(int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little"))


@lru_cache(maxsize=64)
def _site_keys(n_sites: int) -> np.ndarray:
    """Mixed keys of the sites 0..n_sites-1 (shared by every draw of that shape)."""
    with np.errstate(over="ignore"):
        keys = _mix(np.arange(n_sites, dtype=np.uint64)[None, :] * _M2 + _GOLDEN)
    keys.flags.writeable = False
    return keys


@dataclass(frozen=True)
class Streams:
    """Keyed random streams for one chunk of runs.

    Attributes:
        seed: the ensemble seed (non-negative int).
        run_ids: (runs,) int64, global run indices of this chunk.
    """

    seed: int
    run_ids: np.ndarray

    @cached_property
    def _run_keys(self) -> np.ndarray:
        """(runs,) uint64 keys of (seed, run), the same for every draw of the chunk."""
        with np.errstate(over="ignore"):
            seed_key = _mix(np.uint64(self.seed) + _GOLDEN)
            runs = self.run_ids.astype(np.uint64)
            keys = _mix(seed_key ^ _mix(runs * _GOLDEN + np.uint64(1)))
        keys.flags.writeable = False
        return keys

    @cached_property
    def _month_cache(self) -> dict[int, np.ndarray]:
        return {}

    def _month_keys(self, month: int) -> np.ndarray:
        """(runs,) keys of (seed, run, month), shared by every draw of the month."""
        cache = self._month_cache
        keys = cache.get(month)
        if keys is None:
            counter = np.uint64(((month + 1) * int(_M1)) & _MASK64)
            keys = _mix(self._run_keys ^ counter)
            keys.flags.writeable = False
            if len(cache) >= 4:  # months advance: keep a few recent counters only
                cache.clear()
            cache[month] = keys
        return keys

    def _base(self, month: int, mechanism: str) -> np.ndarray:
        return _mix_inplace(self._month_keys(month) ^ stable_hash(mechanism))

    def uniform(self, month: int, mechanism: str, shape: tuple[int, ...] = ()) -> np.ndarray:
        """Uniform draws on the open interval (0, 1).

        Args:
            month: month index since the scenario start (the counter).
            mechanism: mechanism name, e.g. ``"weather"``.
            shape: the site shape (regions, leaders, ...); the run axis is prepended.

        Returns:
            (runs, *shape) float64.
        """
        base = self._base(month, mechanism)
        h = _mix_inplace(base[:, None] ^ _site_keys(math.prod(shape)))
        h >>= _S11
        # Below 2**53 after the shift: as int64 the same value, which converts faster.
        u = h.view(np.int64).astype(np.float64)
        u += 0.5
        u *= _TWO_POW_53
        return u.reshape((len(self.run_ids), *shape))

    def uniform32(self, month: int, mechanism: str, shape: tuple[int, ...] = ()) -> np.ndarray:
        """Uniform draws on (0, 1) at 32-bit resolution, two per 64-bit hash.

        Half the hashing of :meth:`uniform`, for hot draws (one per producer per month)
        where steps of 2**-32 are fine enough. Site ``2j`` takes the low 32-bit word of
        hash ``j``, site ``2j + 1`` its high word. A different stream from
        :meth:`uniform` under the same name.

        Returns:
            (runs, *shape) float64.
        """
        n_sites = math.prod(shape)
        base = self._base(month, mechanism)
        h = _mix_inplace(base[:, None] ^ _site_keys((n_sites + 1) // 2))
        words = h.astype("<u8", copy=False).view("<u4")  # same words on any byte order
        words = words if words.shape[1] == n_sites else words[:, :n_sites]
        u = words.astype(np.float64)
        u += 0.5
        u *= _TWO_POW_32
        return u.reshape((len(self.run_ids), *shape))

    def normal(self, month: int, mechanism: str, shape: tuple[int, ...] = ()) -> np.ndarray:
        """Standard normal draws (Box-Muller on two keyed uniform streams)."""
        radius = self.uniform(month, mechanism + "#n1", shape)
        angle = self.uniform(month, mechanism + "#n2", shape)
        # In place, operation for operation as sqrt(-2 log u1) * cos(2 pi u2): same bits.
        np.log(radius, out=radius)
        radius *= -2.0
        np.sqrt(radius, out=radius)
        angle *= 2.0 * np.pi
        np.cos(angle, out=angle)
        radius *= angle
        return radius

    def subset(self, index: np.ndarray) -> Streams:
        """Streams for a subset of this chunk's runs (same keys, so same draws)."""
        return Streams(self.seed, self.run_ids[index])
