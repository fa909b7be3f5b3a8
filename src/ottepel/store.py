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
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .engine import ChunkOutput, chunk_bounds, run_chunk
from .params import RuntimeParams
from .results import Result, to_month64
from .scenario import Scenario

CATALOG = "catalog.duckdb"
KINDS = ("national", "regional", "events")


class StoreError(RuntimeError):
    """The store is damaged in a way that cannot be repaired by re-running chunks."""


class StoreWarning(UserWarning):
    """A damaged chunk was found; it will be re-run."""


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
        pq.write_table(table, tmp, compression="zstd")
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


def chunk_tables(chunk: ChunkOutput, scenario: Scenario) -> dict[str, pa.Table]:
    """Long tables of a chunk's outputs, keyed by (run, month[, region])."""
    n, nm = len(chunk.run_ids), len(scenario.months)
    months = to_month64(scenario.months)
    nat = {"run": np.repeat(chunk.run_ids, nm), "month": np.tile(months, n)}
    nat.update({k: v.reshape(-1) for k, v in chunk.national.items()})
    decs = to_month64(scenario.months[(scenario.months.astype(int) % 12) == 11])
    from .data import load_regions

    codes = load_regions().code
    ny, nr = len(decs), len(codes)
    reg = {
        "run": np.repeat(chunk.run_ids, ny * nr),
        "month": np.tile(np.repeat(decs, nr), n),
        "region": np.tile(codes, n * ny),
    }
    reg.update({k: v.reshape(-1) for k, v in chunk.regional.items()})
    ev = chunk.events.copy()
    ev["month"] = pd.to_datetime(ev["month"])
    for c in ("actors", "causes", "kind"):
        ev[c] = ev[c].astype(str)
    return {
        "national": pa.table(nat),
        "regional": pa.table(reg),
        "events": pa.Table.from_pandas(ev, preserve_index=False),
    }


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
        folder = self.root / key
        folder.mkdir(exist_ok=True)
        a, b = int(chunk.run_ids[0]), int(chunk.run_ids[-1]) + 1
        rows = []
        for kind, table in chunk_tables(chunk, scenario).items():
            path = folder / f"{kind}_{a:08d}_{b:08d}.parquet"
            _atomic_write_table(table, path)
            rows.append((key, scenario.name, seed, a, b, kind, str(path.relative_to(self.root)),
                         _sha256(path), table.num_rows))
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
        df = self.chunks(key)
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
        if cluster:
            from .cluster import run_chunks_dask

            for chunk in run_chunks_dask(scenario, todo, seed, params, cluster):
                self.write_chunk(key, scenario, seed, chunk)
                if progress:
                    progress(len(chunk.run_ids))
            return
        for a, b in todo:
            p = params.subset(np.arange(a, b)) if params is not None else None
            chunk = run_chunk(scenario, np.arange(a, b), seed, p, debug)
            self.write_chunk(key, scenario, seed, chunk)
            if progress:
                progress(b - a)

    def result(self, scenario_name: str, seed: int, runs: int, key: str | None = None) -> Result:
        """Load an ensemble (runs 0..runs-1) from its chunk files into a Result."""
        if key is None:
            with self._con() as con:
                hits = con.execute("SELECT ensemble FROM ensembles WHERE scenario = ? AND seed = ?",
                                   [scenario_name, seed]).fetchall()
            if not hits:
                raise StoreError(f"{self.root}: no ensemble of {scenario_name!r} with seed {seed}")
            key = hits[-1][0]
        files = self.whole_files(key, runs)
        return load_result(files, scenario_name, seed, runs)

    def whole_files(self, key: str, runs: int) -> dict[str, list[str]]:
        """Chunk files holding runs 0..runs-1 exactly once, checked against their checksums.

        Raises:
            StoreError: if a chunk is damaged or missing (run the ensemble again to repair).
        """
        good, problems = self.verify(key, forget=False)
        covered = np.zeros(runs, dtype=int)
        for a, b in good:
            covered[a:min(b, runs)] += 1
        gaps = np.flatnonzero(covered != 1)
        if problems or len(gaps):
            detail = "; ".join(problems[:3]) or (
                f"runs {gaps[0]}..{gaps[-1]} are not in exactly one whole chunk")
            raise StoreError(f"{self.root}: ensemble {key} is incomplete or damaged ({detail}); "
                             "run the same scenario and seed again to recompute the missing runs")
        df = self.chunks(key)
        keep = [(a, b) for a, b in good if a < runs]
        sel = df[[(a, b) in keep for a, b in zip(df["run_start"], df["run_stop"], strict=True)]]
        return {k: [str(self.root / f) for f in sel[sel["kind"] == k]["file"]] for k in KINDS}


def load_result(files: dict[str, list[str]], scenario_name: str, seed: int, runs: int) -> Result:
    """Assemble a Result from chunk files with DuckDB (runs < ``runs`` only)."""
    import xarray as xr

    con = duckdb.connect()
    nat = con.execute(
        "SELECT * FROM read_parquet(?) WHERE run < ? ORDER BY run, month", [files["national"], runs]
    ).df()
    reg = con.execute("SELECT * FROM read_parquet(?) WHERE run < ?",
                      [files["regional"], runs]).df()
    ev = con.execute(
        "SELECT * FROM read_parquet(?) WHERE run < ? ORDER BY run, month, kind",
        [files["events"], runs]).df()
    from .data import load_regions
    from .engine import national_catalog, regional_catalog

    run_ids = np.sort(nat["run"].unique())
    months = np.sort(nat["month"].unique()).astype("datetime64[ns]")
    shape = (len(run_ids), len(months))
    cat = national_catalog()
    ds = xr.Dataset(
        {k: (("run", "month"), nat[k].to_numpy().reshape(shape)) for k in nat.columns
         if k not in ("run", "month")},
        coords={"run": run_ids, "month": months}, attrs={"scenario": scenario_name, "seed": seed},
    )
    for k in ds.data_vars:
        if k in cat:
            ds[k].attrs.update(units=cat[k][0], cadence=cat[k][1], description=cat[k][2])
    regions = load_regions()
    order = {c: i for i, c in enumerate(regions.code)}  # the packaged region order
    reg = reg.assign(_ri=reg["region"].map(order)).sort_values(["run", "month", "_ri"])
    reg = reg.drop(columns="_ri")
    rmonths = np.sort(reg["month"].unique()).astype("datetime64[ns]")
    rshape = (len(run_ids), len(rmonths), regions.n)
    rcat = regional_catalog()
    rds = xr.Dataset(
        {k: (("run", "month", "region"), reg[k].to_numpy().reshape(rshape))
         for k in reg.columns if k not in ("run", "month", "region")},
        coords={"run": run_ids, "month": rmonths, "region": regions.code,
                "republic": ("region", regions.republic), "lat": ("region", regions.lat),
                "lon": ("region", regions.lon), "region_name": ("region", regions.name)},
    )
    for k in rds.data_vars:
        if k in rcat:
            rds[k].attrs.update(units=rcat[k][0], description=rcat[k][1])
    ev["month"] = ev["month"].astype("datetime64[ns]")
    return Result(scenario_name, seed, ds, rds, ev.reset_index(drop=True))
