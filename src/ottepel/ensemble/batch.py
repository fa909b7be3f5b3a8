"""Many parameter draws as one vectorised ensemble (calibration and sensitivity).

Row ``i`` of an (n, k) design of parameter values becomes run ``i`` of one ensemble:
each parameter named in ``paths`` gets an (n,) array in :class:`RuntimeParams`, so the
mechanisms step every draw at once. Each row also has a *run key*, the index its
random streams are keyed on: distinct keys give independent weather and noise, equal
keys give common random numbers (Morris and Sobol designs compare draws under the
same luck). A run is bit-identical whatever chunk it is in, so a row can be evaluated
alone (one pyabc particle) or inside a batch with the same result.

Outputs are reduced on the fly by a picklable ``reducer(national) -> (n, m)`` so only
small arrays leave a chunk (and a Dask worker).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ottepel.core.engine import run_chunk
from ottepel.core.params import RuntimeParams
from ottepel.core.scenario import Scenario

Reducer = Callable[[dict[str, np.ndarray]], np.ndarray]

# Chunks of a batch are padded to at least this many runs, so a run axis can never be
# mistaken for a site axis of a static table (regions, leaders, CC seats, months).
MIN_VECTOR_RUNS = 512


class RunArray(np.ndarray):
    """A (runs,) parameter column that lines its run axis up with the other operand.

    Mechanisms are written for scalar parameters: ``p.yield_scale * zone_table`` with a
    (regions,) table, ``p.offtake * herd`` with a (runs, regions) state. A plain (runs,)
    array broadcasts wrongly against both; a RunArray becomes (runs, 1, ...) in any
    ufunc whose other array operand has more dimensions or a different length, so the
    same code steps one parameter value per run. The result of an operation with a
    plain array is a plain array; with scalars or other RunArrays it stays a RunArray
    (still one value per run). A 1-D operand as long as the run axis is taken as
    per-run, which is why batches pad their chunks (``MIN_VECTOR_RUNS``), and
    :func:`check_vectorised` compares a few rows with scalar runs before a batch is
    trusted.
    """

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """Align the run axis of RunArray inputs with the widest other operand."""
        n = self.shape[0]
        others = [np.asarray(x) for x in inputs if not isinstance(x, RunArray)]
        others += [np.asarray(o) for o in kwargs.get("out", ()) if o is not None]
        arrays = [o for o in others if o.ndim > 0]
        ndim = max((o.ndim for o in arrays), default=1)
        per_run = ndim == 1 and all(o.shape[0] in (n, 1) for o in arrays)
        target = 1 if per_run else max(ndim, 1) + (ndim == 1)

        def align(x):
            if not isinstance(x, RunArray):
                return x
            base = x.view(np.ndarray)
            return base.reshape(base.shape[:1] + (1,) * (target - base.ndim)) \
                if base.ndim == 1 and target > 1 else base

        args = [align(x) for x in inputs]
        if "out" in kwargs:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, RunArray) else o
                                  for o in kwargs["out"])
        result = getattr(ufunc, method)(*args, **kwargs)
        if not arrays and isinstance(result, np.ndarray) and result.shape == (n,):
            return result.view(RunArray)
        return result

    def __array_function__(self, func, types, args, kwargs):
        """Non-ufunc numpy functions (clip, where, ...) see plain arrays aligned as in ufuncs."""
        return func(*_align_like_ufunc(args), **kwargs)


def _plain(x):
    if isinstance(x, RunArray):
        return x.view(np.ndarray)
    if isinstance(x, list | tuple):
        return type(x)(_plain(v) for v in x)
    return x


def _align_like_ufunc(args):
    """Reshape top-level RunArrays as a ufunc would; nested ones become plain arrays."""
    runs = [a for a in args if isinstance(a, RunArray)]
    if not runs:
        return [_plain(a) for a in args]
    n = runs[0].shape[0]
    arrays = [np.asarray(a) for a in args
              if not isinstance(a, RunArray | list | tuple) and np.ndim(a) > 0]
    ndim = max((a.ndim for a in arrays), default=1)
    per_run = ndim == 1 and all(a.shape[0] in (n, 1) for a in arrays)
    target = 1 if per_run else ndim + (ndim == 1)
    return [a.view(np.ndarray).reshape(a.shape[:1] + (1,) * (target - a.ndim))
            if isinstance(a, RunArray) and a.ndim == 1 and target > 1 else _plain(a)
            for a in args]


def with_draws(base: RuntimeParams, paths: list[str], values: np.ndarray) -> RuntimeParams:
    """``base`` with each named parameter replaced by its (n,) column of ``values``.

    With one row the values are plain floats (exact scalar code path); with more, each
    column is a :class:`RunArray`.
    """
    values = np.atleast_2d(np.asarray(values, dtype=float))
    rp = base
    for j, path in enumerate(paths):
        col = values[:, j].copy()
        rp = rp.replace(path, float(col[0]) if len(col) == 1 else col.view(RunArray))
    return rp


def december_index(scenario: Scenario) -> dict[int, int]:
    """Year -> index of its December in the scenario's month axis."""
    months = scenario.months
    out = {}
    for i, m in enumerate(months):
        if int(m.astype(int)) % 12 == 11:
            out[int(m.astype("datetime64[Y]").astype(int)) + 1970] = i
    return out


@dataclass(frozen=True)
class AnnualPoints:
    """Reducer: the December value of ``variables[j]`` in ``years[j]`` for each point j.

    Points whose variable the model does not produce, or whose year is outside the
    scenario, are NaN.
    """

    variables: tuple[str, ...]
    month_index: tuple[int, ...]  # -1 where the year is not simulated

    def __call__(self, national: dict[str, np.ndarray]) -> np.ndarray:
        """(runs, points) values."""
        n = len(next(iter(national.values())))
        out = np.full((n, len(self.variables)), np.nan)
        for j, (var, m) in enumerate(zip(self.variables, self.month_index, strict=True)):
            if var in national and m >= 0:
                out[:, j] = national[var][:, m]
        return out


def annual_points(scenario: Scenario, points: list[tuple[str, int]]) -> AnnualPoints:
    """An :class:`AnnualPoints` reducer for (variable, model year) pairs."""
    dec = december_index(scenario)
    return AnnualPoints(tuple(v for v, _ in points), tuple(dec.get(int(y), -1) for _, y in points))


def _chunk(scenario: Scenario, run_keys: np.ndarray, seed: int, params: RuntimeParams,
           reducer: Reducer) -> np.ndarray:
    out = run_chunk(scenario, run_keys, seed, params)
    return reducer(out.national)


def _bounds(n: int, chunk_size: int) -> list[tuple[int, int]]:
    """Near-equal chunks of at most ``chunk_size`` (no small tail chunk)."""
    k = max(1, -(-n // max(chunk_size, 1)))
    edges = np.linspace(0, n, k + 1).round().astype(int)
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True)]


_VERIFIED: set[tuple] = set()
_SCALAR_ONLY: set[tuple] = set()


def run_batch(scenario: Scenario, paths: list[str], values: np.ndarray, run_keys: np.ndarray,
              seed: int, reducer: Reducer, chunk_size: int = 1000, client=None,
              progress: Callable[[int], None] | None = None) -> np.ndarray:
    """Simulate one run per row of ``values`` and reduce the outputs.

    Args:
        scenario: the base scenario (its parameters are the defaults of the others).
        paths: k parameter paths (``group.name``).
        values: (n, k) parameter values, one row per run.
        run_keys: (n,) int, the key of each run's random streams.
        seed: ensemble seed.
        reducer: ``national -> (runs, m)`` applied per chunk.
        chunk_size: runs stepped together (at least ``MIN_VECTOR_RUNS``; results do not
            depend on it).
        client: optional Dask client; chunks then run on its workers.
        progress: callback with the number of runs just finished.

    Returns:
        (n, m) reduced outputs in row order.
    """
    run_keys = np.asarray(run_keys, dtype=np.int64)
    n = len(run_keys)
    values = np.asarray(values, dtype=float).reshape(n, len(paths))
    if 1 < n < MIN_VECTOR_RUNS:  # pad with copies of the last row (see MIN_VECTOR_RUNS)
        pad = MIN_VECTOR_RUNS - n
        values = np.vstack([values, np.repeat(values[-1:], pad, axis=0)])
        run_keys = np.concatenate([run_keys, np.repeat(run_keys[-1:], pad)])
    key = (scenario.name, scenario.path, tuple(paths))
    if key in _SCALAR_ONLY:
        return _run_rows(scenario, paths, values[:n], run_keys[:n], seed, reducer, progress)
    try:
        out = _run_vectorised(scenario, paths, values, run_keys, seed, reducer, chunk_size,
                              client, progress, n)
        _verify_once(scenario, paths, values, run_keys, seed, reducer, out)
    except Exception as exc:  # a mechanism that cannot take a (runs,) parameter
        if len(run_keys) < 2:
            raise
        import warnings

        warnings.warn(f"vectorised parameters failed ({type(exc).__name__}: {exc}); evaluating "
                      "one run at a time (slow). Fix the mechanism so its parameters may carry "
                      "the run axis (tests/test_batch.py names it).", RuntimeWarning, stacklevel=2)
        _SCALAR_ONLY.add(key)
        return _run_rows(scenario, paths, values[:n], run_keys[:n], seed, reducer, progress)
    return out


def _run_vectorised(scenario, paths, values, run_keys, seed, reducer, chunk_size, client,
                    progress, n):
    params = with_draws(scenario.params, paths, values)
    bounds = _bounds(len(run_keys), max(chunk_size, MIN_VECTOR_RUNS))
    if client is not None:
        return _run_dask(client, scenario, bounds, run_keys, seed, params, reducer, progress, n)
    parts = []
    for a, b in bounds:
        idx = np.arange(a, b)
        parts.append(_chunk(scenario, run_keys[idx], seed, params.subset(idx), reducer))
        if progress:
            progress(min(b, n) - min(a, n))
    return np.concatenate(parts)[:n]


def _run_rows(scenario, paths, values, run_keys, seed, reducer, progress):
    """The slow, always-correct path: each row alone with scalar parameters."""
    out = []
    for i in range(len(run_keys)):
        out.append(_chunk(scenario, run_keys[i:i + 1], seed,
                          with_draws(scenario.params, paths, values[i:i + 1]), reducer)[0])
        if progress:
            progress(1)
    return np.array(out)


def _verify_once(scenario, paths, values, run_keys, seed, reducer, out) -> None:
    """Check two rows of a batch against scalar runs, once per scenario and parameter set.

    Raises:
        RuntimeError: a mechanism mixes runs when a parameter carries the run axis.
    """
    key = (scenario.name, scenario.path, tuple(paths))
    if len(out) < 2 or key in _VERIFIED:
        return
    for i in (0, len(out) - 1):
        one = _chunk(scenario, run_keys[i:i + 1], seed,
                     with_draws(scenario.params, paths, values[i:i + 1]), reducer)[0]
        if not np.allclose(one, out[i], rtol=1e-6, atol=1e-9, equal_nan=True):
            bad = np.flatnonzero(~np.isclose(one, out[i], rtol=1e-6, atol=1e-9, equal_nan=True))
            raise RuntimeError(
                f"vectorised parameters disagree with a scalar run (row {i}, outputs {bad[:5]}):"
                " a mechanism does not broadcast a (runs,) parameter; see ottepel.ensemble.batch.RunArray")
    _VERIFIED.add(key)


def _run_dask(client, scenario, bounds, run_keys, seed, params, reducer, progress, n):
    sc = client.scatter(scenario, broadcast=True)
    futures = [client.submit(_chunk, sc, run_keys[a:b], seed, params.subset(np.arange(a, b)),
                             reducer, pure=False) for a, b in bounds]
    parts = []
    for (a, b), fut in zip(bounds, futures, strict=True):
        parts.append(fut.result())
        if progress:
            progress(min(b, n) - min(a, n))
    return np.concatenate(parts)[:n]


def param_key(values: np.ndarray, salt: int = 0) -> np.ndarray:
    """Run keys derived from parameter values (a particle's luck is a function of it).

    Args:
        values: (n, k) parameter values.
        salt: mixes in a generation or purpose so keys differ between uses.

    Returns:
        (n,) int64 keys in [0, 2**62).
    """
    import hashlib

    values = np.atleast_2d(np.asarray(values, dtype=np.float64))
    keys = np.empty(len(values), dtype=np.int64)
    for i, row in enumerate(values):
        h = hashlib.blake2b(row.tobytes() + int(salt).to_bytes(8, "little"), digest_size=8)
        keys[i] = int.from_bytes(h.digest(), "little") >> 2
    return keys
