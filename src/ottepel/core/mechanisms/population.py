"""Population by region: births, deaths, migration to the towns and to the virgin lands.

Stocks per region (million persons): ``urban`` and ``rural``. Each month

    births  = (b_u * urban + b_r * rural) * echo(t) / 12
    deaths  = d(t) * (urban + rural) / 12
    to_town = m(t) * rural / 12,  m(t) = m0 * (housing_t / housing_1953) ** eta_h
    settlers into virgin-land regions = s * (land ploughed this year) / 12

Birth rates differ between the high-fertility south (Central Asia, Transcaucasus) and
the rest; ``echo(t)`` lowers births from 1960 as the small wartime birth cohorts reach
childbearing age (Coale, Anderson & Harm 1979, Human Fertility in Russia since the
Nineteenth Century); mortality declines at a constant rate. The 1953 start is the 1959
census backcast at each regime's natural growth, scaled to the 1953 official total.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, State

NAME = "population"
LEVERS: dict = {}

HIGH_FERTILITY = ("Uzbek SSR", "Tajik SSR", "Turkmen SSR", "Kirghiz SSR", "Azerbaijan SSR",
                  "Armenian SSR")
_VITAL = "TsSU, Naselenie SSSR 1973 / Narkhoz 1965: crude rates 1953-64"


class Params(ParamGroup):
    """Demography."""

    birth_rate_urban: float = param(0.0215, 0.012, 0.035, "1/yr", _VITAL + " (urban CBR ~21 per 1000 in 1955)")
    birth_rate_rural: float = param(0.0285, 0.018, 0.040, "1/yr", _VITAL + " (rural CBR ~28 per 1000)")
    birth_rate_south_extra: float = param(0.012, 0.0, 0.025, "1/yr", _VITAL + " (Central Asian CBR 35-40 per 1000)")
    death_rate_1953: float = param(0.0091, 0.006, 0.012, "1/yr", _VITAL + " (CDR 9.1 per 1000 in 1953)")
    death_rate_decline: float = param(0.025, 0.0, 0.06, "1/yr", _VITAL + " (CDR 7.1 per 1000 by 1960)")
    echo_depth: float = param(0.22, 0.0, 0.4, "1", "Coale et al. 1979; the CBR fell from 24.9 (1960) to 19.5 (1964) per 1000")
    migration_rate: float = param(0.016, 0.005, 0.035, "1/yr", "urban growth 1953-64 (history series urban_population_share) net of urban natural increase")
    migration_housing_elasticity: float = param(0.3, 0.0, 1.0, "1", "assumption: town jobs need housing (residence permits)")
    settlers_per_mha: float = param(0.012, 0.0, 0.05, "million persons per million ha", "McCauley 1976: about 300,000 volunteers 1954-55 for ~30 mn ha")


@dataclass(frozen=True)
class PopulationState:
    """Population stocks.

    Attributes:
        urban: (runs, regions) float64, million persons.
        rural: (runs, regions) float64, million persons.
        south: (regions,) bool, high-fertility regime.
    """

    urban: np.ndarray
    rural: np.ndarray
    south: np.ndarray

    @property
    def total(self) -> np.ndarray:
        """(runs, regions) million persons."""
        return self.urban + self.rural


def init(ctx: Context) -> PopulationState:
    """Backcast the 1959 census to the start year and scale to the 1953 total."""
    r = ctx.regions
    south = np.isin(r.republic, HIGH_FERTILITY) | np.isin(r.code, ["KZ03", "KZ05", "KZ09"])
    growth = np.where(south, 0.030, 0.016) + np.where(r.virgin_lands & (r.republic == "Kazakh SSR"), 0.02, 0.0)
    years_back = 1959.0 - (ctx.start_year + 0.2)
    pop = r.population_1959 / 1000.0 / (1 + growth) ** years_back
    # 188.0 mn on 1 January 1953 (history series population_mn), grown to the start month.
    pop *= 188.0 * (1 + 0.0172) ** ((ctx.months[0].astype(int) % 12) / 12) / pop.sum()
    urban_share = np.clip(r.urban_share_1959 - 0.05, 0.05, 1.0)
    urban = np.broadcast_to(pop * urban_share, (ctx.n_runs, r.n)).copy()
    rural = np.broadcast_to(pop * (1 - urban_share), (ctx.n_runs, r.n)).copy()
    return PopulationState(urban=urban, rural=rural, south=south)


def _echo(year: float, depth: float) -> float:
    return 1.0 - depth * float(np.clip((year - 1959.5) / 4.5, 0.0, 1.0))


def step(state: State, decisions, params, rng) -> State:
    """One month of births, deaths and migration."""
    p, pop = params.population, state.population
    t = state.clock.year + (state.clock.month_of_year - 1) / 12.0
    echo = _echo(t, p.echo_depth)
    b_u = (p.birth_rate_urban + p.birth_rate_south_extra * pop.south) * echo
    b_r = (p.birth_rate_rural + p.birth_rate_south_extra * pop.south) * echo
    d = p.death_rate_1953 * np.exp(-p.death_rate_decline * (t - 1953.0))
    housing_ratio = state.housing.completion_rate / state.housing.completion_rate_1953
    m = p.migration_rate * np.maximum(housing_ratio, 0.1)[:, None] ** p.migration_housing_elasticity
    # In place on fresh arrays, operation for operation as the equations (same bits).
    to_town = m * pop.rural
    to_town /= 12.0
    urban = pop.urban * (1 + (b_u - d) / 12.0)
    urban += to_town
    rural = pop.rural * (1 + (b_r - d) / 12.0)
    rural -= to_town
    ploughed = state.agriculture.ploughed_this_year  # (runs, regions) mha this crop year
    settlers = p.settlers_per_mha * ploughed
    settlers /= 12.0
    total_settlers = settlers.sum(1, keepdims=True)
    donors = rural / rural.sum(1, keepdims=True)
    donors *= total_settlers
    settlers += rural
    settlers -= donors
    rural = np.maximum(settlers, 0.0, out=settlers)
    return state.with_domain(NAME, PopulationState(urban, rural, pop.south))


NATIONAL = {
    "population_mn": ("million persons", "monthly", "total population"),
    "urban_population_mn": ("million persons", "monthly", "urban population"),
    "urban_share": ("fraction", "monthly", "urban share of the population"),
}


def national(state: State) -> dict[str, np.ndarray]:
    """National totals."""
    u, r = state.population.urban.sum(1), state.population.rural.sum(1)
    return {"population_mn": u + r, "urban_population_mn": u, "urban_share": u / (u + r)}


REGIONAL = {
    "population_mn": ("million persons", "population of the region"),
    "urban_share": ("fraction", "urban share of the region"),
}


def regional(state: State) -> dict[str, np.ndarray]:
    """Regional population and urban share."""
    tot = state.population.total
    return {"population_mn": tot, "urban_share": state.population.urban / np.maximum(tot, 1e-9)}
