"""Dask distributed execution of an ensemble's chunks.

``--cluster local`` starts a LocalCluster on this machine (one single-threaded worker
process per core, at most four); ``--cluster tcp://host:port`` uses a running scheduler
whose workers can import ``ottepel``. Workers run ``engine.run_chunk`` on run ranges;
keyed randomness makes every run bit-identical to a single-process run. Chunks are
submitted through a window of a few per worker, so memory stays bounded by the chunk
size however many runs the ensemble has. On a LocalCluster each worker writes its
chunk's Parquet files itself and sends the client only their catalogue rows; from a
remote scheduler the chunks come back and the client writes them. Either way the client
alone touches the DuckDB catalogue and advances the one progress bar, chunk by chunk,
in whatever order the workers finish.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from ottepel.core.engine import run_chunk
from ottepel.core.params import RuntimeParams
from ottepel.core.scenario import Scenario
from ottepel.ensemble.chunks import chunk_params, write_chunk_files

IN_FLIGHT_PER_WORKER = 2


def _run(scenario: Scenario, a: int, b: int, seed: int, params: RuntimeParams | None,
         debug: bool = False, write_to: tuple[Path, str] | None = None):
    chunk = run_chunk(scenario, np.arange(a, b), seed, params, debug)
    if write_to is None:
        return chunk
    return write_chunk_files(write_to[0], write_to[1], scenario, seed, chunk)


def local_workers() -> int:
    """Worker processes of a LocalCluster: one per core, at most four."""
    return max(1, min(os.cpu_count() or 1, 4))


def client_for(address: str, n_workers: int | None = None):
    """A Dask client for ``"local"`` or a scheduler address."""
    from dask.distributed import Client, LocalCluster

    if address == "local":
        cluster = LocalCluster(n_workers=n_workers or local_workers(), threads_per_worker=1,
                               processes=True, dashboard_address=None)
        return Client(cluster)
    if not address.startswith(("tcp://", "tls://", "inproc://")):
        raise ValueError(f"--cluster must be 'local' or a scheduler address like tcp://host:8786, got {address!r}")
    return Client(address, timeout="20s")


def run_chunks_dask(scenario: Scenario, ranges: list[tuple[int, int]], seed: int,
                    params: RuntimeParams | None, address: str, debug: bool = False,
                    n_workers: int | None = None,
                    write_to: tuple[Path, str] | None = None) -> Iterator:
    """Run chunks on a Dask cluster, yielding each as it completes.

    Yields ChunkOutputs, or, with ``write_to=(store root, ensemble key)``, the catalogue
    rows of the chunk files each worker wrote itself (workers must see that directory:
    always true of ``"local"``; on a real cluster only with a shared filesystem).

    Args:
        scenario: the compiled scenario (sent once to every worker).
        ranges: (start, stop) run ranges, one per chunk.
        seed: ensemble seed.
        params: runtime parameters (run-axis values are subset per chunk).
        address: ``"local"`` or a scheduler address.
        debug: validate the state every month on the workers.
        n_workers: LocalCluster size (default :func:`local_workers`).
        write_to: (store root, ensemble key) to have workers write the chunk files.
    """
    from dask.distributed import as_completed

    client = client_for(address, n_workers)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        sc = client.scatter(scenario, broadcast=True)
        todo = iter(ranges)

        def submit(a: int, b: int):
            return client.submit(_run, sc, a, b, seed, chunk_params(params, a, b), debug,
                                 write_to, pure=False)

        window = as_completed([submit(a, b) for a, b in _take(todo, IN_FLIGHT_PER_WORKER * workers)])
        for fut in window:
            chunk = fut.result()
            fut.release()
            for a, b in _take(todo, 1):
                window.add(submit(a, b))
            yield chunk
    finally:
        close_client(client, address)


def close_client(client, address: str) -> None:
    """Close a client of :func:`client_for`, and the LocalCluster it started for "local"."""
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None and address == "local":
        cluster.close()


def _take(it: Iterator[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    out = []
    for _ in range(n):
        nxt = next(it, None)
        if nxt is None:
            break
        out.append(nxt)
    return out
