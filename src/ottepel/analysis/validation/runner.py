"""Run every validation check on a result: series points, series verdicts, patterns.

:func:`discover` imports every module of :mod:`ottepel.analysis.validation` (each registers its
patterns); a pattern that raises becomes a failed row naming the error, so one broken
check does not hide the others. Patterns with a ``years`` column are marked held out
when their last year is held out of the calibration.
"""

from __future__ import annotations

import html
import importlib
import os
import pkgutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ottepel.analysis.validation import PATTERNS
from ottepel.analysis.validation.history import holdout_settings, series_points, series_summary

PATTERN_COLUMNS = ["pattern", "value", "lo", "hi", "target", "passed", "tolerance"]


def discover() -> list:
    """Import every module of the validation package; returns the registered patterns."""
    import ottepel.analysis.validation as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        try:
            importlib.import_module(f"{pkg.__name__}.{mod.name}")
        except Exception as exc:  # a broken module must not stop the others
            warnings.warn(f"validation module {mod.name} failed to import: {exc}", stacklevel=2)
    return list(PATTERNS)


def _last_year(years) -> int | None:
    try:
        return int(str(years).replace("–", "-").split("-")[-1])
    except (TypeError, ValueError):
        return None


def run_patterns(result, holdout_from: int | None) -> pd.DataFrame:
    """All registered patterns' rows, with ``source`` and ``held_out`` columns."""
    frames = []
    for fn in discover():
        name = f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}"
        try:
            df = pd.DataFrame(fn(result))
        except Exception as exc:  # report, do not crash the table
            df = pd.DataFrame([{"pattern": name, "passed": False,
                                "tolerance": f"error: {type(exc).__name__}: {exc}"}])
        if df.empty:
            continue
        df = df.reindex(columns=[*PATTERN_COLUMNS, *[c for c in df.columns
                                                     if c not in PATTERN_COLUMNS]])
        df["source"] = name
        years = df["years"] if "years" in df else pd.Series([None] * len(df))
        last = years.map(_last_year)
        df["held_out"] = [holdout_from is not None and y is not None and y >= holdout_from
                          for y in last]
        frames.append(df)
    if not frames:
        return pd.DataFrame(columns=[*PATTERN_COLUMNS, "source", "held_out"])
    out = pd.concat(frames, ignore_index=True)
    out["passed"] = out["passed"].fillna(False).astype(bool)
    return out


@dataclass
class Validation:
    """The outcome of ``validate``.

    Attributes:
        points: one row per (series, year) (see :func:`series_points`).
        summary: one row per series (see :func:`series_summary`).
        patterns: one row per pattern.
        holdout_note: which years and series were held out of the calibration.
    """

    points: pd.DataFrame
    summary: pd.DataFrame
    patterns: pd.DataFrame
    holdout_note: str

    def totals(self) -> dict[str, tuple[int, int]]:
        """(passed, total) for calibration points, held-out points and patterns."""
        p, q = self.points, self.patterns
        return {
            "calibration points": (int(p.loc[~p["held_out"], "passed"].sum()),
                                   int((~p["held_out"]).sum())),
            "held-out points": (int(p.loc[p["held_out"], "passed"].sum()),
                                int(p["held_out"].sum())),
            "patterns (calibration years)": (int(q.loc[~q["held_out"], "passed"].sum()),
                                             int((~q["held_out"]).sum())),
            "patterns (held-out years)": (int(q.loc[q["held_out"], "passed"].sum()),
                                          int(q["held_out"].sum())),
        }


def validate(result, scenario) -> Validation:
    """Series points, series verdicts and patterns of ``result`` (of ``scenario``)."""
    start, _, note = holdout_settings(scenario)
    pts = series_points(result, scenario)
    return Validation(pts, series_summary(pts), run_patterns(result, start), note)


def _tbl(df: pd.DataFrame) -> str:
    return df.to_html(index=False, float_format=lambda x: f"{x:,.3g}", na_rep="", border=0,
                      classes="tbl")


def write_html(v: Validation, result, path: str | Path, holdout_from: int | None) -> Path:
    """An offline HTML page: totals, series verdicts, patterns, fan charts, points."""
    from plotly.offline import get_plotlyjs

    from ottepel.analysis.report import fan_figure

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n_runs = result.national.sizes["run"]
    title = f"ottepel validation: {result.scenario} ({n_runs} runs, seed {result.seed})"
    tot = "".join(f"<li>{k}: <b>{a} of {b}</b> pass</li>" for k, (a, b) in v.totals().items())
    parts = [f"<h1>{html.escape(title)}</h1>", f"<p>{html.escape(v.holdout_note)}.</p>",
             f"<ul>{tot}</ul>", "<h2>Series</h2>", _tbl(v.summary), "<h2>Patterns</h2>",
             _tbl(v.patterns), "<h2>Charts</h2><p>Shaded: held-out years.</p><div class='grid'>"]
    for var in v.summary["variable"]:
        fig = fan_figure(result, var)
        if holdout_from is not None:
            fig.add_vrect(x0=holdout_from - 0.5, x1=float(np.max(result.annual(var).columns))
                          + 0.5, fillcolor="grey", opacity=0.12, line_width=0)
        parts.append(f"<div>{fig.to_html(full_html=False, include_plotlyjs=False)}</div>")
    parts += ["</div>", "<h2>Every point</h2>", _tbl(v.points)]
    doc = ("<!doctype html><html><head><meta charset='utf-8'>"
           f"<title>{html.escape(title)}</title><script>{get_plotlyjs()}</script>"
           "<style>body{font-family:sans-serif;margin:2em;max-width:1400px}"
           ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(600px,1fr))}"
           ".tbl{border-collapse:collapse;font-size:13px}.tbl td,.tbl th{padding:2px 8px;"
           "border-bottom:1px solid #ddd;text-align:right}</style></head><body>"
           + "\n".join(parts) + "</body></html>")
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".html", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(doc)
    os.replace(tmp, path)
    return path
