"""Politics: the Presidium, the Central Committee and the struggle for power.

State (``PoliticsState``): about 20 named leaders (``leaders.csv``) with a status, a
Presidium seat, offices (First Secretary, Premier, security chief, Defence Minister, head
of state, Gosplan; a (runs, 6) array of leader ids, -1 for an official the model does not
name), prestige, grudges and policy grievances; the Central Committee as up to 195 member
agents (``cc.py``); destalinisation, the violence norm that decides the fate of losers, and
the plotters' belief that the CC, not the Presidium, decides.

Each month (``step``):

1. destalinisation levers move the Stalin-era leaders' legitimacy, the hardliners'
   grievance and the violence norm; the sovnarkhoz reform, troop cuts, cadre rotation and
   the party's bifurcation raise the grievances of the CC groups they hurt;
2. prestige decays and is credited with outcomes: the harvest against expectation (each
   October) to the First Secretary who runs agriculture, optional world prestige shocks;
3. the CC: congresses re-elect it, the First Secretary replaces regional secretaries
   (the circular flow of power, Daniels 1971);
4. the struggle (``struggle.py``) in free mode, or the dated record (``political_record.csv``)
   in pinned mode; then vacant offices and Presidium seats are filled;
5. ``adoption``: for each decision sponsor, how far the leader in charge of this run would
   carry out his decisions (1 if the sponsor is First Secretary or Premier; otherwise the
   stance similarity of the leader in charge); ``Decisions.at_runs`` reads it.

Optional couplings (read with ``state.domains.get``, absent domains are ignored):
``state.society.grievance_national`` (runs,) standing units, added to every CC group's
grievance toward the First Secretary; ``state.world.prestige_shock`` (runs,) standing units
per month, credited to the First Secretary (Sputnik +, Cuba -).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace
from typing import ClassVar

import numpy as np

from ottepel.core.decisions import Lever
from ottepel.core.mechanisms import cc as ccm
from ottepel.core.mechanisms import moves as mv
from ottepel.core.mechanisms import struggle as st
from ottepel.core.mechanisms.camps import returnee_alarm
from ottepel.core.mechanisms.leaders import (
    ACTIVE,
    ARRESTED,
    DEFENCE,
    DEMOTED,
    EXECUTED,
    FS,
    MEMBER_TYPES,
    MIL,
    MIN,
    NONE,
    OFFICES,
    OTH,
    PREMIER,
    REG,
    RETIRED,
    SECURITY,
    cc_composition,
    load_leaders,
    political_record,
)
from ottepel.core.params import ParamGroup, param
from ottepel.core.state import Context, EventBatch, State

NAME = "politics"

_EV = "events.csv "
# Levers of this mechanism. Destalinisation itself is read from the shared levers of the
# bloc and repression mechanisms: ``destalinisation_level`` (level 0..1, the official
# course), ``secret_speech`` (pulse) and ``secret_police_cut`` (fraction of 1953 strength);
# decentralisation from the planning mechanism's ``sovnarkhoz_reform`` (level 0/1).
LEVERS = {
    "regional_secretary_turnover": Lever("level", 0.10, 0.0, 0.8, "fraction per year",
                                         description="share of regional party secretaries the First Secretary replaces each year"),
    "cadre_rotation_rule": Lever("level", 0.0, 0.0, 1.0, "0/1",
                                 description="party rule forcing the renewal of committees at each election"),
    "party_bifurcation": Lever("level", 0.0, 0.0, 1.0, "0/1",
                               description="party committees split into industrial and agricultural branches"),
}
SHARED_LEVERS = ("destalinisation_level", "secret_speech", "secret_police_cut", "sovnarkhoz_reform")

_T = "Taubman 2003"
_TO = "Tompson 1995"
_SV = "Svolik 2012 (The Politics of Authoritarian Rule) ch. 3"
_BDM = "Bueno de Mesquita et al. 2003 (The Logic of Political Survival)"
_A = "assumption, set by reasoning (docs/odd/politics.md)"


class Params(ParamGroup):
    """The struggle for power (units: 'standing' is the model's unit of political weight)."""

    RUN_AXIS: ClassVar[bool] = False  # leader and CC tables index by scalar parameters

    power_presidium_seat: float = param(0.2, 0.0, 1.0, "standing", _A + ": a Presidium seat alone carries little weight")
    power_office: float = param(1.0, 0.2, 3.0, "standing per office weight", _T + ", " + _TO + ": offices ranked FS > Premier > security > defence")
    power_clients: float = param(2.0, 0.5, 5.0, "standing per CC share", "Daniels 1971: the CC majority is the First Secretary's base")
    power_coercion: float = param(0.8, 0.0, 3.0, "standing per force unit", _SV + ": control of coercion")
    power_prestige: float = param(0.8, 0.0, 3.0, "standing per prestige unit", _A)
    power_legitimacy: float = param(0.5, 0.0, 2.0, "standing", _A + ": closeness to Stalin counted until destalinisation turned it into complicity")
    security_weight: float = param(0.8, 0.2, 2.0, "1", "Knight 1993: the MVD had its own troops in Moscow in 1953")
    threat_share: float = param(1.5, 0.0, 10.0, "1/share", _SV + ": allies fear a leader who outgrows the others")
    threat_growth: float = param(4.0, 0.0, 15.0, "1/share", _SV + ": allies strike while the leader's power is still growing")
    threat_danger: float = param(1.0, 0.0, 3.0, "1/force unit", _SV + ": a leader with coercion and ambition is the most dangerous")
    hostility_stance: float = param(0.8, 0.0, 3.0, "1", _A + ": policy distance breeds opposition")
    hostility_tie: float = param(1.0, 0.0, 3.0, "1", _A + ": pre-1953 ties restrain")
    client_loyalty: float = param(1.2, 0.0, 3.0, "1", _BDM + ": clients owe their posts to the patron")
    follow_patron: float = param(0.8, 0.0, 1.0, "1", "Daniels 1971: clients move with their patron")
    envy: float = param(0.6, 0.0, 2.0, "1/office weight", _A + ": ambition covets the offices others hold")
    mood: float = param(0.4, 0.0, 2.0, "1/grievance unit", _SV + ": plotters exploit the selectorate's discontent")
    policy_grievance_weight: float = param(1.0, 0.0, 3.0, "1", _A)
    restraint: float = param(0.9, 0.0, 3.0, "standing", _T + " ch. 11: after Stalin the leaders feared a new dictator and avoided open fights")
    mood_noise: float = param(0.3, 0.0, 1.0, "standing", _A + ": month-to-month moods of each leader")
    rivalry: float = param(0.35, 0.0, 2.0, "standing per ambition", _T + " ch. 11: Khrushchev and Malenkov, the two strongest, contested primacy in 1953-55")
    taint_grudge: float = param(0.25, 0.0, 2.0, "standing per tie", "seed 001: Malenkov suspected of colluding with Beria")
    gratitude: float = param(0.5, 0.0, 2.0, "standing", _BDM + ": an appointment buys the appointee's loyalty")
    army_danger: float = param(0.4, 0.0, 1.0, "1", "Knight 1993; Kolkowicz 1967: the security police were feared as a rival power, the army less so")
    review_months: float = param(3.0, 1.0, 12.0, "months", _A + ": each leader reassesses the balance of power about quarterly; a plot under way is reviewed monthly")
    follow_strongest: float = param(0.5, 0.0, 1.0, "1", _BDM + ": members side with the likely winner")
    policy_grudge: float = param(0.8, 0.0, 3.0, "standing per policy unit", _T + " ch. 11: the heavy-industry lobby against Malenkov's new course")
    pact: float = param(1.0, 0.0, 3.0, "standing", _A + ": those who install a leader back him for a while")
    grudge_halflife: float = param(60.0, 12.0, 240.0, "months", _A)
    barred_months: float = param(36.0, 0.0, 120.0, "months", _A + ": a demoted leader is not given office again soon")
    initiative_min: float = param(0.2, 0.0, 1.0, "standing", _A + ": someone ambitious must lead the plot")
    belief_threshold: float = param(0.55, 0.3, 0.9, "probability", _A + ": a coalition moves when it believes it wins")
    belief_risk: float = param(0.15, 0.0, 0.5, "probability", _A + ": more caution when losers are shot")
    presidium_vote_scale: float = param(0.6, 0.2, 2.0, "votes", _A + ": uncertainty about waverers in a Presidium count")
    surprise: float = param(4.0, 1.0, 8.0, "1", "events.csv 1953-06-26: Beria seized at a Presidium meeting, his troops not alerted")
    arrest_force_min: float = param(0.3, 0.0, 1.0, "force unit", _A + ": arrest is the move against a leader with coercion")
    arrest_norm_min: float = param(0.45, 0.0, 1.0, "norm", _A + ": arrests need a violence norm still near Stalin's")
    prep_months: float = param(2.0, 1.0, 6.0, "months", "events.csv: Stalin died 1953-03-05, Beria arrested 1953-06-26 after weeks of canvassing")
    fire_prob: float = param(0.5, 0.1, 1.0, "1/month", _A)
    detect_base: float = param(0.01, 0.0, 0.2, "1/month", _A)
    detect_security: float = param(0.015, 0.0, 0.5, "1/month per force unit", "Knight 1993: the security chief's informers")
    waver: float = param(0.15, 0.0, 0.5, "probability", "notes.md: accounts of June 1957 give 7-4, 8-3 or 6-4")
    arbiter_prior: float = param(0.3, 0.0, 1.0, "probability", _T + " ch. 13: in 1957 the majority expected the Presidium to decide, as in 1955")
    cc_estimate_sd: float = param(0.06, 0.01, 0.3, "vote share", _A + ": plotters misjudge the CC")
    cc_patron_loyalty: float = param(1.2, 0.0, 3.0, "utility", "Daniels 1971; " + _BDM)
    cc_subpatron_loyalty: float = param(0.6, 0.0, 2.0, "utility", _A + ": loyalty to the patron's patron")
    cc_incumbency: float = param(0.6, 0.0, 2.0, "utility", _A + ": the First Secretary controls members' careers")
    cc_grievance_weight: float = param(0.8, 0.0, 3.0, "utility per grievance unit", "CIA 1976 (The CPSU under Brezhnev II): career insecurity turned the apparatus against Khrushchev")
    cc_stance_weight: float = param(0.5, 0.0, 2.0, "utility per stance unit", _A)
    cc_prestige_weight: float = param(0.8, 0.0, 3.0, "utility per prestige unit", _A)
    cc_army_help: float = param(0.4, 0.0, 2.0, "utility", "events.csv 1957-06-22: Zhukov and Serov bring members to Moscow")
    cc_vote_scale: float = param(0.6, 0.1, 2.0, "utility", _A + ": logit scale of a member's vote")
    cc_offset_sd: float = param(0.4, 0.0, 1.5, "grievance units", _A + ": personal grievances")
    cc_plenum_shock: float = param(0.3, 0.0, 1.0, "utility", _A + ": the mood of the plenum")
    cc_bandwagon: float = param(3.0, 0.0, 10.0, "utility per vote share", "notes.md: the June 1957 resolution passed with one abstention")
    cc_retention: float = param(0.65, 0.3, 0.95, "probability", "Gehlen & McBride 1968: about half of each new CC were new members (low confidence)")
    patron_fs: float = param(0.55, 0.0, 1.0, "probability", "Daniels 1971: the First Secretary's appointments")
    patron_fs_clients: float = param(0.2, 0.0, 0.5, "probability", _TO + " ch. 6: Kirichenko, Brezhnev and Kozlov ran cadres")
    patron_presidium: float = param(0.15, 0.0, 0.5, "probability", _A)
    patron_office: float = param(0.4, 0.0, 1.0, "probability", _A + ": ministers named by the Premier, marshals by the Defence Minister")
    turnover_bias: float = param(0.5, 0.0, 0.9, "1", "Daniels 1971: rivals' men are replaced first")
    grievance_halflife: float = param(30.0, 6.0, 120.0, "months", _A)
    grievance_turnover: float = param(0.8, 0.0, 3.0, "grievance per (fraction/yr)", "CIA 1976: personnel shake-ups bred career insecurity")
    grievance_rotation: float = param(0.5, 0.0, 3.0, "grievance/yr", "CIA 1976: the 1961 statute requiring periodic turnover")
    grievance_bifurcation: float = param(0.9, 0.0, 3.0, "grievance/yr", "events.csv 1962-11-19; " + _T + " ch. 19")
    sovnarkhoz_share: float = param(0.4, 0.0, 1.0, "fraction", "events.csv 1957-05-10: most industrial ministries abolished, their chiefs sent to the regional councils")
    grievance_sovnarkhoz: float = param(1.5, 0.0, 4.0, "grievance", "events.csv 1957-05-10: the ministries abolished; seed 003")
    grievance_defence_cut: float = param(0.15, 0.0, 1.0, "grievance per point of output", "events.csv 1960-01-15: the officers' anger at troop cuts (" + _T + " ch. 17)")
    grievance_harvest: float = param(3.0, 0.0, 10.0, "grievance per log shortfall", _A + ": regional secretaries answer for procurement")
    grievance_destal: float = param(1.5, 0.0, 4.0, "grievance per destalinisation unit", "seed 004: the Secret Speech alienated the conservatives")
    grievance_destal_leader: float = param(2.0, 0.0, 5.0, "grievance per destalinisation unit", "seed 004; notes.md: Molotov and Kaganovich in the 1957 majority")
    grievance_policy_leader: float = param(1.0, 0.0, 3.0, "1", _A + ": leaders share the grievance of the CC group that is their base")
    violence_norm_1953: float = param(0.9, 0.5, 1.0, "norm", "events.csv 1953-12-23: Beria and six associates shot")
    norm_destal: float = param(1.0, 0.0, 2.0, "norm per destalinisation unit", "events.csv 1957-06-22, 1964-10-14: the losers were demoted and pensioned, not shot")
    norm_police: float = param(0.3, 0.0, 1.0, "norm per fraction cut", _A)
    norm_min: float = param(0.03, 0.0, 0.3, "norm", _A)
    destal_speech: float = param(0.35, 0.0, 0.8, "destalinisation units", "events.csv 1956-02-25: the shock of the Secret Speech beyond the change of course")
    destal_shock_halflife: float = param(36.0, 6.0, 120.0, "months", _A)
    trial_delay: float = param(6.0, 1.0, 12.0, "months", "events.csv 1953-06-26 to 1953-12-23")
    prestige_halflife: float = param(36.0, 6.0, 120.0, "months", _A)
    prestige_harvest: float = param(1.5, 0.0, 5.0, "prestige per log(harvest/expectation)", "seed 002: the early virgin-lands success rallied the party behind Khrushchev")
    harvest_expectation_1953: float = param(84.0, 60.0, 110.0, "million t", "series.csv grain_harvest_mt 1950-52 (official)")
    expectation_adapt: float = param(0.3, 0.0, 1.0, "1/yr", _A)
    expectation_growth: float = param(0.03, 0.0, 0.08, "1/yr", _A + ": the plans promised steady growth")
    prestige_taint: float = param(0.5, 0.0, 2.0, "prestige per tie", "seed 001: Malenkov suspected of a duopoly with Beria")
    prestige_plenum_win: float = param(0.3, 0.0, 1.0, "prestige", _A)
    grudge_marked: float = param(1.5, 0.0, 3.0, "standing", _TO + " ch. 7: Bulganin, Pervukhin and Saburov demoted in 1957-58 after siding with the majority")
    retaliation_core: float = param(4.0, 1.0, 8.0, "leaders", "events.csv 1957-06-22: four expelled at once")
    presidium_size: float = param(11.0, 7.0, 16.0, "members", "events.csv 1953-03-05 (10 members) and notes.md (11 in 1957)")
    vacancy_fill: float = param(0.15, 0.0, 1.0, "1/month", "standard chronology: Beria's seat refilled only in July 1955")
    seniority_age: float = param(42.0, 30.0, 55.0, "years", _A + ": no Presidium seat before the early forties")
    appoint_affinity: float = param(1.5, 0.0, 5.0, "1", _BDM + ": the appointer's men first")
    appoint_noise: float = param(0.5, 0.0, 2.0, "1", _A)
    appoint_outsider: float = param(0.5, 0.01, 5.0, "weight", _A + ": posts given to officials the model does not name")
    accumulation: float = param(1.0, 0.0, 2.0, "1", _A + ": an ambitious, dominant First Secretary takes the premiership")
    repudiation: float = param(0.8, 0.0, 1.0, "fraction", "Tompson 1995 ch. 10: the November 1964 plenum undid the party's bifurcation; the successors rolled back Khrushchev's schemes")
    adoption_distance: float = param(2.0, 0.5, 4.0, "stance units", _A + ": at this stance distance a leader drops his predecessor's policy")
    mortality_60: float = param(0.006, 0.0, 0.05, "1/yr", "assumption: the Kremlin elite lived long (of these 19 men, none died in 1953-64 and five in 1965-75)")
    mortality_slope: float = param(0.085, 0.0, 0.15, "1/yr of age", "Gompertz slope of adult human mortality")


@dataclass(frozen=True)
class PoliticsState:
    """The political system (run axis first; L leaders, O offices, S CC slots, T types).

    Attributes:
        status: (runs, L) int, index into ``leaders.STATUS``.
        presidium: (runs, L) bool, full member of the Presidium.
        offices: (runs, O) int, leader id holding each office (-1 an unnamed official).
        leader_patron: (runs, L) int, each leader's patron (-1 none).
        prestige: (runs, L) float, standing units, signed.
        standing, share_ema: (runs, L) float, power (standing units) and the 12-month EMA of
            its share. The property ``power`` is the share (0..1), ``first_secretary`` the
            First Secretary's id and ``leaders`` the names: the fields ``ottepel.interfaces.play``
            reads by duck typing.
        grudge: (runs, L, L) float, grudge[i, j]: j's grudge against i (standing, signed:
            negative is gratitude or a pact).
        policy_grievance: (runs, L) float, each leader's grievance at the FS's policies.
        destalinisation: (runs,) float, 0..1, the official course (lever destalinisation_level
            as this run's leadership applies it); destal_shock: its recent change, decaying.
        violence_norm: (runs,) float, 1 = losers are shot, 0 = pensioned.
        arbiter: (runs,) float, plotters' belief that the CC (not the Presidium) decides.
        harvest_expectation: (runs,) float, million t.
        grievance: (runs, T) float, CC grievance toward the FS by member type.
        plot_target, plot_months, plot_initiator: (runs,) int, the plot being prepared.
        trial_month, death_month: (runs, L) int, month index (-1 none).
        barred_until: (runs, L) int, month until which a demoted leader gets no office.
        repudiated: (runs, L) bool, removed by a CC plenum (his policies are rolled back).
        sovnarkhoz_done: (runs,) bool; defence_prev: (runs,) float, last month's defence share.
        adoption: (runs, sponsors) float, 0..1 (see ``Decisions.at_runs``).
        cc_type, cc_patron, cc_region: (runs, S) int; cc_stance, cc_offset: (runs, S) float.
        cc_size: (runs,) int; clients: (runs, L + 1, T) float, members by patron and type.
        cc_type_counts: (runs, T) float, members of each type (changes at congresses and with
            the 1957 decentralisation).
        mil_clients, sec_clients: (runs, L) float, each leader's share of the military and
            security members (updated when those groups change: congresses).
        congress: index of the congress in force (``cc_composition()`` row).
    """

    status: np.ndarray
    presidium: np.ndarray
    offices: np.ndarray
    leader_patron: np.ndarray
    prestige: np.ndarray = field(metadata={"signed": True})
    standing: np.ndarray = field(default=None)
    share_ema: np.ndarray = field(default=None)
    grudge: np.ndarray = field(default=None, metadata={"signed": True})
    policy_grievance: np.ndarray = field(default=None)
    destalinisation: np.ndarray = field(default=None)
    destal_shock: np.ndarray = field(default=None)
    violence_norm: np.ndarray = field(default=None)
    arbiter: np.ndarray = field(default=None)
    harvest_expectation: np.ndarray = field(default=None)
    grievance: np.ndarray = field(default=None)
    plot_target: np.ndarray = field(default=None)
    plot_months: np.ndarray = field(default=None)
    plot_initiator: np.ndarray = field(default=None)
    trial_month: np.ndarray = field(default=None)
    death_month: np.ndarray = field(default=None)
    barred_until: np.ndarray = field(default=None)
    repudiated: np.ndarray = field(default=None)
    sovnarkhoz_done: np.ndarray = field(default=None)
    defence_prev: np.ndarray = field(default=None)
    adoption: np.ndarray = field(default=None)
    cc_type: np.ndarray = field(default=None)
    cc_patron: np.ndarray = field(default=None)
    cc_region: np.ndarray = field(default=None)
    cc_stance: np.ndarray = field(default=None, metadata={"signed": True})
    cc_offset: np.ndarray = field(default=None, metadata={"signed": True})
    cc_size: np.ndarray = field(default=None)
    clients: np.ndarray = field(default=None)
    cc_type_counts: np.ndarray = field(default=None)
    mil_clients: np.ndarray = field(default=None)
    sec_clients: np.ndarray = field(default=None)
    congress: int = 0

    @property
    def power(self) -> np.ndarray:
        """(runs, L) each leader's share of the leaders' power (0..1)."""
        return self.standing / np.maximum(self.standing.sum(1, keepdims=True), 1e-9)

    @property
    def first_secretary(self) -> np.ndarray:
        """(runs,) the First Secretary's leader id (-1 an unnamed official)."""
        return self.offices[:, FS]

    @property
    def leaders(self) -> tuple[str, ...]:
        """Leader names in the order of the leader axis."""
        return tuple(str(n) for n in load_leaders().name)

    @property
    def cc(self) -> dict:
        """The CC member arrays as a dict (type, patron, stance, offset, region)."""
        return {"type": self.cc_type, "patron": self.cc_patron, "stance": self.cc_stance,
                "offset": self.cc_offset, "region": self.cc_region}


def init(ctx: Context) -> PoliticsState:
    """March 1953: the offices of 5 March, the 19th-congress CC, no plots."""
    lt = load_leaders()
    p = ctx.params.politics
    n, n_l = ctx.n_runs, lt.n
    slots = ccm.slots_for(ctx.months)
    members = ccm.initial_members(n, ctx.regions, ctx.rng, slots, ctx.months[0])
    counts = ccm.client_counts(members["type"], members["patron"], n_l)
    status = np.zeros((n, n_l), dtype=np.int64)
    presidium = np.broadcast_to(lt.presidium_1953, (n, n_l)).copy()
    offices = np.broadcast_to(lt.offices_1953, (n, len(OFFICES))).copy()
    prestige = np.broadcast_to(lt.prestige, (n, n_l)).copy()
    zero = np.zeros(n)
    coercion = ccm.security_military_counts(counts)
    power, _, _ = st.leader_power(status, presidium, offices, counts, coercion, prestige, zero,
                                  zero, zero, p)
    share = power / power.sum(1, keepdims=True)
    defence = ctx.decisions.values.get("defence_share")
    return PoliticsState(
        status=status, presidium=presidium, offices=offices,
        leader_patron=np.broadcast_to(lt.patron, (n, n_l)).copy(), prestige=prestige,
        standing=power, share_ema=share, grudge=np.zeros((n, n_l, n_l)),
        policy_grievance=np.zeros((n, n_l)), destalinisation=zero.copy(),
        destal_shock=zero.copy(), violence_norm=np.full(n, p.violence_norm_1953),
        arbiter=np.full(n, p.arbiter_prior), harvest_expectation=np.full(n, p.harvest_expectation_1953),
        grievance=np.zeros((n, len(MEMBER_TYPES))), plot_target=np.full(n, -1),
        plot_months=np.zeros(n, dtype=np.int64), plot_initiator=np.full(n, -1),
        trial_month=np.full((n, n_l), -1), death_month=np.full((n, n_l), -1),
        barred_until=np.full((n, n_l), -1), repudiated=np.zeros((n, n_l), bool),
        sovnarkhoz_done=np.zeros(n, bool),
        defence_prev=np.full(n, float(defence[0]) if defence is not None else 0.12),
        adoption=np.ones((n, len(ctx.decisions.sponsors))),
        cc_type=members["type"], cc_patron=members["patron"], cc_region=members["region"],
        cc_stance=members["stance"], cc_offset=members["offset"],
        cc_size=(members["type"] >= 0).sum(1), clients=counts,
        mil_clients=coercion[0], sec_clients=coercion[1], cc_type_counts=counts.sum(1),
        congress=ccm.congress_index(ctx.months[0]),
    )


# Economic levers whose decisions make enemies: (stance axis, direction, one unit of change).
# A decision moving a lever toward more consumer goods angers the heavy-industry men and
# the reverse (Taubman 2003 ch. 11-12: Malenkov's new course, the 1955 reversal, troop cuts).
POLICY_AXES = {
    "invest_share_group_b": ("consumer", 1.0, 0.03),
    "invest_share_group_a": ("consumer", -1.0, 0.03),
    "defence_share": ("consumer", -1.0, 0.02),
}
_POLICY_CACHE: dict = {}


def _policy_moves(decisions) -> dict[int, list[tuple[int, int, str, float]]]:
    """Month -> [(sponsor leader id, sponsor column, axis, signed size)] of enemy-making decisions."""
    # Keyed by id but holding the object too: a freed Decisions' id can be reused by a new
    # one, so a hit counts only if it is the very same object.
    key = id(decisions)
    hit = _POLICY_CACHE.get(key)
    if hit is not None and hit[0] is decisions:
        return hit[1]
    lt = load_leaders()
    ids = lt.ids_of(list(decisions.sponsors))
    out: dict[int, list] = {}
    for d in decisions.schedule:
        if d.lever not in POLICY_AXES or d.sponsor not in ids:
            continue
        axis, sign, unit = POLICY_AXES[d.lever]
        _, base = decisions.sponsor_tables[d.lever]
        delta = float(np.sum(decisions.values[d.lever][d.month] - base[d.month]))
        out.setdefault(d.month, []).append(
            (ids[d.sponsor], decisions.sponsors.index(d.sponsor), axis, sign * delta / unit))
    if len(_POLICY_CACHE) > 64:  # bounded: one entry per live Decisions is enough
        _POLICY_CACHE.clear()
    _POLICY_CACHE[key] = (decisions, out)
    return out


def _policy_grudges(w: mv.Work, state: State, decisions, p) -> None:
    """Decisions that move policy make enemies of leaders with the opposite stance."""
    lt = load_leaders()
    m = state.clock.month
    if state.clock.month_of_year == 1 and m > 0:
        w.arrays["grudge"] = w.ps.grudge * _decay(p.grudge_halflife / 12.0)
    moves = _policy_moves(decisions).get(m, [])
    for sponsor, col, axis, size in moves:
        stance = lt.consumer if axis == "consumer" else lt.reform
        against = np.maximum(-np.sign(size) * stance, 0.0) * abs(size)
        g = w.mut("grudge")
        g[:, sponsor, :] += p.policy_grudge * w.ps.adoption[:, col, None] * against


def _decay(halflife: float) -> float:
    return float(np.exp(-np.log(2.0) / halflife))


def _lever(decisions, name: str, m: int, state: State) -> np.ndarray:
    if name not in decisions.values:
        return np.zeros(state.n_runs)
    return decisions.at_runs(name, m, state)


def _policies(w: mv.Work, state: State, decisions, p) -> None:
    """Destalinisation, reforms and cuts: legitimacy, norms and grievances of this month."""
    lt = load_leaders()
    m = state.clock.month
    lv = {k: _lever(decisions, k, m, state) for k in (*LEVERS, *SHARED_LEVERS)}
    ps = w.ps
    destal = np.clip(lv["destalinisation_level"], 0.0, 1.0)
    d_destal = np.maximum(destal - ps.destalinisation, 0.0) + p.destal_speech * lv["secret_speech"]
    w.arrays["destalinisation"] = destal
    w.arrays["destal_shock"] = ps.destal_shock * _decay(p.destal_shock_halflife) + d_destal
    norm = p.violence_norm_1953 - p.norm_destal * destal - p.norm_police * lv["secret_police_cut"]
    w.arrays["violence_norm"] = np.clip(norm, p.norm_min, 1.0)
    base = lt.base
    hard = np.maximum(-lt.reform, 0.0)
    pg = ps.policy_grievance * _decay(p.grievance_halflife)
    pg = pg + p.grievance_destal_leader * (ps.destal_shock / 12.0)[:, None] * hard
    pg = pg + (returnee_alarm(state) / 12.0)[:, None] * hard  # the returns alarm hardliners (camps)
    grv = ps.grievance * _decay(p.grievance_halflife)
    sov = lv["sovnarkhoz_reform"]
    start = (sov > 0.5) & ~ps.sovnarkhoz_done
    if start.any():
        rows = np.flatnonzero(start)
        u = w.rng.subset(rows).uniform(m, "politics.sovnarkhoz", (ps.cc_type.shape[1],))
        moved = ccm.sovnarkhoz_transfer(ps.cc, rows, p.sovnarkhoz_share * sov[rows], u)
        w.arrays["cc_type"] = moved["type"]
        w.arrays["clients"] = ccm.client_counts(moved["type"], ps.cc_patron, lt.n)
        w.arrays["cc_type_counts"] = w.arrays["clients"].sum(1)
        w.arrays["sovnarkhoz_done"] = ps.sovnarkhoz_done | start
        grv = grv.copy()
        grv[rows, MIN] += p.grievance_sovnarkhoz * sov[rows]
        pg[rows] += p.grievance_policy_leader * p.grievance_sovnarkhoz * sov[rows, None] * base[:, 1] * 0.5
    defence = _lever(decisions, "defence_share", m, state) if "defence_share" in decisions.values else ps.defence_prev
    cut = np.maximum(ps.defence_prev - defence, 0.0) * 100.0
    w.arrays["defence_prev"] = np.array(defence, dtype=float)
    rot, bif = lv["cadre_rotation_rule"], lv["party_bifurcation"]
    turn = lv["regional_secretary_turnover"]
    add = np.zeros_like(grv)
    add[:, MIL] = p.grievance_defence_cut * cut
    add[:, REG] = (p.grievance_rotation * rot + p.grievance_bifurcation * bif) / 12 + p.grievance_turnover * turn / 12
    add[:, MIN] = p.grievance_rotation * rot / 12
    add[:, OTH] = p.grievance_rotation * rot / 12
    grv = grv + add
    party = (add[:, REG] - p.grievance_turnover * turn / 12)[:, None] * base[:, 0]
    pg = pg + p.grievance_policy_leader * (party + add[:, MIL][:, None] * base[:, 2] * 0.5)
    w.arrays["grievance"], w.arrays["policy_grievance"] = grv, pg
    w.turnover_rate = turn


def _prestige(w: mv.Work, state: State, p) -> None:
    """Prestige decays; the harvest (October) and world shocks are credited to the FS."""
    ps = w.ps
    prest = ps.prestige * _decay(p.prestige_halflife)
    fs = ps.offices[:, FS]
    rows = np.arange(state.n_runs)
    ag = state.domains.get("agriculture")
    if state.clock.month_of_year == 10 and ag is not None and state.clock.month > 0:
        harvest = np.asarray(ag.harvest_mt).sum(-1)
        e = ps.harvest_expectation
        gap = np.log(np.maximum(harvest, 1.0) / e)
        ok = fs >= 0
        prest[rows[ok], fs[ok]] += p.prestige_harvest * gap[ok]
        pm = ps.offices[:, PREMIER]
        other = (pm >= 0) & (pm != fs)
        prest[rows[other], pm[other]] += 0.3 * p.prestige_harvest * gap[other]
        g = np.array(w.arrays.get("grievance", ps.grievance), copy=True)
        g[:, REG] += p.grievance_harvest * np.maximum(-gap, 0.0)
        w.arrays["grievance"] = g
        w.arrays["harvest_expectation"] = (e + p.expectation_adapt * (harvest - e)) * (1 + p.expectation_growth)
    world = state.domains.get("world")
    shock = getattr(world, "prestige_shock", None)
    if shock is not None:
        ok = fs >= 0
        prest[rows[ok], fs[ok]] += np.asarray(shock, dtype=float)[ok]
    w.arrays["prestige"] = prest


def _network(offices, leader_patron, status) -> np.ndarray:
    """(runs, L + 1) bool: the First Secretary and his active clients (last column: none)."""
    fs = offices[:, FS]
    ids = np.arange(leader_patron.shape[1])
    net = ((ids == fs[:, None]) | (leader_patron == fs[:, None])) & (status == ACTIVE) & (fs >= 0)[:, None]
    return np.concatenate([net, np.zeros((len(fs), 1), bool)], 1)


def _patronage_inputs(w: mv.Work, power) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    offices, lp, status = w.get("offices"), w.get("leader_patron"), w.get("status")
    active = status == ACTIVE
    fs = np.where(offices[:, FS] >= 0, offices[:, FS], -1)
    fs_clients = ((lp == fs[:, None]) & active & (fs >= 0)[:, None]).astype(float)
    pres_power = np.where(w.get("presidium") & active, power, 0.0)
    return fs, fs_clients, pres_power, _network(offices, lp, status)


def _central_committee(w: mv.Work, state: State, p) -> None:
    """Congress elections and the monthly turnover of regional secretaries."""
    ctx, m = state.context, state.clock.month
    ps = w.ps
    comp = cc_composition()
    month64 = ctx.months[m]
    fs, fs_clients, pres_power, network = _patronage_inputs(w, ps.standing)
    cc = {k: w.get("cc_" + k) for k in ("type", "patron", "stance", "offset", "region")}
    counts = w.get("clients")
    nxt = ps.congress + 1
    if m > 0 and nxt < len(comp) and comp["month"].iloc[nxt] == int(month64.astype(int)):
        slots = cc["type"].shape[1]
        draws = {k: ctx.rng.uniform(m, "politics.congress." + k, (slots,))
                 for k in ("keep", "u1", "u2", "stance", "offset", "region")}
        offices = w.get("offices")
        holders = np.full((state.n_runs, len(MEMBER_TYPES)), -1)
        holders[:, MIN] = offices[:, PREMIER]
        holders[:, MIL] = offices[:, DEFENCE]
        holders[:, 3] = offices[:, SECURITY]
        active = w.get("status") == ACTIVE
        holders = np.where(holders >= 0, holders, -1)
        cc = ccm.congress(cc, comp.iloc[nxt], fs, fs_clients, pres_power, holders, active,
                          network, draws, p, ctx.regions)
        counts = ccm.client_counts(cc["type"], cc["patron"], load_leaders().n)
        w.arrays["mil_clients"], w.arrays["sec_clients"] = ccm.security_military_counts(counts)
        w.arrays["cc_type_counts"] = counts.sum(1)
        w.arrays["cc_size"] = (cc["type"] >= 0).sum(1)
        w.congress = nxt
        w.emit("congress", np.arange(state.n_runs), float(comp["size"].iloc[nxt]),
               f"congress={comp['congress'].iloc[nxt]}", "CC re-elected and enlarged")
    draws = _split(ctx.rng.uniform(m, "politics.turnover", (6, 2)))
    size = w.get("cc_size")
    cc, counts = ccm.turnover(cc, counts, size, w.turnover_rate, fs, fs_clients, pres_power,
                              network, draws, p)
    for k, v in cc.items():
        w.arrays["cc_" + k] = v
    w.arrays["clients"] = counts


def _split(u: np.ndarray) -> np.ndarray:
    """(runs, k, 2) uniforms -> (runs, k, 5): slot, two patron draws, stance, offset.

    The extra uniforms are fractional parts of scaled draws (frac(u * 4096) is uniform and
    practically independent of u's leading bits), which saves hashing work.
    """
    a, b = u[..., 0], u[..., 1]
    return np.stack([a, b, np.modf(b * 4096.0)[0], np.modf(a * 4096.0)[0],
                     np.modf(b * 16777216.0)[0]], -1)


def _mortality(w: mv.Work, state: State, p) -> None:
    """Each January draw who dies this year (Gompertz hazard by age) and in which month."""
    lt = load_leaders()
    m = state.clock.month
    if state.clock.month_of_year == 1 or m == 0:
        age = state.clock.year - lt.born
        hazard = 1 - np.exp(-p.mortality_60 * np.exp(p.mortality_slope * (age - 60)))
        months_left = 13 - state.clock.month_of_year
        hz = 1 - (1 - hazard) ** (months_left / 12)
        u = w.rng.uniform(m, "politics.mortality", (lt.n,))
        when = np.where(u < hz, m + np.floor(u / hz * months_left).astype(np.int64), -1)
        w.arrays["death_month"] = when
    due = (w.get("death_month") == m) & (w.get("status") <= ARRESTED)
    mv.deaths(w, due)


def _month_context(w: mv.Work, state: State, p, rows=None) -> SimpleNamespace:
    """Arrays the struggle reads this month (all runs, or the runs ``rows``)."""
    sel = slice(None) if rows is None else rows

    def get(name):
        return w.get(name)[sel]

    status, pres, offices, counts = get("status"), get("presidium"), get("offices"), get("clients")
    m = state.clock.month
    police = _lever(state.context.decisions, "secret_police_cut", m, state)[sel]
    sov = _lever(state.context.decisions, "sovnarkhoz_reform", m, state)[sel]
    coercion = (get("mil_clients"), get("sec_clients"))
    power, army, security = st.leader_power(status, pres, offices, counts, coercion,
                                            get("prestige"), get("destalinisation"), sov, police, p)
    share = power / np.maximum(power.sum(1, keepdims=True), 1e-9)
    if rows is not None:
        return SimpleNamespace(power=power, share=share)
    soc = getattr(state.domains.get("society"), "grievance_national", None)
    soc = np.zeros(state.n_runs) if soc is None else np.asarray(soc, dtype=float)
    grv = w.get("grievance")
    mo = SimpleNamespace(
        active=status == ACTIVE, presidium=pres, offices=offices, fs=offices[:, FS],
        power=power, share=share, share_ema=w.get("share_ema"), army=army, security=security,
        norm=w.get("violence_norm"), arbiter=w.get("arbiter"), prestige=w.get("prestige"),
        leader_patron=w.get("leader_patron"), counts=counts, grievance=grv,
        society_grievance=soc, destal_shock=w.get("destal_shock"), grudge=w.get("grudge"),
        policy_grievance=w.get("policy_grievance"), cc_mood=(grv * CC_MOOD_WEIGHTS).sum(1) + soc,
        plot_target=w.get("plot_target"), plot_months=w.get("plot_months"),
        plot_initiator=w.get("plot_initiator"), year=state.clock.year,
        cc={k: w.get("cc_" + k) for k in ("type", "patron", "stance", "offset")},
    )
    return mo


# Weights of the member types in the CC mood the leaders read (the 1956 CC's composition).
CC_MOOD_WEIGHTS = np.array([0.45, 0.29, 0.06, 0.02, 0.18])


def _pinned(w: mv.Work, state: State, p) -> None:
    """Apply the dated political record of this month to every run."""
    lt = load_leaders()
    rec = political_record()
    rows = rec[rec["month"] == int(state.context.months[state.clock.month].astype(int))]
    runs = np.arange(state.n_runs)
    for r in rows.itertuples():
        who = NONE if r.leader == "none" else lt.index(r.leader)
        _apply_record(w, runs, r, who, lt)


def _apply_record(w: mv.Work, runs, r, who, lt) -> None:
    office = OFFICES.index(r.office) if isinstance(r.office, str) and r.office else -1
    offices = w.mut("offices")
    src = f"pinned to history ({r.source})"
    name = lt.name[who] if who >= 0 else "none"
    if r.action == "arrest":
        mv.arrest(w, runs, np.full(len(runs), who), ["Presidium"] * len(runs), [src] * len(runs), 99999)
        offices[offices == mv.VACANT] = NONE
    elif r.action == "execute":
        w.mut("status")[:, who] = EXECUTED
        w.emit("execution", runs, 1.0, f"target={name}", src)
    elif r.action == "appoint":
        offices[:, office] = who
        if office == FS and who >= 0:
            old = w.ps.offices[:, FS]
            mv.transfer_clients(w, runs[old >= 0], old[old >= 0], np.full(int((old >= 0).sum()), who))
        w.emit("appointment", runs, float(office), f"target={name}; office={r.office}", src)
    elif r.action == "demote":
        offices[:, office] = np.where(offices[:, office] == who, NONE, offices[:, office])
        w.emit("demotion", runs, 1.0, f"target={name}; office={r.office}", src)
    elif r.action == "remove":
        fate = {"expelled": DEMOTED, "demoted": DEMOTED, "retired": RETIRED}[r.detail]
        w.mut("status")[:, who] = fate
        w.mut("presidium")[:, who] = False
        offices[offices == who] = NONE
        w.emit("removal", runs, 1.0, f"target={name}", f"fate={r.detail}; {src}")
    elif r.action == "promote":
        w.mut("presidium")[:, who] = True
        w.emit("promotion", runs, 1.0, f"target={name}", src)
    elif r.action in ("presidium_vote", "plenum_vote"):
        votes = str(r.detail)
        n_pres = (w.get("presidium") & (w.get("status") == ACTIVE)).sum(1) - 1.0
        size = float(votes.split("-")[0]) if votes[:1].isdigit() else n_pres
        w.emit(r.action, runs, size if r.action == "presidium_vote" else 1.0,
               f"target={name}; office={r.office}",
               f"outcome={'passed' if r.action == 'presidium_vote' else votes}; {src}")


@lru_cache(maxsize=16)
def _sponsor_ids(sponsors: tuple[str, ...]) -> dict[str, int]:
    return load_leaders().ids_of(list(sponsors))


def _adoption(offices, repudiated, sponsors: tuple[str, ...], p) -> np.ndarray:
    """(runs, sponsors): how far the leader in charge carries out each sponsor's decisions.

    1 while the sponsor is First Secretary or Premier; otherwise the stance similarity of
    the leader in charge (First Secretary, else Premier), 1 - gap / ``adoption_distance``,
    cut by ``repudiation`` if the CC removed the sponsor (his successors roll back the
    policies that cost him the CC).
    """
    ids = _sponsor_ids(sponsors)
    n = len(offices)
    out = np.ones((n, len(sponsors)))
    fs, pm = offices[:, FS], offices[:, PREMIER]
    charge = np.where(fs >= 0, fs, pm)
    gap = st.stance_gap()
    for col, name in enumerate(sponsors):
        s = ids.get(name)
        if s is None:
            continue
        holds = (fs == s) | (pm == s)
        g = np.clip(1.0 - gap[np.maximum(charge, 0), s] / p.adoption_distance, 0.0, 1.0)
        g = g * (1.0 - p.repudiation * repudiated[:, s])
        out[:, col] = np.where(holds | (charge < 0), 1.0, g)
    return out


def step(state: State, decisions, params, rng) -> State:
    """One month of politics (see the module docstring for the order)."""
    p, ps, m = params.politics, state.politics, state.clock.month
    pinned = state.context.politics_mode == "pinned"
    w = mv.Work(ps, m, rng, p)
    w.congress = ps.congress
    _policies(w, state, decisions, p)
    _policy_grudges(w, state, decisions, p)
    _prestige(w, state, p)
    _central_committee(w, state, p)
    if not pinned:
        _mortality(w, state, p)
        mv.trials(w, w.get("violence_norm"))
    fs_before = ps.offices[:, FS].copy()
    mo = _month_context(w, state, p)
    if pinned:
        _pinned(w, state, p)
    else:
        pack = st.struggle(w, mo, p)
        mv.fill_vacancies(w, mo, p)
        mv.promote(w, mo, p, pack)
    return _finish(w, state, mo, fs_before, p)


def _finish(w: mv.Work, state: State, mo, fs_before, p) -> State:
    """Power after the month's moves, grievance resets, adoption, and the events."""
    touched = np.unique(np.concatenate([e[1] for e in w.events])) if w.events else np.zeros(0, int)
    power, share = mo.power, mo.share
    offices = w.get("offices")
    ema = w.get("share_ema") + (share - w.get("share_ema")) / 12.0
    if len(touched):
        power, share = power.copy(), share.copy()
        sub = _month_context(w, state, p, touched)
        power[touched], share[touched] = sub.power, sub.share
        # Gaining or losing an office resets the baseline: only accumulation beyond it threatens.
        n_l = power.shape[1]
        moved = st.office_score(offices[touched], n_l) != st.office_score(w.ps.offices[touched], n_l)
        ema[touched] = np.where(moved, share[touched], ema[touched])
    changed = offices[:, FS] != fs_before
    if changed.any():
        w.mut("grievance")[changed] *= 0.3
        w.mut("policy_grievance")[changed] = 0.0
    sponsors = state.context.decisions.sponsors
    adoption = (np.ones((state.n_runs, len(sponsors))) if state.context.politics_mode == "pinned"
                else _adoption(offices, w.get("repudiated"), sponsors, p))
    values = {f: w.get(f) for f in PoliticsState.__dataclass_fields__ if f != "congress"}
    values.update(standing=power, share_ema=ema, adoption=adoption)
    new = PoliticsState(**values, congress=w.congress)
    state = state.with_domain(NAME, new)
    return state.emit(*(EventBatch(k, r, mg, a, c) for k, r, mg, a, c in w.batches()))


LEADER_VARS: tuple = tuple(f"power_{k}" for k in load_leaders().key)

NATIONAL = {
    "first_secretary": ("leader id", "monthly", "First Secretary (leaders.csv id; -1 an official the model does not name)"),
    "premier": ("leader id", "monthly", "Chairman of the Council of Ministers (leader id)"),
    "security_chief": ("leader id", "monthly", "head of the MVD/KGB (leader id)"),
    "defence_minister": ("leader id", "monthly", "Minister of Defence (leader id)"),
    "head_of_state": ("leader id", "monthly", "Chairman of the Presidium of the Supreme Soviet (leader id)"),
    "gosplan_chair": ("leader id", "monthly", "Chairman of Gosplan (leader id)"),
    "presidium_size": ("members", "monthly", "full members of the Presidium among the named leaders"),
    "fs_power_share": ("fraction", "monthly", "the First Secretary's share of the leaders' power"),
    "fs_prestige": ("standing", "monthly", "the First Secretary's prestige"),
    "cc_size": ("members", "monthly", "full members of the Central Committee"),
    **{f"cc_share_{t}": ("fraction", "monthly", f"share of CC members who are {t.replace('_', ' ')}s")
       for t in MEMBER_TYPES},
    "cc_clients_of_first_secretary": ("fraction", "monthly", "CC members whose patron is the First Secretary"),
    "cc_network_of_first_secretary": ("fraction", "monthly", "CC members whose patron is the First Secretary or one of his clients"),
    "cc_clients_of_premier": ("fraction", "monthly", "CC members whose patron is the Premier"),
    "cc_unaffiliated": ("fraction", "monthly", "CC members without an active patron"),
    "cc_grievance": ("grievance units", "monthly", "mean CC grievance toward the First Secretary"),
    "destalinisation": ("0..1", "monthly", "cumulative destalinisation"),
    "violence_norm": ("0..1", "monthly", "fate norm for losers: 1 shot, 0 pensioned"),
    "cc_arbiter_belief": ("probability", "monthly", "plotters' belief that the CC decides a challenge to the First Secretary"),
    **{v: ("standing", "monthly", f"power of {n}") for v, n in zip(LEADER_VARS, load_leaders().name, strict=True)},
}


def national(state: State) -> dict[str, np.ndarray]:
    """Offices, power and CC composition (monthly)."""
    ps = state.politics
    n_l = load_leaders().n
    rows = np.arange(state.n_runs)
    off = ps.offices.astype(float)
    counts = ps.clients
    per = counts.sum(2)
    by_type = ps.cc_type_counts
    total = np.maximum(by_type.sum(1), 1.0)
    fs, pm = ps.offices[:, FS], ps.offices[:, PREMIER]
    active = np.concatenate([ps.status == ACTIVE, np.zeros((state.n_runs, 1), bool)], 1)
    net = _network(ps.offices, ps.leader_patron, ps.status)
    share = ps.power
    out = {
        "first_secretary": off[:, FS], "premier": off[:, PREMIER], "security_chief": off[:, SECURITY],
        "defence_minister": off[:, DEFENCE], "head_of_state": off[:, 4], "gosplan_chair": off[:, 5],
        "presidium_size": (ps.presidium & (ps.status == ACTIVE)).sum(1).astype(float),
        "fs_power_share": np.where(fs >= 0, share[rows, np.maximum(fs, 0)], np.nan),
        "fs_prestige": np.where(fs >= 0, ps.prestige[rows, np.maximum(fs, 0)], np.nan),
        "cc_size": total,
        "cc_clients_of_first_secretary": np.where(fs >= 0, per[rows, np.where(fs >= 0, fs, n_l)], 0.0) / total,
        "cc_network_of_first_secretary": (per * net).sum(1) / total,
        "cc_clients_of_premier": np.where(pm >= 0, per[rows, np.where(pm >= 0, pm, n_l)], 0.0) / total,
        "cc_unaffiliated": (per * ~active).sum(1) / total,
        "cc_grievance": (ps.grievance * by_type).sum(1) / total,
        "destalinisation": ps.destalinisation, "violence_norm": ps.violence_norm,
        "cc_arbiter_belief": ps.arbiter,
    }
    shares = by_type / total[:, None]
    for t, name in enumerate(MEMBER_TYPES):
        out[f"cc_share_{name}"] = shares[:, t]
    for i, v in enumerate(LEADER_VARS):
        out[v] = ps.standing[:, i]
    return out
