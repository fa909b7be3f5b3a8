"""A random agent as First Secretary: one episode of ottepel/FirstSecretary-v0.

Run from the repository root::

    PYTHONPATH=src python examples/random_agent.py --seed 0
"""

from __future__ import annotations

import argparse

import gymnasium as gym

import ottepel.interfaces.gym  # noqa: F401  (registers ottepel/FirstSecretary-v0)


def main(seed: int = 0) -> float:
    """Play one episode with uniformly random actions; return the total reward."""
    env = gym.make("ottepel/FirstSecretary-v0")
    env.action_space.seed(seed)
    obs, info = env.reset(seed=seed)
    total, steps = 0.0, 0
    terminated = truncated = False
    while not (terminated or truncated):
        obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
        total += reward
        steps += 1
    end = "removed" if terminated else "reached the horizon"
    print(f"random agent, seed {seed}: {steps} quarters, {end} in {info['date']}, "
          f"total reward {total:.2f}")
    env.close()
    return total


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=0)
    main(parser.parse_args().seed)
