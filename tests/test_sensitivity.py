"""Sensitivity: Sobol and Morris on a toy function with a known answer, and on the model."""

import numpy as np
import pytest

from ottepel.analysis.priors import priors_for
from ottepel.analysis.sensitivity import (
    Output,
    Outputs,
    drivers,
    evaluate_design,
    key_outputs,
    morris,
    sobol,
    top_parameters,
)
from ottepel.core.scenario import load_scenario
from ottepel.ensemble import batch


def toy(unit: np.ndarray) -> np.ndarray:
    """y0 = 4 u0 + u1 (u2 inert); y1 = u2 ** 2."""
    return np.column_stack([4 * unit[:, 0] + unit[:, 1], unit[:, 2] ** 2])


def test_sobol_on_a_linear_toy_recovers_the_variance_shares():
    df = sobol(toy, ["a", "b", "c"], ["y0", "y1"], base_samples=512, seed=1)
    y0 = df[df["output"] == "y0"].set_index("parameter")
    # Var(4 u0) / Var(y0) = 16 / 17 exactly for independent uniforms.
    assert y0.loc["a", "ST"] == pytest.approx(16 / 17, abs=0.05)
    assert y0.loc["b", "ST"] == pytest.approx(1 / 17, abs=0.03)
    assert abs(y0.loc["c", "ST"]) < 0.01
    assert drivers(df, "y1") == ["c"]


def test_morris_ranks_the_toy_parameters():
    df = morris(toy, ["a", "b", "c"], ["y0", "y1"], trajectories=8, seed=2)
    y0 = df[df["output"] == "y0"].set_index("parameter")["mu_star"]
    assert y0["a"] > y0["b"] > y0["c"] == 0
    assert top_parameters(df, 2)[0] in ("a", "c")  # c tops y1, a tops y0 (relative mu*)


def test_output_reducers():
    nat = {"x": np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
           "leader": np.array([[1.0, 1.0, 2.0], [1.0, 1.0, 1.0]])}
    red = Outputs((Output("m", "", "x", "mean", (0, 2)), Output("v", "", "x", "value", (1,)),
                   Output("s", "", "leader", "equals_last", target=1.0),
                   Output("c", "", "leader", "count_equal", target=1.0)))
    np.testing.assert_array_equal(red(nat), [[2, 2, 0, 2], [5, 5, 1, 3]])


def test_key_outputs_skip_survival_with_a_note_when_no_politics():
    sc = load_scenario(posterior=False)
    notes = []
    outs = key_outputs(sc, note=notes.append)
    names = [o.name for o in outs]
    assert names[:3] == ["grain_mean_1953_64", "grain_1963", "meat_1962"]
    from ottepel.core.catalog import national_catalog

    if "first_secretary" not in national_catalog():
        assert notes and "survival" in notes[0]


def test_tiny_morris_on_the_model_finds_yield_scale(monkeypatch, tmp_path):
    monkeypatch.setattr(batch, "MIN_VECTOR_RUNS", 64)
    path = tmp_path / "short.toml"
    path.write_text('inherits = "khrushchev-1953"\nname = "short"\nend = "1955-12"\n')
    sc = load_scenario(path, posterior=False)
    pri = priors_for(["agriculture.yield_scale", "housing.demolition_rate"])
    red = Outputs((Output("grain_1955", "", "grain_harvest_mt", "value",
                          (len(sc.months) - 1,)),))

    def evaluate(unit):
        return evaluate_design(sc, pri, unit, red, replicates=1, seed=0)

    df = morris(evaluate, [p.path for p in pri], ["grain_1955"], trajectories=3, seed=0)
    mu = df.set_index("parameter")["mu_star"]
    assert mu["agriculture.yield_scale"] > 10 * mu["housing.demolition_rate"]
