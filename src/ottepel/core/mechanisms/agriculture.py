"""Agriculture: land, sowing, yields, the grain harvest and state procurement, by region.

Land (million ha, per region). The old arable grain land of 1953 is the republic totals
split within each republic by rural population x a grain-land density by agri zone; the
old cropland adds 1953 shares of clean fallow, fodder crops and industrial crops, and is
closed over its uses each April (``land.land_balance``): industrial crops fixed, fodder
following the cattle herd, fallow ploughed up by order (``fallow_ploughup_mha``, 1961-63)
and maize ordered by the campaign (``maize_target_mha``, allocated to regions by arable
land x suitability^kappa; kappa small = the campaign ignores agronomy), taking a share of
its land from fallow and the rest from small grains. Virgin land is ploughed by decision
(``virgin_ploughing_mha``, by region and year); a share ``same_year_sown`` of a year's
ploughing is sown that spring, the rest from the next year. Maize ripens for grain only
where the season's heat sum allows (``land.heat_sum``); elsewhere it is cut green for
silage of low feed value, and maize beyond a region's 1953 area yields only a share
``maize_campaign_yield`` of its agronomic potential.

Yields (t/ha, bunker weight), September of each year:

    Y_old = y0[zone] * exp(beta * w) * K_agri^a_K * P^eps * exp(sigma_y z - sigma_y^2/2)
    Y_vir = y0_virgin * exp(beta * beta_vir * w) * (1 + bonus) * K_agri^a_K * P^eps * noise

w is the weather index (``weather``), K_agri agricultural capital (``industry``), P the
grain procurement price index (decision). ``bonus`` is the fertility of freshly
ploughed steppe (stored moisture and nitrogen), entering at ``virgin_bonus`` and
decaying with time constant ``virgin_bonus_years`` under monoculture without fallow
(McCauley 1976, Khrushchev and the Development of Soviet Agriculture; Durgin 1962).
Drought years erode old ploughland: a share ``erosion_rate`` per index point below -1
of the virgin area sown for at least two years is withdrawn (dust storms 1955, 1960-65).

Procurement: surplus S = H (1 - losses) - seed - rural food; the state takes its quota
first and a share ``above_quota_share`` of the rest (the 1953-58 two-tier system; the
quota is the ``grain_procurement_plan_mt`` decision, split by expected harvest). What is
left on the farms is feed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ottepel.core.decisions import Lever
from ottepel.core.mechanisms import land
from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, State, event
from ottepel.data import AGRI_ZONES, republic_grain_area_1953

NAME = "agriculture"
SOWING_MONTH, HARVEST_MONTH = 4, 9

LEVERS = {
    "virgin_ploughing_mha": Lever("annual", 0.0, 0.0, 10.0, "million ha", regional=True,
                                  description="virgin and idle land ploughed in the year, by region"),
    "maize_target_mha": Lever("annual", 3.5, 0.0, 60.0, "million ha",
                              description="national maize sown-area target of the year"),
    "fallow_ploughup_mha": Lever("annual", 0.0, 0.0, 20.0, "million ha",
                                 description="clean fallow and sown grasses converted to grain that year"),
    "procurement_price_grain": Lever("level", 1.0, 0.2, 20.0, "index, 1952 = 1",
                                     description="average state procurement price of grain"),
    "grain_procurement_plan_mt": Lever("annual", 30.0, 0.0, 120.0, "million t",
                                       description="state grain procurement quota of the year"),
}

# Grain land per rural inhabitant by zone (ha/person): a reconstruction used only to
# split republic totals between regions (see docs/ODD.md, "Initialisation").
LAND_DENSITY = {
    "dry_steppe": 4.0, "chernozem_steppe": 2.0, "forest_steppe": 1.2, "non_chernozem": 0.55,
    "mountain": 0.45, "semi_desert_irrigated": 0.25, "subtropical": 0.25, "taiga_tundra": 0.15,
}
GRAIN_REGION_WEIGHT = {"major": 1.3, "minor": 1.0, "deficit": 0.7}
# Base yields t/ha at index 0 and 1953 inputs (relative; scaled by ``yield_scale``).
BASE_YIELD = {
    "chernozem_steppe": 1.0, "forest_steppe": 0.98, "dry_steppe": 0.62, "non_chernozem": 0.66,
    "mountain": 0.75, "semi_desert_irrigated": 0.9, "subtropical": 0.95, "taiga_tundra": 0.5,
}
_MC = "McCauley 1976; Durgin 1962 (Soviet Studies 13:255)"
_NK = "TsSU Narkhoz SSSR yearbooks"


class Params(ParamGroup):
    """Crop production and procurement."""

    yield_scale: float = param(0.80, 0.5, 1.2, "t/ha", "set so the 1950 official yield (7.9 c/ha, index 0 'no record') is met at 1953 inputs")
    weather_elasticity: float = param(0.17, 0.05, 0.35, "1/index point", "assumption; Kazakh yields 2.7 c/ha in drought 1955 vs ~10 c/ha in 1956 (" + _MC + ")")
    virgin_weather_extra: float = param(1.3, 1.0, 2.0, "1", _MC + ": thin steppe soils without fallow suffer drought more")
    capital_elasticity: float = param(0.30, 0.0, 0.5, "1", "Diamond 1966 / Johnson & Brooks 1983: output elasticity of capital in Soviet farming ~0.2-0.3")
    price_elasticity: float = param(0.05, 0.0, 0.2, "1", "Nove: supply response of kolkhozes to the 1953-58 procurement price rises (small)")
    yield_noise: float = param(0.08, 0.0, 0.25, "log t/ha", "assumption: regional yield shocks beyond the weather index")
    virgin_base_yield: float = param(0.60, 0.3, 1.0, "t/ha", _MC + ": Kazakh virgin-land yields 6-7 c/ha in average years")
    virgin_bonus: float = param(0.35, 0.0, 0.8, "1", _MC + ": first crops on fresh steppe yielded a third more")
    virgin_bonus_years: float = param(3.0, 1.0, 8.0, "yr", _MC + ": fertility fell after 3-4 years of wheat on wheat")
    same_year_sown: float = param(0.2, 0.0, 0.6, "fraction", "history series virgin_lands_sown_mha: 19 mn ha ploughed in 1954, about 3.6 sown that year")
    virgin_sown_share: float = param(0.88, 0.6, 1.0, "fraction", _MC + ": ploughed land not sown to grain (fallow, fodder)")
    erosion_rate: float = param(0.035, 0.0, 0.15, "1/index point", "history series kazakhstan_land_withdrawn_erosion_mha (9 mn ha by 1960, low)")
    maize_kappa: float = param(0.5, 0.0, 3.0, "1", "assumption: how much the campaign's allocation follows agronomy (0 = none)")
    maize_compliance: float = param(0.95, 0.6, 1.1, "fraction", "history series maize_sown_area_mha vs campaign targets")
    maize_grain_share: float = param(0.3, 0.05, 0.8, "fraction", "history series maize_for_grain_mha: 5.1 of 28.2 mn ha in 1960 (taken for grain where it ripens)")
    maize_grain_yield: float = param(2.6, 1.0, 4.0, "t/ha", _NK + ": maize for grain 2-3 t/ha in Ukraine and the North Caucasus")
    maize_grain_h0: float = param(2300.0, 1800.0, 2800.0, "degree-days", "agronomy: early Soviet hybrids need ~2300-2500 C of active temperatures to ripen for grain (assumption within that range)")
    maize_grain_h1: float = param(3100.0, 2600.0, 3600.0, "degree-days", "agronomy: a full grain crop needs ~3000 C and more (Ukrainian steppe, Kuban)")
    silage_h0: float = param(1400.0, 1000.0, 1900.0, "degree-days", "assumption: below ~1400 C maize makes almost no green mass")
    silage_green_max: float = param(22.0, 12.0, 40.0, "t green mass/ha", _NK + ": 20-30 t/ha of green mass where maize suits; Khrushchev's campaign norms higher")
    silage_fu_green: float = param(0.11, 0.06, 0.16, "feed units/kg", "Soviet feed tables: green maize cut before the cobs ~0.1-0.13 feed units per kg")
    silage_fu_wax: float = param(0.21, 0.15, 0.3, "feed units/kg", "Soviet feed tables: maize silage at milk-wax ripeness ~0.2-0.25 feed units per kg")
    ensiling_loss: float = param(0.25, 0.05, 0.4, "fraction", "assumption: losses in clamps and trenches (Nove 1992 ch. 13 on poor storage)")
    maize_campaign_yield: float = param(0.45, 0.2, 1.0, "fraction", "McCauley 1976; Nove 1992 ch. 12-13: maize sown by order without seed, machines, herbicides or experience yielded far below its potential (value an assumption)")
    maize_from_fallow: float = param(0.2, 0.0, 0.8, "fraction", "Volin 1970: the campaign took land from clean fallow and oats; share an assumption set against grain_sown_area_mha")
    maize_from_fodder: float = param(0.5, 0.0, 0.8, "fraction", "Volin 1970; McCauley 1976: maize replaced sown grasses and oats for hay; share an assumption set against grain_sown_area_mha and total_sown_area_mha")
    fallow_share_1953: float = param(0.17, 0.05, 0.3, "fraction of grain land", "assumption: clean fallow ~18 mn ha in 1953 against 106.7 of grain (TsSU; Karcz & Timoshenko 1964)")
    fodder_share_1953: float = param(0.255, 0.15, 0.35, "fraction of grain land", _NK + ": fodder crops 27.2 of 157.2 mn ha sown in 1953 (history series total_sown_area_mha)")
    industrial_share_1953: float = param(0.22, 0.15, 0.3, "fraction of grain land", _NK + ": industrial crops, potatoes and vegetables ~23 mn ha in 1953")
    fodder_herd_elasticity: float = param(1.3, 0.0, 2.5, "1", "assumption: fodder crops (63 mn ha with maize by 1960, history series total_sown_area_mha) ordered for a growing herd")
    ploughup_fallow_share: float = param(0.5, 0.0, 1.0, "fraction", "CIA/ORR 16 Feb 1962 (Khrushchev advocates dubious farming practices): the orders hit clean fallow and the grassland rotation alike; share an assumption")
    fallow_floor: float = param(0.2, 0.0, 0.6, "fraction of 1953 fallow", "history series: clean fallow fell to ~6 mn ha in 1963 (Volin 1970)")
    fodder_floor: float = param(0.5, 0.0, 1.0, "fraction of 1953 fodder", "assumption: grassland kept for hay even after the 1962 plenum")
    small_grain_floor: float = param(0.3, 0.1, 0.8, "fraction of 1953 grain", "assumption: bread grain kept on at least this share of a region's 1953 grain land")
    losses: float = param(0.08, 0.02, 0.2, "fraction", "USDA (Volin & Walters 1965): bunker weight vs clean barn weight")
    seed_rate: float = param(0.17, 0.12, 0.22, "t/ha", _NK + ": 1.5-2 c/ha seed for small grains")
    rural_food: float = param(0.19, 0.12, 0.28, "t/person/yr", "assumption: rural bread-grain consumption including private-plot flour")
    kolkhoz_share_rural: float = param(0.65, 0.4, 0.85, "fraction", "history series kolkhoz_households_mn (19.7 mn households ~ 2/3 of the rural population in 1953); the rest (sovkhoz workers, rural employees) buy state bread")
    above_quota_share: float = param(0.30, 0.1, 0.9, "fraction", "history series grain_state_procurement_mt vs grain_harvest_mt (1953-58)")


@dataclass(frozen=True)
class AgricultureState:
    """Land and crops (all (runs, regions) float64 unless noted).

    Attributes:
        old_arable_mha: grain land of 1953 plus fallow and grass ploughed up by order, million ha.
        virgin_ploughed_mha: cumulative virgin land ploughed, million ha.
        virgin_abandoned_mha: cumulative virgin land withdrawn by erosion, million ha.
        virgin_bonus_mha: area-weighted fertility bonus of virgin land, million ha x 1.
        ploughed_this_year: virgin land ploughed in the current year, million ha.
        maize_sown_mha: maize sown (all uses), million ha.
        grain_sown_mha: grain sown incl. maize for grain, million ha.
        virgin_grain_sown_mha: grain sown on virgin land, million ha.
        yield_t_ha: grain yield of the year, t/ha (bunker weight).
        harvest_mt: grain harvest of the year, million t (bunker weight).
        procurement_mt: state procurement of the year, million t.
        farm_feed_mt: grain left on farms after seed and food, million t.
        rural_food_gap_mt: rural food needs not covered, million t.
        silage_feed_mt: maize silage feed, million t feed units.
        maize_grain_mt: maize harvested for grain, million t (part of harvest_mt).
        virgin_harvest_mt: grain harvested on virgin land, million t (part of harvest_mt).
        grain_1953_mha, cropland_mha: 1953 grain land and old cropland (fixed), million ha.
        maize_grain_mha: maize sown for grain, million ha.
        fallow_mha, fodder_mha, industrial_mha: clean fallow, fodder crops other than maize,
            industrial crops (with potatoes and vegetables) on old cropland, million ha.
    """

    old_arable_mha: np.ndarray
    virgin_ploughed_mha: np.ndarray
    virgin_abandoned_mha: np.ndarray
    virgin_bonus_mha: np.ndarray
    ploughed_this_year: np.ndarray
    maize_sown_mha: np.ndarray
    grain_sown_mha: np.ndarray
    virgin_grain_sown_mha: np.ndarray
    yield_t_ha: np.ndarray
    harvest_mt: np.ndarray
    procurement_mt: np.ndarray
    farm_feed_mt: np.ndarray
    rural_food_gap_mt: np.ndarray
    silage_feed_mt: np.ndarray
    maize_grain_mt: np.ndarray
    virgin_harvest_mt: np.ndarray
    grain_1953_mha: np.ndarray
    cropland_mha: np.ndarray
    maize_grain_mha: np.ndarray
    fallow_mha: np.ndarray
    fodder_mha: np.ndarray
    industrial_mha: np.ndarray


def base_grain_area(regions, rural_mn: np.ndarray) -> np.ndarray:
    """1953 grain area by region (million ha): republic totals split by land density.

    Args:
        regions: the packaged regions.
        rural_mn: (regions,) rural population, million persons.
    """
    totals = republic_grain_area_1953()
    zone = np.array([AGRI_ZONES[z] for z in regions.agri_zone])
    w = rural_mn * np.array([LAND_DENSITY[z] for z in zone])
    w = w * np.array([GRAIN_REGION_WEIGHT[g] for g in regions.grain_region])
    area = np.zeros(regions.n)
    for rep, total in totals.items():
        mask = regions.republic == rep
        area[mask] = total * w[mask] / w[mask].sum()
    return area


def _zone_table(regions, table: dict[str, float]) -> np.ndarray:
    return np.array([table[AGRI_ZONES[z]] for z in regions.agri_zone])


def init(ctx: Context) -> AgricultureState:
    """1953 land: old grain land with its fallow, fodder and industrial crops; no virgin land."""
    r, n, p = ctx.regions, ctx.n_runs, ctx.params.agriculture
    rural = ctx.rural_by_region
    area = np.broadcast_to(base_grain_area(r, rural), (n, r.n)).copy()
    z = np.zeros((n, r.n))
    fallow, fodder = p.fallow_share_1953 * area, p.fodder_share_1953 * area
    industrial = p.industrial_share_1953 * area
    cropland = area + fallow + fodder + industrial
    return AgricultureState(area, z.copy(), z.copy(), z.copy(), z.copy(), z.copy(), area.copy(),
                            z.copy(), z.copy(), z.copy(), z.copy(), z.copy(), z.copy(), z.copy(),
                            z.copy(), z.copy(), area.copy(), cropland, z.copy(), fallow, fodder,
                            industrial)


def maize_allocation(regions, arable: np.ndarray, kappa: float, p=None) -> np.ndarray:
    """Regional shares of the national maize target: arable x suitability^kappa (heat sums)."""
    p = Params() if p is None else p
    w = arable * land.maize_suitability(land.heat_sum(regions), p) ** kappa
    return w / w.sum(-1, keepdims=True)


def _herd_ratio(state: State, params) -> np.ndarray:
    """Cattle by region over the region's 1953 herd (the fodder the herd is planned on)."""
    ls = state.domains.get("livestock")
    if ls is None:
        return 1.0
    rural = state.context.rural_by_region
    base = params.livestock.cattle_1953 * rural / rural.sum()
    return ls.cattle / np.maximum(base, 1e-9)


def maize_areas(state: State, decisions, params, rng, old):
    """The campaign's order by region: (maize sown, of which for grain), million ha."""
    p, m, regions = params.agriculture, state.clock.month, state.context.regions
    target = decisions.at_runs("maize_target_mha", m, state)[:, None]
    compliance = p.maize_compliance * (1 + 0.04 * rng.normal(m, "agriculture.maize"))
    maize = target * compliance[:, None] * maize_allocation(regions, old, p.maize_kappa, p)
    ripe = land.maize_grain_ripeness(land.heat_sum(regions), p)
    return maize, maize * p.maize_grain_share * ripe


def sow(state: State, decisions, params, rng) -> State:
    """April: close the land balance; this year's grain, maize, fallow, fodder and virgin areas."""
    p, ag, m = params.agriculture, state.agriculture, state.clock.month
    ploughed_now = np.broadcast_to(decisions.at_runs("virgin_ploughing_mha", m, state), ag.old_arable_mha.shape)
    fallow = decisions.at_runs("fallow_ploughup_mha", m, state)[:, None]
    old = ag.old_arable_mha + fallow * ag.grain_1953_mha / ag.grain_1953_mha.sum(1, keepdims=True)
    # Land ploughed last year joins the sown stock now; this year's ploughing mostly next year.
    prev = ag.ploughed_this_year
    ploughed = ag.virgin_ploughed_mha + prev
    bonus = ag.virgin_bonus_mha * np.exp(-1.0 / p.virgin_bonus_years) + p.virgin_bonus * (
        prev * (1 - p.same_year_sown) + ploughed_now * p.same_year_sown)
    sown_land = ploughed - ag.virgin_abandoned_mha + p.same_year_sown * ploughed_now
    virgin_grain = np.maximum(sown_land, 0.0) * p.virgin_sown_share
    maize, maize_grain_area = maize_areas(state, decisions, params, rng, ag.grain_1953_mha)
    use = land.land_balance(
        ag.cropland_mha, ag.grain_1953_mha, p.fallow_share_1953 * ag.grain_1953_mha,
        p.fodder_share_1953 * ag.grain_1953_mha, ag.industrial_mha, old - ag.grain_1953_mha,
        _herd_ratio(state, params), maize - maize_grain_area, maize_grain_area, p)
    maize_grain_area = use["maize_grain"]
    maize = use["maize_silage"] + maize_grain_area
    grain = use["small_grain"] + virgin_grain + maize_grain_area
    new = replace(ag, old_arable_mha=old, virgin_ploughed_mha=ploughed, virgin_bonus_mha=bonus,
                  ploughed_this_year=ploughed_now.copy(), maize_sown_mha=maize,
                  grain_sown_mha=grain, virgin_grain_sown_mha=virgin_grain,
                  maize_grain_mha=maize_grain_area, fallow_mha=use["fallow"],
                  fodder_mha=use["fodder"])
    return state.with_domain(NAME, new)


def maize_yields(state: State, params, w, noise):
    """September: maize grain (million t) and silage (million t feed units) by region."""
    p, ag, regions = params.agriculture, state.agriculture, state.context.regions
    h = land.heat_sum(regions)
    weather = np.exp(p.weather_elasticity * w)
    # Maize beyond the region's 1953 extent is grown by order, with less seed, care and machines,
    # except where it ripens and farms knew it (the old corn belt).
    ripe = land.maize_grain_ripeness(h, p)
    base = 3.5 * maize_allocation(regions, ag.grain_1953_mha, 3.0, p)
    total = np.maximum(ag.maize_sown_mha, 1e-12)
    new_land = p.maize_campaign_yield + (1.0 - p.maize_campaign_yield) * ripe
    care = (np.minimum(total, base) + new_land * np.maximum(total - base, 0.0)) / total
    grain = (ag.maize_grain_mha * p.maize_grain_yield * ripe
             * weather * noise * care)
    silage_area = ag.maize_sown_mha - ag.maize_grain_mha
    silage = silage_area * land.silage_feed_per_ha(h, p) * weather * care
    return grain, silage


def grain_yields(state: State, decisions, params, rng):
    """September: small-grain yields on old and virgin land (t/ha) and the regional noise.

    Returns:
        (y_old, y_vir, noise), each (runs, regions).
    """
    p, ag, m = params.agriculture, state.agriculture, state.clock.month
    regions, w = state.context.regions, state.weather.index
    # Inputs follow reported output where the planning domain allocates them (padding misdirects).
    alloc = getattr(state.domains.get("planning"), "input_allocation", 1.0)
    inputs = (state.industry.capital_agri[:, None] * alloc) ** p.capital_elasticity
    price = decisions.at_runs("procurement_price_grain", m, state)[:, None] ** p.price_elasticity
    z = rng.normal(m, "agriculture.yield", (regions.n,))
    noise = np.exp(p.yield_noise * z - 0.5 * p.yield_noise**2)
    y_old = p.yield_scale * _zone_table(regions, BASE_YIELD) * np.exp(p.weather_elasticity * w)
    y_old = y_old * inputs * price * noise
    virgin_area = np.maximum(ag.virgin_grain_sown_mha, 1e-12)
    bonus = np.clip(ag.virgin_bonus_mha / (virgin_area / p.virgin_sown_share), 0.0, p.virgin_bonus)
    y_vir = p.virgin_base_yield * np.exp(p.weather_elasticity * p.virgin_weather_extra * w)
    y_vir = y_vir * (1 + bonus) * inputs * price * noise
    return y_old, y_vir, noise


def harvest(state: State, decisions, params, rng) -> State:
    """September: yields, harvest, erosion, procurement and on-farm feed."""
    p, ag, m = params.agriculture, state.agriculture, state.clock.month
    regions = state.context.regions
    w = state.weather.index
    y_old, y_vir, noise = grain_yields(state, decisions, params, rng)
    maize_grain, silage = maize_yields(state, params, w, noise)
    old_small_grain = ag.grain_sown_mha - ag.virgin_grain_sown_mha - ag.maize_grain_mha
    virgin_harvest = ag.virgin_grain_sown_mha * y_vir
    harvest_mt = old_small_grain * y_old + virgin_harvest + maize_grain
    grain_area = ag.grain_sown_mha
    yld = harvest_mt / np.maximum(grain_area, 1e-9)
    # Dust storms: drought strips land sown to wheat for two or more years.
    exposed = np.maximum(ag.virgin_ploughed_mha - ag.virgin_abandoned_mha, 0.0)
    eroded = p.erosion_rate * np.maximum(-w - 1.0, 0.0) * exposed
    # Procurement: quota first, a share of the rest; the rest stays on the farm.
    rural = state.population.rural
    surplus = (harvest_mt * (1 - p.losses) - p.seed_rate * grain_area
               - p.rural_food * p.kolkhoz_share_rural * rural)
    plan = decisions.at_runs("grain_procurement_plan_mt", m, state)[:, None]
    expected = grain_area * _expected_yield(regions, p)
    quota = plan * expected / expected.sum(1, keepdims=True)
    avail = np.maximum(surplus, 0.0)
    proc = np.minimum(quota, avail) + p.above_quota_share * np.maximum(avail - quota, 0.0)
    feed = avail - proc
    gap = np.maximum(-surplus, 0.0)
    new = replace(ag, virgin_abandoned_mha=ag.virgin_abandoned_mha + eroded, yield_t_ha=yld,
                  harvest_mt=harvest_mt, procurement_mt=proc, farm_feed_mt=feed,
                  rural_food_gap_mt=gap, silage_feed_mt=silage, maize_grain_mt=maize_grain,
                  virgin_harvest_mt=virgin_harvest)
    state = state.with_domain(NAME, new)
    national = harvest_mt.sum(1)
    bad = w.mean(1) < -1.0
    return state.emit(event(
        "poor_harvest", bad, national, actors="agriculture",
        causes=np.char.add("mean weather index ", np.round(w.mean(1), 2).astype(str)),
    ))


def _expected_yield(regions, p) -> np.ndarray:
    return p.yield_scale * _zone_table(regions, BASE_YIELD)


def step(state: State, decisions, params, rng) -> State:
    """Sow in April, harvest in September; nothing else moves on the land."""
    moy = state.clock.month_of_year
    if moy == SOWING_MONTH or (state.clock.month == 0 and SOWING_MONTH < moy < HARVEST_MONTH):
        state = sow(state, decisions, params, rng)
    if state.clock.month_of_year == HARVEST_MONTH:
        state = harvest(state, decisions, params, rng)
    return state


NATIONAL = {
    "grain_harvest_mt": ("million t", "annual", "grain harvest, bunker weight (as in official statistics, before padding)"),
    "grain_harvest_barn_mt": ("million t", "annual", "grain harvest net of field and cleaning losses (western 'barn weight')"),
    "grain_sown_mha": ("million ha", "annual", "grain sown area incl. maize for grain"),
    "grain_yield_c_per_ha": ("centners/ha", "annual", "grain yield"),
    "virgin_lands_sown_mha": ("million ha", "annual", "virgin land ploughed, cumulative (the official 'ploughed' count)"),
    "virgin_lands_grain_sown_mha": ("million ha", "annual", "grain sown on virgin land"),
    "virgin_lands_abandoned_mha": ("million ha", "annual", "virgin land withdrawn by erosion, cumulative"),
    "virgin_lands_harvest_mt": ("million t", "annual", "grain harvested on virgin land"),
    "maize_sown_mha": ("million ha", "annual", "maize sown, all uses"),
    "maize_grain_mt": ("million t", "annual", "maize harvested for grain"),
    "grain_procurement_mt": ("million t", "annual", "state grain procurement"),
    "rural_food_gap_mt": ("million t", "annual", "rural grain needs not covered by the harvest"),
    "maize_for_grain_mha": ("million ha", "annual", "maize sown for grain (where it ripens)"),
    "silage_feed_mt": ("million t feed units", "annual", "maize silage after ensiling losses"),
    "fallow_mha": ("million ha", "annual", "clean fallow on old cropland"),
    "fodder_crops_mha": ("million ha", "annual", "fodder crops other than maize (sown grasses, root and annual fodder)"),
    "total_sown_mha": ("million ha", "annual", "all crops sown: grain, maize, fodder, industrial, and virgin land's other crops"),
    **{f"grain_harvest_{z}_mt": ("million t", "annual", f"grain harvest, {z} zone (maize {d})")
       for z, d in zip(land.ZONE_GROUPS, ("ripens for grain", "ripens for silage only", "does not ripen"), strict=True)},
}


def national(state: State) -> dict[str, np.ndarray]:
    """National agricultural aggregates."""
    ag, p = state.agriculture, state.context.params.agriculture
    h = ag.harvest_mt.sum(1)
    area = ag.grain_sown_mha.sum(1)
    return {
        "grain_harvest_mt": h,
        "grain_harvest_barn_mt": h * (1 - p.losses),
        "grain_sown_mha": area,
        "grain_yield_c_per_ha": 10 * h / np.maximum(area, 1e-9),
        "virgin_lands_sown_mha": (ag.virgin_ploughed_mha + ag.ploughed_this_year).sum(1),
        "virgin_lands_grain_sown_mha": ag.virgin_grain_sown_mha.sum(1),
        "virgin_lands_abandoned_mha": ag.virgin_abandoned_mha.sum(1),
        "virgin_lands_harvest_mt": ag.virgin_harvest_mt.sum(1),
        "maize_sown_mha": ag.maize_sown_mha.sum(1),
        "maize_grain_mt": ag.maize_grain_mt.sum(1),
        "grain_procurement_mt": ag.procurement_mt.sum(1),
        "rural_food_gap_mt": ag.rural_food_gap_mt.sum(1),
        "maize_for_grain_mha": ag.maize_grain_mha.sum(1),
        "silage_feed_mt": ag.silage_feed_mt.sum(1),
        "fallow_mha": ag.fallow_mha.sum(1),
        "fodder_crops_mha": ag.fodder_mha.sum(1),
        "total_sown_mha": (ag.grain_sown_mha + ag.maize_sown_mha - ag.maize_grain_mha + ag.fodder_mha
                           + ag.industrial_mha + ag.virgin_grain_sown_mha
                           * (1 / p.virgin_sown_share - 1)).sum(1),
        **by_zone(state, ag.harvest_mt, "grain_harvest_{}_mt"),
    }


def by_zone(state: State, x: np.ndarray, name: str) -> dict[str, np.ndarray]:
    """(runs, regions) -> {name.format(zone): (runs,) sum over the zone group's regions}."""
    g = land.zone_group(state.context.regions)
    return {name.format(z): np.where(g == i, x, 0.0).sum(1) for i, z in enumerate(land.ZONE_GROUPS)}


REGIONAL = {
    "grain_harvest_mt": ("million t", "grain harvest"),
    "grain_sown_mha": ("million ha", "grain sown area"),
    "grain_yield_c_per_ha": ("centners/ha", "grain yield"),
    "maize_sown_mha": ("million ha", "maize sown"),
    "virgin_lands_sown_mha": ("million ha", "virgin land ploughed, cumulative"),
    "grain_procurement_mt": ("million t", "state procurement"),
}


def regional(state: State) -> dict[str, np.ndarray]:
    """Regional agricultural variables."""
    ag = state.agriculture
    return {
        "grain_harvest_mt": ag.harvest_mt,
        "grain_sown_mha": ag.grain_sown_mha,
        "grain_yield_c_per_ha": 10 * ag.yield_t_ha,
        "maize_sown_mha": ag.maize_sown_mha,
        "virgin_lands_sown_mha": ag.virgin_ploughed_mha + ag.ploughed_this_year,
        "grain_procurement_mt": ag.procurement_mt,
    }
