"""ottepel: a calibrated, reproducible simulation of the Soviet political economy, 1953-1964.

The public entry point is :func:`simulate`::

    import ottepel
    result = ottepel.simulate("khrushchev-1953", runs=1000, seed=0)
    result.national["grain_harvest_mt"]      # xarray, dims (run, month)
    result.regional["grain_harvest_mt"]      # (run, month, region), Decembers
    result.events                            # pandas: run, month, kind, actors, magnitude, causes
"""

from .engine import simulate
from .scenario import ScenarioError, load_scenario

__all__ = ["simulate", "load_scenario", "ScenarioError", "__version__"]
__version__ = "0.1.0"
