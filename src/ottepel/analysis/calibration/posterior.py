"""The posterior file (``data/posterior.toml``): writing, reading, drawing from it."""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from dataclasses import asdict
from importlib import resources
from pathlib import Path

import numpy as np

from ottepel.analysis.calibration.problem import CalibrationResult, Settings
from ottepel.analysis.calibration.targets import ERROR_MODELS
from ottepel.analysis.priors import all_priors


def packaged_posterior_path() -> Path:
    """Where the packaged posterior lives (``ottepel/data/posterior.toml``)."""
    return Path(str(resources.files("ottepel").joinpath("data/posterior.toml")))


_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: str) -> str:
    return k if _BARE.match(k) else json.dumps(k)


def _val(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | np.integer):
        return str(int(v))
    if isinstance(v, float | np.floating):
        v = float(v)
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) \
            else repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_val(x)}" for k, x in v.items()) + " }"
    if isinstance(v, list | tuple | np.ndarray):
        return "[" + ", ".join(_val(x) for x in v) + "]"
    if v is None:
        return '""'
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _table(name: str, values: dict) -> str:
    lines = [f"[{name}]"] + [f"{_key(k)} = {_val(v)}" for k, v in values.items()]
    return "\n".join(lines)


def posterior_document(res: CalibrationResult, date: str | None = None) -> str:
    """The posterior TOML text of a calibration result."""
    import pyabc

    from ottepel._version import __version__

    s = res.settings
    date = date or _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    calib = {
        "date": date, "ottepel_version": __version__, "pyabc_version": pyabc.__version__,
        "method": "ABC-SMC (pyabc), quantile epsilon (alpha 0.5), batch-vectorised sampler; "
                  f"point estimate: best of the weighted median, mean and {s.point_candidates} "
                  f"particles on the calibration distance ({s.point_replicates} runs each)",
        "settings": {k: v for k, v in asdict(s).items() if v is not None},
        "parameters": res.paths,
        "n_particles": len(res.weights),
        "generations": len(res.generations),
        "final_epsilon": float(res.generations["epsilon"].iloc[-1]),
        "simulations": int(res.generations["samples"].sum()),
        "wall_time_s": round(res.wall_time_s, 1),
        "calibration_points": res.n_targets["calibration"],
        "holdout_points": res.n_targets["holdout"],
        "holdout": _holdout_text(s),
        "error_models": {k: asdict(v) for k, v in ERROR_MODELS.items()},
    }
    parts = [
        "# Posterior of the ottepel calibration, written by `ottepel calibrate`.\n"
        "# [params.<group>] tables are merged by load_scenario as parameter defaults\n"
        "# (a scenario's own [params] win; `use_posterior = false` or --priors skip them).\n"
        "# Scores: mean distance over runs (RMS standardised error, lower is better) and the\n"
        "# share of records inside the model's 90% band, on calibration and held-out data.",
        _table("calibration", calib),
    ]
    for which in ("calibration", "holdout"):
        sub = res.scores[res.scores["set"] == which]
        if len(sub):
            parts.append(_table(f"score.{which}", {
                r.ensemble: {"distance": round(r.distance, 4), "coverage": round(r.coverage, 3)}
                for r in sub.itertuples()}))
    groups: dict[str, dict[str, float]] = {}
    for path, v in res.point.items():
        g, name = path.split(".", 1)
        groups.setdefault(g, {})[name] = float(f"{v:.6g}")
    for g, vals in groups.items():
        parts.append(_table(f"params.{g}", vals))
    for r in res.posterior_summary().itertuples():
        parts.append("[[parameter]]\n" + "\n".join(
            f"{k} = {_val(getattr(r, k))}" for k in
            ("parameter", "unit", "lo", "hi", "default", "q05", "median", "q95")))
    parts.append(_table("particles", {
        "weight": [float(f"{w:.6g}") for w in res.weights],
        **{p: [float(f"{x:.6g}") for x in res.particles[:, j]]
           for j, p in enumerate(res.paths)}}))
    return "\n\n".join(parts) + "\n"


def _holdout_text(s: Settings) -> str:
    parts = []
    if s.holdout_from is not None:
        parts.append(f"years >= {s.holdout_from}")
    if s.holdout_series:
        parts.append("series " + ", ".join(s.holdout_series))
    return " and ".join(parts) or "none"


def write_posterior(res: CalibrationResult, path: str | Path | None = None) -> Path:
    """Write the posterior TOML atomically; returns its path."""
    import os
    import tempfile

    path = Path(path) if path else packaged_posterior_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".toml", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(posterior_document(res))
    os.replace(tmp, path)
    return path


def read_posterior(path: str | Path | None = None) -> dict | None:
    """The parsed posterior file, or None if there is none."""
    import tomllib

    path = Path(path) if path else packaged_posterior_path()
    if not path.is_file():
        return None
    with path.open("rb") as f:
        return tomllib.load(f)


def posterior_draws(runs: int, seed: int = 0, path: str | Path | None = None):
    """(paths, (runs, k) values) resampled from the stored weighted particles.

    Use with :func:`ottepel.ensemble.batch.with_draws` to run an ensemble that carries parameter
    uncertainty. Returns None when there is no posterior file.
    """
    doc = read_posterior(path)
    if not doc or "particles" not in doc:
        return None
    parts = dict(doc["particles"])
    w = np.asarray(parts.pop("weight"), float)
    paths = [p for p in parts if p in all_priors()]
    x = np.column_stack([np.asarray(parts[p], float) for p in paths])
    idx = np.random.default_rng(seed).choice(len(w), runs, p=w / w.sum())
    return paths, x[idx]
