"""Berlin: the flight from the GDR, Ulbricht's pressure on Moscow, and the Wall (1961).

East Germans left through the open sector border in Berlin until 13 August 1961 (about
2.7 million 1949-61). The flow ``R`` (thousand a year) rises with the GDR's popular
pressure ``P`` (read from ``bloc``, not changed), with the SED's hard line at home
(lever ``gdr_hard_line``: the "construction of socialism" of 1952-53, forced
collectivisation in 1960), falls with the penalties on leaving (lever
``gdr_exit_penalties``: the passport law of December 1957), and all but stops once the
border is closed (lever ``berlin_wall``; Harrison 2003, Driving the Soviets up the Wall;
Major 2010, Behind the Berlin Wall)::

    R = flow_ref * exp(push * (P - pressure_ref) + hard_push * (h - h_ref))
        * (1 - penalty_effect * e) * (1 - wall_efficacy * w) * exp(noise * z_year)

``z_year`` is drawn each January (the West German boom and the year's own shocks).
Ulbricht's pressure on Khrushchev to close the border ``U`` is the flow of the last
twelve months over what the SED could bear (``tolerance``): the labour it lost,
professionals and the young first (Harrison 2003: from 1960 his letters pressed for
closure); an event ``ulbricht_presses`` is emitted when ``U`` first passes 1. The Wall is
a decision (Khrushchev agreed in July-August 1961; gated by who rules, and once built it
stays: ``w`` never falls in a run): its
costs are the propaganda defeat (``prestige_contribution``, standing units in the month
of closure, published for the politics and world owners to wire, not added anywhere
here) and the East-West tension that ``world`` already takes from the scenario's
``berlin_pressure`` pulse of August 1961.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ottepel.core.decisions import Lever
from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, EventBatch, State

NAME = "berlin"

LEVERS = {
    "gdr_hard_line": Lever("level", 0.3, 0.0, 1.5, "index, 1 = the 1952-53 'construction of socialism'",
                           description="the SED's pressure on farmers, traders and churches at home"),
    "gdr_exit_penalties": Lever("level", 0.0, 0.0, 1.0, "1",
                                description="penalties on leaving the GDR (1 = the passport law of Dec 1957)"),
    "berlin_wall": Lever("level", 0.0, 0.0, 1.0, "1", description="the sector border in Berlin closed (1 = the Wall)"),
}

_HA = "Harrison 2003, Driving the Soviets up the Wall (Princeton)"
_REC = "society_extra_record.csv gdr_refugees_thousand (Notaufnahme registrations)"


@lru_cache(maxsize=1)
def _gdr_index() -> int:
    from ottepel.core.mechanisms.bloc import load_satellites

    return int(np.flatnonzero(load_satellites().code == "GDR")[0])


class Params(ParamGroup):
    """The flight from the GDR and the Wall."""

    flow_ref: float = param(215.0, 120.0, 320.0, "thousand/yr", _REC + ": about 200-250 thousand a year in the mid-1950s")
    pressure_ref: float = param(0.45, 0.2, 0.7, "pressure (0..1)", "assumption: the GDR pressure of the mid-1950s in bloc's scale")
    push: float = param(2.0, 0.0, 6.0, "1 per unit pressure", "assumption: discontent and flight rose together (Major 2010, Behind the Berlin Wall)")
    hard_push: float = param(0.6, 0.0, 2.0, "1 per unit hard line", _HA + ": the 1952-53 and 1960 drives against farmers and traders sent them west; assumption for the size")
    hard_ref: float = param(0.3, 0.0, 1.0, "index", "the lever's default (the SED's ordinary line)")
    penalty_effect: float = param(0.2, 0.0, 0.8, "fraction", _REC + ": flight fell from 262 to 144 thousand between 1957 and 1959 after the passport law; assumption for the share")
    wall_efficacy: float = param(0.9, 0.5, 0.99, "fraction", "assumption: the border regime stopped nine in ten (Major 2010)")
    noise: float = param(0.12, 0.0, 0.4, "1 (log sd a year)", "assumption: the West German boom and the year's shocks")
    tolerance: float = param(180.0, 80.0, 300.0, "thousand/yr", _HA + ": Ulbricht pressed hardest from 1960, when the flow returned to about 200 thousand")
    wall_prestige: float = param(-0.05, -0.3, 0.0, "standing", _HA + ": the Wall was a public admission of the GDR's failure; assumption for the size")


@dataclass(frozen=True)
class BerlinState:
    """The flight and the border.

    Attributes:
        flow: (runs,) refugees, thousand a year (this month's rate).
        year_total: (runs,) refugees so far this calendar year, thousand.
        last12: (runs,) refugees in the last twelve months, thousand.
        cumulative: (runs,) refugees since the start, thousand.
        shock: (runs,) this year's log flow shock.
        ulbricht_pressure: (runs,) last twelve months' flow over the SED's tolerance.
        wall_prev: (runs,) last month's wall lever in the run.
        prestige_contribution: (runs,) standing units this month (the Wall's cost abroad).
    """

    flow: np.ndarray
    year_total: np.ndarray
    last12: np.ndarray
    cumulative: np.ndarray
    shock: np.ndarray = field(metadata={"signed": True})
    ulbricht_pressure: np.ndarray
    wall_prev: np.ndarray
    prestige_contribution: np.ndarray = field(metadata={"signed": True})


def init(ctx: Context) -> BerlinState:
    """Early 1953: the flight at its reference rate for the last year."""
    p, n = ctx.params.berlin, ctx.n_runs
    z = np.zeros(n)
    ref = np.broadcast_to(np.asarray(p.flow_ref, float), (n,)).copy()
    return BerlinState(ref, z.copy(), ref.copy(), z.copy(), z.copy(), ref / p.tolerance, z.copy(), z.copy())


def step(state: State, decisions, params, rng) -> State:
    """One month of flight, Ulbricht's pressure and the border."""
    p, s, m, clock = params.berlin, state.berlin, state.clock.month, state.clock
    gdr = state.bloc.pressure[:, _gdr_index()]
    hard = decisions.at("gdr_hard_line", m)            # the SED's own decisions: not gated by Moscow
    pen = decisions.at("gdr_exit_penalties", m)
    # closing needs the consent of whoever rules (gated); once closed it stays closed
    wall = np.maximum(np.asarray(decisions.at_runs("berlin_wall", m, state), float), s.wall_prev)
    shock = p.noise * rng.normal(m, "berlin.flow") if clock.month_of_year == 1 or m == 0 else s.shock
    flow = (p.flow_ref * np.exp(p.push * (gdr - p.pressure_ref) + p.hard_push * (hard - p.hard_ref) + shock)
            * (1 - p.penalty_effect * pen) * (1 - p.wall_efficacy * wall))
    month = flow / 12.0
    year_total = (0.0 if clock.month_of_year == 1 else s.year_total) + month
    last12 = s.last12 * (11.0 / 12.0) + month
    u = last12 / p.tolerance
    closed = np.maximum(wall - s.wall_prev, 0.0)
    new = BerlinState(flow, year_total, last12, s.cumulative + month, shock, u, wall,
                      p.wall_prestige * closed)
    state = state.with_domain(NAME, new)
    return _emit(state, new, s, closed, gdr)


def _emit(state: State, s: BerlinState, old: BerlinState, closed, gdr) -> State:
    batches = []
    runs = np.flatnonzero((s.ulbricht_pressure >= 1.0) & (old.ulbricht_pressure < 1.0))
    if len(runs):
        batches.append(EventBatch("ulbricht_presses", runs, s.ulbricht_pressure[runs], "Ulbricht",
                                  np.array([f"{s.last12[i]:.0f} thousand left in twelve months; GDR pressure "
                                            f"{gdr[i]:.2f}" for i in runs])))
    runs = np.flatnonzero(closed > 0.5)
    if len(runs):
        batches.append(EventBatch("berlin_wall", runs, old.last12[runs], "Ulbricht; Khrushchev",
                                  np.array([f"border closed after {old.last12[i]:.0f} thousand left in twelve "
                                            f"months (Ulbricht's pressure {old.ulbricht_pressure[i]:.2f})"
                                            for i in runs])))
    return state.emit(*batches)


NATIONAL = {
    "gdr_refugees_thousand": ("thousand", "annual", "East Germans who left in the year (emergency-reception registrations)"),
    "gdr_refugees_cumulative_mn": ("million", "monthly", "East Germans who left since the start"),
    "ulbricht_pressure": ("1 (flow over tolerance)", "monthly", "Ulbricht's pressure on Moscow to close the border"),
    "berlin_prestige_contribution": ("standing units", "monthly", "the Wall's cost to the leader's standing (published, not wired)"),
}


def national(state: State) -> dict[str, np.ndarray]:
    """The flight, Ulbricht's pressure and the Wall's cost."""
    s = state.berlin
    return {"gdr_refugees_thousand": s.year_total, "gdr_refugees_cumulative_mn": s.cumulative / 1000.0,
            "ulbricht_pressure": s.ulbricht_pressure, "berlin_prestige_contribution": s.prestige_contribution}
