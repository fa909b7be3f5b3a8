"""Society: wages, prices, consumption, grievance against expectations, and unrest.

Living standard (urban, by region; 1953-03 = 1, logs)::

    ln L_r = a_w ln RW + a_f ln F_r + a_h ln H + a_c ln C
    RW     = (w / w0) / CPI * (1 - piece_exposure * (1 - 1 / norms))      real wage after norms
    w      = w0 * (labour productivity in industry) ** wage_elasticity    nominal wage
    CPI    = sum_k budget_share_k * price_k                               (retail price levers)
    F_r    = (meat/pop)^0.5 (milk/pop)^0.3 * bread, times the region's own meat ** local_food_weight
    H, C   = urban living space per person (``housing``), group B output per head (``industry``)

Savings that find nothing to buy (Kornai 1980, Economics of Shortage): household money
``M`` in months of the urban wage bill grows by income less what the shops can supply at
state prices; the overhang is ``max(0, ln M / M_normal)``.

Grievance (Gurr 1970, Why Men Rebel: relative deprivation; Davies 1962, "Toward a theory
of revolution", ASR 27:5, the J-curve) is the gap between expectations and the living
standard, plus losses weighed by loss aversion (Tversky & Kahneman 1992, lambda = 2.25)
and violations of the "just price" (Thompson 1971, "The moral economy of the English
crowd", Past & Present 50; Cook 1993, The Soviet Social Contract and Why It Failed)::

    G_r = (ln E_r - ln L_r) + lambda * max(0, ln Lref_r - ln L_r)
          + sum_k salience_k * max(0, ln p_k - ln pref_k) + salience_norm * max(0, ln norms - ln nref)
          + overhang_weight * overhang - relief_r
    ln E_r' = ln E_r + (ln L_r - ln E_r) / tau_E + expectations_boost      (adaptive; promises)

Unrest follows a threshold model (Granovetter 1978, AJS 83:1420) with logistic
thresholds: the share of townspeople disposed to join a crowd is
``d_r = logistic((G_r - theta - phi * fear_r) / s) * clip((G_r - floor) / ramp, 0, 1)``:
nobody is disposed below the stated grievance ``riot_floor`` (no riot without a
grievance), and local incidents spark a riot at the hazard
``h_r = trigger_rate * sqrt(urban_r * mean urban) * d_r``: the disposed share, i.e. the
local grievance, places the riot, and a region's size counts only by its square root
(incidents come from many towns and workplaces, not in proportion to heads, so the
capitals do not riot most merely for being large). At most one riot a month is drawn
nationally (riots are rare; the region is drawn in proportion to ``h_r``). Its size is
``urban_r * d_r * mobilisation * lognormal``; the authorities answer with police or, for
large crowds, the army (casualties, local fear), and may concede (supplies: relief).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar

import numpy as np

from ottepel.core.decisions import Lever
from ottepel.core.mechanisms.camps import returnee_unease
from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, EventBatch, State

NAME = "society"
SERIOUS_RIOT_K = 2.0  # thousand participants: a "serious" riot (Kozlov 2002's major disorders)

LEVERS = {
    "retail_price_meat": Lever("level", 1.0, 0.3, 3.0, "index, 1953-03 = 1",
                               description="state retail price of meat and meat products"),
    "retail_price_butter": Lever("level", 1.0, 0.3, 3.0, "index, 1953-03 = 1",
                                 description="state retail price of butter and dairy products"),
    "retail_price_other": Lever("level", 1.0, 0.3, 3.0, "index, 1953-03 = 1",
                                description="state retail prices of bread, other food and manufactures"),
    "work_norms": Lever("level", 1.0, 0.5, 2.0, "index, 1953 = 1",
                        description="output norms of piece-rate workers (higher = lower pay per unit)"),
    "expectations_boost": Lever("pulse", 0.0, -0.5, 0.5, "log points",
                                description="promises that raise what people expect (programmes, pledges)"),
}

_CH = "Chapman 1963, Real Wages in Soviet Russia since 1928 (budget weights of the 1950s; recalled)"
_TH = "assumption: logistic thresholds (Granovetter 1978); scale chosen so riots stay rare (Kozlov 2002 counts about a dozen major urban disorders 1953-64)"


class Params(ParamGroup):
    """Living standards, grievance and unrest."""

    RUN_AXIS: ClassVar[bool] = False  # scalar parameters only (see ParamGroup)

    wage_1953: float = param(68.4, 60.0, 75.0, "new roubles/month", "history series average_monthly_wage_rub (684 old roubles in 1953)")
    wage_elasticity: float = param(0.9, 0.3, 1.5, "1", "Kirsch 1972, Soviet Wages: the wage fund planned to grow a little slower than labour productivity")
    share_meat: float = param(0.10, 0.05, 0.2, "fraction of spending", _CH)
    share_butter: float = param(0.04, 0.01, 0.1, "fraction of spending", _CH)
    piece_exposure: float = param(0.35, 0.1, 0.6, "fraction of urban earnings", "Kirsch 1972: ~3/4 of industrial workers on piece rates; industry ~45% of urban employment")
    weight_wage: float = param(0.4, 0.1, 0.7, "1", "assumption: weights of the living-standard index")
    weight_food: float = param(0.3, 0.1, 0.5, "1", "assumption: weights of the living-standard index")
    weight_housing: float = param(0.15, 0.0, 0.4, "1", "assumption: weights of the living-standard index")
    weight_goods: float = param(0.15, 0.0, 0.4, "1", "assumption: weights of the living-standard index")
    local_food_weight: float = param(0.3, 0.0, 0.7, "1", "Wädekin 1973: private plots and kolkhoz markets fed a large part of provincial towns")
    expectation_months: float = param(36.0, 6.0, 120.0, "months", "assumption: hedonic adaptation over a few years (Easterlin 1974)")
    reference_months: float = param(6.0, 1.0, 24.0, "months", "assumption: the reference point of losses is the recent past")
    just_price_months: float = param(12.0, 3.0, 48.0, "months", "assumption: a new price becomes 'normal' within about a year")
    loss_aversion: float = param(2.25, 1.0, 3.5, "1", "Tversky & Kahneman 1992, J. Risk Uncertainty 5:297")
    salience_staples: float = param(0.5, 0.0, 2.0, "1", "Thompson 1971; Cook 1993: staple prices were part of the social contract; assumption")
    salience_norms: float = param(0.5, 0.0, 2.0, "1", "Baron 2001, Bloody Saturday in the Soviet Union: norm rises read as wage cuts; assumption")
    initial_hope: float = param(0.05, 0.0, 0.2, "log points", "assumption: hopes raised by Stalin's death (Dobson 2009)")
    savings_normal: float = param(3.0, 1.0, 6.0, "months of income", "assumption: cash and savings deposits of urban households")
    state_trade_share: float = param(0.7, 0.3, 1.0, "fraction of spending", "assumption: the rest (kolkhoz markets, services) clears at flexible prices")
    market_absorption: float = param(0.3, 0.0, 1.0, "fraction", "assumption: share of unmet demand spent on substitutes at higher prices")
    overhang_weight: float = param(0.05, 0.0, 0.5, "1", "Kornai 1980: queues and empty shelves; assumption")
    threshold: float = param(0.64, 0.2, 1.0, "log points", _TH)
    riot_floor: float = param(0.1, 0.0, 0.4, "log points", "Granovetter 1978; Kozlov 2002: every disorder he documents had a local grievance (prices, norms, supply, housing); below this nobody joins a crowd")
    riot_floor_ramp: float = param(0.1, 0.01, 0.3, "log points", "assumption: the disposed share rises from zero over this much grievance above the floor")
    threshold_spread: float = param(0.1, 0.03, 0.3, "log points", _TH)
    fear_weight: float = param(0.25, 0.0, 0.8, "log points per unit fear", "assumption: fear raises the threshold to join (Kozlov 2002)")
    trigger_rate: float = param(0.35, 0.02, 2.0, "1/month per million townspeople", _TH)
    mobilisation: float = param(0.08, 0.01, 0.3, "fraction", "assumption: share of the disposed who come out once a crowd forms")
    size_spread: float = param(0.6, 0.1, 1.5, "1", "assumption: lognormal spread of crowd sizes")
    army_size_k: float = param(3.0, 0.5, 20.0, "thousand", "assumption: crowds this size were met by troops (Temirtau 1959, Novocherkassk 1962)")
    lethality_army: float = param(0.003, 0.0, 0.02, "deaths per participant", "events.csv 1962-06-02: 26 killed at Novocherkassk among several thousand")
    lethality_police: float = param(0.0003, 0.0, 0.005, "deaths per participant", "assumption")
    concession_chance: float = param(0.5, 0.0, 1.0, "1", "assumption: supplies sent after riots (Novocherkassk, Temirtau: Kozlov 2002)")
    concession_relief: float = param(0.1, 0.0, 0.5, "log points", "assumption")
    relief_months: float = param(12.0, 1.0, 48.0, "months", "assumption")
    local_fear_per_killing: float = param(0.15, 0.0, 0.5, "1 per log10 of dead", "assumption: a town that was shot at stays quiet for years")
    local_fear_months: float = param(60.0, 6.0, 240.0, "months", "assumption")


@dataclass(frozen=True)
class SocietyState:
    """Urban living standards and unrest.

    Attributes:
        nominal_wage: (runs,) new roubles/month.
        real_wage: (runs,) real wage index after prices and norms (start = 1).
        food: (runs,) national urban food index (start = 1).
        log_local_food: (runs, regions) weighted log of the region's own meat supply
            (``weight_food * local_food_weight * ln local``), updated after each livestock year.
        log_living: (runs, regions) log living-standard index (start = 0).
        log_expect: (runs, regions) log expectations.
        log_reference: (runs, regions) log living standard of the recent past.
        log_price_ref: (runs, 3) log "just" prices of meat, butter, other.
        log_norms_ref: (runs,) log norms people consider normal.
        savings: (runs,) household money, months of income.
        shock: (runs,) this month's just-price and norm violation plus overhang, log points.
        gap: (runs, regions) signed grievance (negative = contentment), log points.
        relief: (runs, regions) concessions still felt, log points.
        local_fear: (runs, regions) fear left by shootings in the region.
        living_national, expect_national, grievance_national: (runs,) urban-weighted means
            (log living, log expectations, grievance clipped at 0).
        base_food: (runs,) start food per head (meat^0.5 milk^0.3).
        base_local: (runs, regions) start meat per rural head by region.
        base_goods: (runs,) start group B output per head.
        base_space: (runs,) start urban living space per person.
        riot_size_k: (runs,) participants in this month's riot, thousand (0 = none).
        killed: (runs,) killed by troops or police this month.
    """

    nominal_wage: np.ndarray
    real_wage: np.ndarray
    food: np.ndarray
    log_local_food: np.ndarray = field(metadata={"signed": True})
    log_living: np.ndarray = field(metadata={"signed": True})
    log_expect: np.ndarray = field(metadata={"signed": True})
    log_reference: np.ndarray = field(metadata={"signed": True})
    log_price_ref: np.ndarray = field(metadata={"signed": True})
    log_norms_ref: np.ndarray = field(metadata={"signed": True})
    savings: np.ndarray
    shock: np.ndarray
    gap: np.ndarray = field(metadata={"signed": True})
    relief: np.ndarray
    local_fear: np.ndarray
    living_national: np.ndarray = field(metadata={"signed": True})
    expect_national: np.ndarray = field(metadata={"signed": True})
    grievance_national: np.ndarray
    base_food: np.ndarray
    base_local: np.ndarray
    base_goods: np.ndarray
    base_space: np.ndarray
    riot_size_k: np.ndarray
    killed: np.ndarray


def _food(meat: np.ndarray, milk: np.ndarray, pop: np.ndarray) -> np.ndarray:
    """Food per head (meat^0.5 milk^0.3), before bread availability."""
    return (meat / pop) ** 0.5 * (milk / pop) ** 0.3


def init(ctx: Context) -> SocietyState:
    """Start at the 1953 living standard; expectations a little above it."""
    from ottepel.core.mechanisms import housing, industry, livestock

    p, n = ctx.params.society, ctx.n_runs
    ls, ind, hs = livestock.init(ctx), industry.init(ctx), housing.init(ctx)
    pop = ctx.urban_start + ctx.rural_start
    regions = ls.meat_mt.shape[1]
    z, zr = np.zeros(n), np.zeros((n, regions))
    return SocietyState(
        nominal_wage=np.full(n, p.wage_1953), real_wage=np.ones(n), food=np.ones(n),
        log_local_food=zr.copy(), log_living=zr.copy(), log_expect=zr + p.initial_hope,
        log_reference=zr.copy(), log_price_ref=np.zeros((n, 3)), log_norms_ref=z.copy(),
        savings=np.full(n, p.savings_normal), shock=z.copy(), gap=zr + p.initial_hope, relief=zr.copy(),
        local_fear=zr.copy(), living_national=z.copy(), expect_national=z + p.initial_hope,
        grievance_national=z + p.initial_hope,
        base_food=_food(ls.meat_mt.sum(1), ls.milk_mt.sum(1), pop),
        base_local=ls.meat_mt / np.maximum(ctx.rural_by_region, 1e-6),
        base_goods=ind.output_b / pop, base_space=hs.urban_living_space.copy(),
        riot_size_k=z.copy(), killed=z.copy(),
    )


def prices(decisions, m: int) -> np.ndarray:
    """(3,) retail price indices of meat, butter, other in month ``m``."""
    return np.array([decisions.at(k, m) for k in ("retail_price_meat", "retail_price_butter", "retail_price_other")])


def price_index(pr: np.ndarray, p) -> float:
    """Consumer price index (start = 1) from the three retail price levers."""
    return float(p.share_meat * pr[0] + p.share_butter * pr[1] + (1 - p.share_meat - p.share_butter) * pr[2])


def real_wage(wage: np.ndarray, pr: np.ndarray, norms: float, p) -> np.ndarray:
    """Real wage index (start = 1): nominal wage over prices, less piece-rate cuts from norms."""
    return wage / p.wage_1953 / price_index(pr, p) * (1 - p.piece_exposure * (1 - 1 / norms))


def _national_parts(state: State, s: SocietyState, p, pr: np.ndarray, norms: float):
    """Nominal wage, real wage, food, housing and goods indices (all (runs,))."""
    ind = state.industry
    productivity = (ind.output_a + ind.output_b) / np.maximum(ind.labour_a, 1e-9)
    wage = p.wage_1953 * productivity ** p.wage_elasticity
    pop = state.population.urban.sum(1) + state.population.rural.sum(1)
    ls = state.livestock
    food = _food(ls.meat_mt.sum(1), ls.milk_mt.sum(1), pop) / s.base_food * _bread(state)
    space = state.housing.urban_living_space / s.base_space
    goods = ind.output_b / pop / s.base_goods
    return wage, real_wage(wage, pr, norms, p), food, space, goods


def _local_food(state: State, s: SocietyState, p) -> np.ndarray:
    """Weighted log of each region's own meat per rural head (recomputed after the livestock year)."""
    from ottepel.core.mechanisms.livestock import UPDATE_MONTH

    if state.clock.month_of_year != UPDATE_MONTH:
        return s.log_local_food
    local = state.livestock.meat_mt / np.maximum(state.population.rural, 1e-6) / np.maximum(s.base_local, 1e-9)
    return p.weight_food * p.local_food_weight * np.log(np.clip(local, 0.2, 5.0))


def _bread(state: State) -> np.ndarray:
    """Bread availability (<= 1) when state grain stocks fall below three months of town use."""
    g = state.domains.get("grain")
    if g is None:
        return np.ones(state.n_runs)
    need = state.context.params.grain.urban_bread * state.population.urban.sum(1) / 4
    return np.clip(g.stock / np.maximum(need, 1e-9), 0.7, 1.0)


def _savings(s: SocietyState, p, real: np.ndarray, food: np.ndarray, goods: np.ndarray) -> np.ndarray:
    """Household money after a month: income 1, spending what the shops can supply.

    Households wish to spend their income plus any money above ``savings_normal`` (over two
    years). State shops supply food and goods at fixed prices (in real terms, relative to
    the real wage); markets and services clear; part of the unmet demand goes to
    substitutes (``market_absorption``), the rest is saved perforce.
    """
    wanted = 1.0 + (s.savings - p.savings_normal) / 24.0
    supply = p.state_trade_share * (0.5 * food + 0.5 * goods) / np.maximum(real, 1e-9) + 1 - p.state_trade_share
    spent = np.minimum(wanted, supply) + p.market_absorption * np.maximum(wanted - supply, 0.0)
    return np.maximum(s.savings + 1.0 - spent, 0.0)


def _moral(s: SocietyState, p, pr: np.ndarray, norms: float) -> np.ndarray:
    """Violation of the just price of staples (meat, butter) and of the norms, (runs,)."""
    over = np.maximum(np.log(pr[:2]) - s.log_price_ref[:, :2], 0.0).sum(1)
    return p.salience_staples * over + p.salience_norms * np.maximum(np.log(norms) - s.log_norms_ref, 0.0)


def _relax(old: np.ndarray, target: np.ndarray, months: float) -> np.ndarray:
    """old + (target - old) / months, in one new array."""
    out = np.subtract(target, old)
    out /= months
    out += old
    return out


def step(state: State, decisions, params, rng) -> State:
    """One month: living standards, expectations, grievance, and perhaps a riot."""
    p, s, m = params.society, state.society, state.clock.month
    pr, norms = prices(decisions, m), decisions.at("work_norms", m)
    wage, real, food, space, goods = _national_parts(state, s, p, pr, norms)
    local = _local_food(state, s, p)
    nat = (p.weight_wage * np.log(real) + p.weight_food * np.log(food)
           + p.weight_housing * np.log(space) + p.weight_goods * np.log(goods))
    log_l = np.add(nat[:, None], local)
    savings = _savings(s, p, real, food, goods)
    overhang = np.maximum(np.log(savings / p.savings_normal), 0.0)
    gap = np.subtract(s.log_reference, log_l)                     # loss against the recent past
    np.maximum(gap, 0.0, out=gap)
    gap *= p.loss_aversion
    gap += s.log_expect
    gap -= log_l
    shock = _moral(s, p, pr, norms) + p.overhang_weight * overhang
    gap += shock[:, None]
    gap += returnee_unease(state)[:, None]  # crime fears after the amnesty (camps, last month)
    # ---- issue 18 hook: add the grievance contributions other domains publish (religion,
    # money, promises: ``grievance_contribution``, (runs,) log points, last month's values) ----
    for dom in state.domains.values():
        extra = getattr(dom, "grievance_contribution", None)
        if extra is not None:
            gap += np.asarray(extra)[:, None]
    # ---- end of the issue 18 hook ----
    relief = s.relief
    if relief.any():
        relief = relief * np.exp(-1.0 / p.relief_months)
        gap -= relief
    expect = _relax(s.log_expect, log_l, p.expectation_months)
    expect += decisions.at("expectations_boost", m)
    urban = state.population.urban
    urban_total = urban.sum(1)
    new = SocietyState(
        nominal_wage=wage, real_wage=real, food=food, log_local_food=local, log_living=log_l,
        log_expect=expect, log_reference=_relax(s.log_reference, log_l, p.reference_months),
        log_price_ref=_relax(s.log_price_ref, np.log(pr)[None, :], p.just_price_months),
        log_norms_ref=_relax(s.log_norms_ref, np.log(norms), p.just_price_months),
        savings=savings, shock=shock, gap=gap, relief=relief,
        local_fear=s.local_fear * np.exp(-1.0 / p.local_fear_months) if s.local_fear.any() else s.local_fear,
        living_national=np.einsum("ij,ij->i", urban, log_l) / urban_total,
        expect_national=np.einsum("ij,ij->i", urban, expect) / urban_total,
        grievance_national=np.einsum("ij,ij->i", urban, np.maximum(gap, 0.0)) / urban_total,
        base_food=s.base_food, base_local=s.base_local, base_goods=s.base_goods, base_space=s.base_space,
        riot_size_k=np.zeros(state.n_runs), killed=np.zeros(state.n_runs),
    )
    return _unrest(state, new, p, rng, m)


def disposed_share(gap: np.ndarray, fear: np.ndarray, p) -> np.ndarray:
    """Share of townspeople whose threshold the grievance exceeds (logistic thresholds).

    Args:
        gap: (runs, regions) grievance, log points.
        fear: (runs,) national fear; a (runs, regions) local part may be added by the caller.
        p: society parameters.
    """
    x = np.subtract(gap, (p.threshold + p.fear_weight * np.asarray(fear)).reshape(len(gap), -1))
    x *= -1.0 / p.threshold_spread
    np.exp(x, out=x)
    x += 1.0
    return np.reciprocal(x, out=x)


def _unrest(state: State, s: SocietyState, p, rng, m: int) -> State:
    """Draw this month's riot (at most one), the response, and the concession."""
    u = rng.uniform(m, "society.riot", (6,))
    z = np.sqrt(-2.0 * np.log(u[:, 4]))
    z = (z * np.cos(2 * np.pi * u[:, 5]), z * np.sin(2 * np.pi * u[:, 5]))  # Box-Muller pair
    urban = state.population.urban
    nat_fear = state.repression.fear if "repression" in state.domains else np.zeros(state.n_runs)
    gap = s.gap - p.fear_weight * s.local_fear if s.local_fear.any() else s.gap
    d = disposed_share(gap, nat_fear, p)
    d *= np.clip((s.gap - p.riot_floor) / p.riot_floor_ramp, 0.0, 1.0)
    hazard = np.sqrt(urban * urban.mean(1, keepdims=True))
    hazard *= d
    hazard *= p.trigger_rate
    total = hazard.sum(1)
    riot = u[:, 0] < -np.expm1(-total)
    if not riot.any():
        return state.with_domain(NAME, s)
    rows = np.arange(state.n_runs)
    region = np.zeros(state.n_runs, dtype=int)
    cum = np.cumsum(hazard[riot], axis=1)  # only where a riot happens: pick its region
    region[riot] = np.minimum((cum < (u[riot, 1] * total[riot])[:, None]).sum(1), urban.shape[1] - 1)
    size = np.where(riot, urban[rows, region] * 1000 * d[rows, region] * p.mobilisation
                    * np.exp(p.size_spread * z[0]), 0.0)
    army = riot & (u[:, 2] < 1.0 / (1.0 + np.exp(-np.log(np.maximum(size, 1e-9) / p.army_size_k) / 0.3)))
    lethality = np.where(army, p.lethality_army, p.lethality_police)
    killed = np.where(riot, np.floor(size * 1000 * lethality * np.exp(0.5 * z[1])), 0.0)
    concede = riot & (u[:, 3] < p.concession_chance)
    hit = rows[riot], region[riot]
    local_fear, relief = s.local_fear.copy(), s.relief.copy()
    local_fear[hit] += p.local_fear_per_killing * np.log10(1 + killed[riot])
    relief[hit] += concede[riot] * p.concession_relief
    fear = nat_fear + s.local_fear[rows, region]
    state = state.with_domain(NAME, replace(s, riot_size_k=size, killed=killed, local_fear=local_fear,
                                            relief=relief))
    return _emit(state, riot, army, concede, region, size, killed, s, fear, p)


def _emit(state, riot, army, concede, region, size, killed, s, fear, p) -> State:
    """Riot, repression and concession events with their causes."""
    names = state.context.regions.name
    runs = np.flatnonzero(riot)
    where = [str(names[region[k]]) for k in runs]
    causes = [f"grievance {s.gap[k, region[k]]:.2f} in {w} (expectations over living standard "
              f"{s.log_expect[k, region[k]] - s.log_living[k, region[k]]:.2f}; price, norm and shortage "
              f"shock {s.shock[k]:.2f}); fear {fear[k]:.2f}"
              for k, w in zip(runs, where, strict=True)]
    batches = [EventBatch("riot", runs, size[runs], np.array([f"townspeople of {w}" for w in where]),
                          np.array(causes))]
    force = np.array(["army" if army[k] else "police" for k in runs])
    batches.append(EventBatch("repression", runs, killed[runs], force,
                              np.array([f"riot of {size[k]:.1f} thousand in {w}" for k, w in zip(runs, where, strict=True)])))
    cruns = np.flatnonzero(concede)
    if len(cruns):
        cwhere = [str(names[region[k]]) for k in cruns]
        batches.append(EventBatch("concession", cruns, np.full(len(cruns), p.concession_relief),
                                  "Council of Ministers",
                                  np.array([f"supplies sent to {w} after the riot" for w in cwhere])))
    return state.emit(*batches)


NATIONAL = {
    "nominal_wage_rub": ("new roubles/month", "monthly", "average monthly wage of workers and employees"),
    "retail_price_index": ("1953-03 = 100", "monthly", "state retail price index (meat, butter, other)"),
    "real_wage_index": ("1953-03 = 100", "monthly", "real wage after prices and work norms"),
    "food_consumption_index": ("1953-03 = 100", "monthly", "urban food supply per head (meat, milk, bread)"),
    "consumer_goods_index_per_capita": ("1953-03 = 100", "monthly", "group B output per head"),
    "living_standard_index": ("1953-03 = 100", "monthly", "urban living standard (wage, food, housing, goods)"),
    "expectations_index": ("1953-03 = 100", "monthly", "what townspeople expect (adaptive, raised by promises)"),
    "monetary_overhang": ("log of savings over normal", "monthly", "savings that find nothing to buy"),
    "grievance": ("log points", "monthly", "urban grievance, population-weighted (0 = content)"),
    "riot_participants_k": ("thousand", "monthly", "participants in the month's riot (0 = none)"),
}


def national(state: State) -> dict[str, np.ndarray]:
    """Urban-population-weighted national aggregates."""
    s, p = state.society, state.context.params.society
    pr = prices(state.context.decisions, state.clock.month)
    return {
        "nominal_wage_rub": s.nominal_wage,
        "retail_price_index": np.full(state.n_runs, 100 * price_index(pr, p)),
        "real_wage_index": 100 * s.real_wage,
        "food_consumption_index": 100 * s.food,
        "consumer_goods_index_per_capita": 100 * state.industry.output_b / state.population.total.sum(1) / s.base_goods,
        "living_standard_index": 100 * np.exp(s.living_national),
        "expectations_index": 100 * np.exp(s.expect_national),
        "monetary_overhang": np.maximum(np.log(s.savings / p.savings_normal), 0.0),
        "grievance": s.grievance_national,
        "riot_participants_k": s.riot_size_k,
    }


REGIONAL = {
    "grievance": ("log points", "urban grievance of the region (0 = content)"),
    "living_standard_index": ("1953-03 = 100", "urban living standard of the region"),
}


def regional(state: State) -> dict[str, np.ndarray]:
    """Regional grievance and living standard."""
    s = state.society
    return {"grievance": np.maximum(s.gap, 0.0), "living_standard_index": 100 * np.exp(s.log_living)}
