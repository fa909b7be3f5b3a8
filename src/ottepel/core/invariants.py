"""Cross-domain invariants of the state, checked under ``--debug`` and in the tests.

:func:`ottepel.core.state.validate` checks every domain array (shape, finiteness, no negative
values unless a field is marked signed) and then calls :func:`check`, which adds the
invariants that tie domains together:

- land: in the growing season (April to August) the grain sown in a region is never more
  than the land available there, old arable land plus ploughed virgin land net of what
  erosion took (million ha);
- grain: the calendar year's grain balance closes (harvest + imports = food + feed + seed
  + exports + stock change + losses) up to rounding.

The political invariants (one holder per office, the CC's size) are tested in
tests/test_invariants_politics.py against the politics domain's own fields.

Each check returns a list of problems (empty when sound) naming the region or office.
"""

from __future__ import annotations

import numpy as np

from ottepel.core.mechanisms.grain import balance_variables
from ottepel.core.state import check_arrays

LAND_TOLERANCE_MHA = 1e-9
BALANCE_TOLERANCE_MT = 1e-6
GROWING_SEASON = range(4, 9)  # April (sowing) to August; September is harvest


def land_available_mha(ag) -> np.ndarray:
    """(runs, regions) old cropland plus virgin land ploughed (incl. this year) less eroded."""
    return getattr(ag, "cropland_mha", ag.old_arable_mha) + ag.virgin_ploughed_mha + ag.ploughed_this_year \
        - ag.virgin_abandoned_mha


def land_in_use_mha(ag) -> np.ndarray:
    """(runs, regions) grain sown this year and, on old cropland, silage maize, fodder, fallow
    and industrial crops (the land balance of ``mechanisms/land.py``)."""
    other = [getattr(ag, k, 0.0) for k in ("fodder_mha", "fallow_mha", "industrial_mha")]
    silage = ag.maize_sown_mha - getattr(ag, "maize_grain_mha", ag.maize_sown_mha)
    return ag.grain_sown_mha + silage + sum(other)


def check_land(state) -> list[str]:
    """Grain sown never exceeds land available, in the growing season."""
    ag = state.domains.get("agriculture")
    if ag is None or state.clock.month_of_year not in GROWING_SEASON:
        return []
    excess = land_in_use_mha(ag) - land_available_mha(ag)
    bad = np.argwhere(excess > LAND_TOLERANCE_MHA)
    if not len(bad):
        return []
    r, i = bad[0]
    code = state.context.regions.code[i] if state.context is not None else i
    return [f"land: run {r}, region {code}: grain sown exceeds land available by "
            f"{excess[r, i]:.6g} million ha ({len(bad)} run-region pairs)"]


def check_grain_balance(state) -> list[str]:
    """The calendar year's grain balance closes (to date) in every run."""
    g = state.domains.get("grain")
    if g is None or getattr(g, "balance", None) is None:
        return []
    residual = balance_variables(g.balance, g.stock)["grain_balance_residual_mt"]
    scale = 1.0 + np.abs(g.balance.harvest_mt) + np.abs(g.stock)
    bad = np.flatnonzero(np.abs(residual) > BALANCE_TOLERANCE_MT * scale)
    if not len(bad):
        return []
    return [f"grain balance: run {bad[0]}: residual {residual[bad[0]]:.6g} million t "
            f"({len(bad)} runs)"]


def check(state) -> list[str]:
    """All cross-domain invariants that apply to the domains present."""
    return check_land(state) + check_grain_balance(state)


def validate(state, invariants: bool = True) -> list[str]:
    """Every problem of a state: its arrays (shapes, finite, non-negative) and, unless
    ``invariants=False`` (a test stepping one mechanism alone), the cross-domain invariants."""
    problems = check_arrays(state)
    return problems + check(state) if invariants else problems
