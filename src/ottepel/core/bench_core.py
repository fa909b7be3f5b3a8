"""The benchmark core: producers under the annual plan, the ratchet and padded reports.

A self-contained vectorised kernel used by ``benchmarks/bench.py`` to compare ottepel's
array style with an object-per-agent Mesa 3 model (``benchmarks/mesa_core.py``) on the
same work: the same producers, the same equations, the same draws. It stands in for the
planning mechanism (issue 4) while that is being built; once ``mechanisms/planning.py``
is merged the lead can point the benchmark at it (same agents: producers per region
with capacity, true and reported output and a target).

Agents: ``regions x producers_per_region`` producers per run (105 x 16 by default), each
with capacity ``K`` (output units a year), target ``T``, output so far this year ``Q``,
last report ``R``. Region ``r`` has a collusion level ``c_r`` (its officials' cover).

Every month (one agent-step per producer), with ``v`` a keyed uniform draw on (0, 1)::

    Q <- Q + K / 12 * ((1 - noise) + 2 noise v)         output shock uniform on 1 +- noise

Each December, the annual plan (``u`` a keyed uniform draw)::

    gap     = max(T - Q, 0)                                 shortfall against the plan
    detect  = audit_prob * (1 - c_r)                        chance padding is found
    share   = 1 / (1 + exp(steepness * (detect * punishment - bonus)))
    pad     = share * min(gap, pad_cap * T)                 Berliner (1957): pad when short
    caught  = pad > 0 and u < detect                        audit: padding corrected
    R       = Q if caught else Q + pad                      the report
    budget  = invest_rate * sum(Q)                          real resources (per run)
    I       = budget * w / sum(w),  w = 0 if caught else R  inputs allocated on reports
    T       <- (1 + plan_growth) * (T + ratchet * (R - T))  Weitzman (1980) ratchet
    K       <- (1 - depreciation) * K + I
    Q       <- 0

The sums are over the producers of one run (the intended per-run reduction); nothing
crosses runs. Padding misdirects inputs: a padder gets a share of real resources on
output it did not produce, and the ratchet raises its next target on the padded figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ottepel.core.rng import Streams

#: Default producers per region, the planning mechanism's default resolution (4 producer
#: types, kolkhoz, sovkhoz, group A, group B, x 4 producers each).
PRODUCERS_PER_REGION = 16
N_REGIONS = 105


@dataclass(frozen=True)
class BenchParams:
    """Parameters of the benchmark core (all dimensionless unless noted).

    Attributes:
        noise: 0.17, half-width of the monthly output shock (sd 0.10; assumption).
        plan_growth: 0.06 /yr, planned growth on the ratcheted base (annual plans of the
            1950s asked 6-8% industrial growth; Nove, An Economic History of the USSR).
        ratchet: 0.6, weight of last year's reported overshoot in the new target
            (Weitzman 1980, Bell J. Econ. 11:302; 0 < ratchet < 1).
        audit_prob: 0.15 /yr, chance a producer is audited (assumption).
        punishment: 3.0, cost of being caught relative to the plan bonus (repression level).
        bonus: 1.0, value of meeting the plan (normalisation).
        steepness: 4.0, sharpness of the padding choice (assumption).
        pad_cap: 0.15, padding at most this fraction of the target (Harrison 2011 puts
            systematic over-reporting at a few to ~15 percent).
        invest_rate: 0.10 /yr, share of true output reinvested in capacity (assumption).
        depreciation: 0.05 /yr (assumption).
    """

    noise: float = 0.17
    plan_growth: float = 0.06
    ratchet: float = 0.6
    audit_prob: float = 0.15
    punishment: float = 3.0
    bonus: float = 1.0
    steepness: float = 4.0
    pad_cap: float = 0.15
    invest_rate: float = 0.10
    depreciation: float = 0.05


@dataclass(frozen=True)
class BenchState:
    """Producer state, (runs, producers) float64 unless noted.

    Attributes:
        capacity: output units a year.
        monthly_capacity: capacity / 12, output units a month (set with capacity).
        target: the year's plan, output units.
        ytd: true output so far this year, output units.
        produced: last year's true output, output units.
        reported: last year's report, output units.
        caught: (runs, producers) bool, padding found in last December's audit.
    """

    capacity: np.ndarray
    monthly_capacity: np.ndarray
    target: np.ndarray
    ytd: np.ndarray
    produced: np.ndarray
    reported: np.ndarray
    caught: np.ndarray


def setting(producers_per_region: int = PRODUCERS_PER_REGION) -> tuple[np.ndarray, np.ndarray]:
    """The fixed setting: initial capacity and collusion, (producers,) each.

    Producers are region-major (producer ``i`` is in region ``i // producers_per_region``).
    Capacity follows the regions' 1959 population (output units: the national total is
    100), spread +-25% within a region; collusion rises with distance from Moscow in
    longitude (assumption: weaker central control far away), 0.1 to 0.4.
    """
    from ottepel.data import load_regions

    regions = load_regions()
    pop, lon = regions.population_1959, regions.lon
    k_region = 100.0 * pop / pop.sum()
    spread = 1.0 + 0.5 * (np.arange(producers_per_region) / max(producers_per_region - 1, 1) - 0.5)
    capacity = (k_region[:, None] * spread[None, :] / spread.sum()).reshape(-1)
    collusion = np.clip(0.1 + 0.3 * np.abs(lon - 37.6) / 100.0, 0.1, 0.4)
    return capacity, np.repeat(collusion, producers_per_region)


def init(n_runs: int, capacity: np.ndarray, months_done: int = 2) -> BenchState:
    """All runs start at the same capacity, targets equal to it, ``months_done`` of the
    year already produced at capacity (January and February before a March start)."""
    k = np.broadcast_to(capacity, (n_runs, len(capacity))).copy()
    z = np.zeros_like(k)
    return BenchState(k, k / 12, k.copy(), k * months_done / 12, z, z.copy(),
                      np.zeros(k.shape, dtype=bool))


def produce(s: BenchState, v: np.ndarray, p: BenchParams) -> BenchState:
    """One month of output: ``Q <- Q + K/12 ((1 - noise) + 2 noise v)``.

    Fused in place on the fresh draw array ``v`` (which it consumes), operation for
    operation as the formula, so the result is the same to the last bit.
    """
    v *= 2 * p.noise
    v += 1 - p.noise
    v *= s.monthly_capacity
    v += s.ytd
    return BenchState(s.capacity, s.monthly_capacity, s.target, v, s.produced, s.reported,
                      s.caught)


def plan(s: BenchState, u: np.ndarray, collusion: np.ndarray, p: BenchParams) -> BenchState:
    """December: reports, audits, the ratchet and inputs allocated on reports."""
    gap = np.maximum(s.target - s.ytd, 0.0)
    detect = p.audit_prob * (1 - collusion)
    share = 1 / (1 + np.exp(p.steepness * (detect * p.punishment - p.bonus)))
    pad = share * np.minimum(gap, p.pad_cap * s.target)
    caught = (pad > 0) & (u < detect)
    reported = np.where(caught, s.ytd, s.ytd + pad)
    budget = p.invest_rate * s.ytd.sum(1, keepdims=True)
    weight = np.where(caught, 0.0, reported)
    invest = budget * weight / weight.sum(1, keepdims=True)
    target = (1 + p.plan_growth) * (s.target + p.ratchet * (reported - s.target))
    capacity = (1 - p.depreciation) * s.capacity + invest
    return BenchState(capacity, capacity / 12, target, np.zeros_like(s.ytd), s.ytd, reported,
                      caught)


def step(s: BenchState, month: int, december: bool, rng: Streams, collusion: np.ndarray,
         p: BenchParams) -> BenchState:
    """One month for every producer, then the annual plan if it is December.

    Draws first (keyed on the month index and the producer), then the kernels.
    """
    n = s.capacity.shape[1]
    s = produce(s, rng.uniform32(month, "bench.output", (n,)), p)
    if december:
        s = plan(s, rng.uniform32(month, "bench.audit", (n,)), collusion, p)
    return s


def run(run_ids: np.ndarray, seed: int, months: int = 142,
        producers_per_region: int = PRODUCERS_PER_REGION, p: BenchParams | None = None,
        first_month_of_year: int = 3) -> dict[str, np.ndarray]:
    """Simulate the core for a chunk of runs (March 1953 to December 1964 by default).

    Args:
        run_ids: global run indices (keys of the draws).
        seed: ensemble seed.
        months: months simulated.
        producers_per_region: producers in each of the 105 regions.
        p: parameters (default :class:`BenchParams`).
        first_month_of_year: calendar month (1-12) of month 0.

    Returns:
        ``true``, ``reported``, ``caught``: (runs, years) national totals each December.
    """
    from ottepel.core.engine import keep_freed_memory

    keep_freed_memory()
    p = p or BenchParams()
    capacity, collusion = setting(producers_per_region)
    rng = Streams(seed, np.asarray(run_ids, dtype=np.int64))
    s = init(len(run_ids), capacity, first_month_of_year - 1)
    out: dict[str, list[np.ndarray]] = {"true": [], "reported": [], "caught": []}
    for m in range(months):
        december = (m + first_month_of_year - 1) % 12 == 11
        s = step(s, m, december, rng, collusion, p)
        if december:
            out["true"].append(s.produced.sum(1))
            out["reported"].append(s.reported.sum(1))
            out["caught"].append(s.caught.sum(1).astype(float))
    return {k: np.stack(v, axis=1) for k, v in out.items()}


def state_bytes_per_run(producers_per_region: int = PRODUCERS_PER_REGION) -> dict[str, int]:
    """Bytes the monthly step must touch per run (compulsory traffic, no temporaries).

    A month reads the monthly capacity and the output so far and writes the output so
    far (3 float64 per producer); a December also reads target, output and capacity and
    writes capacity, monthly capacity, target, output, produced, reported (9 x 8 bytes)
    and the caught flag, a twelfth of that per month on average.
    """
    n = N_REGIONS * producers_per_region
    monthly = 3 * 8 * n
    annual = (9 * 8 + 1) * n
    return {"monthly": monthly, "average": monthly + annual // 12, "producers": n}
