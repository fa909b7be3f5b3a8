"""Packaged facts for the religion, money and promises submodels (issue 18).

- ``society_extra_record.csv``: the record these submodels are checked against (church
  counts, state-loan holdings, Seven-Year Plan delivery); every row has its source.
- ``promises.csv``: the yardsticks of the Seven-Year Plan (1959) and the 1961 Party
  Programme: what was promised, by when, measured on which model output, with sources.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ottepel.data import DataError, _read_csv

PROMISE_YARDSTICKS = ("real_wage", "housing_cumulative", "consumer_goods", "working_week")


@lru_cache(maxsize=1)
def society_extra_record() -> pd.DataFrame:
    """The record rows (series, year, value, unit, kind, source, confidence, note)."""
    return _read_csv("society_extra_record.csv")


def record_value(series: str, year: int) -> float:
    """One record value; raises DataError naming the file when it is missing."""
    df = society_extra_record()
    row = df[(df["series"] == series) & (df["year"] == year)]
    if row.empty:
        raise DataError(f"society_extra_record.csv: no row for series {series!r}, year {year}")
    return float(row["value"].iloc[0])


@lru_cache(maxsize=1)
def promises_table() -> pd.DataFrame:
    """The promise yardsticks, checked: known yardstick, target after base, positive ratio."""
    df = _read_csv("promises.csv")
    for i, r in enumerate(df.itertuples(), start=2):
        if r.yardstick not in PROMISE_YARDSTICKS:
            raise DataError(f"promises.csv row {i}: yardstick {r.yardstick!r} is not one of "
                            f"{', '.join(PROMISE_YARDSTICKS)}")
        if not r.target_year > r.base_year:
            raise DataError(f"promises.csv row {i}: target_year must be after base_year")
        if not r.target > 0:
            raise DataError(f"promises.csv row {i}: target must be > 0")
    return df
