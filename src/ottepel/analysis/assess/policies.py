"""The era's policies and outcomes (``data/policies.toml``), the counterfactual without
each policy, and the outcomes read per run."""

from __future__ import annotations

import json
import tempfile
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from ottepel.analysis import politics_view
from ottepel.core import mechanisms
from ottepel.core.scenario import Scenario, ScenarioError, load_scenario, packaged_scenarios
from ottepel.ensemble.results import Result

BASE = "khrushchev-1953"


@dataclass(frozen=True)
class Policy:
    """A policy of the era and the decisions that make it up (see policies.toml)."""

    id: str
    title: str
    short: str
    sponsor: str
    counterfactual: str
    headline_year: int
    remove: tuple[str, ...] = ()
    modify: tuple[dict, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Metric:
    """An outcome the policies are assessed on (see policies.toml)."""

    id: str
    group: str
    var: str
    label: str
    start: int
    end: int
    stat: str = "mean"
    kind: str = "continuous"


def load_policies() -> tuple[list[Policy], list[Metric]]:
    """The packaged policy list and outcome list."""
    text = resources.files("ottepel").joinpath("data/policies.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    policies = [Policy(p["id"], p["title"], p["short"], p["sponsor"], p["counterfactual"],
                       int(p["headline_year"]), tuple(p.get("remove", ())),
                       tuple(p.get("modify", ())), p.get("source", ""))
                for p in raw["policy"]]
    metrics = [Metric(m["id"], m["group"], m["var"], m["label"], int(m["from"]), int(m["to"]),
                      m.get("stat", "mean"), m.get("kind", "continuous"))
               for m in raw["metric"]]
    return policies, metrics


# ---- counterfactual scenarios -----------------------------------------------------------

def _toml_str(s: str) -> str:
    return json.dumps(s)  # a JSON string is a valid TOML basic string for these ids


def build_counterfactual(policy: Policy, base: Scenario, base_ref: str) -> tuple[Scenario | None, str]:
    """Build "base without the policy" by removing and modifying its decisions.

    Returns:
        The scenario (None if none of the policy's decisions exist in the base) and a note.
    """
    have = {d.id for d in base.decisions.schedule}
    remove = [i for i in policy.remove if i in have]
    modify = [m for m in policy.modify if m["id"] in have]
    missing = [i for i in policy.remove if i not in have] + [
        m["id"] for m in policy.modify if m["id"] not in have]
    if not remove and not modify:
        return None, (f"skipped: none of its decisions ({', '.join(policy.remove)}) are in "
                      f"{base.name} yet")
    lines = [f"inherits = {_toml_str(base_ref)}", f"name = {_toml_str('without-' + policy.id)}",
             f"title = {_toml_str('Without ' + policy.title)}",
             "remove = [" + ", ".join(_toml_str(i) for i in remove) + "]"]
    for m in modify:
        lines += ["[[modify]]"] + [f"{k} = {_toml_str(v) if isinstance(v, str) else v}"
                                   for k, v in m.items()]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"without-{policy.id}.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        sc = load_scenario(path)
    note = f"built from {base.name}: {len(remove)} decisions removed, {len(modify)} modified"
    if missing:
        note += f" (not in the base yet: {', '.join(missing)})"
    return sc, note


def counterfactual_for(policy: Policy, base: Scenario, base_ref: str) -> tuple[Scenario | None, str]:
    """The packaged counterfactual if it exists and the base is the historical scenario,
    otherwise one built from the policy's decision ids."""
    if base_ref == BASE and policy.counterfactual in packaged_scenarios():
        try:
            return load_scenario(policy.counterfactual), f"packaged {policy.counterfactual}.toml"
        except ScenarioError as exc:
            sc, note = build_counterfactual(policy, base, base_ref)
            return sc, f"{note} ({policy.counterfactual}.toml did not load: {exc})"
    return build_counterfactual(policy, base, base_ref)


# ---- outcomes ---------------------------------------------------------------------------

def metric_per_run(result: Result, metric: Metric) -> pd.Series | None:
    """A continuous outcome per run (mean or end value over the metric's years)."""
    if metric.var not in result.national:
        return None
    df = result.annual(metric.var)
    years = [y for y in df.columns if metric.start <= y <= metric.end]
    if not years:
        return None
    if metric.stat == "end":
        return df[years[-1]]
    return df[years].mean(axis=1)


def leader_code(name: str) -> float | None:
    """Code of a leader in the ``first_secretary`` output (politics domain), if known."""
    if not any(m.NAME == "politics" for m in mechanisms.ORDER):
        return None
    idx = politics_view.leader_index(name)
    return None if idx is None else float(idx)


def months_in_office(result: Result, leader: str, metric: Metric) -> pd.Series | None:
    """Months each run's ``leader`` was First Secretary within the metric's years."""
    if metric.var not in result.national:
        return None
    code = leader_code(leader)
    if code is None:
        return None
    da = result.national[metric.var]
    years = da["month"].dt.year
    held = (da == code) & (years >= metric.start) & (years <= metric.end)
    return pd.Series(held.sum("month").values.astype(float), index=da["run"].values)


def in_office_at_end(result: Result, leader: str, var: str = "first_secretary") -> pd.Series | None:
    """1.0 for runs where ``leader`` is First Secretary in the last month, else 0.0.

    Returns None when the model has no politics output to read it from.
    """
    if var not in result.national:
        return None
    code = leader_code(leader)
    if code is None:
        return None
    last = result.national[var].isel(month=-1).values
    return pd.Series((last == code).astype(float), index=result.national["run"].values)
