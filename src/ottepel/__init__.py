"""ottepel: a calibrated, reproducible simulation of the Soviet political economy, 1953-1964.

The public entry point is :func:`simulate`::

    import ottepel
    result = ottepel.simulate("khrushchev-1953", runs=1000, seed=0)
    result.national["grain_harvest_mt"]      # xarray, dims (run, month)
    result.regional["grain_harvest_mt"]      # (run, month, region), Decembers
    result.events                            # pandas: run, month, kind, actors, magnitude, causes

The package has four layers, each importing only the ones below it (docs/ARCHITECTURE.md):

- ``interfaces``: the CLI, the web app, the game, the Gymnasium and PettingZoo environments;
- ``analysis``: comparison, assessment, validation, calibration, sensitivity, the report;
- ``ensemble``: ``simulate``, chunking, the results store, Dask, resume;
- ``core``: state, parameters, random streams, decisions, scenarios, mechanisms, the step;

with ``data`` (the packaged facts and their sources) beneath them all.
"""

from ottepel._version import __version__
from ottepel.core.scenario import ScenarioError, load_scenario
from ottepel.ensemble.simulate import simulate

__all__ = ["simulate", "load_scenario", "ScenarioError", "__version__"]
