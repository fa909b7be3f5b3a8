"""Planning through the year: administration, January plans and pledges, November chase."""

from __future__ import annotations

import dataclasses

import numpy as np

from ottepel.core.mechanisms.planning.books import PlanningState, structure
from ottepel.core.mechanisms.planning.kernels import (
    _texts,
    deliveries,
    ratchet,
    region_batches,
)
from ottepel.core.mechanisms.planning.params import (
    ADMIN_LEVERS,
    CHASE_MONTH,
    GRAIN,
    MEAT,
    NAME,
    PLAN_MONTH,
    REPORT_MONTH,
)
from ottepel.core.mechanisms.planning.report import report
from ottepel.core.state import Context, State, event

# ---------------------------------------------------------------- init

def init(ctx: Context) -> PlanningState:
    """No plans yet (the first plan is set in the first January); ministries run industry."""
    p, n, nr = ctx.params.planning, ctx.n_runs, ctx.regions.n
    per = int(p.producers_per_region)
    u = ctx.rng.uniform(0, "planning.productivity", (nr, 4 * per))
    theta = (p.productivity_sd * np.sqrt(12.0) * (u - 0.5)).astype(np.float32)
    z = ctx.rng.normal(0, "planning.collusion", (nr,))
    za = ctx.rng.normal(0, "planning.ambition", (nr,))
    books = np.zeros((n, 4, nr, 2 * per), dtype=np.float32)
    zr, one = np.zeros((n, nr)), np.ones((n, nr))
    ratio = np.full((n, nr), 1.0 - p.delivery_friction)
    collusion = np.clip(p.collusion_ministries * np.exp(p.collusion_sd * z - p.collusion_sd**2 / 2),
                        0.0, 0.95)
    return PlanningState(
        theta, books, books.copy(), books.copy(), np.zeros((n, nr, 4 * per), np.float32), z, collusion,
        p.pledge_ambition * np.exp(p.pledge_ambition_sd * za), zr.copy(), zr.copy(), zr.copy(),
        zr.copy(), zr.copy(), zr.copy(), zr.copy(), zr.copy(), zr.copy(), one, ratio,
        np.ones(n), np.full(n, 1.0 - p.delivery_friction), np.zeros((n, 4, nr)), np.zeros((n, 4, nr)),
        np.zeros((n, 4)), np.zeros((n, 4)),
        np.zeros((n, 4)), np.zeros(n), np.zeros(n), np.zeros((n, 4)), np.zeros(n), zr.copy(),
    )


# ---------------------------------------------------------------- monthly step

def step(state: State, decisions, params, rng) -> State:
    """Plans in January, pledges chased in November, reports and audits in December.

    The regime of administration (deliveries, collusion) is recomputed each January
    and in any month an administrative lever changes (the councils began on 1 July 1957).
    """
    m, moy = state.clock.month, state.clock.month_of_year
    changed = m > 0 and any(decisions.at(k, m) != decisions.at(k, m - 1) for k in ADMIN_LEVERS)
    if moy == PLAN_MONTH or changed or m == 0:
        state = administer(state, decisions, params, rng)
    if moy == PLAN_MONTH:
        state = plan(state, decisions, params)
    if moy == CHASE_MONTH and decisions.at("meat_pledge_intensity", m) > 0:
        state = chase_pledges(state, params)
    if moy == REPORT_MONTH:
        state = report(state, decisions, params, rng)
    return state


def _regime(decisions, m):
    councils = decisions.at("sovnarkhoz_reform", m) > 0.5
    return councils, councils and decisions.at("sovnarkhoz_consolidation", m) > 0.5


def administer(state: State, decisions, params, rng) -> State:
    """Collusion and inter-regional deliveries under the month's administration."""
    p, pl, m = params.planning, state.planning, state.clock.month
    s = structure()
    councils, merged = _regime(decisions, m)
    base = p.collusion_consolidated if merged else (p.collusion_councils if councils
                                                    else p.collusion_ministries)
    sd = p.collusion_sd
    goal = np.clip(base * np.exp(sd * pl.collusion_draw - sd**2 / 2), 0.0, 0.95)
    # Networks of trust form (and break up) over years, not on the day of a decree.
    step_ = p.collusion_adjust if state.clock.month_of_year == PLAN_MONTH else 0.0
    collusion = pl.collusion + step_ * (goal - pl.collusion)
    z = rng.normal(100000 + state.clock.year, "planning.localism", (len(s.industry_share),))
    localism = np.clip(p.localism * np.exp(p.localism_sd * z - p.localism_sd**2 / 2), 0.0, 0.9)
    partner = s.partner_share_1963 if merged else 0.0
    ratio, national = deliveries(s.industry_share, partner, localism, p.delivery_friction, councils)
    imports = p.import_share * (1.0 - s.industry_share)
    factor = 1.0 - p.supply_elasticity * imports * (1.0 - ratio)
    baseline = np.sum(s.industry_share * (1.0 - p.supply_elasticity * imports * p.delivery_friction))
    supply = (factor * s.industry_share).sum(-1) / baseline
    new = dataclasses.replace(pl, collusion=collusion, delivery_ratio=ratio,
                              industry_supply_factor=supply,
                              interregional_delivery_ratio=national)
    return state.with_domain(NAME, new)


def _growth(decisions, m) -> np.ndarray:
    g = [decisions.at(f"plan_growth_{k}", m) for k in ("grain", "livestock", "livestock", "industry")]
    return np.array(g)[None, :, None, None]


def plan(state: State, decisions, params) -> State:
    """January: ratchet targets on last year's reports; pledges; allocate farm inputs."""
    p, pl, m = params.planning, state.planning, state.clock.month
    target = ratchet(pl.reported, pl.target, _growth(decisions, m), p.ratchet_lambda_over,
                     p.ratchet_lambda_under)
    intensity = decisions.at("meat_pledge_intensity", m)
    pledge = np.zeros_like(pl.pledge_mt)
    if intensity > 0:
        pledge = pl.meat_reported_1 * (1.0 + intensity * pl.ambition)
        meat = pl.reported[:, MEAT]
        share = meat / np.maximum(meat.sum(-1, keepdims=True, dtype=np.float64), 1e-12)
        target[:, MEAT] = np.maximum(target[:, MEAT], pledge[..., None] * share)
    bold = pledge > 1.5 * pl.meat_reported_1
    new = dataclasses.replace(
        pl, target=target, pledge_mt=pledge, purchased_mt=np.zeros_like(pledge),
        slaughter_head=np.zeros_like(pledge), input_allocation=_allocation(pl, p),
        pledge_regions=bold.sum(-1).astype(float))
    state = state.with_domain(NAME, new)
    return _emit_pledges(state, bold, pledge, pl, intensity) if bold.any() else state


def _allocation(pl: PlanningState, p) -> np.ndarray:
    """Farm inputs follow reported grain (weighted mean 1 over true output)."""
    rep, true = pl.region_reported[:, GRAIN], pl.region_true[:, GRAIN]
    rho = np.where(true > 1e-9, rep / np.maximum(true, 1e-12), 1.0)
    mean = rep.sum(-1, keepdims=True) / np.maximum(true.sum(-1, keepdims=True), 1e-12)
    mean = np.where(true.sum(-1, keepdims=True) > 0, mean, 1.0)
    return 1.0 - p.input_allocation_weight + p.input_allocation_weight * rho / mean


def _emit_pledges(state, bold, pledge, pl, intensity) -> State:
    names = state.context.regions.name
    ratio = pledge / np.maximum(pl.meat_reported_1, 1e-12)
    batches = []
    for hit, r in region_batches(bold):
        rows = np.arange(len(r))
        causes = _texts(hit, lambda a: f"campaign intensity {intensity:g}; leaders' ambition {a:.2f}",
                        pl.ambition[rows, r])
        batches.append(event("pledge", hit, ratio[rows, r], actors=np.char.add(names[r], " obkom"),
                             causes=causes))
    return state.emit(*batches)


def chase_pledges(state: State, params) -> State:
    """November: regions short of their meat pledge slaughter breeding stock and buy meat.

    Replaces the livestock domain's ``cattle`` and ``meat_mt`` (the slaughtered animals
    are true meat of the year; the herd that would have calved next year is gone).
    """
    p, pl, ls = params.planning, state.planning, state.livestock
    carcass = params.livestock.cattle_carcass_t
    chased = p.chase_share * np.maximum(pl.pledge_mt - ls.meat_mt, 0.0)
    slaughter_mt = np.minimum(p.slaughter_share * chased, p.slaughter_cap * ls.cattle * carcass)
    bought = np.minimum(chased - slaughter_mt, p.purchase_cap * ls.meat_mt)
    head = slaughter_mt / carcass
    livestock = dataclasses.replace(ls, cattle=ls.cattle - head, meat_mt=ls.meat_mt + slaughter_mt)
    new = dataclasses.replace(pl, purchased_mt=bought, slaughter_head=head)
    return state.with_domain("livestock", livestock).with_domain(NAME, new)

