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
from dataclasses import dataclass

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TWO_POW_53 = 2.0**-53


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser on a uint64 array (wrap-around arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


def stable_hash(text: str) -> np.uint64:
    """A 64-bit hash of a name that is stable across processes and Python versions."""
    return np.uint64(int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little"))


@dataclass(frozen=True)
class Streams:
    """Keyed random streams for one chunk of runs.

    Attributes:
        seed: the ensemble seed (non-negative int).
        run_ids: (runs,) int64, global run indices of this chunk.
    """

    seed: int
    run_ids: np.ndarray

    def _base(self, month: int, mechanism: str) -> np.ndarray:
        with np.errstate(over="ignore"):
            seed_key = _mix(np.uint64(self.seed) + _GOLDEN)
            runs = self.run_ids.astype(np.uint64)
            h = _mix(seed_key ^ _mix(runs * _GOLDEN + np.uint64(1)))
            h = _mix(h ^ (np.uint64(month + 1) * _M1))
            return _mix(h ^ stable_hash(mechanism))

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
        n_sites = int(np.prod(shape)) if shape else 1
        sites = np.arange(n_sites, dtype=np.uint64)
        with np.errstate(over="ignore"):
            h = _mix(base[:, None] ^ _mix(sites[None, :] * _M2 + _GOLDEN))
        u = ((h >> np.uint64(11)).astype(np.float64) + 0.5) * _TWO_POW_53
        return u.reshape((len(self.run_ids), *shape))

    def normal(self, month: int, mechanism: str, shape: tuple[int, ...] = ()) -> np.ndarray:
        """Standard normal draws (Box-Muller on two keyed uniform streams)."""
        u1 = self.uniform(month, mechanism + "#n1", shape)
        u2 = self.uniform(month, mechanism + "#n2", shape)
        return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)

    def subset(self, index: np.ndarray) -> Streams:
        """Streams for a subset of this chunk's runs (same keys, so same draws)."""
        return Streams(self.seed, self.run_ids[index])
