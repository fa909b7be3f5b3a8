"""Checks of the planning mechanism: two sets of books, the 1957 reform, the meat campaign.

Which comparison. The model's *reported* grain (``grain_harvest_reported_mt``) stands for
the Soviet claims as first published; its *true* grain (``grain_harvest_mt``, bunker
weight) is what agriculture calibrates to the later official series, which TsSU itself
revised down from the first claims in the mid-1960s. The ratio reported / true is
therefore the overstatement by padding alone, and it is compared with:

- the CIA (CIA/RR CB 65-18, March 1965): estimates for 1950-57 within 5% of Soviet
  claims (except 1956), so padding alone must stay within 1/(1-0.05) in 1953-57; for
  1958-63 estimates averaged 19% (at most 25%) below claims: padding alone can be at
  most 1/(1-0.19) on average and 1/(1-0.25) in any year, and must rise after 1957;
- TsSU's own revision (history series grain_harvest_first_published_mt over
  grain_harvest_mt, 1958-62, about 1.055): shown as the overstatement Soviet
  statisticians later admitted, for reference (not a pass rule).

Reported over barn weight (``grain_harvest_barn_mt``) is shown too: it includes the
bunker-to-barn losses that agriculture applies in every year, so it matches the CIA's
concept of usable grain in 1958-63 but cannot meet the 1950-57 agreement. No western
re-estimate of meat is in the history data: meat is held to the grain bands (an
assumption, stated in the ``source`` column).

Functions return DataFrames; ``python -m ottepel.analysis.validation.planning_checks`` prints all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ottepel.analysis.validation.stats import wilson as _wilson
from ottepel.data import history_series

try:  # the pattern registry of ottepel.analysis.validation (calibration branch)
    from ottepel.analysis.validation import register
except ImportError:  # pragma: no cover - package without a registry
    def register(fn):
        """No registry: leave the function as it is."""
        return fn

CIA_SOURCE = "CIA/RR CB 65-18 (March 1965), history series grain_harvest_cia_gap_vs_official_pct"
EARLY, LATE = range(1953, 1958), range(1958, 1964)
EARLY_MAX = 1 / (1 - 0.05)   # CIA: within 5% of claims, 1950-57 (except 1956)
LATE_MEAN_MAX = 1 / (1 - 0.19)  # CIA: 19% below claims on average, 1958-63
LATE_YEAR_MAX = 1 / (1 - 0.25)  # CIA: at most 25% below claims in any year


def tsu_revision() -> pd.Series:
    """First-published over later official grain harvest, by year (TsSU's own revision)."""
    first = history_series("grain_harvest_first_published_mt", "official")
    later = history_series("grain_harvest_mt", "official")
    return (first / later).dropna()


def _band(year: int) -> tuple[float, float]:
    if year in EARLY:
        return (0.95, EARLY_MAX) if year != 1956 else (0.95, LATE_YEAR_MAX)
    if year in LATE:
        return (1.0, LATE_YEAR_MAX)
    return (np.nan, np.nan)


def _ratio(result, reported: str, true: str) -> pd.DataFrame:
    return result.annual(reported) / result.annual(true)


def ratio_by_year(result) -> pd.DataFrame:
    """Reported / true by year for grain (bunker and barn weight) and meat, with bands.

    Returns:
        DataFrame indexed by (quantity, year): median, q05, q95 across runs, band_lo,
        band_hi (the western range for the year), within (median inside the band),
        tsu_revision (grain only), source.
    """
    frames = []
    specs = [("grain reported / true (bunker)", "grain_harvest_reported_mt", "grain_harvest_mt"),
             ("grain reported / barn weight", "grain_harvest_reported_mt", "grain_harvest_barn_mt"),
             ("meat reported / true", "meat_production_reported_mt", "meat_production_mt")]
    rev = tsu_revision()
    for name, rep, true in specs:
        r = _ratio(result, rep, true)
        years = [y for y in r.columns if 1953 <= y <= 1964]
        df = pd.DataFrame({"median": r[years].median(), "q05": r[years].quantile(0.05),
                           "q95": r[years].quantile(0.95)})
        bands = np.array([_band(y) for y in years])
        df["band_lo"], df["band_hi"] = bands[:, 0], bands[:, 1]
        inside = (df["median"] >= df["band_lo"]) & (df["median"] <= df["band_hi"])
        df["within"] = inside.astype(object).where(df["band_lo"].notna(), None)  # None: no band
        df["tsu_revision"] = rev.reindex(years).to_numpy() if name.startswith("grain") else np.nan
        df["source"] = CIA_SOURCE + ("" if name.startswith("grain") else
                                     "; applied to meat as an assumption (no western meat series)")
        df.index.name = "year"
        frames.append(df.assign(quantity=name).set_index("quantity", append=True))
    return pd.concat(frames).reorder_levels(["quantity", "year"])


def ratio_by_period(result) -> pd.DataFrame:
    """The pass rules: 1953-57 each year within 5%; 1958-63 mean above 1953-57, under 19%.

    Returns:
        DataFrame with one row per (quantity, rule): value (median across runs of the
        per-run statistic), q05, q95, lo, hi, passed, rule.
    """
    rows = []
    for name, rep in (("grain", "grain_harvest_reported_mt"), ("meat", "meat_production_reported_mt")):
        true = "grain_harvest_mt" if name == "grain" else "meat_production_mt"
        r = _ratio(result, rep, true)
        early, late = r[list(EARLY)], r[list(LATE)]
        stats = {
            "1953-57 largest yearly ratio (1956 excepted)": (early.drop(columns=1956).max(axis=1), 0.95, EARLY_MAX),
            "1958-63 mean ratio": (late.mean(axis=1), 1.0, LATE_MEAN_MAX),
            "1958-63 largest yearly ratio": (late.max(axis=1), 1.0, LATE_YEAR_MAX),
            "1958-63 mean minus 1953-57 mean": (late.mean(axis=1) - early.mean(axis=1), 0.0, np.inf),
        }
        for rule, (x, lo, hi) in stats.items():
            med = float(x.median())
            rows.append({"quantity": name, "rule": rule, "value": med, "q05": x.quantile(0.05),
                         "q95": x.quantile(0.95), "lo": lo, "hi": hi,
                         "passed": bool(lo <= med <= hi)})
    out = pd.DataFrame(rows)
    rev = tsu_revision()
    out.attrs["tsu_revision_1958_62_mean"] = float(rev.loc[1958:1962].mean())
    return out


def _paired(a: pd.DataFrame, b: pd.DataFrame, name: str) -> pd.DataFrame:
    d = a - b
    return pd.DataFrame({"variable": name, "with_reform": a.median(), "without_reform": b.median(),
                         "difference": d.median(), "diff_q05": d.quantile(0.05),
                         "diff_q95": d.quantile(0.95)})


def reform_effects(runs: int = 100, seed: int = 0, results=None) -> pd.DataFrame:
    """Paired runs with and without the 1957 sovnarkhoz reform (same seeds, same luck).

    Args:
        runs: runs per scenario.
        seed: ensemble seed shared by both scenarios.
        results: optional (historical, counterfactual) Results already simulated.

    Returns:
        DataFrame indexed by year with, per variable (deliveries between regions, padding
        of grain, meat and industry, the true industrial index), the medians with and
        without the reform and the median paired difference with its 5-95% interval.
    """
    from ottepel.ensemble.simulate import simulate

    hist, cf = results or (simulate("khrushchev-1953", runs=runs, seed=seed),
                           simulate("no-sovnarkhoz", runs=runs, seed=seed))
    frames = [_paired(hist.annual(v), cf.annual(v), v) for v in (
        "interregional_delivery_ratio", "padding_ratio_grain", "padding_ratio_meat",
        "padding_ratio_industry", "industrial_output_index")]
    out = pd.concat(frames)
    out.index.name = "year"
    return out.loc[out.index >= 1956]


def ryazan_episodes(result) -> pd.DataFrame:
    """Ryazan-like episodes found in the regional books (not in the events).

    A region's reported meat deliveries rise at least 40% in year t, fall at least 30% in
    t+1, and its cattle at the end of t+1 are at least 20% below the end of t-1.

    Returns:
        DataFrame with run, region, year (t+1), jump, fall, herd_change.
    """
    from ottepel.core.mechanisms.planning import EPISODE_FALL, EPISODE_HERD_FALL, EPISODE_JUMP

    meat = result.regional["meat_reported_mt"].values  # (run, year, region)
    herd = result.regional["herd_cattle_mn_head"].values
    years = result.regional["month"].dt.year.values
    with np.errstate(divide="ignore", invalid="ignore"):
        jump = meat[:, 1:-1] / meat[:, :-2]
        fall = meat[:, 2:] / meat[:, 1:-1]
        change = herd[:, 2:] / herd[:, :-2] - 1
    hit = (jump >= EPISODE_JUMP) & (fall <= 1 - EPISODE_FALL) & (change <= -EPISODE_HERD_FALL)
    run, t, region = np.nonzero(hit)
    return pd.DataFrame({"run": result.regional["run"].values[run],
                         "region": result.regional["region_name"].values[region],
                         "year": years[t + 2], "jump": jump[run, t, region],
                         "fall": fall[run, t, region], "herd_change": change[run, t, region]})


def ryazan_frequency(runs: int = 100, seed: int = 0, results=None) -> pd.DataFrame:
    """How often a Ryazan-like episode appears with and without the meat campaign.

    Args:
        runs: runs per scenario.
        seed: shared ensemble seed.
        results: optional (historical, no-meat-campaign) Results already simulated.

    Returns:
        DataFrame with one row per scenario: runs, runs with an episode, share with a 95%
        Wilson interval, mean episodes per run, herd_collapse events.
    """
    from ottepel.ensemble.simulate import simulate

    pair = results or (simulate("khrushchev-1953", runs=runs, seed=seed),
                       simulate("no-meat-campaign", runs=runs, seed=seed))
    rows = []
    for label, res in zip(("with meat campaign", "without meat campaign"), pair, strict=True):
        ep = ryazan_episodes(res)
        n = res.national.sizes["run"]
        k = ep["run"].nunique()
        lo, hi = _wilson(k, n)
        events = int((res.events["kind"] == "herd_collapse").sum())
        rows.append({"scenario": label, "runs": n, "runs_with_episode": k, "share": k / n,
                     "share_lo95": lo, "share_hi95": hi, "episodes_per_run": len(ep) / n,
                     "herd_collapse_events": events})
    return pd.DataFrame(rows)


@register
def planning_patterns(result) -> pd.DataFrame:
    """Registered pattern rows: padding within the western range, Ryazan in the replay."""
    if "grain_harvest_reported_mt" not in result.national:
        return pd.DataFrame()
    per = ratio_by_period(result)
    rows = [{"pattern": f"{r.quantity} reported/true: {r.rule}", "value": r.value, "lo": r.q05,
             "hi": r.q95, "target": r.hi if np.isfinite(r.hi) else r.lo, "passed": r.passed,
             "tolerance": f"median in [{r.lo:.3f}, {r.hi:.3f}]", "years": "1953-1963"}
            for r in per.itertuples()]
    if "meat_reported_mt" in result.regional and result.scenario == "khrushchev-1953":
        share = ryazan_episodes(result)["run"].nunique() / result.national.sizes["run"]
        rows.append({"pattern": "a Ryazan-like episode in some runs (meat campaign)",
                     "value": share, "lo": np.nan, "hi": np.nan, "target": 0.0,
                     "passed": bool(share > 0), "tolerance": "share of runs > 0",
                     "years": "1958-1961"})
    return pd.DataFrame(rows)


def main(runs: int = 100, seed: int = 0) -> None:
    """Print every planning check (historical replay and both counterfactuals)."""
    from ottepel.ensemble.simulate import simulate

    hist = simulate("khrushchev-1953", runs=runs, seed=seed)
    pd.set_option("display.width", 160)
    print(ratio_by_year(hist).round(3).to_string())
    per = ratio_by_period(hist)
    print(per.round(3).to_string())
    print("TsSU's own revision, 1958-62 mean:", round(per.attrs["tsu_revision_1958_62_mean"], 3))
    cf = simulate("no-sovnarkhoz", runs=runs, seed=seed)
    print(reform_effects(results=(hist, cf)).round(3).to_string())
    nc = simulate("no-meat-campaign", runs=runs, seed=seed)
    print(ryazan_frequency(results=(hist, nc)).round(3).to_string())


if __name__ == "__main__":
    main()
