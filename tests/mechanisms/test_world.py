"""Tests of the world mechanism: China, US tension, space launches, Cuba."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ottepel.core.mechanisms import world
from ottepel.ensemble.simulate import simulate


@pytest.fixture(scope="module")
def pair():
    hist = simulate("khrushchev-1953", runs=100, seed=1)
    cf = simulate("no-secret-speech", runs=100, seed=1)
    return hist, cf


def test_launch_probability_known_answers():
    cap = np.array([1.0, 2.4, 0.0])
    tier = np.array([1, 4, 5])
    p = world.launch_success_prob(cap, tier)
    assert p[0] == pytest.approx(0.5) and p[1] == pytest.approx(0.5) and p[2] < 0.001


def test_tiers_are_ordered_and_dated():
    diff = [world.TIERS[t][1] for t in range(1, 6)]
    assert diff == sorted(diff)
    assert world.US_FIRSTS[1] == np.datetime64("1958-02", "M")


def test_every_run_eventually_launches_the_first_satellite(pair):
    hist, _ = pair
    ev = hist.events
    sat = ev[(ev.kind == "launch") & (ev.magnitude == 1)]
    assert sat.run.nunique() == len(hist.national.run)
    first = sat.groupby("run").month.min()
    assert (first < np.datetime64("1958-06-01")).mean() > 0.9


def test_cuba_outcome_frequencies():
    p = world.Params()
    n = 20000
    w = world.WorldState(*(np.zeros(n) for _ in range(10)))
    u = np.random.default_rng(0).random((n, 2))  # test-only draws
    out = world._cuba(w, p, 1.0, u)
    undetected = np.mean(out == 1)
    sd = np.sqrt(p.detect_prob * (1 - p.detect_prob) / n)
    assert abs(undetected - (1 - p.detect_prob)) < 4 * sd
    assert np.mean(out == 4) == pytest.approx(p.detect_prob * p.clash_prob, abs=0.01)
    assert np.all(world._cuba(w, p, 0.0, u) == 0)


def test_split_comes_earlier_with_the_secret_speech(pair):
    hist, cf = pair

    def split_year(r):
        ev = r.events[r.events.kind == "split"]
        years = pd.Series(pd.DatetimeIndex(ev.month).year.to_numpy(), index=ev.run.to_numpy())
        return years.reindex(r.national.run.values).fillna(1970).to_numpy()

    a, b = split_year(hist), split_year(cf)
    assert np.mean(a < 1965) > 0.8
    assert np.median(a) < np.median(b)
    assert np.mean(a <= b) > 0.9  # paired runs: the speech brings the split forward


def test_gagarin_flight_brings_prestige(pair):
    hist, _ = pair
    ev = hist.events
    flights = ev[(ev.kind == "launch") & (ev.month == np.datetime64("1961-04-01"))]
    ok = flights[flights.magnitude == 4]
    assert len(ok) / len(flights) > 0.6
    shock = hist.national["prestige_shock"].sel(month="1961-04", run=ok.run.values).values
    assert np.all(shock >= world.TIERS[4][2] * world.Params().first_bonus - 0.1)


def test_cuba_crisis_event_in_every_run(pair):
    hist, _ = pair
    ev = hist.events[hist.events.kind == "crisis"]
    assert ev.run.nunique() == len(hist.national.run)
    assert (pd.DatetimeIndex(ev.month) == pd.Timestamp("1962-10-01")).all()
    assert ev.causes.str.contains("missiles").all()
    assert (ev.magnitude < 0).mean() > 0.5  # mostly a retreat, as in 1962


def test_us_tension_peaks_in_the_crisis(pair):
    hist, _ = pair
    t = hist.national["us_tension"]
    assert float(t.sel(month="1962-10").median()) > float(t.sel(month="1962-09").median()) + 0.2
    assert float(t.sel(month="1964-06").median()) < float(t.sel(month="1962-10").median())


def test_run_alone_equals_run_in_a_chunk():
    a = simulate("khrushchev-1953", runs=6, seed=11, chunk_size=6)
    b = simulate("khrushchev-1953", runs=6, seed=11, chunk_size=4)
    for v in world.NATIONAL:
        np.testing.assert_array_equal(a.national[v].values, b.national[v].values)
    cols = ["run", "month", "kind", "magnitude", "causes"]
    pd.testing.assert_frame_equal(a.events[cols], b.events[cols])
