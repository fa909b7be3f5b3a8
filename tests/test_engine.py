"""Engine: determinism across chunking, run alone vs in a batch, and the output contract."""

import numpy as np
import pandas as pd
import pytest

from ottepel import simulate
from ottepel.core.catalog import national_catalog

REQUIRED = [
    "grain_harvest_mt", "grain_sown_mha", "virgin_lands_sown_mha", "maize_sown_mha",
    "grain_procurement_mt", "grain_imports_mt", "meat_production_mt", "milk_production_mt",
    "housing_completed_mn_m2", "population_mn", "urban_share", "industrial_output_index",
    "consumer_goods_index",
]


def _same(a, b):
    for k in a.national.data_vars:
        np.testing.assert_array_equal(a.national[k].values, b.national[k].values, err_msg=k)
    for k in a.regional.data_vars:
        np.testing.assert_array_equal(a.regional[k].values, b.regional[k].values, err_msg=k)
    pd.testing.assert_frame_equal(a.events.reset_index(drop=True), b.events.reset_index(drop=True),
                                  check_dtype=False)


def test_chunk_size_does_not_change_results(scenario):
    one = simulate(scenario, runs=9, seed=3, chunk_size=9)
    _same(one, simulate(scenario, runs=9, seed=3, chunk_size=4))
    _same(one, simulate(scenario, runs=9, seed=3, chunk_size=1))


def test_run_alone_equals_run_in_batch(scenario):
    from ottepel.core.engine import run_chunk

    batch = run_chunk(scenario, np.arange(0, 8), seed=3)
    alone = run_chunk(scenario, np.array([5]), seed=3)
    for k in batch.national:
        np.testing.assert_array_equal(batch.national[k][5], alone.national[k][0], err_msg=k)


def test_seed_changes_results(scenario):
    a = simulate(scenario, runs=3, seed=1)
    b = simulate(scenario, runs=3, seed=2)
    assert not np.allclose(a.national["grain_harvest_mt"].values, b.national["grain_harvest_mt"].values,
                           equal_nan=True)


def test_output_contract(small_result):
    nat, reg, ev = small_result.national, small_result.regional, small_result.events
    assert nat["grain_harvest_mt"].dims == ("run", "month")
    assert reg["grain_harvest_mt"].dims == ("run", "month", "region")
    assert reg.sizes["region"] == 105
    assert nat.sizes["month"] == 142  # 1953-03 .. 1964-12
    assert str(nat["month"].values[0])[:7] == "1953-03"
    for var in REQUIRED:
        assert var in nat, var
    assert list(ev.columns) == ["run", "month", "kind", "actors", "magnitude", "causes"]
    # annual quantities sit in December and are NaN in other months
    g = nat["grain_harvest_mt"]
    dec = g["month"].dt.month == 12
    assert np.isfinite(g.sel(month=dec).values).all()
    assert np.isnan(g.sel(month=~dec).values).all()
    # indices are 1953 = 100
    assert np.allclose(small_result.annual("industrial_output_index")[1953], 100)


def test_catalog_units():
    for name, (unit, cadence, desc) in national_catalog().items():
        assert unit and desc and cadence in ("monthly", "annual"), name


def test_debug_validation_passes(scenario):
    simulate(scenario, runs=4, seed=0, debug=True)


def test_bad_arguments(scenario):
    with pytest.raises(ValueError):
        simulate(scenario, runs=0)


def test_monthly_step_is_the_stages_of_order(scenario):
    """The step is begin_month then one stage per mechanism of ORDER, folded in order."""
    import dataclasses

    from ottepel.core import engine, mechanisms

    st = engine.stages()
    assert [s.name for s in st] == ["begin_month"] + [m.NAME for m in mechanisms.ORDER]
    assert all(s.summary for s in st)
    state = engine.initial_state(scenario, np.arange(3), 5)
    state = dataclasses.replace(state, clock=engine.clock_at(scenario.months, 0))
    rng = state.context.rng
    by_step = engine.step(state, scenario.decisions, scenario.params, rng)
    state2 = engine.initial_state(scenario, np.arange(3), 5)
    folded = dataclasses.replace(state2, clock=engine.clock_at(scenario.months, 0))
    for s in st:
        folded = s(folded, scenario.decisions, scenario.params, folded.context.rng)
    for name, dom in by_step.domains.items():
        for f in dataclasses.fields(dom):
            a, b = getattr(dom, f.name), getattr(folded.domains[name], f.name)
            if isinstance(a, np.ndarray):
                np.testing.assert_array_equal(a, b, err_msg=f"{name}.{f.name}")
