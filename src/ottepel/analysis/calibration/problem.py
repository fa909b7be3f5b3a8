"""A calibration problem and what is evaluated on it: settings, result, screening,
point estimate, scores."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ottepel.analysis.calibration.targets import DEFAULT_HOLDOUT_FROM, Scorer, history_targets
from ottepel.analysis.priors import Prior, from_unit, priors_for
from ottepel.core.scenario import Scenario
from ottepel.ensemble.batch import annual_points, param_key, run_batch


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


@dataclass(frozen=True)
class DistanceReducer:
    """Reducer: the calibration distance of each run, (runs, 1) (picklable for Dask)."""

    scorer: Scorer
    points: Callable

    def __call__(self, national: dict[str, np.ndarray]) -> np.ndarray:
        """(runs, 1) distances."""
        return self.scorer.distance(self.points(national))[:, None]


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
