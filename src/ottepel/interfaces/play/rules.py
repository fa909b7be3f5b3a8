"""The rules of the game: turn length, levers offered first, dashboard, roles, GameError."""

from __future__ import annotations

MONTHS_PER_TURN = 3

# Levers offered first, in this order; any other lever follows alphabetically.
MAIN_LEVERS = (
    "invest_share_group_a", "invest_share_group_b", "invest_share_agriculture",
    "invest_share_housing", "defence_share", "maize_target_mha", "virgin_ploughing_mha",
    "procurement_price_grain", "procurement_price_livestock", "grain_procurement_plan_mt",
    "grain_exports_plan_mt", "prefab_share",
)

# The dashboard: national variables shown each turn (those the model has).
INDICATORS = (
    "grain_harvest_mt", "meat_production_mt", "milk_production_mt", "housing_completed_mn_m2",
    "living_space_m2_per_capita", "industrial_output_index", "consumer_goods_index",
    "population_mn", "state_grain_stock_mt", "grain_imports_mt", "grain_exports_mt",
)

# Leaders a player may take the role of when the model has no politics domain yet.
KNOWN_LEADERS = (
    "khrushchev", "malenkov", "beria", "molotov", "kaganovich", "voroshilov", "bulganin",
    "mikoyan", "saburov", "pervukhin", "shepilov", "zhukov", "suslov", "brezhnev", "kosygin",
    "kozlov",
)


class GameError(ValueError):
    """A move is not allowed (unknown lever, value out of range, game over, bad save)."""
