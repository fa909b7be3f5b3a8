"""Tests of the society mechanism: prices, real wages, grievance, riots."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import Overrides

from ottepel.analysis.validation.society_checks import riot_check
from ottepel.core.engine import initial_state
from ottepel.core.mechanisms import society
from ottepel.core.scenario import load_scenario
from ottepel.ensemble.simulate import simulate


@pytest.fixture(scope="module")
def pair():
    hist = simulate("khrushchev-1953", runs=120, seed=2)
    cf = simulate("no-1962-price-rise", runs=120, seed=2)
    return hist, cf


def test_price_index_and_real_wage_known_answers():
    p = society.Params()
    pr = np.array([1.3, 1.25, 1.0])
    cpi = society.price_index(pr, p)
    assert cpi == pytest.approx(1 + 0.3 * p.share_meat + 0.25 * p.share_butter)
    rw = society.real_wage(np.array([p.wage_1953]), pr, 1.05, p)
    assert rw[0] == pytest.approx((1 - p.piece_exposure * (1 - 1 / 1.05)) / cpi)


def test_disposed_share_is_half_at_the_fear_adjusted_threshold():
    p = society.Params()
    fear = np.array([0.6])
    gap = np.array([[p.threshold + p.fear_weight * 0.6]])
    assert society.disposed_share(gap, fear, p)[0, 0] == pytest.approx(0.5)
    lo, hi = society.disposed_share(np.array([[0.1, 0.3]]), np.array([0.0]), p)[0]
    assert lo < hi
    assert society.disposed_share(np.array([[0.3]]), np.array([1.0]), p)[0, 0] < hi


def test_moral_shock_is_salience_times_log_price_rise():
    sc = load_scenario("khrushchev-1953")
    s = initial_state(sc, np.arange(3), seed=0).society
    p = society.Params()
    moral = society._moral(s, p, np.array([1.3, 1.25, 1.0]), 1.05)
    expected = p.salience_staples * (np.log(1.3) + np.log(1.25)) + p.salience_norms * np.log(1.05)
    np.testing.assert_allclose(moral, expected)


def test_savings_stay_normal_when_shops_can_supply():
    sc = load_scenario("khrushchev-1953")
    s = initial_state(sc, np.arange(3), seed=0).society
    p = society.Params()
    out = society._savings(s, p, np.ones(3), np.ones(3), np.ones(3))
    np.testing.assert_allclose(out, p.savings_normal)
    short = society._savings(s, p, np.ones(3), np.full(3, 0.8), np.full(3, 0.8))
    assert np.all(short > p.savings_normal)


def test_price_rise_raises_grievance_in_its_month():
    sc = load_scenario("khrushchev-1953")
    state = initial_state(sc, np.arange(5), seed=4)
    a = society.step(state, Overrides(sc.decisions, retail_price_meat=1.3), sc.params, state.context.rng)
    b = society.step(state, Overrides(sc.decisions, retail_price_meat=1.0), sc.params, state.context.rng)
    moral = sc.params.society.salience_staples * np.log(1.3)
    assert np.all(a.society.gap - b.society.gap >= moral - 1e-9)


def test_programme_raises_expectations(pair):
    hist, _ = pair
    e = hist.national["expectations_index"]
    jump = e.sel(month="1961-10").values / e.sel(month="1961-09").values
    assert np.all(jump > np.exp(0.09))


def test_serious_riot_follows_the_price_rise(pair):
    hist, cf = pair
    t = riot_check(hist, cf).set_index("pattern")["probability"]
    # Fixed seed, 120 runs. With 1000 runs the model gives ~0.53 vs ~0.00; the bounds
    # below leave more than four binomial standard deviations.
    # 0.25: issue 14 fixed a double count of committed feed sales in the grain balance that
    # emptied state stocks every August from 1960 (bread shortages behind part of the riots).
    assert t.iloc[0] >= 0.25
    assert t.iloc[1] <= 0.1
    assert t.iloc[4] >= 0.25


def test_riot_events_carry_causes_and_responses(pair):
    hist, _ = pair
    ev = hist.events
    riots = ev[ev.kind == "riot"]
    assert len(riots) > 0
    assert riots.causes.str.contains("grievance").all()
    assert riots.actors.str.startswith("townspeople of").all()
    rep = ev[ev.kind == "repression"]
    assert set(rep.actors) <= {"army", "police"} | set(rep.actors[~rep.actors.isin(["army", "police"])])
    assert (ev.kind == "concession").any()


def test_grievance_outputs_are_nonnegative_and_regional(pair):
    hist, _ = pair
    assert float(hist.national["grievance"].min()) >= 0
    reg = hist.regional["grievance"]
    assert reg.shape[-1] == 105 and float(reg.min()) >= 0


def test_real_wage_rises_with_productivity_and_falls_with_the_1962_rise(pair):
    hist, cf = pair
    rw, rw_cf = hist.national["real_wage_index"], cf.national["real_wage_index"]
    assert np.all(rw.sel(month="1961-12").values > rw.sel(month="1954-12").values)
    drop = rw_cf.sel(month="1962-06").values - rw.sel(month="1962-06").values
    assert np.all(drop > 0)


def test_run_alone_equals_run_in_a_chunk():
    a = simulate("khrushchev-1953", runs=6, seed=11, chunk_size=6)
    b = simulate("khrushchev-1953", runs=6, seed=11, chunk_size=4)
    for v in society.NATIONAL:
        np.testing.assert_array_equal(a.national[v].values, b.national[v].values)
    np.testing.assert_array_equal(a.regional["grievance"].values, b.regional["grievance"].values)
