"""Weather: the exogenous crop-year weather index of each region.

The packaged index (``weather_index.csv``) scores each macro-region and year from
-3 (catastrophic drought or winterkill) to +3 (exceptional) from weather descriptions
only, never from harvests. Each January (and at the start) the mechanism draws the
crop year's index for every region:

    w_macro = I[y, j] + sigma_known * z          where a record exists
    w_macro = sigma_unknown * z                  where none was found (unknown, not normal)
    w[r]    = weight[r] * w_macro[j(r)] + sigma_local * z_r
    w_eff[r] = sensitivity[zone(r)] * w[r]

z are keyed normal draws (common to paired scenarios). In ``stochastic`` mode every
year is drawn as an unknown year. The zone sensitivities are those of the weather notes
(dry steppe 1.2 ... taiga 0.2). Units: index points (dimensionless).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, State
from ottepel.data import AGRI_ZONES, weather_table

NAME = "weather"
LEVERS: dict = {}

_SRC_NOTES = "weather_notes.md (shared history): zone sensitivities and macro mapping"

ZONE_SENSITIVITY = {
    "dry_steppe": 1.2,
    "chernozem_steppe": 1.0,
    "forest_steppe": 0.7,
    "non_chernozem": 0.4,
    "mountain": 0.5,
    "semi_desert_irrigated": 0.3,
    "subtropical": 0.3,
    "taiga_tundra": 0.2,
}


class Params(ParamGroup):
    """Weather uncertainty."""

    sigma_known: float = param(
        0.35, 0.0, 1.5, "index points",
        "scoring uncertainty of a described year (weather_notes.md: sizes of +1/+2 years least sure)",
        description="sd of the error on a recorded macro-region index",
    )
    sigma_unknown: float = param(
        1.0, 0.3, 2.0, "index points",
        "sd of recorded rows 1950-1970 in weather_index.csv (about 1.5) shrunk for unrecorded, "
        "likelier unremarkable years",
        description="sd of the index of a year with no record",
    )
    sigma_local: float = param(
        0.45, 0.0, 1.5, "index points",
        "assumption: within-macro-region spread of growing conditions",
        description="sd of a region's own deviation from its macro-region",
    )


@dataclass(frozen=True)
class WeatherState:
    """Weather of the current crop year.

    Attributes:
        index: (runs, regions) float64, zone-weighted index (index points), signed.
        raw: (runs, regions) float64, the region's index before the zone sensitivity.
    """

    index: np.ndarray = field(metadata={"signed": True})
    raw: np.ndarray = field(metadata={"signed": True})


@lru_cache(maxsize=1)
def _table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The packaged index, parsed once per process (read-only arrays)."""
    arrays = weather_table()
    for a in arrays:
        a.flags.writeable = False
    return arrays


def _draw(year: int, n_runs: int, regions, params, rng, mode: str) -> WeatherState:
    p = params.weather
    years, table, known = _table()
    n_macro = table.shape[1]
    z = rng.normal(year, "weather.macro", (n_macro,))
    if mode == "historical" and years[0] <= year <= years[-1]:
        i = year - years[0]
        macro = np.where(known[i], table[i] + p.sigma_known * z, p.sigma_unknown * z)
    else:
        macro = p.sigma_unknown * z
    macro = np.clip(macro, -3.5, 3.5)
    zl = rng.normal(year, "weather.local", (regions.n,))
    j = np.maximum(regions.weather_macro, 0)
    raw = regions.weather_weight * macro[:, j] + p.sigma_local * zl
    sens = np.array([ZONE_SENSITIVITY[AGRI_ZONES[z_]] for z_ in regions.agri_zone])
    return WeatherState(index=sens * raw, raw=raw)


def init(ctx: Context) -> WeatherState:
    """Draw the weather of the start year."""
    return _draw(ctx.start_year, ctx.n_runs, ctx.regions, ctx.params, ctx.rng, ctx.weather_mode)


def step(state: State, decisions, params, rng) -> State:
    """Each January, draw the new crop year's weather."""
    if state.clock.month_of_year != 1:
        return state
    ctx = state.context
    new = _draw(state.clock.year, state.n_runs, ctx.regions, params, rng, ctx.weather_mode)
    return state.with_domain(NAME, new)


NATIONAL = {
    "weather_index_grain_belt": ("index points", "annual",
                                 "area-weighted weather index of the grain regions"),
}


def national(state: State) -> dict[str, np.ndarray]:
    """Mean weather index over the grain regions (weights: grain area)."""
    area = state.agriculture.grain_sown_mha
    w = state.weather.index
    return {"weather_index_grain_belt": (w * area).sum(1) / np.maximum(area.sum(1), 1e-9)}


REGIONAL = {"weather_index": ("index points", "zone-weighted crop-year weather index")}


def regional(state: State) -> dict[str, np.ndarray]:
    """The region's weather index."""
    return {"weather_index": state.weather.index}
