"""The fallen do not act: forced simultaneous deaths, arrests and removals, and 1,000 runs.

A leader who died, was arrested, executed, demoted out or pensioned holds no office and
no Presidium seat, is nobody's patron, and appoints, votes and plots no more. Two leaders
of one run falling in one month was the case that failed (``moves.deaths`` wrote whole rows
with fancy indexing and the last write won, so the first kept his offices).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ottepel.core.engine import initial_state, step_month
from ottepel.core.mechanisms.politics import moves as mv
from ottepel.core.mechanisms.politics.leaders import ACTIVE, DEAD, load_leaders
from ottepel.core.mechanisms.politics.step import _month_context
from ottepel.core.mechanisms.politics.work import VACANT, Work
from ottepel.core.scenario import load_scenario

LT = load_leaders()
N_RUNS = 6


@pytest.fixture(scope="module")
def start():
    sc = load_scenario()
    state = initial_state(sc, np.arange(N_RUNS), 3)
    return sc, step_month(state, sc.months, 0, sc.decisions, sc.params)


def _office_holders(offices):
    return {int(x) for x in np.unique(offices) if x >= 0}


def check_fallen(w: Work) -> None:
    status, offices = w.get("status"), w.get("offices")
    pres, lp = w.get("presidium"), w.get("leader_patron")
    gone = status != ACTIVE
    r, o = np.nonzero(offices >= 0)
    assert not gone[r, offices[r, o]].any(), "a fallen leader keeps an office"
    assert not (pres & gone).any(), "a fallen leader keeps his Presidium seat"
    r, j = np.nonzero(lp >= 0)
    assert not gone[r, lp[r, j]].any(), "a fallen leader is still a patron"


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_simultaneous_falls_vacate_every_office(start, data):
    """Any set of (run, leader) pairs dying, arrested or removed in one month, many per run."""
    sc, state = start
    ps, p = state.politics, sc.params.politics
    w = Work(ps, 1, state.context.rng, p)
    holders = sorted(_office_holders(ps.offices) | set(np.flatnonzero(ps.presidium[0])))
    pairs = data.draw(st.lists(st.tuples(st.integers(0, N_RUNS - 1), st.sampled_from(holders),
                                         st.sampled_from(["death", "arrest", "remove"])),
                               min_size=1, max_size=12, unique_by=lambda t: t[:2]))
    due = np.zeros((N_RUNS, LT.n), bool)
    for kind in ("death", "arrest", "remove"):
        sel = [(r, j) for r, j, k in pairs if k == kind]
        if not sel:
            continue
        runs, who = (np.array(x, dtype=np.int64) for x in zip(*sel, strict=True))
        if kind == "death":
            due[runs, who] = True
        elif kind == "arrest":
            mv.arrest(w, runs, who, ["test"] * len(runs), ["forced"] * len(runs), 6)
        else:
            u = np.asarray(data.draw(st.lists(st.floats(0, 0.999), min_size=len(runs),
                                              max_size=len(runs))))
            mv.remove(w, runs, who, u, np.full(len(runs), 0.5), "test", ["test"] * len(runs), 6)
    mv.deaths(w, due & (w.get("status") == ACTIVE))
    check_fallen(w)
    for r, j, kind in pairs:
        assert w.get("status")[r, j] != ACTIVE
        if kind == "death" and w.get("status")[r, j] == DEAD:
            assert not (w.get("offices")[r] == j).any()
    # the vacancies are filled with the living
    mo = _month_context(w, state, p)
    mv.fill_vacancies(w, mo, p)
    assert not (w.get("offices") == VACANT).any()
    check_fallen(w)


def test_two_deaths_in_one_run_month(start):
    """The reported case: the First Secretary and the Premier die in the same run and month."""
    sc, state = start
    ps = state.politics
    w = Work(ps, 1, state.context.rng, sc.params.politics)
    fs, pm = int(ps.offices[0, 0]), int(ps.offices[0, 1])
    due = np.zeros((N_RUNS, LT.n), bool)
    due[0, [fs, pm]] = True
    mv.deaths(w, due)
    assert (w.get("offices")[0, :2] == VACANT).all()
    check_fallen(w)
    assert (w.get("status")[0, [fs, pm]] == DEAD).all()
    assert (w.get("status")[1:, [fs, pm]] == ACTIVE).all()


_BY = re.compile(r"\bby=([^;]+)")


def test_no_fallen_leader_acts_in_1000_runs():
    """1,000 free runs of the historical scenario, month by month: the fallen never act.

    Checked each month: every office holder, Presidium member, plot initiator and plot
    target is active at the month's end; every leader named as acting (``by=``) in an
    event was active at the month's start, and every leader appointed or promoted is
    active at its end.
    """
    sc = load_scenario()
    n = 1000
    state = initial_state(sc, np.arange(n), 0)
    names = {str(x): i for i, x in enumerate(LT.name)}
    acted = 0
    for m in range(len(sc.months)):
        before = state.politics.status.copy() if m else np.zeros((n, LT.n), int)
        state = step_month(state, sc.months, m, sc.decisions, sc.params)
        ps = state.politics
        gone = ps.status != ACTIVE
        r, o = np.nonzero(ps.offices >= 0)
        assert not gone[r, ps.offices[r, o]].any(), f"month {m}: a fallen leader holds office"
        assert not (ps.presidium & gone).any(), f"month {m}: a fallen leader sits in the Presidium"
        for field in ("plot_initiator", "plot_target"):
            v = ps.__getattribute__(field)
            rr = np.flatnonzero(v >= 0)
            assert not gone[rr, v[rr]].any(), f"month {m}: a fallen leader in {field}"
        for b in state.events:
            if b.kind not in ("appointment", "promotion", "arrest", "removal", "demotion",
                              "presidium_vote", "plenum_vote", "plot_exposed"):
                continue
            actors = np.broadcast_to(np.asarray(b.actors, dtype=object), b.runs.shape)
            for run, a in zip(b.runs.tolist(), actors.tolist(), strict=True):
                hit = _BY.search(a)
                if hit and b.kind in ("appointment", "promotion"):
                    who = names.get(hit.group(1))
                    if who is not None:
                        acted += 1
                        assert before[run, who] == ACTIVE, f"month {m} run {run}: {a} ({b.kind})"
                if b.kind in ("appointment", "promotion"):
                    t = re.search(r"target=([^;]+)", a)
                    assert ps.status[run, names[t.group(1)]] == ACTIVE, f"month {m}: {a}"
    assert acted > 1000  # the check saw the appointers
