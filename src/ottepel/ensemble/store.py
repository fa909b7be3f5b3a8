"""Results store: one set of Parquet files per chunk, catalogued in an embedded DuckDB file.

Layout of a store directory::

    catalog.duckdb                       chunks table: one row per finished chunk
    <ensemble>/national_<a>_<b>.parquet  runs a..b-1, columns run, month, <variables>
    <ensemble>/regional_<a>_<b>.parquet  run, month, region, <variables>
    <ensemble>/events_<a>_<b>.parquet    run, month, kind, actors, magnitude, causes

``<ensemble>`` is a hash of the scenario's content, the parameters and the seed, so a
changed scenario never reuses stale chunks. Each file is written to a temporary name
and renamed (atomic on POSIX); the catalogue row, with each file's SHA-256, is inserted
only after all three files are in place. Readers see only catalogued chunks. On resume,
missing runs are computed from the catalogue; a catalogued chunk whose files are missing
or whose checksum does not match is reported (:class:`StoreWarning`) and re-run, never
silently skipped. Reading an ensemble checks the checksums too and refuses a damaged or
incomplete one (:class:`StoreError`). A damaged catalogue file gives a StoreError that
says what to do. Temporary files left by a crash are never read and are swept on the next
run of the same ensemble, which holds a lock file (``<ensemble>/.lock``) while it writes.

Streaming: chunks are written by one writer thread, one chunk behind the simulation (on
a Dask LocalCluster the workers write their own chunk files and the client only
catalogues them), so memory is bounded by the chunk. Region keys are dictionary-encoded.
Readers load only what is asked (runs, variables) file by file, placing each value at
its (run, month, region); :class:`StoredEnsemble` is a handle that loads nothing until
asked, and :meth:`Store.sql` queries the Parquet files in place with DuckDB.

Chunk files and their atomic writing are in :mod:`ottepel.ensemble.chunks` (also used by
Dask workers), reading them back into a Result in :mod:`ottepel.ensemble.reading`.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from ottepel.core.engine import ChunkOutput
from ottepel.core.params import RuntimeParams
from ottepel.core.scenario import Scenario
from ottepel.ensemble.chunks import (
    StoreError,
    StoreWarning,
    _sha256,
    chunk_bounds,
    compute_chunks,
    write_chunk_files,
)
from ottepel.ensemble.reading import as_runs, load_result, overlapping
from ottepel.ensemble.results import Result

CATALOG = "catalog.duckdb"
KINDS = ("national", "regional", "events")


def ensemble_key(scenario: Scenario, seed: int, params: RuntimeParams | None = None) -> str:
    """A short hash identifying (scenario content, parameters, seed)."""
    p = params if params is not None else scenario.params
    h = hashlib.sha256()
    h.update(scenario.name.encode())
    h.update(str(seed).encode())
    h.update(scenario.months.astype(str).tobytes())
    for lever in sorted(scenario.decisions.values):
        h.update(lever.encode())
        h.update(np.ascontiguousarray(scenario.decisions.values[lever]).tobytes())
    h.update(json.dumps(p.to_dict(), sort_keys=True, default=_json_default).encode())
    h.update(scenario.weather.encode() + scenario.politics.encode())
    return f"{scenario.name}-s{seed}-{h.hexdigest()[:12]}"


def _json_default(x):
    if isinstance(x, np.ndarray):
        return hashlib.sha256(x.tobytes()).hexdigest()
    return str(x)


@contextmanager
def _ensemble_lock(folder: Path) -> Iterator[None]:
    """Hold ``<folder>/.lock`` while writing an ensemble; a second writer gets StoreError."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock
        yield
        return
    with open(folder / ".lock", "a+b") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise StoreError(f"{folder}: another process is writing this ensemble; wait for it "
                             "to finish or give another --out directory") from None
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _sweep_temporary(folder: Path) -> None:
    """Remove temporary files a crashed writer left (only under the ensemble lock)."""
    for tmp in folder.glob(".tmp-*.parquet"):
        tmp.unlink(missing_ok=True)


class Store:
    """A results directory with its DuckDB catalogue."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.db_path = self.root / CATALOG
        with self._con() as con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS chunks (ensemble VARCHAR, scenario VARCHAR, "
                "seed BIGINT, run_start BIGINT, run_stop BIGINT, kind VARCHAR, file VARCHAR, "
                "sha256 VARCHAR, rows BIGINT, created TIMESTAMP DEFAULT current_timestamp)"
            )
            con.execute(
                "CREATE TABLE IF NOT EXISTS ensembles (ensemble VARCHAR PRIMARY KEY, "
                "scenario VARCHAR, seed BIGINT, runs BIGINT, info VARCHAR)"
            )

    @contextmanager
    def _con(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the catalogue; any DuckDB failure becomes a clear StoreError."""
        con = None
        try:
            con = duckdb.connect(str(self.db_path))
            yield con
        except duckdb.Error as exc:
            raise self._catalogue_error(exc) from None
        finally:
            if con is not None:
                con.close()

    def _catalogue_error(self, exc: Exception) -> StoreError:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "could not set lock" in first.lower() or "conflicting lock" in first.lower():
            return StoreError(f"{self.db_path}: the catalogue is in use by another process "
                              f"({first}); wait for it to finish or give another --out directory")
        return StoreError(
            f"{self.db_path}: the catalogue is damaged ({first}); move it away, e.g. "
            f"`mv {self.db_path} {self.db_path}.damaged`, and run again: the runs are then "
            "computed afresh (the old chunk files are not trusted without their checksums)")

    # -- writing -----------------------------------------------------------------
    def write_chunk(self, key: str, scenario: Scenario, seed: int, chunk: ChunkOutput) -> None:
        """Write one chunk's three files atomically, then catalogue them."""
        self.catalogue(write_chunk_files(self.root, key, scenario, seed, chunk))

    def catalogue(self, rows: list[tuple]) -> None:
        """Record a chunk's files (rows from :func:`write_chunk_files`) in one transaction."""
        key, a, b = rows[0][0], rows[0][3], rows[0][4]
        with self._con() as con:
            con.execute("BEGIN TRANSACTION")
            con.execute("DELETE FROM chunks WHERE ensemble = ? AND run_start = ? AND run_stop = ?",
                        [key, a, b])
            con.executemany(
                "INSERT INTO chunks (ensemble, scenario, seed, run_start, run_stop, kind, file, "
                "sha256, rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            con.execute("COMMIT")

    def register(self, key: str, scenario: Scenario, seed: int, runs: int) -> None:
        """Record an ensemble's identity (idempotent; the run count grows on extension)."""
        with self._con() as con:
            con.execute("BEGIN TRANSACTION")
            con.execute("DELETE FROM ensembles WHERE ensemble = ?", [key])
            con.execute("INSERT INTO ensembles VALUES (?, ?, ?, ?, ?)",
                        [key, scenario.name, seed, runs, scenario.path])
            con.execute("COMMIT")

    # -- reading -----------------------------------------------------------------
    def chunks(self, key: str) -> pd.DataFrame:
        """Catalogued chunk files of an ensemble."""
        with self._con() as con:
            return con.execute(
                "SELECT * FROM chunks WHERE ensemble = ? ORDER BY run_start, kind", [key]).df()

    def verify(self, key: str, forget: bool = True) -> tuple[list[tuple[int, int]], list[str]]:
        """Whole chunks (run ranges) and the problems found in damaged ones.

        Args:
            key: the ensemble.
            forget: drop damaged chunks from the catalogue (so they are re-run); readers
                pass False and leave the catalogue as it is.
        """
        return self._verify_rows(key, self.chunks(key), forget)

    def _verify_rows(self, key: str, df: pd.DataFrame,
                     forget: bool) -> tuple[list[tuple[int, int]], list[str]]:
        good, problems = [], []
        for (a, b), grp in df.groupby(["run_start", "run_stop"]):
            found = self._chunk_problems(int(a), int(b), grp)
            problems += found
            if not found:
                good.append((int(a), int(b)))
            elif forget:
                with self._con() as con:
                    con.execute("DELETE FROM chunks WHERE ensemble = ? AND run_start = ? "
                                "AND run_stop = ?", [key, int(a), int(b)])
        return good, problems

    def _chunk_problems(self, a: int, b: int, rows: pd.DataFrame) -> list[str]:
        """What is wrong with one catalogued chunk (empty if it is whole)."""
        problems = []
        if sorted(rows["kind"]) != sorted(KINDS):
            problems.append(f"{self.root}: chunk of runs {a}..{b - 1} is catalogued with files "
                            f"{sorted(rows['kind'])}, not {sorted(KINDS)}")
        for row in rows.itertuples():
            path = self.root / row.file
            if not path.is_file():
                problems.append(f"{path}: catalogued chunk file is missing")
            elif _sha256(path) != row.sha256:
                problems.append(f"{path}: checksum mismatch (damaged chunk)")
        return problems

    def missing_ranges(self, key: str, runs: int) -> list[tuple[int, int]]:
        """Run ranges not yet in whole chunks (damaged chunks count as missing)."""
        good, problems = self.verify(key)
        for p in problems:
            warnings.warn(f"{p}; the chunk will be re-run", StoreWarning, stacklevel=2)
        done = np.zeros(runs, dtype=bool)
        for a, b in good:
            done[a:min(b, runs)] = True
        ranges, i = [], 0
        while i < runs:
            if done[i]:
                i += 1
                continue
            j = i
            while j < runs and not done[j]:
                j += 1
            ranges.append((i, j))
            i = j
        return ranges

    def run_ensemble(self, scenario: Scenario, runs: int, seed: int, chunk_size: int,
                     params: RuntimeParams | None = None,
                     progress: Callable[[int], None] | None = None, debug: bool = False,
                     cluster: str | None = None) -> str:
        """Run (or resume) an ensemble into the store; returns its key."""
        key = ensemble_key(scenario, seed, params)
        folder = self.root / key
        folder.mkdir(exist_ok=True)
        with _ensemble_lock(folder):
            _sweep_temporary(folder)
            self.register(key, scenario, seed, runs)
            self._run_missing(key, scenario, runs, seed, chunk_size, params, progress, debug,
                              cluster)
        return key

    def _run_missing(self, key: str, scenario: Scenario, runs: int, seed: int, chunk_size: int,
                     params: RuntimeParams | None, progress: Callable[[int], None] | None,
                     debug: bool, cluster: str | None) -> None:
        todo = [(a, b) for lo, hi in self.missing_ranges(key, runs)
                for a, b in chunk_bounds(hi, chunk_size, lo)]
        done = runs - sum(b - a for a, b in todo)
        if progress and done:
            progress(done)
        if cluster == "local":
            # Workers share this filesystem: they write the files, the client catalogues.
            from ottepel.ensemble.cluster import run_chunks_dask

            for rows in run_chunks_dask(scenario, todo, seed, params, cluster, debug=debug,
                                        write_to=(self.root, key)):
                self.catalogue(rows)
                if progress:
                    progress(rows[0][4] - rows[0][3])
            return
        if cluster:
            from ottepel.ensemble.cluster import run_chunks_dask

            chunks = run_chunks_dask(scenario, todo, seed, params, cluster, debug=debug)
        else:
            chunks = compute_chunks(scenario, todo, seed, params, debug)
        self._write_stream(key, scenario, seed, chunks, progress)

    def _write_stream(self, key: str, scenario: Scenario, seed: int,
                      chunks: Iterator[ChunkOutput],
                      progress: Callable[[int], None] | None) -> None:
        """Write chunks one behind the simulation, on one writer thread.

        Parquet encoding and I/O overlap the next chunk's months; at most two chunks are
        held in memory. A failed write stops the ensemble (the exception is re-raised).
        """
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ottepel-writer") as pool:
            pending = None
            for chunk in chunks:
                if pending is not None:
                    _finish(pending, progress)
                fut = pool.submit(self.write_chunk, key, scenario, seed, chunk)
                pending = (fut, len(chunk.run_ids))
                del chunk
            if pending is not None:
                _finish(pending, progress)

    def ensemble_key(self, scenario_name: str, seed: int) -> str:
        """The key of the latest ensemble of a scenario and seed in this store."""
        with self._con() as con:
            hits = con.execute("SELECT ensemble FROM ensembles WHERE scenario = ? AND seed = ?",
                               [scenario_name, seed]).fetchall()
        if not hits:
            raise StoreError(f"{self.root}: no ensemble of {scenario_name!r} with seed {seed}")
        return hits[-1][0]

    def ensemble(self, key: str) -> StoredEnsemble:
        """A handle on a stored ensemble (nothing is loaded)."""
        with self._con() as con:
            row = con.execute("SELECT scenario, seed, runs FROM ensembles WHERE ensemble = ?",
                              [key]).fetchone()
        if row is None:
            raise StoreError(f"{self.root}: no ensemble {key!r}")
        return StoredEnsemble(self, key, row[0], int(row[1]), int(row[2]))

    def result(self, scenario_name: str, seed: int, runs: int | Sequence[int] | None = None,
               key: str | None = None, variables: Sequence[str] | None = None) -> Result:
        """Load (part of) an ensemble from its chunk files into a Result.

        Args:
            scenario_name: scenario name (used to find the ensemble when ``key`` is None).
            seed: ensemble seed.
            runs: an int n for runs 0..n-1, a sequence of run indices, or None for all the
                ensemble's runs. Only the chunk files holding them are read (and checked).
            key: the ensemble key (default: the latest ensemble of scenario and seed).
            variables: national and regional variables to load (default: all).

        Raises:
            StoreError: if a requested run is not in exactly one whole chunk, or a chunk
                holding one is damaged (the message says how to repair it).
        """
        key = key or self.ensemble_key(scenario_name, seed)
        if runs is None:
            runs = self.ensemble(key).runs
        wanted = as_runs(runs)
        files = self.whole_files(key, wanted)
        return load_result(files, scenario_name, seed, wanted, variables)

    def whole_files(self, key: str, runs: int | Sequence[int]) -> dict[str, list[str]]:
        """Chunk files holding the given runs exactly once, checked against their checksums.

        Args:
            key: the ensemble.
            runs: an int n for runs 0..n-1, or run indices. Only chunks holding one of
                them are checked, so loading a few runs of a large ensemble is cheap.

        Raises:
            StoreError: if a chunk is damaged or missing (run the ensemble again to repair).
        """
        wanted = as_runs(runs)
        df = self.chunks(key)
        df = df[overlapping(df, wanted)]
        good, problems = self._verify_rows(key, df, forget=False)
        covered = np.zeros(len(wanted), dtype=int)
        for a, b in good:
            covered += (wanted >= a) & (wanted < b)
        gaps = wanted[covered != 1]
        if problems or len(gaps):
            detail = "; ".join(problems[:3]) or (
                f"runs {gaps[0]}..{gaps[-1]} are not in exactly one whole chunk")
            raise StoreError(f"{self.root}: ensemble {key} is incomplete or damaged ({detail}); "
                             "run the same scenario and seed again to recompute the missing runs")
        keep = set(good)
        sel = df[[(a, b) in keep for a, b in zip(df["run_start"], df["run_stop"], strict=True)]]
        return {k: [str(self.root / f) for f in sel[sel["kind"] == k]["file"]] for k in KINDS}

    def sql(self, key: str, query: str) -> pd.DataFrame:
        """Run a DuckDB query over an ensemble's views ``national``, ``regional``, ``events``.

        Summaries of large ensembles (quantiles by year, event counts) run here without
        loading the ensemble into memory. The views cover the catalogued chunks as they are.
        """
        df = self.chunks(key)
        con = duckdb.connect()
        try:
            for kind in KINDS:
                files = [str(self.root / f) for f in df[df["kind"] == kind]["file"]]
                if not files:
                    raise StoreError(f"{self.root}: ensemble {key} has no {kind} chunks")
                con.execute(f"CREATE VIEW {kind} AS SELECT * FROM read_parquet({files!r})")
            return con.execute(query).df()
        finally:
            con.close()


@dataclass(frozen=True)
class StoredEnsemble:
    """An ensemble in a store, loaded only on request (what ``simulate`` returns with
    ``return_result=False``).

    Attributes:
        store: the Store.
        key: the ensemble key.
        scenario: scenario name.
        seed: ensemble seed.
        runs: number of runs registered.
    """

    store: Store
    key: str
    scenario: str
    seed: int
    runs: int

    def result(self, runs: int | Sequence[int] | None = None,
               variables: Sequence[str] | None = None) -> Result:
        """Load the given runs (default all) and variables (default all) as a Result."""
        return self.store.result(self.scenario, self.seed, runs, key=self.key,
                                 variables=variables)

    def sql(self, query: str) -> pd.DataFrame:
        """A DuckDB query over the views ``national``, ``regional`` and ``events``."""
        return self.store.sql(self.key, query)


def _finish(pending: tuple[Future, int], progress: Callable[[int], None] | None) -> None:
    fut, n = pending
    fut.result()
    if progress:
        progress(n)
