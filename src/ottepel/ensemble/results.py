"""Results of an ensemble: xarray datasets and an events table.

``Result.national``: Dataset, dims (run, month); month is datetime64[M]-valued
(stored as datetime64[ns] at the first of the month, the form xarray keeps), annual
variables sit in December and are NaN in the other months.
``Result.regional``: Dataset, dims (run, month, region), December of each year.
``Result.events``: DataFrame with columns run, month, kind, actors, magnitude, causes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

from ottepel.data import history_series, load_regions

if TYPE_CHECKING:
    from ottepel.core.engine import ChunkOutput
    from ottepel.core.scenario import Scenario

# Model variable -> (history series, kind[, shift]) used in tables and reports. A shift of
# -1 compares the model's December of year y with a 1 January figure of year y + 1.
HISTORY_MAP = {
    "grain_harvest_mt": ("grain_harvest_mt", "official"),
    "grain_sown_mha": ("grain_sown_area_mha", "official"),
    "grain_yield_c_per_ha": ("grain_yield_c_per_ha", "official"),
    "grain_procurement_mt": ("grain_state_procurement_mt", "official"),
    "virgin_lands_sown_mha": ("virgin_lands_sown_mha", None),
    "maize_sown_mha": ("maize_sown_area_mha", "official"),
    "grain_exports_mt": ("grain_exports_mt", "official"),
    "meat_production_mt": ("meat_production_mt", "official"),
    "milk_production_mt": ("milk_production_mt", "official"),
    "housing_completed_mn_m2": ("housing_completed_mn_m2", "official"),
    "population_mn": ("population_mn", "official", -1),
    "urban_share": ("urban_population_share", "official", -1),
    "pigs_mn_head": ("pigs_mn_head", "official", -1),
    "cattle_mn_head": ("cattle_mn_head", "official", -1),
    "grain_imports_mt": ("grain_imports_purchased_1963_64_mt", "other"),
}


def to_month64(months: np.ndarray) -> np.ndarray:
    """datetime64[M] -> datetime64[ns] (first of month), the dtype xarray stores."""
    return months.astype("datetime64[M]").astype("datetime64[ns]")


@dataclass
class Result:
    """An ensemble's outputs.

    Attributes:
        scenario: scenario name.
        seed: ensemble seed.
        national: xarray Dataset (run, month).
        regional: xarray Dataset (run, month, region).
        events: pandas DataFrame.
    """

    scenario: str
    seed: int
    national: xr.Dataset
    regional: xr.Dataset
    events: pd.DataFrame

    @classmethod
    def from_chunks(cls, scenario: Scenario, seed: int, chunks: list[ChunkOutput]) -> Result:
        """Concatenate chunk outputs in run order."""
        chunks = sorted(chunks, key=lambda c: int(c.run_ids[0]))
        runs = np.concatenate([c.run_ids for c in chunks])
        months = to_month64(scenario.months)
        from ottepel.core.catalog import national_catalog, regional_catalog

        cat = national_catalog()
        nat = xr.Dataset(
            {k: (("run", "month"), np.concatenate([c.national[k] for c in chunks]))
             for k in chunks[0].national},
            coords={"run": runs, "month": months},
            attrs={"scenario": scenario.name, "seed": seed},
        )
        for k in nat.data_vars:
            nat[k].attrs.update(units=cat[k][0], cadence=cat[k][1], description=cat[k][2])
        decs = scenario.months[(scenario.months.astype(int) % 12) == 11]
        regions = load_regions()
        rcat = regional_catalog()
        reg = xr.Dataset(
            {k: (("run", "month", "region"), np.concatenate([c.regional[k] for c in chunks]))
             for k in chunks[0].regional},
            coords={"run": runs, "month": to_month64(decs), "region": regions.code,
                    "republic": ("region", regions.republic), "lat": ("region", regions.lat),
                    "lon": ("region", regions.lon), "region_name": ("region", regions.name)},
        )
        for k in reg.data_vars:
            reg[k].attrs.update(units=rcat[k][0], description=rcat[k][1])
        events = pd.concat([c.events for c in chunks], ignore_index=True)
        events["month"] = events["month"].astype("datetime64[ns]")
        events = events.sort_values(["run", "month", "kind"], kind="stable").reset_index(drop=True)
        return cls(scenario.name, seed, nat, reg, events)

    def annual(self, var: str) -> pd.DataFrame:
        """December values of a variable: DataFrame (run x year)."""
        da = self.national[var]
        dec = da.sel(month=da["month"].dt.month == 12)
        years = dec["month"].dt.year.values
        return pd.DataFrame(dec.values, index=dec["run"].values, columns=years)

    def summary(self, var: str, lo: float = 0.05, hi: float = 0.95) -> pd.DataFrame:
        """Median and band by year, with the historical record where there is one."""
        df = self.annual(var)
        out = pd.DataFrame({
            "median": df.median(), f"q{int(lo * 100):02d}": df.quantile(lo),
            f"q{int(hi * 100)}": df.quantile(hi),
        })
        hist = HISTORY_MAP.get(var)
        if hist:
            h = history_series(hist[0], hist[1])
            if len(hist) > 2:
                h.index = h.index + hist[2]
            if var == "urban_share":
                h = h / 100.0
            out["history"] = h.reindex(out.index)
        return out


def grain_fit(result: Result, tolerance: float = 0.15) -> pd.DataFrame:
    """Median grain harvest against the official series, 1953-1964, with pass/fail."""
    s = result.summary("grain_harvest_mt")
    s = s.loc[[y for y in range(1953, 1965) if y in s.index]]
    s["rel_error"] = s["median"] / s["history"] - 1
    s["within"] = s["rel_error"].abs() <= tolerance
    return s
