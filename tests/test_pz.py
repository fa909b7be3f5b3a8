"""The PettingZoo parallel environment of the Presidium (needs the politics domain)."""

import numpy as np
import pytest

from ottepel.core import mechanisms

if not any(m.NAME == "politics" for m in mechanisms.ORDER):
    pytest.skip("the politics domain is not in this build", allow_module_level=True)

from pettingzoo.test import parallel_api_test  # noqa: E402

from ottepel.interfaces.pz import MOVES, PresidiumEnv  # noqa: E402


def test_parallel_api():
    parallel_api_test(PresidiumEnv(), num_cycles=60)


def test_agents_are_presidium_members_and_seeding_is_deterministic():
    env = PresidiumEnv()
    obs, infos = env.reset(seed=5)
    assert "khrushchev" in env.agents and "malenkov" in env.agents and "beria" in env.agents
    assert "brezhnev" not in env.agents  # not in the Presidium in March 1953
    assert set(obs) == set(env.agents) and all(env.observation_space(a).contains(o)
                                               for a, o in obs.items())

    def play(seed):
        env.reset(seed=seed)
        trace = []
        for t in range(12):
            acts = {a: (t + i) % len(MOVES) for i, a in enumerate(env.agents)}
            o, r, term, trunc, _ = env.step(acts)
            trace.append(sum(r.values()) + sum(float(x.sum()) for x in o.values()))
        return np.array(trace)

    np.testing.assert_array_equal(play(5), play(5))


def test_moves_matter():
    """Everyone plotting against the First Secretary changes the course of the struggle."""
    def run(move):
        env = PresidiumEnv()
        env.reset(seed=2)
        for _ in range(16):
            env.step({a: move for a in env.agents if a != "khrushchev"})
        return env._state.politics

    quiet, plotting = run(0), run(2)
    # grudges and the CC's allegiances move (who wins is then up to the model's odds)
    assert not np.array_equal(quiet.clients, plotting.clients)
    assert not (np.array_equal(quiet.grievance, plotting.grievance)
                and np.array_equal(quiet.offices, plotting.offices))
