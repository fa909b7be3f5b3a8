"""Power and the shared judgements of the struggle (read by ``struggle`` and ``votes``).

``leader_power`` adds a leader's seat, offices, CC clients, coercion, prestige and
legitimacy; ``candidate_of`` names a coalition's man for an office; ``army_side`` and
``cc_common`` are the terms every CC member weighs in a plenum; ``keep_probability`` is
the plotters' estimate that a plenum keeps the First Secretary.
"""

from __future__ import annotations

import numpy as np

from ottepel.core.mechanisms.politics import cc as ccm
from ottepel.core.mechanisms.politics.leaders import DEFENCE, FS, MIN, SECURITY, load_leaders
from ottepel.core.mechanisms.politics.work import OFFICE_WEIGHT


def logistic(x: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + exp(-x))."""
    return 1.0 / (1.0 + np.exp(-x))


def leader_power(status, presidium, offices, counts, coercion_clients, prestige, destal, sov,
                 police_cut, p):
    """Power of each leader (standing units).

    P_i = (seat + office + clients + coercion + prestige + legitimacy) x (0.5 + 0.5 skill)

    Returns:
        power, army, security: (runs, L); army and security are the coercion a leader
        commands (the Defence Ministry and military CC clients; the security apparatus,
        weakened by ``police_cut``, and security CC clients). ``coercion_clients`` is the
        pair (military, security) of client shares from ``cc.security_military_counts``.
    """
    lt = load_leaders()
    n_l = lt.n
    active = status == 0
    ids = np.arange(n_l)
    mil, sec = coercion_clients
    army = 0.6 * (offices[:, DEFENCE][:, None] == ids) + 0.8 * mil
    security = ((offices[:, SECURITY][:, None] == ids) + 0.5 * sec) * (1.0 - police_cut)[:, None]
    coercion = army + p.security_weight * security
    tw = np.empty((len(sov), counts.shape[2]))
    tw[:] = (1.0, 1.0, 0.7, 0.7, 0.6)
    tw[:, MIN] = 1.0 - 0.5 * sov
    weighted = np.einsum("rlt,rt->rl", counts, tw)
    clients = weighted[:, :n_l] / np.maximum(weighted.sum(1, keepdims=True), 1.0)
    d = destal[:, None]
    legit = lt.legitimacy * (1 - d) - d * lt.legitimacy * (1 - lt.reform) / 2
    raw = (p.power_presidium_seat * presidium + p.power_office * office_score(offices, n_l)
           + p.power_clients * clients + p.power_coercion * coercion
           + p.power_prestige * prestige + p.power_legitimacy * legit)
    power = active * np.maximum(raw, 0.02) * (0.5 + 0.5 * lt.skill)
    return power, army * active, security * active


def office_score(offices: np.ndarray, n_leaders: int) -> np.ndarray:
    """(runs, L) summed office weight of the offices each leader holds."""
    n = offices.shape[0]
    out = np.zeros((n, n_leaders + 1))
    rows = np.arange(n)
    for o in range(offices.shape[1]):
        out[rows, np.where(offices[:, o] >= 0, offices[:, o], n_leaders)] += OFFICE_WEIGHT[o]
    return out[:, :n_leaders]


_CACHE: dict = {}


def stance_gap() -> np.ndarray:
    """(L, L) Euclidean stance distance in (reform, consumer) space (0..2.83)."""
    if "gap" not in _CACHE:
        lt = load_leaders()
        s = np.stack([lt.reform, lt.consumer], 1)
        _CACHE["gap"] = np.sqrt(((s[:, None, :] - s[None, :, :]) ** 2).sum(-1))
    return _CACHE["gap"]


def candidate_of(coalition, power, office=FS) -> np.ndarray:
    """(k,) the coalition's man for an office: its strongest eligible member (-1 none)."""
    lt = load_leaders()
    score = np.where(coalition, power * lt.eligibility[office], -1.0)
    best = np.argmax(score, -1)
    return np.where(np.max(score, -1) > 0, best, -1)


def successor_of(coalition, power, p) -> np.ndarray:
    """(k,) the coalition's choice of First Secretary: a compromise, not simply its strongest.

    Each eligible member c of the coalition is scored by what the coalition as a whole
    (weighted by power) thinks of him, his own weight, and the fear of a strong, ambitious
    successor (allies prefer a leader who cannot dominate them, Svolik 2012 ch. 3):

        score_c = log(power_c elig_c) + sum_j w_j (tie_jc hostility_tie
                  - gap_jc hostility_stance / sqrt 8) - successor_fear ambition_c share_c

    with w_j the coalition members' power shares. -1 if nobody is eligible.
    """
    lt = load_leaders()
    elig = lt.eligibility[FS]
    ok = coalition & (elig > 0)
    pw = np.where(coalition, power, 0.0)
    wts = pw / np.maximum(pw.sum(-1, keepdims=True), 1e-9)
    affinity = p.hostility_tie * lt.ties - p.hostility_stance * stance_gap() / np.sqrt(8)
    approval = wts @ affinity
    share = power / np.maximum(power.sum(-1, keepdims=True), 1e-9)
    score = (np.log(np.maximum(power * elig, 1e-9)) + approval
             - p.successor_fear * lt.ambition * share)
    score = np.where(ok, score, -np.inf)
    best = np.argmax(score, -1)
    return np.where(ok.any(-1), best, -1)


def army_side(army, coalition, target) -> np.ndarray:
    """(k,) +1 if the army's leader stands by the target, -1 if he is in the coalition, 0 if none.

    The army's leader is whoever commands most of it (the Defence Minister, or a marshal
    with the officers' loyalty); uncommitted, the army sides with the incumbent.
    """
    lead = np.argmax(army, 1)
    rows = np.arange(len(lead))
    side = np.where(coalition[rows, lead] & (lead != target), -1.0, 1.0)
    return np.where(army.max(1) > 0.2, side, 0.0)


def cc_common(s, coalition, target, candidate, p) -> np.ndarray:
    """Utility terms every CC member shares: incumbency, prestige gap, the army's help."""
    rows = np.arange(len(target))
    gap = s.prestige[rows, np.maximum(target, 0)] - np.where(
        candidate >= 0, s.prestige[rows, np.maximum(candidate, 0)], 0.0)
    side = army_side(s.army, coalition, target)
    return p.cc_incumbency + p.cc_prestige_weight * gap + p.cc_army_help * side


def keep_probability(s, coalition, target, candidate, p) -> np.ndarray:
    """(k,) the plotters' estimate that a CC plenum keeps the target."""
    common = cc_common(s, coalition, target, candidate, p)
    grv = s.grievance + s.society_grievance[:, None] + p.grievance_destal * 0.3 * s.destal_shock[:, None]
    share = ccm.support_estimate(s.counts, coalition, np.maximum(target, 0), candidate,
                                 s.leader_patron, grv, common, p)
    return logistic((share - 0.5) / p.cc_estimate_sd)
