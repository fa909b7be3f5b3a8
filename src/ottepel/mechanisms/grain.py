"""The national grain balance: state stocks, feed releases, exports and imports.

State grain (million t) comes from procurement and imports and goes to the towns, the
army, exports and feed sold back to farms. In September, when the harvest is in,

    need      = urban_bread * urban population + army + planned exports
    release   = feed_release_share * max(0, stock + procurement - need - reserve_floor)
    shortfall = need + reserve_floor - (stock + procurement)
    imports   = min(shortfall, import_capacity)  if shortfall > import_threshold

Exports are cut first when grain is short (bloc commitments kept at a minimum share);
imports for gold follow only a real deficit (1963). Monthly, state stocks are drawn down
by a twelfth of the year's use. The balance closes every year:
harvest + imports = food + feed + seed + exports + stock change + losses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..decisions import Lever
from ..params import ParamGroup, param
from ..state import Context, State, event

NAME = "grain"
HARVEST_MONTH = 9

LEVERS = {
    "grain_exports_plan_mt": Lever("annual", 3.0, 0.0, 15.0, "million t",
                                   description="planned grain exports of the year (mostly to the bloc)"),
}


class Params(ParamGroup):
    """State grain balance."""

    stock_1953: float = param(12.0, 4.0, 25.0, "million t", "Volin 1970: state reserves were small after 1950-53; assumption")
    urban_bread: float = param(0.19, 0.14, 0.25, "t/person/yr", "TsSU per-capita bread and flour consumption ~150-170 kg flour (~0.2 t grain)")
    army_and_other_mt: float = param(6.0, 2.0, 10.0, "million t/yr", "assumption: army, industry (alcohol, starch) and state reserves' own use")
    reserve_floor: float = param(8.0, 2.0, 20.0, "million t", "assumption: the minimum stock the leadership tolerates")
    feed_release_share: float = param(0.5, 0.0, 1.0, "fraction", "assumption: share of state surplus sold back as feed")
    min_export_share: float = param(0.5, 0.0, 1.0, "fraction", "history series grain_exports_mt: 1963-64 exports fell to about half")
    import_threshold: float = param(1.0, 0.0, 5.0, "million t", "assumption: small gaps are met by cutting use, not by buying")
    import_capacity: float = param(12.0, 2.0, 30.0, "million t/yr", "1963-64 purchases of about 10 mn t (history series grain_imports_purchased_1963_64_mt) and gold sales")


@dataclass(frozen=True)
class GrainState:
    """State grain balance (all (runs,) float64, million t).

    Attributes:
        stock: state grain stocks.
        feed_release_mt: feed sold back to farms this crop year.
        exports_mt, imports_mt: of the current crop year (booked at harvest).
        state_use_mt: annual state use (towns, army, exports) of this crop year.
    """

    stock: np.ndarray
    feed_release_mt: np.ndarray
    exports_mt: np.ndarray
    imports_mt: np.ndarray
    state_use_mt: np.ndarray


def init(ctx: Context) -> GrainState:
    """Initial stocks; use at the 1953 rate."""
    p, n = ctx.params.grain, ctx.n_runs
    z = np.zeros(n)
    use = p.urban_bread * ctx.urban_start + p.army_and_other_mt + 3.0
    return GrainState(np.full(n, p.stock_1953), np.full(n, 3.0), z.copy(), z.copy(), use)


def step(state: State, decisions, params, rng) -> State:
    """Monthly drawdown; at harvest, decide exports, feed releases and imports."""
    p, g = params.grain, state.grain
    stock = g.stock
    if state.clock.month_of_year == HARVEST_MONTH:
        proc = state.agriculture.procurement_mt.sum(1)
        urban = state.population.urban.sum(1)
        plan_x = decisions.at("grain_exports_plan_mt", state.clock.month)
        home = p.urban_bread * urban + p.army_and_other_mt
        avail = stock + proc
        exports = np.clip(avail - home - p.reserve_floor, p.min_export_share * plan_x, plan_x)
        shortfall = home + exports + p.reserve_floor - avail
        imports = np.where(shortfall > p.import_threshold, np.minimum(shortfall, p.import_capacity), 0.0)
        release = p.feed_release_share * np.maximum(avail + imports - home - exports - p.reserve_floor, 0)
        use = home + exports + release
        stock = avail + imports
        state = state.emit(event(
            "grain_import", imports > 0, imports, actors="Council of Ministers",
            causes=np.char.add("procurement ", np.round(proc, 1).astype(str)),
        ))
        g = GrainState(stock, release, exports, imports, use)
    stock = np.maximum(stock - g.state_use_mt / 12.0, 0.0)
    return state.with_domain(NAME, GrainState(stock, g.feed_release_mt, g.exports_mt, g.imports_mt, g.state_use_mt))


NATIONAL = {
    "grain_imports_mt": ("million t", "annual", "grain bought abroad after the year's harvest"),
    "grain_exports_mt": ("million t", "annual", "grain exported from the year's harvest"),
    "state_grain_stock_mt": ("million t", "monthly", "state grain stocks"),
    "grain_feed_release_mt": ("million t", "annual", "state grain sold back as feed"),
}


def national(state: State) -> dict[str, np.ndarray]:
    """Trade and stocks."""
    g = state.grain
    return {
        "grain_imports_mt": g.imports_mt,
        "grain_exports_mt": g.exports_mt,
        "state_grain_stock_mt": g.stock,
        "grain_feed_release_mt": g.feed_release_mt,
    }
