"""``simulate``: the one place that turns a scenario into an ensemble, for every interface.

In memory it steps chunks of runs with :func:`ottepel.ensemble.chunks.compute_chunks`
(``engine.run_chunk`` per chunk); with a store it writes each chunk to Parquet
(resumable, optionally on Dask) and loads the result back.

Who comes through here: ``ottepel run`` (with a store), ``compare`` and ``assess`` (the
CLI and :mod:`ottepel.analysis.compare` / :mod:`ottepel.analysis.assess`), ``validate``
and the validation patterns (:mod:`ottepel.analysis.validation`), the report's extra
scenarios (:mod:`ottepel.analysis.report_sections`) and the package API
(``ottepel.simulate``). Calibration and sensitivity analysis run many parameter draws
as one vectorised ensemble through :func:`ottepel.ensemble.batch.run_batch` instead.
The play core, the Gymnasium and PettingZoo environments step one run month by month
with :func:`ottepel.core.engine.step_month` (bit-identical to run k of ``simulate``).
``tests/test_architecture.py`` checks that nothing else outside ``core`` and
``ensemble`` runs chunks (known exception: the web app's jobs call
``Store.run_ensemble`` directly, issue 19).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ottepel.core.params import RuntimeParams
from ottepel.core.scenario import Scenario, load_scenario
from ottepel.ensemble.chunks import chunk_bounds, compute_chunks
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
    for chunk in compute_chunks(sc, chunk_bounds(runs, chunk_size), seed, params, debug):
        chunks.append(chunk)
        if progress:
            progress(len(chunk.run_ids))
    return Result.from_chunks(sc, seed, chunks)
