"""Paired comparison of two scenarios: the same seeds, so the same weather and luck.

Run k of scenario A and run k of scenario B draw the same keyed random numbers (weather,
yields, politics), so the difference ``B - A`` of run k is the effect of the changed
decisions in that simulated history alone, not noise between two histories. For each
chosen output this module reports, by year, the median paired difference, its 90%
interval across runs (5th to 95th percentile) and the share of runs in which B is
higher than A, as a table and an offline HTML fan chart.

Example::

    cmp = paired("khrushchev-1953", "no-maize-campaign", runs=200, seed=0)
    cmp.summary("grain_harvest_mt")        # by year: medians, difference, interval
    write_compare_report(cmp, "compare.html")
"""

from __future__ import annotations

import html
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ottepel.core.scenario import Scenario, load_scenario
from ottepel.ensemble.results import Result
from ottepel.ensemble.simulate import simulate

DEFAULT_VARS = [
    "grain_harvest_mt", "meat_production_mt", "consumer_goods_index",
    "industrial_output_index", "living_space_m2_per_capita", "real_wage_index",
    "bloc_stability", "feed_units_total_mt",
    *(f"{q}_{z}_mt" for q in ("grain_harvest", "feed_units") for z in ("south", "centre", "north")),
]
ZONES = {"south": "maize ripens for grain", "centre": "maize ripens for silage only",
         "north": "maize does not ripen"}
LOW_Q, HIGH_Q = 0.05, 0.95


@dataclass
class Comparison:
    """Two ensembles of the same runs and seed under two scenarios.

    Attributes:
        a: the reference result (usually the historical scenario).
        b: the alternative.
        runs: ensemble size.
        seed: the shared ensemble seed.
    """

    a: Result
    b: Result
    runs: int
    seed: int

    def variables(self) -> list[str]:
        """Output variables both results have."""
        return [v for v in self.a.national.data_vars if v in self.b.national]

    def diff(self, var: str) -> pd.DataFrame:
        """Paired difference B - A of a variable's December values: DataFrame (run x year)."""
        da, db = self.a.annual(var), self.b.annual(var)
        years = [y for y in da.columns if y in db.columns]
        return db[years] - da[years]

    def summary(self, var: str) -> pd.DataFrame:
        """By year: medians of A and B, median paired difference, 90% interval, share B > A.

        Columns: a_median, b_median, diff_median, diff_q05, diff_q95, share_b_higher.
        """
        d = self.diff(var)
        years = d.columns
        valid = d.notna()
        return pd.DataFrame({
            "a_median": self.a.annual(var)[years].median(),
            "b_median": self.b.annual(var)[years].median(),
            "diff_median": d.median(),
            "diff_q05": d.quantile(LOW_Q),
            "diff_q95": d.quantile(HIGH_Q),
            "share_b_higher": (d > 0).sum() / valid.sum().where(valid.sum() > 0),
        })

    def overall(self, var: str, years: tuple[int, int] | None = None) -> dict[str, float]:
        """The paired difference of the mean over a span of years (default: all years).

        Returns:
            median, q05, q95 of the per-run difference of means, and share_b_higher.
        """
        d = self.diff(var)
        if years is not None:
            d = d[[y for y in d.columns if years[0] <= y <= years[1]]]
        per_run = d.mean(axis=1, skipna=True).dropna()
        if per_run.empty:
            return {"median": np.nan, "q05": np.nan, "q95": np.nan, "share_b_higher": np.nan}
        return {"median": float(per_run.median()), "q05": float(per_run.quantile(LOW_Q)),
                "q95": float(per_run.quantile(HIGH_Q)),
                "share_b_higher": float((per_run > 0).mean())}


def _load(ref: str | Path | Scenario) -> Scenario:
    return ref if isinstance(ref, Scenario) else load_scenario(ref)


def paired(a: str | Path | Scenario, b: str | Path | Scenario, runs: int = 200, seed: int = 0,
           chunk_size: int = 1000, progress: Callable[[int], None] | None = None) -> Comparison:
    """Simulate two scenarios on the same runs and seed.

    Args:
        a: reference scenario (name, path or Scenario).
        b: alternative scenario.
        runs: runs per scenario (run k of A is paired with run k of B).
        seed: shared ensemble seed.
        chunk_size: runs stepped together (results do not depend on it).
        progress: callback receiving the number of runs just completed (2 x runs in all).

    Raises:
        ScenarioError: a scenario does not exist or is invalid.
    """
    sa, sb = _load(a), _load(b)
    ra = simulate(sa, runs=runs, seed=seed, chunk_size=chunk_size, progress=progress)
    rb = simulate(sb, runs=runs, seed=seed, chunk_size=chunk_size, progress=progress)
    return Comparison(ra, rb, runs, seed)


def diff_figure(cmp: Comparison, var: str):
    """Plotly fan chart of the paired difference B - A by year (90% and 50% bands)."""
    import plotly.graph_objects as go

    d = cmp.diff(var)
    years = d.columns.to_numpy()
    q = d.quantile([0.05, 0.25, 0.5, 0.75, 0.95])
    fig = go.Figure()
    for hi, lo, alpha, label in ((0.95, 0.05, 0.15, "90% of runs"), (0.75, 0.25, 0.3, "50% of runs")):
        fig.add_trace(go.Scatter(x=years, y=q.loc[hi], line=dict(width=0), showlegend=False,
                                 hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=years, y=q.loc[lo], fill="tonexty", line=dict(width=0),
                                 fillcolor=f"rgba(31,119,180,{alpha})", name=label))
    fig.add_trace(go.Scatter(x=years, y=q.loc[0.5], line=dict(color="rgb(31,119,180)"),
                             name="median difference"))
    fig.add_hline(y=0, line=dict(color="black", width=1, dash="dot"))
    unit = cmp.a.national[var].attrs.get("units", "")
    fig.update_layout(title=f"{var}: {cmp.b.scenario} minus {cmp.a.scenario} ({unit})",
                      height=340, margin=dict(l=40, r=10, t=40, b=30),
                      legend=dict(orientation="h"))
    return fig


def _fmt(x: float) -> str:
    if x is None or not np.isfinite(x):
        return ""
    return "0" if x == 0 else f"{x:.3g}" if abs(x) < 1 else f"{x:,.1f}"


def sentence(cmp: Comparison, var: str) -> str:
    """One plain sentence on the mean paired difference of a variable over all years."""
    o = cmp.overall(var)
    if not np.isfinite(o["median"]):
        return f"{var}: no values to compare."
    unit = cmp.a.national[var].attrs.get("units", "")
    d = cmp.diff(var)
    span = f"{d.columns.min()}-{d.columns.max()}"
    if o["q05"] > 0 or o["q95"] < 0:
        word = "higher" if o["median"] > 0 else "lower"
        head = (f"Under {cmp.b.scenario}, {var} averaged over {span} is {_fmt(abs(o['median']))} "
                f"{unit} {word} than under {cmp.a.scenario}")
    else:
        head = (f"Under {cmp.b.scenario}, {var} averaged over {span} is not clearly different "
                f"from {cmp.a.scenario} (median difference {_fmt(o['median'])} {unit})")
    return (f"{head}; in 90% of the paired runs the difference lies between {_fmt(o['q05'])} and "
            f"{_fmt(o['q95'])}, and it is higher in {o['share_b_higher']:.0%} of them.")


def write_html(doc: str, path: str | Path) -> Path:
    """Write an HTML document atomically (temporary file, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".html", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(doc)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


STYLE = ("body{font-family:sans-serif;margin:2em;max-width:1200px}"
         ".tbl{border-collapse:collapse;font-size:13px}.tbl td,.tbl th{padding:2px 8px;"
         "border-bottom:1px solid #ddd;text-align:right}p.lead{font-size:15px}")


def html_page(title: str, body: list[str]) -> str:
    """A self-contained HTML page with Plotly's JavaScript embedded (works offline)."""
    from plotly.offline import get_plotlyjs

    return ("<!doctype html><html><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title><script>{get_plotlyjs()}</script>"
            f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>"
            + "\n".join(body) + "</body></html>")


def zone_table(cmp: Comparison) -> pd.DataFrame:
    """Mean paired difference (B - A) of grain and feed by soil-climate zone (heat sums).

    One row per zone group of ``mechanisms/land.py`` and the nation: median and 90%
    interval of the per-run difference of means over all years, and its sign in words.
    """
    rows = []
    for zone, what in {**ZONES, "total": "the USSR"}.items():
        for q in ("grain_harvest", "feed_units"):
            var = f"{q}_{zone}_mt" if zone != "total" else ("grain_harvest_mt" if q == "grain_harvest"
                                                              else "feed_units_total_mt")
            if var not in cmp.a.national or var not in cmp.b.national:
                continue
            o = cmp.overall(var)
            sign = ("higher" if o["q05"] > 0 else "lower" if o["q95"] < 0 else "within noise")
            rows.append({"zone": zone, "where": what, "variable": var, "diff_median": o["median"],
                         "diff_q05": o["q05"], "diff_q95": o["q95"], "b_against_a": sign})
    return pd.DataFrame(rows)


def write_compare_report(cmp: Comparison, path: str | Path, variables: list[str]) -> Path:
    """The comparison as an offline HTML page: a sentence, a chart and a table per variable."""
    title = f"ottepel: {cmp.b.scenario} against {cmp.a.scenario} ({cmp.runs} paired runs, seed {cmp.seed})"
    body = [("<p class='lead'>Each run of the alternative is paired with the run of the reference "
             "that has the same seed, so both see the same weather and the same luck; the charts "
             "show the spread of the paired differences across runs (alternative minus "
             "reference, December values).</p>")]
    zones = zone_table(cmp)
    if not zones.empty:
        body.append(f"<h2>By soil-climate zone</h2><p>Grain and feed units of {html.escape(cmp.b.scenario)} "
                    f"against {html.escape(cmp.a.scenario)}, mean over all years, by heat-sum zone "
                    "(mechanisms/land.py).</p>")
        body.append(zones.to_html(index=False, border=0, classes="tbl", na_rep="",
                                  float_format=lambda x: f"{x:,.2f}"))
    for var in variables:
        fig = diff_figure(cmp, var)
        table = cmp.summary(var).reset_index(names="year")
        body.append(f"<h2>{html.escape(var)}</h2><p>{html.escape(sentence(cmp, var))}</p>")
        body.append(fig.to_html(full_html=False, include_plotlyjs=False))
        body.append(table.to_html(index=False, border=0, classes="tbl", na_rep="",
                                  float_format=lambda x: f"{x:,.3f}"))
    return write_html(html_page(title, body), path)
