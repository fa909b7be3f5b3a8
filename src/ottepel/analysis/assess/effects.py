"""The paired assessment: effects (with minus without, per run), their intervals and
whether they are noticeable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ottepel.analysis.assess.policies import (
    BASE,
    Metric,
    Policy,
    counterfactual_for,
    in_office_at_end,
    leader_code,
    load_policies,
    metric_per_run,
    months_in_office,
)
from ottepel.analysis.compare import HIGH_Q, LOW_Q, Comparison
from ottepel.core.scenario import load_scenario, packaged_scenarios
from ottepel.ensemble.results import Result
from ottepel.ensemble.simulate import simulate

BOOTSTRAP_DRAWS = 2000
# An effect is "clear" when its 90% interval excludes zero and it is not negligible:
# at least this fraction of the outcome's level (numerical noise and trifles are not news).
NEGLIGIBLE = 1e-3


# ---- the assessment ---------------------------------------------------------------------

@dataclass
class Effect:
    """The effect of one policy on one outcome (with minus without, per run).

    For a survival outcome ``median`` is the difference of shares and ``q05``/``q95`` its
    90% bootstrap interval; ``with_value``/``without_value`` are the shares.
    """

    policy: str
    metric: str
    median: float
    q05: float
    q95: float
    share_positive: float
    with_value: float
    without_value: float
    unit: str
    mean: float = np.nan
    mean_q05: float = np.nan
    mean_q95: float = np.nan


def mean_interval(d: np.ndarray, seed: int) -> tuple[float, float, float]:
    """Mean of paired differences and its 90% paired-bootstrap interval (resampling runs)."""
    d = np.asarray(d, dtype=float)
    d = d[np.isfinite(d)]
    if not len(d):
        return np.nan, np.nan, np.nan
    gen = np.random.default_rng([seed, 6])  # explicit generator: analysis only, not the model
    boot = d[gen.integers(0, len(d), size=(BOOTSTRAP_DRAWS, len(d)))].mean(axis=1)
    return float(d.mean()), float(np.quantile(boot, LOW_Q)), float(np.quantile(boot, HIGH_Q))


def continuous_effect(policy: Policy, metric: Metric, with_: pd.Series,
                      without: pd.Series, unit: str, seed: int = 0) -> Effect:
    """Per-run paired effect of a policy on a continuous outcome (and its mean)."""
    d = (with_ - without).dropna()
    return Effect(policy.id, metric.id, float(d.median()), float(d.quantile(LOW_Q)),
                  float(d.quantile(HIGH_Q)), float((d > 0).mean()), float(with_.median()),
                  float(without.median()), unit, *mean_interval(d.to_numpy(), seed))


def survival_effect(policy: Policy, metric: Metric, with_: pd.Series, without: pd.Series,
                    seed: int) -> Effect:
    """Difference in the share of runs the sponsor survives, with a paired bootstrap interval."""
    d = (with_ - without).to_numpy()
    mean, lo, hi = mean_interval(d, seed)
    return Effect(policy.id, metric.id, mean, lo, hi, float((d > 0).mean()),
                  float(with_.mean()), float(without.mean()), "share of runs", mean, lo, hi)


@dataclass
class Assessment:
    """Effects of every assessed policy on every available outcome.

    Attributes:
        base: the historical ensemble (with all policies).
        runs, seed: ensemble size and shared seed.
        policies: the policies assessed (skipped ones excluded).
        metrics: the outcomes measured (those the model has).
        effects: one Effect per (policy, metric).
        comparisons: policy id -> Comparison (a = without, b = with).
        notes: policy or metric id -> how it was handled (or why it was skipped).
    """

    base: Result
    runs: int
    seed: int
    policies: list[Policy]
    metrics: list[Metric]
    effects: list[Effect] = field(default_factory=list)
    comparisons: dict[str, Comparison] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def effect(self, policy: str, metric: str) -> Effect | None:
        """The effect of a policy on an outcome, if measured."""
        return next((e for e in self.effects if e.policy == policy and e.metric == metric), None)

    def table(self) -> pd.DataFrame:
        """Long table: one row per (policy, outcome) with the effect and its interval."""
        return pd.DataFrame([e.__dict__ for e in self.effects])


def _available(metrics: list[Metric], base: Result, notes: dict[str, str]) -> list[Metric]:
    out = []
    for m in metrics:
        if m.var not in base.national:
            notes[m.id] = f"left out: the model has no output {m.var!r} yet"
        elif m.kind in ("survival", "tenure") and leader_code("Khrushchev") is None:
            notes[m.id] = "left out: the politics domain does not say who leads"
        else:
            out.append(m)
    return out


def assess(runs: int = 200, seed: int = 0, base: str | Path = BASE,
           policies: list[str] | None = None, chunk_size: int = 1000,
           progress: Callable[[int], None] | None = None,
           on_note: Callable[[str, str], None] | None = None) -> Assessment:
    """Run the paired assessment of the era's policies.

    Args:
        runs: runs per scenario.
        seed: shared ensemble seed.
        base: the scenario with all policies (packaged name or TOML path).
        policies: ids to assess (default: all in policies.toml).
        chunk_size: runs stepped together.
        progress: callback receiving runs just completed.
        on_note: callback (policy id, note) as each policy is set up.

    Raises:
        ScenarioError: the base scenario does not exist or is invalid.
        ValueError: an unknown policy id.
    """
    all_policies, all_metrics = load_policies()
    chosen = _choose(all_policies, policies)
    base_sc = load_scenario(base)
    base_ref = str(base) if str(base) in packaged_scenarios() else str(Path(base).resolve())
    with_res = simulate(base_sc, runs=runs, seed=seed, chunk_size=chunk_size, progress=progress)
    out = Assessment(with_res, runs, seed, [], [])
    out.metrics = _available(all_metrics, with_res, out.notes)
    for pol in chosen:
        sc, note = counterfactual_for(pol, base_sc, base_ref)
        out.notes[pol.id] = note
        if on_note:
            on_note(pol.id, note)
        if sc is None:
            continue
        without = simulate(sc, runs=runs, seed=seed, chunk_size=chunk_size, progress=progress)
        out.policies.append(pol)
        out.comparisons[pol.id] = Comparison(without, with_res, runs, seed)
        out.effects += _effects(pol, out.metrics, with_res, without, seed)
    return out


def _choose(all_policies: list[Policy], ids: list[str] | None) -> list[Policy]:
    if not ids:
        return all_policies
    known = {p.id: p for p in all_policies}
    bad = [i for i in ids if i not in known]
    if bad:
        raise ValueError(f"unknown policies {bad}; allowed: {', '.join(known)}")
    return [known[i] for i in ids]


def _effects(pol: Policy, metrics: list[Metric], with_res: Result, without: Result,
             seed: int) -> list[Effect]:
    effects = []
    for m in metrics:
        if m.kind == "survival":
            a, b = in_office_at_end(with_res, pol.sponsor), in_office_at_end(without, pol.sponsor)
            if a is not None and b is not None:
                effects.append(survival_effect(pol, m, a, b, seed))
            continue
        if m.kind == "tenure":
            a, b = (months_in_office(with_res, pol.sponsor, m),
                    months_in_office(without, pol.sponsor, m))
        else:
            a, b = metric_per_run(with_res, m), metric_per_run(without, m)
        if a is not None and b is not None:
            unit = "months" if m.kind == "tenure" else with_res.national[m.var].attrs.get("units", "")
            effects.append(continuous_effect(pol, m, a, b, unit, seed))
    return effects


def _floor(e: Effect) -> float:
    """Effects smaller than this are negligible (0 for shares of runs)."""
    if e.unit == "share of runs":
        return 0.0
    return NEGLIGIBLE * max(abs(e.with_value), abs(e.without_value))


def noticeable(e: Effect) -> bool:
    """False when the effect is negligible in at least 90% of the runs."""
    return max(abs(e.q05), abs(e.q95)) > _floor(e)


def direction(e: Effect) -> int:
    """+1 if the policy clearly raised the outcome, -1 if clearly lowered it, else 0."""
    floor = _floor(e)
    if e.q05 > 0 and e.median > floor:
        return 1
    if e.q95 < 0 and e.median < -floor:
        return -1
    return 0
