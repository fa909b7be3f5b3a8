"""Economic patterns of the era the model should reproduce without being told.

Each statistic is computed per run; the row gives its median and 5-95% band, the
historical value (from the packaged series) and the pass rule. Ratios pass when the
record is inside the band or within ±0.10 of the median; yes/no patterns pass when at
least half of the runs show them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ottepel.analysis.validation import register
from ottepel.data import history_series

RATIO_TOL = 0.10


def _annual(result, var: str) -> pd.DataFrame | None:
    return result.annual(var) if var in result.national else None


def _ratio_row(name: str, x: np.ndarray, target: float, years: str) -> dict:
    x = x[np.isfinite(x)]
    if not len(x):
        return {"pattern": name, "value": np.nan, "lo": np.nan, "hi": np.nan, "target": target,
                "passed": False, "tolerance": "model produced no value", "years": years}
    lo, med, hi = np.quantile(x, [0.05, 0.5, 0.95])
    return {"pattern": name, "value": med, "lo": lo, "hi": hi, "target": target,
            "passed": bool(lo <= target <= hi or abs(med - target) <= RATIO_TOL),
            "tolerance": f"record in 90% band or median ±{RATIO_TOL:.2f}", "years": years}


def _share_row(name: str, hits: np.ndarray, years: str, what: str) -> dict:
    share = float(np.mean(hits)) if len(hits) else np.nan
    return {"pattern": name, "value": share, "lo": np.nan, "hi": np.nan, "target": 1.0,
            "passed": bool(share >= 0.5), "tolerance": f"{what} in >= half of the runs",
            "years": years}


@register
def grain_patterns(result) -> pd.DataFrame:
    """The 1956 virgin-lands peak, growth to 1958, stagnation after, the 1963 failure."""
    g = _annual(result, "grain_harvest_mt")
    if g is None or not {1953, 1963}.issubset(g.columns):
        return pd.DataFrame()
    h = history_series("grain_harvest_mt", "official")
    rows = [
        _ratio_row("grain harvest 1963 / 1962 (the 1963 failure)",
                   (g[1963] / g[1962]).to_numpy(), h[1963] / h[1962], "1962-1963"),
        _ratio_row("grain harvest mean 1956-58 / mean 1953-55 (virgin-lands growth)",
                   (g[[1956, 1957, 1958]].mean(axis=1) / g[[1953, 1954, 1955]].mean(axis=1)).to_numpy(),
                   h.loc[1956:1958].mean() / h.loc[1953:1955].mean(), "1953-1958"),
        _ratio_row("grain harvest mean 1959-63 / mean 1956-58 (stagnation)",
                   (g[list(range(1959, 1964))].mean(axis=1) / g[[1956, 1957, 1958]].mean(axis=1))
                   .to_numpy(), h.loc[1959:1963].mean() / h.loc[1956:1958].mean(), "1956-1963"),
        _share_row("1956 harvest above both 1955 and 1957 (first big virgin-lands crop)",
                   ((g[1956] > g[1955]) & (g[1956] > g[1957])).to_numpy(), "1955-1957",
                   "local peak"),
    ]
    return pd.DataFrame(rows)


@register
def livestock_and_trade_patterns(result) -> pd.DataFrame:
    """The pig slaughter after the 1963 harvest and the grain purchases abroad."""
    rows = []
    pigs = _annual(result, "pigs_mn_head")
    if pigs is not None and {1962, 1963}.issubset(pigs.columns):
        h = history_series("pigs_mn_head", "official")  # 1 January figures
        if {1963, 1964}.issubset(h.index):
            rows.append(_ratio_row("pig herd 1 Jan 1964 / 1 Jan 1963 (distress slaughter)",
                                   (pigs[1963] / pigs[1962]).to_numpy(), h[1964] / h[1963],
                                   "1963"))
    imp = _annual(result, "grain_imports_mt")
    if imp is not None and 1963 in imp.columns:
        cols = [c for c in (1963, 1964) if c in imp.columns]
        rows.append(_share_row("grain bought abroad after the 1963 harvest (>= 1 mn t)",
                               (imp[cols].max(axis=1) >= 1.0).to_numpy(), "1963-1964",
                               "imports >= 1 mn t in 1963 or 1964"))
    return pd.DataFrame(rows)


def _within_row(name: str, model: pd.DataFrame, record: pd.Series, tol: float, need: float,
                source: str) -> dict:
    """Median within ``tol`` of the record in at least ``need`` (share) of the record years."""
    years = [y for y in record.index if y in model.columns]
    if not years:
        return {}
    med = model[years].median()
    hits = (abs(med / record[years] - 1) <= tol)
    share = float(hits.mean())
    return {"pattern": name, "value": share, "lo": np.nan, "hi": np.nan, "target": need,
            "passed": bool(share >= need),
            "tolerance": f"median within {tol:.0%} of the record in >= {need:.0%} of {len(years)} years; {source}",
            "years": f"{years[0]}-{years[-1]}"}


@register
def land_and_crisis_patterns(result) -> pd.DataFrame:
    """The land balance (grain and total sown area) and the 1963 crisis (issue 14).

    Literature: grain area fell 1956-60 as maize and fodder crops took land and rose again
    when fallow and grassland were ploughed up in 1962-63 (Volin 1970; McCauley 1976); the
    drought of 1963 on depleted reserves brought the pig cull, 1964 meat below 1962 and
    grain bought abroad for gold (Volin & Walters 1965; Taubman 2003 ch. 19).
    """
    rows = []
    sown = _annual(result, "grain_sown_mha")
    if sown is not None:
        rows.append(_within_row("grain sown area (land balance closed by region)", sown,
                                history_series("grain_sown_area_mha").loc[1953:1964], 0.07, 10 / 12,
                                "TsSU (Strana Sovetov za 50 let)"))
    total = _annual(result, "total_sown_mha")
    if total is not None:
        rows.append(_within_row("total sown area (grain, maize, fodder, industrial crops)", total,
                                history_series("total_sown_area_mha").loc[1953:1964], 0.07, 0.8,
                                "TsSU Narkhoz yearbooks"))
    pigs = _annual(result, "pigs_mn_head")
    if pigs is not None and 1963 in pigs.columns:
        x = pigs[1963].to_numpy()
        rows.append({"pattern": "pigs at 1 Jan 1964 below 55 mn (the 1963 cull; record 40.9)",
                     "value": float(np.median(x)), "lo": float(np.quantile(x, 0.05)),
                     "hi": float(np.quantile(x, 0.95)), "target": 40.9,
                     "passed": bool(np.median(x) < 55), "tolerance": "median < 55 mn; TsSU Narkhoz 1965",
                     "years": "1963"})
    meat = _annual(result, "meat_production_mt")
    if meat is not None and {1962, 1964}.issubset(meat.columns):
        rows.append(_share_row("meat 1964 below meat 1962 (the cull's aftermath; Taubman ch. 19)",
                               (meat[1964] < meat[1962]).to_numpy(), "1962-1964", "a fall"))
    stock = _annual(result, "state_grain_stock_mt")
    if stock is not None and {1958, 1963}.issubset(stock.columns):
        span = [y for y in range(1955, 1965) if y in stock.columns]
        low = stock[span].idxmin(axis=1).to_numpy()
        rows.append(_share_row("state grain stocks at their 1955-64 low in 1961-63 (Volin 1970)",
                               np.isin(low, [1961, 1962, 1963]), "1955-1964", "low in 1961-63"))
    return pd.DataFrame([r for r in rows if r])
