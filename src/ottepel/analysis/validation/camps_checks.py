"""Checks of the camps mechanism: the 1 January camp population, strikes, counterfactuals.

- The replay's camp and colony population on 1 January (the model's December value of the
  year before) against Zemskov's archival series, 1954-1960 (``data/camps_zemskov.csv``;
  see ``camps_zemskov.md`` for which rows are verified): median within 20% of the record.
- The camp strikes of 1953-54 (Norilsk, Vorkuta, Kengir) in most runs of the replay, and
  clearly rarer without the March 1953 amnesty (paired runs of ``no-1953-amnesty``).
- What the Secret Speech did to releases: paired runs of ``no-secret-speech``, with the
  5-95% interval of the paired difference.

Each row carries the literature's claim (``claim``) and its source (``reference``; the
runner's ``source`` column names the check). Counterfactual rows simulate the paired
scenario with the result's seed and number of runs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ottepel.analysis.validation.stats import wilson
from ottepel.data import load_camp_series

try:  # the pattern registry of ottepel.analysis.validation
    from ottepel.analysis.validation import register
except ImportError:  # pragma: no cover - package without a registry
    def register(fn):
        """No registry: leave the function as it is."""
        return fn

TOLERANCE = 0.20
YEARS = range(1954, 1961)
_GRA = ("Graziosi 1992, Cahiers du monde russe et sovietique 33:419; Barnes 2011, Death and "
        "Redemption, ch. 6; Applebaum 2003, Gulag, ch. 23")
_SPEECH = ("Dobson 2009, Khrushchev's Cold Summer, ch. 3; Hardy 2016, The Gulag after Stalin, "
           "ch. 1; Zemskov 2003, Spetsposelentsy v SSSR")


def record() -> pd.DataFrame:
    """Zemskov's camps-and-colonies series: year (1 January) -> value, source, confidence."""
    df = load_camp_series()
    df = df[df["series"] == "gulag_camps_colonies_mn"].copy()
    df["year"] = pd.to_datetime(df["date"]).dt.year
    return df.set_index("year")[["value_mn", "source", "confidence"]]


def _covers(result, start: str, end: str, var: str = "gulag_population_mn") -> bool:
    if var not in result.national:
        return False
    months = pd.to_datetime(result.national["month"].values)
    return months.min() <= pd.Timestamp(start) and months.max() >= pd.Timestamp(end)


def population_by_year(result) -> pd.DataFrame:
    """1 January camp population (median, 5-95%) against the record, 1954-1960."""
    rec = record()
    df = result.annual("gulag_population_mn")
    rows = []
    for year in YEARS:
        if year - 1 not in df.columns or year not in rec.index:
            continue
        v = df[year - 1].to_numpy()
        med, target = float(np.median(v)), float(rec.loc[year, "value_mn"])
        rows.append({"year": year, "median_mn": med, "q05_mn": float(np.quantile(v, 0.05)),
                     "q95_mn": float(np.quantile(v, 0.95)), "record_mn": target,
                     "rel_error": med / target - 1, "within": abs(med / target - 1) <= TOLERANCE,
                     "confidence": rec.loc[year, "confidence"], "reference": rec.loc[year, "source"]})
    return pd.DataFrame(rows)


def strike_runs(result, start: str = "1953-01", end: str = "1954-12") -> np.ndarray:
    """(runs,) int: camp strikes per run between ``start`` and ``end`` (inclusive months)."""
    ev = result.events
    month = ev["month"].to_numpy().astype("datetime64[M]")
    sel = ((ev["kind"] == "camp_strike").to_numpy() & (month >= np.datetime64(start, "M"))
           & (month <= np.datetime64(end, "M")))
    runs = result.national["run"].to_numpy()
    counts = pd.Series(ev.loc[sel, "run"].to_numpy()).value_counts()
    return counts.reindex(runs, fill_value=0).to_numpy()


def _released(result, var: str, y0: int, y1: int) -> np.ndarray:
    da = result.national[var]
    return da.sel(month=f"{y1}-12").values - da.sel(month=f"{y0 - 1}-12").values


def strike_rows(hist, no_amnesty) -> list[dict]:
    """Strikes in 1953-54: most runs of the replay; fewer without the amnesty (Wilson 95%)."""
    a, b = strike_runs(hist) > 0, strike_runs(no_amnesty) > 0
    ka, kb, n = int(a.sum()), int(b.sum()), len(a)
    la, ha = wilson(ka, n)
    lb, hb = wilson(kb, n)
    g_a = hist.annual("gulag_population_mn")[1953].to_numpy()
    g_b = no_amnesty.annual("gulag_population_mn")[1953].to_numpy()
    d = g_b - g_a
    claim = ("the 1953-54 strikes broke out among political prisoners left out of the amnesty, "
             "in special camps emptied of ordinary convicts")
    return [
        {"pattern": "camp strike in 1953-54 in most runs (share of runs, replay)", "value": ka / n,
         "lo": la, "hi": ha, "target": 0.5, "passed": bool(ka / n > 0.5),
         "tolerance": "share > 0.5", "years": "1953-1954", "claim": claim, "reference": _GRA,
         "strikes_per_run": float(strike_runs(hist).mean())},
        {"pattern": "no 1953 amnesty: camp strikes in 1953-54 rarer (share of runs)", "value": kb / n,
         "lo": lb, "hi": hb, "target": ka / n, "passed": bool(hb < la),
         "tolerance": "Wilson interval below the replay's", "years": "1953-1954", "claim": claim,
         "reference": _GRA, "strikes_per_run": float(strike_runs(no_amnesty).mean())},
        {"pattern": "no 1953 amnesty: more prisoners at the end of 1953 (paired, mn)",
         "value": float(np.median(d)), "lo": float(np.quantile(d, 0.05)),
         "hi": float(np.quantile(d, 0.95)), "target": 1.2, "passed": bool(np.quantile(d, 0.05) > 0.6),
         "tolerance": "5% quantile > 0.6 mn (the decree freed 1.2 mn)", "years": "1953",
         "claim": "the March 1953 amnesty freed about 1.2 mn, nearly half the camp population",
         "reference": "events.csv 1953-03-27; Dobson 2009 ch. 1"},
    ]


def speech_rows(hist, no_speech) -> list[dict]:
    """Releases in 1956-57 with and without the Secret Speech (paired, 5-95% interval)."""
    claim = ("the commissions sent after the 20th Congress freed most remaining political "
             "prisoners, and the deported peoples were released in 1956-57")
    rows = []
    for var, what, target in (("political_released_cumulative_mn", "political prisoners", 0.0),
                              ("released_cumulative_mn", "camps and settlements", 0.0)):
        d = _released(hist, var, 1956, 1957) - _released(no_speech, var, 1956, 1957)
        lo, hi = float(np.quantile(d, 0.05)), float(np.quantile(d, 0.95))
        rows.append({"pattern": f"Secret Speech: more released from {what} in 1956-57 (paired, mn)",
                     "value": float(np.median(d)), "lo": lo, "hi": hi, "target": target,
                     "passed": bool(lo > 0), "tolerance": "5-95% interval of the paired difference > 0",
                     "years": "1956-1957", "claim": claim, "reference": _SPEECH})
    return rows


@register
def camps_patterns(result) -> pd.DataFrame:
    """Registry rows: the 1 Jan population 1954-1960, strikes and the two counterfactuals."""
    if not _covers(result, "1953-03", "1960-01") or not str(result.scenario).startswith("khrushchev-1953"):
        return pd.DataFrame()
    pop = population_by_year(result)
    rows = [{"pattern": f"camp and colony population on 1 Jan {r.year} (mn)", "value": r.median_mn,
             "lo": r.q05_mn, "hi": r.q95_mn, "target": r.record_mn, "passed": bool(r.within),
             "tolerance": f"median within {TOLERANCE:.0%} of Zemskov ({r.confidence} confidence)",
             "years": str(r.year), "claim": "archival count of the MVD (GARF f. 9414)",
             "reference": r.reference} for r in pop.itertuples()]
    if result.scenario == "khrushchev-1953":
        from ottepel.ensemble.simulate import simulate

        n, seed = int(result.national.sizes["run"]), int(result.seed)
        rows += strike_rows(result, simulate("no-1953-amnesty", runs=n, seed=seed))
        rows += speech_rows(result, simulate("no-secret-speech", runs=n, seed=seed))
    return pd.DataFrame(rows)


def main(runs: int = 300, seed: int = 0) -> None:
    """Print the camp checks for the replay and both counterfactuals."""
    from ottepel.ensemble.simulate import simulate

    hist = simulate("khrushchev-1953", runs=runs, seed=seed)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(population_by_year(hist).drop(columns="reference").round(3).to_string(index=False))
        print(camps_patterns(hist).drop(columns=["claim", "reference"]).round(3).to_string(index=False))


if __name__ == "__main__":  # pragma: no cover
    main()
