"""Money: mass state loans, their 1957 freeze, the 1961 redenomination, and the overhang.

State loans (Millar 1974, History and analysis of Soviet domestic bond policy): workers
and employees "subscribed" each year to bonds worth some weeks of pay (lever
``loan_subscription``, months of wages a year); the bonds paid no interest but were
redeemed by lottery draws and at maturity (``redemption_rate`` of the stock a year).
With ``W`` the yearly wage bill (bn new roubles) and ``B`` the bonds held::

    W  = nominal_wage * employees_per_urban * urban_population * 12 / 1000
    B' = B + (subscription * W / 12 - redemption_rate * (1 - f) * B) / 12

The freeze (lever ``loan_freeze`` ``f``, 1 = the April 1957 moratorium: no redemptions for
about twenty years, no new mass loans) takes from holders the present value of what
they were due: when ``f`` rises, ``loss = freeze_pv_loss * B * (f - f_prev)`` (bn). Holders
feel it as a loss of household wealth ``H = M + v B`` (``M``: cash and deposits, read from
society's ``savings`` in months of the urban wage bill; ``v = bond_valuation``: holders
valued paper that paid no interest well below face), weighted by ``wealth_salience`` and
remembered over ``memory_months``; while the freeze lasts, the lottery wins that no longer
come are a smaller, continuing loss of income::

    felt' = felt * exp(-1 / memory_months) + ln(H / (H - v * loss))
    g_money = wealth_salience * felt + income_salience * redemption_rate * f * B / W

The redenomination (pulse ``currency_redenomination`` = old roubles per new one, 10 on 1
January 1961) divides prices, wages, cash and deposits alike: unlike 1947 it confiscated
nothing, so real balances and the overhang the model computes are unchanged (Nove 1992,
An Economic History of the USSR). What it did do was let kolkhoz-market and some state
prices be rounded up (a "just price" shock, ``rounding_shock``, fading over a year).
``money_overhang_bn_rub`` reads society's overhang (money above ``savings_normal``) in
roubles; this module does not change it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ottepel.core.decisions import Lever
from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, EventBatch, State

NAME = "money"

LEVERS = {
    "loan_subscription": Lever("level", 0.0, 0.0, 2.0, "months of wages a year",
                               description="mass subscription to state loans"),
    "loan_freeze": Lever("level", 0.0, 0.0, 1.0, "1",
                         description="moratorium on redemption of mass state loans (1 = the 1957 freeze)"),
    "currency_redenomination": Lever("pulse", 0.0, 0.0, 100.0, "old roubles per new",
                                     description="change of the currency's scale (0 = none)"),
}

_MI = "Millar 1974, History and analysis of Soviet domestic bond policy (Univ. of Illinois FWP 178)"
_HC = "The Harvard Crimson, 17 Apr 1957 ('Credit coup'; society_extra_record.csv)"


class Params(ParamGroup):
    """State loans, their freeze, the redenomination."""

    bonds_1953: float = param(17.5, 10.0, 25.0, "bn new roubles", "assumption: back-cast from about 26 bn in 1957 (" + _HC + ") less four years of subscriptions")
    employees_per_urban: float = param(0.56, 0.45, 0.7, "workers and employees per urban resident", "TsSU, Narkhoz SSSR: about 45 mn workers and employees in 1953 against 80 mn townspeople")
    redemption_rate: float = param(0.05, 0.01, 0.15, "1/yr", _MI + ": twenty-year bonds redeemed by lottery draws and at maturity")
    freeze_pv_loss: float = param(0.55, 0.2, 0.9, "fraction of holdings", _HC + ": repayment put off about twenty years without interest; 1 - 1.04**-20 = 0.54")
    bond_valuation: float = param(0.3, 0.05, 1.0, "fraction of face value", _HC + ": bonds paid no interest and non-winning ones traded at discounts down to a tenth of face value; assumption between")
    wealth_salience: float = param(0.25, 0.0, 1.0, "log points per log point of wealth", "assumption: a wealth loss weighs less than a loss of living standard (Tversky & Kahneman 1992 loss aversion applies to both)")
    income_salience: float = param(0.3, 0.0, 1.5, "log points per fraction of wages", "assumption: lottery wins that stop are a small cut in income")
    memory_months: float = param(36.0, 6.0, 120.0, "months", "assumption: a broken state promise is remembered for years")
    rounding_shock: float = param(0.01, 0.0, 0.05, "log points", "Hanson 2003, The Rise and Fall of the Soviet Economy: prices rounded up at the 1961 reform; assumption for the size")
    rounding_months: float = param(12.0, 3.0, 36.0, "months", "assumption: a new price becomes normal within about a year")


@dataclass(frozen=True)
class MoneyState:
    """State loans and the currency.

    Attributes:
        bonds: (runs,) state-loan bonds held by the population, bn new roubles.
        freeze_prev: (runs,) last month's freeze lever (per run, after adoption).
        lost: (runs,) present value taken by the freeze so far, bn new roubles.
        felt: (runs,) the loss still felt, log points of household wealth.
        rounding: (runs,) the rounding-up shock still felt, log points.
        scale: (runs,) old roubles per current rouble (1 until 1961, then 10).
        overhang_bn: (runs,) money above normal holdings, bn new roubles.
        grievance_contribution: (runs,) log points added to the urban grievance.
    """

    bonds: np.ndarray
    freeze_prev: np.ndarray
    lost: np.ndarray
    felt: np.ndarray
    rounding: np.ndarray
    scale: np.ndarray
    overhang_bn: np.ndarray
    grievance_contribution: np.ndarray


def init(ctx: Context) -> MoneyState:
    """Bonds of 1953; nothing frozen, old roubles."""
    p, n = ctx.params.money, ctx.n_runs
    z = np.zeros(n)
    return MoneyState(np.broadcast_to(np.asarray(p.bonds_1953, float), (n,)).copy(), z.copy(), z.copy(),
                      z.copy(), z.copy(), np.ones(n), z.copy(), z.copy())


def wage_bill(state: State, p) -> np.ndarray:
    """(runs,) yearly wage bill of workers and employees, bn new roubles."""
    urban = state.population.urban.sum(1)
    return state.society.nominal_wage * p.employees_per_urban * urban * 12.0 / 1000.0


def step(state: State, decisions, params, rng) -> State:
    """One month of subscriptions, redemptions, the freeze's loss and the reform."""
    p, s, m = params.money, state.money, state.clock.month
    sub = np.asarray(decisions.at_runs("loan_subscription", m, state), float)
    f = np.asarray(decisions.at_runs("loan_freeze", m, state), float)
    w = wage_bill(state, p)
    redeem = p.redemption_rate * (1.0 - f) * s.bonds
    bonds = np.maximum(s.bonds + (sub * w / 12.0 - redeem) / 12.0, 0.0)
    loss = p.freeze_pv_loss * s.bonds * np.maximum(f - s.freeze_prev, 0.0)
    savings = state.society.savings  # months of the urban wage bill
    cash = savings * w / 12.0
    wealth = cash + p.bond_valuation * bonds          # as holders valued the paper
    felt = s.felt * np.exp(-1.0 / p.memory_months) + np.log(wealth / np.maximum(wealth - p.bond_valuation * loss, 1e-9))
    bonds = bonds - loss
    ratio = decisions.at("currency_redenomination", m)
    rounding = s.rounding * np.exp(-1.0 / p.rounding_months)
    scale = s.scale
    if ratio > 0:
        scale = s.scale * ratio
        rounding = rounding + p.rounding_shock
    normal = state.context.params.society.savings_normal
    over = np.maximum(savings - normal, 0.0) * w / 12.0
    contrib = (p.wealth_salience * felt + p.income_salience * p.redemption_rate * f * s.bonds / w
               + rounding)
    new = MoneyState(bonds, f, s.lost + loss, felt, rounding, scale, over, contrib)
    state = state.with_domain(NAME, new)
    return _emit(state, new, loss, ratio, s, w)


def _emit(state: State, s: MoneyState, loss, ratio, old: MoneyState, w) -> State:
    """The freeze (where it took value this month) and the redenomination."""
    batches = []
    runs = np.flatnonzero(loss > 0.01)
    if len(runs):
        causes = np.array([f"bonds held {old.bonds[i]:.1f} bn roubles ({12 * old.bonds[i] / w[i]:.1f} months of "
                           f"wages); repayment put off; felt loss {s.felt[i]:.3f} log points" for i in runs])
        batches.append(EventBatch("loan_freeze", runs, loss[runs], "Council of Ministers", causes))
    if ratio > 0:
        runs = np.arange(state.n_runs)
        batches.append(EventBatch("redenomination", runs, np.full(len(runs), ratio), "Council of Ministers",
                                  np.array([f"{ratio:g} old roubles for one new; overhang {o:.1f} bn new roubles "
                                            "unchanged in real terms" for o in s.overhang_bn])))
    return state.emit(*batches)


NATIONAL = {
    "state_loan_holdings_bn_rub": ("bn new roubles", "monthly", "mass state-loan bonds held by the population"),
    "loan_freeze_loss_bn_rub": ("bn new roubles", "monthly", "present value taken from holders by the freeze, cumulative"),
    "money_overhang_bn_rub": ("bn new roubles", "monthly", "household money above normal holdings (society's overhang in roubles)"),
    "currency_scale_old_per_new": ("old roubles per rouble", "monthly", "1 before the 1961 redenomination, 10 after"),
    "money_grievance_contribution": ("log points", "monthly", "the freeze's and the reform's grievance added to the urban grievance"),
}


def national(state: State) -> dict[str, np.ndarray]:
    """Bonds, the freeze's loss, the overhang in roubles, the currency scale, the grievance."""
    s = state.money
    return {"state_loan_holdings_bn_rub": s.bonds, "loan_freeze_loss_bn_rub": s.lost,
            "money_overhang_bn_rub": s.overhang_bn, "currency_scale_old_per_new": s.scale,
            "money_grievance_contribution": s.grievance_contribution}
