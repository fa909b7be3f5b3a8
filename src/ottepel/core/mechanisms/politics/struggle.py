"""The struggle for power: threat, coalitions and plots (who moves, and when).

All functions are vectorised over runs; loops run only over a few target slots. Each
month (``struggle``), for the runs under review (every run once a quarter, staggered by
run id, and every run with a plot under way):

1. ``target_slots``: whom a coalition could move against: the First Secretary, the
   Premier, the security chief, and the most formidable other leader (power + coercion).
2. ``threat``: what each leader's power and its growth mean to the others (Svolik 2012:
   allies watch the leader's power grow and strike while they still can; a leader with
   coercion and ambition is the most dangerous).
3. ``hostility``: H[r, k, j], leader j's wish to see target k removed: threat, policy
   distance, grudges, policy grievances and the CC's mood (against the First Secretary),
   envy of the target's offices, the rivalry of the two strongest, minus pre-1953 ties,
   client loyalty and the collective-leadership restraint; clients defer to their patron
   and the Presidium bandwagons with a clearly dominant leader.
4. ``assess``: the coalition (H > 0) and its belief that it wins: a Presidium majority;
   for an arrest, enough force (army, security); against the First Secretary, the CC
   plenum he would call (weighted by ``arbiter``, the belief that the CC decides, which
   jumps to 1 after the first plenum that overturns or upholds a Presidium vote).
5. ``choose_plot``: the most promising coalition prepares (``prep_months``) and then
   strikes; meanwhile the target may detect it (``votes.detected``).

``votes.py`` carries out the moves; ``power.py`` holds the power and plenum estimates.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ottepel.core.mechanisms.politics import votes
from ottepel.core.mechanisms.politics.leaders import FS, PREMIER, SECURITY, load_leaders
from ottepel.core.mechanisms.politics.power import (
        keep_probability,
    logistic,
    stance_gap,
    successor_of,
)
from ottepel.core.mechanisms.politics.work import OFFICE_WEIGHT, Work

N_SLOTS = 4


def target_slots(offices, power, force, active) -> np.ndarray:
    """(runs, 4) possible targets (-1 empty): FS, Premier, security chief, strongest other."""
    n, n_l = power.shape
    tg = np.stack([offices[:, FS], offices[:, PREMIER], offices[:, SECURITY]], 1)
    tg = np.where(tg >= 0, tg, -1)
    tg[:, 1] = np.where(tg[:, 1] == tg[:, 0], -1, tg[:, 1])
    tg[:, 2] = np.where((tg[:, 2] == tg[:, 0]) | (tg[:, 2] == tg[:, 1]), -1, tg[:, 2])
    taken = (np.arange(n_l)[None, None, :] == tg[:, :, None]).any(1)
    score = np.where(active & ~taken, power + force, -np.inf)
    other = np.argmax(score, 1)
    other = np.where(np.isfinite(score[np.arange(n), other]), other, -1)
    return np.concatenate([tg, other[:, None]], 1)


def threat(share, share_ema, danger, n_presidium, p) -> np.ndarray:
    """Threat each leader poses to the others (runs, L): size, growth and danger."""
    fair = 1.0 / np.maximum(n_presidium, 1)[:, None]
    return (p.threat_share * np.maximum(share - fair, 0.0)
            + p.threat_growth * np.maximum(share - share_ema, 0.0)
            + p.threat_danger * danger)


_CACHE: dict = {}


def _static(p) -> tuple[np.ndarray, np.ndarray]:
    """(L, L) static hostility (stance distance - ties - restraint) and (O, L) envy weights."""
    key = (p.hostility_stance, p.hostility_tie, p.restraint, p.envy)
    if key not in _CACHE:
        lt = load_leaders()
        gap = stance_gap() / np.sqrt(8)
        static = p.hostility_stance * gap - p.hostility_tie * lt.ties - p.restraint
        # A party leader covets the premiership too: he may add it to the First Secretaryship.
        covet = lt.eligibility.copy()
        covet[PREMIER] = np.maximum(covet[PREMIER], covet[FS])
        envy = p.envy * covet * lt.ambition * OFFICE_WEIGHT[:, None]
        _CACHE[key] = (static, envy)
    return _CACHE[key]


def hostility(s, tg, thr, noise, p) -> np.ndarray:
    """H[r, k, j]: leader j's wish to see target slot k removed (runs, K, L); -inf if moot.

    H = threat_i + stance distance + grudge_ji + [i is FS] (policy grievance_j + CC mood
        x ambition_j) + envy of i's offices (an appetite that grows with the strongest
        leader's lead) + rivalry of the two strongest - tie_ji - client loyalty
        - restraint + noise_j;
    then clients defer to their patron (H = (1 - c) H_own + c H_patron, unless the target
    is the patron himself) and everyone but the target's clients leans toward the
    strongest leader's hostility, the more so the clearer his lead.
    """
    lt = load_leaders()
    n, k = tg.shape
    n_l = lt.n
    rows = np.arange(n)
    t = np.maximum(tg, 0)
    static, envy_w = _static(p)
    is_fs = tg == s.fs[:, None]
    held = (s.offices[:, None, :] == tg[:, :, None]) & (tg >= 0)[:, :, None]
    fs_terms = p.policy_grievance_weight * s.policy_grievance + p.mood * s.cc_mood[:, None] * lt.ambition
    loyal = s.leader_patron[:, None, :] == tg[:, :, None]
    pw = np.where(s.active, s.power, -1.0)
    top = np.argmax(pw, 1)
    pw[rows, top] = -2.0
    second = np.argmax(pw, 1)
    lead = (s.power[rows, top] - s.power[rows, second]) / np.maximum(s.power.sum(1), 1e-9)
    appetite = np.ones((n, n_l))
    appetite[rows, top] += np.clip(lead / 0.2, 0.0, 1.5)
    h = (static[t] + thr[rows[:, None], t][:, :, None] + s.grudge[s.idx[:, None], t]
         + is_fs[:, :, None] * fs_terms[:, None, :] + (held.astype(float) @ envy_w) * appetite[:, None, :]
         - p.client_loyalty * loyal + noise[:, None, :])
    for a, b in ((top, second), (second, top)):
        r, kk = np.nonzero(tg == a[:, None])
        h[r, kk, b[r]] += p.rivalry * lt.ambition[b[r]]
    lp = np.maximum(s.leader_patron, 0)
    follows = ((s.leader_patron >= 0) & s.active[rows[:, None], lp])[:, None, :] & ~loyal
    flat = (np.arange(n * k) * n_l).reshape(n, k, 1) + lp[:, None, :]
    h_pat = h.ravel()[flat]
    h = np.where(follows, (1.0 - p.follow_patron) * h + p.follow_patron * h_pat, h)
    weight = p.follow_strongest * np.clip(lead / 0.1, 0.0, 1.0)
    h_top = np.maximum(h[rows, :, top], 0.0)
    h = h + np.where(loyal, 0.0, (weight[:, None] * h_top)[:, :, None])
    bad = ~s.active[:, None, :] | (np.arange(n_l) == tg[:, :, None]) | (tg < 0)[:, :, None]
    return np.where(bad, -np.inf, h)


def assess(s, tg, h, p) -> dict:
    """Coalitions against each target slot and what they believe about winning."""
    lt = load_leaders()
    n = len(tg)
    rows = np.arange(n)
    coal = h > 0
    pres = s.presidium & s.active
    npres = pres.sum(1)
    yes = (coal & pres[:, None, :]).sum(-1)
    p_pres = logistic((yes - npres[:, None] / 2) / p.presidium_vote_scale)
    force = s.army + p.security_weight * s.security
    f_c = (coal * force[:, None, :]).sum(-1)
    f_t = np.where(tg >= 0, force[rows[:, None], np.maximum(tg, 0)], 0.0)
    arrest = (f_t > p.arrest_force_min) & (s.norm[:, None] > p.arrest_norm_min) & (f_c > 0.1)
    p_force = 1.0 / (1.0 + (f_t / (p.surprise * f_c + 1e-9)) ** 2)
    belief = np.where(arrest, p_pres * p_force, p_pres)
    fs_vote = (tg[:, 0] >= 0) & ~arrest[:, 0] & (yes[:, 0] > npres / 2 - 1)
    if fs_vote.any():
        r = np.flatnonzero(fs_vote)
        sub = SimpleNamespace(**{f: getattr(s, f)[r] for f in _CC_FIELDS})
        cand = successor_of(coal[r, 0], sub.power, p)
        keep = keep_probability(sub, coal[r, 0], tg[r, 0], cand, p)
        belief[r, 0] = p_pres[r, 0] * (1 - s.arbiter[r] * keep)
    drive = np.where(coal & pres[:, None, :], lt.ambition * h, -np.inf)
    init = np.argmax(drive, -1)
    valid = (tg >= 0) & (np.take_along_axis(drive, init[:, :, None], 2)[:, :, 0] > p.initiative_min)
    return {"coal": coal, "yes": yes, "npres": npres, "f_c": f_c, "f_t": f_t, "arrest": arrest,
            "p_force": p_force, "belief": belief, "init": init, "valid": valid, "h": h}


def choose_plot(s, a, tg, p, u_det, u_fire) -> dict:
    """The run's most promising plot: prepare it, maybe get caught, maybe strike."""
    r = np.arange(len(tg))
    thr = p.belief_threshold + p.belief_risk * s.norm
    # A plot under way holds together unless its belief falls clearly below the threshold.
    under_way = (tg == s.plot_target[:, None]) & (s.plot_target >= 0)[:, None]
    excess = np.where(a["valid"], a["belief"] - thr[:, None] + p.plot_commitment * under_way,
                      -np.inf)
    best = np.argmax(excess, 1)
    go = excess[r, best] > 0
    target = np.where(go, tg[r, best], -1)
    same = go & (s.plot_target == target)
    months = np.where(go, np.where(same, s.plot_months + 1, 1), 0)
    init = a["init"][r, best]
    keep_init = same & (s.plot_initiator >= 0) & a["coal"][r, best, np.maximum(s.plot_initiator, 0)]
    initiator = np.where(go, np.where(keep_init, s.plot_initiator, init), -1)
    own_sec = s.security[r, np.maximum(target, 0)]
    detected = go & (u_det < p.detect_base + p.detect_security * own_sec)
    # A plot against the First Secretary that expects the CC to decide canvasses its members
    # first (October 1964); one that expects the Presidium to decide does not (June 1957).
    prep = p.prep_months + np.where(target == s.fs, p.canvass_months * s.arbiter, 0.0)
    fire = go & ~detected & (months >= prep) & (u_fire < p.fire_prob)
    return {"slot": best, "target": target, "initiator": initiator, "months": months,
            "detected": detected, "fire": fire}


_FIELDS = ("active", "presidium", "offices", "fs", "power", "share", "share_ema", "army",
           "security", "norm", "arbiter", "prestige", "leader_patron", "counts", "grievance",
           "society_grievance", "destal_shock", "policy_grievance", "cc_mood",
           "plot_target", "plot_months", "plot_initiator")


_CC_FIELDS = ("power", "prestige", "army", "counts", "grievance", "society_grievance",
              "destal_shock", "leader_patron")


def _take(s, rows) -> SimpleNamespace:
    """The month context restricted to runs ``rows`` (grudge stays full: s.idx maps back)."""
    out = SimpleNamespace(**{f: getattr(s, f)[rows] for f in _FIELDS})
    out.grudge, out.idx = s.grudge, s.idx[rows]
    return out


def struggle(w: Work, mo, p) -> np.ndarray:
    """One month of the free struggle; returns (runs,) bool "pack the Presidium now"."""
    lt = load_leaders()
    n, m = len(mo.fs), w.month
    pack = np.zeros(n, bool)
    review = (w.rng.run_ids + m) % int(p.review_months) == 0
    idx = np.flatnonzero(review | (mo.plot_months > 0))
    if not len(idx):
        return pack
    mo.idx = np.arange(n)
    s = _take(mo, idx)
    sub = w.rng.subset(idx)
    force = s.army + p.security_weight * s.security
    tg = target_slots(s.offices, s.power, force, s.active)
    danger = lt.ambition * (p.army_danger * s.army + s.security)
    thr = threat(s.share, s.share_ema, danger, (s.presidium & s.active).sum(1), p)
    u = sub.uniform(m, "politics.plot", (lt.n + 3,))
    noise = p.mood_noise * np.sqrt(12.0) * (u[:, : lt.n] - 0.5)
    h = hostility(s, tg, thr, noise, p)
    a = assess(s, tg, h, p)
    plan = choose_plot(s, a, tg, p, u[:, lt.n], u[:, lt.n + 1])
    w.mut("plot_target")[idx] = plan["target"]
    w.mut("plot_months")[idx] = plan["months"]
    w.mut("plot_initiator")[idx] = plan["initiator"]
    det = np.flatnonzero(plan["detected"])
    if len(det):
        votes.detected(w, mo, a, plan, det, idx, u[:, lt.n + 2], p)
    fire = np.flatnonzero(plan["fire"])
    if len(fire):
        pack = votes.fire(w, mo, a, plan, fire, idx, p)
    return pack
