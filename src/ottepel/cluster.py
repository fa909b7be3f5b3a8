"""Dask distributed execution of an ensemble's chunks.

``--cluster local`` starts a LocalCluster on this machine (one single-threaded worker
process per core); ``--cluster tcp://host:port`` uses a running scheduler. Workers run
``engine.run_chunk`` on run ranges; keyed randomness makes every run bit-identical to a
single-process run, and the client writes each chunk to the store as it arrives.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import numpy as np

from .engine import ChunkOutput, run_chunk
from .params import RuntimeParams
from .scenario import Scenario


def _run(scenario: Scenario, a: int, b: int, seed: int, params: RuntimeParams | None) -> ChunkOutput:
    return run_chunk(scenario, np.arange(a, b), seed, params)


def client_for(address: str):
    """A Dask client for ``"local"`` or a scheduler address."""
    from dask.distributed import Client, LocalCluster

    if address == "local":
        cluster = LocalCluster(n_workers=max(1, min(os.cpu_count() or 1, 4)), threads_per_worker=1,
                               processes=True, dashboard_address=None)
        return Client(cluster)
    if not address.startswith(("tcp://", "tls://", "inproc://")):
        raise ValueError(f"--cluster must be 'local' or a scheduler address like tcp://host:8786, got {address!r}")
    return Client(address, timeout="20s")


def run_chunks_dask(scenario: Scenario, ranges: list[tuple[int, int]], seed: int,
                    params: RuntimeParams | None, address: str) -> Iterator[ChunkOutput]:
    """Run chunks on a Dask cluster, yielding each as it completes."""
    from dask.distributed import as_completed

    client = client_for(address)
    try:
        sc = client.scatter(scenario, broadcast=True)
        futures = [
            client.submit(_run, sc, a, b, seed,
                          params.subset(np.arange(a, b)) if params is not None else None,
                          pure=False)
            for a, b in ranges
        ]
        for fut in as_completed(futures):
            yield fut.result()
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None and address == "local":
            cluster.close()
