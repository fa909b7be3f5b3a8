"""Streaming to the store and loading only what is asked (runs, variables, SQL)."""

from __future__ import annotations

import numpy as np
import pytest

from ottepel.ensemble.simulate import simulate
from ottepel.ensemble.store import StoredEnsemble, StoreError


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    out = tmp_path_factory.mktemp("store")
    return simulate(runs=12, seed=4, chunk_size=5, store=out, return_result=False)


@pytest.fixture(scope="module")
def in_memory():
    return simulate(runs=12, seed=4, chunk_size=12)


def test_return_result_false_gives_a_handle(stored):
    assert isinstance(stored, StoredEnsemble) and stored.runs == 12


def test_selected_runs_and_variables_match_the_full_result(stored, in_memory):
    part = stored.result(runs=[3, 11, 7], variables=["grain_harvest_mt", "population_mn"])
    assert list(part.national["run"].values) == [3, 7, 11]
    assert set(part.national.data_vars) == {"grain_harvest_mt", "population_mn"}
    assert set(part.regional.data_vars) == {"grain_harvest_mt", "population_mn"}
    for k in part.national.data_vars:
        np.testing.assert_array_equal(part.national[k].values,
                                      in_memory.national[k].sel(run=[3, 7, 11]).values)
    np.testing.assert_array_equal(part.regional["grain_harvest_mt"].values,
                                  in_memory.regional["grain_harvest_mt"].sel(run=[3, 7, 11]).values)
    assert set(part.events["run"]) <= {3, 7, 11}
    assert part.national["grain_harvest_mt"].attrs["units"] == "million t"


def test_runs_missing_from_the_store_are_a_clear_error(stored):
    with pytest.raises(StoreError, match="runs 40..40 are not in exactly one whole chunk"):
        stored.result(runs=[2, 40])


def test_sql_summarises_without_loading(stored, in_memory):
    df = stored.sql("SELECT year(month) AS year, median(grain_harvest_mt) AS med FROM national "
                    "WHERE month(month) = 12 GROUP BY 1 ORDER BY 1")
    expected = in_memory.summary("grain_harvest_mt")["median"]
    np.testing.assert_allclose(df["med"].to_numpy(), expected.loc[df["year"]].to_numpy())
