"""The world: China, the United States, the space race, and gambles such as Cuba.

China relations ``C`` (1 = the alliance of 1950) erode with destalinisation and with
peaceful coexistence, which Beijing read as a betrayal (Lüthi 2008, The Sino-Soviet
Split; Zubok 2007, A Failed Empire)::

    C' = C + (aid_gain * nuclear_aid - destal_erosion * destalinisation
              - coexistence_erosion * max(0, tension_ref - T) - china_drift) / 12
         - speech_hit * secret_speech - summit_hit * summit + sigma_C z

Below ``split_threshold`` a split (the withdrawal of Soviet experts, July 1960) happens
with a hazard growing with the distance below it; after it ``C`` is capped.

US tension ``T`` relaxes toward ``T_eq = tension_base - thaw * destalinisation`` and
jumps with Berlin ultimatums, incidents, interventions in the bloc and crises; summits
lower it.

Space race: capability ``K`` grows with the programme's effort and with each launch.
A launch decision (``space_launch`` = mission tier) succeeds with probability
``logistic((K - difficulty_tier) / 0.3)``; a failed mission is retried the next month
(up to ``max_attempts``), and a mission decided meanwhile waits its turn. Success earns prestige at home, doubled when it beats the
United States to that first (dates in ``US_FIRSTS``).

Cuba (``cuba_missiles``): the deployment is detected before it is operational with
probability ``detect_prob``; undetected, it stands (a gain); detected, a crisis
follows, ending in a negotiated withdrawal (a loss of face at home and in Beijing, then a
thaw), a US climb-down (a gain) or a clash (a large loss). ``prestige_shock`` (runs,)
sums this month's effects on the leader's standing at home (launches, crises, the split,
and the bloc's uprisings and interventions); the politics mechanism reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from ottepel.core.decisions import Lever
from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, EventBatch, State

NAME = "world"

LEVERS = {
    "summit": Lever("pulse", 0.0, 0.0, 1.0, "1", description="a summit or treaty with the West (1 = a full thaw gesture)"),
    "berlin_pressure": Lever("pulse", 0.0, 0.0, 1.0, "1", description="an ultimatum or fait accompli over Berlin"),
    "foreign_incident": Lever("pulse", 0.0, -1.0, 1.0, "1", description="an incident that raises (+) or lowers (-) East-West tension"),
    "cuba_missiles": Lever("pulse", 0.0, 0.0, 1.0, "1", description="deploy nuclear missiles to Cuba (1 = the 1962 deployment)"),
    "space_effort": Lever("level", 0.3, 0.0, 3.0, "index, 1 = the R-7 programme", description="resources given to rockets and space"),
    "space_launch": Lever("pulse", 0.0, 0.0, 5.0, "mission tier", description="attempt a mission: 1 satellite, 2 animal in orbit, 3 lunar probe, 4 manned orbit, 5 multi-crew"),
    "china_nuclear_aid": Lever("level", 0.0, 0.0, 1.0, "1", description="help to China's nuclear weapons programme (1 = the 1957 accord)"),
}

# Mission tiers: (name, difficulty, prestige at home, month the USA first did it).
# US dates: NASA History Office chronologies (Explorer 1, 31 Jan 1958; Enos, Nov 1961;
# Ranger 4 lunar impact, Apr 1962; Glenn, Feb 1962; Gemini 3, Mar 1965).
TIERS = {
    1: ("first artificial satellite", 1.0, 0.08, "1958-02"),
    2: ("animal in orbit", 1.3, 0.04, "1961-11"),
    3: ("lunar probe", 1.8, 0.05, "1962-04"),
    4: ("manned orbital flight", 2.4, 0.12, "1962-02"),
    5: ("multi-crew or woman in orbit", 2.8, 0.05, "1965-03"),
}
US_FIRSTS = {t: np.datetime64(v[3], "M") for t, v in TIERS.items()}

_LU = "Lüthi 2008, The Sino-Soviet Split (Princeton)"
_FU = "Fursenko & Naftali 1997, One Hell of a Gamble"


class Params(ParamGroup):
    """China, the United States, space and gambles."""

    RUN_AXIS: ClassVar[bool] = False  # scalar parameters only (see ParamGroup)

    china_1953: float = param(0.9, 0.6, 1.0, "1", _LU + ": the alliance at its height after the 1950 treaty")
    destal_erosion: float = param(0.05, 0.0, 0.3, "1/yr per unit destalinisation", _LU + ": Mao's objections to the denunciation of Stalin; assumption for the size")
    coexistence_erosion: float = param(0.2, 0.0, 1.0, "1/yr per unit thaw", _LU + ": Beijing saw coexistence as revisionism; assumption for the size")
    china_drift: float = param(0.03, 0.0, 0.15, "1/yr", "Lüthi 2008: China's own radicalisation (Great Leap, 1958); assumption")
    aid_gain: float = param(0.06, 0.0, 0.3, "1/yr", _LU + ": the October 1957 defence-technology accord; assumption")
    speech_hit: float = param(0.1, 0.0, 0.4, "1 per speech", _LU + ": the Secret Speech was not cleared with Beijing; assumption")
    summit_hit: float = param(0.04, 0.0, 0.2, "1 per summit", _LU + ": Camp David 1959 deepened Beijing's distrust; assumption")
    china_noise: float = param(0.01, 0.0, 0.05, "1/sqrt(month)", "assumption")
    split_threshold: float = param(0.4, 0.1, 0.7, "1", "assumption: relations below which Moscow recalls its experts")
    split_rate: float = param(0.15, 0.01, 0.5, "1/month per 0.1 below threshold", "assumption")
    split_drop: float = param(0.15, 0.0, 0.4, "1", "events.csv 1960-07-16: 1,390 experts withdrawn, 257 projects cancelled")
    split_cap: float = param(0.3, 0.0, 0.6, "1", "assumption: relations stay poor after the split")
    experts_withdrawn: float = param(1390.0, 500.0, 2000.0, "persons", "events.csv 1960-07-16")
    tension_1953: float = param(0.7, 0.3, 1.0, "1", "assumption: the Korean War armistice was signed only in July 1953")
    tension_base: float = param(0.65, 0.3, 1.0, "1", "assumption: the Cold War baseline")
    thaw: float = param(0.2, 0.0, 0.5, "1 per unit destalinisation", "assumption: coexistence (20th Congress) lowered tension")
    tension_months: float = param(18.0, 3.0, 60.0, "months", "assumption")
    tension_ref: float = param(0.7, 0.3, 1.0, "1", "assumption: tension at which Beijing saw no betrayal")
    tension_noise: float = param(0.01, 0.0, 0.05, "1/sqrt(month)", "assumption")
    summit_drop: float = param(0.1, 0.0, 0.3, "1 per summit", "assumption")
    berlin_rise: float = param(0.12, 0.0, 0.3, "1", "assumption")
    intervention_rise: float = param(0.1, 0.0, 0.3, "1 per intervention", "assumption: Hungary 1956 ended the 'spirit of Geneva'")
    space_1953: float = param(0.2, 0.0, 1.0, "capability", "assumption: R-5 era rocketry (Siddiqi 2000, Challenge to Apollo)")
    space_learning: float = param(0.3, 0.05, 1.0, "capability per yr at effort 1", "Siddiqi 2000: R-7 decree May 1954 to first success Aug 1957; assumption for the rate")
    launch_learning: float = param(0.08, 0.0, 0.3, "capability per launch", "assumption: each flight teaches (Siddiqi 2000)")
    max_attempts: float = param(6.0, 1.0, 12.0, "attempts", "assumption: a mission is retried for about half a year")
    first_bonus: float = param(2.0, 1.0, 4.0, "1", "assumption: a world first counts double at home")
    manned_failure: float = param(-0.1, -0.5, 0.0, "standing", "assumption: a dead cosmonaut could not be hidden")
    sputnik_alarm: float = param(0.03, 0.0, 0.2, "1", "assumption: the 'missile gap' scare")
    detect_prob: float = param(0.8, 0.3, 1.0, "1", _FU + ": U-2 photographs of 14 Oct 1962 found the sites before most were operational")
    clash_prob: float = param(0.05, 0.0, 0.3, "1", _FU + ": the crisis could have gone to air strikes; assumption")
    climbdown_prob: float = param(0.1, 0.0, 0.5, "1", "assumption: the United States accepts the missiles")
    prestige_cuba_success: float = param(0.1, 0.0, 0.3, "standing", "assumption")
    prestige_cuba_retreat: float = param(-0.12, -0.5, 0.0, "standing", "Taubman 2003: the retreat was held against Khrushchev in October 1964; assumption for the size")
    prestige_cuba_clash: float = param(-0.3, -1.0, 0.0, "standing", "assumption")
    crisis_lesson: float = param(0.2, 0.0, 0.5, "1", "assumption: the hotline and the 1963 test ban after the crisis")
    prestige_split: float = param(-0.05, -0.3, 0.0, "standing", "assumption")
    incident_rise: float = param(0.2, 0.0, 0.5, "1 per unit incident", "assumption: the U-2 affair wrecked the Paris summit (events.csv 1960-05-01)")
    china_intervention_gain: float = param(0.02, 0.0, 0.1, "1 per intervention", _LU + ": Mao urged the second intervention in Hungary")
    china_cuba_retreat: float = param(0.08, 0.0, 0.3, "1", _LU + ": Beijing denounced both adventurism and capitulation in Cuba")
    undetected_rise: float = param(0.1, 0.0, 0.3, "1", "assumption: missiles in place raise tension even without a crisis")


@dataclass(frozen=True)
class WorldState:
    """Relations abroad ((runs,) float64).

    Attributes:
        china_relations: 0..1 (1 = the 1950 alliance).
        china_split: 1 once the experts are withdrawn.
        us_tension: 0..1.
        lesson: lowers the tension baseline after a crisis (decays).
        space_capability: capability units (a tier's difficulty).
        pending_tier: mission being attempted (0 = none).
        queued_tier: mission decided while another was still being attempted (0 = none).
        attempts: attempts made on the pending mission.
        missiles_in_cuba: 1 while missiles stand in Cuba.
        prestige_shock: this month's change of the leader's standing at home.
    """

    china_relations: np.ndarray
    china_split: np.ndarray
    us_tension: np.ndarray
    lesson: np.ndarray
    space_capability: np.ndarray
    pending_tier: np.ndarray
    queued_tier: np.ndarray
    attempts: np.ndarray
    missiles_in_cuba: np.ndarray
    prestige_shock: np.ndarray = field(metadata={"signed": True})


def init(ctx: Context) -> WorldState:
    """March 1953: the Chinese alliance strong, the Korean War not yet over."""
    p, n = ctx.params.world, ctx.n_runs
    z = np.zeros(n)
    return WorldState(np.full(n, p.china_1953), z.copy(), np.full(n, p.tension_1953), z.copy(),
                      np.full(n, p.space_1953), z.copy(), z.copy(), z.copy(), z.copy(), z.copy())


def launch_success_prob(capability: np.ndarray, tier: np.ndarray) -> np.ndarray:
    """Probability a mission of ``tier`` succeeds at ``capability``."""
    diff = np.array([0.0] + [TIERS[t][1] for t in range(1, 6)])[tier.astype(int)]
    return 1.0 / (1.0 + np.exp(-(capability - diff) / 0.3))


def _china(w: WorldState, p, d: dict, bloc, z: np.ndarray, u: np.ndarray):
    """China relations after a month; the split mask."""
    erosion = (p.aid_gain * d["china_nuclear_aid"] - p.destal_erosion * d["destalinisation_level"]
               - p.coexistence_erosion * np.maximum(p.tension_ref - w.us_tension, 0) - p.china_drift) / 12
    c = w.china_relations + erosion - p.speech_hit * d["secret_speech"] - p.summit_hit * d["summit"]
    if bloc is not None:
        c = c + p.china_intervention_gain * bloc.interventions
    c = c + p.china_noise * z
    hazard = p.split_rate * np.maximum(p.split_threshold - c, 0) / 0.1
    split = (w.china_split == 0) & (u < hazard)
    c = np.where(split, c - p.split_drop, c)
    c = np.where((w.china_split > 0) | split, np.minimum(c, p.split_cap), c)
    return np.clip(c, 0.0, 1.0), split


def _tension(w: WorldState, p, d: dict, bloc, z: np.ndarray) -> np.ndarray:
    """US tension after a month (before launches and crises)."""
    eq = p.tension_base - p.thaw * d["destalinisation_level"] - w.lesson
    t = w.us_tension + (eq - w.us_tension) / p.tension_months
    t = t - p.summit_drop * d["summit"] + p.berlin_rise * d["berlin_pressure"] + p.incident_rise * d["foreign_incident"]
    if bloc is not None:
        t = t + p.intervention_rise * bloc.interventions
    return np.clip(t + p.tension_noise * z, 0.0, 1.0)


def _space(w: WorldState, p, d: dict, u: np.ndarray, month: np.datetime64):
    """Capability, the pending mission, and this month's launch outcome."""
    cap = w.space_capability + p.space_learning * d["space_effort"] / 12
    pending, queued, attempts = w.pending_tier, w.queued_tier, w.attempts
    if d["space_launch"] > 0:  # a new mission waits while another is still being tried
        busy = pending > 0
        queued = np.where(busy, d["space_launch"], queued)
        pending = np.where(busy, pending, d["space_launch"])
    trying = pending > 0
    prob = launch_success_prob(cap, pending)
    ok = trying & (u < prob)
    attempts = attempts + trying
    tier = np.where(trying, np.clip(np.rint(pending), 1, 5), 0).astype(int)  # scaled launches: nearest tier
    first = np.array([False] + [month < US_FIRSTS[t] for t in range(1, 6)])[tier]
    gain = np.array([0.0] + [TIERS[t][2] for t in range(1, 6)])[tier] * np.where(first, p.first_bonus, 1.0)
    prestige = np.where(ok, gain, 0.0) + np.where(trying & ~ok & (tier >= 4), p.manned_failure, 0.0)
    cap = cap + p.launch_learning * trying
    done = ok | (attempts >= p.max_attempts)
    pending = np.where(done, queued, pending)
    queued = np.where(done, 0.0, queued)
    return cap, pending, queued, np.where(done, 0.0, attempts), trying, ok, tier, prob, first, prestige


def _cuba(w: WorldState, p, deploy: float, u: np.ndarray):
    """Outcome of a missile deployment: codes 0 none, 1 undetected, 2 retreat, 3 climb-down, 4 clash."""
    n = len(w.us_tension)
    if deploy <= 0:
        return np.zeros(n, dtype=int)
    detected = u[:, 0] < p.detect_prob
    clash = u[:, 1] < p.clash_prob * (1 + w.us_tension)
    climb = ~clash & (u[:, 1] < p.clash_prob * (1 + w.us_tension) + p.climbdown_prob)
    return np.where(~detected, 1, np.where(clash, 4, np.where(climb, 3, 2)))


def step(state: State, decisions, params, rng) -> State:
    """One month of relations with China and the USA, the space race and gambles."""
    p, w, m = params.world, state.world, state.clock.month
    d = {k: decisions.at(k, m) for k in ("china_nuclear_aid", "destalinisation_level", "secret_speech",
                                          "summit", "berlin_pressure", "foreign_incident", "space_effort",
                                          "space_launch", "cuba_missiles")}
    z = rng.normal(m, "world.noise", (2,))
    u = rng.uniform(m, "world.draws", (4,))
    bloc = state.domains.get("bloc")
    china, split = _china(w, p, d, bloc, z[:, 0], u[:, 0])
    tension = _tension(w, p, d, bloc, z[:, 1])
    month = state.context.months[m]
    cap, pending, queued, attempts, trying, ok, tier, prob, first, prestige = _space(w, p, d, u[:, 1], month)
    tension = np.clip(tension + p.sputnik_alarm * (ok & (tier == 1) & first), 0.0, 1.0)
    outcome = _cuba(w, p, d["cuba_missiles"], u[:, 2:])
    cuba_prestige = np.choose(outcome, [0.0, p.prestige_cuba_success, p.prestige_cuba_retreat,
                                        p.prestige_cuba_success, p.prestige_cuba_clash])
    tension = np.where(outcome >= 2, 1.0, np.where(outcome == 1, np.minimum(tension + p.undetected_rise, 1.0), tension))
    china = np.where(outcome == 2, np.maximum(china - p.china_cuba_retreat, 0.0), china)
    lesson = w.lesson * np.exp(-1 / 60) + p.crisis_lesson * (outcome == 2)
    missiles = np.where((outcome == 1) | (outcome == 3), 1.0, w.missiles_in_cuba)
    shock = prestige + cuba_prestige + p.prestige_split * split + (bloc.prestige if bloc is not None else 0.0)
    new = WorldState(china, np.maximum(w.china_split, split), tension, lesson, cap, pending, queued,
                     attempts, missiles, shock)
    state = state.with_domain(NAME, new)
    return _emit(state, split, w, trying, ok, tier, prob, first, cap, outcome, cuba_prestige, p)


def _emit(state, split, w, trying, ok, tier, prob, first, cap, outcome, cuba_prestige, p) -> State:
    """Split, launch and crisis events with their causes."""
    out = []
    if split.any():
        runs = np.flatnonzero(split)
        out.append(EventBatch("split", runs, np.full(len(runs), p.experts_withdrawn), "Khrushchev; Mao",
                              np.array([f"China relations {w.china_relations[k]:.2f} below {p.split_threshold:.2f}"
                                        for k in runs])))
    if trying.any():
        runs = np.flatnonzero(trying)
        causes = [f"{TIERS[tier[k]][0]}: capability {cap[k]:.2f}, p(success) {prob[k]:.2f}, "
                  f"{'success' if ok[k] else 'failure'}{', first ahead of the USA' if ok[k] and first[k] else ''}"
                  for k in runs]
        out.append(EventBatch("launch", runs, (tier * ok)[runs].astype(float), "OKB-1 (Korolev)",
                              np.array(causes)))
    if (outcome > 0).any():
        runs = np.flatnonzero(outcome > 0)
        text = {1: "missiles operational before detection; Washington accepts them",
                2: "missiles detected; quarantine; negotiated withdrawal",
                3: "missiles detected; quarantine; Washington backs down",
                4: "missiles detected; air strikes and a clash at sea"}
        out.append(EventBatch("crisis", runs, cuba_prestige[runs], "Khrushchev; Kennedy; Castro",
                              np.array([f"{text[outcome[k]]}; US tension before {w.us_tension[k]:.2f}" for k in runs])))
    return state.emit(*out) if out else state


NATIONAL = {
    "china_relations": ("0..1", "monthly", "Sino-Soviet relations (1 = the 1950 alliance)"),
    "china_split": ("0/1", "monthly", "1 once Soviet experts are withdrawn from China"),
    "us_tension": ("0..1", "monthly", "Soviet-American tension"),
    "space_capability": ("capability", "monthly", "rocket and space capability (mission difficulty units)"),
    "prestige_shock": ("standing", "monthly", "this month's change of the leader's standing at home from abroad"),
}


def national(state: State) -> dict[str, np.ndarray]:
    """World aggregates."""
    w = state.world
    return {
        "china_relations": w.china_relations,
        "china_split": w.china_split,
        "us_tension": w.us_tension,
        "space_capability": w.space_capability,
        "prestige_shock": w.prestige_shock,
    }
