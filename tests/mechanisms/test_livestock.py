"""Livestock: feed ratios, distress slaughter, herd growth."""

import numpy as np

from ottepel.core.catalog import parameters_model
from ottepel.core.mechanisms import livestock
from ottepel.core.params import to_runtime


def _params():
    return to_runtime(parameters_model()()).livestock


def test_feed_shortage_lowers_ratio():
    p = _params()
    ls = livestock.LivestockState(np.ones((1, 2)), np.ones((1, 2)), np.full((1, 2), 2.0),
                                  np.ones((1, 2)), np.ones((1, 2)), np.zeros((1, 2)),
                                  np.zeros((1, 2)), np.zeros((1, 2)), np.zeros((1, 2)))
    rich = livestock.feed_ratios(ls, np.full((1, 2), 2.0), np.zeros((1, 2)), np.zeros((1, 2)), p,
                                 np.full((1, 2), 0.5))
    poor = livestock.feed_ratios(ls, np.full((1, 2), 0.1), np.zeros((1, 2)), np.zeros((1, 2)), p,
                                 np.full((1, 2), 0.5))
    assert (poor[1] < rich[1]).all() and (poor[0] < rich[0]).all()


def test_pig_herd_grows_then_is_culled_after_1963(small_result):
    pigs = small_result.annual("pigs_mn_head").median()
    assert pigs[1962] > 1.8 * pigs[1953]
    # distress slaughter after the 1963 drought; the record's fall (70.0 to 40.9 mn, -42%) is
    # deeper than the model's (about -12%): a known gap, see docs/ODD.md "Validation"
    assert pigs[1963] < 0.93 * pigs[1962]
    ev = small_result.events
    cull = ev[(ev.kind == "distress_slaughter") & (ev.month.astype(str).str[:4] == "1963")]
    assert cull.run.nunique() > 0.5 * small_result.national.sizes["run"]


def test_meat_and_milk_grow_with_prices_and_feed(small_result):
    meat = small_result.annual("meat_production_mt").median()
    milk = small_result.annual("milk_production_mt").median()
    assert meat[1958] > 1.2 * meat[1953] and milk[1958] > 1.3 * milk[1953]
