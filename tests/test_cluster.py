"""Dask runs equal single-process runs, bit for bit (a LocalCluster with two workers)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("dask.distributed")

from ottepel.ensemble import cluster  # noqa: E402
from ottepel.ensemble.simulate import simulate  # noqa: E402
from ottepel.ensemble.store import Store  # noqa: E402

RUNS, CHUNK, SEED = 40, 10, 5


def _assert_same(a, b):
    for k in a.national.data_vars:
        np.testing.assert_array_equal(a.national[k].values, b.national[k].values, err_msg=k)
    for k in a.regional.data_vars:
        np.testing.assert_array_equal(a.regional[k].values, b.regional[k].values, err_msg=k)
    cols = ["run", "month", "kind", "magnitude"]
    assert a.events[cols].equals(b.events[cols])
    assert list(a.events["causes"].astype(str)) == list(b.events["causes"].astype(str))


def test_dask_local_cluster_equals_single_process(tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "local_workers", lambda: 2)
    ticks: list[int] = []
    single = simulate(runs=RUNS, seed=SEED, chunk_size=RUNS)
    handle = simulate(runs=RUNS, seed=SEED, chunk_size=CHUNK, store=tmp_path / "s",
                      cluster="local", progress=ticks.append, return_result=False)
    _assert_same(single, handle.result())
    # One progress stream across the workers: each chunk once, summing to the ensemble.
    assert ticks == [CHUNK] * (RUNS // CHUNK)
    df = Store(tmp_path / "s").chunks(handle.key)
    assert len(df) == 3 * RUNS // CHUNK and not df.duplicated(["run_start", "kind"]).any()


def test_bad_cluster_address_is_a_clear_error():
    with pytest.raises(ValueError, match="scheduler address"):
        cluster.client_for("localhost:8786")


def test_scheduler_address_path_ships_chunks_back(tmp_path):
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                      dashboard_address=None) as lc:
        got = simulate(runs=12, seed=SEED, chunk_size=4, store=tmp_path / "s",
                       cluster=lc.scheduler_address)
    _assert_same(simulate(runs=12, seed=SEED, chunk_size=12), got)
