"""Housing: construction by the state and by households, and urban living space.

Each month

    state_m2   = invest_share_housing * I * value_per_output / (cost_1953 * (1 - prefab_saving * prefab))
    private_m2 = private_rate_1953 * rural_population_index
    completed  = state_m2 + private_m2                     (million m2 useful area per year)
    urban_stock += (urban_fraction * completed * area_ratio - demolition * urban_stock) / 12

``prefab`` is the share of state building in industrial prefabricated panels (the 1957
decree and the five-storey "khrushchyovka" series); panel building cut the cost per
square metre (Harris 2013, Communism on Tomorrow Street; Smith 2010, Property of
Communists). The urban stock is in total floor area (useful area x ``area_ratio``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ottepel.core.decisions import Lever
from ottepel.core.mechanisms.industry import LEVERS as INDUSTRY_LEVERS
from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, State

NAME = "housing"

LEVERS = {
    "private_housing_support": Lever("level", 1.0, 0.0, 5.0, "index, 1953 = 1",
                                     description="state credit and materials for individual and cooperative builders"),
    "prefab_share": Lever("level", 0.0, 0.0, 1.0, "fraction",
                          description="share of state housing built from prefabricated panels"),
}

_NK = "TsSU, Narkhoz SSSR v 1965 g., housing tables"


class Params(ParamGroup):
    """Housing construction."""

    state_completions_1953: float = param(22.0, 10.0, 35.0, "million m2/yr", _NK + " (state and cooperative completions in the early 1950s, useful area)")
    private_completions_1953: float = param(11.0, 4.0, 20.0, "million m2/yr", _NK + " (private and kolkhoz building ~1/3 of completions)")
    prefab_saving: float = param(0.3, 0.0, 0.5, "fraction", "Harris 2013: panel blocks cost about a quarter to a third less per m2")
    urban_fraction: float = param(0.75, 0.5, 0.95, "fraction", _NK + " (urban share of completions)")
    area_ratio: float = param(1.3, 1.1, 1.5, "total/useful area", _NK + " (obshchaya vs poleznaya ploshchad')")
    demolition_rate: float = param(0.012, 0.0, 0.04, "1/yr", "assumption: barracks and wooden housing cleared")
    urban_stock_1953: float = param(600.0, 450.0, 750.0, "million m2 total area", _NK + " (urban stock 513 mn m2 in 1950, 958 in 1960)")


@dataclass(frozen=True)
class HousingState:
    """Housing.

    Attributes:
        completion_rate: (runs,) float64, million m2 useful area per year (this month's rate).
        completion_rate_1953: (runs,) float64, the start rate (for ratios).
        completed_year: (runs,) float64, million m2 completed so far this year.
        urban_stock: (runs,) float64, million m2 total area.
        urban_living_space: (runs,) float64, m2 total area per urban resident.
    """

    completion_rate: np.ndarray
    completion_rate_1953: np.ndarray
    completed_year: np.ndarray
    urban_stock: np.ndarray
    urban_living_space: np.ndarray


def init(ctx: Context) -> HousingState:
    """Start at early-1950s completions and the 1953 urban stock."""
    p = ctx.params.housing
    n = ctx.n_runs
    rate = np.full(n, p.state_completions_1953 + p.private_completions_1953)
    stock = np.full(n, p.urban_stock_1953)
    return HousingState(rate, rate.copy(), np.zeros(n), stock, stock / 80.0)


def step(state: State, decisions, params, rng) -> State:
    """One month of housing construction."""
    p, h = params.housing, state.housing
    m = state.clock.month
    share = decisions.at("invest_share_housing", m)
    base_share = INDUSTRY_LEVERS["invest_share_housing"].default  # the 1953 share
    invest = state.industry.investment / np.maximum(params.industry.accumulation_rate, 1e-9)
    cost = 1.0 - p.prefab_saving * decisions.at("prefab_share", m)
    state_m2 = p.state_completions_1953 * (share / base_share) * invest / cost
    rural_idx = state.population.rural.sum(1) / state.context.rural_start
    private = p.private_completions_1953 * rural_idx * decisions.at("private_housing_support", m)
    rate = state_m2 + private
    done = (0 if state.clock.month_of_year == 1 else h.completed_year) + rate / 12
    stock = h.urban_stock + (p.urban_fraction * p.area_ratio * rate - p.demolition_rate * h.urban_stock) / 12
    space = stock / state.population.urban.sum(1)
    return state.with_domain(NAME, HousingState(rate, h.completion_rate_1953, done, stock, space))


NATIONAL = {
    "housing_completed_mn_m2": ("million m2 useful area", "annual", "housing completed in the year, all sectors"),
    "living_space_m2_per_capita": ("m2 total area per person", "monthly", "urban housing stock per urban resident"),
}


def national(state: State) -> dict[str, np.ndarray]:
    """Completions and urban living space."""
    return {
        "housing_completed_mn_m2": state.housing.completed_year,
        "living_space_m2_per_capita": state.housing.urban_living_space,
    }
