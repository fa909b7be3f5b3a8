"""The planning checks: two sets of books, the reform's paired effects, Ryazan episodes."""

from __future__ import annotations

import numpy as np
import pytest

from ottepel.analysis.validation import planning_checks as C
from ottepel.ensemble.simulate import simulate

RUNS, SEED = 16, 5


@pytest.fixture(scope="module")
def runs():
    return {name: simulate(name, runs=RUNS, seed=SEED)
            for name in ("khrushchev-1953", "no-sovnarkhoz", "no-meat-campaign")}


def test_ratio_by_year_has_bands(runs):
    df = C.ratio_by_year(runs["khrushchev-1953"])
    assert {"median", "q05", "q95", "band_lo", "band_hi", "within", "source"} <= set(df.columns)
    grain = df.loc["grain reported / true (bunker)"]
    assert grain.loc[1954:1963, "band_hi"].notna().all()
    np.testing.assert_allclose(grain.loc[1958, "tsu_revision"], 141.2 / 134.7, rtol=1e-3)


def test_reported_true_in_western_range(runs):
    per = C.ratio_by_period(runs["khrushchev-1953"])
    assert per["passed"].all(), per[~per["passed"]]


def test_reform_paired_effects(runs):
    eff = C.reform_effects(results=(runs["khrushchev-1953"], runs["no-sovnarkhoz"]))
    d = eff[eff["variable"] == "interregional_delivery_ratio"].loc[1958:1964]
    assert (d["diff_q95"] < 0).all()  # the councils cut deliveries between regions
    pad = eff[eff["variable"] == "padding_ratio_industry"].loc[1959:1964]
    assert (pad["difference"] > 0).all()  # and pad more
    assert (eff.loc[1956, "difference"] == 0).all()  # identical before the reform


def test_ryazan_with_campaign_only(runs):
    freq = C.ryazan_frequency(results=(runs["khrushchev-1953"], runs["no-meat-campaign"]))
    with_c, without = freq.iloc[0], freq.iloc[1]
    assert with_c["runs_with_episode"] > 0
    assert without["runs_with_episode"] == 0 and without["herd_collapse_events"] == 0
    ep = C.ryazan_episodes(runs["khrushchev-1953"])
    assert len(ep) == with_c["herd_collapse_events"]  # the events report the same episodes
    assert (ep["jump"] >= 1.4).all() and (ep["herd_change"] <= -0.2).all()


def test_registered_pattern(runs):
    rows = C.planning_patterns(runs["khrushchev-1953"])
    assert {"pattern", "value", "passed"} <= set(rows.columns)
    assert rows["passed"].all()
