"""PettingZoo parallel environment: the members of the Presidium play the power struggle.

Usage::

    from ottepel.interfaces.pz import PresidiumEnv

    env = PresidiumEnv()
    obs, infos = env.reset(seed=0)
    while env.agents:
        actions = {a: env.action_space(a).sample() for a in env.agents}
        obs, rewards, terminations, truncations, infos = env.step(actions)

The environment runs one run (``runs=1``) of a scenario through the same engine as
``ottepel.simulate`` (economy and all), a quarter per step (``months_per_step``). It needs
the politics domain (``mechanisms/politics/``).

Agents: the named leaders of ``leaders.csv`` (``possible_agents``, by key, e.g.
``"khrushchev"``). A leader becomes an agent when he first sits in the Presidium while
active, and stays one until he is out of play (demoted, arrested, executed, retired or
dead: ``terminated``); at the scenario's horizon every agent is ``truncated``. Leaders who
are not agents, and agents who choose ``none``, act by the model's own rules.

Actions: ``Discrete(5)``, the moves of :data:`MOVES`:

0. ``none``: let the model decide for him this quarter;
1. ``support_first_secretary``: stand by the First Secretary (no part in plots against him);
2. ``plot_against_first_secretary``: seek a coalition to remove the First Secretary;
3. ``move_against_strongest``: seek a coalition against the most powerful other leader;
4. ``appeal_to_cc``: make the Central Committee the arbiter (plotters then expect a
   plenum, not a Presidium vote, to decide a challenge to the First Secretary).

If the politics module offers ``apply_agent_moves(state, moves) -> State`` (moves:
(runs, leaders) int, the codes above, -1 for the model's own choice), each month's moves
go through it. Otherwise they act through the politics state, for the month only: a move
for or against a target shifts the mover's grudge toward that target by
:data:`MOVE_STRENGTH` standing units (grudge enters each leader's hostility, which decides
who joins a coalition; the model still decides whether the coalition forms, is detected,
and wins), and an appeal raises the plotters' belief that the CC decides by
:data:`APPEAL_STRENGTH`.

Observation of agent j (``Box(-10, 10, (7 + 6 + 5 * L + 6,), float32)``, L leaders):
his own power share, activity, Presidium seat, prestige, policy grievance, ambition, skill;
the offices he holds (6); for every leader: power share, Presidium seat, whether he is
First Secretary, j's grudge against him and his grudge against j; the CC and the system:
the CC's grievance toward the First Secretary, the First Secretary's CC clients,
the plotters' belief that the CC decides, destalinisation, the violence norm, and the
progress through the scenario.

Reward of agent j per step::

    r_j = power share_j + 0.5 [holds an office] + 1.0 [is First Secretary]
          - 5.0 [was put out of play during the step]
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
from gymnasium import spaces
from pettingzoo import ParallelEnv

from ottepel.core import engine, mechanisms
from ottepel.core.scenario import Scenario, load_scenario

MOVES = ("none", "support_first_secretary", "plot_against_first_secretary",
         "move_against_strongest", "appeal_to_cc")
NONE, SUPPORT, PLOT, STRONGEST, APPEAL = range(len(MOVES))
MOVE_STRENGTH = 2.0
APPEAL_STRENGTH = 0.2
OBS_BOUND = 10.0
REWARD = {"share": 1.0, "office": 0.5, "first_secretary": 1.0, "removed": -5.0}
N_OFFICES = 6
FS = 0
ACTIVE = 0


def _politics_module():
    mod = getattr(mechanisms, "politics", None)
    if mod is None or not any(m.NAME == "politics" for m in mechanisms.ORDER):
        raise RuntimeError(
            "the PettingZoo environment needs the politics domain (mechanisms/politics/)")
    return mod


class PresidiumEnv(ParallelEnv):
    """The Presidium as a parallel multi-agent environment (see the module docstring).

    Args:
        scenario: packaged scenario name, TOML path or a loaded Scenario.
        months_per_step: months simulated per step (3: a quarter).
        render_mode: None or ``"ansi"``.
    """

    metadata = {"name": "ottepel_presidium_v0", "render_modes": ["ansi"], "is_parallelizable": True}

    def __init__(self, scenario: str | Path | Scenario = "khrushchev-1953",
                 months_per_step: int = 3, render_mode: str | None = None):
        self.politics = _politics_module()
        from ottepel.core.mechanisms.politics.leaders import load_leaders

        self.leaders = load_leaders()
        self.scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        if not 1 <= int(months_per_step) <= 12:
            raise ValueError("months_per_step must be between 1 and 12")
        if render_mode not in (None, "ansi"):
            raise ValueError(f"render_mode must be None or 'ansi', got {render_mode!r}")
        self.months_per_step = int(months_per_step)
        self.render_mode = render_mode
        self.possible_agents = [str(k) for k in self.leaders.key]
        self._index = {a: i for i, a in enumerate(self.possible_agents)}
        n_l = len(self.possible_agents)
        shape = (7 + N_OFFICES + 5 * n_l + 6,)
        self._obs_space = spaces.Box(-OBS_BOUND, OBS_BOUND, shape, np.float32)
        self._act_space = spaces.Discrete(len(MOVES))
        self.agents: list[str] = []
        self._seed = None
        self._state = None

    def observation_space(self, agent: str) -> spaces.Box:
        """The observation space of an agent (the same object for all, every call)."""
        return self._obs_space

    def action_space(self, agent: str) -> spaces.Discrete:
        """The moves an agent can make (the same for all)."""
        return self._act_space

    # -- API -----------------------------------------------------------------------------
    def reset(self, seed: int | None = None, options: dict | None = None):
        """Start at the scenario's first month; ``seed`` is the ottepel seed (run 0).

        Without a seed the next seed after the previous episode's is used (0 at first).
        ``options={"run": k}`` plays run k of the seed.
        """
        self._seed = int(seed) if seed is not None else (0 if self._seed is None else self._seed + 1)
        run = int((options or {}).get("run", 0)) if isinstance(options, dict) else 0
        self._state = engine.initial_state(self.scenario, np.array([run]), self._seed)
        self._month = 0
        self._finished: set[str] = set()
        self.agents = [a for a in self.possible_agents if self._eligible(a)]
        return ({a: self._observe(a) for a in self.agents},
                {a: self._info(a) for a in self.agents})

    def step(self, actions: dict):
        """Apply the agents' moves and simulate the next quarter."""
        if self._state is None:
            raise RuntimeError("call reset() before step()")
        before = list(self.agents)
        moves = {self._index[a]: int(m) for a, m in actions.items()
                 if a in self._index and a in before}
        n = len(self.scenario.months)
        stop = min(self._month + self.months_per_step, n)
        first = True
        while self._month < stop:
            self._step_month(moves, appeal=first)
            first = False
        out_of_play = {a for a in before if not self._active(a)}
        horizon = self._month >= n
        joiners = [a for a in self.possible_agents if a not in before
                   and a not in self._finished and self._eligible(a) and not horizon]
        live = before + joiners
        rewards = {a: self._reward(a, a in out_of_play) for a in live}
        terms = {a: a in out_of_play for a in live}
        truncs = {a: horizon and a not in out_of_play for a in live}
        obs = {a: self._observe(a) for a in live}
        infos = {a: self._info(a) for a in live}
        self._finished |= {a for a in live if terms[a] or truncs[a]}
        self.agents = [a for a in live if not (terms[a] or truncs[a])]
        return obs, rewards, terms, truncs, infos

    def render(self) -> str | None:
        """A text summary of the Presidium (render_mode ``"ansi"``)."""
        if self.render_mode != "ansi" or self._state is None:
            return None
        ps = self._state.politics
        share = self._shares()
        fs = int(ps.offices[0, FS])
        lines = [f"{self.date}  First Secretary: {self._name(fs)}"]
        for i in np.argsort(-share)[:8]:
            seat = "P" if ps.presidium[0, i] else " "
            lines.append(f"  {seat} {self.leaders.name[i]:12s} {share[i]:.2f}")
        return "\n".join(lines)

    def close(self) -> None:
        """Nothing to release."""

    # -- helpers -------------------------------------------------------------------------
    @property
    def date(self) -> str:
        """The next month to simulate (YYYY-MM), or the last one at the end."""
        months = self.scenario.months
        return str(months[min(self._month, len(months) - 1)])

    def _name(self, i: int) -> str:
        return str(self.leaders.name[i]) if i >= 0 else "(unnamed)"

    def _active(self, agent: str) -> bool:
        return bool(self._state.politics.status[0, self._index[agent]] == ACTIVE)

    def _eligible(self, agent: str) -> bool:
        i = self._index[agent]
        ps = self._state.politics
        return bool(ps.status[0, i] == ACTIVE and ps.presidium[0, i])

    def _shares(self) -> np.ndarray:
        p = np.asarray(self._state.politics.power[0], dtype=float)
        return p / max(p.sum(), 1e-12)

    def _step_month(self, moves: dict[int, int], appeal: bool) -> None:
        clock = engine.clock_at(self.scenario.months, self._month)
        state = dataclasses.replace(self._state, clock=clock)
        hook = getattr(self.politics, "apply_agent_moves", None)
        offset = None
        if hook is not None:
            arr = np.full((1, len(self.possible_agents)), -1, dtype=np.int64)
            for i, m in moves.items():
                arr[0, i] = m if m != NONE else -1
            state = hook(state, arr)
        else:
            state, offset = self._with_moves(state, moves, appeal)
        state = engine.step(state, self.scenario.decisions, self.scenario.params,
                            state.context.rng)
        if offset is not None:  # the moves shaped this month's hostility only
            ps = state.politics
            state = state.with_domain("politics", dataclasses.replace(ps, grudge=ps.grudge - offset))
        self._state = state
        self._month += 1

    def _with_moves(self, state, moves: dict[int, int], appeal: bool):
        """The politics state with the month's moves as grudge offsets and CC appeals."""
        ps = state.politics
        n_l = len(self.possible_agents)
        offset = np.zeros_like(np.asarray(ps.grudge, dtype=float))
        fs = int(ps.offices[0, FS])
        share = self._shares_of(ps)
        active = ps.status[0] == ACTIVE
        arbiter = np.array(ps.arbiter, dtype=float, copy=True)
        for j, move in moves.items():
            if move in (SUPPORT, PLOT) and 0 <= fs != j:
                offset[0, j, fs] += MOVE_STRENGTH if move == PLOT else -MOVE_STRENGTH
            elif move == STRONGEST:
                cand = np.where(active & (np.arange(n_l) != j), share, -np.inf)
                if np.isfinite(cand.max()):
                    offset[0, j, int(np.argmax(cand))] += MOVE_STRENGTH
            elif move == APPEAL and appeal:
                arbiter = np.clip(arbiter + APPEAL_STRENGTH, 0.0, 1.0)
        new = dataclasses.replace(ps, grudge=ps.grudge + offset, arbiter=arbiter)
        return state.with_domain("politics", new), offset

    @staticmethod
    def _shares_of(ps) -> np.ndarray:
        p = np.asarray(ps.power[0], dtype=float)
        return p / max(p.sum(), 1e-12)

    def _system(self) -> list[float]:
        nat = self.politics.national(self._state)
        keys = ("cc_grievance", "cc_clients_of_first_secretary", "cc_arbiter_belief",
                "destalinisation", "violence_norm")
        vals = [float(np.asarray(nat.get(k, 0.0)).reshape(-1)[0]) for k in keys]
        return vals + [self._month / len(self.scenario.months)]

    def _observe(self, agent: str) -> np.ndarray:
        j = self._index[agent]
        ps = self._state.politics
        lt = self.leaders
        share = self._shares()
        offices = np.asarray(ps.offices[0])
        own = [share[j], float(ps.status[0, j] == ACTIVE), float(ps.presidium[0, j]),
               float(ps.prestige[0, j]), float(ps.policy_grievance[0, j]), float(lt.ambition[j]),
               float(lt.skill[j])]
        held = (offices[:N_OFFICES] == j).astype(float)
        is_fs = (np.arange(lt.n) == offices[FS]).astype(float)
        grudge = np.asarray(ps.grudge[0], dtype=float)
        rows = [share, ps.presidium[0].astype(float), is_fs, grudge[j], grudge[:, j]]
        obs = np.concatenate([own, held, *rows, self._system()])
        obs = np.nan_to_num(obs, nan=0.0, posinf=OBS_BOUND, neginf=-OBS_BOUND)
        return np.clip(obs, -OBS_BOUND, OBS_BOUND).astype(np.float32)

    def _reward(self, agent: str, removed: bool) -> float:
        j = self._index[agent]
        offices = np.asarray(self._state.politics.offices[0])
        return float(REWARD["share"] * self._shares()[j]
                     + REWARD["office"] * float((offices == j).any())
                     + REWARD["first_secretary"] * float(offices[FS] == j)
                     + REWARD["removed"] * float(removed))

    def _info(self, agent: str) -> dict:
        j = self._index[agent]
        offices = np.asarray(self._state.politics.offices[0])
        return {"date": self.date, "seed": self._seed, "name": str(self.leaders.name[j]),
                "offices": [int(o) for o in np.flatnonzero(offices == j)],
                "first_secretary": self._name(int(offices[FS]))}


def parallel_env(**kwargs) -> PresidiumEnv:
    """PettingZoo-style constructor."""
    return PresidiumEnv(**kwargs)
