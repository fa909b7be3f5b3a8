"""Land balance and maize by heat sums (mechanisms/land.py)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ottepel.core.mechanisms import agriculture as ag
from ottepel.core.mechanisms import land
from ottepel.data import load_regions

P = ag.Params()


def test_heat_sums_fall_north_and_east():
    r = load_regions()
    h = dict(zip(r.name, land.heat_sum(r), strict=True))
    assert h["Krasnodar"] > h["Kiev"] > h["Moscow (oblast)"] > h["Leningrad"]
    assert land.zone_group(r)[list(r.name).index("Krasnodar")] == 0
    assert land.zone_group(r)[list(r.name).index("Leningrad")] == 2


def test_maize_ripens_only_in_the_south_and_silage_is_worth_less_in_the_north():
    h = np.array([1700.0, 2100.0, 2600.0, 3300.0])
    ripe = land.maize_grain_ripeness(h, P)
    assert ripe[0] == ripe[1] == 0 and 0 < ripe[2] < ripe[3] == 1
    fu = land.silage_feed_per_ha(h, P)
    assert np.all(np.diff(fu) > 0) and fu[0] < 0.3 * fu[3]


@settings(max_examples=60, deadline=None)
@given(st.floats(0.0, 60.0), st.floats(0.0, 30.0), st.floats(0.5, 2.0))
def test_land_balance_closes(maize, ploughed, herd):
    g = np.array([[10.0]])
    crop = g * (1 + P.fallow_share_1953 + P.fodder_share_1953 + P.industrial_share_1953)
    ind = P.industrial_share_1953 * g
    silage, grain = np.array([[0.8 * maize]]) * g / 10, np.array([[0.2 * maize]]) * g / 10
    u = land.land_balance(crop, g, P.fallow_share_1953 * g, P.fodder_share_1953 * g, ind,
                          np.array([[ploughed]]) * g / 10, np.array([[herd]]), silage, grain, P)
    used = u["small_grain"] + u["fallow"] + u["fodder"] + u["maize_silage"] + u["maize_grain"] + ind
    assert np.all(used <= crop + 1e-9)
    assert min(v.min() for v in u.values()) >= 0
    if u["small_grain"].min() > P.small_grain_floor * g.min() + 1e-9:
        np.testing.assert_allclose(used, crop)
