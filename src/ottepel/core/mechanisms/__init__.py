"""The mechanisms, one module per domain, and the order the monthly step calls them.

Each module exposes:

- ``NAME``: its domain name in ``State.domains``;
- ``Params``: a :class:`ottepel.core.params.ParamGroup` with its parameters;
- ``LEVERS``: the policy levers its decisions set;
- ``init(ctx) -> domain state`` at the scenario start;
- ``step(state, decisions, params, rng) -> State``: one month, a pure function;
- ``NATIONAL``: output variable -> (unit, ``"monthly"`` or ``"annual"``, description);
- ``national(state) -> dict[str, (runs,) array]`` and optionally ``REGIONAL`` and
  ``regional(state) -> dict[str, (runs, regions) array]`` (recorded each December).

``ORDER`` is the documented order of the monthly step (docs/ODD.md, "Process overview").
"""

from __future__ import annotations

from ottepel.core.mechanisms import (
    agriculture,
    berlin,  # issue 18
    bloc,
    camps,
    education,  # issue 18
    grain,
    housing,
    industry,
    livestock,
    money,  # issue 18
    planning,
    politics,
    population,
    promises,  # issue 18
    religion,  # issue 18
    repression,
    society,
    weather,
    world,
)

ORDER = (
    weather,      # 1. this crop year's weather by region (drawn each January)
    politics,     # 1b. who rules: before the economy, whose levers it gates (Decisions.at_runs)
    population,   # 2. births, deaths, migration to towns and to the virgin lands
    industry,     # 3. investment by sector, capital, group A/B output, defence
    agriculture,  # 4. sowing (April), harvest and procurement (September)
    livestock,    # 5. herds on feed, slaughter, meat and milk
    grain,        # 6. the national grain balance: state stocks, exports, imports
    housing,      # 7. housing construction and urban living space
    repression,   # 8. repression level, fear (reads last month's unrest; fear used below)
    camps,        # 8b. camps, colonies, special settlers, strikes, returnees (reads this
                  #     month's repression index; returnee outputs read by society/politics)
    society,      # 9. wages, prices, consumption, grievance, riots (reads this month's economy and fear)
    bloc,         # 10. satellites' pressure, uprisings, interventions
    world,        # 11. China, USA, space, Cuba; prestige_shock (reads this month's bloc)
    planning,     # 12. plans (Jan), pledges chased (Nov), reports and audits (Dec): last, so the
                  #     year's true harvest, herds and industrial output and this month's fear
                  #     (repression) are known when producers report
    # issue 18: society's extra submodels, after the whole month so they read this month's
    # economy and society; their grievance_contribution reaches society's hook next month.
    religion,     # 13. open churches, the anti-religious campaign, believers' grievance
    money,        # 14. state loans and their 1957 freeze, the 1961 redenomination, the overhang
    promises,     # 15. Seven-Year Plan and Party Programme yardsticks against delivery
    berlin,       # 16. the flight from the GDR (reads bloc's GDR pressure), Ulbricht's pressure, the Wall
    education,    # 17. higher-education students and the 1958 school reform
)

PARAM_GROUPS = {m.NAME: m.Params for m in ORDER}
LEVERS = {name: lever for m in ORDER for name, lever in m.LEVERS.items()}
