"""Industry: investment by sector, capital, group A and group B output, defence.

National capital stocks (1953 output = 1 in "1953 output units"): heavy industry
(group A), light and consumer industry (group B), agriculture (machinery, buildings),
housing is handled by ``housing``. Each month

    I       = accumulation_rate * (Y_A + Y_B) * (1 - defence burden)        (total investment)
    K_i    += (share_i * I - delta_i * K_i) / 12                             (i = A, B, agri)
    Y_i     = A_i(t) * [alpha K_i^rho + (1 - alpha) L_i^rho]^(1/rho),  rho = (sigma-1)/sigma

with labour L_i growing with the urban population and TFP A_i growing at g. A low
elasticity of substitution (sigma ~ 0.4) makes growth slow as capital deepens: the
Easterly & Fischer (1995, World Bank Econ. Rev. 9:341) and Weitzman (1970, AER 60:676)
account of the Soviet slowdown. The official index adds hidden inflation
(overstatement h per year; CIA/JEC re-estimates put official industrial growth 2-4
points above the western series).

Investment shares by sector are decisions (Malenkov's new course, the 1955 reversal,
the Seven-Year Plan); the leftover share goes to transport and other sectors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ottepel.core.decisions import Lever
from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, State

NAME = "industry"

LEVERS = {
    "invest_share_group_a": Lever("level", 0.40, 0.05, 0.8, "fraction of investment",
                                  description="heavy industry share of total investment"),
    "invest_share_group_b": Lever("level", 0.07, 0.0, 0.5, "fraction of investment",
                                  description="light and food industry share of total investment"),
    "invest_share_agriculture": Lever("level", 0.14, 0.0, 0.5, "fraction of investment",
                                      description="agriculture share of total investment (state and kolkhoz)"),
    "invest_share_housing": Lever("level", 0.16, 0.0, 0.5, "fraction of investment",
                                  description="housing share of total investment"),
    "defence_share": Lever("level", 0.12, 0.0, 0.4, "fraction of industrial output",
                           description="output taken by defence procurement"),
}

_EF = "Easterly & Fischer 1995 (World Bank Econ. Rev. 9:341), CES estimates for the USSR"


class Params(ParamGroup):
    """Industrial production."""

    accumulation_rate: float = param(0.27, 0.15, 0.40, "fraction of output", "Bergson 1961; CIA/JEC: gross investment ~25-30% of GNP in the 1950s")
    elasticity_substitution: float = param(0.4, 0.1, 1.0, "1", _EF + " (sigma about 0.4)")
    capital_weight: float = param(0.5, 0.2, 0.8, "1", _EF + " (capital share near 0.5 in 1950)")
    tfp_growth: float = param(0.017, 0.0, 0.03, "1/yr", "Ofer 1987 (JEL 25:1767): industrial TFP growth ~1.5-2%/yr in the 1950s")
    depreciation: float = param(0.03, 0.01, 0.08, "1/yr", "Powell 1968: retirements of Soviet industrial fixed capital ~2-4%/yr")
    depreciation_agri: float = param(0.09, 0.03, 0.15, "1/yr", "assumption: tractors and machinery wear out in 8-12 years")
    capital_output_1953: float = param(1.3, 0.6, 3.0, "yr", "Moorsteen & Powell 1966: industrial capital-output ratio ~1.3 in 1953")
    labour_growth_urban_elasticity: float = param(1.0, 0.5, 1.5, "1", "assumption: industrial employment grows with the urban population")
    official_overstatement: float = param(0.03, 0.0, 0.06, "1/yr", "CIA/JEC 1982 vs official industrial indices: 2-4 points a year")
    group_a_share_1953: float = param(0.70, 0.55, 0.8, "fraction", "TsSU: group A ~70% of industrial output in 1953")


@dataclass(frozen=True)
class IndustryState:
    """Industrial capital and output (1953 annual output = 1).

    Attributes:
        capital_a, capital_b: (runs,) float64, output units.
        capital_agri: (runs,) float64, index (1953 = 1).
        labour_a, labour_b: (runs,) float64, index (1953 = 1).
        output_a, output_b: (runs,) float64, annual rate, output units.
        tfp: (runs,) float64, index.
        investment: (runs,) float64, annual rate, output units.
        output_year_sum: (runs,) float64, sum of monthly rates this year.
        b_year_sum: (runs,) float64, same for group B.
        months_in_year: number of months summed.
        base_output, base_b: (runs,) float64, 1953 average annual rate (for the indices).
        raw_base: (runs,) float64, 1953 meat + milk, million t (food-industry raw materials).
    """

    capital_a: np.ndarray
    capital_b: np.ndarray
    capital_agri: np.ndarray
    labour_a: np.ndarray
    labour_b: np.ndarray
    output_a: np.ndarray
    output_b: np.ndarray
    tfp: np.ndarray
    investment: np.ndarray
    output_year_sum: np.ndarray
    b_year_sum: np.ndarray
    months_in_year: int
    base_output: np.ndarray
    base_b: np.ndarray
    raw_base: np.ndarray


def _ces(capital, labour, alpha, sigma):
    rho = (sigma - 1.0) / sigma
    rho = np.where(np.abs(rho) < 1e-6, -1e-6, rho)  # sigma = 1: the Cobb-Douglas limit
    return (alpha * capital**rho + (1 - alpha) * labour**rho) ** (1.0 / rho)


def init(ctx: Context) -> IndustryState:
    """Capital stocks at the 1953 capital-output ratio; CES scaled so output is 1953's."""
    p = ctx.params.industry
    n = ctx.n_runs
    ya = np.full(n, p.group_a_share_1953)
    yb = np.full(n, 1 - p.group_a_share_1953)
    ka, kb = ya * p.capital_output_1953, yb * p.capital_output_1953
    one = np.ones(n)
    return IndustryState(ka, kb, one.copy(), one.copy(), one.copy(), ya, yb, one.copy(),
                         np.zeros(n), np.zeros(n), np.zeros(n), 0, np.zeros(n), np.zeros(n),
                         np.zeros(n))


def step(state: State, decisions, params, rng) -> State:
    """One month of investment, capital accumulation and production."""
    p, ind = params.industry, state.industry
    m = state.clock.month
    share = {k: decisions.at_runs(f"invest_share_{k}", m, state) for k in ("group_a", "group_b", "agriculture")}
    defence = decisions.at_runs("defence_share", m, state)
    urban = state.population.urban.sum(1)
    labour = (urban / state.context.urban_start) ** p.labour_growth_urban_elasticity
    tfp = ind.tfp * (1 + p.tfp_growth) ** (1 / 12)
    ka0, kb0 = p.group_a_share_1953 * p.capital_output_1953, (1 - p.group_a_share_1953) * p.capital_output_1953
    ya = p.group_a_share_1953 * tfp * _ces(ind.capital_a / ka0, labour, p.capital_weight, p.elasticity_substitution)
    yb = (1 - p.group_a_share_1953) * tfp * _ces(ind.capital_b / kb0, labour, p.capital_weight, p.elasticity_substitution)
    supply = getattr(state.domains.get("planning"), "industry_supply_factor", 1.0)
    ya, yb = ya * supply, yb * supply  # inter-regional deliveries short under localism
    investment = p.accumulation_rate * (ya + yb) * (1 - defence + LEVERS["defence_share"].default)
    ka = ind.capital_a + (share["group_a"] * investment - p.depreciation * ind.capital_a) / 12
    kb = ind.capital_b + (share["group_b"] * investment - p.depreciation * ind.capital_b) / 12
    agri_invest = share["agriculture"] * investment / (LEVERS["invest_share_agriculture"].default * p.accumulation_rate)
    kag = ind.capital_agri + (p.depreciation_agri * agri_invest - p.depreciation_agri * ind.capital_agri) / 12
    new_year = state.clock.month_of_year == 1
    ysum = (0 if new_year else ind.output_year_sum) + ya + yb
    bsum = (0 if new_year else ind.b_year_sum) + yb
    months = 1 if new_year else ind.months_in_year + 1
    base, base_b, raw_base = ind.base_output, ind.base_b, ind.raw_base
    if state.clock.month_of_year == 12 and state.clock.year == state.context.start_year:
        base, base_b, raw_base = ysum / months, bsum / months, _raw_materials(state)
    new = IndustryState(ka, kb, kag, labour, labour, ya, yb, tfp, investment, ysum, bsum, months,
                        base, base_b, raw_base)
    return state.with_domain(NAME, new)


def _raw_materials(state: State) -> np.ndarray:
    """Meat and milk of the current livestock year, million t (food-industry inputs)."""
    ls = state.livestock
    return ls.meat_mt.sum(1) + ls.milk_mt.sum(1)


NATIONAL = {
    "consumer_goods_index": ("1953 = 100", "annual", "group B output weighted 60/40 with food-industry raw materials (meat, milk)"),
    "industrial_output_index": ("1953 = 100", "annual", "true industrial output (group A + B), physical volume"),
    "industrial_output_index_official": ("1953 = 100", "annual", "the official index: true output plus hidden inflation"),
    "group_a_output_index": ("1953 = 100", "annual", "heavy industry output"),
    "group_b_output_index": ("1953 = 100", "annual", "light and consumer industry output"),
    "investment_rate": ("1953 output units per yr", "monthly", "total investment"),
    "agri_capital_index": ("1953 = 1", "monthly", "agricultural capital (machinery, buildings)"),
}


def national(state: State) -> dict[str, np.ndarray]:
    """Annual indices and monthly investment."""
    ind = state.industry
    base = np.where(ind.base_output > 0, ind.base_output, 1.0)
    base_b = np.where(ind.base_b > 0, ind.base_b, 1.0)
    base_a = np.where(ind.base_output > 0, ind.base_output - ind.base_b, 1.0)
    idx = 100 * ind.output_year_sum / max(ind.months_in_year, 1) / base
    years = state.clock.year - state.context.start_year
    p = state.context.params.industry
    raw = _raw_materials(state) / np.where(ind.raw_base > 0, ind.raw_base, 1.0)
    b_idx = 100 * ind.b_year_sum / max(ind.months_in_year, 1) / base_b
    return {
        "consumer_goods_index": b_idx * (0.6 + 0.4 * raw),
        "industrial_output_index": idx,
        "industrial_output_index_official": idx * (1 + p.official_overstatement) ** years,
        "group_a_output_index": 100 * (ind.output_year_sum - ind.b_year_sum) / max(ind.months_in_year, 1) / base_a,
        "group_b_output_index": b_idx,
        "investment_rate": ind.investment,
        "agri_capital_index": ind.capital_agri,
    }
