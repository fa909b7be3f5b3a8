"""Print model medians against the historical record for the main series.

Usage: python scripts/check_fit.py [runs] [scenario]
"""

import sys

import pandas as pd

from ottepel import simulate
from ottepel.ensemble.results import HISTORY_MAP

runs = int(sys.argv[1]) if len(sys.argv) > 1 else 200
scenario = sys.argv[2] if len(sys.argv) > 2 else "khrushchev-1953"
r = simulate(scenario, runs=runs, seed=1)
pd.set_option("display.width", 200)
for var in list(HISTORY_MAP) + ["industrial_output_index", "industrial_output_index_official",
                                "consumer_goods_index", "living_space_m2_per_capita"]:
    if var not in r.national:
        continue
    s = r.summary(var)
    print(var, "\n", s.T.round(2).to_string(), "\n")
