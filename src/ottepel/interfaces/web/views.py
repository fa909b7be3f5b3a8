"""JSON views of ensemble results for the dashboard (no model logic here).

Every function turns a :class:`ottepel.ensemble.results.Result` (or two) into plain lists and
dicts; NaN becomes None because JSON has no NaN.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ottepel.ensemble.results import Result
from ottepel.interfaces.play import reported_counterpart


def clean(values: Any) -> list[float | None]:
    """A list of floats with None where the value is missing or not finite."""
    out = []
    for v in np.asarray(values, dtype=float).reshape(-1):
        out.append(float(v) if math.isfinite(v) else None)
    return out


@lru_cache(maxsize=1)
def catalog() -> dict[str, Any]:
    """National and regional variables with units, and each one's reported twin."""
    from ottepel.core.catalog import national_catalog, regional_catalog
    from ottepel.ensemble.results import HISTORY_MAP

    nat = national_catalog()
    twins = {v: reported_counterpart(v, nat) for v in nat}
    is_twin = {t for t in twins.values() if t}
    national = [{"name": k, "unit": u, "cadence": c, "description": d, "reported": twins[k],
                 "is_reported": k in is_twin, "history": k in HISTORY_MAP}
                for k, (u, c, d) in nat.items()]
    regional = [{"name": k, "unit": u, "description": d} for k, (u, d) in regional_catalog().items()]
    return {"national": national, "regional": regional}


def national_names() -> set[str]:
    """Names of the national variables."""
    return {v["name"] for v in catalog()["national"]}


def regional_names() -> set[str]:
    """Names of the regional variables."""
    return {v["name"] for v in catalog()["regional"]}


def summary_view(result: Result, var: str) -> dict[str, Any]:
    """Median, 5% and 95% by year, with the historical record where there is one."""
    s = result.summary(var)
    attrs = result.national[var].attrs
    return {
        "var": var, "unit": attrs.get("units", ""), "description": attrs.get("description", ""),
        "years": [int(y) for y in s.index], "median": clean(s["median"]), "q05": clean(s["q05"]),
        "q95": clean(s["q95"]),
        "history": clean(s["history"]) if "history" in s else [None] * len(s),
    }


def series_view(result: Result, var: str) -> dict[str, Any]:
    """The fan-chart data of a variable and of its official twin, if the model has one."""
    twin = reported_counterpart(var, result.national.data_vars)
    return {"scenario": result.scenario, "runs": int(result.national.sizes["run"]),
            "true": summary_view(result, var),
            "reported": summary_view(result, twin) if twin else None}


def region_years(result: Result) -> list[int]:
    """Years with regional records (Decembers)."""
    return [int(y) for y in pd.DatetimeIndex(result.regional["month"].values).year]


def regions_view(result: Result, var: str, year: int) -> dict[str, Any]:
    """Median over runs of a regional variable in one December, with coordinates."""
    years = region_years(result)
    da = result.regional[var].isel(month=years.index(year))
    med = da.median("run").values
    reg = result.regional
    rows = [{"code": str(c), "name": str(n), "republic": str(r), "lat": float(la),
             "lon": float(lo), "value": v}
            for c, n, r, la, lo, v in zip(reg["region"].values, reg["region_name"].values,
                                          reg["republic"].values, reg["lat"].values,
                                          reg["lon"].values, clean(med), strict=True)]
    return {"var": var, "year": year, "unit": result.regional[var].attrs.get("units", ""),
            "years": years, "regions": rows}


def events_view(result: Result, run: int, scenario) -> dict[str, Any]:
    """One run's events (with causes and any extra columns) and the scenario's decisions."""
    ev = result.events[result.events["run"] == run]
    events = []
    for row in ev.to_dict("records"):
        row = {k: _plain(v) for k, v in row.items()}
        row["month"] = str(pd.Timestamp(row["month"]))[:7] if row.get("month") else None
        events.append(row)
    months = scenario.months
    decisions = [{"id": d.id, "month": str(months[d.month]), "lever": d.lever,
                  "value": _plain(d.total), "sponsor": d.sponsor, "source": d.source}
                 for d in scenario.decisions.schedule]
    return {"run": run, "runs": int(result.national.sizes["run"]), "events": events,
            "decisions": decisions, "record": historical_record(str(months[0]), str(months[-1]))}


def historical_record(start: str, end: str) -> list[dict[str, Any]]:
    """The dated historical events within a span (YYYY-MM bounds), with sources."""
    from ottepel.data import load_events

    ev = load_events()
    ev = ev[(ev["date"].str[:7] >= start) & (ev["date"].str[:7] <= end)]
    return [{k: _plain(row[k]) for k in ("date", "event", "actors", "kind", "source")}
            for row in ev.to_dict("records")]


def compare_view(a: Result, b: Result, var: str) -> dict[str, Any]:
    """Paired difference B - A by year: median and 90% interval over runs."""
    da, db = a.annual(var), b.annual(var)
    common = da.index.intersection(db.index)
    diff = db.loc[common] - da.loc[common]
    return {
        "var": var, "unit": a.national[var].attrs.get("units", ""), "a": a.scenario,
        "b": b.scenario, "runs": len(common), "years": [int(y) for y in diff.columns],
        "median": clean(diff.median()), "q05": clean(diff.quantile(0.05)),
        "q95": clean(diff.quantile(0.95)), "median_a": clean(da.loc[common].median()),
        "median_b": clean(db.loc[common].median()),
    }


def _plain(v: Any) -> Any:
    """numpy/pandas scalars to JSON-friendly Python values."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, pd.Timestamp):
        return str(v)[:10]
    return v
