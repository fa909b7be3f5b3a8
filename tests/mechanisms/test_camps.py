"""Tests of the camps mechanism: stocks and flows, amnesties, reviews, strikes, returnees."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from helpers import Overrides

from ottepel.core.engine import initial_state
from ottepel.core.mechanisms import camps
from ottepel.core.scenario import load_scenario
from ottepel.ensemble.simulate import simulate


@pytest.fixture(scope="module")
def start():
    sc = load_scenario("khrushchev-1953")
    state = initial_state(sc, np.arange(8), seed=3)
    return sc, state


@pytest.fixture(scope="module")
def replay():
    return simulate("khrushchev-1953", runs=60, seed=0)


def _step(start, **levers):
    sc, state = start
    return camps.step(state, Overrides(sc.decisions, **levers), sc.params, state.context.rng)


def test_1953_stock_splits_into_politicals_and_ordinary(start):
    _, state = start
    p = camps.Params()
    total = state.camps.political_mn + state.camps.criminal_mn
    np.testing.assert_allclose(total, p.gulag_1953)
    np.testing.assert_allclose(state.camps.political_mn / total, p.political_share_1953)


def test_criminal_stock_is_steady_at_1953_severity():
    p = camps.Params()
    c0 = p.gulag_1953 * (1 - p.political_share_1953)
    out = c0 / camps.criminal_term(np.ones(1), p)[0] + p.mortality_1953 * c0
    assert out == pytest.approx(p.criminal_inflow_1953)


def test_amnesty_frees_ordinary_prisoners_and_barely_touches_politicals(start):
    sc, state = start
    p = sc.params.camps
    a = _step(start, amnesty_mn=3.0, political_amnesty_share=0.0)
    b = _step(start, amnesty_mn=0.0, political_amnesty_share=0.0)
    freed_c = b.camps.criminal_mn - a.camps.criminal_mn
    freed_p = b.camps.political_mn - a.camps.political_mn
    np.testing.assert_allclose(freed_c, p.amnesty_eligible_share * state.camps.criminal_mn, rtol=0.02)
    assert np.all(freed_p / state.camps.political_mn < 2 * p.amnesty_political_reach)
    # the exclusion raises the politicals' grievance
    # (a strike in the month relieves part of it: compare with that relief)
    assert np.all(a.camps.grievance > b.camps.grievance + 0.3 * p.grievance_exclusion * (1 - p.strike_relief))
    (ev,) = [e for e in a.events if e.kind == "amnesty"]
    assert len(ev.runs) == 8


def test_political_amnesty_and_reviews_release_politicals(start):
    base = _step(start, amnesty_mn=0.0, political_amnesty_share=0.0, review_rate=0.0)
    amn = _step(start, amnesty_mn=0.0, political_amnesty_share=0.5, review_rate=0.0)
    rev = _step(start, amnesty_mn=0.0, political_amnesty_share=0.0, review_rate=2.0)
    assert np.all(amn.camps.political_mn < 0.6 * base.camps.political_mn)
    assert np.all(rev.camps.political_mn < base.camps.political_mn - 0.05)
    assert np.all(rev.camps.political_released_mn > base.camps.political_released_mn)


def test_the_climate_multiplies_review_releases():
    p = camps.Params()
    assert camps.climate(np.zeros(1), np.zeros(1), p)[0] == 1.0
    assert camps.climate(np.ones(1), np.full(1, 0.5), p)[0] == pytest.approx(1 + p.speech_boost + 0.5 * p.destal_boost)


def test_strike_hazard_needs_grievance_and_a_critical_mass():
    p = camps.Params()
    lo = camps.strike_hazard(np.array([0.5]), np.array([p.political_share_1953]), p)[0]
    hi = camps.strike_hazard(np.array([1.1]), np.array([0.4]), p)[0]
    few = camps.strike_hazard(np.array([1.1]), np.array([0.05]), p)[0]
    assert lo < 0.1 * p.strike_max and hi > 0.8 * p.strike_max and few < lo
    assert hi <= p.strike_max


def test_strikes_soften_the_regime_and_speed_reviews(start):
    sc, state = start
    calm = camps.step(state, Overrides(sc.decisions, review_rate=0.0), sc.params, state.context.rng)
    hot_state = state.with_domain("camps", dataclasses.replace(state.camps, strike_pressure=np.full(8, 2.0)))
    hot = camps.step(hot_state, Overrides(sc.decisions, review_rate=0.0), sc.params, state.context.rng)
    assert np.all(hot.camps.regime < calm.camps.regime)
    assert np.all(hot.camps.political_mn < calm.camps.political_mn)


def test_settlers_leave_at_the_lever_rate(start):
    sc, state = start
    a = _step(start, settler_release_rate=1.2, secret_speech=0.0, destalinisation_level=0.0)
    np.testing.assert_allclose(a.camps.settlers_mn, state.camps.settlers_mn * (1 - 0.1))
    b = _step(start, settler_release_rate=0.0)
    np.testing.assert_allclose(b.camps.settlers_mn, state.camps.settlers_mn)


def test_stocks_stay_non_negative_and_releases_add_up(replay):
    for v in ("political_prisoners_mn", "criminal_prisoners_mn", "special_settlers_mn"):
        assert (replay.national[v].values >= 0).all()
    rel = replay.national["released_cumulative_mn"].values
    assert (np.diff(rel, axis=1) >= -1e-12).all()
    g = replay.national["gulag_population_mn"].values
    np.testing.assert_allclose(g, replay.national["political_prisoners_mn"].values
                               + replay.national["criminal_prisoners_mn"].values)


def test_returnees_by_year_and_their_effects(replay):
    ret = replay.annual("returnees_year_mn")
    # the amnesty year and 1956 (commissions, deported peoples) are the big years of return
    assert (ret[1953] > ret[1958]).all() and (ret[1956] > ret[1958]).all()
    leg = replay.annual("destal_legitimacy")
    # the crime wave after the amnesty hurts the line; the political returns of 1956 help it
    assert np.median(leg[1953]) < 0 < np.median(leg[1956])
    unease = replay.annual("returnee_unease")
    assert np.median(unease[1953]) > np.median(unease[1960])


def test_releases_by_1958_are_in_millions(replay):
    rel = replay.national["released_cumulative_mn"].sel(month="1958-09").values
    # History series released_camps_and_settlements_mn: "more than 4 mn" by Sept 1958.
    assert np.median(rel) > 4.0


def test_run_alone_equals_run_in_a_chunk():
    a = simulate("khrushchev-1953", runs=6, seed=11, chunk_size=6)
    b = simulate("khrushchev-1953", runs=6, seed=11, chunk_size=4)
    for v in camps.NATIONAL:
        np.testing.assert_array_equal(a.national[v].values, b.national[v].values)
    ea = a.events[a.events.kind == "camp_strike"].reset_index(drop=True)
    eb = b.events[b.events.kind == "camp_strike"].reset_index(drop=True)
    assert ea[["run", "month", "magnitude"]].equals(eb[["run", "month", "magnitude"]])


def test_state_fields_have_the_run_axis(start):
    _, state = start
    for f in dataclasses.fields(state.camps):
        assert getattr(state.camps, f.name).shape == (8,)
