"""Moves in the struggle for power and their consequences (the state-changing half).

``Work`` holds the month's copy-on-write arrays and the events emitted. The functions
here arrest, remove, demote and appoint; they run the Presidium vote, the CC plenum and
the retaliation after a failed move; they fill vacant offices and Presidium seats; they
hold trials and record natural deaths. ``struggle.py`` decides who moves; this module
carries the moves out. Indices: ``rows`` are positions in the chunk (runs); ``loc`` are
positions in the subset of runs reviewed this month (``idx[loc] == rows``).
"""

from __future__ import annotations

import numpy as np

from ottepel.core.mechanisms import cc as ccm
from ottepel.core.mechanisms.leaders import (
    ACTIVE,
    ARRESTED,
    DEAD,
    DEFENCE,
    DEMOTED,
    EXECUTED,
    FS,
    GOSPLAN,
    HEAD_OF_STATE,
    OFFICES,
    PREMIER,
    RETIRED,
    SECURITY,
    STATUS,
    load_leaders,
)

# Relative weight of each office in a leader's power (order of OFFICES). The ranking follows
# Taubman 2003 and Tompson 1995: the party secretaryship first, the premiership second.
OFFICE_WEIGHT = np.array([1.0, 0.8, 0.6, 0.4, 0.15, 0.25])
VACANT = -2



class Work:
    """The month's working arrays (copy-on-write over the politics state) and events."""

    def __init__(self, ps, month: int, rng, params):
        self.ps, self.month, self.rng, self.params = ps, month, rng, params
        self.arrays: dict[str, np.ndarray] = {}
        self.events: list[tuple] = []

    def get(self, name: str) -> np.ndarray:
        """Current value of a politics array."""
        return self.arrays[name] if name in self.arrays else getattr(self.ps, name)

    def mut(self, name: str) -> np.ndarray:
        """A writable copy of a politics array (copied once per month)."""
        if name not in self.arrays:
            self.arrays[name] = np.array(getattr(self.ps, name), copy=True)
        return self.arrays[name]

    def emit(self, kind: str, runs: np.ndarray, magnitude, actors, causes) -> None:
        """Record events for chunk positions ``runs`` (strings per run)."""
        runs = np.asarray(runs, dtype=np.int64)
        if len(runs):
            mag = np.broadcast_to(np.asarray(magnitude, dtype=float), runs.shape).copy()
            self.events.append((kind, runs, mag, np.asarray(actors, dtype=object),
                                np.asarray(causes, dtype=object)))


    def batches(self) -> list[tuple]:
        """Events grouped into one batch per kind (fewer, larger tables downstream)."""
        kinds: dict[str, list[tuple]] = {}
        for e in self.events:
            kinds.setdefault(e[0], []).append(e)
        out = []
        for kind, evs in kinds.items():
            out.append((kind, np.concatenate([e[1] for e in evs]), np.concatenate([e[2] for e in evs]),
                        np.concatenate([np.broadcast_to(e[3], e[1].shape) for e in evs]),
                        np.concatenate([np.broadcast_to(e[4], e[1].shape) for e in evs])))
        return out



def names(ids) -> str:
    """Comma-separated display names of leader ids."""
    lt = load_leaders()
    return ",".join(lt.name[i] for i in ids if i >= 0)


_NAME_CACHE: dict[int, str] = {}


def mask_names(mask: np.ndarray) -> list[str]:
    """Names of the leaders in each row of a (k, L) bool mask (cached by bit pattern)."""
    bits = mask.astype(np.int64) @ (np.int64(1) << np.arange(mask.shape[1], dtype=np.int64))
    out = []
    for b in bits.tolist():
        if b not in _NAME_CACHE:
            _NAME_CACHE[b] = names([i for i in range(mask.shape[1]) if b >> i & 1])
        out.append(_NAME_CACHE[b])
    return out


def fate_of(u: np.ndarray, norm: np.ndarray) -> np.ndarray:
    """Status of a loser under the violence norm n: arrested n^2, expelled, else pensioned.

    Expelled (sent to a minor post abroad or in the provinces) with probability
    (1 - n^2) sqrt(n); pensioned otherwise. Destalinisation lowers n (shot -> expelled ->
    pensioned).
    """
    p_arrest = norm**2
    p_expel = (1 - p_arrest) * np.sqrt(norm)
    return np.where(u < p_arrest, ARRESTED, np.where(u < p_arrest + p_expel, DEMOTED, RETIRED))



def _unseat(w: Work, runs, who, status) -> None:
    """Out of the Presidium and every office; his clients lose their patron (pair-safe)."""
    w.mut("status")[runs, who] = status
    w.mut("presidium")[runs, who] = False
    offices = w.mut("offices")
    r, o = np.nonzero(offices[runs] == who[:, None])
    offices[runs[r], o] = VACANT
    lp = w.mut("leader_patron")
    r, j = np.nonzero(lp[runs] == who[:, None])
    lp[runs[r], j] = -1
    _taint_allies(w, runs, who)


def remove(w: Work, runs, who, u, norm, via: str, by: list[str], trial_delay: int) -> None:
    """Remove leaders ``who`` (k,) from the leadership in runs ``runs``; fate by the norm.

    ``runs`` may repeat (several leaders of one run removed at once).
    """
    if not len(runs):
        return
    lt = load_leaders()
    fate = fate_of(u, norm)
    _unseat(w, runs, who, fate)
    w.mut("trial_month")[runs, who] = np.where(fate == ARRESTED, w.month + trial_delay, -1)
    fates = [STATUS[f] if f != DEMOTED else "expelled" for f in fate.tolist()]
    actors = [f"target={lt.name[i]}; by={b}" for i, b in zip(who.tolist(), by, strict=True)]
    norms = np.asarray(norm).tolist()
    w.emit("removal", runs, 1.0, actors,
           [f"fate={f}; via={via}; violence_norm={n:.2f}" for f, n in zip(fates, norms, strict=True)])
    arrested = np.flatnonzero(fate == ARRESTED)
    if len(arrested):
        w.emit("arrest", runs[arrested], 1.0, [actors[i] for i in arrested],
               [f"after removal via {via}; violence_norm={norms[i]:.2f}" for i in arrested])


def _taint_allies(w: Work, runs, who) -> None:
    """A fallen leader's close allies lose prestige and fall under suspicion (Malenkov, 1953)."""
    lt = load_leaders()
    ties = np.maximum(lt.ties[who], 0.0)
    if np.any(ties > 0.25):
        close = ties * (ties > 0.25)
        w.mut("prestige")[runs] -= w.params.prestige_taint * close
        w.mut("grudge")[runs] += w.params.taint_grudge * close[:, :, None]


def arrest(w: Work, runs, who, by: list[str], cause: list[str], trial_delay: int) -> None:
    """Arrest leaders ``who`` (k,) in runs ``runs``: out of every post, tried later."""
    if not len(runs):
        return
    lt = load_leaders()
    _unseat(w, runs, who, ARRESTED)
    w.mut("trial_month")[runs, who] = w.month + trial_delay
    actors = [f"target={lt.name[i]}; by={b}" for i, b in zip(who.tolist(), by, strict=True)]
    w.emit("arrest", runs, 1.0, actors, cause)


def add_grudge(w: Work, runs, holder, against, amount: float) -> None:
    """Leader ``holder`` (k,) takes a grudge against the leaders in ``against`` ((k, L) mask).

    Storage: ``grudge[r, i, j]`` is j's grudge against i (target axis first, so a target's
    row gathers in one step).
    """
    if len(runs):
        g = w.mut("grudge")
        g[runs, :, holder] += amount * against


def strip_office(w: Work, runs, who) -> np.ndarray:
    """Take each leader's weightiest office (not the First Secretaryship); returns it (k,)."""
    offices = w.mut("offices")
    held = offices[runs] == who[:, None]
    held[:, FS] = False
    weight = np.where(held, OFFICE_WEIGHT, -1.0)
    top = np.argmax(weight, 1)
    offices[runs, top] = VACANT
    return top



def trials(w: Work, norm: np.ndarray) -> None:
    """Arrested leaders whose trial is due: shot with probability n, else imprisoned."""
    due = (w.get("trial_month") == w.month) & (w.get("status") == ARRESTED)
    if not due.any():
        return
    lt = load_leaders()
    runs, who = np.nonzero(due)
    u = w.rng.subset(runs).uniform(w.month, "politics.trial", (lt.n,))[np.arange(len(runs)), who]
    shot = u < norm[runs]
    w.mut("trial_month")[runs, who] = -1
    status = w.mut("status")
    status[runs[shot], who[shot]] = EXECUTED
    w.emit("execution", runs[shot], 1.0, [f"target={lt.name[i]}" for i in who[shot]],
           [f"closed trial; violence_norm={norm[r]:.2f}" for r in runs[shot]])


def fill_vacancies(w: Work, mo, p) -> None:
    """Appoint to vacant offices: the appointer's clients and allies first.

    The appointer is the First Secretary (or the strongest Presidium member). A First
    Secretary whose power share is large and who is ambitious takes a vacant premiership
    himself (Khrushchev, 1958); head of state goes to an elderly figurehead; a holder of a
    lesser office may move up (Bulganin from Defence to the premiership, 1955). An
    appointment buys the appointee's gratitude (a negative grudge toward the appointer).
    """
    vac_rows = np.flatnonzero((w.get("offices") == VACANT).any(1))
    if not len(vac_rows):
        return
    lt = load_leaders()
    sub = w.rng.subset(vac_rows)
    gumbel = -np.log(-np.log(sub.uniform(w.month, "politics.appoint", (lt.n + 1,))))
    u_acc = sub.uniform(w.month, "politics.accumulate")
    offices = w.mut("offices")
    status, pres, lp = w.get("status"), w.get("presidium"), w.get("leader_patron")
    barred = w.get("barred_until")[vac_rows] > w.month
    for o in (FS, PREMIER, SECURITY, DEFENCE, GOSPLAN, HEAD_OF_STATE):
        loc = np.flatnonzero(offices[vac_rows, o] == VACANT)
        if not len(loc):
            continue
        rows = vac_rows[loc]
        active = status[rows] == ACTIVE
        fs = offices[rows, FS]
        strongest = np.argmax(np.where(pres[rows] & active, mo.power[rows], -1.0), 1)
        app = np.where(fs >= 0, fs, strongest)
        busy = np.zeros_like(active)
        for oo in range(len(OFFICES)):
            if OFFICE_WEIGHT[oo] < OFFICE_WEIGHT[o] and oo != FS:
                continue
            h = offices[rows, oo]
            busy[np.arange(len(rows)), np.maximum(h, 0)] |= h >= 0
        elig = lt.eligibility[o] * active * ~busy * ~barred[loc]
        if o == FS:
            elig = elig * pres[rows]
        if o == HEAD_OF_STATE:
            elig = elig * (1.0 - lt.ambition) * (lt.born < 1905)
        aff = lt.ties[app] + (lp[rows] == app[:, None])
        score = np.where(elig > 0, np.log(np.maximum(elig * (0.2 + mo.power[rows]), 1e-9))
                         + p.appoint_affinity * aff + p.appoint_noise * gumbel[loc, : lt.n], -np.inf)
        best = np.argmax(score, 1)
        top = score[np.arange(len(rows)), best]
        outsider = np.log(p.appoint_outsider) + p.appoint_noise * gumbel[loc, lt.n]
        new = np.where(np.isfinite(top) & ((top > outsider) | (o == FS)), best, -1)
        if o == PREMIER:
            share = mo.share[rows, np.maximum(fs, 0)]
            take = (fs >= 0) & (u_acc[loc] < p.accumulation * lt.ambition[np.maximum(fs, 0)]
                                * np.clip((share - 0.15) / 0.15, 0, 1))
            new = np.where(take, fs, new)
        lesser = (OFFICE_WEIGHT < OFFICE_WEIGHT[o]) & (np.arange(len(OFFICES)) != FS)
        moved_up = (offices[rows] == new[:, None]) & (new >= 0)[:, None] & lesser
        offices[rows] = np.where(moved_up, VACANT, offices[rows])
        offices[rows, o] = new
        got = new >= 0
        thanks = got & (new != app)
        w.mut("grudge")[rows[thanks], app[thanks], new[thanks]] -= p.gratitude
        w.emit("appointment", rows[got], float(o),
               [f"target={lt.name[i]}; office={OFFICES[o]}; by={lt.name[a]}"
                for i, a in zip(new[got], app[got], strict=True)], "vacancy")


def promote(w: Work, mo, p, pack: np.ndarray) -> None:
    """Fill Presidium vacancies with the First Secretary's men (after a purge: at once).

    Each month a vacancy is filled with probability ``vacancy_fill``; after a won plenum
    all at once. A promoted leader without a patron becomes the promoter's client
    (loyalty bought with the seat, Bueno de Mesquita et al. 2003).
    """
    lt = load_leaders()
    status, pres = w.get("status"), w.get("presidium")
    active = status == ACTIVE
    vac = p.presidium_size - (pres & active).sum(1)
    cand_rows = np.flatnonzero(vac > 0)
    if not len(cand_rows):
        return
    sub = w.rng.subset(cand_rows)
    u = sub.uniform(w.month, "politics.promote", (lt.n + 1,))
    want = (u[:, lt.n] < p.vacancy_fill) | pack[cand_rows]
    if not want.any():
        return
    rows, u = cand_rows[want], u[want, : lt.n]
    pres, lp = w.mut("presidium"), w.mut("leader_patron")
    fs = w.get("offices")[rows, FS]
    strongest = np.argmax(np.where(pres[rows] & active[rows], mo.power[rows], -1.0), 1)
    app = np.where(fs >= 0, fs, strongest)
    seniority = np.clip((mo.year - lt.born - p.seniority_age) / 10.0, 0.0, 1.0)
    gumbel = -np.log(-np.log(u))
    aff = lt.ties[app] + (lp[rows] == app[:, None])
    todo = np.where(pack[rows], np.minimum(vac[rows], 4), 1)
    for _ in range(int(todo.max())):
        cand = active[rows] & ~pres[rows] & (seniority > 0)
        score = np.where(cand, np.log(np.maximum(lt.skill * seniority, 1e-9))
                         + p.appoint_affinity * aff + p.appoint_noise * gumbel, -np.inf)
        best = np.argmax(score, 1)
        ok = np.isfinite(score[np.arange(len(rows)), best]) & (todo > 0)
        r, b = rows[ok], best[ok]
        pres[r, b] = True
        orphan = (lp[r, b] < 0) | ~active[r, np.maximum(lp[r, b], 0)]
        lp[r[orphan], b[orphan]] = app[ok][orphan]
        w.emit("promotion", r, 1.0, [f"target={lt.name[i]}; by={lt.name[a]}" for i, a in
                                     zip(b, app[ok], strict=True)], "Presidium vacancy")
        todo = todo - 1


def deaths(w: Work, due: np.ndarray) -> None:
    """Leaders who die this month (natural causes): offices fall vacant."""
    if not due.any():
        return
    lt = load_leaders()
    runs, who = np.nonzero(due)
    w.mut("status")[runs, who] = DEAD
    w.mut("presidium")[runs, who] = False
    offices = w.mut("offices")
    offices[runs] = np.where(offices[runs] == who[:, None], VACANT, offices[runs])
    lp = w.mut("leader_patron")
    lp[runs] = np.where(lp[runs] == who[:, None], -1, lp[runs])
    w.emit("death", runs, 1.0, [f"target={lt.name[i]}" for i in who], "natural causes")


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
    from ottepel.core.mechanisms.struggle import army_side, candidate_of, cc_common

    lt = load_leaders()
    power = mo.power[rows]
    cand = candidate_of(coal, power)
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
    return pack


def transfer_clients(w: Work, rows, old, new) -> None:
    """The apparatus follows the new First Secretary: the old one's CC clients become his.

    After Khrushchev's fall the regional secretaries he had appointed served Brezhnev;
    a fallen leader's men keep their posts until the next congress or turnover.
    """
    if not len(rows):
        return
    from ottepel.core.mechanisms import cc as ccm

    lt = load_leaders()
    patron = w.mut("cc_patron")
    sub = patron[rows]
    patron[rows] = np.where(sub == old[:, None], new[:, None], sub).astype(patron.dtype)
    counts = w.mut("clients")
    counts[rows] = ccm.client_counts(w.get("cc_type")[rows], patron[rows], lt.n)
    mil, sec = ccm.security_military_counts(counts[rows])
    w.mut("mil_clients")[rows], w.mut("sec_clients")[rows] = mil, sec


class _Rows:
    """The month context restricted to some runs (attributes gathered on demand)."""

    def __init__(self, mo, rows):
        self._mo, self._rows = mo, rows

    def __getattr__(self, name):
        return getattr(self._mo, name)[self._rows]


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
