"""Planning parameters and levers: constants of the books, the levers plans and audits read."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from ottepel.core.decisions import Lever
from ottepel.core.params import ParamGroup, param

NAME = "planning"
PLAN_MONTH, CHASE_MONTH, REPORT_MONTH = 1, 11, 12
LINES = ("grain", "meat", "milk", "industry")
GRAIN, MEAT, MILK, IND = range(4)
FARM = np.array([1.0, 1.0, 1.0, 0.0])  # lines produced by farms
LIVESTOCK = np.array([0.0, 1.0, 1.0, 0.0])  # lines the meat and milk campaign presses
ADMIN_LEVERS = ("sovnarkhoz_reform", "sovnarkhoz_consolidation")
# A Ryazan-like episode: deliveries jump on a pledge, then herd and deliveries collapse.
EPISODE_JUMP, EPISODE_FALL, EPISODE_HERD_FALL = 1.4, 0.3, 0.2

LEVERS = {
    "sovnarkhoz_reform": Lever("level", 0.0, 0.0, 1.0, "0/1",
                               description="industry run by regional economic councils (1) or branch ministries (0)"),
    "sovnarkhoz_consolidation": Lever("level", 0.0, 0.0, 1.0, "0/1",
                                      description="councils merged into larger ones (105 to 47, 1963)"),
    "party_split": Lever("level", 0.0, 0.0, 1.0, "0/1",
                         description="party committees split into industrial and agricultural branches"),
    "audit_intensity": Lever("level", 1.0, 0.0, 3.0, "index, 1953 = 1",
                             description="strength of state control and audit of reports"),
    "mts_oversight": Lever("level", 1.0, 0.0, 1.0, "0/1",
                           description="machine-tractor stations assess farm output (abolished 1958)"),
    "padding_penalty": Lever("level", 1.0, 0.1, 5.0, "index, 1953 = 1",
                             description="legal severity of sanctions for padded reports"),
    "meat_pledge_intensity": Lever("level", 0.0, 0.0, 3.0, "index",
                                   description="pressure on regional leaders to pledge more meat (1 = the 1959 wave)"),
    "plan_growth_grain": Lever("level", 0.05, -0.2, 0.5, "1/yr", description="planned growth of grain output"),
    "plan_growth_livestock": Lever("level", 0.05, -0.2, 0.5, "1/yr",
                                   description="planned growth of meat and milk output"),
    "plan_growth_industry": Lever("level", 0.10, -0.2, 0.5, "1/yr",
                                  description="planned growth of industrial output"),
}

_W80 = "Weitzman 1980 (Bell J. Econ. 11:302) ratchet; value an assumption"
_B57 = "Berliner 1957, Factory and Manager in the USSR; value an assumption"


class Params(ParamGroup):
    """Plans, reports, audits, councils and pledges."""

    RUN_AXIS: ClassVar[bool] = False  # scalar parameters only (see ParamGroup)

    producers_per_region: float = param(4, 1, 16, "producers per type per region", "model resolution (not a behavioural parameter)")
    kolkhoz_count_1953: float = param(93300, 50000, 130000, "farms", "history series kolkhoz_count (1953)")
    sovkhoz_count_1953: float = param(4857, 3000, 8000, "farms", "history series sovkhoz_count (1953)")
    industrial_enterprises: float = param(200000, 50000, 400000, "enterprises", "assumption: order of magnitude of Soviet industrial enterprises in the 1950s")
    sovkhoz_share_old_land: float = param(0.12, 0.05, 0.3, "fraction", "assumption: sovkhoz share of grain on old arable land, early 1950s (TsSU sown-area tables, ~10%)")
    sovkhoz_share_virgin: float = param(0.6, 0.3, 0.9, "fraction", "McCauley 1976: most virgin land was farmed by new sovkhozes")
    sovkhoz_share_livestock: float = param(0.12, 0.05, 0.3, "fraction", "assumption: sovkhoz share of livestock output, 1950s")
    productivity_sd: float = param(0.12, 0.0, 0.4, "log", "assumption: dispersion of producers' output around their region's")
    productivity_persistence: float = param(0.7, 0.0, 0.95, "1/yr", "assumption: AR(1) persistence of producer productivity")
    ratchet_lambda_over: float = param(-0.5, -1.0, 1.0, "1", _W80 + "; -0.5 is his partial adjustment with weight ~0.5 on the report")
    ratchet_lambda_under: float = param(-0.5, -1.0, 1.0, "1", _W80 + "; negative: part of a shortfall is carried over (taut plans)")
    plan_pressure: float = param(1.0, 0.1, 5.0, "1", "normalisation: penalty weight of missing the plan")
    campaign_pressure: float = param(0.5, 0.0, 3.0, "1 per unit intensity", "assumption: the meat and milk campaign's extra pressure on livestock plans")
    split_pressure: float = param(0.3, 0.0, 2.0, "1", "assumption: agricultural party committees judged on farm output alone (Nov 1962)")
    audit_rate: float = param(0.2, 0.02, 0.6, "1/yr", "assumption: share of farms and enterprises inspected a year at 1953 control strength")
    mts_audit_share: float = param(0.5, 0.0, 1.0, "fraction", "assumption: share of farm output checks done by the MTS, paid in kind by the yields they assessed (Nove 1992 ch. 13)")
    plan_correction: float = param(0.5, 0.0, 1.0, "fraction", "Berliner 1957; Gregory 2004 (The Political Economy of Stalinism): plans corrected in the year when a region-wide shortfall was plain; size an assumption")
    detection: float = param(0.6, 0.1, 1.0, "probability", "assumption: an inspection finds padding that is there")
    punishment: float = param(25.0, 1.0, 100.0, "plan-penalty units", _B57 + ": dismissal, expulsion or prosecution against missing the plan")
    repression_weight: float = param(0.5, 0.0, 2.0, "1", "assumption: elasticity of punishment to fear (repression domain), relative to 1953")
    honesty_memory: float = param(1.0, 0.0, 5.0, "1", "assumption: extra deterrence after being caught")
    honesty_decay: float = param(0.6, 0.0, 1.0, "1/yr", "assumption: how long a caught producer stays careful")
    collusion_ministries: float = param(0.15, 0.0, 0.9, "fraction", "assumption: audits blunted by officials under the branch ministries")
    collusion_councils: float = param(0.5, 0.0, 0.9, "fraction", "assumption: audits blunted when the region's officials answer for its plan (Gorlizki 2013: networks of trust)")
    collusion_consolidated: float = param(0.4, 0.0, 0.9, "fraction", "assumption: larger councils of 1963 sit further from producers")
    collusion_adjust: float = param(0.4, 0.05, 1.0, "1/yr", "assumption: networks of trust between producers and regional officials take years to form (Gorlizki 2013)")
    collusion_sd: float = param(0.3, 0.0, 1.0, "log", "assumption: dispersion of collusion between regions")
    padding_cap: float = param(0.35, 0.05, 1.5, "fraction of true output", "assumption: paper output cannot stray far from receipts; Riazan 1959 reached 1.5 (Gorlizki 2013)")
    input_allocation_weight: float = param(0.5, 0.0, 1.0, "fraction", "assumption: share of farm inputs allocated by reported output")
    import_share: float = param(0.3, 0.0, 0.7, "fraction", "assumption: share of a region's industrial inputs from other regions")
    delivery_friction: float = param(0.03, 0.0, 0.2, "fraction", "assumption: shortfall of inter-regional deliveries under the ministries")
    localism: float = param(0.2, 0.0, 0.8, "fraction", "assumption: share of deliveries to other councils withheld (Nove 1992 ch. 12: mestnichestvo)")
    localism_sd: float = param(0.4, 0.0, 1.0, "log", "assumption: year-to-year dispersion of localism between councils")
    supply_elasticity: float = param(0.5, 0.0, 1.0, "1", "assumption: output lost per unit of missing imported inputs")
    pledge_ambition: float = param(0.1, 0.0, 2.0, "fraction", "Gorlizki 2013: most regions pledged modest rises; Riazan pledged x3")
    pledge_ambition_sd: float = param(1.0, 0.0, 2.0, "log", "assumption: heavy tail of regional leaders' ambition (a few bold pledges a year)")
    chase_share: float = param(0.5, 0.0, 1.0, "fraction", "assumption: share of a pledge shortfall covered by slaughter and purchases")
    slaughter_share: float = param(0.5, 0.0, 1.0, "fraction", "Gorlizki 2013: Riazan slaughtered its young stock and much of its dairy herd")
    slaughter_cap: float = param(0.35, 0.0, 0.8, "fraction of cattle", "assumption: extra slaughter a region can carry out in a season")
    purchase_cap: float = param(0.4, 0.0, 1.5, "fraction of true meat", "Gorlizki 2013: Riazan bought cattle in neighbouring regions")

