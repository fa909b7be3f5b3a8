"""The engine: the initial state, the monthly step, and one chunk of runs stepped together.

The monthly step is a list of stage calls (in the style of Brax's ``pipeline.step``)::

    state = begin_month(state, decisions, params, rng)   # clear last month's events
    state = weather.step(state, decisions, params, rng)
    state = politics.step(state, decisions, params, rng)
    ...                                                  # one stage per mechanism
    state = planning.step(state, decisions, params, rng)

:func:`stages` gives that list as :class:`Stage` values: ``begin_month``, then one stage
per mechanism in ``mechanisms.ORDER`` (the single source of the order, documented in
docs/ODD.md "Process overview" and docs/ARCHITECTURE.md). Each stage is a named pure
function ``(state, decisions, params, rng) -> state``; :func:`step` folds the state
through them. Runs are stepped together in chunks; randomness is keyed on the global run
index, so run k is bit-identical whatever the chunk it ran in.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ottepel.core import mechanisms
from ottepel.core.catalog import national_catalog, regional_catalog
from ottepel.core.decisions import Decisions
from ottepel.core.invariants import validate
from ottepel.core.params import RuntimeParams
from ottepel.core.rng import Streams
from ottepel.core.scenario import Scenario
from ottepel.core.state import Clock, Context, State
from ottepel.data import load_regions

EVENT_COLUMNS = ["run", "month", "kind", "actors", "magnitude", "causes"]


def clock_at(months: np.ndarray, m: int) -> Clock:
    """The clock of month index ``m`` of a scenario's months."""
    d = months[m]
    year = int(d.astype("datetime64[Y]").astype(int) + 1970)
    return Clock(month=m, year=year, month_of_year=int(d.astype(int) % 12 + 1))


def initial_state(scenario: Scenario, run_ids: np.ndarray, seed: int,
                  params: RuntimeParams | None = None) -> State:
    """The state at the scenario's first month, before it is stepped."""
    regions = load_regions()
    params = params if params is not None else scenario.params
    rng = Streams(seed, np.asarray(run_ids, dtype=np.int64))
    ctx = Context(regions, len(run_ids), scenario.months, params, scenario.decisions, rng,
                  scenario.weather, scenario.politics)
    state = State(clock=clock_at(scenario.months, 0), n_runs=len(run_ids), context=ctx)
    # Population first: the other domains start from its urban and rural stocks.
    pop = mechanisms.population.init(ctx)
    ctx = dataclasses.replace(ctx, urban_start=pop.urban.sum(1), rural_start=pop.rural.sum(1),
                              rural_by_region=pop.rural[0].copy())
    state = dataclasses.replace(state, context=ctx).with_domain("population", pop)
    for mech in mechanisms.ORDER:
        if mech.NAME != "population":
            state = state.with_domain(mech.NAME, mech.init(ctx))
    return state


StageFn = Callable[[State, Decisions, RuntimeParams, Streams], State]


@dataclass(frozen=True)
class Stage:
    """One stage of the monthly step: a named pure function of the state.

    Attributes:
        name: the stage's name (a mechanism's ``NAME``, or ``begin_month``).
        fn: ``(state, decisions, params, rng) -> state``; it returns a new State and
            never changes the one it is given.
        owner: the mechanism module the stage steps (None for ``begin_month``).
    """

    name: str
    fn: StageFn
    owner: Any = None

    def __call__(self, state: State, decisions: Decisions, params: RuntimeParams,
                 rng: Streams) -> State:
        """Run the stage."""
        return self.fn(state, decisions, params, rng)

    @property
    def summary(self) -> str:
        """One line saying what the stage does (its mechanism's or its own docstring)."""
        doc = (self.owner if self.owner is not None else self.fn).__doc__ or ""
        return doc.strip().split("\n", 1)[0]


def begin_month(state: State, decisions: Decisions, params: RuntimeParams,
                rng: Streams) -> State:
    """A new month starts with no events: each later stage adds its own."""
    return dataclasses.replace(state, events=())


def stages() -> tuple[Stage, ...]:
    """The stages of the monthly step, in order: ``begin_month``, then one per mechanism of
    ``mechanisms.ORDER`` (ORDER stays the single source; the tuple is built once per ORDER,
    not every month)."""
    return _stages_of(mechanisms.ORDER)


@lru_cache(maxsize=4)
def _stages_of(order: tuple) -> tuple[Stage, ...]:
    return (Stage("begin_month", begin_month), *(Stage(m.NAME, m.step, m) for m in order))


def step(state: State, decisions: Decisions, params: RuntimeParams, rng: Streams) -> State:
    """One month: the state through every stage of :func:`stages`, in order."""
    for stage in stages():
        state = stage.fn(state, decisions, params, rng)
    return state


def step_month(state: State, months: np.ndarray, m: int, decisions: Decisions,
               params: RuntimeParams, rng: Streams | None = None) -> State:
    """Set the clock to month ``m`` and step: what every driver of the engine does each month.

    ``rng`` defaults to the chunk's streams (``state.context.rng``).
    """
    state = dataclasses.replace(state, clock=clock_at(months, m))
    return step(state, decisions, params, rng if rng is not None else state.context.rng)


@dataclass
class ChunkOutput:
    """What one chunk of runs produced.

    Attributes:
        run_ids: (runs,) int64 global run indices.
        national: name -> (runs, months) float64.
        regional: name -> (runs, years, regions) float32 (December values).
        events: DataFrame with EVENT_COLUMNS.
    """

    run_ids: np.ndarray
    national: dict[str, np.ndarray]
    regional: dict[str, np.ndarray]
    events: pd.DataFrame


_ALLOCATOR_TUNED = False


def keep_freed_memory() -> bool:
    """Ask glibc to keep freed heap memory for reuse instead of returning it at once.

    The monthly step makes and drops many arrays of (runs, regions) temporaries. By
    default glibc gives large freed blocks back to the kernel and the next month faults
    the pages in again; on virtual machines a page fault costs microseconds, which
    made up to a fifth of a step (``benchmarks/bench.py`` shows it). This raises the
    mmap threshold to 32 MB and the trim threshold to 256 MB for the process (idempotent;
    a no-op off glibc or when ``OTTEPEL_KEEP_ALLOCATOR`` is set). Returns True if set.
    """
    global _ALLOCATOR_TUNED
    if _ALLOCATOR_TUNED or os.environ.get("OTTEPEL_KEEP_ALLOCATOR"):
        return _ALLOCATOR_TUNED
    _ALLOCATOR_TUNED = True
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        ok = libc.mallopt(m_mmap_threshold, 32 << 20) and libc.mallopt(m_trim_threshold, 256 << 20)
        return bool(ok)
    except (OSError, AttributeError):
        return False


def run_chunk(scenario: Scenario, run_ids: np.ndarray, seed: int,
              params: RuntimeParams | None = None, debug: bool = False,
              on_month: Callable[[int], None] | None = None) -> ChunkOutput:
    """Simulate a chunk of runs over the whole scenario.

    Args:
        scenario: the compiled scenario.
        run_ids: global run indices (keys of the random streams).
        seed: ensemble seed.
        params: runtime parameters (default: the scenario's); may carry a run axis.
        debug: validate the state after every month.
        on_month: callback after each month (progress bars).
    """
    keep_freed_memory()
    run_ids = np.asarray(run_ids, dtype=np.int64)
    params = params if params is not None else scenario.params
    state = initial_state(scenario, run_ids, seed, params)
    rng = state.context.rng
    months = scenario.months
    cat = national_catalog()
    rcat = regional_catalog()
    n, nm = len(run_ids), len(months)
    # Month-major while recording (a month's values are contiguous), (runs, months) after.
    nat = {k: np.full((nm, n), np.nan) for k in cat}
    decembers = [m for m in range(nm) if clock_at(months, m).month_of_year == 12]
    reg = {k: np.zeros((n, len(decembers), state.context.regions.n), np.float32) for k in rcat}
    events: list[tuple] = []
    for m in range(nm):
        state = step_month(state, months, m, scenario.decisions, params, rng)
        clock = state.clock
        if debug:
            problems = validate(state)
            if problems:
                raise RuntimeError(f"invalid state in {months[m]}: {problems[:5]}")
        _record(state, m, clock, nat, cat)
        if clock.month_of_year == 12:
            _record_regional(state, decembers.index(m), reg)
        events.extend((m, b) for b in state.events)
        if on_month:
            on_month(m)
    ev = _events_frame(events, run_ids, months) if events else pd.DataFrame(
        {c: pd.Series(dtype=t) for c, t in zip(EVENT_COLUMNS, ["int64", "datetime64[s]", "object", "object", "float64", "object"], strict=True)})
    return ChunkOutput(run_ids, {k: np.ascontiguousarray(v.T) for k, v in nat.items()}, reg, ev)


def _events_frame(events: list[tuple], run_ids: np.ndarray, months: np.ndarray) -> pd.DataFrame:
    """One DataFrame from all (month, EventBatch) pairs of a chunk (built once, not per batch)."""

    def col(f):
        return np.concatenate([np.broadcast_to(np.asarray(f(m, b), dtype=object), b.runs.shape)
                               for m, b in events])

    return pd.DataFrame({
        "run": np.concatenate([run_ids[b.runs] for _, b in events]),
        "month": np.concatenate([np.full(len(b.runs), months[m]) for m, b in events]),
        "kind": col(lambda m, b: b.kind),
        "actors": col(lambda m, b: b.actors),
        "magnitude": np.concatenate([np.asarray(b.magnitude, dtype=float) for _, b in events]),
        "causes": col(lambda m, b: b.causes),
    })


def _has_monthly(mech, cat: dict) -> bool:
    return any(cat[k][1] == "monthly" for k in getattr(mech, "NATIONAL", {}))


def _record(state: State, m: int, clock: Clock, nat: dict, cat: dict) -> None:
    december = clock.month_of_year == 12
    with np.errstate(divide="ignore", invalid="ignore"):
        for mech in mechanisms.ORDER:
            # Outside December only monthly variables are kept: skip mechanisms with none.
            if not hasattr(mech, "national") or not (december or _has_monthly(mech, cat)):
                continue
            for k, v in mech.national(state).items():
                if december or cat[k][1] == "monthly":
                    nat[k][m] = v


def _record_regional(state: State, i: int, reg: dict) -> None:
    for mech in mechanisms.ORDER:
        if hasattr(mech, "regional"):
            for k, v in mech.regional(state).items():
                reg[k][:, i, :] = v
