"""The monthly step of politics (order in the package docstring)."""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

import numpy as np

from ottepel.core.mechanisms.politics import moves as mv
from ottepel.core.mechanisms.politics.leaders import (
    ACTIVE,
    ARRESTED,
    DEMOTED,
    EXECUTED,
    FS,
    NONE,
    OFFICES,
    PREMIER,
    RETIRED,
    load_leaders,
    political_record,
)
from ottepel.core.mechanisms.politics.policies import (
    _central_committee,
    _lever,
    _policies,
    _policy_grudges,
    _prestige,
)
from ottepel.core.mechanisms.politics.power import leader_power, office_score, stance_gap
from ottepel.core.mechanisms.politics.state import PoliticsState
from ottepel.core.mechanisms.politics.struggle import struggle
from ottepel.core.mechanisms.politics.work import VACANT, Work
from ottepel.core.state import EventBatch, State

NAME = "politics"


def _mortality(w: Work, state: State, p) -> None:
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


def _month_context(w: Work, state: State, p, rows=None) -> SimpleNamespace:
    """Arrays the struggle reads this month (all runs, or the runs ``rows``)."""
    sel = slice(None) if rows is None else rows

    def get(name):
        return w.get(name)[sel]

    status, pres, offices, counts = get("status"), get("presidium"), get("offices"), get("clients")
    m = state.clock.month
    police = _lever(state.context.decisions, "secret_police_cut", m, state)[sel]
    sov = _lever(state.context.decisions, "sovnarkhoz_reform", m, state)[sel]
    coercion = (get("mil_clients"), get("sec_clients"))
    power, army, security = leader_power(status, pres, offices, counts, coercion,
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


def _pinned(w: Work, state: State, p) -> None:
    """Apply the dated political record of this month to every run."""
    lt = load_leaders()
    rec = political_record()
    rows = rec[rec["month"] == int(state.context.months[state.clock.month].astype(int))]
    runs = np.arange(state.n_runs)
    for r in rows.itertuples():
        who = NONE if r.leader == "none" else lt.index(r.leader)
        _apply_record(w, runs, r, who, lt)


def _apply_record(w: Work, runs, r, who, lt) -> None:
    office = OFFICES.index(r.office) if isinstance(r.office, str) and r.office else -1
    offices = w.mut("offices")
    src = f"pinned to history ({r.source})"
    name = lt.name[who] if who >= 0 else "none"
    if r.action == "arrest":
        mv.arrest(w, runs, np.full(len(runs), who), ["Presidium"] * len(runs), [src] * len(runs), 99999)
        offices[offices == VACANT] = NONE
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
    gap = stance_gap()
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
    w = Work(ps, m, rng, p)
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
    if w.congress != ps.congress:
        # A congress sanctions the balance it elects: the new CC's clients are the baseline,
        # only accumulation beyond it threatens (as with an office gained or lost).
        mo.share_ema = mo.share_ema + p.congress_sanction * (mo.share - mo.share_ema)
        w.arrays["share_ema"] = mo.share_ema
    if pinned:
        _pinned(w, state, p)
    else:
        pack = struggle(w, mo, p)
        mv.fill_vacancies(w, mo, p)
        mv.promote(w, mo, p, pack)
    return _finish(w, state, mo, fs_before, p)


def _finish(w: Work, state: State, mo, fs_before, p) -> State:
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
        moved = office_score(offices[touched], n_l) != office_score(w.ps.offices[touched], n_l)
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
