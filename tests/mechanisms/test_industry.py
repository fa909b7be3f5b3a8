"""Industry: CES production, investment shares, official vs true index."""

import numpy as np
import pytest

from ottepel.core.mechanisms.industry import _ces


def test_ces_known_answers():
    assert _ces(1.0, 1.0, 0.5, 0.4) == pytest.approx(1.0)
    # low elasticity of substitution: doubling capital alone adds less than Cobb-Douglas would
    assert _ces(2.0, 1.0, 0.5, 0.4) < 2 ** 0.5


def test_growth_slows_as_capital_deepens(small_result):
    idx = small_result.annual("industrial_output_index").median()
    early = (idx[1956] / idx[1953]) ** (1 / 3) - 1
    late = (idx[1964] / idx[1961]) ** (1 / 3) - 1
    assert late < early


def test_official_index_overstates(small_result):
    true = small_result.annual("industrial_output_index")
    official = small_result.annual("industrial_output_index_official")
    assert (official[1964] > true[1964]).all()
    assert np.allclose(official[1953], 100)
