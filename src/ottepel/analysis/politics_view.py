"""Read-only views of the politics domain for the game shells (gym, PettingZoo, assess).

The politics mechanism (``mechanisms/politics/`` with its tables in
``mechanisms/politics/leaders.py``) is built in parallel; this module is the one place where the
shells read it, by duck typing, so they work before and after it is merged:

- leader ids come from ``mechanisms.politics.leaders.load_leaders().index(name)`` (or a
  ``LEADERS`` sequence / ``leader_index`` function on the politics module);
- the politics state is expected to have ``offices`` ((runs, offices) int, holder's
  leader id, office 0 = First Secretary), ``status`` ((runs, leaders) int, 0 = active)
  and ``power`` ((runs, leaders) float).

Without a politics domain every function answers "unknown" (None) and nobody is removed.
"""

from __future__ import annotations

import importlib

import numpy as np

FIRST_SECRETARY = 0  # office index of the First Secretary in ``offices``
ACTIVE = 0  # status code of an active leader


def _module(name: str):
    try:
        return importlib.import_module(f"ottepel.core.mechanisms.{name}")
    except ImportError:
        return None


def leader_names() -> list[str] | None:
    """Leader keys in leader-id order (lower case), or None without politics tables."""
    lt = _module("politics.leaders")
    if lt is not None and hasattr(lt, "load_leaders"):
        return [str(k) for k in lt.load_leaders().key]
    pol = _module("politics")
    names = getattr(pol, "LEADERS", None)
    if names is None:
        return None
    return [str(getattr(n, "key", getattr(n, "name", n))).lower() for n in names]


def leader_index(name: str) -> int | None:
    """Leader id of a name (``"Khrushchev"`` or ``"khrushchev"``), None if unknown."""
    lt = _module("politics.leaders")
    if lt is not None and hasattr(lt, "load_leaders"):
        try:
            return int(lt.load_leaders().index(name))
        except KeyError:
            return None
    pol = _module("politics")
    if pol is not None and hasattr(pol, "leader_index"):
        try:
            return int(pol.leader_index(name))
        except (KeyError, ValueError):
            return None
    names = leader_names()
    key = name.strip().lower()
    return names.index(key) if names and key in names else None


def politics_state(state):
    """The politics domain state, or None when the model has none."""
    return state.domains.get("politics")


def offices_of(state, leader: int) -> np.ndarray | None:
    """(runs, offices) bool: which offices the leader holds in each run (None: unknown)."""
    pol = politics_state(state)
    offices = getattr(pol, "offices", None)
    if offices is None:
        return None
    return np.asarray(offices) == leader


def is_active(state, leader: int) -> np.ndarray | None:
    """(runs,) bool: the leader is still in play (not demoted, arrested, retired, dead)."""
    pol = politics_state(state)
    status = getattr(pol, "status", None)
    if status is None:
        return None
    return np.asarray(status)[:, leader] == ACTIVE


def first_secretary(state) -> np.ndarray | None:
    """(runs,) int leader id of the First Secretary (-1 unnamed), or None."""
    pol = politics_state(state)
    offices = getattr(pol, "offices", None)
    if offices is not None:
        return np.asarray(offices)[:, FIRST_SECRETARY]
    fs = getattr(pol, "first_secretary", None)
    return None if fs is None else np.asarray(fs)


def power(state) -> np.ndarray | None:
    """(runs, leaders) float power of each leader, or None."""
    p = getattr(politics_state(state), "power", None)
    return None if p is None else np.asarray(p, dtype=float)


def in_power(state, leader: int, start_offices: np.ndarray | None) -> np.ndarray | None:
    """(runs,) bool: the leader is active and still holds the offices he started with.

    ``start_offices``: (offices,) or (runs, offices) bool, from :func:`offices_of` at the start.

    A leader who started without an office counts as in power while he is active. Returns
    None when the model has no politics domain.
    """
    active = is_active(state, leader)
    if active is None:
        held = offices_of(state, leader)
        return None if held is None else np.ones(held.shape[0], bool)
    held = offices_of(state, leader)
    if held is None or start_offices is None:
        return active
    start = np.broadcast_to(np.asarray(start_offices, bool), held.shape)
    kept = (held | ~start).all(1)
    return active & np.where(start.any(1), kept, True)


def player_view(state, run: int, leader: str) -> dict:
    """What a player sees of politics in one run (the contract of ``ottepel.interfaces.play``).

    Returns:
        first_secretary (name or None), leader_power (the player's share of the leaders'
        power, 0..1), power (name -> share), offices (office indices the player holds) and
        removed (True once the player's leader is out of play: demoted, arrested,
        executed, retired or dead).
    """
    names = leader_names() or []
    me = leader_index(leader)
    view = {"first_secretary": None, "leader_power": None, "power": {}, "offices": [],
            "removed": False}
    fs = first_secretary(state)
    if fs is not None and 0 <= int(fs[run]) < len(names):
        view["first_secretary"] = names[int(fs[run])].title()
    p = power(state)
    if p is not None:
        share = p[run] / max(float(p[run].sum()), 1e-12)
        view["power"] = {n.title(): float(v) for n, v in zip(names, share, strict=False)}
        if me is not None:
            view["leader_power"] = float(share[me])
    if me is not None:
        held = offices_of(state, me)
        if held is not None:
            view["offices"] = [int(i) for i in np.flatnonzero(held[run])]
        active = is_active(state, me)
        view["removed"] = bool(active is not None and not active[run])
    return view
