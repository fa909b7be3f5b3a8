"""The simulation state: frozen dataclasses of numpy arrays, run axis first.

``State`` groups one frozen dataclass per domain; each mechanism module defines its own
domain state next to its equations. A mechanism returns a new ``State`` built with
``dataclasses.replace``; it never mutates arrays in place.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class EventBatch:
    """Events of one kind emitted in one month by one mechanism.

    Attributes:
        kind: event kind, e.g. ``"grain_import"``.
        runs: (k,) int, positions within the chunk of the runs where it happened.
        magnitude: (k,) float64, size in the unit the kind documents.
        actors: one string for all, or (k,) str.
        causes: one string for all, or (k,) str: the drivers and their values.
    """

    kind: str
    runs: np.ndarray
    magnitude: np.ndarray
    actors: Any = ""
    causes: Any = ""


@dataclass(frozen=True)
class Clock:
    """Where the run is in time (the same for every run of a chunk).

    Attributes:
        month: month index since the scenario start.
        year: calendar year.
        month_of_year: 1..12.
    """

    month: int
    year: int
    month_of_year: int


@dataclass(frozen=True)
class State:
    """Everything that changes during a run, grouped by domain.

    ``domains`` maps a mechanism's name to its frozen domain state; ``events`` holds the
    batches emitted during the current month (the engine clears it each month).
    """

    clock: Clock
    n_runs: int
    context: Any = None
    domains: dict[str, Any] = field(default_factory=dict)
    events: tuple[EventBatch, ...] = ()

    def __getattr__(self, name: str) -> Any:
        domains = object.__getattribute__(self, "domains")
        if name in domains:  # state.agriculture, state.weather, ...
            return domains[name]
        raise AttributeError(name)

    def with_domain(self, name: str, value: Any) -> State:
        """A new State with one domain replaced."""
        return dataclasses.replace(self, domains={**self.domains, name: value})

    def emit(self, *batches: EventBatch) -> State:
        """A new State with event batches appended (empty batches are dropped)."""
        kept = tuple(b for b in batches if len(b.runs))
        return dataclasses.replace(self, events=self.events + kept) if kept else self


def event(kind: str, mask: np.ndarray, magnitude: np.ndarray | float, actors: Any = "",
          causes: Any = "") -> EventBatch:
    """Build an EventBatch from a (runs,) boolean mask; per-run arrays are subset too."""
    runs = np.flatnonzero(mask)
    mag = np.broadcast_to(np.asarray(magnitude, dtype=float), mask.shape)[runs]

    def pick(x: Any) -> Any:
        return np.asarray(x)[runs] if isinstance(x, np.ndarray) and x.shape == mask.shape else x

    return EventBatch(kind, runs, mag, pick(actors), pick(causes))


def domain_arrays(state: State) -> dict[str, np.ndarray]:
    """Every run-axis array of every domain, keyed ``domain.field`` (for tests and benchmarks)."""
    out = {}
    for name, dom in state.domains.items():
        if dataclasses.is_dataclass(dom):
            for f in dataclasses.fields(dom):
                v = getattr(dom, f.name)
                if isinstance(v, np.ndarray) and v.ndim and v.shape[0] == state.n_runs:
                    out[f"{name}.{f.name}"] = v
    return out


def check_arrays(state: State) -> list[str]:
    """Check shapes, finiteness and non-negativity of every domain array.

    :func:`ottepel.core.invariants.validate` adds the cross-domain invariants, which hold
    between whole monthly steps.

    Returns:
        A list of problems (empty when the state is sound).
    """
    problems = []
    for dname, dom in state.domains.items():
        if not dataclasses.is_dataclass(dom):
            continue
        for f in dataclasses.fields(dom):
            v = getattr(dom, f.name)
            if not isinstance(v, np.ndarray) or v.dtype.kind != "f":
                continue
            if v.shape[:1] != (state.n_runs,):
                problems.append(f"{dname}.{f.name}: run axis {v.shape} != {state.n_runs}")
            if not np.all(np.isfinite(v)):
                problems.append(f"{dname}.{f.name}: non-finite values")
            signed = (f.metadata or {}).get("signed", False)
            if not signed and np.any(v < -1e-9):
                problems.append(f"{dname}.{f.name}: negative values")
    return problems


@dataclass(frozen=True)
class Context:
    """What a mechanism's ``init`` may read: the fixed setting of a chunk of runs.

    Attributes:
        regions: the packaged regions (``ottepel.data.Regions``).
        n_runs: runs in this chunk.
        months: (months,) datetime64[M] simulated.
        params: runtime parameters.
        decisions: the compiled decision schedule.
        rng: keyed random streams of this chunk.
        weather_mode: ``historical`` or ``stochastic``.
        politics_mode: ``free`` or ``pinned``.
        urban_start: (runs,) urban population at the start, million (set by the engine).
        rural_start: (runs,) rural population at the start, million.
        rural_by_region: (regions,) rural population at the start, million.
    """

    regions: Any
    n_runs: int
    months: np.ndarray
    params: Any
    decisions: Any
    rng: Any
    weather_mode: str = "historical"
    politics_mode: str = "free"
    urban_start: Any = None
    rural_start: Any = None
    rural_by_region: Any = None

    @property
    def start_year(self) -> int:
        """Calendar year of the first month."""
        return int(self.months[0].astype("datetime64[Y]").astype(int) + 1970)
