"""Camps: the Gulag after the 1953 amnesty as stocks and flows, strikes, returnees.

Three stocks (million persons, (runs,) each): political prisoners ``P`` (Article 58,
"counter-revolutionary" sentences), ordinary prisoners ``C`` (criminal articles) in the
camps and colonies, and the special settlers ``S`` (deported peoples and "kulaks").
Each month, with ``r`` the repression index (repression, this month), ``pen`` the lever
``penal_severity``, ``rg`` the effective camp regime and ``clim`` the political climate,

    sev     = floor * pen + (1 - floor) * r                       (repression.severity)
    in_C    = crim_inflow_1953 * sev * exp(noise * z) + recid * W   (courts + the returnee wave re-offending)
    in_P    = pol_inflow_1953 * r
    out_C   = C / term_C(sev) + parole * C + mort * rg * C + amnesty_C
    out_P   = P / pol_term + review * P + mort * rg * P + amnesty_P + pol_amnesty * P
    review  = review_rate * clim + strike_review * (1 - exp(-s))
    clim    = 1 + speech_boost * M + destal_boost * destalinisation_level
    S'      = S - settler_release_rate * clim * S / 12

``W`` is the wave of recent ordinary returnees above the 1953 flow (see below).
``amnesty_C = min(amnesty_mn, eligible * C)``: the March 1953 decree freed short terms and
ordinary offenders; it reached political prisoners only at ``amnesty_political_reach``.
``M`` is the memory of the Secret Speech (a pulse decaying over ``speech_memory``).
Release levers are read per run (``Decisions.at_runs``): a leadership that would not adopt
the sponsor's decision releases less.

Political prisoners' grievance ``g`` relaxes toward a target set by the camp regime and by
the hope of release that Stalin's death and destalinisation raised, less what releases
deliver; an amnesty that frees ordinary prisoners and not them adds a jump (the exclusion):

    g'  = g + (g_regime * rg + g_hope * max(hope - w_rel * rel_P, 0) - g) / tau_g
          + g_excl * max(share_C_amnestied - share_P_amnestied, 0)
    h   = strike_max * logistic((g * phi / phi_1953 - threshold) / width)

``phi = P / (P + C)`` is the politicals' share (their capacity to organise grows when the
ordinary prisoners leave). A strike (Norilsk, Vorkuta, Kengir) is an event; it adds to the
strike pressure ``s`` (decaying over ``strike_memory``), which softens the regime
(``rg = camp_regime * (1 - strike_relax * (1 - exp(-s)))``) and speeds the reviews;
concessions relieve part of the grievance.

Returnees: every release (term end, amnesty, parole, review, settlers struck off the
register) is a returnee. Recent returnees (exponential memory ``returnee_memory``) are
``Rp`` political and ``Rc`` ordinary; ``B`` and ``W`` are their waves above the 1953 flow of
term ends (both stocks start there). Outputs:

    returnee_unease   = unease_per_mn * W                         (crime fears, log points)
    destal_legitimacy = leg_pol * B - leg_crim * W                 (the line's legitimacy)
    returnee_alarm    = alarm_pol * B + alarm_crim * W             (hardliners' alarm)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ottepel.core.decisions import Lever
from ottepel.core.mechanisms import repression
from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, EventBatch, State

NAME = "camps"

LEVERS = {
    "amnesty_mn": Lever("pulse", 0.0, 0.0, 3.0, "million persons",
                        description="prisoners an amnesty decree for ordinary offences releases in its month"),
    "release_rate": Lever("level", 0.0, 0.0, 1.0, "1/yr",
                          description="parole and early release of prisoners (all articles)"),
    "review_rate": Lever("level", 0.0, 0.0, 3.0, "1/yr",
                         description="review of political cases by the procuracy and commissions"),
    "political_amnesty_share": Lever("pulse", 0.0, 0.0, 1.0, "fraction",
                                     description="share of political prisoners an amnesty decree frees in its month"),
    "camp_regime": Lever("level", 1.0, 0.3, 1.5, "index, special-camp regime of 1953 = 1",
                         description="harshness of the camp regime (work day, bars and numbers, letters)"),
    "settler_release_rate": Lever("level", 0.0, 0.0, 2.0, "1/yr",
                                  description="rate at which special settlers are struck off the register"),
}

_GRZ = ("Getty, Rittersporn & Zemskov 1993, AHR 98:1017 (1 Jan 1953: camps 1,727,970 + "
        "colonies 740,554)")
_ZEM = "Zemskov 1991, Sotsiologicheskie issledovaniya 6-7"
_GRA = ("Graziosi 1992, 'The great strikes of 1953 in Soviet labor camps', Cahiers du monde "
        "russe et sovietique 33:419")
_HAR = "Hardy 2016, The Gulag after Stalin, ch. 1"
_DOB = "Dobson 2009, Khrushchev's Cold Summer"


class Params(ParamGroup):
    """Camps, colonies and special settlements after Stalin."""

    RUN_AXIS: ClassVar[bool] = False

    gulag_1953: float = param(2.469, 2.2, 2.7, "million", _GRZ)
    political_share_1953: float = param(0.22, 0.15, 0.3, "fraction", "Dobson review 2016 (JCWS 18:2): some 22% of those detained in 1953 held for counter-revolutionary crimes")
    settlers_1953: float = param(2.7, 2.0, 3.0, "million", "history series special_settlers_mn (Dobson 2016 review); Zemskov 2003, Spetsposelentsy v SSSR")
    criminal_inflow_1953: float = param(0.45, 0.2, 0.8, "million/yr", _ZEM + ": about half a million admissions a year in the early 1950s")
    criminal_floor: float = param(0.5, 0.2, 0.8, "fraction", "assumption: share of admissions (ordinary crime) governed by the criminal law rather than the apparatus")
    term_floor: float = param(0.35, 0.2, 0.8, "fraction", "1958 Fundamentals of Criminal Law: maximum term cut from 25 to 15 years; assumption for the average")
    admission_noise: float = param(0.1, 0.0, 0.3, "1", "assumption: month-to-month variation of convictions")
    political_inflow_1953: float = param(0.03, 0.005, 0.08, "million/yr", "MVD certificate of 11 Dec 1953 (Zemskov 1991): 28,800 convicted for counter-revolutionary crimes in 1952, 8,403 in Jan-Jun 1953")
    political_term: float = param(15.0, 8.0, 25.0, "years", "assumption: Article 58 terms of 10 to 25 years (25 the norm after 1947; Applebaum 2003, Gulag, ch. 23)")
    amnesty_eligible_share: float = param(0.65, 0.3, 0.9, "fraction", "events.csv 1953-03-27: 1.20 mn (other count 1.35 mn) released of about 1.93 mn ordinary prisoners; the decree covered terms up to 5 years and minor offences")
    amnesty_political_reach: float = param(0.03, 0.0, 0.2, "fraction", "events.csv 1953-03-27 (note): political prisoners largely excluded; only counter-revolutionary terms up to 5 years qualified")
    recidivism: float = param(0.15, 0.0, 0.4, "1/yr", _DOB + ", ch. 2: amnestied offenders soon back before the courts; the rate is an assumption")
    returnee_memory: float = param(24.0, 6.0, 60.0, "months", "assumption: returnees count as recent for about two years (Cohen 2010, The Victims Return)")
    mortality_1953: float = param(0.009, 0.003, 0.02, "1/yr", "Zemskov 1991 (via Wikipedia 'Gulag'): camp mortality about 0.9% a year in the early 1950s, 0.4% in 1956")
    grievance_months: float = param(12.0, 3.0, 36.0, "months", "assumption: grievance in the camps builds and fades over about a year (" + _GRA + ")")
    grievance_regime: float = param(0.5, 0.0, 1.5, "grievance per regime unit", _GRA + ": numbers, bars and the ten-hour day of the special camps")
    grievance_hope: float = param(0.6, 0.0, 2.0, "grievance per hope unit", _GRA + ": Stalin's death and Beria's fall raised hopes of release")
    hope_1953: float = param(0.5, 0.0, 1.0, "1", "assumption: the expectation of release after Stalin's death, before any decision")
    hope_release_weight: float = param(3.0, 0.0, 10.0, "hope per (1/yr) of release", "assumption: releases by review fulfil the hope")
    grievance_exclusion: float = param(1.0, 0.0, 3.0, "grievance per unit of exclusion", _GRA + "; Barnes 2011, Death and Redemption, ch. 6: the amnesty freed the criminals and left the politicals")
    strike_max: float = param(0.12, 0.0, 0.5, "1/month", "assumption: at most about one strike a season across the special camps (" + _GRA + ": Norilsk May, Vorkuta July 1953, Kengir May 1954)")
    strike_threshold: float = param(1.2, 0.5, 3.0, "grievance x organisation", "assumption: strikes need both grievance and a critical mass of politicals")
    strike_width: float = param(0.25, 0.05, 1.0, "grievance x organisation", "assumption: spread of the strike threshold across camps")
    strike_relief: float = param(0.3, 0.0, 0.8, "fraction of grievance", _GRA + ": commissions from Moscow granted part of the demands")
    strike_size_k: float = param(12.0, 3.0, 30.0, "thousand prisoners", _GRA + ": about 16,000 at Norilsk, 18,000 at Vorkuta, 5,000-8,000 at Kengir")
    strike_memory: float = param(12.0, 3.0, 36.0, "months", "assumption: the leadership remembers a camp strike for about a year")
    strike_relax: float = param(0.25, 0.0, 0.6, "fraction of regime", _HAR + ": the 1954 relaxation of the regime followed the strikes")
    strike_review: float = param(0.2, 0.0, 1.0, "1/yr", _HAR + "; " + _DOB + ", ch. 2: reviews of political cases sped up after the strikes")
    speech_memory: float = param(24.0, 6.0, 60.0, "months", "assumption: the Secret Speech shapes the commissions' practice for about two years")
    speech_boost: float = param(1.0, 0.0, 3.0, "1 per speech", _DOB + ", ch. 3: the commissions sent after the 20th Congress freed most remaining politicals")
    destal_boost: float = param(1.0, 0.0, 3.0, "1 per destalinisation unit", "assumption: the official course sets how readily reviews end in release")
    unease_per_mn: float = param(0.03, 0.0, 0.2, "log points per million", _DOB + ", ch. 1-2: crime fears after the 1953 amnesty ('the cold summer')")
    legitimacy_political: float = param(3.0, 0.0, 6.0, "1 per million", "Cohen 2010, The Victims Return: rehabilitated returnees as witnesses of the terror")
    legitimacy_criminal: float = param(0.2, 0.0, 2.0, "1 per million", _DOB + ", ch. 2: the crime wave was blamed on the amnesty and on liberalism")
    alarm_political: float = param(1.5, 0.0, 4.0, "1 per million", "Cohen 2010: returnees confronted their accusers; Stalin-era officials feared exposure")
    alarm_criminal: float = param(0.3, 0.0, 2.0, "1 per million", _DOB + ", ch. 2: officials and hardliners blamed the amnesty for disorder")


@dataclass(frozen=True)
class CampsState:
    """Camps, settlements and returnees (all (runs,) float64; stocks in million persons).

    Attributes:
        political_mn, criminal_mn: prisoners in camps and colonies by article.
        settlers_mn: persons on the special settlement register.
        released_mn, political_released_mn: cumulative releases since the start.
        year_released_mn: releases since January of the current year (camps and settlers).
        deaths_mn: cumulative deaths in camps and colonies.
        recent_criminal_mn, recent_political_mn: recent returnees (exponential memory).
        grievance: political prisoners' grievance (index, 0 = none).
        strike_pressure: decayed count of camp strikes.
        strikes: cumulative number of camp strikes.
        regime: effective camp regime (1 = special camps of 1953).
        speech: memory of the Secret Speech (1 right after it).
    """

    political_mn: np.ndarray
    criminal_mn: np.ndarray
    settlers_mn: np.ndarray
    released_mn: np.ndarray
    political_released_mn: np.ndarray
    year_released_mn: np.ndarray
    deaths_mn: np.ndarray
    recent_criminal_mn: np.ndarray
    recent_political_mn: np.ndarray
    grievance: np.ndarray
    strike_pressure: np.ndarray
    strikes: np.ndarray
    regime: np.ndarray
    speech: np.ndarray


def init(ctx: Context) -> CampsState:
    """1 January 1953: the camps and colonies full, grievance at its regime level."""
    p, n = ctx.params.camps, ctx.n_runs
    zero = np.zeros(n)
    pol = p.gulag_1953 * p.political_share_1953
    return CampsState(
        political_mn=np.full(n, pol), criminal_mn=np.full(n, p.gulag_1953 - pol),
        settlers_mn=np.full(n, p.settlers_1953), released_mn=zero.copy(),
        political_released_mn=zero.copy(), year_released_mn=zero.copy(), deaths_mn=zero.copy(),
        recent_criminal_mn=np.full(n, p.criminal_inflow_1953 * p.returnee_memory / 12),
        recent_political_mn=np.full(n, _political_baseline(p)),
        grievance=np.full(n, p.grievance_regime), strike_pressure=zero.copy(),
        strikes=zero.copy(), regime=np.ones(n), speech=zero.copy(),
    )


def criminal_term(sev: np.ndarray, p) -> np.ndarray:
    """Average time served by ordinary prisoners (years); at severity 1 the 1953 stock is steady."""
    c0 = p.gulag_1953 * (1 - p.political_share_1953)
    term_1953 = c0 / max(p.criminal_inflow_1953 - p.mortality_1953 * c0, 1e-6)
    return term_1953 * (p.term_floor + (1 - p.term_floor) * sev)


def excess_criminal_returnees(recent: np.ndarray, p) -> np.ndarray:
    """Recent ordinary returnees above the normal flow of term ends of 1953 (million)."""
    return np.maximum(recent - p.criminal_inflow_1953 * p.returnee_memory / 12, 0.0)


def _political_baseline(p) -> float:
    """Recent political returnees at the 1953 flow of term ends (million)."""
    return p.gulag_1953 * p.political_share_1953 / p.political_term * p.returnee_memory / 12


def excess_political_returnees(recent: np.ndarray, p) -> np.ndarray:
    """Recent political returnees above the 1953 flow of term ends (million)."""
    return np.maximum(recent - _political_baseline(p), 0.0)


def returnee_unease(state: State) -> np.ndarray:
    """(runs,) crime fears from the wave of ordinary returnees, log points (0 without camps)."""
    s = state.domains.get("camps")
    if s is None:
        return np.zeros(state.n_runs)
    p = state.context.params.camps
    return p.unease_per_mn * excess_criminal_returnees(s.recent_criminal_mn, p)


def returnee_alarm(state: State) -> np.ndarray:
    """(runs,) hardliners' alarm at the returns (index, 0 without camps)."""
    s = state.domains.get("camps")
    if s is None:
        return np.zeros(state.n_runs)
    p = state.context.params.camps
    return (p.alarm_political * excess_political_returnees(s.recent_political_mn, p)
            + p.alarm_criminal * excess_criminal_returnees(s.recent_criminal_mn, p))


def strike_hazard(grievance: np.ndarray, phi: np.ndarray, p) -> np.ndarray:
    """Monthly probability of a strike at grievance ``grievance`` and political share ``phi``."""
    x = grievance * phi / p.political_share_1953
    return p.strike_max / (1.0 + np.exp(-(x - p.strike_threshold) / p.strike_width))


def climate(speech: np.ndarray, destal: np.ndarray, p) -> np.ndarray:
    """How readily reviews and the settlement offices release (1 = no destalinisation)."""
    return 1.0 + p.speech_boost * speech + p.destal_boost * destal


def _at(decisions, lever: str, m: int, state: State) -> np.ndarray:
    """Per-run lever value where the schedule supports it (politics' adoption)."""
    if hasattr(decisions, "at_runs"):
        return np.asarray(decisions.at_runs(lever, m, state), dtype=float)
    return np.full(state.n_runs, float(decisions.at(lever, m)))


def step(state: State, decisions, params, rng) -> State:
    """One month of sentences, releases, deaths, grievance, strikes and returns."""
    p, s, m = params.camps, state.camps, state.clock.month
    n = state.n_runs
    rep = state.domains.get("repression")
    r = rep.repression_index if rep is not None else np.ones(n)
    sev = repression.severity(r, decisions.at("penal_severity", m), p)
    z = rng.normal(m, "camps.admissions")
    dec = np.exp(-1.0 / p.returnee_memory)
    speech = s.speech * np.exp(-1.0 / p.speech_memory) + decisions.at("secret_speech", m)
    clim = climate(speech, decisions.at("destalinisation_level", m), p)
    pressure = 1.0 - np.exp(-s.strike_pressure)
    regime = _at(decisions, "camp_regime", m, state) * (1.0 - p.strike_relax * pressure)
    P, C = s.political_mn, s.criminal_mn
    # amnesties (pulses): ordinary prisoners up to the eligible share; politicals barely
    amn_c = np.minimum(_at(decisions, "amnesty_mn", m, state), p.amnesty_eligible_share * C)
    frac_c = amn_c / np.maximum(C, 1e-9)
    frac_p = np.minimum(frac_c / p.amnesty_eligible_share * p.amnesty_political_reach, 1.0)
    frac_p = np.minimum(frac_p + _at(decisions, "political_amnesty_share", m, state), 1.0)
    amn_p = frac_p * P
    # monthly flows (million)
    review = _at(decisions, "review_rate", m, state) * clim + p.strike_review * pressure
    parole = _at(decisions, "release_rate", m, state)
    mort = p.mortality_1953 * regime
    wave = excess_criminal_returnees(s.recent_criminal_mn, p)
    in_c = (p.criminal_inflow_1953 * sev * np.exp(p.admission_noise * z) + p.recidivism * wave) / 12
    in_p = p.political_inflow_1953 * r / 12
    C1, P1 = C - amn_c, P - amn_p
    rel_c = C1 * (1 / criminal_term(sev, p) + parole) / 12
    rel_p = P1 * np.minimum((1 / p.political_term + parole + review) / 12, 1.0)
    die_c, die_p = C1 * mort / 12, P1 * mort / 12
    crim = np.maximum(C1 + in_c - rel_c - die_c, 0.0)
    pol = np.maximum(P1 + in_p - rel_p - die_p, 0.0)
    settled = s.settlers_mn * np.minimum(_at(decisions, "settler_release_rate", m, state) * clim / 12, 1.0)
    out_c, out_p = amn_c + rel_c, amn_p + rel_p
    freed = out_c + out_p + settled
    year_rel = (0.0 if state.clock.month_of_year == 1 else s.year_released_mn) + freed
    # political prisoners' grievance and strikes
    rel_rate = 12 * out_p / np.maximum(P, 1e-9)
    hope = p.hope_1953 + decisions.at("destalinisation_level", m)
    target = p.grievance_regime * regime + p.grievance_hope * np.maximum(hope - p.hope_release_weight * rel_rate, 0.0)
    g = s.grievance + (target - s.grievance) / p.grievance_months
    g = g + p.grievance_exclusion * np.maximum(frac_c - frac_p, 0.0)
    phi = pol / np.maximum(pol + crim, 1e-9)
    hz = strike_hazard(g, phi, p)
    strike = (rng.uniform(m, "camps.strike") < hz) & (pol > 0.005)
    g = np.where(strike, g * (1 - p.strike_relief), g)
    new = CampsState(
        political_mn=pol, criminal_mn=crim, settlers_mn=s.settlers_mn - settled,
        released_mn=s.released_mn + freed, political_released_mn=s.political_released_mn + out_p,
        year_released_mn=year_rel, deaths_mn=s.deaths_mn + die_c + die_p,
        recent_criminal_mn=s.recent_criminal_mn * dec + out_c,
        recent_political_mn=s.recent_political_mn * dec + out_p,
        grievance=g,
        strike_pressure=s.strike_pressure * np.exp(-1.0 / p.strike_memory) + strike,
        strikes=s.strikes + strike, regime=regime, speech=speech,
    )
    state = state.with_domain(NAME, new)
    return _events(state, decisions, m, strike, g, phi, regime, amn_c, amn_p, pol, p)


def _events(state, decisions, m, strike, g, phi, regime, amn_c, amn_p, pol, p) -> State:
    if strike.any():
        runs = np.flatnonzero(strike)
        size = np.minimum(p.strike_size_k, 1000 * pol[runs] * 0.25)
        causes = [f"grievance {g[k]:.2f}; political share {phi[k]:.2f}; regime {regime[k]:.2f}"
                  for k in runs]
        state = state.emit(EventBatch("camp_strike", runs, size, "political prisoners", causes))
    if decisions.at("amnesty_mn", m) > 0 or decisions.at("political_amnesty_share", m) > 0:
        state = state.emit(EventBatch(
            "amnesty", np.arange(state.n_runs), amn_c + amn_p, "Presidium of the Supreme Soviet",
            [f"ordinary {a:.2f} mn, political {b:.3f} mn" for a, b in zip(amn_c, amn_p, strict=True)]))
    return state


NATIONAL = {
    "gulag_population_mn": ("million", "monthly", "prisoners in Gulag camps and colonies"),
    "political_prisoners_mn": ("million", "monthly", "prisoners held for counter-revolutionary (political) crimes"),
    "criminal_prisoners_mn": ("million", "monthly", "prisoners held under ordinary criminal articles"),
    "special_settlers_mn": ("million", "monthly", "persons in special settlements"),
    "released_cumulative_mn": ("million", "monthly", "released from camps and settlements since the start"),
    "political_released_cumulative_mn": ("million", "monthly", "political prisoners released since the start"),
    "returnees_year_mn": ("million", "monthly", "released since January of the year (December: the year's returnees)"),
    "camp_deaths_cumulative_mn": ("million", "monthly", "deaths in camps and colonies since the start"),
    "camp_strikes": ("count", "monthly", "camp strikes since the start"),
    "camp_grievance": ("index", "monthly", "grievance of the political prisoners"),
    "camp_regime": ("special camps 1953 = 1", "monthly", "effective harshness of the camp regime"),
    "returnee_unease": ("log points", "monthly", "crime fears from recent returnees (a grievance term for society)"),
    "destal_legitimacy": ("index", "monthly", "what returnees do to the legitimacy of the destalinisation line"),
    "returnee_alarm": ("index", "monthly", "what the returns cost Stalin-era officials and hardliners"),
}


def national(state: State) -> dict[str, np.ndarray]:
    """Stocks, releases, strikes and the returnees' effects."""
    s, p = state.camps, state.context.params.camps
    wave = excess_criminal_returnees(s.recent_criminal_mn, p)
    back = excess_political_returnees(s.recent_political_mn, p)
    return {
        "gulag_population_mn": s.political_mn + s.criminal_mn,
        "political_prisoners_mn": s.political_mn,
        "criminal_prisoners_mn": s.criminal_mn,
        "special_settlers_mn": s.settlers_mn,
        "released_cumulative_mn": s.released_mn,
        "political_released_cumulative_mn": s.political_released_mn,
        "returnees_year_mn": s.year_released_mn,
        "camp_deaths_cumulative_mn": s.deaths_mn,
        "camp_strikes": s.strikes,
        "camp_grievance": s.grievance,
        "camp_regime": s.regime,
        "returnee_unease": returnee_unease(state),
        "destal_legitimacy": p.legitimacy_political * back - p.legitimacy_criminal * wave,
        "returnee_alarm": returnee_alarm(state),
    }


