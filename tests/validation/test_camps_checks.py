"""The camp checks: 1 Jan population against Zemskov, strikes, the two counterfactuals."""

from __future__ import annotations

import numpy as np
import pytest

from ottepel.analysis.validation import PATTERNS
from ottepel.analysis.validation import camps_checks as C
from ottepel.analysis.validation.runner import discover
from ottepel.ensemble.simulate import simulate

RUNS, SEED = 60, 2


@pytest.fixture(scope="module")
def runs():
    return {name: simulate(name, runs=RUNS, seed=SEED)
            for name in ("khrushchev-1953", "no-1953-amnesty", "no-secret-speech")}


def test_record_has_every_year_with_a_source():
    rec = C.record()
    assert set(range(1953, 1961)) <= set(rec.index)
    assert rec["source"].str.len().gt(10).all()
    assert rec.loc[1953, "value_mn"] == pytest.approx(2.469)


def test_population_within_20_percent_of_the_record_1954_1960(runs):
    pop = C.population_by_year(runs["khrushchev-1953"])
    assert list(pop["year"]) == list(range(1954, 1961))
    assert pop["within"].all(), pop[["year", "median_mn", "record_mn", "rel_error"]]


def test_strikes_in_most_runs_and_rarer_without_the_amnesty(runs):
    rows = C.strike_rows(runs["khrushchev-1953"], runs["no-1953-amnesty"])
    hist, cf, stock = rows
    assert hist["value"] > 0.5 and hist["passed"]
    assert cf["value"] < hist["value"] - 0.3
    assert stock["lo"] > 0.6  # the amnesty freed about 1.2 mn


def test_secret_speech_adds_releases_with_an_interval(runs):
    rows = C.speech_rows(runs["khrushchev-1953"], runs["no-secret-speech"])
    for r in rows:
        assert r["lo"] > 0 and r["lo"] <= r["value"] <= r["hi"], r


def test_identical_before_the_speech(runs):
    a = runs["khrushchev-1953"].annual("gulag_population_mn")
    b = runs["no-secret-speech"].annual("gulag_population_mn")
    np.testing.assert_array_equal(a[1955].to_numpy(), b[1955].to_numpy())


def test_registered_and_rows_carry_claim_and_reference(runs):
    discover()
    assert C.camps_patterns in PATTERNS
    rows = C.camps_patterns(runs["khrushchev-1953"])
    assert len(rows) == 7 + 3 + 2
    assert rows["passed"].all(), rows[~rows["passed"]][["pattern", "value", "target"]]
    assert rows["claim"].str.len().gt(10).all() and rows["reference"].str.len().gt(10).all()
    assert C.camps_patterns(runs["no-1953-amnesty"]).empty  # other scenarios: no record rows
