"""Each historical series against the model's distribution, point by point.

A point (series, year) passes when the record lies inside the model's 5-95% band, or
when the model's median is within the tolerance of the record's kind
(:data:`TOLERANCE`: official 10%, western 15%, other 25%; the kinds' error models
are those of the calibration). A series passes on a set of years (calibration or
held out) when at least :data:`SERIES_PASS_SHARE` of its points there pass.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ottepel.analysis.calibration import DEFAULT_HOLDOUT_FROM, history_targets, read_posterior

TOLERANCE = {"official": 0.10, "western": 0.15, "other": 0.25}
SERIES_PASS_SHARE = 2 / 3


def tolerance_text(kind: str) -> str:
    """The pass rule of a point of this kind, in words."""
    return f"record in 90% band or median ±{TOLERANCE.get(kind, 0.25):.0%}"


def holdout_settings(scenario) -> tuple[int | None, tuple[str, ...], str]:
    """The held-out years and series: the posterior's, or the default scheme.

    Returns:
        (first held-out year, held-out series, a sentence saying where it comes from).
    """
    doc = read_posterior(scenario.posterior) if getattr(scenario, "posterior", "") else None
    if doc and "calibration" in doc:
        st = doc["calibration"].get("settings", {})
        return (st.get("holdout_from"), tuple(st.get("holdout_series", ())),
                f"held out of the calibration in {scenario.posterior}: "
                f"{doc['calibration'].get('holdout', '?')}")
    return (DEFAULT_HOLDOUT_FROM, (), f"no posterior in use: years >= {DEFAULT_HOLDOUT_FROM} "
            "marked as held out (the default calibration scheme)")


def series_points(result, scenario) -> pd.DataFrame:
    """One row per (series, year): record, model median and band, error, pass."""
    start, series, _ = holdout_settings(scenario)
    t = history_targets(scenario, start, series)
    rows = []
    for r in t.itertuples():
        da = result.national[r.variable]
        dec = da.sel(month=(da["month"].dt.month == 12) & (da["month"].dt.year == r.model_year))
        x = np.asarray(dec.values, float).ravel()
        x = x[np.isfinite(x)]
        if not len(x):
            continue
        q05, med, q95 = np.quantile(x, [0.05, 0.5, 0.95])
        rel = med / r.value - 1 if r.value else np.nan
        tol = TOLERANCE.get(r.kind, 0.25)
        passed = bool(q05 <= r.value <= q95 or abs(rel) <= tol)
        rows.append({"variable": r.variable, "series": r.series, "kind": r.kind,
                     "year": r.year, "model_year": r.model_year, "record": r.value,
                     "median": med, "q05": q05, "q95": q95, "rel_error": rel,
                     "in_band": bool(q05 <= r.value <= q95), "passed": passed,
                     "held_out": r.held_out, "tolerance": tolerance_text(r.kind)})
    return pd.DataFrame(rows)


def series_summary(points: pd.DataFrame) -> pd.DataFrame:
    """Per series: points passing on calibration and held-out years, and the verdicts."""
    rows = []
    for var, g in points.groupby("variable", sort=False):
        row = {"variable": var, "kind": "/".join(sorted(set(g["kind"]))),
               "tolerance": g["tolerance"].iloc[0],
               "median_abs_error": float(np.nanmedian(np.abs(g["rel_error"])))}
        for label, sub in (("calibration", g[~g["held_out"]]), ("holdout", g[g["held_out"]])):
            n, k = len(sub), int(sub["passed"].sum())
            row[f"{label}_passed"] = k
            row[f"{label}_points"] = n
            row[f"{label}_verdict"] = "" if n == 0 else (
                "pass" if k >= SERIES_PASS_SHARE * n else "fail")
        rows.append(row)
    return pd.DataFrame(rows)
