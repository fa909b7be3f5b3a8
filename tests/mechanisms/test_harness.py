"""One harness every mechanism passes: purity, shapes, finiteness, keyed determinism,
no leakage between runs."""

import dataclasses

import numpy as np
import pytest

from ottepel.core import mechanisms
from ottepel.core.engine import clock_at, initial_state, step, step_month
from ottepel.core.invariants import validate
from ottepel.core.state import domain_arrays as _arrays


def _advance(scenario, run_ids, months=20):
    state = initial_state(scenario, np.asarray(run_ids), seed=4)
    for m in range(months):
        state = step_month(state, scenario.months, m, scenario.decisions, scenario.params)
    return state


@pytest.mark.parametrize("mech", mechanisms.ORDER, ids=lambda m: m.NAME)
def test_mechanism_is_pure_and_keeps_shapes(scenario, mech):
    state = _advance(scenario, np.arange(5), months=6)
    for m in range(6, 20):  # cover sowing, harvest and the livestock update
        state = dataclasses.replace(state, clock=clock_at(scenario.months, m), events=())
        before = {k: v.copy() for k, v in _arrays(state).items()}
        new = mech.step(state, scenario.decisions, scenario.params, state.context.rng)
        for k, v in _arrays(state).items():
            np.testing.assert_array_equal(v, before[k], err_msg=f"{mech.NAME} mutated {k}")
        again = mech.step(state, scenario.decisions, scenario.params, state.context.rng)
        for k, v in _arrays(new).items():
            assert v.shape == before.get(k, v).shape, k
            np.testing.assert_array_equal(v, _arrays(again)[k], err_msg=k)
        problems = validate(new, invariants=False)  # cross-domain ones hold after whole steps
        assert not problems, problems
        state = step(state, scenario.decisions, scenario.params, state.context.rng)


def test_permuting_runs_permutes_outputs(scenario):
    a = _arrays(_advance(scenario, [0, 1, 2, 3]))
    b = _arrays(_advance(scenario, [3, 1, 0, 2]))
    for k in a:
        np.testing.assert_array_equal(a[k][[3, 1, 0, 2]], b[k], err_msg=k)
