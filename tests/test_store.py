"""Results store: chunks written atomically, catalogued, resumed, damage detected."""

import numpy as np
import pytest

from ottepel import simulate
from ottepel.ensemble.store import Store, ensemble_key


def test_store_round_trip_equals_in_memory(tmp_path, scenario):
    mem = simulate(scenario, runs=6, seed=2, chunk_size=3)
    stored = simulate(scenario, runs=6, seed=2, chunk_size=3, store=tmp_path)
    for k in mem.national.data_vars:
        np.testing.assert_array_equal(mem.national[k].values, stored.national[k].values, err_msg=k)
    for k in mem.regional.data_vars:
        np.testing.assert_allclose(mem.regional[k].values, stored.regional[k].values, err_msg=k)
    assert len(mem.events) == len(stored.events)
    assert (tmp_path / "catalog.duckdb").exists()
    assert not list(tmp_path.rglob(".tmp-*"))


def test_resume_runs_only_what_is_missing(tmp_path, scenario):
    st = Store(tmp_path)
    st.run_ensemble(scenario, 4, 1, 2)
    key = ensemble_key(scenario, 1)
    assert st.missing_ranges(key, 4) == []
    assert st.missing_ranges(key, 7) == [(4, 7)]
    calls = []
    st.run_ensemble(scenario, 7, 1, 2, progress=calls.append)
    assert sum(calls) == 7  # 4 already done + 3 new
    assert len(st.chunks(key)) == 3 * 4  # three files per chunk, 4 chunks
    res = st.result(scenario.name, 1, 7, key=key)
    assert list(res.national.run.values) == list(range(7))


def test_damaged_chunk_is_detected_and_rerun(tmp_path, scenario):
    st = Store(tmp_path)
    st.run_ensemble(scenario, 4, 1, 2)
    key = ensemble_key(scenario, 1)
    victim = tmp_path / st.chunks(key).iloc[0]["file"]
    victim.write_bytes(b"garbage")
    with pytest.warns(UserWarning, match="checksum mismatch"):
        assert st.missing_ranges(key, 4) == [(0, 2)]
    st.run_ensemble(scenario, 4, 1, 2)
    good, problems = st.verify(key)
    assert good == [(0, 2), (2, 4)] and not problems


def test_changed_scenario_gets_a_new_key(scenario):
    other = scenario.with_params(scenario.params.replace("agriculture.losses", 0.1))
    assert ensemble_key(scenario, 1) != ensemble_key(other, 1)
    assert ensemble_key(scenario, 1) != ensemble_key(scenario, 2)
