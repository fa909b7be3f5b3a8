"""The save file: format, structure check, replay check."""

from __future__ import annotations

import warnings
from importlib import resources
from pathlib import Path
from typing import Any

from ottepel.core.scenario import Scenario, packaged_scenarios
from ottepel.interfaces.play.rules import GameError
from ottepel.interfaces.play.views import finite

SAVE_FORMAT = "ottepel-game"
SAVE_VERSION = 1


def is_packaged(sc: Scenario) -> bool:
    """True when the scenario is the packaged file of its name (saved by name, not path)."""
    if sc.name not in packaged_scenarios():
        return False
    ref = resources.files("ottepel").joinpath(f"scenarios/{sc.name}.toml")
    with resources.as_file(ref) as p:
        return Path(p).resolve() == Path(sc.path).resolve()


def check_save(data: Any) -> dict[str, Any]:
    """Validate a save file's structure; returns it."""
    if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
        raise GameError(f"not an ottepel save file (expected format {SAVE_FORMAT!r})")
    if data.get("version") != SAVE_VERSION:
        raise GameError(f"unsupported save version {data.get('version')!r}; expected {SAVE_VERSION}")
    types = {"scenario": str, "seed": int, "role": str, "months_per_turn": int, "turns": list}
    for key, typ in types.items():
        if not isinstance(data.get(key), typ) or isinstance(data.get(key), bool):
            raise GameError(f"save file: field {key!r} must be {typ.__name__}")
    data.setdefault("pending", {})
    for i, t in enumerate(data["turns"]):
        if not isinstance(t, dict) or not isinstance(t.get("choices"), dict):
            raise GameError(f"save file: turns[{i}] must have a 'choices' mapping")
    return data


def verify(game, check: Any) -> None:
    """Warn if a replay did not end where the save file says (model changed since)."""
    if not isinstance(check, dict):
        return
    now = finite(game._current.get("state_grain_stock_mt"))
    want = check.get("state_grain_stock_mt")
    if check.get("date") != game.date or (want is not None and now != want):
        warnings.warn("the replayed game differs from the save file: the model or scenario "
                      "changed since it was saved", stacklevel=3)
