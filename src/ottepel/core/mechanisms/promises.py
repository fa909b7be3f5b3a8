"""Promises: the Seven-Year Plan (1959) and the 1961 Party Programme as yardsticks.

A promise (a row of ``data/promises.csv``) says how much a yardstick will grow (or, for
the working week, fall) between the end of a base year and a target year. When its
programme's lever (``promise_seven_year_plan``, ``promise_party_programme``) is on, the
population measures the model's own outcome against the promised path (Cook 1993, The
Soviet Social Contract and Why It Failed: the regime was judged on the welfare it
promised; Hanson 2003, The Rise and Fall of the Soviet Economy: the targets of 1959 and
1961 were far out of reach). With ``x_0`` the yardstick in December of the base year,
``tau`` the months since then and ``T`` the months to the target::

    ratio promises:  ln x*(t) = ln x_0 + min(tau / T, 1) * ln target
                     gap = max(0, ln x*(t) - ln x(t))
    cumulative:      x*(t) = target * min(tau / T, 1)  (housing built since the base year)
    hours:           x*(t) = x_0 + min(tau / T, 1) * (target - x_0);  gap = max(0, ln x - ln x*)
    g_prom = sum_p weight_p * a_p * gap_p                                (log points)

``a_p`` is the programme lever in the run (its adoption by whoever rules). Yardsticks:
real wage (``society.real_wage``), consumer goods (group B output, ``industry.output_b``),
housing completions (``housing.completion_rate``), and the working week (this module's
lever ``working_week_hours``, a decision). The up-front rise in expectations when a
programme is announced stays with society's ``expectations_boost`` decisions; this
module adds what is measured afterwards: the broken part of each promise.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ottepel.core.decisions import Lever
from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, EventBatch, State
from ottepel.data.society_extra import promises_table

NAME = "promises"

LEVERS = {
    "promise_seven_year_plan": Lever("level", 0.0, 0.0, 1.0, "1",
                                     description="the Seven-Year Plan's promises in force (1 = as adopted in 1959)"),
    "promise_party_programme": Lever("level", 0.0, 0.0, 1.0, "1",
                                     description="the 1961 Party Programme's targets in force"),
    "working_week_hours": Lever("level", 48.0, 30.0, 60.0, "hours a week",
                                description="statutory working week of workers and employees"),
}


class Params(ParamGroup):
    """How much a broken promise weighs."""

    promise_weight: float = param(0.4, 0.0, 2.0, "1 (multiplies the weights of promises.csv)", "Cook 1993: the welfare promises were the regime's side of the social contract; assumption for the size (weights per promise in data/promises.csv)")


@dataclass(frozen=True)
class Promise:
    """One row of promises.csv, compiled."""

    id: str
    lever: str
    yardstick: str
    kind: str
    base_year: int
    target_year: int
    target: float
    weight: float
    label: str
    programme: str


@lru_cache(maxsize=1)
def load_promises() -> tuple[Promise, ...]:
    """The promises of ``data/promises.csv``."""
    return tuple(Promise(r.id, r.lever, r.yardstick, r.kind, int(r.base_year), int(r.target_year),
                         float(r.target), float(r.weight), r.label, r.programme)
                 for r in promises_table().itertuples())


@dataclass(frozen=True)
class PromisesState:
    """Yardsticks and the gaps.

    Attributes:
        december: (runs, P) each promise's yardstick last December.
        base: (runs, P) the yardstick at the end of the base year (0 until announced).
        built: (runs, P) housing completed since the promise's base year, million m2.
        delivery: (runs, P) yardstick over the promised path (1 = on track; 1 before the promise).
        gap: (runs, P) shortfall against the promised path, log points.
        grievance_contribution: (runs,) log points added to the urban grievance.
    """

    december: np.ndarray
    base: np.ndarray
    built: np.ndarray
    delivery: np.ndarray
    gap: np.ndarray
    grievance_contribution: np.ndarray


def _yardsticks(state: State, decisions, m: int) -> dict[str, np.ndarray]:
    n = state.n_runs
    return {"real_wage": state.society.real_wage, "consumer_goods": state.industry.output_b,
            "housing_cumulative": np.zeros(n),
            "working_week": np.full(n, decisions.at("working_week_hours", m))}


def init(ctx: Context) -> PromisesState:
    """No promise yet; 1953 values as the first 'last December'."""
    from ottepel.core.mechanisms import industry

    n, pr = ctx.n_runs, load_promises()
    first = {"real_wage": np.ones(n), "consumer_goods": industry.init(ctx).output_b,
             "housing_cumulative": np.zeros(n),
             "working_week": np.full(n, ctx.decisions.at("working_week_hours", 0))}
    dec = np.stack([first[q.yardstick] for q in pr], 1)
    zp = np.zeros((n, len(pr)))
    return PromisesState(dec, zp.copy(), zp.copy(), np.ones((n, len(pr))), zp.copy(),
                         np.zeros(n))


def step(state: State, decisions, params, rng) -> State:
    """One month: record bases, measure delivery against the promised paths."""
    p, s, m, clock = params.promises, state.promises, state.clock.month, state.clock
    pr = load_promises()
    ys = _yardsticks(state, decisions, m)
    rate = state.housing.completion_rate / 12.0
    base, built, delivery, gap = s.base.copy(), s.built.copy(), np.ones_like(s.gap), np.zeros_like(s.gap)
    contrib = np.zeros(state.n_runs)
    for j, q in enumerate(pr):
        a = np.asarray(decisions.at_runs(q.lever, m, state), float)
        on = a > 0
        fresh = on & (base[:, j] <= 0)
        base[fresh, j] = s.december[fresh, j]
        tau = (clock.year - q.base_year - 1) * 12 + clock.month_of_year
        frac = min(max(tau / (12.0 * (q.target_year - q.base_year)), 0.0), 1.0)
        if q.kind == "cumulative":
            if tau > 0:
                built[:, j] = np.where(on, built[:, j] + rate, built[:, j])
            promised, actual = np.full(state.n_runs, max(q.target * frac, 1e-9)), np.maximum(built[:, j], 1e-9)
            g = np.log(promised) - np.log(actual) if frac > 0 else np.zeros(state.n_runs)
        elif q.kind == "hours":
            actual = ys[q.yardstick]
            promised = np.where(on, base[:, j] + frac * (q.target - base[:, j]), actual)
            g = np.log(actual) - np.log(promised)
        else:
            actual = ys[q.yardstick]
            promised = np.where(on, base[:, j] * q.target ** frac, actual)
            g = np.log(promised) - np.log(actual)
        g = np.where(on, np.maximum(g, 0.0), 0.0)
        gap[:, j] = g
        ratio = actual / promised if q.kind != "hours" else promised / actual
        delivery[:, j] = np.where(on, ratio, 1.0)
        contrib += p.promise_weight * q.weight * a * g
    december = s.december
    if clock.month_of_year == 12:
        december = np.stack([ys[q.yardstick] for q in pr], 1)
    new = PromisesState(december, base, built, delivery, gap, contrib)
    state = state.with_domain(NAME, new)
    if clock.month_of_year == 12:
        state = _emit(state, new, pr, clock.year)
    return state


def _emit(state: State, s: PromisesState, pr, year: int) -> State:
    """December of a target year: each promise kept (delivery >= 0.95) or broken, with causes."""
    batches = []
    for j, q in enumerate(pr):
        if q.target_year != year:
            continue
        runs = np.flatnonzero(s.base[:, j] > 0)
        if not len(runs):
            continue
        d = s.delivery[runs, j]
        causes = np.array([f"{q.label}: delivered {x:.0%} of the promised path "
                           f"({'kept' if x >= 0.95 else 'broken'}; shortfall {s.gap[i, j]:.3f} log points)"
                           for i, x in zip(runs, d, strict=True)])
        batches.append(EventBatch("promise_due", runs, d, q.programme, causes))
    return state.emit(*batches) if batches else state


def _national_spec() -> dict[str, tuple[str, str, str]]:
    out = {f"promise_delivery_{q.id}": ("ratio to the promised path", "monthly",
                                        f"{q.programme}: {q.label} (1 = on track)") for q in load_promises()}
    out["promises_grievance_contribution"] = ("log points", "monthly",
                                              "broken promises' grievance added to the urban grievance")
    return out


NATIONAL = _national_spec()


def national(state: State) -> dict[str, np.ndarray]:
    """Delivery of each promise and the grievance contribution."""
    s = state.promises
    out = {f"promise_delivery_{q.id}": s.delivery[:, j] for j, q in enumerate(load_promises())}
    out["promises_grievance_contribution"] = s.grievance_contribution
    return out
