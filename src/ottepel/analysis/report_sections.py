"""Report sections contributed by the politics, planning and society domains.

Each section is a function ``(result) -> (title, html) | None`` registered in
``SECTIONS``, which the report reads; it returns None when its domain's outputs are absent.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

Section = Callable[..., "tuple[str, str] | None"]  # Result -> (title, html) or None


def _table_html(df: pd.DataFrame) -> str:
    return df.to_html(index=False, float_format=lambda x: f"{x:,.2f}", na_rep="", border=0,
                      classes="tbl")


def political_record(result) -> tuple[str, str] | None:
    """The political record as patterns: each a probability with its 95% interval."""
    if "first_secretary" not in result.national:
        return None
    from ottepel.analysis.validation.politics_patterns import political_patterns

    df = political_patterns(result).reset_index(drop=True)
    text = ("<p>Share of runs in which each branch of the political record happened, with a 95% "
            "Wilson interval. Politics runs free: the historical outcome should be the most "
            "likely, and none certain.</p>")
    extended = _fall_window(result)
    if extended is not None:
        df = pd.concat([df, extended], ignore_index=True)
        text += ("<p>The historical scenario ends in December 1964, which cuts the 1963-1966 "
                 "window of the last pattern; the last row repeats it on "
                 "<code>khrushchev-1953-to-1966</code> (the same decisions to 1964, the same "
                 "seeds, so the same runs up to then, continued to 1966 with no new decisions).</p>")
    return "The political record as patterns", text + _table_html(df)


def _fall_window(result) -> pd.DataFrame | None:
    """The 1963-1966 removal pattern on the extended scenario, for runs of the default one."""
    last = pd.Timestamp(result.national["month"].values[-1])
    if result.scenario != "khrushchev-1953" or last.year >= 1966:
        return None
    from ottepel.analysis.validation.politics_patterns import political_patterns
    from ottepel.ensemble.simulate import simulate

    ext = simulate("khrushchev-1953-to-1966", runs=result.national.sizes["run"], seed=result.seed)
    rows = political_patterns(ext).reset_index(drop=True)
    row = rows[rows["pattern"].str.contains("removed by the CC")].copy()
    row["pattern"] = row["pattern"] + " [khrushchev-1953-to-1966]"
    return row


def two_sets_of_books(result) -> tuple[str, str] | None:
    """Official (reported) statistics beside the model's reality."""
    if "grain_harvest_reported_mt" not in result.national:
        return None
    from ottepel.analysis.validation.planning_checks import ratio_by_year

    df = ratio_by_year(result).reset_index()
    df = df.drop(columns=[c for c in ('source',) if c in df.columns])
    text = ("<p>Every produced quantity exists twice: what producers reported (the model's "
            "official statistics) and what was produced. Ratios are reported over true, by year, "
            "with the range western re-estimates put on Soviet figures (CIA/RR CB 65-18, March "
            "1965: within 5% in 1950-57, up to 25% above in 1958-63; applied to meat as an "
            "assumption).</p>")
    return "Two sets of books: official and true", text + _table_html(df)


def society_and_bloc(result) -> tuple[str, str] | None:
    """Gulag, riots, uprisings and living space: the society patterns of the replay."""
    if "gulag_population_mn" not in result.national:
        return None
    from ottepel.analysis.validation.society_checks import gulag_check, living_space_check

    ev = result.events
    n = result.national.sizes["run"]
    year = pd.to_datetime(ev["month"]).dt.year
    rows = []
    for kind in ("uprising", "intervention", "riot", "split", "crisis", "launch"):
        hits = ev[(ev["kind"] == kind)]
        by_year = hits.groupby(year[hits.index])["run"].nunique() / n
        rows.append({"event": kind, **{int(y): round(float(v), 3) for y, v in by_year.items()}})
    events = pd.DataFrame(rows).fillna(0.0)
    gulag = gulag_check(result)
    space = living_space_check(result)
    html = ("<p>Share of runs with each kind of event, by year:</p>" + _table_html(events)
            + "<p>Gulag population (December) against 2.47 mn on 1 January 1953:</p>"
            + _table_html(gulag) + "<p>Urban living space:</p>" + _table_html(space))
    return "Society, repression and the bloc", html


SECTIONS: list[Section] = [political_record, two_sets_of_books, society_and_bloc]
