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

The package: ``targets`` (history points, error models, :class:`Scorer`), ``problem``
(:class:`Problem`, :class:`Settings`, :class:`CalibrationResult`, screening, point
estimate, scores), ``smc`` (pyabc model and batch sampler, :func:`calibrate`) and
``posterior`` (the posterior file).
"""

from ottepel.analysis.calibration.posterior import (
    packaged_posterior_path,
    posterior_document,
    posterior_draws,
    read_posterior,
    write_posterior,
)
from ottepel.analysis.calibration.problem import (
    CalibrationResult,
    DistanceReducer,
    Problem,
    Settings,
    choose_point,
    make_problem,
    score,
    screen,
    weighted_quantiles,
)
from ottepel.analysis.calibration.smc import calibrate, run_abc
from ottepel.analysis.calibration.targets import (
    DEFAULT_HOLDOUT_FROM,
    ERROR_MODELS,
    Z_CAP,
    ErrorModel,
    Scorer,
    history_targets,
)

__all__ = [
    "CalibrationResult", "DEFAULT_HOLDOUT_FROM", "DistanceReducer", "ERROR_MODELS", "ErrorModel",
    "Problem", "Scorer", "Settings", "Z_CAP", "calibrate", "choose_point", "history_targets",
    "make_problem", "packaged_posterior_path", "posterior_document", "posterior_draws",
    "read_posterior", "run_abc", "score", "screen", "weighted_quantiles", "write_posterior",
]
