"""Planning and perverse incentives: targets, padded reports, audits, councils, pledges.

Producers are agents: in every region ``producers_per_region`` (P) model producers of
each type (kolkhoz, sovkhoz, group A and group B enterprises), each standing for many
real ones (``weight``: the real farms or enterprises it represents). Four *lines* of
books are kept, each over the 2P producers of its two types:

    grain, meat, milk: kolkhoz and sovkhoz producers;   industry: group A and B producers.

Book arrays are (runs, lines, regions, 2P); per-producer traits are (runs, regions, 4P).

True output (December). The region's true quantity (``agriculture.harvest_mt`` bunker
weight, ``livestock.meat_mt`` and ``milk_mt``, national industry split by region) is
shared among its producers by type share x idiosyncratic productivity exp(theta), where
theta follows an AR(1) across years. Region totals are exact: planning never changes
what was produced, only what is said about it.

The annual plan (January), Weitzman (1980) ratchet on what was *reported*:

    T' = (1 + g) R + lambda (R - T),   lambda = lambda_over if R >= T else lambda_under

g is the plan growth of the line (levers; the Seven-Year Plan raises it). Weitzman's
partial adjustment T' = (1+g)[l R + (1-l) T] is the case lambda = -(1+g)(1-l).

Reporting (December; Berliner 1957, Harrison on Soviet statistics). A producer short of
its target by g' = T/X - 1 (the padding that would meet the plan) pads its report by a
share s of true output, trading the penalty of missing the plan against the expected
punishment of being caught:

    min_s  c/2 (g' - s)^2 + k/2 s^2   ->   s = min(c / (c + k) * g', padding_cap)
    k = audit probability q x detection d x punishment P (1 + honesty)
    q = audit_rate x audit_intensity x (1 - collusion) [x (1 - MTS share) for farms after 1958]
    P = punishment x padding_penalty x (fear / fear at the start)^w   (fear: repression domain)

c is the plan pressure (raised by campaigns and, for farms, by the 1962 party split);
collusion with the region's officials is low under branch ministries and high under
the regional councils (sovnarkhozy, 1957-65), and moves toward its level over years.
Targets are first corrected for a share of any region-wide shortfall (a plain drought).
The cap stands for the physical flows (receipts at elevators and meat plants) that a paper
figure cannot stray far from.

Audits (December): a producer is audited with probability q; padding is found with
probability d, the report corrected to the truth, and the producer's ``honesty`` rises
(punishment remembered, decaying each year). The published figures are after audits.

Inputs: the centre allocates inputs (machinery, fertiliser, investment) by reported
output: ``input_allocation`` (runs, regions) = 1 - a + a rho_r / mean(rho), rho_r the
region's grain reported/true ratio, mean weighted by true output (so the weighted mean
is 1); ``agriculture`` scales its capital input by it: padding misdirects resources.

Administration and localism: under branch ministries deliveries between regions meet
(1 - friction) of needs; under the councils a supplier serves its own council first and
withholds a share ``localism`` of deliveries to other councils (consolidation into larger
councils in 1963 turns some inter-regional flows into internal ones). A region imports a
share m_r = import_share (1 - q_r) of its industrial inputs (q_r its share of industry);
its industrial output is scaled by 1 - e m_r (1 - delivery ratio), relative to the
ministries' baseline, and ``industry`` reads the national factor.

Campaigns: with ``meat_pledge_intensity`` > 0, each January regional leaders pledge meat
deliveries of last year's report x (1 + intensity x ambition) (ambition: a persistent,
heavy-tailed trait of the region's leadership). In November, a region short of its
pledge covers a share of the shortfall by slaughtering breeding cattle (the livestock
domain's herd is reduced and the meat added to the year's true output) and by buying
cattle and meat from other regions and the population (counted again in its deliveries:
double counting). The herd, and next year's deliveries, then fall: the Ryazan episode
of 1959-60 (Gorlizki 2013, Kritika 14:2).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache
from typing import ClassVar

import numpy as np

from ottepel.core.decisions import Lever
from ottepel.core.mechanisms import industry as _industry
from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, State, event
from ottepel.data import _read_csv, load_regions

NAME = "planning"
PLAN_MONTH, CHASE_MONTH, REPORT_MONTH = 1, 11, 12
LINES = ("grain", "meat", "milk", "industry")
GRAIN, MEAT, MILK, IND = range(4)
FARM = np.array([1.0, 1.0, 1.0, 0.0])  # lines produced by farms
LIVESTOCK = np.array([0.0, 1.0, 1.0, 0.0])  # lines the meat and milk campaign presses
ADMIN_LEVERS = ("sovnarkhoz_reform", "sovnarkhoz_consolidation")
# A Ryazan-like episode: deliveries jump on a pledge, then herd and deliveries collapse.
EPISODE_JUMP, EPISODE_FALL, EPISODE_HERD_FALL = 1.4, 0.3, 0.2

LEVERS = {
    "sovnarkhoz_reform": Lever("level", 0.0, 0.0, 1.0, "0/1",
                               description="industry run by regional economic councils (1) or branch ministries (0)"),
    "sovnarkhoz_consolidation": Lever("level", 0.0, 0.0, 1.0, "0/1",
                                      description="councils merged into larger ones (105 to 47, 1963)"),
    "party_split": Lever("level", 0.0, 0.0, 1.0, "0/1",
                         description="party committees split into industrial and agricultural branches"),
    "audit_intensity": Lever("level", 1.0, 0.0, 3.0, "index, 1953 = 1",
                             description="strength of state control and audit of reports"),
    "mts_oversight": Lever("level", 1.0, 0.0, 1.0, "0/1",
                           description="machine-tractor stations assess farm output (abolished 1958)"),
    "padding_penalty": Lever("level", 1.0, 0.1, 5.0, "index, 1953 = 1",
                             description="legal severity of sanctions for padded reports"),
    "meat_pledge_intensity": Lever("level", 0.0, 0.0, 3.0, "index",
                                   description="pressure on regional leaders to pledge more meat (1 = the 1959 wave)"),
    "plan_growth_grain": Lever("level", 0.05, -0.2, 0.5, "1/yr", description="planned growth of grain output"),
    "plan_growth_livestock": Lever("level", 0.05, -0.2, 0.5, "1/yr",
                                   description="planned growth of meat and milk output"),
    "plan_growth_industry": Lever("level", 0.10, -0.2, 0.5, "1/yr",
                                  description="planned growth of industrial output"),
}

_W80 = "Weitzman 1980 (Bell J. Econ. 11:302) ratchet; value an assumption"
_B57 = "Berliner 1957, Factory and Manager in the USSR; value an assumption"


class Params(ParamGroup):
    """Plans, reports, audits, councils and pledges."""

    RUN_AXIS: ClassVar[bool] = False  # scalar parameters only (see ParamGroup)

    producers_per_region: float = param(4, 1, 16, "producers per type per region", "model resolution (not a behavioural parameter)")
    kolkhoz_count_1953: float = param(93300, 50000, 130000, "farms", "history series kolkhoz_count (1953)")
    sovkhoz_count_1953: float = param(4857, 3000, 8000, "farms", "history series sovkhoz_count (1953)")
    industrial_enterprises: float = param(200000, 50000, 400000, "enterprises", "assumption: order of magnitude of Soviet industrial enterprises in the 1950s")
    sovkhoz_share_old_land: float = param(0.12, 0.05, 0.3, "fraction", "assumption: sovkhoz share of grain on old arable land, early 1950s (TsSU sown-area tables, ~10%)")
    sovkhoz_share_virgin: float = param(0.6, 0.3, 0.9, "fraction", "McCauley 1976: most virgin land was farmed by new sovkhozes")
    sovkhoz_share_livestock: float = param(0.12, 0.05, 0.3, "fraction", "assumption: sovkhoz share of livestock output, 1950s")
    productivity_sd: float = param(0.12, 0.0, 0.4, "log", "assumption: dispersion of producers' output around their region's")
    productivity_persistence: float = param(0.7, 0.0, 0.95, "1/yr", "assumption: AR(1) persistence of producer productivity")
    ratchet_lambda_over: float = param(-0.5, -1.0, 1.0, "1", _W80 + "; -0.5 is his partial adjustment with weight ~0.5 on the report")
    ratchet_lambda_under: float = param(-0.5, -1.0, 1.0, "1", _W80 + "; negative: part of a shortfall is carried over (taut plans)")
    plan_pressure: float = param(1.0, 0.1, 5.0, "1", "normalisation: penalty weight of missing the plan")
    campaign_pressure: float = param(0.5, 0.0, 3.0, "1 per unit intensity", "assumption: the meat and milk campaign's extra pressure on livestock plans")
    split_pressure: float = param(0.3, 0.0, 2.0, "1", "assumption: agricultural party committees judged on farm output alone (Nov 1962)")
    audit_rate: float = param(0.2, 0.02, 0.6, "1/yr", "assumption: share of farms and enterprises inspected a year at 1953 control strength")
    mts_audit_share: float = param(0.5, 0.0, 1.0, "fraction", "assumption: share of farm output checks done by the MTS, paid in kind by the yields they assessed (Nove 1992 ch. 13)")
    plan_correction: float = param(0.5, 0.0, 1.0, "fraction", "Berliner 1957; Gregory 2004 (The Political Economy of Stalinism): plans corrected in the year when a region-wide shortfall was plain; size an assumption")
    detection: float = param(0.6, 0.1, 1.0, "probability", "assumption: an inspection finds padding that is there")
    punishment: float = param(25.0, 1.0, 100.0, "plan-penalty units", _B57 + ": dismissal, expulsion or prosecution against missing the plan")
    repression_weight: float = param(0.5, 0.0, 2.0, "1", "assumption: elasticity of punishment to fear (repression domain), relative to 1953")
    honesty_memory: float = param(1.0, 0.0, 5.0, "1", "assumption: extra deterrence after being caught")
    honesty_decay: float = param(0.6, 0.0, 1.0, "1/yr", "assumption: how long a caught producer stays careful")
    collusion_ministries: float = param(0.15, 0.0, 0.9, "fraction", "assumption: audits blunted by officials under the branch ministries")
    collusion_councils: float = param(0.5, 0.0, 0.9, "fraction", "assumption: audits blunted when the region's officials answer for its plan (Gorlizki 2013: networks of trust)")
    collusion_consolidated: float = param(0.4, 0.0, 0.9, "fraction", "assumption: larger councils of 1963 sit further from producers")
    collusion_adjust: float = param(0.4, 0.05, 1.0, "1/yr", "assumption: networks of trust between producers and regional officials take years to form (Gorlizki 2013)")
    collusion_sd: float = param(0.3, 0.0, 1.0, "log", "assumption: dispersion of collusion between regions")
    padding_cap: float = param(0.35, 0.05, 1.5, "fraction of true output", "assumption: paper output cannot stray far from receipts; Riazan 1959 reached 1.5 (Gorlizki 2013)")
    input_allocation_weight: float = param(0.5, 0.0, 1.0, "fraction", "assumption: share of farm inputs allocated by reported output")
    import_share: float = param(0.3, 0.0, 0.7, "fraction", "assumption: share of a region's industrial inputs from other regions")
    delivery_friction: float = param(0.03, 0.0, 0.2, "fraction", "assumption: shortfall of inter-regional deliveries under the ministries")
    localism: float = param(0.2, 0.0, 0.8, "fraction", "assumption: share of deliveries to other councils withheld (Nove 1992 ch. 12: mestnichestvo)")
    localism_sd: float = param(0.4, 0.0, 1.0, "log", "assumption: year-to-year dispersion of localism between councils")
    supply_elasticity: float = param(0.5, 0.0, 1.0, "1", "assumption: output lost per unit of missing imported inputs")
    pledge_ambition: float = param(0.1, 0.0, 2.0, "fraction", "Gorlizki 2013: most regions pledged modest rises; Riazan pledged x3")
    pledge_ambition_sd: float = param(1.0, 0.0, 2.0, "log", "assumption: heavy tail of regional leaders' ambition (a few bold pledges a year)")
    chase_share: float = param(0.5, 0.0, 1.0, "fraction", "assumption: share of a pledge shortfall covered by slaughter and purchases")
    slaughter_share: float = param(0.5, 0.0, 1.0, "fraction", "Gorlizki 2013: Riazan slaughtered its young stock and much of its dairy herd")
    slaughter_cap: float = param(0.35, 0.0, 0.8, "fraction of cattle", "assumption: extra slaughter a region can carry out in a season")
    purchase_cap: float = param(0.4, 0.0, 1.5, "fraction of true meat", "Gorlizki 2013: Riazan bought cattle in neighbouring regions")


@dataclass(frozen=True)
class PlanningState:
    """Producers' books (float32) and the administration (float64); run axis first.

    Attributes:
        productivity: (runs, regions, 4P) log productivity of each producer (signed).
        target, reported, true_output: (runs, 4, regions, 2P) the year's books by line,
            in million t (grain, meat, milk) or 1953 output units a year (industry).
        honesty: (runs, regions, 4P) deterrence remembered from past punishment.
        collusion_draw: (runs, regions) persistent standard normal (signed).
        collusion: (runs, regions) current share of audits blunted by collusion.
        ambition: (runs, regions) pledge ambition of the region's leaders, fraction.
        pledge_mt: (runs, regions) meat pledged for the current year, million t.
        purchased_mt: (runs, regions) meat bought to meet the pledge this year, million t.
        slaughter_head: (runs, regions) breeding cattle slaughtered for the pledge, million.
        meat_reported_1, meat_reported_2: (runs, regions) meat reported 1 and 2 years ago.
        cattle_1, cattle_2: (runs, regions) cattle 1 and 2 Decembers ago, million head.
        pledge_ratio_1, slaughter_1: (runs, regions) last year's pledge and slaughter.
        input_allocation: (runs, regions) farm-input factor, true-output-weighted mean 1.
        delivery_ratio: (runs, regions) inter-regional deliveries received over needed.
        industry_supply_factor: (runs,) industrial output factor (ministries = 1).
        interregional_delivery_ratio: (runs,) national deliveries received over needed.
        region_reported, region_true: (runs, 4, regions) the books summed by region.
        reported_total, true_total, target_total: (runs, 4) national books by line.
        audits_k, audits_found_k: (runs,) thousand real producers audited / caught.
        padding_found: (runs, 4) padding removed by audits, line units.
        pledge_regions: (runs,) regions pledging at least +50% this year.
        repression_ref: (runs, regions) fear (repression domain) when first read (0: unset).
    """

    productivity: np.ndarray = field(metadata={"signed": True})
    target: np.ndarray
    reported: np.ndarray
    true_output: np.ndarray
    honesty: np.ndarray
    collusion_draw: np.ndarray = field(metadata={"signed": True})
    collusion: np.ndarray
    ambition: np.ndarray
    pledge_mt: np.ndarray
    purchased_mt: np.ndarray
    slaughter_head: np.ndarray
    meat_reported_1: np.ndarray
    meat_reported_2: np.ndarray
    cattle_1: np.ndarray
    cattle_2: np.ndarray
    pledge_ratio_1: np.ndarray
    slaughter_1: np.ndarray
    input_allocation: np.ndarray
    delivery_ratio: np.ndarray
    industry_supply_factor: np.ndarray
    interregional_delivery_ratio: np.ndarray
    region_reported: np.ndarray
    region_true: np.ndarray
    reported_total: np.ndarray
    true_total: np.ndarray
    target_total: np.ndarray
    audits_k: np.ndarray
    audits_found_k: np.ndarray
    padding_found: np.ndarray
    pledge_regions: np.ndarray
    repression_ref: np.ndarray


# ---------------------------------------------------------------- static structure

_LIGHT = ("textile", "light", "food", "flax", "cotton", "fish", "meat", "dairy", "sugar",
          "wine", "silk", "carpet", "tea", "tobacco", "leather", "karakul", "rice", "soya")


@dataclass(frozen=True)
class Structure:
    """Fixed regional facts used by planning (all (regions,) arrays).

    Attributes:
        industry_share: share of national industrial output (urban population, 1959).
        group_a_share: heavy-industry share of the region's industry (from its profile).
        council_1963: index of the council the region belonged to after the 1963 merger.
        partner_share_1963: share of the rest of the USSR's industry inside that council.
        rural_share: share of the rural population (1959), for counts of farms.
    """

    industry_share: np.ndarray
    group_a_share: np.ndarray
    council_1963: np.ndarray
    partner_share_1963: np.ndarray
    rural_share: np.ndarray


@lru_cache(maxsize=1)
def structure() -> Structure:
    """Regional industrial shares, group A shares and the 1963 councils."""
    r = load_regions()
    urban = r.population_1959 * r.urban_share_1959
    q = urban / urban.sum()
    profile = _read_csv("regions_1957.csv")["industrial_profile"].str.lower()
    parts = profile.str.split(",")
    light = np.array([sum(any(k in x for k in _LIGHT) for x in p) for p in parts], float)
    heavy = np.array([len(p) for p in parts], float) - light
    a = (heavy + 0.5) / (heavy + light + 1.0)
    a = np.clip(a * 0.70 / np.sum(q * a), 0.05, 0.95)  # national group A share ~0.70 (TsSU)
    councils = _read_csv("sovnarkhoz_councils_1963.csv").set_index("code").loc[r.code]
    code = np.unique(councils["council_1963"].to_numpy(str), return_inverse=True)[1]
    council_q = np.bincount(code, weights=q)[code]
    partner = (council_q - q) / np.maximum(1.0 - q, 1e-12)
    rural = r.population_1959 * (1 - r.urban_share_1959)
    return Structure(q, a, code, partner, rural / rural.sum())


# ---------------------------------------------------------------- kernels

def ratchet(reported, target, growth, lambda_over, lambda_under):
    """Next year's target from this year's report (Weitzman 1980).

    T' = (1 + g) R + lambda (R - T), lambda = lambda_over if R >= T else lambda_under.
    Where there was no plan (T = 0) the target is (1 + g) R. Targets are never negative.
    """
    dt = reported.dtype
    grow = np.asarray(1 + growth, dtype=dt)
    if np.ndim(lambda_over) == 0 and lambda_over == lambda_under:
        lam = np.asarray(lambda_over, dtype=dt)
    else:
        lam = np.where(reported >= target, lambda_over, lambda_under).astype(dt)
    new = (grow + lam) * reported - lam * target
    new = np.where(target > 0, new, grow * reported)
    return np.maximum(new, 0, out=new)


def corrected_target(target, region_true, correction):
    """Targets after the in-year correction of a region-wide shortfall.

    T_c = T (1 - kappa max(0, 1 - X_r / T_r)): the centre excuses a share kappa of the
    shortfall every producer of the region shares (a drought is plain to see).

    Args:
        target: (runs, 4, regions, 2P) targets.
        region_true: (runs, 4, regions) true output by region.
        correction: kappa in [0, 1].
    """
    region_target = row_sum(target)
    short = np.where(region_target > 0, 1.0 - region_true / np.maximum(region_target, 1e-12), 0.0)
    factor = 1.0 - correction * np.clip(short, 0.0, 1.0)
    return target * factor[..., None].astype(target.dtype)


def padding_share(target, true_output, pressure, deterrence, cap):
    """Padding as a share of true output chosen by a producer.

    Minimises c/2 (g' - s)^2 + k/2 s^2 with g' = T/X - 1 the padding that would meet
    the plan: s = min(c / (c + k) g', cap); zero when the plan is met or absent (T = 0).

    Args:
        target, true_output: arrays of the same shape (line units).
        pressure: c, penalty weight of missing the plan (broadcastable).
        deterrence: k = audit probability x detection x punishment (broadcastable).
        cap: the largest share a paper figure can add to true output.
    """
    need = target / np.maximum(true_output, 1e-12)
    need -= 1.0
    np.maximum(need, 0.0, out=need)
    pressure = np.asarray(pressure, dtype=need.dtype)
    deterrence = np.asarray(deterrence, dtype=need.dtype)
    need *= pressure / (pressure + deterrence)
    return np.minimum(need, need.dtype.type(cap), out=need)


def audit(padded, audit_prob, detection, u):
    """Which producers are audited and which are caught padding.

    Args:
        padded: bool array, the producer's report exceeds its true output.
        audit_prob: probability of an audit this year (broadcastable).
        detection: probability an audit finds padding that is there.
        u: uniform(0, 1) draws, one per producer.

    Returns:
        (audited, found) bool arrays: audited = u < q; found = padded & u < q d, so that
        given an audit padding is found with probability d.
    """
    audited = u < audit_prob
    return audited, padded & (u < audit_prob * detection)


def deliveries(industry_share, partner_share, localism, friction, councils):
    """Inter-regional deliveries received over needed, by region and nationally.

    Args:
        industry_share: (regions,) q_r.
        partner_share: (regions,) share of the rest of industry inside the region's council
            (0 when each region is its own council).
        localism: (runs, regions) share of deliveries to other councils withheld.
        friction: shortfall common to all deliveries.
        councils: True under the regional councils, False under the ministries.

    Returns:
        (ratio (runs, regions), national (runs,)) with needs weighted by q_r (1 - q_r).
    """
    if councils:
        ratio = 1.0 - friction - localism * (1.0 - partner_share)
    else:
        ratio = np.full(localism.shape, 1.0 - friction)
    ratio = np.clip(ratio, 0.0, 1.0)
    need = industry_share * (1.0 - industry_share)
    return ratio, (ratio * need).sum(-1) / need.sum()


def split_uniform(u: np.ndarray, parts: int) -> np.ndarray:
    """Several uniforms from the bits of one keyed 53-bit uniform.

    Each part takes 53 // parts bits (13 for four parts: steps of 1/8192, fine for audit
    draws and productivity shocks) and the draw count, the costly part of a keyed stream,
    falls by ``parts``.

    Returns:
        (*u.shape, parts) float64 on the open interval (0, 1).
    """
    scale = 2.0 ** (53 // parts)
    out = np.empty((*np.shape(u), parts))
    x = np.array(u, dtype=np.float64)
    for i in range(parts):  # exact in float64: powers of two, floors and differences
        x *= scale
        whole = np.floor(x)
        out[..., i] = (whole + 0.5) / scale
        x -= whole
    return out


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


def _texts(mask: np.ndarray, fmt, *columns) -> np.ndarray:
    """(runs,) object array of cause strings, formatted only where ``mask`` is set."""
    out = np.full(mask.shape, "", dtype=object)
    for i in np.flatnonzero(mask):
        out[i] = fmt(*(c[i] for c in columns))
    return out


def region_batches(mask: np.ndarray):
    """Split a (runs, regions) event mask into batches with at most one region per run.

    Yields (runs_mask (runs,), region (runs,) int): batch k holds each run's k-th region,
    so a year with many regional events costs as many batches as the busiest run has.
    """
    rank = np.cumsum(mask, axis=1) * mask
    for k in range(1, int(rank.max(initial=0)) + 1):
        sel = rank == k
        yield sel.any(1), np.argmax(sel, axis=1)


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


# ---------------------------------------------------------------- December report

def _true_by_region(state: State, pl: PlanningState, p) -> np.ndarray:
    """(runs, 4, regions) true output of the year by line."""
    ag, ls, ind = state.agriculture, state.livestock, state.industry
    s = structure()
    factor = 1.0 - p.supply_elasticity * p.import_share * (1.0 - s.industry_share) * (
        1.0 - pl.delivery_ratio)
    w = s.industry_share * factor
    total = ind.output_year_sum / max(ind.months_in_year, 1)
    industry = total[:, None] * w / w.sum(-1, keepdims=True)
    return np.stack([ag.harvest_mt, ls.meat_mt, ls.milk_mt, industry], axis=1)


def _type_shares(state: State, p) -> np.ndarray:
    """(runs, 4, regions) share of the line's output from its second type (sovkhoz, group B)."""
    ag = state.agriculture
    vir = ag.virgin_harvest_mt
    sov = (p.sovkhoz_share_old_land * (ag.harvest_mt - vir) + p.sovkhoz_share_virgin * vir)
    grain = sov / np.maximum(ag.harvest_mt, 1e-12)
    live = np.full_like(grain, p.sovkhoz_share_livestock)
    b = np.broadcast_to(1.0 - structure().group_a_share, grain.shape)
    return np.stack([grain, live, live, b], axis=1)


def _lines(x: np.ndarray, per: int, dtype=np.float32) -> np.ndarray:
    """(runs, regions, 4P) producer traits -> (runs, 4, regions, 2P) by line."""
    n, nr = x.shape[:2]
    out = np.empty((n, 4, nr, 2 * per), dtype=dtype)
    out[:, :3] = x[:, None, :, : 2 * per]
    out[:, 3] = x[:, :, 2 * per:]
    return out


def producer_output(region_true, second_share, weight):
    """Split each region's true output among its producers (region totals exact).

    Args:
        region_true: (runs, 4, regions) true output by line.
        second_share: (runs, 4, regions) share of the second type (sovkhoz, group B).
        weight: (runs, 4, regions, 2P) exp(log productivity) by line; overwritten.

    Returns:
        (runs, 4, regions, 2P) true output of each producer (the ``weight`` array).
    """
    per = weight.shape[-1] // 2
    by_type = weight.reshape(*weight.shape[:-1], 2, per)
    mass = row_sum(by_type)  # (runs, 4, regions, 2)
    share = np.stack([1.0 - second_share, second_share], axis=-1)
    factor = region_true[..., None] * share / np.maximum(mass, 1e-30)
    by_type *= factor[..., None].astype(weight.dtype)
    return weight


def row_sum(x: np.ndarray) -> np.ndarray:
    """Sum over the last (short) axis in float64, slice by slice.

    numpy reduces a short contiguous last axis an order of magnitude slower than it adds
    whole slices; with 2P <= 32 producers the loop is cheap.
    """
    out = x[..., 0].copy()
    for i in range(1, x.shape[-1]):
        out += x[..., i]
    return out.astype(np.float64, copy=False)


def audit_probability(decisions, p, pl: PlanningState, m: int) -> np.ndarray:
    """(runs, 4, regions) yearly audit probability by line.

    Collusion follows the administration (regional officials gained power with the
    councils, for farms as for factories); farm lines lose the MTS share of checks when
    the stations are abolished (1958).
    """
    mts = 1.0 - p.mts_audit_share * (1.0 - decisions.at("mts_oversight", m)) * FARM
    q = p.audit_rate * decisions.at("audit_intensity", m) * (1.0 - pl.collusion)
    return np.clip(q[:, None, :] * mts[None, :, None], 0.0, 1.0)


def _deterrence(state: State, decisions, p, pl):
    """k by producer (runs, 4, regions, 2P), audit probability and the repression reference."""
    m = state.clock.month
    rep, ref = _repression(state, pl)
    q = audit_probability(decisions, p, pl, m)
    punish = p.punishment * decisions.at("padding_penalty", m) * rep**p.repression_weight
    if np.ndim(punish) == 2:
        punish = punish[:, None, :]
    per = pl.honesty.shape[-1] // 4
    k = _lines(pl.honesty, per)
    k += 1.0
    k *= (q * p.detection * punish)[..., None].astype(k.dtype)
    return k, q, ref


# Where fear of punishment is read from, first found wins: the repression domain's fear
# (remembered repression, 1 = early 1953), its repression index, or a society index.
FEAR_SOURCES = (("repression", "fear"), ("repression", "repression_index"),
                ("society", "repression_index"))


def _repression(state: State, pl: PlanningState):
    """Fear of punishment relative to its first value (1 when no domain provides it)."""
    ri = None
    for domain, attr in FEAR_SOURCES:
        ri = getattr(state.domains.get(domain), attr, None)
        if ri is not None:
            break
    if ri is None:
        return 1.0, pl.repression_ref
    ri = np.asarray(ri, dtype=float)
    ri = np.broadcast_to(ri[:, None] if ri.ndim == 1 else ri, pl.repression_ref.shape)
    ref = np.where(pl.repression_ref > 0, pl.repression_ref, ri)
    return ri / np.maximum(ref, 1e-12), ref


def _pressure(decisions, p, m) -> np.ndarray:
    campaign = 1.0 + p.campaign_pressure * decisions.at("meat_pledge_intensity", m) * LIVESTOCK
    split = 1.0 + p.split_pressure * decisions.at("party_split", m) * FARM
    return (p.plan_pressure * campaign * split)[None, :, None, None]


def _counts(state: State, p, per: int) -> np.ndarray:
    """(regions, 4P) real farms or enterprises each model producer stands for, thousand."""
    s = structure()
    kol = p.kolkhoz_count_1953 * s.rural_share / per
    sov = p.sovkhoz_count_1953 * s.rural_share / per
    ind = p.industrial_enterprises * s.industry_share / per
    cols = [kol, sov, ind * s.group_a_share, ind * (1 - s.group_a_share)]
    return np.repeat(np.stack(cols, -1), per, axis=-1) / 1000.0


def report(state: State, decisions, params, rng) -> State:
    """December: true output, padded reports, audits, national books and events."""
    p, pl, m = params.planning, state.planning, state.clock.month
    per = pl.honesty.shape[-1] // 4
    n, nr, nprod = pl.honesty.shape
    u = split_uniform(rng.uniform(m, "planning.producers", (nr, nprod // 2)), 4)
    u_audit = u[..., :2].reshape(n, nr, nprod)
    u_prod = u[..., 2:].reshape(n, nr, nprod)
    rho = p.productivity_persistence
    shock = (p.productivity_sd * np.sqrt((1 - rho**2) * 12.0) * (u_prod - 0.5)).astype(np.float32)
    theta = np.float32(rho) * pl.productivity + shock
    region_true = _true_by_region(state, pl, p)
    true = producer_output(region_true, _type_shares(state, p), _lines(np.exp(theta), per))
    k, q, ref = _deterrence(state, decisions, p, pl)
    target = corrected_target(pl.target, region_true, p.plan_correction)
    share = padding_share(target, true, _pressure(decisions, p, m), k, p.padding_cap)
    padded = share > 0
    reported = np.multiply(true, share + np.float32(1.0), out=share)
    _add_purchases(reported, true, pl.purchased_mt)
    q_prod = np.repeat(q[:, [GRAIN, IND]].transpose(0, 2, 1), 2 * per, axis=-1).astype(np.float32)
    audited, caught_prod = audit(True, q_prod, np.float32(p.detection), u_audit.astype(np.float32))
    found = padded & _lines(caught_prod, per, dtype=bool)
    excess = reported - true
    excess *= found
    found_amount = row_sum(excess).sum(-1)
    reported -= excess
    caught = _producer_any(found, per)
    audited = audited.astype(float)
    counts = _counts(state, p, per)
    region_reported = row_sum(reported)
    new = dataclasses.replace(
        pl, productivity=theta, target=target, reported=reported, true_output=true,
        honesty=(pl.honesty * p.honesty_decay + p.honesty_memory * caught).astype(np.float32),
        region_reported=region_reported, region_true=region_true,
        reported_total=region_reported.sum(-1), true_total=region_true.sum(-1),
        target_total=row_sum(target).sum(-1),
        audits_k=(audited * counts).sum((1, 2)),
        audits_found_k=(caught * counts).sum((1, 2)), padding_found=found_amount,
        repression_ref=np.asarray(ref, dtype=float) * np.ones_like(pl.repression_ref))
    state = state.with_domain(NAME, new)
    state = _emit_audits(state, found_amount, decisions)
    return _herd_books(state)


def _add_purchases(reported, true, purchased):
    """Meat bought from other regions is reported again as the buyer's delivery."""
    if not purchased.any():
        return
    meat = true[:, MEAT]
    share = meat / np.maximum(row_sum(meat)[..., None], 1e-12).astype(meat.dtype)
    reported[:, MEAT] += purchased[..., None].astype(reported.dtype) * share


def _producer_any(flags: np.ndarray, per: int) -> np.ndarray:
    """(runs, 4, regions, 2P) line flags -> (runs, regions, 4P) producer flags."""
    farm = flags[:, :3].any(1)
    return np.concatenate([farm, flags[:, IND]], axis=-1).astype(float)


def _emit_audits(state, amount, decisions) -> State:
    m = state.clock.month
    batches = []
    for i, line in enumerate(LINES):
        hit = amount[:, i] > 0
        if not hit.any():
            continue
        causes = (f"padded {line} reports found and corrected; audit intensity "
                  f"{decisions.at('audit_intensity', m):g}, padding penalty "
                  f"{decisions.at('padding_penalty', m):g}, MTS oversight "
                  f"{decisions.at('mts_oversight', m):g}, councils {decisions.at('sovnarkhoz_reform', m):g}")
        batches.append(event("audit", hit, amount[:, i], actors=f"state control ({line})", causes=causes))
    return state.emit(*batches)


def _herd_books(state: State) -> State:
    """Track deliveries and herds by region; flag Ryazan-like episodes (herd_collapse)."""
    pl, ls = state.planning, state.livestock
    meat = pl.region_reported[:, MEAT]
    jump = (pl.meat_reported_2 > 0) & (pl.meat_reported_1 >= EPISODE_JUMP * pl.meat_reported_2)
    fall = meat <= (1 - EPISODE_FALL) * pl.meat_reported_1
    herd = ls.cattle <= (1 - EPISODE_HERD_FALL) * pl.cattle_2
    episode = jump & fall & herd
    batches = [_collapse_event(state, hit, meat, r) for hit, r in region_batches(episode)]
    pledge_ratio = np.where(pl.pledge_mt > 0, pl.pledge_mt / np.maximum(pl.meat_reported_1, 1e-12), 0.0)
    new = dataclasses.replace(
        pl, meat_reported_2=pl.meat_reported_1, meat_reported_1=meat, cattle_2=pl.cattle_1,
        cattle_1=ls.cattle.copy(), pledge_ratio_1=pledge_ratio, slaughter_1=pl.slaughter_head)
    return state.with_domain(NAME, new).emit(*batches)


def _collapse_event(state, hit, meat, r):
    pl, ls, year = state.planning, state.livestock, state.clock.year
    i = (np.arange(len(r)), r)
    jump = pl.meat_reported_1[i] / np.maximum(pl.meat_reported_2[i], 1e-12)
    drop = meat[i] / np.maximum(pl.meat_reported_1[i], 1e-12)
    herd = 1.0 - ls.cattle[i] / np.maximum(pl.cattle_2[i], 1e-12)

    def fmt(j, pledge, head, d):
        return (f"meat deliveries x{j:.2f} in {year - 1} (pledge x{pledge:.2f}, {1000 * head:.0f} "
                f"thousand breeding cattle slaughtered); x{d:.2f} in {year}")

    causes = _texts(hit, fmt, jump, pl.pledge_ratio_1[i], pl.slaughter_1[i], drop)
    return event("herd_collapse", hit, herd, actors=state.context.regions.name[r], causes=causes)


# ---------------------------------------------------------------- outputs

NATIONAL = {
    "grain_harvest_reported_mt": ("million t", "annual", "grain harvest as reported: bunker weight plus padding (the model's official statistics)"),
    "meat_production_reported_mt": ("million t", "annual", "meat as reported: true output plus padding and double-counted purchases"),
    "milk_production_reported_mt": ("million t", "annual", "milk as reported"),
    "industrial_output_index_reported": ("1953 = 100", "annual", "official industrial index: hidden inflation (industry) times padding"),
    "padding_ratio_grain": ("fraction", "annual", "(reported - true) / true, grain"),
    "padding_ratio_meat": ("fraction", "annual", "(reported - true) / true, meat"),
    "padding_ratio_milk": ("fraction", "annual", "(reported - true) / true, milk"),
    "padding_ratio_industry": ("fraction", "annual", "(reported - true) / true, industry"),
    "plan_fulfilment_grain": ("fraction", "annual", "reported grain over the sum of producers' targets"),
    "plan_fulfilment_industry": ("fraction", "annual", "reported industry over the sum of producers' targets"),
    "audits": ("thousand producers", "annual", "farms and enterprises audited in the year"),
    "audits_padding_found": ("thousand producers", "annual", "farms and enterprises caught padding"),
    "interregional_delivery_ratio": ("fraction", "annual", "deliveries between regions received over needed"),
    "industry_supply_factor": ("1", "annual", "industrial output lost to short deliveries (ministries = 1)"),
    "meat_pledge_regions": ("regions", "annual", "regions pledging at least +50% meat deliveries"),
    "pledge_slaughter_mn_head": ("million head", "annual", "breeding cattle slaughtered to meet pledges"),
}


def national(state: State) -> dict[str, np.ndarray]:
    """National books (set each December)."""
    pl = state.planning
    rep, true = pl.reported_total, pl.true_total
    ratio = rep / np.where(true > 0, true, np.nan)
    official = _industry.national(state)["industrial_output_index_official"]
    target = np.where(pl.target_total > 0, pl.target_total, np.nan)
    return {
        "grain_harvest_reported_mt": rep[:, GRAIN],
        "meat_production_reported_mt": rep[:, MEAT],
        "milk_production_reported_mt": rep[:, MILK],
        "industrial_output_index_reported": official * ratio[:, IND],
        "padding_ratio_grain": ratio[:, GRAIN] - 1,
        "padding_ratio_meat": ratio[:, MEAT] - 1,
        "padding_ratio_milk": ratio[:, MILK] - 1,
        "padding_ratio_industry": ratio[:, IND] - 1,
        "plan_fulfilment_grain": rep[:, GRAIN] / target[:, GRAIN],
        "plan_fulfilment_industry": rep[:, IND] / target[:, IND],
        "audits": pl.audits_k,
        "audits_padding_found": pl.audits_found_k,
        "interregional_delivery_ratio": pl.interregional_delivery_ratio,
        "industry_supply_factor": pl.industry_supply_factor,
        "meat_pledge_regions": pl.pledge_regions,
        "pledge_slaughter_mn_head": pl.slaughter_head.sum(-1),
    }


REGIONAL = {
    "grain_reported_mt": ("million t", "grain harvest as reported"),
    "meat_reported_mt": ("million t", "meat deliveries as reported"),
    "meat_true_mt": ("million t", "meat, true output"),
    "herd_cattle_mn_head": ("million head", "cattle at year end (from livestock)"),
    "meat_pledge_mt": ("million t", "meat pledged for the year"),
    "delivery_ratio": ("fraction", "inter-regional deliveries received over needed"),
}


def regional(state: State) -> dict[str, np.ndarray]:
    """Regional books (December)."""
    pl = state.planning
    return {
        "grain_reported_mt": pl.region_reported[:, GRAIN],
        "meat_reported_mt": pl.region_reported[:, MEAT],
        "meat_true_mt": pl.region_true[:, MEAT],
        "herd_cattle_mn_head": state.livestock.cattle,
        "meat_pledge_mt": pl.pledge_mt,
        "delivery_ratio": pl.delivery_ratio,
    }
