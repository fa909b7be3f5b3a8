"""Every parameter has a prior, a unit and a source; prior shapes sample correctly."""

import math

import numpy as np
import pytest

from ottepel.analysis.priors import PRIOR_SHAPES, Prior, all_priors, priors_for, sample_priors
from ottepel.core.catalog import parameter_table
from ottepel.core.params import param


def test_every_parameter_has_unit_source_prior_and_default_inside_range():
    rows = parameter_table()
    assert len(rows) > 50
    for r in rows:
        assert r["unit"], f"{r['path']}: no unit"
        assert r["source"] and len(r["source"]) > 5, f"{r['path']}: no source"
        assert r["prior"] in PRIOR_SHAPES, f"{r['path']}: prior {r['prior']!r}"
        assert r["lo"] < r["default"] < r["hi"], f"{r['path']}: default not inside (lo, hi)"
        if r["prior"] == "loguniform":
            assert r["lo"] > 0, f"{r['path']}: loguniform needs lo > 0"


def test_every_group_builds_priors():
    pri = all_priors()
    groups = {p.split(".")[0] for p in pri}
    assert {"agriculture", "grain", "livestock"} <= groups
    assert all(p.lo < p.hi for p in pri.values())


def test_param_rejects_unknown_prior_shape():
    with pytest.raises(ValueError):
        param(1.0, 0.5, 2.0, "1", "test", prior="normal")
    with pytest.raises(ValueError):
        param(1.0, 0.0, 2.0, "1", "test", prior="loguniform")


def test_uniform_prior_sampling_and_round_trip():
    p = Prior("g.x", 2.0, 6.0, "uniform")
    x = p.sample(20_000, np.random.default_rng(1))
    assert x.min() >= 2.0 and x.max() <= 6.0
    assert abs(x.mean() - 4.0) < 0.05  # sd of the mean ~ 0.008
    u = np.linspace(0, 1, 11)
    np.testing.assert_allclose(p.to_unit(p.from_unit(u)), u)
    assert p.pdf(3.0) == pytest.approx(0.25) and p.pdf(7.0) == 0


def test_loguniform_prior_has_geometric_median():
    p = Prior("g.x", 0.01, 1.0, "loguniform")
    x = p.sample(20_000, np.random.default_rng(2))
    assert abs(np.median(x) - 0.1) < 0.01
    assert x.min() >= 0.01 and x.max() <= 1.0
    grid = np.linspace(0.01, 1.0, 200_001)
    assert np.trapezoid(p.pdf(grid), grid) == pytest.approx(1.0, abs=1e-3)
    np.testing.assert_allclose(p.from_unit(0.5), math.sqrt(0.01 * 1.0))


def test_sample_priors_shape_and_determinism():
    pri = priors_for(["agriculture.yield_scale", "grain.stock_1953"])
    a, b = sample_priors(pri, 50, 7), sample_priors(pri, 50, 7)
    assert a.shape == (50, 2)
    np.testing.assert_array_equal(a, b)
    with pytest.raises(KeyError):
        priors_for(["no.such_parameter"])
