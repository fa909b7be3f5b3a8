"""Policy levers and the compiled decision schedule.

A *lever* is a named policy quantity (an investment share, a price index, a ploughing
plan). Mechanism modules declare their levers in ``LEVERS``; a scenario's dated
decisions set them. Three lever kinds:

- ``level``: holds from the decision's month until another decision changes it;
- ``annual``: applies to the calendar year of the decision only (plans, ploughing);
- ``pulse``: happens in the decision's month only (a speech, an amnesty).

The compiled ``Decisions`` holds, per lever, an array over months (and regions for a
regional lever). Each decision keeps its sponsor, so the politics mechanism can tell
which ones a run's leadership would still enforce.

Who decides (per-run gating): ``Decisions.at`` gives the historical value of a lever,
the same in every run. ``Decisions.at_runs(lever, month, state)`` gives it per run: where
the politics domain publishes ``adoption`` ((runs, sponsors) in [0, 1], one column per
name in ``Decisions.sponsors``), the value is

    value_r = baseline + adoption[r, sponsor] * (historical value - baseline)

where ``sponsor`` made the decision in force and ``baseline`` is what the lever would be
without it (the previous level for ``level`` levers, last year's value for ``annual``
levers, the default for ``pulse`` levers). Without a politics domain, or for months no decision covers, it is the
historical value in every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np


@dataclass(frozen=True)
class Lever:
    """A policy quantity that decisions set.

    Attributes:
        kind: ``level``, ``annual`` or ``pulse``.
        default: value when no decision applies.
        lo, hi: allowed range of a decision's value.
        unit: physical unit.
        regional: True if the lever has a value per region.
        description: what it means.
    """

    kind: Literal["level", "annual", "pulse"]
    default: float
    lo: float
    hi: float
    unit: str
    regional: bool = False
    description: str = ""


@dataclass(frozen=True)
class CompiledDecision:
    """One scheduled decision after validation (used by politics and reports)."""

    id: str
    lever: str
    month: int
    year: int
    sponsor: str
    source: str
    total: float


@dataclass(frozen=True)
class Decisions:
    """The decision schedule of a scenario, compiled to arrays.

    Attributes:
        months: (months,) datetime64[M], the simulated months.
        values: lever name -> (months,) or (months, regions) float64.
        schedule: the individual decisions in date order.
        levers: lever name -> its :class:`Lever` (kind and default), as the mechanisms
            declare them (given by the scenario compiler, so this module needs no registry).
    """

    months: np.ndarray
    values: dict[str, np.ndarray]
    schedule: tuple[CompiledDecision, ...] = field(default=())
    levers: dict[str, Lever] = field(default_factory=dict)

    def at(self, lever: str, month: int) -> np.ndarray | float:
        """Value of a lever in a month: a float, or (regions,) for a regional lever."""
        v = self.values[lever][month]
        return float(v) if np.ndim(v) == 0 else v

    @cached_property
    def sponsors(self) -> tuple[str, ...]:
        """Distinct sponsor names of the schedule, in order of first appearance."""
        return tuple(dict.fromkeys(d.sponsor for d in self.schedule))

    @cached_property
    def sponsor_tables(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per lever: (sponsor index per month, -1 if none; baseline value per month)."""
        n = len(self.months)
        years = self.months.astype("datetime64[Y]").astype(int) + 1970
        month_idx = np.arange(n)
        out = {}
        for name, vals in self.values.items():
            sponsor, base = np.full(n, -1, dtype=np.int64), np.array(vals, dtype=float)
            lever = self.levers.get(name)
            for d in (d for d in self.schedule if d.lever == name and lever is not None):
                default = np.full(vals.shape[1:], lever.default)
                if lever.kind == "level":
                    sel, before = month_idx >= d.month, vals[d.month - 1] if d.month else default
                elif lever.kind == "annual":  # baseline: last year's plan (plans have inertia)
                    sel = years == d.year
                    before = vals[d.month - 12] if d.month >= 12 else default
                else:
                    sel, before = month_idx == d.month, default
                sponsor[sel], base[sel] = self.sponsors.index(d.sponsor), before
            out[name] = (sponsor, base)
        return out

    def at_runs(self, lever: str, month: int, state: Any) -> np.ndarray:
        """Value of a lever in each run: (runs,) or (runs, regions) for a regional lever.

        The historical value, moved toward its baseline where the run's leadership would
        not adopt the sponsor's decision (see the module docstring).
        """
        v = np.asarray(self.values[lever][month])
        adoption = getattr(state.domains.get("politics"), "adoption", None)
        sponsor, base = self.sponsor_tables[lever]
        s = sponsor[month]
        if adoption is None or s < 0:
            return np.broadcast_to(v, (state.n_runs, *v.shape))
        g = adoption[:, s].reshape((state.n_runs,) + (1,) * v.ndim)
        return base[month] + g * (v - base[month])

    def year_total(self, lever: str, year: int) -> float:
        """Sum over a calendar year (and regions) of a lever's monthly values."""
        years = self.months.astype("datetime64[Y]").astype(int) + 1970
        return float(self.values[lever][years == year].sum())


def compile_lever(
    lever: Lever, months: np.ndarray, n_regions: int, entries: list[tuple[int, np.ndarray]]
) -> np.ndarray:
    """Turn (month index, value) entries into an array over months.

    Args:
        lever: the lever definition.
        months: (months,) datetime64[M].
        n_regions: number of regions (used when the lever is regional).
        entries: sorted (month index, value) pairs; value is scalar or (regions,).
    """
    shape = (len(months), n_regions) if lever.regional else (len(months),)
    out = np.full(shape, lever.default, dtype=float)
    years = months.astype("datetime64[Y]").astype(int) + 1970
    for m, value in entries:
        if lever.kind == "level":
            out[m:] = value
        elif lever.kind == "annual":
            out[years == years[m]] = value
        else:
            out[m] = value
    return out
