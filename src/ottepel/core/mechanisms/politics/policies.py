"""What policy does to politics: destalinisation, reforms, cuts, prestige, the CC.

``policies``: destalinisation moves legitimacy, the hardliners' grievance and the violence
norm; reforms, troop cuts, cadre rotation and the party's bifurcation raise the grievances
of the CC groups they hurt. ``policy_grudges``: enemy-making economic decisions.
``prestige``: decay, the harvest against expectation, world shocks. ``central_committee``:
congress elections and the monthly turnover of regional secretaries.
"""

from __future__ import annotations

import numpy as np

from ottepel.core.mechanisms.camps import returnee_alarm
from ottepel.core.mechanisms.politics import cc as ccm
from ottepel.core.mechanisms.politics.leaders import (
    ACTIVE,
    DEFENCE,
    FS,
    MEMBER_TYPES,
    MIL,
    MIN,
    OTH,
    PREMIER,
    REG,
    SECURITY,
    cc_composition,
    load_leaders,
)
from ottepel.core.mechanisms.politics.params import LEVERS, SHARED_LEVERS
from ottepel.core.mechanisms.politics.work import Work
from ottepel.core.state import State

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


def _policy_grudges(w: Work, state: State, decisions, p) -> None:
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


def _policies(w: Work, state: State, decisions, p) -> None:
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
    # The threat to the ministries is felt when the reorganisation is announced (the
    # February 1957 plenum), the rest of the grievance when the councils replace them.
    warn = np.clip(lv["ministries_threatened"], 0.0, 1.0)
    new_warn = np.maximum(warn - ps.ministries_warned, 0.0)
    if new_warn.any():
        rows = np.flatnonzero(new_warn > 0)
        grv = grv.copy()
        grv[rows, MIN] += p.grievance_sovnarkhoz * new_warn[rows]
        pg[rows] += p.grievance_policy_leader * p.grievance_sovnarkhoz * new_warn[rows, None] * base[:, 1] * 0.5
        w.arrays["ministries_warned"] = ps.ministries_warned + new_warn
    warned = w.get("ministries_warned")
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
        left = np.maximum(sov[rows] - warned[rows], 0.0)
        grv[rows, MIN] += p.grievance_sovnarkhoz * left
        pg[rows] += p.grievance_policy_leader * p.grievance_sovnarkhoz * left[:, None] * base[:, 1] * 0.5
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


def _prestige(w: Work, state: State, p) -> None:
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


def _patronage_inputs(w: Work, power) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    offices, lp, status = w.get("offices"), w.get("leader_patron"), w.get("status")
    active = status == ACTIVE
    fs = np.where(offices[:, FS] >= 0, offices[:, FS], -1)
    fs_clients = ((lp == fs[:, None]) & active & (fs >= 0)[:, None]).astype(float)
    pres_power = np.where(w.get("presidium") & active, power, 0.0)
    return fs, fs_clients, pres_power, _network(offices, lp, status)


def _central_committee(w: Work, state: State, p) -> None:
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
