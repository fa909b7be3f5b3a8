"""What the player sees of run 0: national values, politics, events, official twins."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ottepel.core import mechanisms


def reported_counterpart(var: str, names: Any) -> str | None:
    """The official ("reported") twin of a true variable, if the model outputs one.

    ``grain_harvest_mt`` -> ``grain_harvest_reported_mt``; also tried: ``<var>_reported``
    and ``<var>_official``.
    """
    stem, _, unit = var.rpartition("_")
    candidates = [f"{stem}_reported_{unit}"] if stem else []
    candidates += [f"{var}_reported", f"{var}_official"]
    return next((c for c in candidates if c in names and c != var), None)


def finite(x: Any) -> float | None:
    """A plain float, or None for NaN/inf (JSON has no NaN)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def month_str(months: np.ndarray, m: int) -> str:
    return str(months[min(m, len(months) - 1)])


def national_values(state) -> dict[str, float]:
    """Every national output variable of run 0 in the current month (NaN where undefined)."""
    out: dict[str, float] = {}
    for mech in mechanisms.ORDER:
        if hasattr(mech, "national"):
            with np.errstate(divide="ignore", invalid="ignore"):
                for k, v in mech.national(state).items():
                    out[k] = float(np.asarray(v, dtype=float).reshape(-1)[0])
    return out


def leader_names(pol: Any) -> list[str]:
    names = getattr(pol, "leaders", None)
    if names is None:
        mod = getattr(mechanisms, "politics", None)
        names = getattr(mod, "LEADERS", None)
    if names is None:
        return []
    return [str(getattr(n, "name", n)) for n in names]


def politics_view(state, role: str) -> dict[str, Any] | None:
    """What the player sees of politics in run 0, or None if the model has no politics.

    If ``ottepel.core.mechanisms.politics`` defines ``player_view(state, run, leader) -> dict``
    it is used as is (it should return at least ``first_secretary`` (str),
    ``leader_power`` (float, 0..1) and ``removed`` (bool)). Otherwise the politics domain
    state is read by duck typing; expected fields (run axis first):

    - ``leaders``: names, in the order of the leader axis (or module-level ``LEADERS``);
    - ``first_secretary``: (runs,) int index into ``leaders`` (or the name, str);
    - ``power``: (runs, leaders) float, each leader's share of power (0..1);
    - ``status``: optional (runs, leaders), 0 or ``"active"`` while the leader is in play.

    A leader counts as removed when his status is no longer active.
    """
    pol = state.domains.get("politics")
    if pol is None:
        return None
    mod = getattr(mechanisms, "politics", None)
    if mod is not None and hasattr(mod, "player_view"):
        return dict(mod.player_view(state, 0, role))
    names = leader_names(pol)
    lower = [n.lower() for n in names]
    me = lower.index(role.lower()) if role.lower() in lower else None
    view: dict[str, Any] = {"first_secretary": None, "leader_power": None, "removed": False}
    fs = getattr(pol, "first_secretary", None)
    if fs is not None:
        fs0 = np.asarray(fs).reshape(-1)[0]
        is_index = np.issubdtype(np.asarray(fs0).dtype, np.integer)
        view["first_secretary"] = names[int(fs0)] if is_index and 0 <= fs0 < len(names) else str(fs0)
    power = getattr(pol, "power", None)
    if power is not None and me is not None:
        view["leader_power"] = finite(np.asarray(power)[0, me])
        view["power"] = {n: finite(v) for n, v in zip(names, np.asarray(power)[0], strict=False)}
    status = getattr(pol, "status", None)
    if status is not None and me is not None:
        s = np.asarray(status)[0, me]
        view["removed"] = not (s == 0 or str(s) == "active")
    return view


def event_rows(state, month: str) -> list[dict[str, Any]]:
    """The events of run 0 in the month just stepped, as plain dicts."""
    rows = []
    for b in state.events:
        hit = np.flatnonzero(np.asarray(b.runs) == 0)
        if not len(hit):
            continue
        i = int(hit[0])
        row = {"month": month, "kind": b.kind, "magnitude": finite(b.magnitude[i])}
        for attr in ("actors", "causes", "source"):
            v = getattr(b, attr, "")
            row[attr] = str(v[i]) if isinstance(v, np.ndarray) and v.ndim else str(v)
        rows.append(row)
    return rows
