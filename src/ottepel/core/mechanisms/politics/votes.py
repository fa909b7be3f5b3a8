"""Carrying out a plot: detection, arrests, Presidium votes, CC plenums and retaliation.

Indices: ``rows`` are positions in the chunk (runs); ``loc`` are positions in the subset
of runs reviewed this month (``idx[loc] == rows``).
"""

from __future__ import annotations

import numpy as np

from ottepel.core.mechanisms.politics import cc as ccm
from ottepel.core.mechanisms.politics.leaders import (
    DEFENCE,
    FS,
    GOSPLAN,
    OFFICES,
    PREMIER,
    SECURITY,
    load_leaders,
)
from ottepel.core.mechanisms.politics.moves import (
    add_grudge,
    arrest,
    remove,
    strip_office,
    transfer_clients,
)
from ottepel.core.mechanisms.politics.power import army_side, cc_common, successor_of
from ottepel.core.mechanisms.politics.work import Work, _Rows, mask_names


def _reset_plot(w: Work, rows) -> None:
    w.mut("plot_target")[rows] = -1
    w.mut("plot_months")[rows] = 0
    w.mut("plot_initiator")[rows] = -1


def detected(w: Work, mo, a, plan, loc, idx, u_strike, p) -> None:
    """The target learns of the plot: strike first if he has the force, else expose it."""
    lt = load_leaders()
    rows = idx[loc]
    slot, tgt, init = plan["slot"][loc], plan["target"][loc], plan["initiator"][loc]
    coal = a["coal"][loc, slot]
    f_t, f_c = a["f_t"][loc, slot], a["f_c"][loc, slot]
    strike = (f_t > p.arrest_force_min) & (mo.norm[rows] > p.arrest_norm_min)
    win = strike & (u_strike[loc] < 1.0 / (1.0 + (f_c / (f_t + 1e-9)) ** 2))
    arrest(w, rows[win], init[win], [lt.name[t] for t in tgt[win]],
           [f"pre-emptive strike on a detected plot; force {ft:.2f} vs {fc:.2f}"
            for ft, fc in zip(f_t[win], f_c[win], strict=True)], p.trial_delay)
    add_grudge(w, rows[win], tgt[win], coal[win], 1.0)
    lose = strike & ~win
    arrest(w, rows[lose], tgt[lose], mask_names(coal[lose]),
           ["plot detected; the target's strike failed"] * int(lose.sum()), p.trial_delay)
    exp = ~strike
    onehot = np.arange(lt.n)[None, :] == init[exp][:, None]
    add_grudge(w, rows[exp], tgt[exp], onehot, 1.0)
    if exp.any():
        w.mut("prestige")[rows[exp], init[exp]] -= 0.1
    w.emit("plot_exposed", rows[exp], 1.0,
           [f"target={lt.name[t]}; by={lt.name[i]}" for t, i in zip(tgt[exp], init[exp], strict=True)],
           "the target learned of the plot")
    _reset_plot(w, rows)


def fire(w: Work, mo, a, plan, loc, idx, p) -> np.ndarray:
    """Execute the moves of reviewed runs ``loc``; returns (runs,) bool pack-the-Presidium."""
    lt = load_leaders()
    pack = np.zeros(len(mo.fs), bool)
    rows = idx[loc]
    slot, tgt, init = plan["slot"][loc], plan["target"][loc], plan["initiator"][loc]
    coal, h = a["coal"][loc, slot], a["h"][loc, slot]
    by = [a_ or b_ for a_, b_ in zip(mask_names(coal & mo.presidium[rows]), mask_names(coal),
                                     strict=True)]
    u = w.rng.subset(rows).uniform(w.month, "politics.move", (lt.n + 1,))
    ar = a["arrest"][loc, slot]
    ok = ar & (u[:, -1] < a["p_force"][loc, slot])
    f_c, f_t = a["f_c"][loc, slot], a["f_t"][loc, slot]
    arrest(w, rows[ok], tgt[ok], [by[i] for i in np.flatnonzero(ok)],
           [f"coalition force {c:.2f} vs {t:.2f}; belief {b:.2f}" for c, t, b in zip(
               f_c[ok], f_t[ok], a["belief"][loc[ok], slot[ok]], strict=True)], p.trial_delay)
    bad = ar & ~ok
    arrest(w, rows[bad], init[bad], [lt.name[t] for t in tgt[bad]],
           ["failed attempt to arrest " + lt.name[t] for t in tgt[bad]], p.trial_delay)
    add_grudge(w, rows[bad], tgt[bad], coal[bad], 1.0)
    v = ~ar
    if v.any():
        belief = a["belief"][loc[v], slot[v]]
        pack |= _vote(w, mo, rows[v], tgt[v], init[v], coal[v], h[v],
                      [by[i] for i in np.flatnonzero(v)], u[v, : lt.n], belief, p)
    _reset_plot(w, rows)
    return pack


def _office_name(offices_row, who) -> str:
    held = [OFFICES[o] for o in range(len(OFFICES)) if offices_row[o] == who]
    return "+".join(held) if held else "none"


def _vote(w: Work, mo, rows, tgt, init, coal, h, by, u, belief, p) -> np.ndarray:
    """A Presidium vote against the target; against the First Secretary, a CC plenum."""
    lt = load_leaders()
    pres = mo.presidium[rows] & mo.active[rows]
    waver = u < p.waver
    yes = pres & ((coal & ~(waver & (h < 0.5))) | (~coal & (h > -0.5) & waver))
    n_yes, n_pres = yes.sum(1), pres.sum(1)
    passed = n_yes > n_pres / 2
    no = pres & ~yes
    w.emit("presidium_vote", rows, n_yes,
           [f"target={lt.name[t]}; office={_office_name(mo.offices[r], t)}; for={y}; against={q}"
            for t, r, y, q in zip(tgt, rows, mask_names(yes), mask_names(no), strict=True)],
           [f"outcome={'passed' if ok else 'failed'}; votes={y}-{npr - y}; "
            f"{lt.name[t]} power share {sh:.2f}; belief={b:.2f}"
            for ok, y, npr, t, sh, b in zip(passed.tolist(), n_yes.tolist(), n_pres.tolist(),
                                            tgt.tolist(), mo.share[rows, tgt].tolist(),
                                            belief.tolist(), strict=True)])
    pack = np.zeros(len(mo.fs), bool)
    failed = ~passed
    add_grudge(w, rows[failed], tgt[failed], yes[failed], 1.0)
    if failed.any():
        w.mut("prestige")[rows[failed], init[failed]] -= 0.1
    is_fs = tgt == mo.fs[rows]
    pl = passed & is_fs
    if pl.any():
        pack[rows[pl]] = _plenum(w, mo, rows[pl], tgt[pl], init[pl], coal[pl], yes[pl], h[pl],
                                 [by[i] for i in np.flatnonzero(pl)], p)
    other = passed & ~is_fs
    if other.any():
        _demote_or_remove(w, mo, rows[other], tgt[other], yes[other],
                          [by[i] for i in np.flatnonzero(other)], p)
    return pack


def _demote_or_remove(w: Work, mo, rows, tgt, yes, by, p) -> None:
    """A passed vote against a non-FS leader: strip his weightiest office, or remove him."""
    lt = load_leaders()
    offices = w.get("offices")
    major = (offices[rows][:, [PREMIER, SECURITY, DEFENCE, GOSPLAN]] == tgt[:, None]).any(1)
    d = np.flatnonzero(major)
    if len(d):
        r = rows[d]
        top = strip_office(w, r, tgt[d])
        w.mut("barred_until")[r, tgt[d]] = w.month + int(p.barred_months)
        add_grudge(w, r, tgt[d], yes[d], 1.0)
        w.mut("prestige")[r, tgt[d]] -= 0.2
        w.emit("demotion", r, 1.0,
               [f"target={lt.name[t]}; office={OFFICES[o]}; by={by[i]}"
                for t, o, i in zip(tgt[d], top, d, strict=True)],
               [f"Presidium vote; {lt.name[t]} power share {sh:.2f}"
                for t, sh in zip(tgt[d].tolist(), mo.share[r, tgt[d]].tolist(), strict=True)])
    x = np.flatnonzero(~major)
    if len(x):
        r = rows[x]
        remove(w, r, tgt[x], w.rng.subset(r).uniform(w.month, "politics.fate.vote"),
               mo.norm[r], "Presidium vote", [by[i] for i in x], p.trial_delay)


def _plenum(w: Work, mo, rows, tgt, init, coal, yes, h, by, p) -> np.ndarray:
    """The First Secretary appeals to a CC plenum, which decides (June 1957, October 1964)."""
    lt = load_leaders()
    power = mo.power[rows]
    cand = successor_of(coal, power, p)
    cand = np.where(cand >= 0, cand, np.argmax(np.where(coal, power, -1.0), 1))
    sub = w.rng.subset(rows)
    members = {k: mo.cc[k][rows] for k in ("type", "patron", "stance", "offset")}
    s = _Rows(mo, rows)
    common = cc_common(s, coal, tgt, cand, p)
    side = army_side(s.army, coal, tgt)
    u_vote = sub.uniform(w.month, "politics.plenum", (members["type"].shape[1],))
    shock = sub.normal(w.month, "politics.plenum_mood")
    grv = mo.grievance[rows] + mo.society_grievance[rows, None]
    v_for, v_against = ccm.plenum_vote(members, coal, tgt, cand, mo.leader_patron[rows], grv,
                                       mo.destal_shock[rows], common, side, u_vote, shock, p)
    upheld = v_for > v_against
    w.emit("plenum_vote", rows, v_against,
           [f"target={lt.name[t]}; office=first_secretary; by={b}" for t, b in zip(tgt, by, strict=True)],
           [f"outcome={'upheld' if ok else 'removed'}; for_target={int(f)}; against_target={int(g)}; "
            f"army={'with target' if sd > 0 else 'with plotters' if sd < 0 else 'neutral'}; "
            f"cc_grievance={gv:.2f}; fs_prestige={mo.prestige[r, t]:.2f}"
            for ok, f, g, sd, gv, r, t in zip(upheld, v_for, v_against, side, grv.mean(1), rows, tgt,
                                              strict=True)])
    w.mut("arbiter")[rows] = 1.0
    fate_u = sub.uniform(w.month, "politics.fate.plenum", (lt.n,))
    lost = np.flatnonzero(~upheld)
    if len(lost):
        r = rows[lost]
        remove(w, r, tgt[lost], fate_u[lost, tgt[lost]], mo.norm[r], "CC plenum",
               [by[i] for i in lost], p.trial_delay)
        w.mut("offices")[r, FS] = cand[lost]
        w.mut("repudiated")[r, tgt[lost]] = True
        transfer_clients(w, r, tgt[lost], cand[lost])
        w.mut("prestige")[r, cand[lost]] += p.prestige_plenum_win
        loyal = (mo.presidium[r] & mo.active[r]) & ~yes[lost]
        loyal[np.arange(len(r)), tgt[lost]] = False
        add_grudge(w, r, cand[lost], loyal, 1.0)
        g = w.mut("grudge")
        g[r, cand[lost], :] -= p.pact * coal[lost]
    kept = np.flatnonzero(upheld)
    pack = np.zeros(len(rows), bool)
    if len(kept):
        _retaliate(w, mo, rows[kept], tgt[kept], init[kept], yes[kept], h[kept], fate_u[kept], p)
        pack[kept] = True
        _army_debt(w, rows[kept], tgt[kept], s.army[kept], side[kept], p)
    return pack


def _army_debt(w: Work, rows, fs, army, side, p) -> None:
    """A marshal who saved the First Secretary becomes a threat to him (Zhukov, October 1957).

    Where the army's leader stood by the upheld First Secretary, the First Secretary (and,
    through the bandwagon, the Presidium) takes a grudge ``army_debt`` against him: a
    politically active soldier who decided one plenum could decide the next.
    """
    lead = np.argmax(army, 1)
    ok = (side > 0) & (lead != fs) & (army.max(1) > 0.2)
    if ok.any():
        onehot = np.arange(army.shape[1])[None, :] == lead[ok][:, None]
        add_grudge(w, rows[ok], fs[ok], onehot, p.army_debt)


def _retaliate(w: Work, mo, rows, fs, init, yes, h, fate_u, p) -> None:
    """After a failed move: the core plotters go, the others are marked (grudge)."""
    lt = load_leaders()
    w.mut("prestige")[rows, fs] += p.prestige_plenum_win
    rank = np.where(yes, h, -np.inf)
    rank[np.arange(len(rows)), init] = np.inf
    order = np.argsort(-rank, 1)[:, : int(p.retaliation_core)]
    core = np.zeros_like(yes)
    np.put_along_axis(core, order, True, 1)
    core &= yes | (np.arange(lt.n)[None, :] == init[:, None])
    r_i, j = np.nonzero(core)
    if len(r_i):
        r = rows[r_i]
        remove(w, r, j, fate_u[r_i, j], mo.norm[r], "CC plenum retaliation",
               [lt.name[f] for f in fs[r_i].tolist()], p.trial_delay)
    add_grudge(w, rows, fs, yes & ~core, p.grudge_marked)
