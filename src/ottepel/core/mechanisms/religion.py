"""Religion: open churches, the 1958-64 anti-religious campaign, and the believers' grievance.

Open Orthodox churches ``C`` (thousand; registered parishes with a functioning church)
fall by a slow attrition (priests not replaced, parishes merged) and by the campaign's
closures. Campaign intensity ``k`` (lever ``antireligious_campaign``, 1 = the 1960-64
drive of the Council for Russian Orthodox Church Affairs under Kuroedov) sets closures;
each closure is harder than the last, because the parishes left are the large urban
ones that believers defend and that foreigners see (Chumachenko 2002, Church and State
in Soviet Russia; Froese 2008, The Plot to Kill God)::

    rate = attrition + closure_rate * k * (C / C_1953) ** resistance      (1/yr)
    C'   = C * exp(-rate / 12)

Believers judge closures against the churches they were used to (a reference that
adapts over ``adapt_months``, as in society's expectations); the harassment that comes
with the campaign (children barred from services, registration of baptisms, press
attacks) adds a grievance while the campaign runs. Both count for the urban believers'
share of townspeople (the grievance of ``society`` is urban)::

    loss  = max(0, ln Cref - ln C);  ln Cref' = ln Cref + (ln C - ln Cref) / adapt_months
    g_rel = believer_share * (closure_salience * loss + harassment * k)   (log points)

``g_rel`` is published as ``grievance_contribution`` and added to the urban grievance
by society's hook (one month later: ``religion`` runs after ``society``). Practising
believers follow the churches open with an elasticity (fewer churches, fewer who can
attend; Froese 2008: belief persisted where practice was suppressed)::

    P' = P + (P_1953 * (C / C_1953) ** attend_elasticity - P) / 24
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ottepel.core.decisions import Lever
from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, EventBatch, State

NAME = "religion"

LEVERS = {
    "antireligious_campaign": Lever("level", 0.0, 0.0, 2.0, "index, 1 = the 1960-64 drive",
                                    description="intensity of church closures and pressure on believers"),
}

_CH = "Chumachenko 2002, Church and State in Soviet Russia (M. E. Sharpe), CROCA counts"
_FR = "Froese 2008, The Plot to Kill God (Univ. of California Press)"


class Params(ParamGroup):
    """Churches, the campaign and the believers' grievance."""

    churches_1953: float = param(13.8, 12.5, 15.0, "thousand churches", _CH + ": 14.4 thousand in 1949, 13.4 in 1958 (society_extra_record.csv); assumption between them")
    attrition: float = param(0.004, 0.0, 0.02, "1/yr", _CH + ": about 1,000 fewer churches 1949-58 without a campaign")
    closure_rate: float = param(0.14, 0.03, 0.4, "1/yr at intensity 1", _CH + ": about 1,000-1,500 parishes closed a year in 1960-63; assumption for the form")
    resistance: float = param(1.0, 0.0, 3.0, "1", _FR + ": the last churches were the hardest to close; assumption")
    adapt_months: float = param(60.0, 12.0, 180.0, "months", "assumption: a closed church is mourned for years (Chumachenko 2002, petitions to reopen)")
    believer_share: float = param(0.3, 0.1, 0.6, "fraction of townspeople", _FR + ": about half the adults called themselves believers in the 1950s, fewer in towns; assumption")
    closure_salience: float = param(0.15, 0.0, 0.6, "log points per log point of churches lost", "assumption: a believer's loss weighed like a fall in the living standard of that size times 0.15")
    harassment: float = param(0.03, 0.0, 0.15, "log points at intensity 1", "assumption: pressure on parents and clergy (Wikipedia, USSR anti-religious campaign 1958-64)")
    practising_1953: float = param(0.25, 0.05, 0.5, "fraction of adults", _FR + ": regular attendance well below professed belief; assumption")
    attend_elasticity: float = param(0.6, 0.0, 1.5, "1", _FR + ": practice fell with access; assumption")


@dataclass(frozen=True)
class ReligionState:
    """Open churches and believers.

    Attributes:
        churches: (runs,) open Orthodox churches, thousand.
        log_reference: (runs,) log of the churches believers are used to.
        practising: (runs,) practising believers, fraction of adults.
        closed_year: (runs,) churches closed so far this calendar year, thousand.
        grievance_contribution: (runs,) log points added to the urban grievance.
    """

    churches: np.ndarray
    log_reference: np.ndarray = field(metadata={"signed": True})
    practising: np.ndarray
    closed_year: np.ndarray
    grievance_contribution: np.ndarray


def init(ctx: Context) -> ReligionState:
    """The churches of 1953, no campaign, no grievance."""
    p, n = ctx.params.religion, ctx.n_runs
    c = np.broadcast_to(np.asarray(p.churches_1953, float), (n,)).copy()
    return ReligionState(c, np.log(c), np.broadcast_to(np.asarray(p.practising_1953, float), (n,)).copy(),
                         np.zeros(n), np.zeros(n))


def step(state: State, decisions, params, rng) -> State:
    """One month of closures, the reference point, practice and the grievance."""
    p, r, m = params.religion, state.religion, state.clock.month
    k = np.asarray(decisions.at_runs("antireligious_campaign", m, state), float)
    rel = r.churches / p.churches_1953
    rate = p.attrition + p.closure_rate * k * rel ** p.resistance
    churches = r.churches * np.exp(-rate / 12.0)
    log_c = np.log(churches)
    loss = np.maximum(r.log_reference - log_c, 0.0)
    ref = r.log_reference + (log_c - r.log_reference) / p.adapt_months
    practising = r.practising + (p.practising_1953 * (churches / p.churches_1953) ** p.attend_elasticity
                                 - r.practising) / 24.0
    closed = (0.0 if state.clock.month_of_year == 1 else r.closed_year) + (r.churches - churches)
    contrib = p.believer_share * (p.closure_salience * loss + p.harassment * k)
    new = ReligionState(churches, ref, practising, closed, contrib)
    state = state.with_domain(NAME, new)
    if state.clock.month_of_year == 12:
        state = _emit(state, new, k)
    return state


def _emit(state: State, r: ReligionState, k: np.ndarray) -> State:
    """December: the year's closures (where more than 100 churches closed), with causes."""
    runs = np.flatnonzero(r.closed_year > 0.1)
    if not len(runs):
        return state
    causes = np.array([f"campaign intensity {k[i]:.2f}; {r.churches[i] * 1000:,.0f} churches left; "
                       f"believers' grievance contribution {r.grievance_contribution[i]:.3f}" for i in runs])
    return state.emit(EventBatch("church_closures", runs, 1000 * r.closed_year[runs],
                                 "Council for Russian Orthodox Church Affairs; local soviets", causes))


NATIONAL = {
    "orthodox_churches_thousand": ("thousand", "monthly", "open (registered, functioning) Orthodox churches"),
    "practising_believers_share": ("fraction of adults", "monthly", "adults who attend services"),
    "religion_grievance_contribution": ("log points", "monthly", "believers' grievance added to the urban grievance"),
}


def national(state: State) -> dict[str, np.ndarray]:
    """Churches, practice and the grievance contribution."""
    r = state.religion
    return {"orthodox_churches_thousand": r.churches, "practising_believers_share": r.practising,
            "religion_grievance_contribution": r.grievance_contribution}
