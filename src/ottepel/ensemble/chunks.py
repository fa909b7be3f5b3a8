"""Chunks of runs: their bounds, computing them in this process, and their three Parquet
files, written atomically.

Used by ``simulate`` (in memory), the store (one process) and by Dask workers
(``cluster``), which write their own chunk files and send the client only the catalogue
rows.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ottepel.core.engine import ChunkOutput, run_chunk
from ottepel.core.params import RuntimeParams
from ottepel.core.scenario import Scenario
from ottepel.ensemble.results import to_month64


class StoreError(RuntimeError):
    """The store is damaged in a way that cannot be repaired by re-running chunks."""


class StoreWarning(UserWarning):
    """A damaged chunk was found; it will be re-run."""


def chunk_bounds(runs: int, chunk_size: int, start: int = 0) -> Iterator[tuple[int, int]]:
    """(start, stop) of each chunk of a run range."""
    for a in range(start, runs, chunk_size):
        yield a, min(a + chunk_size, runs)


def chunk_params(params: RuntimeParams | None, a: int, b: int) -> RuntimeParams | None:
    """The runtime parameters of runs a..b-1 (run-axis values subset; None stays None)."""
    return params.subset(np.arange(a, b)) if params is not None else None


def compute_chunks(scenario: Scenario, bounds: Iterable[tuple[int, int]], seed: int,
                   params: RuntimeParams | None = None,
                   debug: bool = False) -> Iterator[ChunkOutput]:
    """Run each chunk of ``bounds`` in this process, one after the other, yielding each."""
    for a, b in bounds:
        yield run_chunk(scenario, np.arange(a, b), seed, chunk_params(params, a, b), debug)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _atomic_write_table(table: pa.Table, path: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".parquet", dir=path.parent)
    os.close(fd)
    try:
        keys = [c for c in ("run", "month", "region", "kind", "actors") if c in table.column_names]
        pq.write_table(table, tmp, compression="zstd", compression_level=1, use_dictionary=keys)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def chunk_tables(chunk: ChunkOutput, scenario: Scenario) -> dict[str, pa.Table]:
    """Long tables of a chunk's outputs, keyed by (run, month[, region]).

    Rows are run-major, then month, then region in the packaged order; ``region`` is a
    dictionary-encoded string column (built from integer codes, no Python strings).
    """
    from ottepel.data import load_regions

    n, nm = len(chunk.run_ids), len(scenario.months)
    months = to_month64(scenario.months)
    nat = {"run": np.repeat(chunk.run_ids, nm), "month": np.tile(months, n)}
    nat.update({k: v.reshape(-1) for k, v in chunk.national.items()})
    decs = to_month64(scenario.months[(scenario.months.astype(int) % 12) == 11])
    codes = load_regions().code
    ny, nr = len(decs), len(codes)
    region = pa.DictionaryArray.from_arrays(
        pa.array(np.tile(np.arange(nr, dtype=np.int16), n * ny)), pa.array(codes.tolist()))
    reg = {"run": np.repeat(chunk.run_ids, ny * nr), "month": np.tile(np.repeat(decs, nr), n),
           "region": region}
    reg.update({k: v.reshape(-1) for k, v in chunk.regional.items()})
    ev = chunk.events.copy()
    ev["month"] = pd.to_datetime(ev["month"]).astype("datetime64[ns]")
    for c in ("actors", "causes", "kind"):
        ev[c] = ev[c].astype(str)
    return {
        "national": pa.table(nat),
        "regional": pa.table(reg),
        "events": pa.Table.from_pandas(ev, preserve_index=False),
    }


def write_chunk_files(root: Path, key: str, scenario: Scenario, seed: int,
                      chunk: ChunkOutput) -> list[tuple]:
    """Write a chunk's three Parquet files atomically; return their catalogue rows.

    Touches only files (never the catalogue), so Dask workers on the same filesystem
    can call it and send the client a few rows instead of the chunk's arrays.
    """
    root = Path(root)
    folder = root / key
    folder.mkdir(parents=True, exist_ok=True)
    a, b = int(chunk.run_ids[0]), int(chunk.run_ids[-1]) + 1
    rows = []
    for kind, table in chunk_tables(chunk, scenario).items():
        path = folder / f"{kind}_{a:08d}_{b:08d}.parquet"
        _atomic_write_table(table, path)
        rows.append((key, scenario.name, seed, a, b, kind, str(path.relative_to(root)),
                     _sha256(path), table.num_rows))
    return rows
