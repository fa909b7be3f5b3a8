"""Packaged data: completeness and sources."""

import numpy as np

from ottepel.data import (
    MACRO_REGIONS,
    history_series,
    load_events,
    load_regions,
    load_series,
    republic_grain_area_1953,
    weather_table,
)


def test_regions():
    r = load_regions()
    assert r.n == 105 and len(set(r.code)) == 105
    assert abs(r.population_1959.sum() - 208_827) / 208_827 < 0.01  # 1959 census
    assert (r.weather_macro >= 0).all() and ((r.weather_weight > 0) & (r.weather_weight <= 1)).all()
    assert r.virgin_lands.sum() == 16


def test_every_row_has_a_source():
    for df in (load_series(), load_events()):
        assert df["source"].notna().all() and (df["source"].str.len() > 3).all()


def test_history_series():
    g = history_series("grain_harvest_mt", "official")
    assert g[1953] == 82.5 and g[1964] == 152.1


def test_weather_table():
    years, idx, known = weather_table()
    assert years[0] == 1950 and years[-1] == 1970 and idx.shape == (21, len(MACRO_REGIONS))
    j = MACRO_REGIONS.index("north_kazakhstan")
    assert idx[1963 - 1950, j] == -3 and known[1963 - 1950, j]
    assert not known[1950 - 1950].any()
    assert np.abs(idx).max() <= 3


def test_republic_grain_area_sums_to_1953_total():
    assert abs(republic_grain_area_1953().sum() - 106.7) < 1e-9
