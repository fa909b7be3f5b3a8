"""Offline HTML report: fan charts of the ensemble against the historical record.

Plotly's JavaScript is embedded from the installed package (no internet needed). The
report is written atomically. Other modules contribute sections through ``SECTIONS``:
functions ``(result) -> (title, html)`` that return None when they do not apply.
"""

from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from ottepel.analysis.report_sections import SECTIONS, _table_html
from ottepel.ensemble.results import HISTORY_MAP, Result, grain_fit

CHART_VARS = [
    "grain_harvest_mt", "grain_harvest_reported_mt", "grain_sown_mha", "grain_procurement_mt", "virgin_lands_sown_mha",
    "maize_sown_mha", "meat_production_mt", "milk_production_mt", "pigs_mn_head",
    "grain_imports_mt", "housing_completed_mn_m2", "living_space_m2_per_capita",
    "population_mn", "urban_share", "industrial_output_index", "consumer_goods_index",
    "real_wage_index", "grievance", "gulag_population_mn", "bloc_stability", "china_relations",
    "us_tension",
]



def fan_figure(result: Result, var: str):
    """A Plotly fan chart (5-95 and 25-75 bands, median) with history markers."""
    import plotly.graph_objects as go

    df = result.annual(var)
    years = df.columns.to_numpy()
    q = df.quantile([0.05, 0.25, 0.5, 0.75, 0.95])
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=years, y=q.loc[0.95], line=dict(width=0), showlegend=False,
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=years, y=q.loc[0.05], fill="tonexty", line=dict(width=0),
                             fillcolor="rgba(178,34,34,0.15)", name="model 90% band"))
    fig.add_trace(go.Scatter(x=years, y=q.loc[0.75], line=dict(width=0), showlegend=False,
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=years, y=q.loc[0.25], fill="tonexty", line=dict(width=0),
                             fillcolor="rgba(178,34,34,0.3)", name="model 50% band"))
    fig.add_trace(go.Scatter(x=years, y=q.loc[0.5], line=dict(color="firebrick"),
                             name="model median"))
    summ = result.summary(var)
    if "history" in summ and summ["history"].notna().any():
        h = summ["history"].dropna()
        fig.add_trace(go.Scatter(x=h.index, y=h.values, mode="markers", name="historical record",
                                 marker=dict(color="black", size=8, symbol="diamond")))
    attrs = result.national[var].attrs
    fig.update_layout(title=f"{var} ({attrs.get('units', '')})", height=340,
                      margin=dict(l=40, r=10, t=40, b=30), legend=dict(orientation="h"))
    return fig


def year_table(result: Result, variables: list[str]) -> pd.DataFrame:
    """Median [5%, 95%] and history by year for several variables (long form)."""
    rows = []
    for var in variables:
        if var not in result.national:
            continue
        s = result.summary(var)
        for year, r in s.iterrows():
            rows.append({"variable": var, "year": year, "median": r["median"], "q05": r["q05"],
                         "q95": r["q95"], "history": r.get("history", np.nan)})
    return pd.DataFrame(rows)


def grain_section(result: Result) -> tuple[str, str]:
    """The grain harvest against the official series, year by year."""
    fit = grain_fit(result).reset_index(names="year")
    n_ok = int(fit["within"].sum())
    text = (f"<p>Ensemble median of the grain harvest (bunker weight) within 15% of the "
            f"official figure in <b>{n_ok} of {len(fit)}</b> years 1953-1964. Inputs: the "
            f"weather index and the decision schedule only.</p>")
    return "Grain harvest against the official record", text + _table_html(fit)


def events_section(result: Result) -> tuple[str, str] | None:
    """How often each event kind happened, by year."""
    ev = result.events
    if ev.empty:
        return None
    n_runs = result.national.sizes["run"]
    ev = ev.assign(year=pd.to_datetime(ev["month"]).dt.year)
    share = ev.groupby(["kind", "year"])["run"].nunique().unstack(fill_value=0) / n_runs
    return "Events: share of runs in which each kind occurred, by year", share.round(2).to_html(
        border=0, classes="tbl")


def write_report(result: Result, path: str | Path, title: str | None = None) -> Path:
    """Write the HTML report atomically and return its path."""
    from plotly.offline import get_plotlyjs


    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n_runs = result.national.sizes["run"]
    title = title or f"ottepel: {result.scenario} ({n_runs} runs, seed {result.seed})"
    parts = [f"<h1>{html.escape(title)}</h1>",
             "<p>Model: ensemble median with 50% and 90% bands; black diamonds: the historical "
             "record (official series unless noted). Annual values are shown at their year.</p>"]
    for fn in [grain_section, *SECTIONS, events_section]:
        out = fn(result)
        if out:
            parts.append(f"<h2>{html.escape(out[0])}</h2>{out[1]}")
    parts.append("<h2>Charts</h2><div class='grid'>")
    for var in CHART_VARS:
        if var in result.national:
            fig = fan_figure(result, var)
            parts.append(f"<div>{fig.to_html(full_html=False, include_plotlyjs=False)}</div>")
    parts.append("</div>")
    extra = [v for v in HISTORY_MAP if v in result.national]
    parts.append("<h2>Model against history by year</h2>" + _table_html(year_table(result, extra)))
    doc = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><script>{get_plotlyjs()}</script>"
        "<style>body{font-family:sans-serif;margin:2em;max-width:1400px}"
        ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(600px,1fr))}"
        ".tbl{border-collapse:collapse;font-size:13px}.tbl td,.tbl th{padding:2px 8px;"
        "border-bottom:1px solid #ddd;text-align:right}</style></head><body>"
        + "\n".join(parts) + "</body></html>"
    )
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".html", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(doc)
    os.replace(tmp, path)
    return path
