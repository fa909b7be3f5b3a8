"""ABC-SMC with pyabc: the model, the batch-vectorised sampler, the run, and :func:`calibrate`."""

from __future__ import annotations

import datetime as _dt
import math
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ottepel.analysis.calibration.problem import (
    CalibrationResult,
    Problem,
    Settings,
    choose_point,
    make_problem,
    score,
    screen,
)
from ottepel.analysis.priors import all_priors, from_unit, priors_for
from ottepel.core.scenario import Scenario


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
