"""Planning outputs: the national and regional books recorded each December."""

from __future__ import annotations

import numpy as np

from ottepel.core.mechanisms import industry as _industry
from ottepel.core.mechanisms.planning.params import GRAIN, IND, MEAT, MILK
from ottepel.core.state import State

NATIONAL = {
    "grain_harvest_reported_mt": ("million t", "annual", "grain harvest as reported: bunker weight plus padding (the model's official statistics)"),
    "meat_production_reported_mt": ("million t", "annual", "meat as reported: true output plus padding and double-counted purchases"),
    "milk_production_reported_mt": ("million t", "annual", "milk as reported"),
    "industrial_output_index_reported": ("1953 = 100", "annual", "official industrial index: hidden inflation (industry) times padding"),
    "padding_ratio_grain": ("fraction", "annual", "(reported - true) / true, grain"),
    "padding_ratio_meat": ("fraction", "annual", "(reported - true) / true, meat"),
    "padding_ratio_milk": ("fraction", "annual", "(reported - true) / true, milk"),
    "padding_ratio_industry": ("fraction", "annual", "(reported - true) / true, industry"),
    "plan_fulfilment_grain": ("fraction", "annual", "reported grain over the sum of producers' targets"),
    "plan_fulfilment_industry": ("fraction", "annual", "reported industry over the sum of producers' targets"),
    "audits": ("thousand producers", "annual", "farms and enterprises audited in the year"),
    "audits_padding_found": ("thousand producers", "annual", "farms and enterprises caught padding"),
    "interregional_delivery_ratio": ("fraction", "annual", "deliveries between regions received over needed"),
    "industry_supply_factor": ("1", "annual", "industrial output lost to short deliveries (ministries = 1)"),
    "meat_pledge_regions": ("regions", "annual", "regions pledging at least +50% meat deliveries"),
    "pledge_slaughter_mn_head": ("million head", "annual", "breeding cattle slaughtered to meet pledges"),
}


def national(state: State) -> dict[str, np.ndarray]:
    """National books (set each December)."""
    pl = state.planning
    rep, true = pl.reported_total, pl.true_total
    ratio = rep / np.where(true > 0, true, np.nan)
    official = _industry.national(state)["industrial_output_index_official"]
    target = np.where(pl.target_total > 0, pl.target_total, np.nan)
    return {
        "grain_harvest_reported_mt": rep[:, GRAIN],
        "meat_production_reported_mt": rep[:, MEAT],
        "milk_production_reported_mt": rep[:, MILK],
        "industrial_output_index_reported": official * ratio[:, IND],
        "padding_ratio_grain": ratio[:, GRAIN] - 1,
        "padding_ratio_meat": ratio[:, MEAT] - 1,
        "padding_ratio_milk": ratio[:, MILK] - 1,
        "padding_ratio_industry": ratio[:, IND] - 1,
        "plan_fulfilment_grain": rep[:, GRAIN] / target[:, GRAIN],
        "plan_fulfilment_industry": rep[:, IND] / target[:, IND],
        "audits": pl.audits_k,
        "audits_padding_found": pl.audits_found_k,
        "interregional_delivery_ratio": pl.interregional_delivery_ratio,
        "industry_supply_factor": pl.industry_supply_factor,
        "meat_pledge_regions": pl.pledge_regions,
        "pledge_slaughter_mn_head": pl.slaughter_head.sum(-1),
    }


REGIONAL = {
    "grain_reported_mt": ("million t", "grain harvest as reported"),
    "meat_reported_mt": ("million t", "meat deliveries as reported"),
    "meat_true_mt": ("million t", "meat, true output"),
    "herd_cattle_mn_head": ("million head", "cattle at year end (from livestock)"),
    "meat_pledge_mt": ("million t", "meat pledged for the year"),
    "delivery_ratio": ("fraction", "inter-regional deliveries received over needed"),
}


def regional(state: State) -> dict[str, np.ndarray]:
    """Regional books (December)."""
    pl = state.planning
    return {
        "grain_reported_mt": pl.region_reported[:, GRAIN],
        "meat_reported_mt": pl.region_reported[:, MEAT],
        "meat_true_mt": pl.region_true[:, MEAT],
        "herd_cattle_mn_head": state.livestock.cattle,
        "meat_pledge_mt": pl.pledge_mt,
        "delivery_ratio": pl.delivery_ratio,
    }
