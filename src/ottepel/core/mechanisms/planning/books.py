"""Planning state: the producers' books and the fixed regional structure they sit in."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ottepel.data import _read_csv, load_regions


@dataclass(frozen=True)
class PlanningState:
    """Producers' books (float32) and the administration (float64); run axis first.

    Attributes:
        productivity: (runs, regions, 4P) log productivity of each producer (signed).
        target, reported, true_output: (runs, 4, regions, 2P) the year's books by line,
            in million t (grain, meat, milk) or 1953 output units a year (industry).
        honesty: (runs, regions, 4P) deterrence remembered from past punishment.
        collusion_draw: (runs, regions) persistent standard normal (signed).
        collusion: (runs, regions) current share of audits blunted by collusion.
        ambition: (runs, regions) pledge ambition of the region's leaders, fraction.
        pledge_mt: (runs, regions) meat pledged for the current year, million t.
        purchased_mt: (runs, regions) meat bought to meet the pledge this year, million t.
        slaughter_head: (runs, regions) breeding cattle slaughtered for the pledge, million.
        meat_reported_1, meat_reported_2: (runs, regions) meat reported 1 and 2 years ago.
        cattle_1, cattle_2: (runs, regions) cattle 1 and 2 Decembers ago, million head.
        pledge_ratio_1, slaughter_1: (runs, regions) last year's pledge and slaughter.
        input_allocation: (runs, regions) farm-input factor, true-output-weighted mean 1.
        delivery_ratio: (runs, regions) inter-regional deliveries received over needed.
        industry_supply_factor: (runs,) industrial output factor (ministries = 1).
        interregional_delivery_ratio: (runs,) national deliveries received over needed.
        region_reported, region_true: (runs, 4, regions) the books summed by region.
        reported_total, true_total, target_total: (runs, 4) national books by line.
        audits_k, audits_found_k: (runs,) thousand real producers audited / caught.
        padding_found: (runs, 4) padding removed by audits, line units.
        pledge_regions: (runs,) regions pledging at least +50% this year.
        repression_ref: (runs, regions) fear (repression domain) when first read (0: unset).
    """

    productivity: np.ndarray = field(metadata={"signed": True})
    target: np.ndarray
    reported: np.ndarray
    true_output: np.ndarray
    honesty: np.ndarray
    collusion_draw: np.ndarray = field(metadata={"signed": True})
    collusion: np.ndarray
    ambition: np.ndarray
    pledge_mt: np.ndarray
    purchased_mt: np.ndarray
    slaughter_head: np.ndarray
    meat_reported_1: np.ndarray
    meat_reported_2: np.ndarray
    cattle_1: np.ndarray
    cattle_2: np.ndarray
    pledge_ratio_1: np.ndarray
    slaughter_1: np.ndarray
    input_allocation: np.ndarray
    delivery_ratio: np.ndarray
    industry_supply_factor: np.ndarray
    interregional_delivery_ratio: np.ndarray
    region_reported: np.ndarray
    region_true: np.ndarray
    reported_total: np.ndarray
    true_total: np.ndarray
    target_total: np.ndarray
    audits_k: np.ndarray
    audits_found_k: np.ndarray
    padding_found: np.ndarray
    pledge_regions: np.ndarray
    repression_ref: np.ndarray


# ---------------------------------------------------------------- static structure

_LIGHT = ("textile", "light", "food", "flax", "cotton", "fish", "meat", "dairy", "sugar",
          "wine", "silk", "carpet", "tea", "tobacco", "leather", "karakul", "rice", "soya")


@dataclass(frozen=True)
class Structure:
    """Fixed regional facts used by planning (all (regions,) arrays).

    Attributes:
        industry_share: share of national industrial output (urban population, 1959).
        group_a_share: heavy-industry share of the region's industry (from its profile).
        council_1963: index of the council the region belonged to after the 1963 merger.
        partner_share_1963: share of the rest of the USSR's industry inside that council.
        rural_share: share of the rural population (1959), for counts of farms.
    """

    industry_share: np.ndarray
    group_a_share: np.ndarray
    council_1963: np.ndarray
    partner_share_1963: np.ndarray
    rural_share: np.ndarray


@lru_cache(maxsize=1)
def structure() -> Structure:
    """Regional industrial shares, group A shares and the 1963 councils."""
    r = load_regions()
    urban = r.population_1959 * r.urban_share_1959
    q = urban / urban.sum()
    profile = _read_csv("regions_1957.csv")["industrial_profile"].str.lower()
    parts = profile.str.split(",")
    light = np.array([sum(any(k in x for k in _LIGHT) for x in p) for p in parts], float)
    heavy = np.array([len(p) for p in parts], float) - light
    a = (heavy + 0.5) / (heavy + light + 1.0)
    a = np.clip(a * 0.70 / np.sum(q * a), 0.05, 0.95)  # national group A share ~0.70 (TsSU)
    councils = _read_csv("sovnarkhoz_councils_1963.csv").set_index("code").loc[r.code]
    code = np.unique(councils["council_1963"].to_numpy(str), return_inverse=True)[1]
    council_q = np.bincount(code, weights=q)[code]
    partner = (council_q - q) / np.maximum(1.0 - q, 1e-12)
    rural = r.population_1959 * (1 - r.urban_share_1959)
    return Structure(q, a, code, partner, rural / rural.sum())

