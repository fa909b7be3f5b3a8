"""The :class:`Game`: one run of a scenario stepped a turn at a time (see the package docstring)."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from ottepel.core import catalog, engine, mechanisms
from ottepel.core.decisions import Decisions
from ottepel.core.scenario import Scenario, load_scenario
from ottepel.interfaces.play.rules import (
    INDICATORS,
    KNOWN_LEADERS,
    MAIN_LEVERS,
    MONTHS_PER_TURN,
    GameError,
)
from ottepel.interfaces.play.saves import (
    SAVE_FORMAT,
    SAVE_VERSION,
    check_save,
    is_packaged,
    verify,
)
from ottepel.interfaces.play.views import (
    event_rows,
    finite,
    leader_names,
    month_str,
    national_values,
    politics_view,
    reported_counterpart,
)


class Game:
    """One run of a scenario played turn by turn (see the module docstring).

    Attributes:
        scenario: the compiled scenario.
        seed: ensemble seed (the game is run 0 of it).
        role: the player's leader, lower case.
        months_per_turn: months stepped by :meth:`advance` (3: a quarter).
        turn: turns played.
        over: True once the horizon is reached or the leader is removed.
        reason: why the game ended (None while it goes on).
        reports: the report of every turn played.
    """

    def __init__(self, scenario: Scenario, seed: int = 0, role: str = "khrushchev",
                 months_per_turn: int = MONTHS_PER_TURN):
        """Start a game at the scenario's first month (prefer :meth:`new`)."""
        if not 1 <= int(months_per_turn) <= 12:
            raise GameError("months_per_turn must be between 1 and 12")
        if not 0 <= int(seed) < 2**63:
            raise GameError("seed must be between 0 and 2**63 - 1")
        self.scenario = scenario
        self.seed = int(seed)
        self.months_per_turn = int(months_per_turn)
        self._state = engine.initial_state(scenario, np.arange(1), self.seed)
        self.role = self._check_role(role)
        self._rng = self._state.context.rng
        self._decisions: Decisions = scenario.decisions
        self._month = 0
        self.turn = 0
        self.over = False
        self.reason: str | None = None
        self.reports: list[dict[str, Any]] = []
        self._history: list[dict[str, Any]] = []
        self._pending: dict[str, float] = {}
        self._player_set: dict[str, float] = {}
        self._annual: dict[int, dict[str, float]] = {}
        self._current: dict[str, float] = {}
        self._catalog = catalog.national_catalog()
        self._politics = politics_view(self._state, self.role)

    # -- construction ------------------------------------------------------------
    @classmethod
    def new(cls, scenario: str | Path | Scenario = "khrushchev-1953", seed: int = 0,
            role: str = "khrushchev", months_per_turn: int = MONTHS_PER_TURN) -> Game:
        """A new game of a scenario (packaged name, TOML path or loaded Scenario)."""
        sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        return cls(sc, seed, role, months_per_turn)

    def _check_role(self, role: str) -> str:
        role = str(role).strip().lower()
        pol = self._state.domains.get("politics")
        names = [n.lower() for n in leader_names(pol)] if pol is not None else []
        allowed = names or list(KNOWN_LEADERS)
        if role not in allowed:
            raise GameError(f"unknown role {role!r}; allowed: {', '.join(allowed)}")
        return role

    # -- time ----------------------------------------------------------------------
    @property
    def months(self) -> np.ndarray:
        """(months,) datetime64[M] of the scenario."""
        return self.scenario.months

    @property
    def date(self) -> str:
        """The next month to be played, YYYY-MM (the last month once the game is over)."""
        return month_str(self.months, self._month)

    @property
    def state(self):
        """The current State of the run (read-only; for observations, e.g. the gym env)."""
        return self._state

    @property
    def decisions(self) -> Decisions:
        """The decision schedule in force: the scenario's, with the player's choices."""
        return self._decisions

    @property
    def months_left(self) -> int:
        """Months until the horizon."""
        return len(self.months) - self._month

    # -- choices -------------------------------------------------------------------
    def _pattern(self, lever: str) -> np.ndarray:
        """Regional spread of a regional lever: the scenario's own pattern over all years."""
        total = self.scenario.decisions.values[lever].sum(axis=0)
        if total.sum() <= 0:
            regions = self._state.context.regions
            total = regions.virgin_lands.astype(float) if "virgin" in lever else np.ones(regions.n)
        return total / total.sum()

    def _range(self, lever: str) -> tuple[float, float]:
        lv = mechanisms.LEVERS[lever]
        if not lv.regional:
            return lv.lo, lv.hi
        return lv.lo, float(lv.hi / self._pattern(lever).max())

    def _value(self, decisions: Decisions, lever: str) -> float:
        m = min(self._month, len(self.months) - 1)
        return float(np.sum(decisions.values[lever][m]))

    def choices(self) -> list[dict[str, Any]]:
        """The levers the player can set this turn, main ones first.

        Returns:
            One dict per lever: name, kind, lo, hi, unit, description, regional, value
            (in force now, after the player's choices), scheduled (what the scenario's
            schedule says for now) and set_by_player.
        """
        order = [k for k in MAIN_LEVERS if k in mechanisms.LEVERS]
        order += sorted(k for k in mechanisms.LEVERS if k not in order)
        out = []
        for name in order:
            lv = mechanisms.LEVERS[name]
            lo, hi = self._range(name)
            desc = lv.description + (" (national total, spread over regions as in the scenario)"
                                     if lv.regional else "")
            out.append({
                "name": name, "kind": lv.kind, "lo": lo, "hi": hi, "unit": lv.unit,
                "description": desc, "regional": lv.regional, "main": name in MAIN_LEVERS,
                "value": self._value(self._decisions, name),
                "scheduled": self._value(self.scenario.decisions, name),
                "set_by_player": name in self._player_set,
            })
        return out

    def apply(self, choices: dict[str, Any]) -> dict[str, float]:
        """Set levers from the current month on (validated; all or nothing).

        Args:
            choices: lever name -> value (national total for a regional lever).

        Returns:
            The choices applied, as floats.

        Raises:
            GameError: game over, unknown lever, non-numeric or out-of-range value.
        """
        if self.over:
            raise GameError(f"the game is over ({self.reason}); start a new one")
        if not isinstance(choices, dict):
            raise GameError("choices must be a mapping of lever name to value")
        clean = {name: self._validate(name, value) for name, value in choices.items()}
        values = dict(self._decisions.values)
        for name, v in clean.items():
            values[name] = self._override(name, v)
        self._decisions = dataclasses.replace(self._decisions, values=values)
        self._pending.update(clean)
        self._player_set.update(clean)
        return clean

    def _validate(self, name: Any, value: Any) -> float:
        if name not in mechanisms.LEVERS:
            raise GameError(f"unknown lever {name!r}; see choices() for the allowed ones")
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
            raise GameError(f"{name}: value must be a number, got {value!r}")
        v = float(value)
        lo, hi = self._range(name)
        if not (math.isfinite(v) and lo <= v <= hi):
            raise GameError(f"{name}: {value!r} is outside the allowed range [{lo:g}, {hi:g}] "
                            f"{mechanisms.LEVERS[name].unit}")
        return v

    def _override(self, name: str, value: float) -> np.ndarray:
        lv = mechanisms.LEVERS[name]
        arr = self._decisions.values[name].copy()
        m = self._month
        new = value * self._pattern(name) if lv.regional else value
        if lv.regional:
            new = np.clip(new, lv.lo, lv.hi)
        if lv.kind == "pulse":
            arr[m] = new
        else:
            arr[m:] = new
        return arr

    # -- stepping ------------------------------------------------------------------
    def advance(self) -> dict[str, Any]:
        """Play one turn (a quarter, fewer at the horizon); returns the turn report."""
        if self.over:
            raise GameError(f"the game is over ({self.reason}); start a new one")
        start = self._month
        stop = min(start + self.months_per_turn, len(self.months))
        self._history.append({"turn": self.turn, "month": self.date, "choices": dict(self._pending)})
        self._pending = {}
        events: list[dict[str, Any]] = []
        for m in range(start, stop):
            self._step_month(m, events)
            if self._politics and self._politics.get("removed"):
                self.over, self.reason = True, f"{self.role.title()} was removed from power"
                break
        if not self.over and self._month >= len(self.months):
            self.over, self.reason = True, "the horizon of the scenario was reached"
        self.turn += 1
        report = self._report(start, events)
        self.reports.append(report)
        return report

    def _step_month(self, m: int, events: list[dict[str, Any]]) -> None:
        state = engine.step_month(self._state, self.months, m, self._decisions,
                                  self.scenario.params, self._rng)
        clock = state.clock
        self._state = state
        self._month = m + 1
        self._current = national_values(state)
        if clock.month_of_year == 12:
            self._annual[clock.year] = {k: v for k, v in self._current.items()}
        events.extend(event_rows(state, str(self.months[m])))
        self._politics = politics_view(state, self.role)

    def _report(self, start: int, events: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "turn": self.turn, "from": month_str(self.months, start),
            "to": month_str(self.months, self._month - 1), "date": self.date,
            "choices": dict(self._history[-1]["choices"]), "indicators": self.indicators(), "events": events, "politics": self._politics,
            "over": self.over, "reason": self.reason,
        }

    def indicators(self) -> dict[str, dict[str, Any]]:
        """The dashboard: monthly variables now, annual ones for the last complete year.

        Each entry: label (description), unit, value, as_of (YYYY-MM or YYYY), and
        reported (the official figure, when the model keeps one).
        """
        out = {}
        for var in INDICATORS:
            if var not in self._catalog:
                continue
            unit, cadence, desc = self._catalog[var]
            twin = reported_counterpart(var, self._catalog)
            if cadence == "monthly":
                src = self._current
                as_of = month_str(self.months, self._month - 1) if self._month else None
            else:
                year = max(self._annual) if self._annual else None
                src, as_of = (self._annual[year], str(year)) if year else ({}, None)
            out[var] = {"label": desc, "unit": unit, "cadence": cadence, "as_of": as_of,
                        "value": finite(src.get(var)),
                        "reported": finite(src.get(twin)) if twin else None}
        return out

    def annual_records(self) -> dict[int, dict[str, float | None]]:
        """December values of every national variable, by year played."""
        return {y: {k: finite(v) for k, v in rec.items()} for y, rec in self._annual.items()}

    # -- views and persistence -----------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Everything a front end shows: position, dashboard, politics, last report."""
        return {
            "scenario": self.scenario.name, "seed": self.seed, "role": self.role,
            "turn": self.turn, "date": self.date, "months_left": self.months_left,
            "months_per_turn": self.months_per_turn, "over": self.over, "reason": self.reason,
            "indicators": self.indicators(), "politics": self._politics,
            "last_report": self.reports[-1] if self.reports else None,
            "player_levers": dict(self._player_set), "history": list(self._history),
        }

    def save_dict(self) -> dict[str, Any]:
        """The save file's content: enough to replay the game exactly."""
        from ottepel._version import __version__

        return {
            "format": SAVE_FORMAT, "version": SAVE_VERSION, "ottepel": __version__,
            "scenario": self.scenario.name if is_packaged(self.scenario) else self.scenario.path,
            "seed": self.seed, "role": self.role, "months_per_turn": self.months_per_turn,
            "turns": self._history, "pending": dict(self._pending),
            "check": {"date": self.date, "state_grain_stock_mt": finite(
                self._current.get("state_grain_stock_mt"))},
        }

    def save(self, path: str | Path) -> Path:
        """Write the save file (JSON) atomically; returns its path."""
        path = Path(path)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent or ".")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self.save_dict(), f, indent=1)
        os.replace(tmp, path)
        return path

    @classmethod
    def from_save(cls, data: Any, allowed_scenarios: list[str] | None = None) -> Game:
        """Replay a save file's content.

        Args:
            data: the parsed JSON of a save file.
            allowed_scenarios: if given, the scenario must be one of these names
                (the web server passes the packaged list, so no file path is opened).

        Raises:
            GameError: malformed save, unknown scenario or a move that is not allowed.
        """
        spec = check_save(data)
        if allowed_scenarios is not None and spec["scenario"] not in allowed_scenarios:
            raise GameError(f"unknown scenario {spec['scenario']!r}; allowed: "
                            f"{', '.join(allowed_scenarios)}")
        from ottepel.core.scenario import ScenarioError

        try:
            game = cls.new(spec["scenario"], spec["seed"], spec["role"], spec["months_per_turn"])
        except ScenarioError as exc:
            raise GameError(str(exc)) from None
        for t in spec["turns"]:
            if game.over:
                raise GameError("the save file has turns after the end of the game")
            game.apply(t["choices"])
            game.advance()
        if spec["pending"]:
            game.apply(spec["pending"])
        verify(game, spec.get("check"))
        return game

    @classmethod
    def load(cls, path: str | Path) -> Game:
        """Load a saved game (replays its turns; raises GameError on a bad file)."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GameError(f"{path}: cannot read the save file ({exc})") from None
        return cls.from_save(data)
