"""A scripted agent: Malenkov's consumer course, against history, on the same seed.

Each quarter the agent sets every lever it controls to the historical value in force at
the start of the quarter, except investment: from the August 1953 new course on it gives
light and food industry 12% of investment and heavy industry 36%, and keeps them there
(no 1955 reversal). A second episode on the same seed plays the historical values only,
so the difference in total reward is the course's effect in that simulated history (same
weather and luck). (Quarterly turns read the schedule at the start of each quarter, so
a decision dated inside a quarter starts with the next one.)

Run from the repository root::

    PYTHONPATH=src python examples/scripted_agent.py --seed 0
"""

from __future__ import annotations

import argparse

import gymnasium as gym

import ottepel.interfaces.gym  # noqa: F401  (registers ottepel/FirstSecretary-v0)
from ottepel.interfaces.gym import to_action

COURSE = {"invest_share_group_a": 0.36, "invest_share_group_b": 0.12}


def consumer_course(env) -> list[float]:
    """History everywhere, except the new course's investment shares from 1953-08 on."""
    core = env.unwrapped
    action = core.scheduled_action()
    if core.date >= "1953-08":
        for i, lever in enumerate(core.levers):
            if lever.lever in COURSE:
                action[i] = to_action(lever, COURSE[lever.lever])
    return action


def history(env) -> list[float]:
    """Keep every lever at its historical value at the start of the quarter."""
    return env.unwrapped.scheduled_action()


def episode(policy, seed: int) -> tuple[float, dict]:
    """Play one episode with a policy; return total reward and the last info."""
    env = gym.make("ottepel/FirstSecretary-v0")
    obs, info = env.reset(seed=seed)
    total, done = 0.0, False
    while not done:
        obs, reward, terminated, truncated, info = env.step(policy(env))
        total += reward
        done = terminated or truncated
    env.close()
    return total, info


def main(seed: int = 0) -> dict[str, float]:
    """Play the consumer course and history on the same seed and print both."""
    out = {}
    for name, policy in (("history", history), ("consumer course", consumer_course)):
        total, info = episode(policy, seed)
        terms = ", ".join(f"{k} {v:+.2f}" for k, v in info["reward_terms"].items())
        print(f"{name:16s} total reward {total:7.2f}; last quarter ({info['date']}): {terms}")
        out[name] = total
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=0)
    main(parser.parse_args().seed)
