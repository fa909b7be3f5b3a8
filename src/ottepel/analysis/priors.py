"""Priors of the model parameters: shapes, sampling and the unit-cube transform.

Every parameter is declared with ``param(default, lo, hi, unit, source, prior)``; its
prior is ``uniform`` or ``loguniform`` on [lo, hi]. Calibration and sensitivity work
in the unit cube: a point ``u`` in [0, 1] maps to the parameter's value by the prior's
quantile function, so a uniform draw of ``u`` is a draw from the prior, and Morris and
Sobol designs (which SALib builds on [0, 1]) cover the prior evenly.

- uniform: ``value = lo + u (hi - lo)``;
- loguniform: ``value = lo (hi / lo) ** u`` (needs ``lo > 0``), for scale parameters
  whose range spans an order of magnitude or more.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PRIOR_SHAPES = ("uniform", "loguniform")


@dataclass(frozen=True)
class Prior:
    """The prior of one parameter.

    Attributes:
        path: ``group.name``.
        lo, hi: support (the declared range).
        shape: ``uniform`` or ``loguniform``.
        default: the declared default.
        unit: physical unit.
    """

    path: str
    lo: float
    hi: float
    shape: str = "uniform"
    default: float = float("nan")
    unit: str = ""

    def __post_init__(self) -> None:
        if self.shape not in PRIOR_SHAPES:
            raise ValueError(f"{self.path}: prior {self.shape!r} not in {PRIOR_SHAPES}")
        if not self.lo < self.hi:
            raise ValueError(f"{self.path}: prior needs lo < hi, got [{self.lo}, {self.hi}]")
        if self.shape == "loguniform" and self.lo <= 0:
            raise ValueError(f"{self.path}: a loguniform prior needs lo > 0, got {self.lo}")

    def from_unit(self, u: np.ndarray | float) -> np.ndarray:
        """Parameter values at unit-cube coordinates ``u`` (the prior's quantile function)."""
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        if self.shape == "loguniform":
            return self.lo * (self.hi / self.lo) ** u
        return self.lo + u * (self.hi - self.lo)

    def to_unit(self, value: np.ndarray | float) -> np.ndarray:
        """Unit-cube coordinates of parameter values (the prior's CDF)."""
        v = np.asarray(value, dtype=float)
        if self.shape == "loguniform":
            return np.log(v / self.lo) / np.log(self.hi / self.lo)
        return (v - self.lo) / (self.hi - self.lo)

    def pdf(self, value: np.ndarray | float) -> np.ndarray:
        """Prior density at ``value`` (zero outside [lo, hi])."""
        v = np.asarray(value, dtype=float)
        inside = (v >= self.lo) & (v <= self.hi)
        if self.shape == "loguniform":
            dens = 1.0 / (np.where(inside, v, 1.0) * np.log(self.hi / self.lo))
        else:
            dens = np.full(v.shape, 1.0 / (self.hi - self.lo))
        return np.where(inside, dens, 0.0)

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` draws from the prior."""
        return self.from_unit(rng.uniform(size=n))


def all_priors(batchable_only: bool = False) -> dict[str, Prior]:
    """The prior of every declared parameter, keyed by ``group.name``.

    Args:
        batchable_only: only parameters of groups that accept a run axis (``RUN_AXIS``).
    """
    from ottepel.core.catalog import parameter_table

    return {
        r["path"]: Prior(r["path"], float(r["lo"]), float(r["hi"]), r["prior"] or "uniform",
                         float(r["default"]), r["unit"] or "")
        for r in parameter_table() if r["run_axis"] or not batchable_only
    }


def priors_for(paths: list[str]) -> list[Prior]:
    """Priors of the named parameters, in order.

    Raises:
        KeyError: a path that names no parameter (the message lists a few that exist).
    """
    table = all_priors()
    missing = [p for p in paths if p not in table]
    if missing:
        raise KeyError(f"unknown parameters {missing}; e.g. {', '.join(list(table)[:5])}")
    return [table[p] for p in paths]


def from_unit(priors: list[Prior], unit: np.ndarray) -> np.ndarray:
    """Map an (n, k) unit-cube design to (n, k) parameter values."""
    unit = np.atleast_2d(unit)
    return np.column_stack([p.from_unit(unit[:, j]) for j, p in enumerate(priors)])


def sample_priors(priors: list[Prior], n: int, seed: int) -> np.ndarray:
    """(n, k) independent draws from the priors (numpy Generator keyed on ``seed``)."""
    rng = np.random.default_rng(seed)
    return from_unit(priors, rng.uniform(size=(n, len(priors))))
