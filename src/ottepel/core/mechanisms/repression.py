"""Repression: the repression level, the Gulag population, releases, and fear.

The camps and colonies are a stock with a revolving door (Alexopoulos 2005, "Amnesty
1945: the revolving door of Stalin's Gulag", Slavic Review 64:274): most prisoners were
ordinary offenders who came and went. Each month, with ``r`` the repression index
(1 = the apparatus of early 1953) and ``G`` the Gulag population (million),

    severity   = criminal_floor * penal_severity + (1 - criminal_floor) * r
    admissions = inflow_1953 * severity * exp(noise * z)
    term       = term_1953 * (term_floor + (1 - term_floor) * severity)     (years)
    G'         = G + (admissions - G / term - release_rate * G) / 12 - amnesty

``penal_severity`` is the criminal law for ordinary offences (the 1940 labour laws, the
1947 theft decrees; softened in 1956 and by the 1958 Fundamentals, hardened again by the
1961 anti-parasite and economic-crime laws). ``amnesty`` is the amnesty decree of the month (``amnesty_mn``), capped at the share of
prisoners it can reach (``amnesty_eligible_share``: the March 1953 decree excluded most
political prisoners); ``release_rate`` is the extra release by review and
rehabilitation commissions (1954-56). Special settlers (deported peoples) leave their
settlements at ``settler_release_rate`` per year.

The repression index relaxes toward a target set by the levers and by unrest:

    r_target = floor + (1 - floor) * (1 - secret_police_cut) * (1 - w_d * destalinisation)
               + crackdown_push * unrest
    r'       = r + (r_target - r) / adjust_months

Fear is what people remember of repression: it follows ``r`` slowly
(``fear_memory_months``), jumps when troops shoot at a crowd (read from ``society`` of the previous
month), and drops once when the Secret Speech denounces the
terror (``secret_speech`` pulse, defined in ``bloc``). ``fear`` (runs,) is read by the
planning mechanism (fear limits padded reports) and by ``society`` (fear raises the
threshold for joining a riot).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ottepel.core.decisions import Lever
from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, EventBatch, State

NAME = "repression"

LEVERS = {
    "amnesty_mn": Lever("pulse", 0.0, 0.0, 3.0, "million persons",
                        description="prisoners an amnesty decree releases in its month"),
    "release_rate": Lever("level", 0.0, 0.0, 1.0, "1/yr",
                          description="extra release of prisoners by review and rehabilitation commissions"),
    "secret_police_cut": Lever("level", 0.0, 0.0, 0.9, "fraction",
                               description="cut of the security apparatus below its early-1953 size"),
    "penal_severity": Lever("level", 1.0, 0.2, 1.5, "index, 1953 = 1",
                            description="severity of the criminal law for ordinary offences"),
    "settler_release_rate": Lever("level", 0.0, 0.0, 2.0, "1/yr",
                                  description="rate at which special settlers are struck off the register"),
}

_GRZ = ("Getty, Rittersporn & Zemskov 1993, AHR 98:1017 (1 Jan 1953: camps 1,727,970 + "
        "colonies 740,554)")
_ZEM = "Zemskov 1991, Sotsiologicheskie issledovaniya 6-7 (admissions and releases, 1930s-1953)"


class Params(ParamGroup):
    """The penal system and fear."""

    RUN_AXIS: ClassVar[bool] = False  # scalar parameters only (see ParamGroup)

    gulag_1953: float = param(2.47, 2.2, 2.7, "million", _GRZ)
    special_settlers_1953: float = param(2.7, 2.0, 3.0, "million", "history series special_settlers_mn (Dobson 2016 review)")
    inflow_1953: float = param(0.55, 0.3, 0.8, "million/yr", _ZEM + ": about half a million admissions a year in the early 1950s")
    criminal_floor: float = param(0.5, 0.2, 0.8, "fraction", "assumption: share of admissions (ordinary crime) governed by the criminal law rather than the apparatus")
    term_floor: float = param(0.45, 0.2, 0.8, "fraction", "1958 Fundamentals of Criminal Law: maximum term cut from 25 to 15 years; assumption for the average")
    amnesty_eligible_share: float = param(0.6, 0.3, 0.9, "fraction", "events.csv 1953-03-27: 1.2 mn of 2.47 mn released, political prisoners largely excluded")
    repression_floor: float = param(0.2, 0.05, 0.5, "1", "assumption: the post-Stalin apparatus kept a core of political policing")
    destalinisation_weight: float = param(0.35, 0.0, 0.8, "1", "assumption: the restored rule of law (procuracy oversight, end of special boards 1953)")
    adjust_months: float = param(12.0, 3.0, 36.0, "months", "assumption: courts and police adjust practice over about a year")
    crackdown_push: float = param(0.15, 0.0, 0.5, "1 per unit unrest", "assumption: riots and uprisings bring harsher policing (1957 arrests after Hungary)")
    fear_memory_months: float = param(48.0, 12.0, 120.0, "months", "assumption: memory of the terror fades over years (Dobson 2009, Khrushchev's Cold Summer)")
    fear_speech_drop: float = param(0.12, 0.0, 0.3, "1 per speech", "assumption: the denunciation of the terror emboldened people (Jones 2006, The Dilemmas of De-Stalinization)")
    fear_per_killing: float = param(0.02, 0.0, 0.1, "1 per log10 of dead", "assumption: news of shootings spread by rumour (Kozlov 2002, Mass Uprisings in the USSR)")
    admission_noise: float = param(0.1, 0.0, 0.3, "1", "assumption: month-to-month variation of convictions")


@dataclass(frozen=True)
class RepressionState:
    """The penal system and fear (all (runs,) float64).

    Attributes:
        gulag_mn: prisoners in camps and colonies, million.
        special_settlers_mn: persons in special settlements, million.
        released_mn: cumulative releases (amnesty, commissions, settlers) since the start, million.
        repression_index: the apparatus relative to early 1953 (1).
        fear: remembered repression, 0..1.5 (1 = the fear of early 1953).
    """

    gulag_mn: np.ndarray
    special_settlers_mn: np.ndarray
    released_mn: np.ndarray
    repression_index: np.ndarray
    fear: np.ndarray


def init(ctx: Context) -> RepressionState:
    """Early 1953: the Gulag at its 1 January 1953 size, fear at its peak."""
    p, n = ctx.params.repression, ctx.n_runs
    one = np.ones(n)
    return RepressionState(np.full(n, p.gulag_1953), np.full(n, p.special_settlers_1953),
                           np.zeros(n), one.copy(), one.copy())


def severity(r: np.ndarray, penal: float, p) -> np.ndarray:
    """Penal severity (1 = early 1953): ordinary crime follows the law, the rest the apparatus."""
    return p.criminal_floor * penal + (1 - p.criminal_floor) * r


def admissions(sev: np.ndarray, z: np.ndarray, p) -> np.ndarray:
    """New prisoners per year (million) at severity ``sev`` and noise ``z``."""
    return p.inflow_1953 * sev * np.exp(p.admission_noise * z)


def mean_term(sev: np.ndarray, p) -> np.ndarray:
    """Average time served (years); at severity 1 the stock of 1953 is a steady state."""
    term_1953 = p.gulag_1953 / p.inflow_1953
    return term_1953 * (p.term_floor + (1 - p.term_floor) * sev)


def _unrest_last_month(state: State) -> tuple[np.ndarray, np.ndarray]:
    """Unrest (0..1) and people killed at home in the previous month (society, bloc)."""
    n = state.n_runs
    unrest, killed = np.zeros(n), np.zeros(n)
    soc = state.domains.get("society")
    if soc is not None:
        unrest = unrest + soc.riot_size_k / 10.0
        killed = killed + soc.killed
    bloc = state.domains.get("bloc")
    if bloc is not None:
        unrest = unrest + bloc.uprisings
    return np.minimum(unrest, 1.0), killed


def step(state: State, decisions, params, rng) -> State:
    """One month of admissions, releases, amnesties and the drift of fear."""
    p, s, m = params.repression, state.repression, state.clock.month
    z = rng.normal(m, "repression.admissions")
    unrest, killed = _unrest_last_month(state)
    cut = decisions.at("secret_police_cut", m)
    destal = decisions.at("destalinisation_level", m)
    target = p.repression_floor + (1 - p.repression_floor) * (1 - cut) * (1 - p.destalinisation_weight * destal)
    r = s.repression_index + (target + p.crackdown_push * unrest - s.repression_index) / p.adjust_months
    amnesty = np.minimum(decisions.at("amnesty_mn", m), p.amnesty_eligible_share * s.gulag_mn)
    commissions = decisions.at("release_rate", m) * s.gulag_mn / 12
    sev = severity(r, decisions.at("penal_severity", m), p)
    gulag = s.gulag_mn + (admissions(sev, z, p) - s.gulag_mn / mean_term(sev, p)) / 12 - commissions - amnesty
    settled = s.special_settlers_mn * decisions.at("settler_release_rate", m) / 12
    fear = s.fear + (r - s.fear) / p.fear_memory_months
    fear = fear - p.fear_speech_drop * decisions.at("secret_speech", m) + p.fear_per_killing * np.log10(1 + killed)
    new = RepressionState(np.maximum(gulag, 0.0), s.special_settlers_mn - settled,
                          s.released_mn + amnesty + commissions + settled, r, np.clip(fear, 0.0, 1.5))
    state = state.with_domain(NAME, new)
    if decisions.at("amnesty_mn", m) > 0:
        state = state.emit(EventBatch("amnesty", np.arange(state.n_runs), amnesty,
                                      "Presidium of the Supreme Soviet",
                                      f"amnesty decree of {decisions.at('amnesty_mn', m):.2f} mn"))
    return state


NATIONAL = {
    "gulag_population_mn": ("million", "monthly", "prisoners in Gulag camps and colonies"),
    "special_settlers_mn": ("million", "monthly", "persons in special settlements"),
    "released_cumulative_mn": ("million", "monthly", "released from camps and settlements since the start"),
    "repression_index": ("early 1953 = 1", "monthly", "size and reach of the repressive apparatus"),
    "fear": ("early 1953 = 1", "monthly", "remembered repression; limits padding and unrest"),
}


def national(state: State) -> dict[str, np.ndarray]:
    """The penal system and fear."""
    s = state.repression
    return {
        "gulag_population_mn": s.gulag_mn,
        "special_settlers_mn": s.special_settlers_mn,
        "released_cumulative_mn": s.released_mn,
        "repression_index": s.repression_index,
        "fear": s.fear,
    }
