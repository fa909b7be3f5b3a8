"""The Gymnasium environment ottepel/FirstSecretary-v0."""

import importlib.util
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import ottepel.interfaces.gym as og
from ottepel import simulate

ROOT = Path(__file__).resolve().parents[1]


def test_registered_and_checker_passes():
    assert og.ENV_ID in gym.registry
    env = gym.make(og.ENV_ID)
    check_env(env.unwrapped, skip_render_check=False)
    check_env(gym.make(og.ENV_ID, render_mode="ansi").unwrapped)
    env.close()


def test_spaces():
    env = og.FirstSecretaryEnv()
    names = [a.lever for a in env.levers]
    assert {"invest_share_group_a", "maize_target_mha", "procurement_price_grain",
            "invest_share_housing"} <= set(names)
    assert env.action_space.shape == (len(names),)
    assert env.action_space.low.min() == -1 and env.action_space.high.max() == 1
    obs, info = env.reset(seed=0)
    assert obs.dtype == np.float32 and env.observation_space.contains(obs)
    assert info["ottepel_seed"] == 0 and info["date"] == "1953-03"


def _trajectory(env, seed, actions):
    obs, _ = env.reset(seed=seed)
    out = [obs]
    for a in actions:
        obs, r, term, trunc, info = env.step(a)
        out.append(np.append(obs, r))
        if term or trunc:  # the model's politics may remove the player early
            break
    return np.concatenate(out)


def test_seeding_is_ottepels_keyed_seed():
    env = og.FirstSecretaryEnv()
    env.action_space.seed(1)
    actions = [env.action_space.sample() for _ in range(8)]
    a = _trajectory(env, 11, actions)
    b = _trajectory(og.FirstSecretaryEnv(), 11, actions)
    c = _trajectory(env, 12, actions)
    np.testing.assert_array_equal(a, b)
    assert a.shape != c.shape or not np.array_equal(a, c)  # another seed: other weather


def test_scheduled_play_reproduces_simulate():
    """Playing the historical lever values month by month is run 0 of simulate()."""
    env = og.FirstSecretaryEnv(months_per_step=1, levers=["grain_exports_plan_mt"])  # not gated by politics
    env.reset(seed=4)
    months = env.scenario.months
    grain = {}
    done = False
    while not done:
        _, _, term, trunc, info = env.step(env.scheduled_action())
        done = term or trunc
        last = months[info["month"] - 1]
        if str(last).endswith("-12"):
            grain[int(str(last)[:4])] = env._annual["grain_harvest_mt"]
    assert grain  # at least one December played
    ref = simulate(runs=1, seed=4).annual("grain_harvest_mt").iloc[0]
    for year, value in grain.items():
        assert value == pytest.approx(ref[year], rel=1e-5), year


def test_episode_ends_at_horizon_or_removal_and_rewards_are_documented():
    env = og.FirstSecretaryEnv()
    env.reset(seed=2)
    steps, total = 0, 0.0
    while True:
        _, r, term, trunc, info = env.step(np.zeros(env.action_space.shape, np.float32))
        steps += 1
        total += r
        if term or trunc:
            break
    assert term != trunc
    if trunc:  # 142 months, 3 a step
        assert steps == 48 and info["date"] == "1964-12" and info["in_power"]
    else:  # removed by the model's politics
        assert env.politics and not info["in_power"] and steps < 48
    assert set(info["reward_terms"]) == set(og.REWARD_WEIGHTS)
    assert np.isfinite(total)
    with pytest.raises(RuntimeError):
        env.step(np.zeros(env.action_space.shape, np.float32))


def test_action_sets_levers_and_caps_investment():
    env = og.FirstSecretaryEnv()
    env.reset(seed=0)
    a = np.ones(env.action_space.shape, np.float32)  # every lever at its maximum
    _, _, _, _, info = env.step(a)
    shares = sum(info["levers"][k] for k in og.INVESTMENT_LEVERS)
    assert shares == pytest.approx(og.MAX_INVESTMENT_SHARE)
    assert info["levers"]["maize_target_mha"] == pytest.approx(40.0)
    assert env.scenario.decisions.at("maize_target_mha", 10) != 40.0  # scenario untouched


def test_bad_arguments():
    with pytest.raises(ValueError, match="not controllable"):
        og.FirstSecretaryEnv(levers=["no_such_lever"])
    with pytest.raises(ValueError):
        og.FirstSecretaryEnv(months_per_step=0)


@pytest.mark.parametrize("name", ["random_agent", "scripted_agent"])
def test_examples_run(name, capsys):
    spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = mod.main(0)
    assert out is not None
    assert "reward" in capsys.readouterr().out
