"""Calibration: error model, targets, vectorised parameters, a tiny ABC run, posterior file."""

import warnings

import numpy as np
import pytest

from ottepel.analysis.calibration import (
    ERROR_MODELS,
    Z_CAP,
    CalibrationResult,
    Scorer,
    Settings,
    calibrate,
    history_targets,
    posterior_draws,
    read_posterior,
    weighted_quantiles,
    write_posterior,
)
from ottepel.core.engine import run_chunk
from ottepel.core.scenario import load_scenario
from ottepel.ensemble import batch
from ottepel.ensemble.batch import RunArray, run_batch, with_draws

PARAMS = ["agriculture.yield_scale", "agriculture.weather_elasticity"]


@pytest.fixture(scope="module")
def short(tmp_path_factory):
    """The historical scenario cut at 1957 (fast)."""
    path = tmp_path_factory.mktemp("sc") / "short.toml"
    path.write_text('inherits = "khrushchev-1953"\nname = "short"\nend = "1957-12"\n')
    return load_scenario(path, posterior=False)


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr(batch, "MIN_VECTOR_RUNS", 128)


def test_error_model_bias_allowance_and_sd():
    m = ERROR_MODELS["official"]
    assert m.z(np.array([0.0, m.bias]))[1] == 0.0
    assert m.z(np.array([m.bias + m.sd]))[0] == pytest.approx(1.0)
    assert m.z(np.array([10.0]))[0] == Z_CAP
    assert ERROR_MODELS["western"].bias == 0 and ERROR_MODELS["western"].sd > m.sd


def test_targets_convert_units_and_mark_held_out(short):
    t = history_targets(short, holdout_from=1956)
    assert set(t["kind"]) <= {"official", "western", "other"}
    urban = t[t["variable"] == "urban_share"]
    assert (urban["value"] < 1).all()  # percent -> fraction
    assert (t.loc[t["model_year"] >= 1956, "held_out"]).all()
    assert not (t.loc[t["model_year"] < 1956, "held_out"]).any()
    pop = t[t["variable"] == "population_mn"]
    assert (pop["year"] - pop["model_year"] == 1).all()  # 1 January figures shift
    whole = history_targets(short, holdout_from=None, holdout_series=("grain_harvest_mt",))
    assert whole.loc[whole["variable"] == "grain_harvest_mt", "held_out"].all()


def test_scorer_distance_zero_at_record_and_grows_with_error(short):
    sc = Scorer(history_targets(short, holdout_from=1956))
    rec = sc.record[None]
    assert sc.distance(rec)[0] == 0.0
    d = sc.distance(np.vstack([rec * 1.1, rec * 1.3, rec * 0 + np.nan]))
    assert 0 < d[0] < d[1] <= d[2] == pytest.approx(Z_CAP)
    assert sc.distance(rec * 1.3, "holdout")[0] > 0


def test_run_array_broadcasts_like_a_scalar_per_run():
    p = np.array([1.0, 2.0, 3.0]).view(RunArray)
    table = np.arange(5.0)                      # a (regions,) table
    state = np.ones((3, 5))                     # a (runs, regions) state
    per_run = np.array([10.0, 20.0, 30.0])      # a (runs,) state
    np.testing.assert_array_equal(p * table, np.outer([1, 2, 3], table))
    np.testing.assert_array_equal(p * state, state * np.array([[1], [2], [3]]))
    np.testing.assert_array_equal(p * per_run, [10, 40, 90])
    np.testing.assert_array_equal(np.clip(state * 5, 0, p), np.repeat([[1], [2], [3]], 5, 1))
    assert isinstance(np.exp(p) * 2, RunArray)
    assert not isinstance(p * state, RunArray)


def test_vectorised_parameters_equal_scalar_runs(short):
    values = np.array([[0.7, 0.1], [0.9, 0.3], [1.1, 0.2]])
    keys = np.array([3, 4, 5])
    nat = run_chunk(short, keys, 0, with_draws(short.params, PARAMS, values)).national
    for i in range(3):
        one = run_chunk(short, keys[i:i + 1], 0, with_draws(short.params, PARAMS, values[i:i + 1]))
        np.testing.assert_allclose(nat["grain_harvest_mt"][i], one.national["grain_harvest_mt"][0],
                                   rtol=1e-10)
    assert not np.allclose(nat["grain_harvest_mt"][0], nat["grain_harvest_mt"][1], equal_nan=True)


def test_run_batch_rows_do_not_depend_on_the_batch(short):
    from ottepel.ensemble.batch import annual_points

    red = annual_points(short, [("grain_harvest_mt", 1955), ("grain_harvest_mt", 1956)])
    values = np.array([[0.7, 0.1], [0.9, 0.3], [1.1, 0.2]])
    full = run_batch(short, PARAMS, values, np.array([1, 2, 3]), 0, red, chunk_size=2)
    alone = run_batch(short, PARAMS, values[1:2], np.array([2]), 0, red)
    np.testing.assert_allclose(full[1], alone[0], rtol=1e-10)
    assert full.shape == (3, 2) and (full[2] > full[0]).all()


@pytest.fixture(scope="module")
def tiny(short, tmp_path_factory):
    """A 2-parameter ABC-SMC: 2 generations of 30 particles (monkeypatch not active here)."""
    old = batch.MIN_VECTOR_RUNS
    batch.MIN_VECTOR_RUNS = 128
    try:
        st = Settings(scenario="short", params=PARAMS, population=30, generations=2,
                      holdout_from=1956, score_runs=60, seed=3, point_candidates=5,
                      point_replicates=4)
        return calibrate(st, short, log=lambda s: None)
    finally:
        batch.MIN_VECTOR_RUNS = old


def test_tiny_abc_completes_and_improves_on_the_prior(tiny: CalibrationResult):
    assert len(tiny.generations) == 2
    assert tiny.particles.shape == (30, 2)
    assert tiny.weights.sum() == pytest.approx(1.0)
    assert (tiny.generations["epsilon"].diff().dropna() < 0).all()
    s = tiny.scores.set_index(["set", "ensemble"])["distance"]
    assert s[("calibration", "posterior")] < s[("calibration", "prior")]
    lo, hi = 0.5, 1.2
    assert ((tiny.particles[:, 0] >= lo) & (tiny.particles[:, 0] <= hi)).all()


def test_posterior_file_round_trip_and_scenario_use(tiny, tmp_path):
    path = write_posterior(tiny, tmp_path / "posterior.toml")
    doc = read_posterior(path)
    assert doc["calibration"]["parameters"] == PARAMS
    assert "calibration" in doc["score"] and "date" in doc["calibration"]
    assert len(doc["particles"]["weight"]) == 30
    sc = load_scenario("khrushchev-1953", posterior=path)
    for p in PARAMS:
        g, n = p.split(".")
        assert getattr(getattr(sc.params, g), n) == pytest.approx(tiny.point[p], rel=1e-5)
    assert sc.posterior == str(path)
    plain = load_scenario("khrushchev-1953", posterior=False)
    assert plain.params.agriculture.yield_scale == 0.8 and plain.posterior == ""
    paths, draws = posterior_draws(40, 0, path)
    assert paths == PARAMS and draws.shape == (40, 2)


def test_scenario_params_win_over_posterior_and_stale_entries_are_skipped(tiny, tmp_path):
    path = write_posterior(tiny, tmp_path / "posterior.toml")
    text = path.read_text().replace("[params.agriculture]",
                                    "[params.gone]\nold = 1.0\n\n[params.agriculture]")
    path.write_text(text)
    sc_file = tmp_path / "own.toml"
    sc_file.write_text('inherits = "khrushchev-1953"\nname = "own"\n'
                       "[params.agriculture]\nyield_scale = 0.6\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sc = load_scenario(sc_file, posterior=path)
    assert any("gone.old" in str(w.message) for w in caught)
    assert sc.params.agriculture.yield_scale == 0.6
    off = tmp_path / "off.toml"
    off.write_text('inherits = "khrushchev-1953"\nname = "off"\nuse_posterior = false\n')
    assert load_scenario(off, posterior=None).posterior == ""


def test_weighted_quantiles():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    assert weighted_quantiles(x, np.ones(4), [0.5])[0] == pytest.approx(2.5)
    assert weighted_quantiles(x, np.array([0, 0, 0, 1.0]), [0.5])[0] == pytest.approx(4.0)
