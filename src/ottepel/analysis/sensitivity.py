"""Global sensitivity analysis: Morris screening and Sobol indices (SALib).

Designs live in the unit cube (see :mod:`ottepel.analysis.priors`): SALib builds them on
[0, 1]^k and each column is mapped through its parameter's prior quantile function,
so the analysis covers the priors. Every design point is one run of one vectorised
ensemble (:func:`ottepel.ensemble.batch.run_batch`); ``replicates`` runs per point use the run
keys 0..R-1 for every point (common random numbers), and the outputs are averaged over
them, so the indices measure the parameters' effect on the expected output and the
weather and noise do not masquerade as parameter effects.

Key outputs (:func:`key_outputs`): the mean grain harvest 1953-1964, the 1963 harvest,
meat production 1962 and, when the politics domain provides ``first_secretary``,
Khrushchev's survival (in office in the last month; a probability once averaged
over replicates) and his months as First Secretary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ottepel.analysis.priors import Prior, from_unit
from ottepel.core.scenario import Scenario
from ottepel.ensemble.batch import december_index, run_batch

SURVIVAL_VAR = "first_secretary"


@dataclass(frozen=True)
class Output:
    """One scalar output per run.

    Attributes:
        name: output name.
        description: what it measures, with its unit.
        variable: the national variable it reads.
        how: ``mean`` (over ``months``), ``value`` (at ``months[0]``), ``equals_last``
            (1 if the value in the last month equals ``target``), ``count_equal``
            (months equal to ``target``).
        months: month indices it reads.
        target: the value compared with (a leader id).
    """

    name: str
    description: str
    variable: str
    how: str
    months: tuple[int, ...] = ()
    target: float = float("nan")

    def __call__(self, national: dict[str, np.ndarray]) -> np.ndarray:
        """(runs,) values."""
        x = national[self.variable]
        if self.how == "mean":
            return np.nanmean(x[:, list(self.months)], axis=1)
        if self.how == "value":
            return x[:, self.months[0]]
        if self.how == "equals_last":
            return (x[:, -1] == self.target).astype(float)
        if self.how == "count_equal":
            return (x == self.target).sum(axis=1).astype(float)
        raise ValueError(f"unknown output kind {self.how!r}")


@dataclass(frozen=True)
class Outputs:
    """Reducer: several outputs -> (runs, outputs)."""

    outputs: tuple[Output, ...] = field(default_factory=tuple)

    def __call__(self, national: dict[str, np.ndarray]) -> np.ndarray:
        """(runs, outputs) values."""
        return np.column_stack([o(national) for o in self.outputs])


def khrushchev_id() -> float | None:
    """Khrushchev's leader id from ``data/leaders.csv``, or None if there is no such file."""
    from importlib import resources

    path = resources.files("ottepel").joinpath("data/leaders.csv")
    if not path.is_file():
        return None
    with resources.as_file(path) as p:
        df = pd.read_csv(p)
    name_col = next((c for c in df.columns if c.lower() in ("name", "leader", "surname")), None)
    if name_col is None:
        return None
    hits = df.index[df[name_col].astype(str).str.contains("Khrushchev")]
    if not len(hits):
        return None
    id_col = next((c for c in df.columns if c.lower() in ("id", "leader_id", "index")), None)
    if id_col is not None and pd.api.types.is_numeric_dtype(df[id_col]):
        return float(df.loc[hits[0], id_col])
    return float(hits[0])  # the row position is the id


def key_outputs(scenario: Scenario, note: Callable[[str], None] = print) -> list[Output]:
    """The key outputs this scenario can produce (missing ones are skipped with a note)."""
    from ottepel.core.catalog import national_catalog

    cat = national_catalog()
    dec = december_index(scenario)
    out = []
    if "grain_harvest_mt" in cat:
        years = [dec[y] for y in range(1953, 1965) if y in dec]
        out.append(Output("grain_mean_1953_64", "grain harvest, mean 1953-1964, million t",
                          "grain_harvest_mt", "mean", tuple(years)))
        if 1963 in dec:
            out.append(Output("grain_1963", "grain harvest 1963, million t", "grain_harvest_mt",
                              "value", (dec[1963],)))
    if "meat_production_mt" in cat and 1962 in dec:
        out.append(Output("meat_1962", "meat production 1962, million t", "meat_production_mt",
                          "value", (dec[1962],)))
    if SURVIVAL_VAR not in cat:
        note(f"note: no national variable {SURVIVAL_VAR!r} (no politics domain yet): "
             "Khrushchev's survival is skipped")
        return out
    kid = khrushchev_id()
    if kid is None:
        note("note: data/leaders.csv has no Khrushchev row: his survival is skipped")
        return out
    out.append(Output("khrushchev_survival", "Khrushchev First Secretary in the last month "
                      "(probability)", SURVIVAL_VAR, "equals_last", target=kid))
    out.append(Output("khrushchev_months", "months Khrushchev held the office",
                      SURVIVAL_VAR, "count_equal", target=kid))
    return out


def evaluate_design(scenario: Scenario, priors: list[Prior], unit: np.ndarray,
                    reducer: Callable, replicates: int = 2, seed: int = 0, client=None,
                    chunk_size: int = 1000, progress=None) -> np.ndarray:
    """Outputs at each unit-cube design point, averaged over ``replicates`` runs.

    Returns:
        (points, outputs) array.
    """
    unit = np.atleast_2d(unit)
    values = np.repeat(from_unit(priors, unit), replicates, axis=0)
    keys = np.tile(np.arange(replicates, dtype=np.int64), len(unit))
    out = run_batch(scenario, [p.path for p in priors], values, keys, seed, reducer,
                    chunk_size=chunk_size, client=client, progress=progress)
    out = out.reshape(len(unit), replicates, -1)
    with np.errstate(invalid="ignore"):
        return np.nanmean(out, axis=1)


def morris(evaluate: Callable[[np.ndarray], np.ndarray], names: list[str],
           output_names: list[str], trajectories: int = 10, levels: int = 4,
           seed: int = 0) -> pd.DataFrame:
    """Morris elementary effects (SALib) of each parameter on each output.

    Args:
        evaluate: ``unit design (n, k) -> outputs (n, m)``.
        names: k parameter names.
        output_names: m output names.
        trajectories: Morris trajectories r (cost r (k + 1) points).
        levels: grid levels p.
        seed: design seed.

    Returns:
        Long table: output, parameter, mu_star, mu_star_conf, sigma, mu_star_rel
        (mu_star over the largest mu_star of that output).
    """
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    x = morris_sample.sample(problem, N=trajectories, num_levels=levels, seed=seed)
    y = evaluate(x)
    rows = []
    for j, out in enumerate(output_names):
        yj = _finite(y[:, j])
        res = morris_analyze.analyze(problem, x, yj, num_levels=levels, seed=seed)
        top = max(float(np.nanmax(res["mu_star"])), 1e-300)
        for i, name in enumerate(names):
            rows.append({"output": out, "parameter": name, "mu_star": float(res["mu_star"][i]),
                         "mu_star_conf": float(res["mu_star_conf"][i]),
                         "sigma": float(res["sigma"][i]),
                         "mu_star_rel": float(res["mu_star"][i]) / top})
    return pd.DataFrame(rows)


def sobol(evaluate: Callable[[np.ndarray], np.ndarray], names: list[str],
          output_names: list[str], base_samples: int = 256, seed: int = 0) -> pd.DataFrame:
    """First-order and total Sobol indices (Saltelli design, SALib).

    Cost: ``base_samples * (k + 2)`` design points.

    Returns:
        Long table: output, parameter, S1, S1_conf, ST, ST_conf.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    x = sobol_sample.sample(problem, base_samples, calc_second_order=False, seed=seed)
    y = evaluate(x)
    rows = []
    for j, out in enumerate(output_names):
        yj = _finite(y[:, j])
        if np.nanstd(yj) == 0:
            res = {k: np.zeros(len(names)) for k in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            res = sobol_analyze.analyze(problem, yj, calc_second_order=False, seed=seed)
        for i, name in enumerate(names):
            rows.append({"output": out, "parameter": name, "S1": float(res["S1"][i]),
                         "S1_conf": float(res["S1_conf"][i]), "ST": float(res["ST"][i]),
                         "ST_conf": float(res["ST_conf"][i])})
    return pd.DataFrame(rows)


def _finite(y: np.ndarray) -> np.ndarray:
    """Replace non-finite outputs by the median of the finite ones (SALib needs finite)."""
    y = np.asarray(y, dtype=float).copy()
    bad = ~np.isfinite(y)
    if bad.all():
        return np.zeros_like(y)
    y[bad] = np.median(y[~bad])
    return y


def top_parameters(morris_table: pd.DataFrame, k: int) -> list[str]:
    """The k parameters with the largest relative mu* on any output."""
    score = morris_table.groupby("parameter")["mu_star_rel"].max()
    return list(score.sort_values(ascending=False).index[:k])


def drivers(sobol_table: pd.DataFrame, output: str, threshold: float = 0.05) -> list[str]:
    """Parameters whose total index on ``output`` is at least ``threshold``, largest first."""
    t = sobol_table[sobol_table["output"] == output].sort_values("ST", ascending=False)
    return list(t.loc[t["ST"] >= threshold, "parameter"])
