"""The national grain balance: state stocks, feed releases, exports and imports.

State grain (million t) comes from procurement and imports and goes to the towns and the
rural population outside the kolkhozes, the army and industry, seed and food loans to
farms whose harvest failed, exports and feed sold back to farms. In September, when the
harvest is in, the leadership plans the year ahead:

    home      = bread * (urban + (1 - kolkhoz share) * rural) + army_and_other + farm food gap
                + feed_commitment * last year's feed release
    exports   = planned exports, cut (to a minimum share) when grain is short
    shortfall = home + exports + reserve_floor - (stock + procurement)
    imports   = min(shortfall + restock (target - floor), import_capacity)  if shortfall > import_threshold
    release   = min(feed demand of the herds, stock + procurement + imports - home - exports - target)
                (but at least the committed share of last year's release, if above the floor)

Feed is sold only from stock above a reserve target; grain is bought abroad only when
the stock would fall below a hard floor, so good years rebuild reserves and one bad
year is absorbed; imports follow a bad harvest on depleted reserves (1963).

Exports are cut first when grain is short (bloc commitments kept at a minimum share);
imports for gold follow only a real deficit (1963). Monthly, state stocks are drawn down
by a twelfth of the year's use (never below zero: when stocks run out, every use gets
the same share of what is left).

The national grain balance is kept by calendar year (January-December; the first year
from the scenario's start) and closes exactly:

    harvest + imports = food + feed + seed + exports + stock change + losses

On the farms, at harvest: losses = losses_share * harvest; what is left goes to seed
(seed_rate * grain area, first), rural food (rural_food * rural population, next), then
procurement and farm feed (agriculture). The state side counts what actually left the
stocks each month: urban bread, army and other use (both booked as food), exports
shipped and feed released. Stock change is the state stock in December less the stock
a year before. ``grain_balance_residual_mt`` is the difference of the two sides (zero
up to rounding; tests/test_invariants.py checks it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ottepel.core.decisions import Lever
from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, State, event

NAME = "grain"
HARVEST_MONTH = 9

LEVERS = {
    "grain_exports_plan_mt": Lever("annual", 3.0, 0.0, 15.0, "million t",
                                   description="planned grain exports of the year (mostly to the bloc)"),
    "grain_reserve_policy": Lever("level", 1.0, 0.0, 2.0, "x reserve_target",
                                  description="how much of the reserve target the leadership keeps "
                                  "before selling grain for feed (below 1: reserves drawn for livestock)"),
}


class Params(ParamGroup):
    """State grain balance."""

    stock_1953: float = param(30.0, 10.0, 45.0, "million t", "assumption: state stocks on 1 March 1953, after procurement of ~35 mn t from the 1952 harvest (Volin 1970)")
    urban_bread: float = param(0.20, 0.14, 0.25, "t/person/yr", "TsSU per-capita bread and flour consumption ~150-170 kg flour (~0.2 t grain)")
    army_and_other_mt: float = param(6.0, 3.0, 12.0, "million t/yr", "USDA grain balances (Volin 1970): army and industrial uses ~5-8 mn t")
    reserve_floor: float = param(5.0, 0.0, 15.0, "million t", "assumption: the hard minimum stock; below it grain is bought abroad for gold")
    reserve_target: float = param(20.0, 5.0, 40.0, "million t", "assumption: the reserve the state rebuilds before it sells feed")
    feed_release_share: float = param(0.9, 0.0, 1.0, "fraction", "assumption: share of the herds' unmet grain need the state covers when it can (the livestock drive)")
    min_export_share: float = param(0.8, 0.0, 1.0, "fraction", "history series grain_exports_mt: 6.3 mn t still exported in 1963 (7.8 in 1962): bloc commitments were kept")
    feed_commitment: float = param(0.7, 0.0, 1.0, "fraction", "assumption: share of last year's state feed sales treated as a commitment (livestock complexes, sovkhozes)")
    import_threshold: float = param(1.0, 0.0, 5.0, "million t", "assumption: small gaps are met by cutting use, not by buying")
    import_restock: float = param(0.3, 0.0, 1.0, "fraction", "assumption: share of the reserve target above the floor bought with a crop year's imports once gold is sold (10.4 mn t bought for 1963/64: history series grain_imports_purchased_1963_64_mt)")
    import_capacity: float = param(12.0, 2.0, 30.0, "million t/yr", "1963-64 purchases of about 10 mn t (history series grain_imports_purchased_1963_64_mt) and gold sales")


@dataclass(frozen=True)
class Balance:
    """The grain balance of the current calendar year so far (all (runs,) float64, million t).

    Attributes:
        open_stock_mt: state stock at the start of the year (or of the scenario).
        harvest_mt: harvest (bunker weight) brought in this year.
        imports_mt: grain bought abroad this year.
        losses_mt: field and cleaning losses of this year's harvest.
        seed_mt: seed kept from this year's harvest.
        food_mt: rural food kept on farms plus urban bread, army and other use shipped.
        feed_mt: feed kept on farms plus state feed releases shipped.
        exports_mt: exports shipped this year.
    """

    open_stock_mt: np.ndarray
    harvest_mt: np.ndarray
    imports_mt: np.ndarray
    losses_mt: np.ndarray
    seed_mt: np.ndarray
    food_mt: np.ndarray
    feed_mt: np.ndarray
    exports_mt: np.ndarray

    @classmethod
    def opening(cls, stock: np.ndarray) -> Balance:
        """An empty year starting from ``stock``."""
        z = np.zeros_like(stock)
        return cls(stock.copy(), z, z, z, z, z, z, z)

    def plus(self, **flows: np.ndarray) -> Balance:
        """The balance with flows added (keyword: field name)."""
        return replace(self, **{k: getattr(self, k) + v for k, v in flows.items()})


@dataclass(frozen=True)
class GrainState:
    """State grain balance (all (runs,) float64, million t).

    Attributes:
        stock: state grain stocks.
        feed_release_mt: feed sold back to farms this crop year.
        exports_mt, imports_mt: of the current crop year (booked at harvest).
        state_use_mt: annual state use (towns, army, exports) of this crop year.
        release_weights: (runs, regions) float64, where the feed release goes (sums to 1).
        balance: the calendar year's grain balance so far (:class:`Balance`).
    """

    stock: np.ndarray
    feed_release_mt: np.ndarray
    exports_mt: np.ndarray
    imports_mt: np.ndarray
    state_use_mt: np.ndarray
    release_weights: np.ndarray
    balance: Balance | None = None


def init(ctx: Context) -> GrainState:
    """Initial stocks; use at the 1953 rate."""
    p, n = ctx.params.grain, ctx.n_runs
    z = np.zeros(n)
    use = p.urban_bread * ctx.urban_start + p.army_and_other_mt + 3.0
    w = np.broadcast_to(ctx.rural_by_region / ctx.rural_by_region.sum(), (n, ctx.regions.n)).copy()
    stock = np.full(n, p.stock_1953)
    return GrainState(stock, np.zeros(n), z.copy(), z.copy(), use, w, Balance.opening(stock))


def _per_run(x) -> np.ndarray | float:
    """A parameter as a scalar or a (runs, 1) column that broadcasts over regions."""
    return np.asarray(x)[:, None] if np.ndim(x) == 1 else x


def farm_uses(state: State, params) -> dict[str, np.ndarray]:
    """Where this year's harvest went on the farms, national (runs,) million t.

    losses = losses_share * H; of the rest A, seed = min(seed_rate * area, A) and rural
    food = min(rural_food * kolkhoz share * rural population, A - seed), as in agriculture.
    """
    p, ag = params.agriculture, state.agriculture
    harvest = ag.harvest_mt
    losses = _per_run(p.losses) * harvest
    left = harvest - losses
    seed = np.minimum(_per_run(p.seed_rate) * ag.grain_sown_mha, left)
    food = np.minimum(_per_run(p.rural_food) * _per_run(p.kolkhoz_share_rural)
                      * state.population.rural, left - seed)
    return {"harvest_mt": harvest.sum(1), "losses_mt": losses.sum(1), "seed_mt": seed.sum(1),
            "food_mt": food.sum(1), "feed_mt": ag.farm_feed_mt.sum(1)}


def _shipped(g: GrainState, before: np.ndarray, after: np.ndarray) -> dict[str, np.ndarray]:
    """Split what left the state stocks this month between its uses, pro rata."""
    drawn = before - after
    use = np.maximum(g.state_use_mt, 1e-12)
    home = g.state_use_mt - g.exports_mt - g.feed_release_mt
    return {"food_mt": drawn * home / use, "exports_mt": drawn * g.exports_mt / use,
            "feed_mt": drawn * g.feed_release_mt / use}


def step(state: State, decisions, params, rng) -> State:
    """Monthly drawdown; at harvest, decide exports, feed releases and imports."""
    p, g = params.grain, state.grain
    stock = g.stock
    bal = g.balance
    if bal is None or state.clock.month_of_year == 1 or state.clock.month == 0:
        bal = Balance.opening(stock)
    if state.clock.month_of_year == HARVEST_MONTH:
        proc = state.agriculture.procurement_mt.sum(1)
        ag, pop = state.agriculture, state.population
        kolkhoz = params.agriculture.kolkhoz_share_rural
        buyers = pop.urban.sum(1) + (1 - kolkhoz) * pop.rural.sum(1)
        plan_x = decisions.at("grain_exports_plan_mt", state.clock.month)
        home = (p.urban_bread * buyers + p.army_and_other_mt + ag.rural_food_gap_mt.sum(1)
                + p.feed_commitment * g.feed_release_mt)
        avail = stock + proc
        exports = np.clip(avail - home - p.reserve_floor, p.min_export_share * plan_x, plan_x)
        shortfall = home + exports + p.reserve_floor - avail
        # Once gold is to be sold, the crop year's purchases also rebuild part of the reserve.
        restock = p.import_restock * (p.reserve_target - p.reserve_floor)
        imports = np.where(shortfall > p.import_threshold,
                           np.minimum(shortfall + restock, p.import_capacity), 0.0)
        deficit = _feed_deficit(state, params)
        committed = p.feed_commitment * g.feed_release_mt
        after = avail + imports - (home - committed) - exports
        target = p.reserve_target * decisions.at("grain_reserve_policy", state.clock.month)
        spare = np.maximum(after - target, 0)
        release = np.minimum(np.maximum(p.feed_release_share * deficit.sum(1), committed),
                             np.maximum(spare, np.minimum(committed, np.maximum(after - p.reserve_floor, 0))))
        total = deficit.sum(1, keepdims=True)
        weights = np.where(total > 0, deficit / np.where(total > 0, total, 1), g.release_weights)
        use = home - committed + exports + release  # committed feed is part of the release
        stock = avail + imports
        state = state.emit(event(
            "grain_import", imports > 0, imports, actors="Council of Ministers",
            causes=np.char.add("procurement ", np.round(proc, 1).astype(str)),
        ))
        g = GrainState(stock, release, exports, imports, use, weights, g.balance)
        bal = bal.plus(imports_mt=imports, **farm_uses(state, params))
    before = stock
    stock = np.maximum(stock - g.state_use_mt / 12.0, 0.0)
    bal = bal.plus(**_shipped(g, before, stock))
    return state.with_domain(NAME, GrainState(stock, g.feed_release_mt, g.exports_mt, g.imports_mt,
                                              g.state_use_mt, g.release_weights, bal))


def _feed_deficit(state: State, params) -> np.ndarray:
    """(runs, regions) grain the herds need beyond what the farms kept (million t/yr)."""
    lp = params.livestock
    need = lp.need_pig_grain * state.livestock.pigs / np.maximum(1 - lp.grain_to_cattle, 1e-9)
    return np.maximum(need - state.agriculture.farm_feed_mt, 0.0)


NATIONAL = {
    "grain_imports_mt": ("million t", "annual", "grain bought abroad after the year's harvest"),
    "grain_exports_mt": ("million t", "annual", "grain exported from the year's harvest"),
    "state_grain_stock_mt": ("million t", "monthly", "state grain stocks"),
    "grain_feed_release_mt": ("million t", "annual", "state grain sold back as feed"),
    "grain_food_mt": ("million t", "annual", "balance: grain for food and other use (rural food kept on farms; urban bread, army and industry shipped from state stocks), calendar year"),
    "grain_feed_mt": ("million t", "annual", "balance: grain fed (kept on farms plus state feed releases shipped), calendar year"),
    "grain_seed_mt": ("million t", "annual", "balance: seed kept from the year's harvest"),
    "grain_losses_mt": ("million t", "annual", "balance: field and cleaning losses of the year's harvest"),
    "grain_exports_shipped_mt": ("million t", "annual", "balance: grain exports shipped in the calendar year (grain_exports_mt is the crop year's commitment)"),
    "grain_stock_change_mt": ("million t", "annual", "balance: state stock in December less a year before (or the start)"),
    "grain_balance_residual_mt": ("million t", "annual", "harvest + imports - (food + feed + seed + exports + stock change + losses); zero up to rounding"),
}


def national(state: State) -> dict[str, np.ndarray]:
    """Trade and stocks."""
    g = state.grain
    return {
        "grain_imports_mt": g.imports_mt,
        "grain_exports_mt": g.exports_mt,
        "state_grain_stock_mt": g.stock,
        "grain_feed_release_mt": g.feed_release_mt,
        **balance_variables(g.balance, g.stock),
    }


def balance_variables(bal: Balance, stock: np.ndarray) -> dict[str, np.ndarray]:
    """The calendar year's balance terms and its residual (national, million t)."""
    change = stock - bal.open_stock_mt
    uses = bal.food_mt + bal.feed_mt + bal.seed_mt + bal.exports_mt + change + bal.losses_mt
    return {
        "grain_food_mt": bal.food_mt,
        "grain_feed_mt": bal.feed_mt,
        "grain_seed_mt": bal.seed_mt,
        "grain_losses_mt": bal.losses_mt,
        "grain_exports_shipped_mt": bal.exports_mt,
        "grain_stock_change_mt": change,
        "grain_balance_residual_mt": bal.harvest_mt + bal.imports_mt - uses,
    }
