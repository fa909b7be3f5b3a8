"""Optimisations change no bit: a fixed-seed run against hashes taken before them.

``tests/data/golden_outputs.json`` holds per-variable SHA-256 prefixes of the packaged
historical scenario (12 runs, seed 7, chunks of 5), computed before the performance
work on the hot path (engine, rng, store, the mechanisms' inner loops). If a model
change is intended (new equations, a recalibrated parameter, a new mechanism that feeds
back on these outputs), regenerate the file and say so in the commit message::

    PYTHONPATH=src python tests/test_golden.py --update

Variables added later are not checked here (only the recorded ones).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

GOLDEN = Path(__file__).parent / "data" / "golden_outputs.json"
RUNS, SEED, CHUNK = 12, 7, 5


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
    from ottepel.engine import simulate

    return output_hashes(simulate("khrushchev-1953", runs=RUNS, seed=SEED, chunk_size=CHUNK,
                                  **kwargs))


def _compare(got: dict[str, str]) -> list[str]:
    golden = json.loads(GOLDEN.read_text())
    return [k for k, v in golden.items() if k in got and got[k] != v]


def test_outputs_bit_identical_to_golden():
    changed = _compare(current_hashes())
    assert not changed, f"outputs changed bit for bit: {changed} (see module docstring)"


def test_store_path_bit_identical_to_golden(tmp_path):
    changed = _compare(current_hashes(store=tmp_path / "store"))
    assert not changed, f"store round trip changed: {changed}"


if __name__ == "__main__":
    if "--update" in sys.argv:
        GOLDEN.write_text(json.dumps(current_hashes(), indent=1, sort_keys=True) + "\n")
        print(f"wrote {GOLDEN}")
    else:
        print(json.dumps(_compare(current_hashes()), indent=1))
