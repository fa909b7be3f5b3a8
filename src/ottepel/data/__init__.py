"""Packaged facts, each row with its source.

Files (see ``SOURCES.md`` beside them):
- ``regions_1957.csv``: the 105 economic regions (sovnarkhozy) of 1957.
- ``series.csv``: yearly historical series (official and western kinds).
- ``series_extra.csv``: livestock and housing series added by this project.
- ``events.csv``: dated events 1953-1964, the political record and decisions.
- ``weather_index.csv``: weather index by macro-region 1950-1970 (-3..+3).
- ``region_weather.csv``: how each region maps to a weather macro-region.
- ``republic_grain_area_1953.csv``: 1953 grain sown area by republic.
- ``camps_zemskov.csv``: camps, colonies and special settlers 1953-1960 (camps_zemskov.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

AGRI_ZONES = (
    "chernozem_steppe",
    "forest_steppe",
    "dry_steppe",
    "non_chernozem",
    "mountain",
    "semi_desert_irrigated",
    "subtropical",
    "taiga_tundra",
)

MACRO_REGIONS = (
    "ukraine",
    "north_caucasus",
    "central_black_earth",
    "volga",
    "non_chernozem_centre",
    "northwest_baltic_belorussia",
    "urals",
    "west_siberia",
    "north_kazakhstan",
    "central_asia",
    "east_siberia_far_east",
)


class DataError(ValueError):
    """A packaged or user data file is malformed."""


def _read_csv(name: str) -> pd.DataFrame:
    path = resources.files(__package__).joinpath(name)
    with resources.as_file(path) as p:
        df = pd.read_csv(p, keep_default_na=False, na_values=[""])
    if "source" in df.columns and df["source"].isna().any():
        bad = df.index[df["source"].isna()][0]
        raise DataError(f"{name}: row {bad + 2} has no source; every data row needs one")
    return df


@dataclass(frozen=True)
class Regions:
    """The 105 regions of 1957 as arrays (region axis in file order).

    Attributes:
        code: (regions,) str, e.g. ``"RU01"``.
        name, republic: (regions,) str.
        population_1959: (regions,) float64, thousand persons (1959 census).
        urban_share_1959: (regions,) float64, fraction.
        agri_zone: (regions,) int, index into ``AGRI_ZONES``.
        virgin_lands: (regions,) bool.
        grain_region: (regions,) str, major / minor / deficit.
        lat, lon: (regions,) float64, degrees.
        weather_macro: (regions,) int, index into ``MACRO_REGIONS`` (-1 for none).
        weather_weight: (regions,) float64, weight on the macro-region index.
    """

    code: np.ndarray
    name: np.ndarray
    republic: np.ndarray
    population_1959: np.ndarray
    urban_share_1959: np.ndarray
    agri_zone: np.ndarray
    virgin_lands: np.ndarray
    grain_region: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    weather_macro: np.ndarray
    weather_weight: np.ndarray

    @property
    def n(self) -> int:
        """Number of regions."""
        return len(self.code)

    def index_of(self, code: str) -> int:
        """Position of a region code; raises KeyError if unknown."""
        hits = np.flatnonzero(self.code == code)
        if not len(hits):
            raise KeyError(code)
        return int(hits[0])


@lru_cache(maxsize=1)
def load_regions() -> Regions:
    """Load the 105 regions with their weather mapping."""
    df = _read_csv("regions_1957.csv")
    if len(df) != 105:
        raise DataError(f"regions_1957.csv: expected 105 regions, found {len(df)}")
    bad = set(df["agri_zone"]) - set(AGRI_ZONES)
    if bad:
        raise DataError(f"regions_1957.csv: field agri_zone has unknown values {sorted(bad)}")
    wm = _read_csv("region_weather.csv").set_index("code")
    missing = set(df["code"]) - set(wm.index)
    if missing:
        raise DataError(f"region_weather.csv: regions without a weather mapping {sorted(missing)}")
    wm = wm.loc[df["code"]]
    macro = np.array(
        [MACRO_REGIONS.index(m) if m in MACRO_REGIONS else -1 for m in wm["macro_region"]]
    )
    return Regions(
        code=df["code"].to_numpy(str),
        name=df["name"].to_numpy(str),
        republic=df["republic"].to_numpy(str),
        population_1959=df["population_1959_thousands"].to_numpy(float),
        urban_share_1959=df["urban_share_1959"].to_numpy(float),
        agri_zone=np.array([AGRI_ZONES.index(z) for z in df["agri_zone"]]),
        virgin_lands=(df["virgin_lands"] == "yes").to_numpy(),
        grain_region=df["grain_region"].to_numpy(str),
        lat=df["lat"].to_numpy(float),
        lon=df["lon"].to_numpy(float),
        weather_macro=macro,
        weather_weight=wm["weight"].to_numpy(float),
    )


@lru_cache(maxsize=1)
def load_series() -> pd.DataFrame:
    """All historical series (shared history plus this project's additions), long form."""
    df = pd.concat([_read_csv("series.csv"), _read_csv("series_extra.csv")], ignore_index=True)
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    return df


def history_series(name: str, kind: str | None = None) -> pd.Series:
    """One historical series as a Series indexed by year (first row per year wins).

    Args:
        name: series name, e.g. ``"grain_harvest_mt"``.
        kind: restrict to ``official``, ``western`` or ``other``.
    """
    df = load_series()
    df = df[(df["series"] == name) & df["value"].notna()]
    if kind:
        df = df[df["kind"] == kind]
    if name == "average_monthly_wage_rub":
        df = df[df["unit"].str.contains("new roubles")]
    return df.drop_duplicates("year").set_index("year")["value"].sort_index()


@lru_cache(maxsize=1)
def load_events() -> pd.DataFrame:
    """Dated historical events with actors, kind and source."""
    return _read_csv("events.csv")


@lru_cache(maxsize=1)
def load_camp_series() -> pd.DataFrame:
    """Camps, colonies and special settlements 1953-1960 (Zemskov; see camps_zemskov.md)."""
    return _read_csv("camps_zemskov.csv")


@lru_cache(maxsize=1)
def load_weather() -> pd.DataFrame:
    """Weather index by (year, macro_region); ``known`` is False where no record was found."""
    df = _read_csv("weather_index.csv")
    df["known"] = df["conditions"].str.strip() != "no record found"
    return df


def weather_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weather index as arrays.

    Returns:
        years (years,), index (years, macro) float64, known (years, macro) bool.
    """
    df = load_weather()
    years = np.array(sorted(df["year"].unique()))
    idx = np.zeros((len(years), len(MACRO_REGIONS)))
    known = np.zeros_like(idx, dtype=bool)
    for row in df.itertuples():
        i, j = int(row.year) - years[0], MACRO_REGIONS.index(row.macro_region)
        idx[i, j] = float(row.index)
        known[i, j] = bool(row.known)
    return years, idx, known


@lru_cache(maxsize=1)
def republic_grain_area_1953() -> pd.Series:
    """Grain sown area in 1953 by republic, million ha."""
    return _read_csv("republic_grain_area_1953.csv").set_index("republic")["grain_area_mha"]
