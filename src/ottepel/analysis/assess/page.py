"""The assessment as tables, figures and an HTML report section."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from ottepel.analysis.assess.effects import Assessment, Effect
from ottepel.analysis.assess.policies import Metric
from ottepel.analysis.assess.words import COLUMN_UNITS, num, policy_sentences, pts
from ottepel.analysis.compare import html_page, write_html

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
