"""The bloc: seven Warsaw Pact satellites, their popular pressure, uprisings and Moscow's choice.

Each satellite ``i`` (Poland, Hungary, GDR, Czechoslovakia, Romania, Bulgaria, Albania;
packaged data ``satellites.csv``) has a popular pressure ``P_i`` in [0, 1], a leader type
(Stalinist, reformist, or loyal after a restoration), Soviet troops, and ``fear_i`` left
by suppressions. Each month

    P_eq = structural_i + destal_gain * destalinisation_level * stalinist_i
           - fear_weight * fear_i - reform_relief * reformist_i
    P'   = P + (P_eq - P) / tau + speech_gain * secret_speech * (stalinist_i ? 1 : reform_share)
           + contagion * (uprisings and concessions elsewhere last month) + sigma * z

Destalinisation raises pressure most where a Stalinist leader's legitimacy rested on
Stalin (Kramer 1998, J. Contemporary History 33:163). An uprising starts with the
hazard ``h_i = h0 * exp(beta * (P_i - 0.5)) * (1 - deterrence * troops_i / (troops_i +
troops_half))``. It is either put down by the satellite's own forces (Poznan, June 1956)
or it escalates (probability ``logistic((P - escalation_pressure) / 0.05)``): the
regime cracks and Moscow chooses to intervene (Hungary, November 1956), with
probability ``intervention_doctrine * (base + (1 - base) * exit_threat)``, or to let go:
a reformist leader is conceded (Poland, October 1956) or, at extreme pressure, the
country leaves the bloc. Interventions cost abroad (US tension, read by ``world``) and at
home (the leader's standing: ``prestige``); China approved the crushing of a
"counter-revolution" (Lüthi 2008, The Sino-Soviet Split).

The ``secret_speech`` pulse and the ``destalinisation_level`` level are defined here;
``repression`` and ``world`` read them too.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import ClassVar

import numpy as np

from ottepel.core.decisions import Lever
from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, EventBatch, State
from ottepel.data import DataError

NAME = "bloc"
STALINIST, REFORMIST, LOYAL = 0.0, 1.0, 2.0

LEVERS = {
    "secret_speech": Lever("pulse", 0.0, 0.0, 1.0, "1",
                           description="a public denunciation of Stalin's crimes (1 = the 1956 Secret Speech)"),
    "destalinisation_level": Lever("level", 0.0, 0.0, 1.0, "1",
                                   description="how far the official course has broken with Stalinism (0 = not at all)"),
    "intervention_doctrine": Lever("level", 1.0, 0.0, 1.0, "1",
                                   description="readiness to use Soviet troops when a satellite regime cracks"),
}


@dataclass(frozen=True)
class Satellites:
    """The packaged satellites (arrays along the satellite axis).

    Attributes:
        code, name, leader_1953: (7,) str.
        stalinist: (7,) bool, leader type in 1953.
        initial_pressure, structural_pressure: (7,) float64, 0..1.
        troops: (7,) float64, Soviet troops, thousand.
        population: (7,) float64, million (1955).
    """

    code: np.ndarray
    name: np.ndarray
    leader_1953: np.ndarray
    stalinist: np.ndarray
    initial_pressure: np.ndarray
    structural_pressure: np.ndarray
    troops: np.ndarray
    population: np.ndarray


@lru_cache(maxsize=1)
def load_satellites() -> Satellites:
    """Read ``satellites.csv``; every row needs a source."""
    with resources.files("ottepel.data").joinpath("satellites.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for i, r in enumerate(rows):
        if not r["source"].strip():
            raise DataError(f"satellites.csv: row {i + 2} has no source; every data row needs one")
        if r["leader_type"] not in ("stalinist", "reformist"):
            raise DataError(f"satellites.csv: row {i + 2}: leader_type must be stalinist or reformist")

    def col(k, t=float):
        return np.array([t(r[k]) for r in rows])

    return Satellites(col("code", str), col("name", str), col("leader_1953", str),
                      col("leader_type", str) == "stalinist", col("initial_pressure"),
                      col("structural_pressure"), col("soviet_troops_thousand"),
                      col("population_mn_1955"))


_K98 = "Kramer 1998, J. Contemporary History 33:163"


class Params(ParamGroup):
    """Popular pressure and Moscow's response in the satellites."""

    RUN_AXIS: ClassVar[bool] = False  # scalar parameters only (see ParamGroup)

    pressure_months: float = param(18.0, 3.0, 48.0, "months", "assumption: hopes and anger fade within a year or two")
    pressure_noise: float = param(0.02, 0.0, 0.1, "1/sqrt(month)", "assumption")
    destal_gain: float = param(0.15, 0.0, 0.5, "1", _K98 + ": the new course and the thaw emboldened critics; assumption for the size")
    speech_gain: float = param(0.3, 0.0, 0.6, "1 per speech", _K98 + ": the speech circulated in Poland and Hungary within weeks; assumption for the size")
    reform_share: float = param(0.4, 0.0, 1.0, "1", "assumption: a reformist leader absorbs part of the shock")
    fear_weight: float = param(0.3, 0.0, 1.0, "1", "assumption: a crushed rising deters the next (GDR after 1953, Hungary after 1956)")
    fear_months: float = param(72.0, 12.0, 240.0, "months", "assumption")
    reform_relief: float = param(0.08, 0.0, 0.3, "1", "assumption: a reformist leader (Gomułka) channels demands")
    contagion: float = param(0.05, 0.0, 0.2, "1 per event", _K98 + ": the Polish October set off the Budapest demonstration of 23 Oct 1956")
    hazard_half: float = param(0.005, 0.0005, 0.05, "1/month", "assumption: an uprising at pressure 0.5 about once in 15 years per country")
    hazard_slope: float = param(10.0, 2.0, 20.0, "1 per unit pressure", "assumption: risings cluster at high pressure")
    deterrence: float = param(0.3, 0.0, 0.8, "1", "assumption: a garrison deters but did not prevent risings (GDR 1953, Hungary 1956)")
    troops_half: float = param(50.0, 5.0, 500.0, "thousand", "assumption")
    participation: float = param(0.01, 0.001, 0.05, "fraction", "assumption: participants per inhabitant at pressure 0.5")
    escalation_pressure: float = param(0.68, 0.4, 0.9, "1", "assumption: above this the regime cracks instead of suppressing (Hungary vs Poznan)")
    intervention_base: float = param(0.3, 0.0, 1.0, "1", "assumption: Moscow intervenes even without a threat to leave the Pact")
    exit_pressure: float = param(0.55, 0.3, 0.9, "1", "assumption: pressure above which leaving the Pact is demanded (Nagy, 1 Nov 1956)")
    defection_pressure: float = param(0.85, 0.5, 1.0, "1", "assumption")
    lethality_local: float = param(0.0002, 0.0, 0.002, "deaths per participant", "events.csv 1956-06-28: 58 killed at Poznan")
    lethality_intervention: float = param(0.01, 0.0, 0.05, "deaths per participant", "events.csv 1956-11-04: about 2,700 Hungarian dead")
    suppression_drop: float = param(0.15, 0.0, 0.5, "1", "assumption")
    fear_after_suppression: float = param(0.3, 0.0, 1.0, "1", "assumption: a rising put down by the country's own forces deters for years")
    fear_after_intervention: float = param(0.7, 0.0, 1.5, "1", "assumption: Hungary stayed quiet after 1956 (Kádár's consolidation)")
    pressure_after_intervention: float = param(0.4, 0.0, 1.0, "fraction kept", "assumption")
    garrison_after_intervention: float = param(60.0, 0.0, 200.0, "thousand", "Kramer 1998: the Southern Group of Forces stayed in Hungary after 1956; order of magnitude")
    defection_chance: float = param(0.5, 0.0, 1.0, "1", "assumption: a regime let go at extreme pressure leaves the Pact half the time")
    concession_drop: float = param(0.2, 0.0, 0.5, "1", "assumption")
    prestige_uprising: float = param(-0.02, -0.2, 0.0, "standing", "assumption: risings were blamed on destalinisation (Taubman 2003)")
    prestige_intervention: float = param(-0.02, -0.2, 0.1, "standing", "assumption")
    prestige_concession: float = param(-0.03, -0.2, 0.0, "standing", "assumption")
    prestige_defection: float = param(-0.3, -1.0, 0.0, "standing", "assumption")


@dataclass(frozen=True)
class BlocState:
    """The satellites ((runs, 7) float64 unless stated).

    Attributes:
        pressure: popular pressure, 0..1.
        leader_type: 0 Stalinist, 1 reformist, 2 loyal (installed after an intervention).
        fear: fear left by suppressions and interventions.
        in_bloc: 1 while in the Warsaw Pact, 0 after leaving it.
        troops: Soviet troops, thousand.
        unrest_last: 1 where an uprising or concession happened last month.
        uprisings, interventions, defections: (runs,) counts this month.
        prestige: (runs,) standing gained (lost) at home this month.
        bloc_stability: (runs,) population-weighted calm of the bloc, 0..1.
    """

    pressure: np.ndarray
    leader_type: np.ndarray
    fear: np.ndarray
    in_bloc: np.ndarray
    troops: np.ndarray
    unrest_last: np.ndarray
    uprisings: np.ndarray
    interventions: np.ndarray
    defections: np.ndarray
    prestige: np.ndarray = field(metadata={"signed": True})
    bloc_stability: np.ndarray


def init(ctx: Context) -> BlocState:
    """Early 1953: every satellite led by a Stalinist, pressures from the data."""
    sat, n = load_satellites(), ctx.n_runs
    k = len(sat.code)

    def tile(x):
        return np.broadcast_to(np.asarray(x, dtype=float), (n, k)).copy()

    zr, z = np.zeros((n, k)), np.zeros(n)
    pressure = tile(sat.initial_pressure)
    return BlocState(pressure, tile(np.where(sat.stalinist, STALINIST, REFORMIST)), zr.copy(),
                     np.ones((n, k)), tile(sat.troops), zr.copy(), z.copy(), z.copy(), z.copy(),
                     z.copy(), stability(pressure, np.ones((n, k)), sat.population))


def stability(pressure: np.ndarray, in_bloc: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Population-weighted calm (1 - pressure) of the satellites still in the bloc."""
    return (population * in_bloc * (1 - pressure)).sum(1) / population.sum()


def uprising_hazard(pressure, troops, in_bloc, p) -> np.ndarray:
    """Monthly probability of an uprising in each satellite."""
    deter = 1 - p.deterrence * troops / (troops + p.troops_half)
    return np.minimum(p.hazard_half * np.exp(p.hazard_slope * (pressure - 0.5)) * deter, 0.5) * in_bloc


def drift(b: BlocState, sat: Satellites, p, speech: float, destal: float, z: np.ndarray) -> np.ndarray:
    """Pressure after a month of drift, the speech shock and contagion (before uprisings)."""
    stal = (b.leader_type == STALINIST).astype(float)
    eq = (sat.structural_pressure + p.destal_gain * destal * stal - p.fear_weight * b.fear
          - p.reform_relief * (b.leader_type == REFORMIST))
    shock = p.speech_gain * speech * (stal + (1 - stal) * p.reform_share)
    others = b.unrest_last.sum(1, keepdims=True) - b.unrest_last
    pr = b.pressure + (eq - b.pressure) / p.pressure_months + shock + p.contagion * others
    return np.clip(pr + p.pressure_noise * z, 0.0, 1.0)


def step(state: State, decisions, params, rng) -> State:
    """One month of pressure, perhaps uprisings, and Moscow's response."""
    p, b, m, sat = params.bloc, state.bloc, state.clock.month, load_satellites()
    k = len(sat.code)
    z = rng.normal(m, "bloc.pressure", (k,))
    u = rng.uniform(m, "bloc.uprising", (k,))
    zs = rng.normal(m, "bloc.size")
    pressure = drift(b, sat, p, decisions.at("secret_speech", m), decisions.at("destalinisation_level", m), z)
    hazard = uprising_hazard(pressure, b.troops, b.in_bloc, p)
    rising = u < hazard
    if not rising.any():
        return state.with_domain(NAME, _respond(b, sat, p, pressure, *(np.zeros_like(rising),) * 5))
    # Given a rising, u / hazard is again uniform: reuse it for the chain of choices.
    v = np.where(rising, u / np.maximum(hazard, 1e-300), 1.0)
    p_esc = 1 / (1 + np.exp(-(pressure - p.escalation_pressure) / 0.05))
    escalate = rising & (v < p_esc)
    w = np.where(escalate, v / np.maximum(p_esc, 1e-300), 1.0)
    exit_threat = np.clip((pressure - p.exit_pressure) / 0.3, 0.0, 1.0)
    p_int = decisions.at("intervention_doctrine", m) * (p.intervention_base + (1 - p.intervention_base) * exit_threat)
    intervene = escalate & (w < p_int)
    let_go = escalate & ~intervene
    defect = let_go & (pressure > p.defection_pressure) & ((w - p_int) / np.maximum(1 - p_int, 1e-300) < p.defection_chance)
    concede = let_go & ~defect
    size = np.where(rising, sat.population * 1000 * p.participation * np.exp(3 * (pressure - 0.5) + 0.5 * zs[:, None]), 0.0)
    local = rising & ~escalate
    killed = np.floor(size * 1000 * np.where(intervene, p.lethality_intervention, p.lethality_local))
    new = _respond(b, sat, p, pressure, rising, local, intervene, concede, defect)
    state = state.with_domain(NAME, new)
    if rising.any():
        state = _emit(state, sat, pressure, size, killed, rising, local, intervene, concede, defect, b, m, decisions)
    return state


def _respond(b, sat, p, pressure, rising, local, intervene, concede, defect) -> BlocState:
    """Apply suppression, intervention, concession or defection to the satellites."""
    fear = b.fear * np.exp(-1.0 / p.fear_months) + p.fear_after_suppression * local + p.fear_after_intervention * intervene
    pressure = np.where(local, pressure - p.suppression_drop, pressure)
    pressure = np.where(intervene, p.pressure_after_intervention * pressure, pressure)
    pressure = np.clip(np.where(concede, pressure - p.concession_drop, pressure), 0.0, 1.0)
    leader = np.where(intervene, LOYAL, np.where(concede, REFORMIST, b.leader_type))
    in_bloc = np.where(defect, 0.0, b.in_bloc)
    troops = np.where(intervene, np.maximum(b.troops, p.garrison_after_intervention), b.troops)
    prestige = (p.prestige_uprising * rising + p.prestige_intervention * intervene
                + p.prestige_concession * concede + p.prestige_defection * defect).sum(1)
    return BlocState(pressure, leader, fear, in_bloc, troops, (rising | concede).astype(float),
                     rising.sum(1).astype(float), intervene.sum(1).astype(float),
                     defect.sum(1).astype(float), prestige, stability(pressure, in_bloc, sat.population))


def _emit(state, sat, pressure, size, killed, rising, local, intervene, concede, defect, b, m, decisions) -> State:
    """Uprising, repression, intervention, concession and defection events with causes."""
    runs, sats = np.nonzero(rising)
    kinds = {0: "Stalinist", 1: "reformist", 2: "loyal"}
    causes = np.array([
        f"pressure {pressure[r, i]:.2f} under a {kinds[int(b.leader_type[r, i])]} leader; "
        f"destalinisation {decisions.at('destalinisation_level', m):.2f}; Soviet troops {b.troops[r, i]:.0f}k"
        for r, i in zip(runs, sats, strict=True)])
    names = sat.name[sats]
    out = [EventBatch("uprising", runs, size[runs, sats], np.char.add("workers and students of ", names), causes)]
    for kind, mask, actor in (("repression", local, "security forces of "),
                              ("intervention", intervene, "Soviet army in "),
                              ("concession", concede, "reformist leadership of "),
                              ("defection", defect, "government of ")):
        sel = mask[runs, sats]
        if sel.any():
            out.append(EventBatch(kind, runs[sel], killed[runs[sel], sats[sel]],
                                  np.char.add(actor, names[sel]), causes[sel]))
    return state.emit(*out)


NATIONAL = {
    "bloc_stability": ("0..1", "monthly", "population-weighted calm of the satellites still in the bloc"),
    "bloc_pressure_max": ("0..1", "monthly", "highest popular pressure in any satellite"),
    "satellites_in_bloc": ("count", "monthly", "satellites still in the Warsaw Pact"),
}


def national(state: State) -> dict[str, np.ndarray]:
    """Bloc aggregates."""
    b = state.bloc
    return {
        "bloc_stability": b.bloc_stability,
        "bloc_pressure_max": (b.pressure * b.in_bloc).max(1),
        "satellites_in_bloc": b.in_bloc.sum(1),
    }
