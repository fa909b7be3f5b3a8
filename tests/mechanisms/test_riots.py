"""Riots come only from grievance, above a stated floor, and where the grievance is."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ottepel.core.engine import initial_state, step_month
from ottepel.core.mechanisms import society
from ottepel.core.scenario import load_scenario
from ottepel.ensemble.simulate import simulate


@pytest.fixture(scope="module")
def state():
    sc = load_scenario()
    s = initial_state(sc, np.arange(200), 5)
    return sc, step_month(s, sc.months, 0, sc.decisions, sc.params)


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(gap=st.floats(-1.0, 1.0), fear=st.floats(-0.5, 0.0))
def test_no_riot_below_the_floor(state, gap, fear):
    """Any grievance at or below ``riot_floor`` everywhere, even with no fear: no riot drawn."""
    sc, s = state
    p = sc.params.society
    soc = s.society
    g = np.minimum(np.full_like(soc.gap, gap), p.riot_floor)
    new = dataclasses.replace(soc, gap=g, local_fear=np.zeros_like(soc.local_fear))
    rep = dataclasses.replace(s.repression, fear=np.full(s.n_runs, fear))
    s2 = s.with_domain("repression", rep)
    for m in range(1, 13):
        out = society._unrest(s2, new, p, s.context.rng, m)
        assert not out.society.riot_size_k.any()
        assert not any(b.kind == "riot" for b in out.events)


def test_riots_in_an_ensemble_all_above_the_floor():
    """300 runs of the replay: every riot's local grievance is above the floor."""
    r = simulate("khrushchev-1953", runs=300, seed=0)
    p = load_scenario().params.society
    ev = r.events[r.events.kind == "riot"]
    assert len(ev) > 100
    g = ev.causes.str.extract(r"grievance (-?[\d.]+)")[0].astype(float)
    assert (g > p.riot_floor - 0.005).all(), g.min()  # causes print two decimals
