"""Reading chunk files back into a :class:`~ottepel.ensemble.results.Result`.

Only the asked runs and variables are read, file by file, each value placed at its
(run, month[, region]) whatever the row order of the files, so memory is the Result
plus one chunk file. The :class:`~ottepel.ensemble.store.Store` decides which files
(whole, checked chunks) to hand over.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ottepel.ensemble.chunks import StoreError
from ottepel.ensemble.results import Result


def as_runs(runs: int | Sequence[int]) -> np.ndarray:
    """Sorted unique run indices from an int n (runs 0..n-1) or a sequence."""
    return np.arange(runs) if np.isscalar(runs) else np.unique(np.asarray(runs, np.int64))


def overlapping(df: pd.DataFrame, wanted: np.ndarray) -> np.ndarray:
    """Rows of a chunk table whose run range holds at least one wanted run."""
    lo, hi = df["run_start"].to_numpy(), df["run_stop"].to_numpy()
    if not len(wanted):
        return np.zeros(len(df), dtype=bool)
    first = np.searchsorted(wanted, lo)
    return (first < len(wanted)) & (wanted[np.minimum(first, len(wanted) - 1)] < hi)


def read_file(path: str, columns: list[str] | None, wanted: np.ndarray) -> pa.Table:
    """Rows of the wanted runs from one chunk file (only the asked columns)."""
    try:
        t = pq.read_table(path, columns=columns)
    except (OSError, pa.ArrowException) as exc:
        raise StoreError(f"{path}: cannot read chunk file ({exc}); run the ensemble again "
                         "to re-run damaged chunks") from None
    keep = np.isin(t.column("run").to_numpy(), wanted)
    return t if keep.all() else t.filter(pa.array(keep))


def region_positions(col: pa.ChunkedArray, codes: np.ndarray) -> np.ndarray:
    """Positions in the packaged region order of a (dictionary or string) region column."""
    lookup = {c: i for i, c in enumerate(codes.tolist())}
    out = []
    for chunk in col.chunks:
        if pa.types.is_dictionary(chunk.type):
            table = np.array([lookup[c] for c in chunk.dictionary.to_pylist()], dtype=np.int64)
            out.append(table[chunk.indices.to_numpy()])
        else:
            out.append(np.array([lookup[c] for c in chunk.to_pylist()], dtype=np.int64))
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def months_of(path: str) -> np.ndarray:
    t = pq.read_table(path, columns=["month"])
    return np.unique(t.column("month").to_numpy()).astype("datetime64[ns]")


def fill(files: list[str], columns: list[str] | None, wanted: np.ndarray, months: np.ndarray,
          n_regions: int | None, codes: np.ndarray | None) -> dict[str, np.ndarray]:
    """Read chunk files one by one, placing each value at its (run, month[, region]).

    Memory: the output arrays plus one chunk file, whatever the number of files.
    """
    keys = ("run", "month", "region")
    out: dict[str, np.ndarray] = {}
    for path in files:
        t = read_file(path, columns, wanted)
        if not t.num_rows:
            continue
        idx = [np.searchsorted(wanted, t.column("run").to_numpy()),
               np.searchsorted(months, t.column("month").to_numpy().astype("datetime64[ns]"))]
        if n_regions is not None:
            idx.append(region_positions(t.column("region"), codes))
        for k in t.column_names:
            if k in keys:
                continue
            col = t.column(k).to_numpy()
            if k not in out:
                shape = (len(wanted), len(months)) + ((n_regions,) if n_regions else ())
                out[k] = np.full(shape, np.nan, dtype=col.dtype)
            out[k][tuple(idx)] = col
    return out


def load_result(files: dict[str, list[str]], scenario_name: str, seed: int,
                runs: int | np.ndarray, variables: Sequence[str] | None = None) -> Result:
    """Assemble a Result from chunk files: the rows of ``runs``, placed by key.

    Each value is put at its (run, month[, region]) position, whatever the row order of
    the files; regions follow the packaged order (the order of ``Result.from_chunks``).
    Files are read one at a time, so memory is the Result plus one chunk.

    Args:
        files: kind -> chunk file paths (all must hold only whole runs).
        scenario_name, seed: recorded on the Result.
        runs: an int n (runs 0..n-1) or the run indices to load (all must be present).
        variables: national/regional variable names to load (default all).
    """
    import xarray as xr

    from ottepel.core.catalog import national_catalog, regional_catalog
    from ottepel.data import load_regions

    wanted = as_runs(runs)
    cat, rcat = national_catalog(), regional_catalog()
    nvars = None if variables is None else ["run", "month", *[v for v in variables if v in cat]]
    rvars = None if variables is None else ["run", "month", "region",
                                            *[v for v in variables if v in rcat]]
    months = months_of(files["national"][0])
    data = fill(files["national"], nvars, wanted, months, None, None)
    ds = xr.Dataset({k: (("run", "month"), v, _attrs(cat.get(k))) for k, v in data.items()},
                    coords={"run": wanted, "month": months},
                    attrs={"scenario": scenario_name, "seed": seed})
    regions = load_regions()
    rmonths = months_of(files["regional"][0])
    rdata = fill(files["regional"], rvars, wanted, rmonths, regions.n, regions.code)
    rds = xr.Dataset(
        {k: (("run", "month", "region"), v, _rattrs(rcat.get(k))) for k, v in rdata.items()},
        coords={"run": wanted, "month": rmonths, "region": regions.code,
                "republic": ("region", regions.republic), "lat": ("region", regions.lat),
                "lon": ("region", regions.lon), "region_name": ("region", regions.name)},
    )
    ev = pd.concat([read_file(f, None, wanted).to_pandas() for f in files["events"]],
                   ignore_index=True)
    ev["month"] = ev["month"].astype("datetime64[ns]")
    ev = ev.sort_values(["run", "month", "kind"], kind="stable").reset_index(drop=True)
    return Result(scenario_name, seed, ds, rds, ev)


def _attrs(entry: tuple[str, str, str] | None) -> dict:
    return {} if entry is None else {"units": entry[0], "cadence": entry[1],
                                     "description": entry[2]}


def _rattrs(entry: tuple[str, str] | None) -> dict:
    return {} if entry is None else {"units": entry[0], "description": entry[1]}
