"""Moves and their consequences: removal, arrest, trials, deaths and appointments.

The functions here arrest, remove, demote and appoint; they fill vacant offices and
Presidium seats; they hold trials and record natural deaths. ``struggle.py`` decides who
moves, ``votes.py`` runs the votes and plenums; this module changes the state. Indices:
``rows`` are positions in the chunk (runs).
"""

from __future__ import annotations

import numpy as np

from ottepel.core.mechanisms.politics import cc as ccm
from ottepel.core.mechanisms.politics.leaders import (
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
from ottepel.core.mechanisms.politics.work import OFFICE_WEIGHT, VACANT, Work


def fate_of(u: np.ndarray, norm: np.ndarray) -> np.ndarray:
    """Status of a loser under the violence norm n: arrested n^2, expelled, else pensioned.

    Expelled (sent to a minor post abroad or in the provinces) with probability
    (1 - n^2) sqrt(n); pensioned otherwise. Destalinisation lowers n (shot -> expelled ->
    pensioned).
    """
    p_arrest = norm**2
    p_expel = (1 - p_arrest) * np.sqrt(norm)
    return np.where(u < p_arrest, ARRESTED, np.where(u < p_arrest + p_expel, DEMOTED, RETIRED))


def _vacate(w: Work, runs, who, status) -> None:
    """Leaders ``who`` (k,) leave the Presidium and every office; their clients lose their patron.

    Pair-safe: ``runs`` may repeat (two leaders of one run falling in one month), each
    (run, leader) pair is written on its own, so no write masks another.
    """
    w.mut("status")[runs, who] = status
    w.mut("presidium")[runs, who] = False
    offices = w.mut("offices")
    r, o = np.nonzero(offices[runs] == who[:, None])
    offices[runs[r], o] = VACANT
    lp = w.mut("leader_patron")
    r, j = np.nonzero(lp[runs] == who[:, None])
    lp[runs[r], j] = -1


def _unseat(w: Work, runs, who, status) -> None:
    """Out of the Presidium and every office, his allies tainted (pair-safe)."""
    _vacate(w, runs, who, status)
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
        # np.add.at: a run may lose two leaders at once, and each taints his allies.
        np.add.at(w.mut("prestige"), runs, -w.params.prestige_taint * close)
        np.add.at(w.mut("grudge"), runs, w.params.taint_grudge * close[:, :, None])


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
        np.add.at(g, (runs, slice(None), holder), amount * against)


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
    _vacate(w, runs, who, DEAD)
    w.emit("death", runs, 1.0, [f"target={lt.name[i]}" for i in who], "natural causes")


def transfer_clients(w: Work, rows, old, new) -> None:
    """The apparatus follows the new First Secretary: the old one's CC clients become his.

    After Khrushchev's fall the regional secretaries he had appointed served Brezhnev;
    a fallen leader's men keep their posts until the next congress or turnover.
    """
    if not len(rows):
        return
    lt = load_leaders()
    patron = w.mut("cc_patron")
    sub = patron[rows]
    patron[rows] = np.where(sub == old[:, None], new[:, None], sub).astype(patron.dtype)
    counts = w.mut("clients")
    counts[rows] = ccm.client_counts(w.get("cc_type")[rows], patron[rows], lt.n)
    mil, sec = ccm.security_military_counts(counts[rows])
    w.mut("mil_clients")[rows], w.mut("sec_clients")[rows] = mil, sec
