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


def _fs_plenum_votes(ev: pd.DataFrame) -> pd.DataFrame:
    """Presidium majorities against the First Secretary decided by a CC plenum (one row each)."""
    pv = ev[(ev["kind"] == "presidium_vote") & (ev["outcome"] == "passed")
            & (ev["office"].fillna("").str.contains("first_secretary"))]
    plen = ev[ev["kind"] == "plenum_vote"]
    return pd.merge(pv[["run", "month", "date"]], plen[["run", "month", "outcome", "target"]],
                    on=["run", "month"])


def path_steps(result) -> dict:
    """The five steps of the historical path, run by run (sets of run ids), and their timing.

    Keys: ``runs`` (all run ids); ``beria`` (Beria arrested or removed in 1953); ``malenkov``
    (Malenkov no longer Premier at the end of 1955); ``anti_party`` (a Presidium majority
    moves against the First Secretary in 1957 and the CC upholds him); ``dual`` (Khrushchev
    First Secretary and Premier at once in 1958-60); ``removal`` (the CC removes Khrushchev
    in 1964); ``all_five``; ``upheld_year`` and ``removal_year`` (run -> year of the first
    such event, any year); ``successor`` (run -> name of the First Secretary after a
    removal in 1963 or later); ``zhukov`` (Zhukov out of the Defence Ministry in 1957-58 after holding it).
    """
    lt = load_leaders()
    kh, mal, ber, zh = (lt.index(k) for k in ("khrushchev", "malenkov", "beria", "zhukov"))
    runs = pd.Index(result.national["run"].values)
    ev = _events(result, ("arrest", "removal", "presidium_vote", "plenum_vote"))
    gone = _window(ev[ev["kind"].isin(["arrest", "removal"])], "1953-01", "1953-12-31")
    out = {"runs": runs, "beria": set(gone.loc[gone["target"] == lt.name[ber], "run"])}
    pm = _office_at(result, "premier", "1955-12")
    out["malenkov"] = set(pm.index[pm != mal])
    dec = _fs_plenum_votes(ev)
    up = dec[dec["outcome"] == "upheld"].sort_values("date").drop_duplicates("run")
    out["upheld_year"] = dict(zip(up["run"], up["date"].dt.year, strict=True))
    out["anti_party"] = {r for r, y in out["upheld_year"].items() if y == 1957}
    fs, prem = result.national["first_secretary"], result.national["premier"]
    months = pd.to_datetime(fs["month"].values)
    w = (months >= pd.Timestamp("1958-01")) & (months <= pd.Timestamp("1960-12"))
    both = ((fs.values[:, w] == kh) & (prem.values[:, w] == kh)).any(1)
    out["dual"] = set(runs[both])
    rem = ev[(ev["kind"] == "plenum_vote") & (ev["outcome"] == "removed") & (ev["target"] == lt.name[kh])]
    rem = rem.sort_values("date").drop_duplicates("run")
    out["removal_year"] = dict(zip(rem["run"], rem["date"].dt.year, strict=True))
    out["removal"] = {r for r, y in out["removal_year"].items() if y == 1964}
    succ = {}
    names = np.append(lt.name, "other")
    pos = {r: i for i, r in enumerate(runs)}
    for r, d in zip(rem["run"], rem["date"], strict=True):
        if d.year < 1963:  # the succession of 1964, not a fall in the 1950s
            continue
        k = min(int(np.searchsorted(months, d)), len(months) - 1)
        succ[r] = names[int(fs.values[pos[r], k]) if fs.values[pos[r], k] >= 0 else lt.n]
    out["successor"] = succ
    dm = result.national["defence_minister"].values
    w57 = (months >= pd.Timestamp("1957-01")) & (months <= pd.Timestamp("1958-12"))
    held = (dm[:, w57] == zh)
    fell = held.any(1) & (held[:, -1] == 0) if w57.any() else np.zeros(len(runs), bool)
    out["zhukov"] = set(runs[fell])
    out["all_five"] = (out["beria"] & out["malenkov"] & out["anti_party"] & out["dual"]
                       & out["removal"])
    return out


# The historical path with the literature's claim and source beside each step.
PATH = (
    ("beria", "1. Beria removed by the end of 1953", "1953",
     "his colleagues arrested him in June 1953, fearing his police power", "Knight 1993 ch. 9; Taubman 2003 ch. 10"),
    ("malenkov", "2. Malenkov out of the premiership by the end of 1955", "1955",
     "demoted in February 1955 after Khrushchev turned the heavy-industry lobby against him", "Tompson 1995 ch. 5; Taubman 2003 ch. 11"),
    ("anti_party", "3. The anti-party move fails in 1957: the CC upholds the First Secretary", "1957",
     "the Presidium majority of June 1957 was overturned by the CC plenum", "Taubman 2003 ch. 13; Tompson 1995 ch. 7"),
    ("dual", "4. Khrushchev First Secretary and Premier at once in 1958-1960", "1958-1960",
     "he took the premiership from Bulganin in March 1958", "Tompson 1995 ch. 7"),
    ("removal", "5. Khrushchev removed by the CC in 1964", "1964",
     "the October 1964 plenum removed him after the plotters canvassed its members", "Taubman 2003 ch. 20; Tompson 1995 ch. 10"),
    ("all_five", "All five steps in one run", "1953-1964",
     "the record is one path through these branch points", "issue 15: at least 40% of runs"),
)


def path_table(result) -> pd.DataFrame:
    """The political path table: each step's share of runs, Wilson 95% interval, claim, source.

    Also the timing rows (the year the CC upholds the First Secretary, the year it removes
    Khrushchev: the share in the historical year against the most common other year), the
    modal successor, and Zhukov's fall. Columns: key, pattern, years, probability, ci_low,
    ci_high, modal (True if the historical branch is the most common), claim, source.
    """
    steps = path_steps(result)
    n = len(steps["runs"])
    rows = []

    def add(key, name, years, k, claim, source, modal):
        lo, hi = wilson(k, n)
        rows.append({"key": key, "pattern": name, "years": years, "probability": k / n if n else np.nan,
                     "ci_low": lo, "ci_high": hi, "modal": bool(modal), "claim": claim, "source": source})

    for key, name, years, claim, source in PATH:
        k = len(steps[key])
        add(key, name, years, k, claim, source, k / max(n, 1) > 0.5 if key != "all_five" else k / max(n, 1) >= 0.4)
    for key, year, label in (("upheld_year", 1957, "the CC upholds the First Secretary"),
                             ("removal_year", 1964, "the CC removes Khrushchev")):
        years = pd.Series(steps[key], dtype=float).value_counts()
        other = years.drop(year, errors="ignore")
        best = f"{int(other.index[0])}: {other.iloc[0] / max(n, 1):.2f}" if len(other) else "none"
        k = int(years.get(year, 0))
        add(key, f"Timing: {label} in {year} (most common other year {best})", str(year), k,
            "June 1957, not earlier" if year == 1957 else "October 1964",
            "Taubman 2003 ch. 13, 20", k > (other.iloc[0] if len(other) else 0))
    succ = pd.Series(steps["successor"], dtype=object).value_counts()
    top = succ.index[0] if len(succ) else "none"
    bre = str(load_leaders().name[load_leaders().index("brezhnev")])
    k = int(succ.get(bre, 0))
    add("successor", f"Brezhnev the successor (most common: {top}; "
        + ", ".join(f"{a.split()[-1]} {b}" for a, b in succ.head(3).items()) + ")", "1964", k,
        "the plotters settled on Brezhnev as a compromise", "Tompson 1995 ch. 10; Taubman 2003 ch. 20",
        top == bre)
    add("zhukov", "Zhukov dismissed from the Defence Ministry in 1957-1958", "1957-1958",
        len(steps["zhukov"]), "dismissed in October 1957 as a threat to the party's rule",
        "Taubman 2003 ch. 13; Colton 1979", len(steps["zhukov"]) / max(n, 1) > 0.5)
    return pd.DataFrame(rows)


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


def bloc_world_rows(result) -> list[dict]:
    """The bloc and China rows of the path table (shares of runs, Wilson intervals)."""
    runs = result.national["run"].values
    n = len(runs)
    ev = result.events
    rows = []

    def add(key, name, years, hit, claim, source):
        k = len(set(hit))
        lo, hi = wilson(k, n)
        rows.append({"key": key, "pattern": name, "years": years, "probability": k / n if n else np.nan,
                     "ci_low": lo, "ci_high": hi, "modal": k / max(n, 1) > 0.5, "claim": claim,
                     "source": source})

    def runs_of(kind, country, start, end):
        e = ev[(ev["kind"] == kind) & ev["actors"].astype(str).str.contains(country)]
        d = pd.to_datetime(e["month"])
        return e.loc[(d >= pd.Timestamp(start)) & (d <= pd.Timestamp(end)), "run"]

    add("gdr_1953", "Bloc: a rising in the GDR in 1953", "1953",
        runs_of("uprising", "German Democratic Republic", "1953-03", "1953-12-31"),
        "the June 1953 rising against the raised work norms", "Ostermann 2001; Kramer 1999")
    add("hungary_1956", "Bloc: Soviet intervention in Hungary in 1956", "1956",
        runs_of("intervention", "Hungary", "1956-01", "1956-12-31"),
        "the second intervention of 4 November 1956", "Kramer 1996 (CWIHP Bulletin 8-9)")
    add("poland_1956", "Bloc: a concession in Poland in 1956 (Gomulka)", "1956",
        runs_of("concession", "Poland", "1956-01", "1956-12-31"),
        "Moscow accepted Gomulka in October 1956 rather than invade", "Kramer 1996; Granville 2004")
    if "china_split" in result.national:
        cs = result.national["china_split"].values[:, -1] > 0
        add("china_split", "China: the split (Soviet experts withdrawn) by the end of the run", "1960",
            runs[cs], "the experts were withdrawn in July 1960; the split followed destalinisation and coexistence",
            "Lüthi 2008 ch. 4-5")
    return rows


_RULES = {
    "all_five": ("at least 40% of runs (issue 15)", lambda v: v >= 0.4),
    "china_split": ("60-95% of replay runs (issue 15)", lambda v: 0.6 <= v <= 0.95),
}


@register
def politics_pattern_rows(result) -> pd.DataFrame:
    """The political path table as registry rows, the literature's claim and source beside each.

    Rows: the five steps of the record (each the modal outcome in its window, none above
    0.97), all five together (at least 0.4), the timing rows (the historical year more
    common than any other), Brezhnev the modal successor, Zhukov's fall, the bloc rows (GDR
    1953, Hungary and Poland 1956: modal) and the China split (0.6-0.95). ``value`` is the
    share of runs, ``lo``/``hi`` its 95% Wilson interval; the tolerance column states the
    rule and then the literature's claim and source. Empty if the result does not cover
    March 1953 to December 1964 or has no politics outputs.
    """
    months = pd.to_datetime(result.national["month"].values)
    if ("first_secretary" not in result.national or months.min() > pd.Timestamp("1953-03")
            or months.max() < pd.Timestamp("1964-12")):
        return pd.DataFrame()
    table = pd.concat([path_table(result), pd.DataFrame(bloc_world_rows(result))], ignore_index=True)
    rows = []
    for r in table.itertuples():
        if r.key in _RULES:
            rule, ok = _RULES[r.key]
            passed = ok(r.probability)
        elif r.key in ("upheld_year", "removal_year", "successor"):
            rule, passed = "the historical branch the most common", bool(r.modal)
        else:
            rule, passed = "modal (> 0.5) and not near certain (<= 0.97)", 0.5 < r.probability <= 0.97
        rows.append({"pattern": r.pattern, "value": r.probability, "lo": r.ci_low, "hi": r.ci_high,
                     "target": 1.0, "passed": bool(passed),
                     "tolerance": f"{rule}; literature: {r.claim} ({r.source})",
                     "years": r.years, "claim": r.claim, "literature": r.source})
    return pd.DataFrame(rows)
