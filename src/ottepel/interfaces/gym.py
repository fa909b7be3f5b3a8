"""Gymnasium environment ``ottepel/FirstSecretary-v0``: rule the USSR a quarter at a time.

Usage::

    import gymnasium as gym
    import ottepel.interfaces.gym  # registers the environment

    env = gym.make("ottepel/FirstSecretary-v0")
    obs, info = env.reset(seed=0)
    obs, reward, terminated, truncated, info = env.step(env.action_space.sample())

The environment wraps the same engine as ``ottepel.simulate`` for one run (``runs=1``):
``engine.initial_state`` and ``engine.step`` month by month, with the scenario's decision
schedule copied per episode and the agent's lever choices written into it. With seed
``s`` and ``options={"run": k}`` (default 0) an episode draws the same weather and luck
as run k of ``simulate(scenario, seed=s)``; ``reset(seed=None)`` draws the ottepel seed
from the environment's own generator.

Step: 3 months (``months_per_step``). The scenario starts in March 1953 and ends in
December 1964, so an episode has 48 steps (the last one a single month).

Action: ``Box(-1, 1, (k,))``, one entry per lever of :data:`ACTIONS` the model has, mapped
linearly onto the lever's playable range (``lo + (a + 1) / 2 * (hi - lo)``). The chosen
values hold from the step's first month on, replacing the historical schedule for those
levers (other levers follow history). If the four investment shares add up to more than
:data:`MAX_INVESTMENT_SHARE`, they are scaled down to it (the rest of investment goes to
transport and other sectors). A regional lever (virgin ploughing) is a national total
spread over regions as in the scenario. Annual plans take effect when the mechanism reads
them (maize at sowing in April, procurement at the harvest).

Observation: ``Box(-10, 10, (n,), float32)``: the indicators of :data:`OBSERVATIONS` the
model has, each divided by its scale (monthly ones now, annual ones as of the last
December, 0 before the first), then the current lever values on their playable range
(0..1), then progress through the scenario (0..1), month of year / 12, whether the
player's leader is in power (1/0; 1 without a politics domain), and, with politics, his
share of the leaders' power.

Reward (per step; weights in :data:`REWARD_WEIGHTS`, override with ``reward_weights``)::

    r = w_grain    * (grain harvest per person / 0.44 t - 1)        last complete year
      + w_consumer * (consumer goods index / 100 - 1)               last complete year
      + w_housing  * (urban living space per person / 7.5 m2 - 1)   now
      + w_power    * [the player's leader is in power]              politics domain only
      + w_removed  * [he was removed during this step]

The reference levels are those of 1953 (82.5 mn t of grain for 188 mn people; the
consumer goods index is 100 in 1953; 7.5 m2 of urban living space per person).

Episode end: ``terminated`` when the player's leader is removed (politics domain: he is
no longer active or has lost the office he started with); ``truncated`` when the
scenario's last month has been simulated (the horizon of the scenario).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from ottepel.analysis import politics_view
from ottepel.core import catalog, engine, mechanisms
from ottepel.core.decisions import Decisions
from ottepel.core.scenario import Scenario, load_scenario
from ottepel.interfaces.play import national_values  # one definition, shared with the game

ENV_ID = "ottepel/FirstSecretary-v0"
OBS_BOUND = 10.0
MAX_INVESTMENT_SHARE = 0.95
INVESTMENT_LEVERS = ("invest_share_group_a", "invest_share_group_b", "invest_share_agriculture",
                     "invest_share_housing")

# Indicator -> scale (the observation is value / scale).
OBSERVATIONS: tuple[tuple[str, float], ...] = (
    ("grain_harvest_mt", 100.0), ("grain_procurement_mt", 50.0), ("state_grain_stock_mt", 30.0),
    ("grain_imports_mt", 10.0), ("meat_production_mt", 10.0), ("milk_production_mt", 50.0),
    ("consumer_goods_index", 100.0), ("industrial_output_index", 100.0),
    ("housing_completed_mn_m2", 100.0), ("living_space_m2_per_capita", 10.0),
    ("population_mn", 200.0), ("urban_share", 1.0), ("real_wage_index", 100.0),
    ("living_standard_index", 100.0), ("grievance", 1.0), ("bloc_stability", 1.0),
    ("us_tension", 1.0), ("china_relations", 1.0),
)


@dataclass(frozen=True)
class ActionLever:
    """A lever the agent sets, with its playable range (inside the lever's allowed range)."""

    lever: str
    lo: float
    hi: float


ACTIONS: tuple[ActionLever, ...] = (
    ActionLever("invest_share_group_a", 0.2, 0.6),
    ActionLever("invest_share_group_b", 0.03, 0.2),
    ActionLever("invest_share_agriculture", 0.05, 0.3),
    ActionLever("invest_share_housing", 0.05, 0.3),
    ActionLever("defence_share", 0.05, 0.2),
    ActionLever("maize_target_mha", 2.0, 40.0),
    ActionLever("virgin_ploughing_mha", 0.0, 12.0),
    ActionLever("procurement_price_grain", 1.0, 10.0),
    ActionLever("procurement_price_livestock", 1.0, 10.0),
    ActionLever("grain_exports_plan_mt", 0.0, 10.0),
    ActionLever("retail_price_meat", 0.8, 1.6),
)

REWARD_WEIGHTS = {"grain": 1.0, "consumer": 1.0, "housing": 0.5, "power": 1.0, "removed": -10.0}
REFERENCE = {"grain_per_capita_t": 82.5 / 188.0, "consumer_goods_index": 100.0,
             "living_space_m2_per_capita": 7.5}


def has_politics() -> bool:
    """True when the model has a politics domain."""
    return any(m.NAME == "politics" for m in mechanisms.ORDER)


class FirstSecretaryEnv(gym.Env):
    """One run of an ottepel scenario played by an agent (see the module docstring).

    Args:
        scenario: packaged scenario name, TOML path or a loaded Scenario.
        role: the leader the agent plays (matters with a politics domain).
        months_per_step: months simulated per step (3: a quarter).
        levers: lever names to control (default: every lever of ACTIONS the model has).
        reward_weights: overrides of REWARD_WEIGHTS.
        render_mode: None or ``"ansi"`` (a text dashboard).
    """

    metadata = {"render_modes": ["ansi"], "render_fps": 4}

    def __init__(self, scenario: str | Path | Scenario = "khrushchev-1953",
                 role: str = "khrushchev", months_per_step: int = 3,
                 levers: list[str] | None = None, reward_weights: dict | None = None,
                 render_mode: str | None = None):
        self.scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        if not 1 <= int(months_per_step) <= 12:
            raise ValueError("months_per_step must be between 1 and 12")
        if render_mode not in (None, "ansi"):
            raise ValueError(f"render_mode must be None or 'ansi', got {render_mode!r}")
        self.months_per_step = int(months_per_step)
        self.render_mode = render_mode
        self.role = role.lower()
        self.weights = {**REWARD_WEIGHTS, **(reward_weights or {})}
        self.levers = self._pick_levers(levers)
        cat = catalog.national_catalog()
        self.obs_vars = [(v, s) for v, s in OBSERVATIONS if v in cat]
        self.cadence = {v: cat[v][1] for v, _ in self.obs_vars}
        self.politics = has_politics()
        self.leader = politics_view.leader_index(self.role) if self.politics else None
        if self.politics and self.leader is None:
            raise ValueError(f"unknown role {role!r}; allowed: {politics_view.leader_names()}")
        n_obs = len(self.obs_vars) + len(self.levers) + 3 + int(self.politics)
        self.observation_space = spaces.Box(-OBS_BOUND, OBS_BOUND, (n_obs,), np.float32)
        self.action_space = spaces.Box(-1.0, 1.0, (len(self.levers),), np.float32)
        self._state = None

    @staticmethod
    def _pick_levers(names: list[str] | None) -> list[ActionLever]:
        by_name = {a.lever: a for a in ACTIONS if a.lever in mechanisms.LEVERS}
        if names is None:
            return list(by_name.values())
        bad = [n for n in names if n not in by_name]
        if bad or not names:
            raise ValueError(f"levers {bad} not controllable; allowed: {', '.join(by_name)}")
        return [by_name[n] for n in names]

    # -- gymnasium API -----------------------------------------------------------------
    def reset(self, *, seed: int | None = None, options: dict | None = None):
        """Start an episode at the scenario's first month.

        Args:
            seed: the ottepel ensemble seed (None: drawn from the env's generator).
            options: ``{"run": k}`` plays run k of that seed (default 0).
        """
        super().reset(seed=seed)
        self.ottepel_seed = int(seed) if seed is not None else int(
            self.np_random.integers(0, 2**62))
        self.run = int((options or {}).get("run", 0))
        sc = self.scenario
        self._state = engine.initial_state(sc, np.array([self.run]), self.ottepel_seed)
        values = {k: np.array(v, copy=True) for k, v in sc.decisions.values.items()}
        self._decisions = Decisions(sc.decisions.months, values, sc.decisions.schedule, sc.decisions.levers)
        getattr(self._decisions, "sponsor_tables", None)  # politics gating: from history
        self._month = 0
        self._annual: dict[str, float] = {}
        self._current = national_values(self._state)
        self._start_offices = None
        if self.politics:
            held = politics_view.offices_of(self._state, self.leader)
            self._start_offices = None if held is None else held[0]
        self._in_power = self._check_power()
        self._terms: dict[str, float] = {}
        return self._observation(), self._info()

    def step(self, action):
        """Set the levers for the next quarter and simulate it."""
        if self._state is None:
            raise RuntimeError("call reset() before step()")
        if self._month >= len(self.scenario.months) or not self._in_power:
            raise RuntimeError("the episode is over; call reset()")
        self._apply(np.asarray(action, dtype=np.float64).reshape(len(self.levers)))
        stop = min(self._month + self.months_per_step, len(self.scenario.months))
        removed = False
        while self._month < stop:
            self._step_month()
            self._in_power = self._check_power()
            if not self._in_power:
                removed = True
                break
        reward = self._reward(removed)
        truncated = not removed and self._month >= len(self.scenario.months)
        return self._observation(), reward, removed, truncated, self._info()

    def render(self) -> str | None:
        """A text dashboard (render_mode ``"ansi"``)."""
        if self.render_mode != "ansi" or self._state is None:
            return None
        lines = [f"{self.date}  in power: {self._in_power}"]
        lines += [f"  {v:32s} {self._value(v):10.2f}" for v, _ in self.obs_vars]
        lines += [f"  {a.lever:32s} {self.lever_value(a.lever):10.3f}" for a in self.levers]
        return "\n".join(lines)

    # -- helpers -----------------------------------------------------------------------
    @property
    def date(self) -> str:
        """The next month to simulate (YYYY-MM), or the last one at the end."""
        months = self.scenario.months
        return str(months[min(self._month, len(months) - 1)])

    def lever_value(self, lever: str) -> float:
        """A lever's value now (national total for a regional lever)."""
        m = min(self._month, len(self.scenario.months) - 1)
        return float(np.sum(self._decisions.values[lever][m]))

    def scheduled_action(self) -> np.ndarray:
        """The action that keeps every controlled lever at its historical value now."""
        m = min(self._month, len(self.scenario.months) - 1)
        vals = [float(np.sum(self.scenario.decisions.values[a.lever][m])) for a in self.levers]
        return np.array([to_action(a, v) for a, v in zip(self.levers, vals, strict=True)],
                        dtype=np.float32)

    def _apply(self, action: np.ndarray) -> None:
        a = np.clip(np.nan_to_num(action, nan=0.0), -1.0, 1.0)
        chosen = {lv.lever: lv.lo + (x + 1.0) / 2.0 * (lv.hi - lv.lo)
                  for lv, x in zip(self.levers, a, strict=True)}
        shares = [k for k in INVESTMENT_LEVERS if k in chosen]
        if shares:
            total = sum(chosen[k] for k in shares) + sum(
                self.lever_value(k) for k in INVESTMENT_LEVERS if k not in chosen)
            if total > MAX_INVESTMENT_SHARE:
                for k in shares:
                    chosen[k] *= MAX_INVESTMENT_SHARE / total
        for lever, value in chosen.items():
            override_lever(self._decisions, self.scenario.decisions, lever, value, self._month)

    def _step_month(self) -> None:
        m = self._month
        self._state = engine.step_month(self._state, self.scenario.months, m, self._decisions,
                                        self.scenario.params)
        clock = self._state.clock
        self._month = m + 1
        self._current = national_values(self._state)
        if clock.month_of_year == 12:
            self._annual = dict(self._current)

    def _check_power(self) -> bool:
        if not self.politics:
            return True
        ok = politics_view.in_power(self._state, self.leader, self._start_offices)
        return True if ok is None else bool(ok[0])

    def _value(self, var: str) -> float:
        src = self._current if self.cadence.get(var, "monthly") == "monthly" else self._annual
        v = src.get(var, np.nan)
        return float(v) if np.isfinite(v) else 0.0

    def _power_share(self) -> float:
        p = politics_view.power(self._state)
        if p is None or self.leader is None:
            return 0.0
        return float(p[0, self.leader] / max(p[0].sum(), 1e-12))

    def _observation(self) -> np.ndarray:
        obs = [self._value(v) / s for v, s in self.obs_vars]
        obs += [(self.lever_value(a.lever) - a.lo) / (a.hi - a.lo) for a in self.levers]
        n = len(self.scenario.months)
        clock = engine.clock_at(self.scenario.months, min(self._month, n - 1))
        obs += [self._month / n, clock.month_of_year / 12.0, float(self._in_power)]
        if self.politics:
            obs.append(self._power_share())
        out = np.nan_to_num(np.asarray(obs, dtype=np.float64), nan=0.0)
        return np.clip(out, -OBS_BOUND, OBS_BOUND).astype(np.float32)

    def _reward(self, removed: bool) -> float:
        a, ref = self._annual, REFERENCE
        terms = {"grain": 0.0, "consumer": 0.0, "housing": 0.0, "power": 0.0, "removed": 0.0}
        if a.get("population_mn", 0) > 0 and np.isfinite(a.get("grain_harvest_mt", np.nan)):
            terms["grain"] = a["grain_harvest_mt"] / a["population_mn"] / ref["grain_per_capita_t"] - 1
        if np.isfinite(a.get("consumer_goods_index", np.nan)):
            terms["consumer"] = a["consumer_goods_index"] / ref["consumer_goods_index"] - 1
        space = self._current.get("living_space_m2_per_capita", np.nan)
        if np.isfinite(space):
            terms["housing"] = space / ref["living_space_m2_per_capita"] - 1
        if self.politics:
            terms["power"] = float(self._in_power)
            terms["removed"] = float(removed)
        self._terms = terms
        return float(sum(self.weights[k] * v for k, v in terms.items()))

    def _info(self) -> dict[str, Any]:
        return {"date": self.date, "month": self._month, "ottepel_seed": self.ottepel_seed,
                "run": self.run, "in_power": self._in_power,
                "reward_terms": dict(self._terms),
                "levers": {a.lever: self.lever_value(a.lever) for a in self.levers}}


def to_action(lever: ActionLever, value: float) -> float:
    """The action entry in [-1, 1] that sets a lever to ``value`` (clipped to its range)."""
    x = 2.0 * (value - lever.lo) / (lever.hi - lever.lo) - 1.0
    return float(np.clip(x, -1.0, 1.0))


def override_lever(decisions: Decisions, schedule: Decisions, lever: str, value: float,
                   month: int) -> None:
    """Set a lever from ``month`` on in a per-episode copy of the schedule (in place).

    A regional lever's national total is spread over regions as the scenario spreads it.
    Where the politics domain gates decisions by their sponsor (``sponsor_tables``), the
    months the player now decides are marked as nobody's decision, so they apply as set.
    """
    lv = mechanisms.LEVERS[lever]
    arr = decisions.values[lever]
    if lv.regional:
        total = schedule.values[lever].sum(axis=0)
        if total.sum() <= 0:
            total = np.ones(arr.shape[1])
        new = np.clip(value * total / total.sum(), lv.lo, lv.hi)
    else:
        new = float(np.clip(value, lv.lo, lv.hi))
    span = slice(month, month + 1) if lv.kind == "pulse" else slice(month, None)
    arr[span] = new
    tables = getattr(decisions, "sponsor_tables", None)
    if isinstance(tables, dict) and lever in tables:
        tables[lever][0][span] = -1


if ENV_ID not in gym.registry:
    gym.register(id=ENV_ID, entry_point="ottepel.interfaces.gym:FirstSecretaryEnv")
