"""The Central Committee as agents: composition, patronage, turnover, congresses and votes.

Each run holds up to ``slots`` full members (the largest CC a scenario reaches); slot arrays
are (runs, slots), an inactive slot has type -1. A member has a type (regional secretary,
minister, military, security, other), a region (regional secretaries only), a patron
(a leader id, -1 for none), a reform stance (-1..1) and a personal grievance offset.

- The 1952 CC (19th congress, 125 members) is drawn from ``cc_composition.csv`` (type
  counts) and ``cc_patronage.csv`` (patron by type and region).
- The circular flow of power (Daniels 1971): each month the First Secretary replaces
  regional secretaries at the lever rate ``regional_secretary_turnover``, preferring
  members outside his network, and names his clients or his clients' clients.
- At a congress (1956: 133, 1961: 175, 1966: 195) members are re-elected with a
  probability that falls when their patron has fallen; new members are nominated through
  the First Secretary's patronage, the other office holders naming members of their own
  apparatus (ministers by the Premier, marshals by the Defence Minister ...).
- A plenum vote: each member's utility of keeping the target (patron, grievance, stance,
  prestige, the army's help, a common mood shock), a logit vote, then one bandwagon round
  (members seeing the room's majority move toward it).

Client counts per (leader, type) are kept in ``clients`` (runs, leaders + 1, types); the
last leader row counts members without an active patron line.
"""

from __future__ import annotations

import numpy as np

from ottepel.core.mechanisms.politics.leaders import (
    MEMBER_TYPES,
    MIL,
    MIN,
    REG,
    SEC,
    cc_composition,
    load_leaders,
    patronage_weights,
)

N_TYPES = len(MEMBER_TYPES)


def slots_for(months: np.ndarray) -> int:
    """Member slots needed: the largest CC elected up to the scenario's last month."""
    comp = cc_composition()
    return int(comp.loc[comp["month"] <= int(months[-1].astype(int)), "size"].max())


def congress_index(month: np.datetime64) -> int:
    """Row of ``cc_composition()`` in force in a month (the last congress before it)."""
    comp = cc_composition()
    return int(np.flatnonzero(comp["month"].to_numpy() <= int(np.datetime64(month, "M").astype(int)))[-1])


def categorical(u: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Inverse-CDF draw: index along the last axis of ``weights`` for uniforms ``u``.

    Rows with zero total weight return -1.
    """
    total = weights.sum(-1, keepdims=True)
    cum = np.cumsum(weights, -1) / np.where(total > 0, total, 1.0)
    idx = (u[..., None] > cum).sum(-1)
    return np.where(total[..., 0] > 0, np.minimum(idx, weights.shape[-1] - 1), -1)


def region_draw(u: np.ndarray, regions) -> np.ndarray:
    """Regions of regional secretaries, drawn in proportion to the 1959 population."""
    cum = np.cumsum(regions.population_1959)
    return np.minimum(np.searchsorted(cum / cum[-1], u), regions.n - 1)


def client_counts(ctype: np.ndarray, patron: np.ndarray, n_leaders: int) -> np.ndarray:
    """Members by (patron, type): (runs, leaders + 1, types) float64; row L = no patron."""
    n = ctype.shape[0]
    p = np.where(patron >= 0, patron, n_leaders)
    key = (np.arange(n)[:, None] * (n_leaders + 1) + p) * N_TYPES + ctype
    flat = np.bincount(key[ctype >= 0], minlength=n * (n_leaders + 1) * N_TYPES)
    return flat.reshape(n, n_leaders + 1, N_TYPES).astype(float)


def initial_members(n_runs: int, regions, rng, slots: int, start: np.datetime64) -> dict:
    """The CC of the 19th congress (October 1952) as it stood in March 1953.

    Returns:
        dict of (runs, slots) arrays: type, patron, stance, offset, region.
    """
    lt = load_leaders()
    row = cc_composition().iloc[congress_index(start)]
    layout = np.concatenate([np.full(int(row[t]), i) for i, t in enumerate(MEMBER_TYPES)])
    ctype = np.full((n_runs, slots), -1, dtype=np.int8)
    ctype[:, : len(layout)] = layout
    region = region_draw(rng.uniform(0, "politics.cc0.region", (slots,)), regions)
    region = np.where(ctype == REG, region, -1)
    pw = patronage_weights(tuple(regions.code), tuple(regions.republic))
    probs = pw[np.maximum(ctype, 0), np.where(region >= 0, region, regions.n)]
    patron = categorical(rng.uniform(0, "politics.cc0.patron", (slots,)), probs)
    patron = np.where((patron >= lt.n) | (ctype < 0), -1, patron)
    z = rng.normal(0, "politics.cc0.stance", (slots,))
    pstance = np.where(patron >= 0, lt.reform[np.maximum(patron, 0)], 0.0)
    stance = np.clip(-0.2 + 0.4 * pstance + 0.3 * z, -1, 1)
    offset = rng.normal(0, "politics.cc0.offset", (slots,))
    active = ctype >= 0
    return {"type": ctype, "patron": patron.astype(np.int16),
            "stance": np.where(active, stance, 0.0).astype(np.float32),
            "offset": np.where(active, offset, 0.0).astype(np.float32),
            "region": region.astype(np.int16)}


def nominate(u1: np.ndarray, u2: np.ndarray, fs: np.ndarray, fs_clients: np.ndarray,
             presidium_power: np.ndarray, holder: np.ndarray, p) -> np.ndarray:
    """Patrons of newly appointed members (selectorate: the appointer buys loyalty).

    Args:
        u1, u2: (k,) uniforms.
        fs: (k,) First Secretary (-1 if none).
        fs_clients: (k, L) float, 1 for active leaders whose patron is the First Secretary.
        presidium_power: (k, L) power of active Presidium members (0 elsewhere).
        holder: (k,) the office holder whose apparatus the member belongs to (-1 none).
        p: politics parameters.

    Returns:
        (k,) patron ids (-1 none).
    """
    out = np.full(u1.shape, -1, dtype=np.int64)
    a, b, c = p.patron_fs, p.patron_fs_clients, p.patron_presidium
    has_fs = fs >= 0
    to_fs = has_fs & (u2 < a)
    to_cl = has_fs & (u2 >= a) & (u2 < a + b)
    to_pr = (u2 >= a + b) & (u2 < a + b + c) | ~has_fs & (u2 < a + b)
    out[to_fs] = fs[to_fs]
    cl = categorical(np.clip((u2 - a) / b, 0, 1), fs_clients)
    out[to_cl] = np.where(cl[to_cl] >= 0, cl[to_cl], fs[to_cl])
    pr = categorical(np.clip((u2 - a - b) / c, 0, 1) if c > 0 else u2, presidium_power)
    out[to_pr] = pr[to_pr]
    by_office = (holder >= 0) & (u1 < p.patron_office)
    return np.where(by_office, holder, out)


def new_stance(patron: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Stance of a new member: leans to the patron's, uniform spread (sd about 0.23)."""
    lt = load_leaders()
    ps = np.where(patron >= 0, lt.reform[np.maximum(patron, 0)], -0.1)
    return np.clip(0.6 * ps - 0.1 + 0.8 * (u - 0.5), -1, 1)


def uniform_offset(u: np.ndarray) -> np.ndarray:
    """A standard-deviation-1 offset from a uniform draw (uniform on +-sqrt(3))."""
    return np.sqrt(12.0) * (u - 0.5)


def congress(cc: dict, count_row, fs, fs_clients, presidium_power, holders, leader_active,
             network, draws: dict, p, regions) -> dict:
    """Re-elect and enlarge the CC at a congress (all runs of a chunk at once).

    Args:
        cc: current member arrays (type, patron, stance, offset, region).
        count_row: the composition row (type counts) of this congress.
        fs, fs_clients, presidium_power: as in :func:`nominate` ((runs,), (runs, L)).
        holders: (runs, types) office holder naming members of each type (-1 none).
        leader_active: (runs, L) bool.
        network: (runs, L + 1) bool, leaders in the First Secretary's network (+ none col).
        draws: uniforms (runs, slots) under keys keep, u1, u2, stance, offset, region.
        p: politics parameters.
        regions: the packaged regions (population weights for new regional secretaries).
    """
    ctype, patron = cc["type"], cc["patron"]
    n, slots = ctype.shape
    lt_n = leader_active.shape[1]
    pat_ok = np.where(patron >= 0, np.take_along_axis(
        np.concatenate([leader_active, np.zeros((n, 1), bool)], 1), np.where(patron >= 0, patron, lt_n), 1), True)
    in_net = np.take_along_axis(network, np.where(patron >= 0, patron, lt_n), 1)
    ret = p.cc_retention * np.where(pat_ok, 1.0, 0.4) * np.where(in_net, 1.15, 1.0)
    kept = (ctype >= 0) & (draws["keep"] < ret)
    new = {k: np.zeros_like(v) for k, v in cc.items()}  # keeps the compact dtypes
    new["type"][:] = -1
    new["patron"][:] = -1
    new["region"][:] = -1
    off = 0
    rows = np.arange(n)[:, None]
    for t, tname in enumerate(MEMBER_TYPES):
        c = int(count_row[tname])
        if c == 0:
            continue
        key = np.where(kept & (ctype == t), draws["keep"], 2.0 + draws["keep"])
        order = np.argsort(key, axis=1, kind="stable")[:, :c]
        n_keep = np.minimum((kept & (ctype == t)).sum(1), c)
        is_old = np.arange(c)[None, :] < n_keep[:, None]
        block = slice(off, off + c)
        u1, u2 = draws["u1"][:, block], draws["u2"][:, block]
        pat_new = nominate(u1.ravel(), u2.ravel(), np.repeat(fs, c),
                           np.repeat(fs_clients, c, 0), np.repeat(presidium_power, c, 0),
                           np.repeat(holders[:, t], c), p).reshape(n, c)
        reg_new = region_draw(draws["region"][:, block], regions)
        new["type"][:, block] = t
        new["patron"][:, block] = np.where(is_old, patron[rows, order], pat_new)
        new["stance"][:, block] = np.where(is_old, cc["stance"][rows, order],
                                           new_stance(pat_new, draws["stance"][:, block]))
        new["offset"][:, block] = np.where(is_old, cc["offset"][rows, order],
                                           uniform_offset(draws["offset"][:, block]))
        old_reg = cc["region"][rows, order]
        new["region"][:, block] = np.where(t == REG, np.where(is_old, old_reg, reg_new), -1)
        off += c
    return new


def support_estimate(counts, coalition, target, candidate, leader_patron, type_grievance,
                     common, p) -> np.ndarray:
    """Expected share of CC votes for keeping the target, as the plotters would reckon it.

    A mean-field version of :func:`plenum_vote`: members grouped by patron and type.

    Args:
        counts: (k, L + 1, T) members by patron and type.
        coalition: (k, L) bool, leaders moving against the target.
        target, candidate: (k,) leader ids.
        leader_patron: (k, L) each leader's patron (-1 none).
        type_grievance: (k, T) mean grievance of each member type toward the target.
        common: (k,) utility terms shared by all members (incumbency, prestige, army).
        p: politics parameters.
    """
    loyal = _patron_loyalty(np.arange(counts.shape[1])[None, :], coalition, target,
                            leader_patron, p)
    mu = loyal[:, :, None] - p.cc_grievance_weight * type_grievance[:, None, :] + common[:, None, None]
    scale = p.cc_vote_scale + 0.5 * p.cc_grievance_weight * p.cc_offset_sd
    prob = 1.0 / (1.0 + np.exp(-mu / scale))
    total = np.maximum(counts.sum((1, 2)), 1.0)
    return (prob * counts).sum((1, 2)) / total


def _patron_loyalty(patron, coalition, target, leader_patron, p) -> np.ndarray:
    """Utility from patronage of members whose patron is ``patron`` ((k, m) ids, L = none)."""
    k, n_l = coalition.shape
    ext_c = np.concatenate([coalition, np.zeros((k, 1), bool)], 1)
    ext_lp = np.concatenate([leader_patron, np.full((k, 1), -1)], 1)
    pat = np.where(patron >= 0, patron, n_l)
    pat = np.broadcast_to(pat, (k, pat.shape[-1]))
    grand = np.take_along_axis(ext_lp, pat, 1)
    grand_c = np.take_along_axis(ext_c, np.where(grand >= 0, grand, n_l), 1)
    in_c = np.take_along_axis(ext_c, pat, 1)
    tgt = target[:, None]
    direct = (pat == tgt) * p.cc_patron_loyalty - in_c * p.cc_patron_loyalty
    sub = ((grand == tgt) & (pat != tgt)) * p.cc_subpatron_loyalty - (grand_c & ~in_c) * p.cc_subpatron_loyalty
    return direct + sub


def plenum_vote(cc: dict, coalition, target, candidate, leader_patron, type_grievance,
                destal_shock, common, army_side, u_vote, shock, p) -> tuple[np.ndarray, np.ndarray]:
    """A CC plenum decides between the target and the coalition (subset of runs).

    Args:
        cc: member arrays of these runs (type, patron, stance, offset).
        coalition: (k, L) bool; target, candidate: (k,) leader ids.
        leader_patron: (k, L).
        type_grievance: (k, T) grievance by member type toward the target.
        destal_shock: (k,) recent destalinisation felt by hardline members.
        common: (k,) shared utility terms (incumbency, prestige, the army's help).
        army_side: (k,) +1 if the army stands by the target, -1 with the plotters; the
            military members follow it twice as strongly.
        u_vote: (k, slots) uniforms; shock: (k,) standard normal mood of the plenum.
        p: politics parameters.

    Returns:
        (votes for the target, votes against), each (k,) float.
    """
    lt = load_leaders()
    ctype = cc["type"]
    active = ctype >= 0
    t = np.maximum(ctype, 0)
    grievance = (np.take_along_axis(type_grievance, t, 1) + p.cc_offset_sd * cc["offset"]
                 + p.grievance_destal * np.maximum(-cc["stance"], 0) * destal_shock[:, None])
    s = cc["stance"]
    stance_pull = (np.abs(s - lt.reform[candidate][:, None]) - np.abs(s - lt.reform[target][:, None]))
    army = (ctype == MIL) * (p.cc_army_help * army_side)[:, None]
    util = (_patron_loyalty(cc["patron"], coalition, target, leader_patron, p)
            - p.cc_grievance_weight * grievance + p.cc_stance_weight * stance_pull
            + common[:, None] + army + p.cc_plenum_shock * shock[:, None])
    n_act = np.maximum(active.sum(1), 1)
    votes = active & (u_vote < _logistic(util / p.cc_vote_scale))
    share = votes.sum(1) / n_act
    util = util + p.cc_bandwagon * (share - 0.5)[:, None]
    votes = active & (u_vote < _logistic(util / p.cc_vote_scale))
    v_for = votes.sum(1).astype(float)
    return v_for, n_act - v_for


def _logistic(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)), without overflow warnings for large |x|."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def security_military_counts(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Military and security members by patron: ((runs, L), (runs, L)) shares of their type."""
    mil = counts[:, :-1, MIL] / np.maximum(counts[:, :, MIL].sum(1, keepdims=True), 1.0)
    sec = counts[:, :-1, SEC] / np.maximum(counts[:, :, SEC].sum(1, keepdims=True), 1.0)
    return mil, sec


def turnover(cc: dict, counts: np.ndarray, size: np.ndarray, rate: np.ndarray, fs: np.ndarray,
             fs_clients: np.ndarray, presidium_power: np.ndarray, network: np.ndarray,
             draws: np.ndarray, p) -> tuple[dict, np.ndarray]:
    """The First Secretary replaces regional secretaries (one month).

    ``draws`` (runs, k, 5) uniforms: candidate slot (its fractional part decides), two for the
    new patron, stance, offset. Members outside his network are replaced ``1 + bias`` times
    as often as his own (``1 - bias``); the expected number replaced is about
    ``rate / 12`` of the regional secretaries.

    Returns:
        (member arrays, counts): unchanged objects if nobody was replaced.
    """
    n, k, _ = draws.shape
    pos = draws[:, :, 0] * size[:, None]
    slot = np.minimum(pos.astype(np.int64), np.maximum(size[:, None] - 1, 0))
    frac = pos - slot
    ctype = np.take_along_axis(cc["type"], slot, 1)
    pat = np.take_along_axis(cc["patron"], slot, 1)
    n_l = network.shape[1] - 1
    in_net = np.take_along_axis(network, np.where(pat >= 0, pat, n_l), 1)
    q = (rate * size / (12.0 * k))[:, None] * np.where(in_net, 1 - p.turnover_bias, 1 + p.turnover_bias)
    acc = (ctype == REG) & (frac < q) & (fs >= 0)[:, None]
    for i in range(1, k):
        acc[:, i] &= ~(slot[:, :i] == slot[:, i : i + 1]).any(1)
    r, c = np.nonzero(acc)
    if not len(r):
        return cc, counts
    s = slot[r, c]
    d = draws[r, c]
    new_pat = nominate(d[:, 1], d[:, 2], fs[r], fs_clients[r], presidium_power[r],
                       np.full(len(r), -1), p)
    out = dict(cc)
    for key in ("patron", "stance", "offset"):
        out[key] = cc[key].copy()
    old_pat = out["patron"][r, s]
    out["patron"][r, s] = new_pat
    out["stance"][r, s] = new_stance(new_pat, d[:, 3])
    out["offset"][r, s] = uniform_offset(d[:, 4])
    counts = counts.copy()
    np.add.at(counts, (r, np.where(old_pat >= 0, old_pat, n_l), REG), -1.0)
    np.add.at(counts, (r, np.where(new_pat >= 0, new_pat, n_l), REG), 1.0)
    return out, counts


def sovnarkhoz_transfer(cc: dict, rows: np.ndarray, share: np.ndarray, u: np.ndarray) -> dict:
    """Decentralisation (1957): a share of the ministers become regional economic chiefs.

    Args:
        cc: member arrays; rows: runs where the reform starts; share: (k,) fraction moved;
        u: (k, slots) uniforms.
    """
    out = dict(cc)
    out["type"] = cc["type"].copy()
    sub = out["type"][rows]
    moved = (sub == MIN) & (u < share[:, None])
    out["type"][rows] = np.where(moved, REG, sub)
    return out
