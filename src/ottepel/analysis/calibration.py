"""Calibration: ABC-SMC (pyabc) of the most influential parameters against history.

The targets are the packaged history series mapped to model variables in
``ottepel.ensemble.results.HISTORY_MAP`` (one point per series and year). Each point has the
error model of its kind (:data:`ERROR_MODELS`): the distance of a run is the root mean
square of the points' standardised errors beyond a bias allowance, every record
counting once (:class:`Scorer`). Years from ``holdout_from`` on (and any whole
series named in ``holdout_series``) are held out: ABC never sees them; they are scored
after, to test the posterior on data it was not fitted to.

Which parameters are calibrated: the ``n_params`` with the largest Morris effect on the
calibration distance (a screening of every parameter), or the list given; the others
keep their declared defaults. pyabc works in the unit cube (each coordinate maps
through the prior's quantile function, :mod:`ottepel.analysis.priors`).

Efficiency: pyabc asks its model for one particle at a time. :class:`BatchSampler`
first *records* a batch of proposals (the model returns the observed data, so nothing
is simulated), evaluates them as one vectorised ensemble (:func:`ottepel.ensemble.batch.run_batch`,
optionally spread over Dask workers), then rewinds numpy's global random state and
*replays* the same proposals, the model answering from the cache. Particles are exactly
those the single-core sampler would produce from the same random state, and a
particle's luck is keyed on a hash of its parameters, so ``--sampler dask`` (pyabc's
own DaskDistributedSampler, one particle per task) gives the same particle outputs.

The result is written to ``data/posterior.toml``: settings, date, scores, the point
estimate (the best of the posterior candidates on the calibration data) as ``[params.<group>]`` tables that
:func:`ottepel.core.scenario.load_scenario` merges as parameter defaults, and the weighted
particles.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ottepel.analysis.priors import Prior, all_priors, from_unit, priors_for
from ottepel.core.scenario import Scenario
from ottepel.ensemble.batch import annual_points, param_key, run_batch

DEFAULT_HOLDOUT_FROM = 1961
Z_CAP = 5.0  # a point's standardised error counts at most this much (robust distance)


@dataclass(frozen=True)
class ErrorModel:
    """How far a record may sit from the model for its kind of source.

    The relative error of a point is ``e = log((model + c) / (record + c))`` (``c``: 5% of
    the series' mean record, so zeros do not explode); errors up to ``bias`` cost
    nothing (definitions, coverage and padding differ between the model's figure and the
    source's), beyond it they count in units of ``sd``:
    ``z = min(max(|e| - bias, 0) / sd, Z_CAP)``.

    Attributes:
        sd: relative (log) error standard deviation.
        bias: bias allowance (relative).
    """

    sd: float
    bias: float

    def z(self, e: np.ndarray) -> np.ndarray:
        """Standardised errors of log errors ``e`` (capped at ``Z_CAP``)."""
        return np.minimum(np.maximum(np.abs(e) - self.bias, 0.0) / self.sd, Z_CAP)


# Official Soviet figures: printed series with known definitional biases (bunker weight,
# padding, revisions) -> an allowance plus a modest sd; western re-estimates: no
# allowance but a wider sd; single-source figures of other kinds: widest.
ERROR_MODELS: dict[str, ErrorModel] = {
    "official": ErrorModel(sd=0.07, bias=0.05),
    "western": ErrorModel(sd=0.10, bias=0.0),
    "other": ErrorModel(sd=0.15, bias=0.0),
}


def _to_model_units(values: pd.Series, series_unit: str, model_unit: str) -> pd.Series:
    if series_unit.strip().lower().startswith(("percent", "%")) and model_unit in (
            "fraction", "1", "share"):
        return values / 100.0
    return values


def history_targets(scenario: Scenario, holdout_from: int | None = DEFAULT_HOLDOUT_FROM,
                    holdout_series: tuple[str, ...] = (),
                    variables: list[str] | None = None) -> pd.DataFrame:
    """The record points the model is compared with, one row per series and year.

    Args:
        scenario: the scenario (its span decides which years the model has).
        holdout_from: first held-out year (None: no year held out).
        holdout_series: model variables (or series names) held out entirely.
        variables: restrict to these model variables (default: all in HISTORY_MAP the
            model produces).

    Returns:
        DataFrame: variable, series, kind, year (of the record), model_year, value (in
        model units), held_out.
    """
    from ottepel.core.catalog import national_catalog
    from ottepel.data import load_series
    from ottepel.ensemble.batch import december_index
    from ottepel.ensemble.results import HISTORY_MAP

    cat = national_catalog()
    years = set(december_index(scenario))
    df = load_series()
    rows = []
    for var, spec in HISTORY_MAP.items():
        if var not in cat or (variables is not None and var not in variables):
            continue
        series, kind = spec[0], spec[1]
        shift = spec[2] if len(spec) > 2 else 0
        d = df[(df["series"] == series) & df["value"].notna()]
        if kind:
            d = d[d["kind"] == kind]
        d = d.drop_duplicates("year").sort_values("year")
        vals = _to_model_units(d["value"], str(d["unit"].iloc[0]) if len(d) else "", cat[var][0])
        for (year, k), v in zip(d[["year", "kind"]].itertuples(index=False), vals, strict=True):
            my = int(year) + shift
            if my not in years:
                continue
            held = (holdout_from is not None and my >= holdout_from) or var in holdout_series \
                or series in holdout_series
            rows.append({"variable": var, "series": series, "kind": k, "year": int(year),
                         "model_year": my, "value": float(v), "held_out": bool(held)})
    return pd.DataFrame(rows, columns=["variable", "series", "kind", "year", "model_year",
                                       "value", "held_out"])


@dataclass
class Scorer:
    """Distances between model outputs at the target points and the record.

    Attributes:
        targets: the :func:`history_targets` table (P rows).
        error_models: kind -> :class:`ErrorModel`.
    """

    targets: pd.DataFrame
    error_models: dict[str, ErrorModel] = field(default_factory=lambda: dict(ERROR_MODELS))

    def __post_init__(self) -> None:
        t = self.targets
        other = self.error_models.get("other", ERROR_MODELS["other"])
        models = [self.error_models.get(k, other) for k in t["kind"]]
        self.record = t["value"].to_numpy(float)
        self.sd = np.array([m.sd for m in models])
        self.bias = np.array([m.bias for m in models])
        scale = t.groupby("variable")["value"].transform(lambda s: s.abs().mean())
        self.offset = 0.05 * scale.to_numpy(float)
        self.series_code, self.series_names = pd.factorize(t["variable"])
        self.held_out = t["held_out"].to_numpy(bool)

    def mask(self, which: str) -> np.ndarray:
        """Points of ``calibration``, ``holdout`` or ``all``."""
        if which == "calibration":
            return ~self.held_out
        if which == "holdout":
            return self.held_out.copy()
        if which == "all":
            return np.ones_like(self.held_out)
        raise ValueError(f"which must be calibration, holdout or all, got {which!r}")

    def z(self, model: np.ndarray) -> np.ndarray:
        """(n, P) standardised errors, capped at ``Z_CAP`` (also for points the model
        could not produce), so one series whose definition differs from the model's
        cannot swamp the rest."""
        model = np.atleast_2d(model)
        with np.errstate(invalid="ignore", divide="ignore"):
            e = np.log((model + self.offset) / (self.record + self.offset))
        z = np.maximum(np.abs(e) - self.bias, 0.0) / self.sd
        return np.where(np.isfinite(z), np.minimum(z, Z_CAP), Z_CAP)

    def series_errors(self, model: np.ndarray, which: str = "calibration") -> np.ndarray:
        """(n, S) mean squared standardised error of each series (NaN if no points)."""
        z2 = self.z(model) ** 2
        m = self.mask(which)
        out = np.full((z2.shape[0], len(self.series_names)), np.nan)
        for s in range(len(self.series_names)):
            sel = m & (self.series_code == s)
            if sel.any():
                out[:, s] = z2[:, sel].mean(axis=1)
        return out

    def distance(self, model: np.ndarray, which: str = "calibration") -> np.ndarray:
        """(n,) distance: root mean square of the points' standardised errors.

        Every record counts once (independent errors, as in a Gaussian likelihood), so a
        series weighs by its number of years; ``series_errors`` gives the breakdown.
        """
        m = self.mask(which)
        z = self.z(model)
        if not m.any():
            return np.zeros(z.shape[0])
        return np.sqrt(np.mean(z[:, m] ** 2, axis=1))

    def coverage(self, model: np.ndarray, which: str = "calibration") -> float:
        """Share of records inside the ensemble's 5-95% band (model: (runs, P))."""
        m = self.mask(which)
        if not m.any():
            return float("nan")
        q05, q95 = np.nanquantile(model[:, m], [0.05, 0.95], axis=0)
        r = self.record[m]
        return float(np.mean((r >= q05) & (r <= q95)))


@dataclass
class Problem:
    """What a calibration evaluates: scenario, parameters, targets, scorer."""

    scenario: Scenario
    priors: list[Prior]
    targets: pd.DataFrame
    scorer: Scorer
    seed: int = 0
    chunk_size: int = 1000
    client: object | None = None

    @property
    def paths(self) -> list[str]:
        """Calibrated parameter paths."""
        return [p.path for p in self.priors]

    @property
    def names(self) -> list[str]:
        """pyabc parameter names (dots are not welcome there)."""
        return [p.replace(".", "__") for p in self.paths]

    def reducer(self):
        """The reducer giving the model at every target point."""
        pts = list(zip(self.targets["variable"], self.targets["model_year"], strict=True))
        return annual_points(self.scenario, pts)

    def simulate_values(self, values: np.ndarray, keys: np.ndarray | None = None,
                        salt: int = 0, progress=None) -> np.ndarray:
        """(n, P) model outputs for (n, k) parameter values (keys from the values)."""
        values = np.atleast_2d(values)
        keys = param_key(values, self.seed * 1000 + salt) if keys is None else keys
        return run_batch(self.scenario, self.paths, values, keys, self.seed, self.reducer(),
                         self.chunk_size, self.client, progress)

    def simulate_unit(self, unit: np.ndarray) -> np.ndarray:
        """(n, P) model outputs for (n, k) unit-cube points."""
        return self.simulate_values(from_unit(self.priors, np.atleast_2d(unit)))


# ---------------------------------------------------------------------------- pyabc


def _pyabc_model(problem: Problem, x0: dict):
    import pyabc

    class OttepelModel(pyabc.Model):
        """One particle = one run; answers from the batch cache when it can."""

        def __init__(self):
            super().__init__(name="ottepel")
            self.mode = "direct"
            self.recorded: list[np.ndarray] = []
            self.cache: dict[bytes, np.ndarray] = {}

        def sample(self, pars):
            u = np.array([float(pars[n]) for n in problem.names])
            if self.mode == "record":
                self.recorded.append(u)
                return x0
            hit = self.cache.get(u.tobytes())
            y = hit if hit is not None else problem.simulate_unit(u[None])[0]
            return {"y": y}

    return OttepelModel()


def _batch_sampler_class():
    import pyabc

    class BatchSampler(pyabc.sampler.Sampler):
        """Record a batch of proposals, simulate them as one ensemble, replay them."""

        def __init__(self, model, problem: Problem, min_batch: int = 64,
                     max_batch: int = 5000, on_batch: Callable | None = None):
            super().__init__()
            self.model, self.problem = model, problem
            self.min_batch, self.max_batch = min_batch, max_batch
            self.acceptance = 0.5
            self.on_batch = on_batch

        def _batch_size(self, need: int, all_accepted: bool) -> int:
            if all_accepted:
                return need
            b = math.ceil(need / max(self.acceptance, 0.02) * 1.15) + 8
            return int(min(max(b, self.min_batch), self.max_batch))

        def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf,
                                    all_accepted=False, ana_vars=None):
            sample = self._create_empty_sample()
            used = accepted = 0
            while accepted < n and used < max_eval:
                b = self._batch_size(n - accepted, all_accepted)
                state = np.random.get_state()
                self.model.mode, self.model.recorded = "record", []
                for _ in range(b):
                    simulate_one()
                units = np.array(self.model.recorded)
                outputs = self.problem.simulate_unit(units)
                self.model.cache = {u.tobytes(): y for u, y in zip(units, outputs, strict=True)}
                np.random.set_state(state)
                self.model.mode = "replay"
                got = consumed = 0
                for _ in range(b):
                    particle = simulate_one()
                    sample.append(particle)
                    consumed += 1
                    got += bool(particle.accepted)
                    if accepted + got >= n or used + consumed >= max_eval:
                        break
                accepted += got
                used += consumed
                self.acceptance = got / consumed
                self.model.mode, self.model.cache = "direct", {}
                if self.on_batch:
                    self.on_batch(t, b, consumed, got)
            self.nr_evaluations_ = used
            if accepted < n:
                sample.ok = False
            return sample

    return BatchSampler


@dataclass
class Settings:
    """Settings of a calibration run (recorded in the posterior file).

    Attributes:
        scenario: scenario name or path.
        params: parameters to calibrate (empty: screen and take ``n_params``).
        n_params: how many parameters the screening keeps.
        screen_trajectories: Morris trajectories of the screening.
        population: ABC population size.
        generations: maximum ABC generations.
        max_minutes: wall-time budget of the ABC loop (pyabc ``max_walltime``).
        min_epsilon: stop when the distance threshold falls below this.
        holdout_from: first held-out year.
        holdout_series: model variables held out entirely.
        seed: seed of pyabc's proposals and of the model runs.
        score_runs: runs of each scoring ensemble.
        sampler: ``batch`` (vectorised, default), ``dask`` (pyabc's Dask sampler, one
            particle per task) or ``single`` (pyabc's single-core sampler).
        point_candidates, point_replicates: the point-estimate search (:func:`choose_point`).
    """

    scenario: str = "khrushchev-1953"
    params: list[str] = field(default_factory=list)
    n_params: int = 12
    screen_trajectories: int = 10
    population: int = 500
    generations: int = 20
    max_minutes: float = 10.0
    min_epsilon: float = 0.0
    holdout_from: int | None = DEFAULT_HOLDOUT_FROM
    holdout_series: list[str] = field(default_factory=list)
    seed: int = 0
    score_runs: int = 400
    sampler: str = "batch"
    point_candidates: int = 60
    point_replicates: int = 24


@dataclass
class CalibrationResult:
    """What a calibration produced.

    Attributes:
        settings: the settings.
        paths: calibrated parameters.
        particles: (n, k) posterior parameter values.
        weights: (n,) normalised weights.
        point: path -> posterior point estimate (:func:`choose_point`).
        scores: table: set (calibration/holdout), ensemble (prior, defaults, posterior,
            posterior_point), distance (mean over runs), coverage (share of records in
            the 90% band).
        generations: table of pyabc generations (t, epsilon, samples, acceptance).
        screening: the Morris table (or None when parameters were given).
        wall_time_s: wall time of the whole calibration.
        n_targets: calibration and held-out point counts.
    """

    settings: Settings
    paths: list[str]
    particles: np.ndarray
    weights: np.ndarray
    point: dict[str, float]
    scores: pd.DataFrame
    generations: pd.DataFrame
    screening: pd.DataFrame | None
    wall_time_s: float
    n_targets: dict[str, int]

    def posterior_summary(self) -> pd.DataFrame:
        """Per parameter: prior range, default, posterior median and 5-95% interval."""
        pri = {p.path: p for p in priors_for(self.paths)}
        rows = []
        for j, path in enumerate(self.paths):
            q = weighted_quantiles(self.particles[:, j], self.weights, [0.05, 0.5, 0.95])
            p = pri[path]
            rows.append({"parameter": path, "unit": p.unit, "lo": p.lo, "hi": p.hi,
                         "default": p.default, "q05": q[0], "median": q[1], "q95": q[2]})
        return pd.DataFrame(rows)


def weighted_quantiles(x: np.ndarray, w: np.ndarray, qs: list[float]) -> list[float]:
    """Quantiles of a weighted sample (midpoint interpolation of the weighted CDF)."""
    order = np.argsort(x)
    x, w = np.asarray(x)[order], np.asarray(w)[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return [float(np.interp(q, cdf, x)) for q in qs]


@dataclass(frozen=True)
class DistanceReducer:
    """Reducer: the calibration distance of each run, (runs, 1) (picklable for Dask)."""

    scorer: Scorer
    points: Callable

    def __call__(self, national: dict[str, np.ndarray]) -> np.ndarray:
        """(runs, 1) distances."""
        return self.scorer.distance(self.points(national))[:, None]


def screen(problem_all: Problem, trajectories: int, seed: int, replicates: int = 2,
           progress=None) -> pd.DataFrame:
    """Morris screening of every parameter on the calibration distance."""
    from ottepel.analysis.sensitivity import evaluate_design, morris

    reducer = DistanceReducer(problem_all.scorer, problem_all.reducer())

    def evaluate(unit):
        return evaluate_design(problem_all.scenario, problem_all.priors, unit, reducer,
                               replicates, seed, problem_all.client, problem_all.chunk_size,
                               progress)

    return morris(evaluate, problem_all.paths, ["distance"], trajectories, seed=seed)


def make_problem(settings: Settings, scenario: Scenario | None = None,
                 client=None) -> tuple[Problem, Scenario]:
    """The scenario (without a posterior) and the target points of a calibration."""
    from ottepel.core.scenario import load_scenario

    sc = scenario or load_scenario(settings.scenario, posterior=False)
    targets = history_targets(sc, settings.holdout_from, tuple(settings.holdout_series))
    if targets.empty:
        raise ValueError("no history series to calibrate against (HISTORY_MAP is empty?)")
    if (~targets["held_out"]).sum() == 0:
        raise ValueError("every target is held out: nothing left to calibrate on")
    return Problem(sc, [], targets, Scorer(targets), settings.seed, client=client), sc


def calibrate(settings: Settings, scenario: Scenario | None = None, client=None,
              log: Callable[[str], None] = print, db_dir: str | Path | None = None
              ) -> CalibrationResult:
    """Run screening (if needed), ABC-SMC and the scoring ensembles.

    Args:
        settings: the :class:`Settings`.
        scenario: a loaded scenario (default: ``settings.scenario`` without posterior).
        client: optional Dask client (chunks of every batch run on its workers).
        log: receives progress lines.
        db_dir: where pyabc's SQLite history goes (default: a temporary directory).
    """
    t0 = time.time()
    problem, sc = make_problem(settings, scenario, client)
    screening = None
    paths = list(settings.params)
    if not paths:
        problem.priors = list(all_priors(batchable_only=True).values())
        log(f"screening {len(problem.priors)} parameters (Morris, "
            f"{settings.screen_trajectories} trajectories)")
        screening = screen(problem, settings.screen_trajectories, settings.seed)
        paths = list(screening.sort_values("mu_star", ascending=False)["parameter"]
                     .iloc[:settings.n_params])
        log(f"screening done in {time.time() - t0:.0f} s: {', '.join(paths)}")
    problem.priors = priors_for(paths)
    particles, weights, gens = run_abc(problem, settings, log, db_dir)
    log("choosing the point estimate among posterior candidates")
    point = choose_point(problem, particles, weights, settings.seed,
                         settings.point_candidates, settings.point_replicates)
    log("scoring prior, default and posterior ensembles")
    scores = score(problem, particles, weights, point, settings.score_runs, settings.seed)
    n_t = {"calibration": int((~problem.targets["held_out"]).sum()),
           "holdout": int(problem.targets["held_out"].sum())}
    return CalibrationResult(settings, paths, particles, weights, point, scores, gens,
                             screening, time.time() - t0, n_t)


def choose_point(problem: Problem, particles: np.ndarray, weights: np.ndarray, seed: int,
                 candidates: int = 60, replicates: int = 24) -> dict[str, float]:
    """The point estimate the scenario will use: the best of some posterior candidates.

    Candidates: the weighted marginal medians, the weighted mean and ``candidates``
    particles drawn by weight. Each is run ``replicates`` times (distinct luck); the one with the lowest
    mean *calibration* distance wins (held-out data play no part). A joint particle
    keeps the parameters' correlations, which marginal medians can break.
    """
    rng = np.random.default_rng(seed + 23)
    median = np.array([weighted_quantiles(particles[:, j], weights, [0.5])[0]
                       for j in range(particles.shape[1])])
    mean = weights @ particles / weights.sum()
    pick = rng.choice(len(particles), min(candidates, len(particles)), replace=False,
                      p=weights)
    cand = np.vstack([median, mean, particles[pick]])
    values = np.repeat(cand, replicates, axis=0)
    keys = np.tile(np.arange(replicates, dtype=np.int64), len(cand)) + 10_000
    d = problem.scorer.distance(problem.simulate_values(values, keys))
    best = int(np.argmin(d.reshape(len(cand), replicates).mean(axis=1)))
    return {p: float(cand[best, j]) for j, p in enumerate(problem.paths)}


def run_abc(problem: Problem, settings: Settings, log: Callable[[str], None] = print,
            db_dir: str | Path | None = None) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """ABC-SMC over the problem's parameters.

    Returns:
        particles (n, k) in parameter units, weights (n,), generations table.
    """
    import logging
    import tempfile

    import pyabc

    logging.getLogger("ABC").setLevel(logging.WARNING)
    np.random.seed(settings.seed % 2**32)
    observed = {"y": problem.scorer.record.copy()}
    model = _pyabc_model(problem, observed)
    prior = pyabc.Distribution(**{n: pyabc.RV("uniform", 0.0, 1.0) for n in problem.names})
    scorer = problem.scorer

    def distance(x, x_0):
        return float(scorer.distance(np.asarray(x["y"])[None])[0])

    started = time.time()

    def on_batch(t, b, consumed, got):
        label = f"generation {t}" if t >= 0 else "prior sample (initial epsilon)"
        log(f"  {label}: batch of {b} runs, {got} accepted of {consumed} "
            f"({time.time() - started:.0f} s)")

    sampler = _make_sampler(settings, model, problem, on_batch)
    abc = pyabc.ABCSMC(model, prior, distance, population_size=settings.population,
                       sampler=sampler, eps=pyabc.QuantileEpsilon(alpha=0.5))
    tmp = tempfile.TemporaryDirectory(dir=db_dir)
    try:
        abc.new(f"sqlite:///{Path(tmp.name) / 'abc.db'}", observed)
        history = abc.run(minimum_epsilon=settings.min_epsilon,
                          max_nr_populations=settings.generations,
                          max_walltime=_dt.timedelta(minutes=settings.max_minutes))
        df, w = history.get_distribution(m=0, t=history.max_t)
        gens = history.get_all_populations()
        gens = gens[gens["t"] >= 0][["t", "epsilon", "samples"]].reset_index(drop=True)
        gens["acceptance"] = settings.population / gens["samples"]
        unit = df[problem.names].to_numpy(float)
    finally:
        sampler.stop()
        tmp.cleanup()
    return from_unit(problem.priors, unit), np.asarray(w, float) / np.sum(w), gens


def _make_sampler(settings: Settings, model, problem: Problem, on_batch):
    if settings.sampler == "batch":
        return _batch_sampler_class()(model, problem, on_batch=on_batch)
    if settings.sampler == "dask":
        from pyabc.sampler import DaskDistributedSampler

        if problem.client is None:
            raise ValueError("sampler 'dask' needs a Dask client (--cluster)")
        client, problem.client = problem.client, None  # each particle runs on a worker
        return DaskDistributedSampler(dask_client=client, batch_size=8)
    if settings.sampler == "single":
        from pyabc.sampler import SingleCoreSampler

        return SingleCoreSampler()
    raise ValueError(f"sampler must be batch, dask or single, got {settings.sampler!r}")


def score(problem: Problem, particles: np.ndarray, weights: np.ndarray,
          point: dict[str, float], runs: int, seed: int) -> pd.DataFrame:
    """Mean distance and band coverage of four ensembles on calibration and held-out data.

    Ensembles: ``prior`` (calibrated parameters drawn from their priors),
    ``defaults`` (declared defaults), ``posterior`` (drawn from the weighted particles),
    ``posterior_point`` (the point estimate the scenario then uses). Defaults and
    point share run keys 0..runs-1 (paired comparison).
    """
    from ottepel.analysis.priors import sample_priors

    rng = np.random.default_rng(seed + 17)
    base = np.array([[p.default for p in problem.priors]])
    keys = np.arange(runs, dtype=np.int64)
    ensembles = {
        "prior": (sample_priors(problem.priors, runs, seed + 11), None),
        "defaults": (np.repeat(base, runs, axis=0), keys),
        "posterior": (particles[rng.choice(len(particles), runs, p=weights)], None),
        "posterior_point": (np.repeat([[point[p] for p in problem.paths]], runs, axis=0), keys),
    }
    rows = []
    for name, (values, k) in ensembles.items():
        out = problem.simulate_values(values, k, salt=99)
        for which in ("calibration", "holdout"):
            if not problem.scorer.mask(which).any():
                continue
            d = problem.scorer.distance(out, which)
            rows.append({"set": which, "ensemble": name, "distance": float(np.mean(d)),
                         "distance_median": float(np.median(d)),
                         "coverage": problem.scorer.coverage(out, which)})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------- posterior file


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
