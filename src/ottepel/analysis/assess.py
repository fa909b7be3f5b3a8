"""How much did each policy matter? Paired runs with and without the era's major policies.

For each policy of ``data/policies.toml`` (Virgin Lands, maize, housing, the regional
councils, destalinisation, the Seven-Year Plan, the 1962 price rise, Cuba) the
historical scenario is run next to a counterfactual without the policy, on the same runs
and seed, so both see the same weather and luck. The effect of the policy in run k is

    effect_k = outcome_k(with the policy) - outcome_k(without it)

and the assessment reports its median over runs, the 5th-95th percentile range across
runs ("90% interval": where the effect fell in 90% of the simulated histories) and the
share of runs in which the policy raised the outcome. The leader's survival is a yes/no
per run; for it the report gives the share of runs in which the sponsor was still First
Secretary at the end with and without the policy, and a 90% bootstrap interval of the
difference of those shares (paired resampling of runs).

Outcomes (also data in ``policies.toml``): grain (mean harvest 1954-64), living
standards (whichever of the real wage, living-standard, consumer-goods and living-space
outputs the model has), bloc stability, and the sponsor's survival (politics domain: still
First Secretary at the end, and months as First Secretary).
"""

from __future__ import annotations

import html
import json
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ottepel.analysis import politics_view
from ottepel.analysis.compare import HIGH_Q, LOW_Q, Comparison, html_page, write_html
from ottepel.core import mechanisms
from ottepel.core.scenario import Scenario, ScenarioError, load_scenario, packaged_scenarios
from ottepel.ensemble.results import Result
from ottepel.ensemble.simulate import simulate

BASE = "khrushchev-1953"
BOOTSTRAP_DRAWS = 2000
# An effect is "clear" when its 90% interval excludes zero and it is not negligible:
# at least this fraction of the outcome's level (numerical noise and trifles are not news).
NEGLIGIBLE = 1e-3


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


def _leader_code(name: str) -> float | None:
    """Code of a leader in the ``first_secretary`` output (politics domain), if known."""
    if not any(m.NAME == "politics" for m in mechanisms.ORDER):
        return None
    idx = politics_view.leader_index(name)
    return None if idx is None else float(idx)


def months_in_office(result: Result, leader: str, metric: Metric) -> pd.Series | None:
    """Months each run's ``leader`` was First Secretary within the metric's years."""
    if metric.var not in result.national:
        return None
    code = _leader_code(leader)
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
    code = _leader_code(leader)
    if code is None:
        return None
    last = result.national[var].isel(month=-1).values
    return pd.Series((last == code).astype(float), index=result.national["run"].values)


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
        elif m.kind in ("survival", "tenure") and _leader_code("Khrushchev") is None:
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


# ---- words ------------------------------------------------------------------------------

UNIT_WORDS = {"million t": "mn t", "m2 total area per person": "m2 per person",
              "1953 = 100": "points", "1953-03 = 100": "points", "0..1": "points on a 0-1 scale"}
COLUMN_UNITS = {**UNIT_WORDS, "0..1": "0-1"}


def num(x: float) -> str:
    """A number for a sentence: 2 significant decimals when small, one otherwise."""
    if not np.isfinite(x):
        return "n/a"
    ax = abs(x)
    if ax < 5e-4:
        return "0"
    return f"{x:,.3f}" if ax < 0.1 else f"{x:,.2f}" if ax < 10 else f"{x:,.1f}"


def pts(share: float) -> str:
    """A difference of shares in signed percentage points ("+4", "-2", "+0")."""
    v = int(round(100 * share))
    return f"{v:+d}"


def _span(m: Metric) -> str:
    return f"in {m.end}" if m.stat == "end" or m.start == m.end else f"on average over {m.start}-{m.end}"


def effect_sentence(pol: Policy, m: Metric, e: Effect) -> str:
    """One plain-language sentence on what the era would have looked like without a policy."""
    if m.kind == "survival":
        return (f"With {pol.title}, {pol.sponsor} was still First Secretary at the end in "
                f"{e.with_value:.0%} of the simulated histories; without it, in "
                f"{e.without_value:.0%} ({pts(e.median)} points, 90% interval {pts(e.q05)} "
                f"to {pts(e.q95)}).")
    unit = UNIT_WORDS.get(e.unit, e.unit)
    what = f"the {m.label} {_span(m)}"
    if m.kind == "tenure":
        what = f"{pol.sponsor}'s time as First Secretary ({m.start}-{m.end})"
    if direction(e):
        word = "lower" if e.median > 0 else "higher"
        lo, hi = sorted((abs(e.q05), abs(e.q95)))
        return (f"Without {pol.title}, {what} would have been {num(abs(e.median))} {unit} {word} "
                f"(90% interval {num(lo)} to {num(hi)}; {word} in "
                f"{(e.share_positive if e.median > 0 else 1 - e.share_positive):.0%} of runs).")
    if e.q05 > 0 or e.q95 < 0:
        return (f"Without {pol.title}, {what} would have been practically the same: the "
                f"difference, {num(-e.median)} {unit} (90% interval {num(-e.q95)} to "
                f"{num(-e.q05)}), is below 0.1% of its level.")
    text = (f"Without {pol.title}, {what} would not have been clearly different: the median "
            f"difference is {num(-e.median)} {unit} and the 90% interval runs from "
            f"{num(-e.q95)} to {num(-e.q05)}.")
    return text + average_clause(e, unit)


def average_clause(e: Effect, unit: str) -> str:
    """" On average over runs ..." when the mean effect is clearly away from zero."""
    if not np.isfinite(e.mean) or not (e.mean_q05 > 0 or e.mean_q95 < 0):
        return ""
    word = "lower" if e.mean > 0 else "higher"
    lo, hi = sorted((abs(e.mean_q05), abs(e.mean_q95)))
    return (f" On average over the runs, though, it would have been {num(abs(e.mean))} {unit} "
            f"{word} (90% interval of the average {num(lo)} to {num(hi)}).")


def headline_sentence(pol: Policy, cmp: Comparison, var: str = "grain_harvest_mt") -> str | None:
    """The policy's effect on the harvest of its headline year, in words."""
    d = cmp.diff(var)
    if pol.headline_year not in d.columns:
        return None
    x = d[pol.headline_year].dropna()
    med, lo, hi = x.median(), x.quantile(LOW_Q), x.quantile(HIGH_Q)
    level = abs(cmp.b.annual(var)[pol.headline_year].median())
    if (lo > 0 or hi < 0) and abs(med) > NEGLIGIBLE * level:
        word = "lower" if med > 0 else "higher"
        a, b = sorted((abs(lo), abs(hi)))
        return (f"Without {pol.title}, the {pol.headline_year} harvest would have been "
                f"{num(abs(med))} mn t {word} (90% interval {num(a)} to {num(b)}).")
    if max(abs(lo), abs(hi)) <= NEGLIGIBLE * level:
        return None
    return (f"Without {pol.title}, the {pol.headline_year} harvest would not have been clearly "
            f"different (median difference {num(-med)} mn t, 90% interval {num(-hi)} to "
            f"{num(-lo)}).")


def verdict(pol: Policy, a: Assessment) -> str:
    """A one-line summary: which outcomes the policy clearly raised or lowered."""
    up, down = [], []
    for m in a.metrics:
        e = a.effect(pol.id, m.id)
        if e is None:
            continue
        if direction(e) > 0:
            up.append(m.label)
        elif direction(e) < 0:
            down.append(m.label)
    parts = []
    if up:
        parts.append("raised " + ", ".join(up))
    if down:
        parts.append("lowered " + ", ".join(down))
    body = "; ".join(parts) if parts else "made no clear difference to any outcome measured"
    return f"In the model, {pol.title} {body}."


def policy_sentences(pol: Policy, a: Assessment) -> list[str]:
    """All sentences on one policy: verdict, headline harvest, then each outcome."""
    out = [verdict(pol, a)]
    cmp = a.comparisons.get(pol.id)
    if cmp is not None and "grain_harvest_mt" in cmp.a.national:
        h = headline_sentence(pol, cmp)
        if h:
            out.append(h)
    none = []
    for m in a.metrics:
        e = a.effect(pol.id, m.id)
        if e is None:
            continue
        if noticeable(e):
            out.append(effect_sentence(pol, m, e))
        else:
            none.append(m.label)
    if none:
        out.append(f"No noticeable effect (below 0.1% of the level in at least 90% of the runs) "
                   f"on: {', '.join(none)}.")
    return out


# ---- tables and report ------------------------------------------------------------------

def cell(e: Effect | None) -> str:
    """"median [q05, q95]" of an effect (percentage points for survival)."""
    if e is None:
        return ""
    if e.unit == "share of runs":
        return f"{pts(e.median)} pts [{pts(e.q05)}, {pts(e.q95)}]"
    return f"{num(e.median)} [{num(e.q05)}, {num(e.q95)}]"


def mean_cell(e: Effect | None) -> str:
    """"mean [90% interval of the mean]" of an effect."""
    if e is None:
        return ""
    if e.unit == "share of runs":
        return cell(e)
    return f"{num(e.mean)} [{num(e.mean_q05)}, {num(e.mean_q95)}]"


def wide_table(a: Assessment, group: str | None = None, average: bool = False) -> pd.DataFrame:
    """Policies x outcomes (of one group, or all): effect "median [5%, 95%]" across runs,
    or with ``average`` the mean effect and the 90% bootstrap interval of the mean."""
    rows = []
    metrics = [m for m in a.metrics if group is None or m.group == group]
    fmt = mean_cell if average else cell
    for pol in a.policies:
        row = {"policy": pol.short}
        for m in metrics:
            row[_column(m, a)] = fmt(a.effect(pol.id, m.id))
        rows.append(row)
    return pd.DataFrame(rows)


def groups(a: Assessment) -> list[str]:
    """The outcome groups measured, in the order of policies.toml."""
    return list(dict.fromkeys(m.group for m in a.metrics))


def _column(m: Metric, a: Assessment) -> str:
    if m.kind == "survival":
        return f"{m.label} (pts)"
    if m.kind == "tenure":
        return f"{m.label}, {m.start}-{str(m.end)[2:]} (months)"
    raw = a.base.national[m.var].attrs.get("units", "")
    unit = COLUMN_UNITS.get(raw, raw)
    span = str(m.end) if m.stat == "end" else f"{m.start}-{str(m.end)[2:]} mean"
    return f"{m.label}, {span} ({unit})"


def effects_figure(a: Assessment, m: Metric):
    """Dot-and-whisker chart of every policy's effect on one outcome."""
    import plotly.graph_objects as go

    rows = [(p.short, a.effect(p.id, m.id)) for p in a.policies]
    rows = [(s, e) for s, e in rows if e is not None]
    scale = 100 if m.kind == "survival" else 1
    fig = go.Figure(go.Scatter(
        x=[scale * e.median for _, e in rows], y=[s for s, _ in rows], mode="markers",
        marker=dict(size=10, color="firebrick"),
        error_x=dict(type="data", symmetric=False,
                     array=[scale * (e.q95 - e.median) for _, e in rows],
                     arrayminus=[scale * (e.median - e.q05) for _, e in rows])))
    fig.add_vline(x=0, line=dict(color="black", width=1, dash="dot"))
    fig.update_layout(title=f"Effect on {_column(m, a)}: with minus without",
                      height=80 + 40 * len(rows), margin=dict(l=180, r=10, t=40, b=30))
    return fig


METHOD = (
    "Each policy is measured by running the historical scenario {runs} times next to a "
    "scenario without that policy, with the same seed {seed}: run k with the policy and run k "
    "without it see the same weather and the same luck, so their difference is the policy's "
    "effect in that simulated history. The tables give the median effect (with minus without) "
    "and, in brackets, the range that held in 90% of the simulated histories (5th to 95th "
    "percentile across runs). An effect is called clear when that range does not include zero. "
    "The second table of each group gives the average effect over runs and the 90% bootstrap "
    "interval of that average (how well the runs pin the average down). "
    "For the leader's survival the numbers are the difference, in percentage points, between "
    "the share of runs in which the policy's sponsor was still First Secretary at the end with "
    "and without the policy, with a 90% bootstrap interval."
)


def assessment_section(a: Assessment) -> tuple[str, str]:
    """The assessment as an HTML report section a student can read: (title, html)."""
    parts = [f"<p class='lead'>{html.escape(METHOD.format(runs=a.runs, seed=a.seed))}</p>",
             ]
    for g in groups(a):
        parts.append(f"<h3>Effect on {html.escape(g)} (with minus without)</h3>"
                     "<p>Across runs: median [range in 90% of the simulated histories]</p>"
                     + wide_table(a, g).to_html(index=False, border=0, classes="tbl")
                     + "<p>On average: mean [90% interval of the mean]</p>"
                     + wide_table(a, g, average=True).to_html(index=False, border=0, classes="tbl"))
    for pol in a.policies:
        items = "".join(f"<li>{html.escape(s)}</li>" for s in policy_sentences(pol, a))
        parts.append(f"<h3>{html.escape(pol.short)}</h3><ul>{items}</ul>"
                     f"<p><small>Counterfactual: {html.escape(a.notes.get(pol.id, ''))}. "
                     f"Decisions: {html.escape(pol.source)}</small></p>")
    skipped = {k: v for k, v in a.notes.items() if v.startswith(("skipped", "left out"))}
    if skipped:
        items = "".join(f"<li>{html.escape(k)}: {html.escape(v)}</li>" for k, v in skipped.items())
        parts.append(f"<h3>Not measured</h3><ul>{items}</ul>")
    for m in a.metrics:
        parts.append(effects_figure(a, m).to_html(full_html=False, include_plotlyjs=False))
    return "How successful were Khrushchev's policies? Paired runs with and without each", "\n".join(parts)


def write_assessment(a: Assessment, path: str | Path) -> Path:
    """Write the assessment as an offline HTML page (atomically)."""
    title, body = assessment_section(a)
    return write_html(html_page(f"ottepel: {title}", [body]), path)
