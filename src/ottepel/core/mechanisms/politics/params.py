"""The parameters and levers of the politics mechanism."""

from __future__ import annotations

from typing import ClassVar

from ottepel.core.decisions import Lever
from ottepel.core.params import ParamGroup, param

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
    "ministries_threatened": Lever("level", 0.0, 0.0, 1.0, "0/1",
                                   description="the leadership announces that the industrial ministries are to be abolished (the ministers' grievance is felt now, not when the councils start)"),
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
    congress_sanction: float = param(0.95, 0.0, 1.0, "fraction", _T + " ch. 12: the 20th congress confirmed Khrushchev's men in the CC; his rivals moved only in 1957, over the bloc crisis and the ministries (" + _TO + " ch. 7)")
    barred_months: float = param(36.0, 0.0, 120.0, "months", _A + ": a demoted leader is not given office again soon")
    initiative_min: float = param(0.2, 0.0, 1.0, "standing", _A + ": someone ambitious must lead the plot")
    belief_threshold: float = param(0.55, 0.3, 0.9, "probability", _A + ": a coalition moves when it believes it wins")
    belief_risk: float = param(0.15, 0.0, 0.5, "probability", _A + ": more caution when losers are shot")
    presidium_vote_scale: float = param(0.6, 0.2, 2.0, "votes", _A + ": uncertainty about waverers in a Presidium count")
    surprise: float = param(4.0, 1.0, 8.0, "1", "events.csv 1953-06-26: Beria seized at a Presidium meeting, his troops not alerted")
    arrest_force_min: float = param(0.3, 0.0, 1.0, "force unit", _A + ": arrest is the move against a leader with coercion")
    arrest_norm_min: float = param(0.45, 0.0, 1.0, "norm", _A + ": arrests need a violence norm still near Stalin's")
    prep_months: float = param(2.0, 1.0, 6.0, "months", "events.csv: Stalin died 1953-03-05, Beria arrested 1953-06-26 after weeks of canvassing")
    canvass_months: float = param(6.0, 0.0, 12.0, "months", _T + " ch. 20; " + _TO + " ch. 10: the 1964 plotters sounded out CC members and regional secretaries from the spring to October")
    successor_fear: float = param(2.0, 0.0, 6.0, "1 per (ambition x power share)", _SV + "; " + _TO + " ch. 10: the plotters settled on Brezhnev as a compromise who would not dominate them")
    army_debt: float = param(1.5, 0.0, 4.0, "standing", _T + " ch. 13; Colton 1979 (Commissars, Commanders and Civilian Authority): Zhukov, who had flown CC members to Moscow in June 1957, was dismissed in October as a threat to the party's rule")
    plot_commitment: float = param(0.1, 0.0, 0.3, "probability", _A + ": plotters who have sounded each other out do not drop the plot at the first doubt")
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
