"""Tests of the repression mechanism: the apparatus, severity, fear (camps: test_camps.py)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from helpers import Overrides

from ottepel.core.engine import initial_state
from ottepel.core.mechanisms import camps, repression
from ottepel.core.scenario import load_scenario
from ottepel.ensemble.simulate import simulate


@pytest.fixture(scope="module")
def start():
    sc = load_scenario("khrushchev-1953")
    state = initial_state(sc, np.arange(8), seed=3)
    return sc, state


def test_severity_is_one_in_early_1953_and_follows_the_law():
    p = camps.Params()
    assert repression.severity(np.ones(1), 1.0, p)[0] == pytest.approx(1.0)
    softer = repression.severity(np.ones(1), 0.5, p)[0]
    assert softer == pytest.approx(1 - 0.5 * p.criminal_floor)


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


def test_fear_declines_but_stays_positive():
    f = simulate("khrushchev-1953", runs=20, seed=0).annual("fear")
    assert (f[1960] < f[1953]).all() and (f[1964] > 0).all()


def test_state_fields_have_the_run_axis(start):
    _, state = start
    for f in dataclasses.fields(state.repression):
        assert getattr(state.repression, f.name).shape == (8,)
