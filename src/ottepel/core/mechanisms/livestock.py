"""Livestock on feed: herds, slaughter, meat and milk, by region.

Once a year, in October after the harvest, herds (cattle, pigs) meet the feed the
harvest left them. Feed ratios

    rho_c = (roughage * exp(b_w w) + silage + c_share * grain_feed) / (need_c * cattle)
    rho_p = ((1 - c_share) * grain_feed + other_feed) / (need_p * pigs)

with roughage (hay and pasture) at the 1953 herd's needs, its sown-fodder share scaled by
the fodder-crop area of the land balance (``agriculture``), silage from the maize campaign
(feed units by heat sum, ``land``) and grain feed what the farms kept plus what the state
released. All feed is counted in feed units (1 kg of oats; grain ~1 feed unit per kg):
``feed_units_total_mt`` is hay and pasture + silage + grain + the private plots' potatoes
and waste, so a campaign that swaps grain and grass for silage of low value shows. Herds follow

    H' = H * (1 + r * min(rho, rho_max) * P^eps - s - k * max(0, 1 - rho))

(r: births net of deaths; s: normal offtake; k: distress slaughter when feed runs short,
the 1963-64 pig cull; P the livestock procurement price index, raised 5.5 times in
1953). Meat = slaughtered head x carcass weight + other meat; milk = cows x yield, the
yield rising with the feed ratio. Quantities: head in millions, meat and milk in
million t (slaughter weight, as in TsSU tables).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ottepel.core.decisions import Lever
from ottepel.core.mechanisms import land
from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, State, event

NAME = "livestock"
UPDATE_MONTH = 10

LEVERS = {
    "procurement_price_livestock": Lever("level", 1.0, 0.2, 20.0, "index, 1952 = 1",
                                         description="state procurement price of meat and milk"),
}

_NK = "TsSU, Narkhoz SSSR v 1965 g., livestock tables (history series cattle_mn_head, pigs_mn_head)"


class Params(ParamGroup):
    """Herds and their products."""

    cattle_1953: float = param(56.6, 50.0, 62.0, "million head", _NK + " (1 Jan 1953)")
    pigs_1953: float = param(28.5, 24.0, 33.0, "million head", _NK + " (1 Jan 1953)")
    cattle_net_births: float = param(0.27, 0.15, 0.4, "1/yr", "Wädekin 1973: calving rate ~0.7 per cow, cows ~45% of the herd, less deaths")
    cattle_offtake: float = param(0.22, 0.12, 0.3, "1/yr", _NK + ": slaughter vs herd 1953-58")
    cattle_distress: float = param(0.15, 0.0, 0.5, "1/yr per unit feed gap", "assumption: cattle are kept through bad winters more than pigs")
    pig_net_births: float = param(0.82, 0.5, 1.3, "1/yr", "Wädekin 1973: pig herd turnover under a year")
    pig_offtake: float = param(0.75, 0.5, 1.0, "1/yr", _NK + ": pig slaughter vs herd")
    pig_distress: float = param(0.6, 0.0, 0.8, "1/yr per unit feed gap", "history series pigs_mn_head: 70.0 mn (1963) to 40.9 mn (1964); raised from 0.4 with the feed-unit accounting (issue 14)")
    rho_max: float = param(1.05, 1.0, 1.5, "1", "assumption: growth saturates with feed")
    price_elasticity: float = param(0.04, 0.0, 0.2, "1", "Nove: herd response to the 1953 and 1962 livestock price rises")
    need_cattle: float = param(2.0, 1.5, 3.0, "t feed units/head/yr", "Soviet feed norms (~20 centners of feed units per head of cattle)")
    need_pig_grain: float = param(0.30, 0.2, 0.8, "t grain eq./head/yr", "assumption, set so 1953 feed is about sufficient")
    grain_to_cattle: float = param(0.4, 0.1, 0.7, "fraction", "assumption: share of grain feed fed to cattle")
    other_pig_feed_mt: float = param(5.0, 0.0, 15.0, "million t grain eq./yr", "potatoes and waste fed on private plots (Wädekin 1973)")
    roughage_weather: float = param(0.08, 0.0, 0.2, "1/index point", "assumption: hay and pasture respond to moisture")
    cattle_carcass_t: float = param(0.165, 0.12, 0.22, "t/head", _NK + " (slaughter weight per head of cattle)")
    pig_carcass_t: float = param(0.085, 0.06, 0.11, "t/head", _NK + " (slaughter weight per pig)")
    other_meat_1953: float = param(1.9, 1.0, 2.5, "million t/yr", _NK + ": mutton, poultry and other meat")
    cow_share: float = param(0.43, 0.35, 0.55, "fraction", _NK + " (cows 24.3 mn of 56.6 mn cattle, 1953)")
    milk_yield_1953: float = param(1.5, 1.1, 2.0, "t/cow/yr", _NK + " (36.5 mn t from ~24 mn cows)")
    milk_feed_elasticity: float = param(0.8, 0.0, 1.5, "1", "assumption: milk yield responds to winter feed")
    milk_price_elasticity: float = param(0.12, 0.0, 0.4, "1", "Nove ch. 12: milk deliveries rose fast after the 1953 price rise (yield per cow ~1.5 to ~1.9 t by 1958)")
    fodder_roughage_share: float = param(0.35, 0.0, 0.8, "fraction", "assumption: share of 1953 roughage (hay, green fodder) from sown fodder crops (27 mn ha) rather than natural hay and pasture")
    roughage_capital_elasticity: float = param(0.25, 0.0, 0.6, "1", "assumption: hay-making and pasture improve with farm machinery (as crop yields)")


@dataclass(frozen=True)
class LivestockState:
    """Herds and annual output (all (runs, regions) float64).

    Attributes:
        cattle, pigs: million head.
        roughage: t feed units/yr, fixed hay and pasture capacity (million t).
        rho_cattle, rho_pigs: last feed ratios (1).
        meat_mt, milk_mt: output of the current livestock year, million t.
        distress_mt: meat from distress slaughter this year, million t.
        feed_units_mt: feed of the livestock year, million t feed units.
    """

    cattle: np.ndarray
    pigs: np.ndarray
    roughage: np.ndarray
    rho_cattle: np.ndarray
    rho_pigs: np.ndarray
    meat_mt: np.ndarray
    milk_mt: np.ndarray
    distress_mt: np.ndarray
    feed_units_mt: np.ndarray


def init(ctx: Context) -> LivestockState:
    """1953 herds spread over regions in proportion to rural population."""
    p, n = ctx.params.livestock, ctx.n_runs
    share = ctx.rural_by_region / ctx.rural_by_region.sum()
    cattle = np.broadcast_to(p.cattle_1953 * share, (n, len(share))).copy()
    pigs = np.broadcast_to(p.pigs_1953 * share, (n, len(share))).copy()
    roughage = 0.95 * p.need_cattle * cattle
    one = np.ones_like(cattle)
    meat = (p.cattle_offtake * cattle * p.cattle_carcass_t + p.pig_offtake * pigs * p.pig_carcass_t
            + p.other_meat_1953 * share)
    milk = p.cow_share * cattle * p.milk_yield_1953
    return LivestockState(cattle, pigs, roughage, one, one.copy(), meat, milk, np.zeros_like(cattle),
                          roughage + p.need_pig_grain * pigs)


def feed_supply(ls: LivestockState, grain_feed, silage, w, p, rural_share, capital=1.0, fodder=1.0):
    """Cattle and pig feed of the coming year, million t feed units.

    ``fodder`` is the fodder-crop area over its 1953 extent (scales the sown share of roughage).
    """
    hay = ls.roughage * (1 - p.fodder_roughage_share + p.fodder_roughage_share * fodder)
    cattle_feed = hay * capital * np.exp(p.roughage_weather * w) + silage + p.grain_to_cattle * grain_feed
    pig_feed = (1 - p.grain_to_cattle) * grain_feed + p.other_pig_feed_mt * rural_share
    return cattle_feed, pig_feed


def feed_ratios(ls: LivestockState, grain_feed, silage, w, p, rural_share, capital=1.0, fodder=1.0):
    """Cattle and pig feed ratios (dimensionless) for the coming year."""
    cattle_feed, pig_feed = feed_supply(ls, grain_feed, silage, w, p, rural_share, capital, fodder)
    rho_c = cattle_feed / np.maximum(p.need_cattle * ls.cattle, 1e-9)
    rho_p = pig_feed / np.maximum(p.need_pig_grain * ls.pigs, 1e-9)
    return rho_c, rho_p


def step(state: State, decisions, params, rng) -> State:
    """October: feed meets herds; slaughter, births, meat and milk of the year."""
    if state.clock.month_of_year != UPDATE_MONTH:
        return state
    p, ls, ag = params.livestock, state.livestock, state.agriculture
    rural = state.population.rural
    rural_share = rural / rural.sum(1, keepdims=True)
    grain_feed = ag.farm_feed_mt + state.grain.feed_release_mt[:, None] * state.grain.release_weights
    capital = state.industry.capital_agri[:, None] ** p.roughage_capital_elasticity
    fodder = ag.fodder_mha / np.maximum(params.agriculture.fodder_share_1953 * ag.grain_1953_mha, 1e-9)
    cattle_feed, pig_feed = feed_supply(ls, grain_feed, ag.silage_feed_mt, state.weather.index, p,
                                        rural_share, capital, fodder)
    rho_c = cattle_feed / np.maximum(p.need_cattle * ls.cattle, 1e-9)
    rho_p = pig_feed / np.maximum(p.need_pig_grain * ls.pigs, 1e-9)
    # Farms respond to a price change with a year's lag (herds are planned a season ahead).
    price_index = decisions.at("procurement_price_livestock", max(state.clock.month - 12, 0))
    price = price_index ** p.price_elasticity
    gap_c, gap_p = np.maximum(1 - rho_c, 0), np.maximum(1 - rho_p, 0)
    slaughter_c = ls.cattle * np.minimum(p.cattle_offtake + p.cattle_distress * gap_c, 0.6)
    slaughter_p = ls.pigs * np.minimum(p.pig_offtake + p.pig_distress * gap_p, 0.97)
    cattle = np.maximum(ls.cattle * (1 + p.cattle_net_births * np.minimum(rho_c, p.rho_max) * price) - slaughter_c, 0)
    pigs = np.maximum(ls.pigs * (1 + p.pig_net_births * np.minimum(rho_p, p.rho_max) * price) - slaughter_p, 0)
    distress = ls.cattle * p.cattle_distress * gap_c * p.cattle_carcass_t + ls.pigs * p.pig_distress * gap_p * p.pig_carcass_t
    other = p.other_meat_1953 * rural_share * np.minimum(rho_p, p.rho_max) * (state.clock.year - 1952) ** 0.25
    meat = slaughter_c * p.cattle_carcass_t + slaughter_p * p.pig_carcass_t + other
    milk = (p.cow_share * ls.cattle * p.milk_yield_1953 * price_index ** p.milk_price_elasticity
            * np.minimum(rho_c, p.rho_max) ** p.milk_feed_elasticity)
    new = LivestockState(cattle, pigs, ls.roughage, rho_c, rho_p, meat, milk, distress,
                         cattle_feed + pig_feed)
    state = state.with_domain(NAME, new)
    cull = distress.sum(1) > 0.5
    return state.emit(event(
        "distress_slaughter", cull, distress.sum(1), actors="kolkhozes and sovkhozes",
        causes=np.char.add("pig feed ratio ", np.round((rho_p * ls.pigs).sum(1) / ls.pigs.sum(1), 2).astype(str)),
    ))


NATIONAL = {
    "meat_production_mt": ("million t", "annual", "meat, slaughter weight (true)"),
    "milk_production_mt": ("million t", "annual", "milk (true)"),
    "cattle_mn_head": ("million head", "annual", "cattle at year end (1 Jan next year)"),
    "pigs_mn_head": ("million head", "annual", "pigs at year end (1 Jan next year)"),
    "feed_ratio_pigs": ("1", "annual", "pig feed supply over need"),
    "feed_units_total_mt": ("million t feed units", "annual", "all feed: hay and pasture, silage, grain, private plots' potatoes and waste"),
    **{f"feed_units_{z}_mt": ("million t feed units", "annual", f"all feed, {z} zone (heat sums: mechanisms/land.py)")
       for z in land.ZONE_GROUPS},
}


def national(state: State) -> dict[str, np.ndarray]:
    """National livestock aggregates."""
    ls = state.livestock
    pigs_w = ls.pigs.sum(1)
    g = land.zone_group(state.context.regions)
    return {
        "meat_production_mt": ls.meat_mt.sum(1),
        "milk_production_mt": ls.milk_mt.sum(1),
        "cattle_mn_head": ls.cattle.sum(1),
        "pigs_mn_head": pigs_w,
        "feed_ratio_pigs": (ls.rho_pigs * ls.pigs).sum(1) / np.maximum(pigs_w, 1e-9),
        "feed_units_total_mt": ls.feed_units_mt.sum(1),
        **{f"feed_units_{z}_mt": np.where(g == i, ls.feed_units_mt, 0.0).sum(1)
           for i, z in enumerate(land.ZONE_GROUPS)},
    }
