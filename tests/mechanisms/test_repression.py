"""Tests of the repression mechanism: Gulag stock, amnesties, fear."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from helpers import Overrides

from ottepel.core.engine import initial_state
from ottepel.core.mechanisms import repression
from ottepel.core.scenario import load_scenario
from ottepel.ensemble.simulate import simulate


@pytest.fixture(scope="module")
def start():
    sc = load_scenario("khrushchev-1953")
    state = initial_state(sc, np.arange(8), seed=3)
    return sc, state


@pytest.fixture(scope="module")
def replay():
    return simulate("khrushchev-1953", runs=100, seed=0)


def test_1953_stock_is_a_steady_state_of_admissions_and_terms():
    p = repression.Params()
    one = np.ones(1)
    sev = repression.severity(one, 1.0, p)
    stock = repression.admissions(sev, np.zeros(1), p) * repression.mean_term(sev, p)
    assert stock[0] == pytest.approx(p.gulag_1953)


def test_amnesty_releases_up_to_the_eligible_share(start):
    sc, state = start
    p = sc.params
    with_a = repression.step(state, Overrides(sc.decisions, amnesty_mn=3.0), p, state.context.rng)
    without = repression.step(state, Overrides(sc.decisions, amnesty_mn=0.0), p, state.context.rng)
    released = without.repression.gulag_mn - with_a.repression.gulag_mn
    expected = p.repression.amnesty_eligible_share * state.repression.gulag_mn
    np.testing.assert_allclose(released, expected)
    (ev,) = [b for b in with_a.events if b.kind == "amnesty"]
    np.testing.assert_allclose(ev.magnitude, expected)


def test_secret_speech_lowers_fear_by_its_parameter(start):
    sc, state = start
    a = repression.step(state, Overrides(sc.decisions, secret_speech=1.0), sc.params, state.context.rng)
    b = repression.step(state, Overrides(sc.decisions, secret_speech=0.0), sc.params, state.context.rng)
    np.testing.assert_allclose(b.repression.fear - a.repression.fear, sc.params.repression.fear_speech_drop)


def test_secret_police_cut_lowers_repression_index(start):
    sc, state = start
    a = repression.step(state, Overrides(sc.decisions, secret_police_cut=0.9), sc.params, state.context.rng)
    b = repression.step(state, Overrides(sc.decisions, secret_police_cut=0.0), sc.params, state.context.rng)
    assert np.all(a.repression.repression_index < b.repression.repression_index)


def test_gulag_falls_after_1953_in_the_replay(replay):
    g = replay.annual("gulag_population_mn")
    # Fixed seed; tolerance: every run, with a wide margin (the fall is ~1 mn).
    assert (g[1953] < 0.7 * repression.Params().gulag_1953).all()
    assert (g[1960] < g[1955]).all()
    assert (g[1964] < 0.5 * repression.Params().gulag_1953).mean() > 0.9


def test_releases_by_1958_are_in_millions(replay):
    rel = replay.national["released_cumulative_mn"].sel(month="1958-09").values
    # History series released_camps_and_settlements_mn: "more than 4 mn" by Sept 1958.
    assert np.median(rel) > 3.0


def test_fear_declines_but_stays_positive(replay):
    f = replay.annual("fear")
    assert (f[1960] < f[1953]).all() and (f[1964] > 0).all()


def test_removing_the_amnesty_keeps_the_camps_full(tmp_path):
    toml = tmp_path / "no-amnesty.toml"
    toml.write_text('inherits = "khrushchev-1953"\nname = "no-amnesty"\nremove = ["amnesty_1953"]\n')
    a = simulate("khrushchev-1953", runs=20, seed=1)
    b = simulate(str(toml), runs=20, seed=1)
    diff = b.annual("gulag_population_mn")[1953] - a.annual("gulag_population_mn")[1953]
    assert (diff > 0.8).all()


def test_run_alone_equals_run_in_a_chunk():
    a = simulate("khrushchev-1953", runs=6, seed=11, chunk_size=6)
    b = simulate("khrushchev-1953", runs=6, seed=11, chunk_size=4)
    for v in repression.NATIONAL:
        np.testing.assert_array_equal(a.national[v].values, b.national[v].values)


def test_state_fields_have_the_run_axis(start):
    _, state = start
    for f in dataclasses.fields(state.repression):
        assert getattr(state.repression, f.name).shape == (8,)
