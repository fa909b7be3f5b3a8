"""Golden outputs: bit identity in the locked environment, and a version-tolerant check.

``tests/data/golden_outputs.json`` holds, for the packaged historical scenario (12 runs, seed 7,
chunks of 5):

- ``environment``: the versions of the packages that touch the numbers, as installed when the
  hashes were made (they must be the pins of ``requirements.lock``);
- ``hashes``: per-variable SHA-256 prefixes of the national and regional outputs and the events;
- ``statistics``: median, 5% and 95% quantiles by year of the headline series of a larger fixed
  ensemble (60 runs, seed 7).

The bit-identity tests first compare the installed environment with the lock; if it differs they
fail with one line naming the packages (run ``bash scripts/setup.sh``), not with a list of every
variable. The tolerant check needs no lock: it passes when an upgrade changes only the last bits
(which a threshold somewhere may amplify in one run of 60) and fails when the science moves.

A deliberate model change or a dependency upgrade regenerates the file (say why in the commit)::

    .venv/bin/python tests/test_golden.py --update      # or: bash scripts/update-lock
"""

from __future__ import annotations

import hashlib
import importlib.metadata as md
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "golden_outputs.json"
LOCK = ROOT / "requirements.lock"
RUNS, SEED, CHUNK = 12, 7, 5
STAT_RUNS = 60
# The packages whose versions can change a bit of the outputs (float kernels, datetime handling,
# the store's round trip).
NUMERIC_PACKAGES = ("numpy", "pandas", "xarray", "pyarrow", "duckdb")
HEADLINE = ("grain_harvest_mt", "grain_procurement_mt", "meat_production_mt",
            "milk_production_mt", "housing_completed_mn_m2", "population_mn",
            "industrial_output_index", "real_wage_index", "gulag_population_mn",
            "state_grain_stock_mt", "pigs_mn_head", "cattle_mn_head")
# Relative tolerance of the tolerant check, and an absolute floor for series near zero.
STAT_RTOL, STAT_ATOL = 0.01, 1e-6


def _digest(a: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()[:16]


def output_hashes(result) -> dict[str, str]:
    """Per-variable hashes of a Result: national, regional and the events table."""
    out = {f"national.{k}": _digest(result.national[k].values) for k in result.national.data_vars}
    out.update({f"regional.{k}": _digest(result.regional[k].values)
                for k in result.regional.data_vars})
    ev = result.events.sort_values(["run", "month", "kind"], kind="stable")
    ev = ev.reset_index(drop=True).astype({"actors": str, "causes": str, "kind": str})
    ev["month"] = pd.to_datetime(ev["month"]).astype("datetime64[ns]")
    out["events"] = _digest(pd.util.hash_pandas_object(ev, index=False).to_numpy())
    return out


def current_hashes(**kwargs) -> dict[str, str]:
    """Hashes of the packaged historical scenario, RUNS runs, seed SEED."""
    from ottepel.ensemble.simulate import simulate

    return output_hashes(simulate("khrushchev-1953", runs=RUNS, seed=SEED, chunk_size=CHUNK,
                                  **kwargs))


def current_statistics() -> dict[str, dict[str, list[float]]]:
    """Median, 5% and 95% by year (December values) of the headline series, STAT_RUNS runs."""
    from ottepel.ensemble.simulate import simulate

    r = simulate("khrushchev-1953", runs=STAT_RUNS, seed=SEED, chunk_size=STAT_RUNS)
    out = {}
    for var in HEADLINE:
        table = r.summary(var, 0.05, 0.95)
        out[var] = {"years": [int(y) for y in table.index],
                    **{k: [float(v) for v in table[k]] for k in ("median", "q05", "q95")}}
    return out


def installed_versions() -> dict[str, str]:
    return {p: md.version(p) for p in NUMERIC_PACKAGES}


def locked_versions() -> dict[str, str]:
    """Package -> pinned version, read from requirements.lock."""
    pins = {}
    for line in LOCK.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", line)
        if m:
            pins[re.sub(r"[-_.]+", "-", m.group(1).lower())] = m.group(2)
    return pins


def lock_differences() -> list[str]:
    """Packages that touch the numbers whose installed version is not the locked one."""
    lock = locked_versions()
    return [f"{p} {have} installed, requirements.lock pins {lock.get(p)}"
            for p, have in installed_versions().items() if lock.get(p) != have]


def environment_differences() -> list[str]:
    """Where the installed packages differ from the lock or from what the golden file recorded."""
    recorded = json.loads(GOLDEN.read_text())["environment"]
    return lock_differences() or [
        f"{p} {have} installed and locked, golden hashes made with {recorded.get(p)}"
        for p, have in installed_versions().items() if recorded.get(p) != have]


def _compare(got: dict[str, str]) -> list[str]:
    golden = json.loads(GOLDEN.read_text())["hashes"]
    return [k for k, v in golden.items() if k in got and got[k] != v]


def _require_locked_environment() -> None:
    diff = environment_differences()
    assert not diff, ("the environment differs from the lock, so bit identity is not defined: "
                      + "; ".join(diff) + ". Run `bash scripts/setup.sh` (or regenerate the "
                      "golden outputs deliberately: `bash scripts/update-lock`).")


def _changed_message(changed: list[str]) -> str:
    head = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
    return (f"{len(changed)} outputs changed bit for bit in the locked environment ({head}): "
            "a model change; if intended, regenerate (see the module docstring)")


def test_environment_matches_lock():
    _require_locked_environment()


def test_outputs_bit_identical_to_golden():
    _require_locked_environment()
    changed = _compare(current_hashes())
    assert not changed, _changed_message(changed)


def test_store_path_bit_identical_to_golden(tmp_path):
    _require_locked_environment()
    changed = _compare(current_hashes(store=tmp_path / "store"))
    assert not changed, "store round trip: " + _changed_message(changed)


def statistics_differences(got, want, rtol: float = STAT_RTOL, atol: float = STAT_ATOL):
    """(variable, statistic, year, got, want) where the two differ beyond the tolerance."""
    out = []
    for var, w in want.items():
        g = got.get(var)
        if g is None:
            out.append((var, "missing", None, None, None))
            continue
        for stat in ("median", "q05", "q95"):
            for year, a, b in zip(w["years"], g[stat], w[stat], strict=True):
                if not np.isclose(a, b, rtol=rtol, atol=atol):
                    out.append((var, stat, year, a, b))
    return out


def test_ensemble_statistics_within_tolerance():
    """Version-tolerant: the headline distribution of a fixed ensemble has not moved."""
    want = json.loads(GOLDEN.read_text())["statistics"]
    bad = statistics_differences(current_statistics(), want)
    lines = [f"{v} {s} {y}: {a:.6g} vs golden {b:.6g}" for v, s, y, a, b in bad[:10]]
    assert not bad, (f"{len(bad)} statistics moved beyond {STAT_RTOL:.0%}: " + "; ".join(lines))


def test_tolerant_check_catches_a_shift_and_forgives_the_last_bit():
    want = json.loads(GOLDEN.read_text())["statistics"]
    last_bit = {v: {k: (np.nextafter(np.asarray(x, float), np.inf).tolist() if k != "years" else x)
                    for k, x in d.items()} for v, d in want.items()}
    assert not statistics_differences(last_bit, want)
    shifted = json.loads(json.dumps(want))
    shifted["grain_harvest_mt"]["median"][5] *= 1.03
    assert statistics_differences(shifted, want)


if __name__ == "__main__":
    if "--update" in sys.argv:
        off = lock_differences()
        if off and "--force" not in sys.argv:
            sys.exit("refusing to record golden outputs outside the lock: " + "; ".join(off)
                     + " (bash scripts/setup.sh first, or --force)")
        doc = {"environment": {"python": f"{sys.version_info[0]}.{sys.version_info[1]}",
                               **installed_versions()},
               "hashes": current_hashes(), "statistics": current_statistics()}
        GOLDEN.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
        print(f"wrote {GOLDEN}")
    else:
        print(json.dumps({"environment": environment_differences(),
                          "changed": _compare(current_hashes())}, indent=1))
