"""The month's working arrays of the struggle and the events it emits.

``Work`` holds the month's copy-on-write arrays over the politics state and the events
emitted; ``OFFICE_WEIGHT`` ranks the offices; ``names``/``mask_names`` render leader ids.
"""

from __future__ import annotations

import numpy as np

from ottepel.core.mechanisms.politics.leaders import load_leaders

# Relative weight of each office in a leader's power (order of OFFICES). The ranking follows
# Taubman 2003 and Tompson 1995: the party secretaryship first, the premiership second.
OFFICE_WEIGHT = np.array([1.0, 0.8, 0.6, 0.4, 0.15, 0.25])


VACANT = -2


class Work:
    """The month's working arrays (copy-on-write over the politics state) and events."""

    def __init__(self, ps, month: int, rng, params):
        self.ps, self.month, self.rng, self.params = ps, month, rng, params
        self.arrays: dict[str, np.ndarray] = {}
        self.events: list[tuple] = []

    def get(self, name: str) -> np.ndarray:
        """Current value of a politics array."""
        return self.arrays[name] if name in self.arrays else getattr(self.ps, name)

    def mut(self, name: str) -> np.ndarray:
        """A writable copy of a politics array (copied once per month)."""
        if name not in self.arrays:
            self.arrays[name] = np.array(getattr(self.ps, name), copy=True)
        return self.arrays[name]

    def emit(self, kind: str, runs: np.ndarray, magnitude, actors, causes) -> None:
        """Record events for chunk positions ``runs`` (strings per run)."""
        runs = np.asarray(runs, dtype=np.int64)
        if len(runs):
            mag = np.broadcast_to(np.asarray(magnitude, dtype=float), runs.shape).copy()
            self.events.append((kind, runs, mag, np.asarray(actors, dtype=object),
                                np.asarray(causes, dtype=object)))


    def batches(self) -> list[tuple]:
        """Events grouped into one batch per kind (fewer, larger tables downstream)."""
        kinds: dict[str, list[tuple]] = {}
        for e in self.events:
            kinds.setdefault(e[0], []).append(e)
        out = []
        for kind, evs in kinds.items():
            out.append((kind, np.concatenate([e[1] for e in evs]), np.concatenate([e[2] for e in evs]),
                        np.concatenate([np.broadcast_to(e[3], e[1].shape) for e in evs]),
                        np.concatenate([np.broadcast_to(e[4], e[1].shape) for e in evs])))
        return out


def names(ids) -> str:
    """Comma-separated display names of leader ids."""
    lt = load_leaders()
    return ",".join(lt.name[i] for i in ids if i >= 0)


_NAME_CACHE: dict[int, str] = {}


def mask_names(mask: np.ndarray) -> list[str]:
    """Names of the leaders in each row of a (k, L) bool mask (cached by bit pattern)."""
    bits = mask.astype(np.int64) @ (np.int64(1) << np.arange(mask.shape[1], dtype=np.int64))
    out = []
    for b in bits.tolist():
        if b not in _NAME_CACHE:
            _NAME_CACHE[b] = names([i for i in range(mask.shape[1]) if b >> i & 1])
        out.append(_NAME_CACHE[b])
    return out


class _Rows:
    """The month context restricted to some runs (attributes gathered on demand)."""

    def __init__(self, mo, rows):
        self._mo, self._rows = mo, rows

    def __getattr__(self, name):
        return getattr(self._mo, name)[self._rows]
