"""Land use and maize agronomy for ``agriculture``: pure functions, no state of their own.

The land balance (million ha, per region, each April). Old cropland C is fixed at its 1953
extent and closed over its uses:

    C = grain (small grains) + maize for grain + maize for silage + other fodder
        + clean fallow + industrial crops (with potatoes and vegetables)

Industrial crops keep their 1953 share. Other fodder (sown grasses, root and annual fodder
crops) follows the herd it feeds: D = D0 (cattle / cattle_1953)^e, less the grassland the
1961-63 orders ploughed up and the share of maize sown on grassland and oats for hay. Clean fallow F starts at its 1953 share and is ploughed up first
first (a share of each order, the rest from sown grasses). Maize is ordered (the campaign's target split by region); a share of its
area is taken from fallow, a share from fodder crops, the rest from small grains. Small grains get what is left
(never below a floor). Land ploughed on the virgin lands adds to cropland outside C: a
share is sown to grain, the rest is fallow and fodder.

Maize by soil-climate zone. Each region's sum of active temperatures H (degree-days
above 10 C in the growing season) is estimated from its latitude and longitude (colder
north and east) less a mountain penalty. Maize ripens for grain only above H_g0 and
fully at H_g1; green mass for silage rises with H; the feed value of a tonne of silage
rises from that of green maize cut before its cobs form to that of silage at wax
ripeness. So silage maize north of the corn belt yields much green mass of little feed
value, and maize for grain fails where the season is too short.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ottepel.data import AGRI_ZONES

# Zone groups used by the compare report: where maize ripens for grain (south), where it
# ripens only for silage (centre), where it does not ripen at all (north).
SOUTH_H, NORTH_H = 2750.0, 2150.0
ZONE_GROUPS = ("south", "centre", "north")


@lru_cache(maxsize=4)
def _heat_sum_cached(lat: tuple, lon: tuple, zones: tuple) -> np.ndarray:
    lat, lon = np.array(lat), np.array(lon)
    h = 2650.0 - 105.0 * (lat - 50.0) - 6.0 * (lon - 40.0) - 4.0 * np.maximum(lon - 80.0, 0.0)
    h = h - 350.0 * np.array([z == "mountain" for z in zones])
    return np.clip(h, 900.0, 4500.0)


def heat_sum(regions) -> np.ndarray:
    """(regions,) sum of active temperatures above 10 C, degree-days.

    A hand fit to agroclimatic values (Kiev ~2650, Moscow ~2050, Leningrad ~1700,
    Krasnodar ~3300, Alma-Ata ~3200): 2650 - 105 (lat - 50) - 6 (lon - 40) - 4 max(lon - 80, 0),
    less 350 in mountain regions.
    """
    zones = tuple(AGRI_ZONES[z] for z in regions.agri_zone)
    return _heat_sum_cached(tuple(np.asarray(regions.lat, float)), tuple(np.asarray(regions.lon, float)),
                            zones)


def zone_group(regions) -> np.ndarray:
    """(regions,) index into ZONE_GROUPS by heat sum (0 south, 1 centre, 2 north)."""
    h = heat_sum(regions)
    return np.where(h >= SOUTH_H, 0, np.where(h >= NORTH_H, 1, 2))


def ramp(x, lo, hi):
    """0 below lo, 1 above hi, linear between."""
    return np.clip((x - lo) / (hi - lo), 0.0, 1.0)


def maize_grain_ripeness(h, p):
    """Share of a full maize grain crop the season allows (0 where maize cannot ripen)."""
    return ramp(h, p.maize_grain_h0, p.maize_grain_h1)


def silage_feed_per_ha(h, p):
    """t feed units per ha of silage maize at weather index 0 (after ensiling losses)."""
    green = p.silage_green_max * ramp(h, p.silage_h0, p.maize_grain_h1)
    value = p.silage_fu_green + (p.silage_fu_wax - p.silage_fu_green) * ramp(
        h, p.silage_h0 + 700.0, p.maize_grain_h0 + 200.0)
    return green * value * (1.0 - p.ensiling_loss)


def maize_suitability(h, p):
    """Agronomic suitability (0-1) the allocation of the campaign's target follows."""
    return 0.05 + 0.95 * ramp(h, p.silage_h0, p.maize_grain_h1)


def land_balance(cropland, grain_1953, fallow_1953, fodder_1953, industrial, ploughed_up,
                 herd_ratio, maize_silage, maize_grain, p):
    """Close the old cropland over its uses (all (runs, regions) million ha).

    Args:
        cropland: C, old cropland (fixed).
        grain_1953, fallow_1953, fodder_1953: 1953 areas.
        industrial: industrial crops, potatoes and vegetables.
        ploughed_up: fallow and grassland ploughed for grain by order, cumulative.
        herd_ratio: cattle / cattle in 1953 (the fodder the herd needs).
        maize_silage, maize_grain: maize ordered for silage and for grain.

    Returns:
        dict of small_grain, fallow, fodder (other than maize) and the maize areas (cut to
        fit the land if the order exceeds it), with
        small_grain + maize_silage + maize_grain + fallow + fodder + industrial = cropland
        (up to the floor on small grains, which then squeezes fodder).
    """
    fallow = np.maximum(fallow_1953 - p.ploughup_fallow_share * ploughed_up, p.fallow_floor * fallow_1953)
    grass_ploughed = np.maximum(ploughed_up - (fallow_1953 - fallow), 0.0)
    # An order for more maize than the land left after industrial crops is cut to fit.
    room = 0.9 * np.maximum(cropland - industrial - fallow, 0.0)
    cut = np.minimum(room / np.maximum(maize_silage + maize_grain, 1e-12), 1.0)
    maize_silage, maize_grain = maize_silage * cut, maize_grain * cut
    maize_fallow = np.minimum(p.maize_from_fallow * (maize_silage + maize_grain),
                              np.maximum(fallow - p.fallow_floor * fallow_1953, 0.0))
    fallow = fallow - maize_fallow
    fodder = np.maximum(fodder_1953 * np.maximum(herd_ratio, 0.0) ** p.fodder_herd_elasticity
                        - grass_ploughed - p.maize_from_fodder * (maize_silage + maize_grain),
                        p.fodder_floor * fodder_1953)
    small = cropland - industrial - fallow - fodder - maize_silage - maize_grain
    floor = p.small_grain_floor * grain_1953
    short = np.maximum(floor - small, 0.0)
    fodder = np.maximum(fodder - short, 0.0)
    small = cropland - industrial - fallow - fodder - maize_silage - maize_grain
    return {"small_grain": np.maximum(small, 0.0), "fallow": fallow, "fodder": fodder,
            "maize_silage": maize_silage, "maize_grain": maize_grain}
