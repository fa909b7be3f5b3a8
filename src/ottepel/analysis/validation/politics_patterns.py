"""The political record as patterns: probabilities over an ensemble, with Wilson intervals.

Pattern-oriented modelling (Grimm et al. 2005): a model is judged by whether it reproduces
several qualitative patterns at once. Each pattern here is a yes/no outcome per run; the
table gives its probability over the runs, a 95% Wilson score interval, the historical
outcome and the number of runs it is computed over. The historical branch should be the
most likely and none should be certain: the other branches (Beria wins, Malenkov stays,
the 1957 move succeeds) must happen in some runs.

Patterns read only ``result.national`` (``first_secretary``, ``premier``) and
``result.events`` (kinds ``arrest``, ``removal``, ``presidium_vote``, ``plenum_vote``; the
``actors`` string starts ``target=<name>``; ``causes`` starts ``outcome=...``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ottepel.analysis.validation.stats import wilson
from ottepel.core.mechanisms.politics.leaders import load_leaders

try:  # the pattern registry of ottepel.analysis.validation
    from ottepel.analysis.validation import register
except ImportError:  # pragma: no cover - package without a registry
    def register(fn):
        """No registry: leave the function as it is."""
        return fn


def _events(result, kinds: tuple[str, ...]) -> pd.DataFrame:
    ev = result.events
    ev = ev[ev["kind"].isin(kinds)].copy()
    ev["target"] = ev["actors"].astype(str).str.extract(r"target=([^;]*)", expand=False)
    ev["outcome"] = ev["causes"].astype(str).str.extract(r"outcome=([^;]*)", expand=False)
    ev["office"] = ev["actors"].astype(str).str.extract(r"office=([^;]*)", expand=False)
    ev["date"] = pd.to_datetime(ev["month"])
    return ev


def _window(ev: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    return ev[(ev["date"] >= pd.Timestamp(start)) & (ev["date"] <= pd.Timestamp(end))]


def _office_at(result, var: str, month: str) -> pd.Series:
    da = result.national[var]
    months = pd.to_datetime(da["month"].values)
    sel = months <= pd.Timestamp(month)
    if not sel.any():
        return pd.Series(np.nan, index=da["run"].values)
    return pd.Series(da.values[:, np.flatnonzero(sel)[-1]], index=da["run"].values)


def _covers(result, month: str) -> bool:
    months = pd.to_datetime(result.national["month"].values)
    return months.max() >= pd.Timestamp(month)


def political_patterns(result) -> pd.DataFrame:
    """The five political patterns of the Khrushchev era, plus the main counter-branches.

    Columns: pattern, probability, ci_low, ci_high (Wilson 95%), historical (the outcome
    that happened, True/False), n (runs the pattern is computed over), note.
    """
    lt = load_leaders()
    kh, mal, ber = lt.index("khrushchev"), lt.index("malenkov"), lt.index("beria")
    runs = result.national["run"].values
    rows = []

    def add(name, hits, base, historical, note=""):
        base = pd.Index(base)
        k, n = int(pd.Index(hits).isin(base).sum()), len(base)
        lo, hi = wilson(k, n)
        rows.append({"pattern": name, "probability": k / n if n else float("nan"),
                     "ci_low": lo, "ci_high": hi, "historical": historical, "n": n, "note": note})

    ev = _events(result, ("arrest", "removal", "presidium_vote", "plenum_vote"))
    gone = _window(ev[ev["kind"].isin(["arrest", "removal"])], "1953-01", "1953-12-31")
    beria_out = set(gone.loc[gone["target"] == lt.name[ber], "run"])
    add("Beria removed by the end of 1953", beria_out, runs, True)
    beria_strikes = _window(ev[(ev["kind"] == "arrest")], "1953-01", "1954-12-31")
    beria_won = set(beria_strikes.loc[beria_strikes["actors"].str.contains(
        f"; by={lt.name[ber]}$", regex=True), "run"])
    add("Beria arrests a rival (1953-54)", beria_won, runs, False, "counter-branch")
    pm = _office_at(result, "premier", "1956-12")
    add("Malenkov out of the premiership by the end of 1956", pm.index[pm != mal], runs, True)
    pv = _window(ev[(ev["kind"] == "presidium_vote") & (ev["outcome"] == "passed")
                    & (ev["office"].fillna("").str.contains("first_secretary"))], "1956-01", "1958-12-31")
    plen = _window(ev[ev["kind"] == "plenum_vote"], "1956-01", "1958-12-31")
    decided = pd.merge(pv[["run", "month"]], plen[["run", "month"]], on=["run", "month"])
    add("A Presidium majority moves against the First Secretary in 1956-1958 and the CC decides",
        set(decided["run"]), runs, True)
    won = set(plen.loc[plen["outcome"] == "removed", "run"]) & set(decided["run"])
    add("... and the CC removes him (the 1957 move succeeds)", won, runs, False, "counter-branch")
    fs, prem = result.national["first_secretary"], result.national["premier"]
    months = pd.to_datetime(fs["month"].values)
    w = (months >= pd.Timestamp("1958-01")) & (months <= pd.Timestamp("1960-12"))
    both = ((fs.values[:, w] == kh) & (prem.values[:, w] == kh)).any(1)
    add("Khrushchev holds both First Secretary and Premier in 1958-1960", runs[both], runs, True)
    fs62 = _office_at(result, "first_secretary", "1962-01")
    held = fs62.index[fs62 == kh]
    out = _window(ev[(ev["kind"] == "plenum_vote") & (ev["outcome"] == "removed")
                     & (ev["target"] == lt.name[kh])], "1963-01", "1966-12-31")
    end = "1966-12" if _covers(result, "1966-12") else str(pd.to_datetime(months.max()).strftime("%Y-%m"))
    add("Khrushchev removed by the CC in 1963-1966, among runs where he was First Secretary in 1962-01",
        set(out["run"]), held, True, f"window ends {end}")
    return pd.DataFrame(rows)


@register
def politics_pattern_rows(result) -> pd.DataFrame:
    """Registry rows: each historical branch most likely but not certain, the others possible.

    Columns as the registry asks (``pattern, value, lo, hi, target, passed, tolerance,
    years``): ``value`` is the probability over the runs, ``lo``/``hi`` its 95% Wilson
    interval. Empty if the result does not cover March 1953 to December 1964 or has no
    politics outputs. In pinned mode every branch is certain, so the "not certain" rule
    fails there by design.
    """
    months = pd.to_datetime(result.national["month"].values)
    if ("first_secretary" not in result.national or months.min() > pd.Timestamp("1953-03")
            or months.max() < pd.Timestamp("1964-12")):
        return pd.DataFrame()
    pat = political_patterns(result)
    rows = []
    for r in pat.itertuples():
        if r.historical:
            passed, rule = 0.5 < r.probability < 1.0, "most likely (> 0.5) and not certain (< 1)"
        else:
            passed, rule = 0.0 < r.probability < 0.5, "happens in some runs, less likely than history"
        rows.append({"pattern": r.pattern, "value": r.probability, "lo": r.ci_low, "hi": r.ci_high,
                     "target": 1.0 if r.historical else 0.0, "passed": bool(passed),
                     "tolerance": rule, "years": _years(r.pattern)})
    return pd.DataFrame(rows)


def _years(pattern: str) -> str:
    for span in ("1956-1958", "1958-1960", "1963-1966", "1953-54"):
        if span in pattern:
            return span
    return "1953" if "1953" in pattern else "1953-1956"
