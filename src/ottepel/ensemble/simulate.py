"""``simulate``: the one place that turns a scenario into an ensemble, for every interface.

In memory it steps chunks of runs with :func:`ottepel.core.engine.run_chunk`; with a store
it writes each chunk to Parquet (resumable, optionally on Dask) and loads the result back.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from ottepel.core.engine import run_chunk
from ottepel.core.params import RuntimeParams
from ottepel.core.scenario import Scenario, load_scenario
from ottepel.ensemble.chunks import chunk_bounds
from ottepel.ensemble.results import Result


def simulate(scenario: str | Path | Scenario = "khrushchev-1953", runs: int = 100, seed: int = 0,
             chunk_size: int = 1000, params: RuntimeParams | None = None,
             store: str | Path | None = None, progress: Callable[[int], None] | None = None,
             debug: bool = False, cluster: str | None = None, return_result: bool = True):
    """Run an ensemble and return a :class:`ottepel.ensemble.results.Result`.

    Args:
        scenario: a packaged scenario name, a path to a TOML file, or a loaded Scenario.
        runs: number of runs in the ensemble.
        seed: ensemble seed (runs 0..runs-1 are keyed on it).
        chunk_size: runs stepped together (results do not depend on it).
        params: runtime parameters overriding the scenario's (may carry a run axis).
        store: if given, a directory where chunks are written (Parquet + DuckDB catalogue);
            an interrupted ensemble in the same store resumes.
        progress: callback receiving the number of runs just completed.
        debug: validate the state after every month.
        cluster: ``"local"`` for a Dask LocalCluster or ``"tcp://host:port"`` for a scheduler
            (requires ``store``; results are bit-identical to a single process).
        return_result: with a store, False returns a :class:`ottepel.ensemble.store.StoredEnsemble`
            handle instead of loading every run: memory then stays bounded by the chunk
            (load parts with ``handle.result(runs=..., variables=...)`` or query with
            ``handle.sql(...)``).
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if runs < 1:
        raise ValueError("runs must be at least 1")
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    if cluster is not None and store is None:
        raise ValueError("cluster runs write to a store: give store=<directory>")
    if not return_result and store is None:
        raise ValueError("return_result=False streams to a store: give store=<directory>")
    if store is not None:
        from ottepel.ensemble.store import Store

        st = Store(store)
        key = st.run_ensemble(sc, runs, seed, chunk_size, params=params, progress=progress,
                              debug=debug, cluster=cluster)
        handle = st.ensemble(key)
        return handle.result(runs) if return_result else handle
    chunks = []
    for a, b in chunk_bounds(runs, chunk_size):
        p = params.subset(np.arange(a, b)) if params is not None else None
        chunks.append(run_chunk(sc, np.arange(a, b), seed, p, debug))
        if progress:
            progress(b - a)
    return Result.from_chunks(sc, seed, chunks)
