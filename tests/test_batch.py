"""Every parameter may carry the run axis: a batch row equals the same run with scalars.

If this fails after a mechanism was added, that mechanism does something with a
parameter that a (runs,) array cannot do (``if p.x > 0``, ``max(p.x, y)``, ``int(p.x)``,
``np.full(shape, p.x)``): write it with numpy ufuncs (``np.maximum``, ``np.where``).
The failure message names the parameter.
"""

import numpy as np

from ottepel.analysis.priors import all_priors, sample_priors
from ottepel.core.engine import run_chunk
from ottepel.core.scenario import load_scenario
from ottepel.ensemble.batch import with_draws

ROWS = 13  # no static table of the model has 13 entries


def _culprit(sc, paths, values, keys):
    for j, path in enumerate(paths):
        try:
            out = run_chunk(sc, keys, 0, with_draws(sc.params, [path], values[:, j:j + 1]))
            one = run_chunk(sc, keys[:1], 0, with_draws(sc.params, [path], values[:1, j:j + 1]))
        except Exception as exc:  # noqa: BLE001 - we report which parameter broke
            return f"{path}: {type(exc).__name__}: {exc}"
        for k, v in one.national.items():
            if not np.allclose(out.national[k][0], v[0], rtol=1e-8, equal_nan=True):
                return f"{path}: run 0 differs in {k}"
    return "no single parameter (an interaction)"


def test_every_parameter_can_carry_the_run_axis():
    sc = load_scenario(posterior=False)
    pri = list(all_priors(batchable_only=True).values())
    paths = [p.path for p in pri]
    values = sample_priors(pri, ROWS, 5)
    keys = np.arange(ROWS, dtype=np.int64) + 40
    try:
        out = run_chunk(sc, keys, 0, with_draws(sc.params, paths, values))
    except Exception:  # noqa: BLE001
        raise AssertionError(_culprit(sc, paths, values, keys)) from None
    for i in (0, ROWS - 1):
        one = run_chunk(sc, keys[i:i + 1], 0, with_draws(sc.params, paths, values[i:i + 1]))
        for k, v in one.national.items():
            assert np.allclose(out.national[k][i], v[0], rtol=1e-8, equal_nan=True), \
                _culprit(sc, paths, values, keys)
