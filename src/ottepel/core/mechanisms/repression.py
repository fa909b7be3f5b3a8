"""Repression: the repression level and fear (the camps themselves are in ``camps``).

The camps, colonies and special settlements (stocks, sentences, amnesties, reviews,
strikes, returnees) moved to :mod:`ottepel.core.mechanisms.camps`, which reads the
repression index of this month and :func:`severity` below. Each month, with ``r`` the
repression index (1 = the apparatus of early 1953):

    severity   = criminal_floor * penal_severity + (1 - criminal_floor) * r

``penal_severity`` is the criminal law for ordinary offences (the 1940 labour laws, the
1947 theft decrees; softened in 1956 and by the 1958 Fundamentals, hardened again by the
1961 anti-parasite and economic-crime laws); ``camps`` uses it for admissions and terms.

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
from ottepel.core.state import Context, State

NAME = "repression"

LEVERS = {
    "secret_police_cut": Lever("level", 0.0, 0.0, 0.9, "fraction",
                               description="cut of the security apparatus below its early-1953 size"),
    "penal_severity": Lever("level", 1.0, 0.2, 1.5, "index, 1953 = 1",
                            description="severity of the criminal law for ordinary offences"),
}


class Params(ParamGroup):
    """The repressive apparatus and fear."""

    RUN_AXIS: ClassVar[bool] = False  # scalar parameters only (see ParamGroup)

    repression_floor: float = param(0.2, 0.05, 0.5, "1", "assumption: the post-Stalin apparatus kept a core of political policing")
    destalinisation_weight: float = param(0.35, 0.0, 0.8, "1", "assumption: the restored rule of law (procuracy oversight, end of special boards 1953)")
    adjust_months: float = param(12.0, 3.0, 36.0, "months", "assumption: courts and police adjust practice over about a year")
    crackdown_push: float = param(0.15, 0.0, 0.5, "1 per unit unrest", "assumption: riots and uprisings bring harsher policing (1957 arrests after Hungary)")
    fear_memory_months: float = param(48.0, 12.0, 120.0, "months", "assumption: memory of the terror fades over years (Dobson 2009, Khrushchev's Cold Summer)")
    fear_speech_drop: float = param(0.12, 0.0, 0.3, "1 per speech", "assumption: the denunciation of the terror emboldened people (Jones 2006, The Dilemmas of De-Stalinization)")
    fear_per_killing: float = param(0.02, 0.0, 0.1, "1 per log10 of dead", "assumption: news of shootings spread by rumour (Kozlov 2002, Mass Uprisings in the USSR)")


@dataclass(frozen=True)
class RepressionState:
    """The repressive apparatus and fear (all (runs,) float64).

    Attributes:
        repression_index: the apparatus relative to early 1953 (1).
        fear: remembered repression, 0..1.5 (1 = the fear of early 1953).
    """

    repression_index: np.ndarray
    fear: np.ndarray


def init(ctx: Context) -> RepressionState:
    """Early 1953: the apparatus and fear at their peak."""
    one = np.ones(ctx.n_runs)
    return RepressionState(one.copy(), one.copy())


def severity(r: np.ndarray, penal: float, p) -> np.ndarray:
    """Penal severity (1 = early 1953): ordinary crime follows the law, the rest the apparatus.

    ``p`` carries ``criminal_floor`` (the camps parameters).
    """
    return p.criminal_floor * penal + (1 - p.criminal_floor) * r


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
    """One month of the apparatus and the drift of fear."""
    p, s, m = params.repression, state.repression, state.clock.month
    unrest, killed = _unrest_last_month(state)
    cut = decisions.at("secret_police_cut", m)
    destal = decisions.at("destalinisation_level", m)
    target = p.repression_floor + (1 - p.repression_floor) * (1 - cut) * (1 - p.destalinisation_weight * destal)
    r = s.repression_index + (target + p.crackdown_push * unrest - s.repression_index) / p.adjust_months
    fear = s.fear + (r - s.fear) / p.fear_memory_months
    fear = fear - p.fear_speech_drop * decisions.at("secret_speech", m) + p.fear_per_killing * np.log10(1 + killed)
    return state.with_domain(NAME, RepressionState(r, np.clip(fear, 0.0, 1.5)))


NATIONAL = {
    "repression_index": ("early 1953 = 1", "monthly", "size and reach of the repressive apparatus"),
    "fear": ("early 1953 = 1", "monthly", "remembered repression; limits padding and unrest"),
}


def national(state: State) -> dict[str, np.ndarray]:
    """The apparatus and fear."""
    s = state.repression
    return {"repression_index": s.repression_index, "fear": s.fear}
