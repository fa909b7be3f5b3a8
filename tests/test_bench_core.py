"""The benchmark core: the numpy kernel and the Mesa 3 model compute the same thing."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from ottepel.core import bench_core as bc
from ottepel.core.rng import Streams

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))


def _keyed_draws(seed: int, run: int, months: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = Streams(seed, np.array([run]))
    out = np.stack([rng.uniform32(m, "bench.output", (n,))[0] for m in range(months)])
    audit = np.stack([rng.uniform32(m, "bench.audit", (n,))[0] for m in range(months)])
    return out, audit


def test_mesa_model_matches_numpy_core_on_the_same_draws():
    mesa_core = pytest.importorskip("mesa_core")
    seed, months, per_region = 3, 46, 2
    ours = bc.run(np.array([0, 5]), seed, months=months, producers_per_region=per_region)
    n = bc.N_REGIONS * per_region
    for i, run in enumerate((0, 5)):
        model = mesa_core.PlanEconomy(per_region, draws=_keyed_draws(seed, run, months, n))
        for _ in range(months):
            model.step()
        theirs = model.datacollector.get_model_vars_dataframe()
        for k in ("true", "reported"):
            np.testing.assert_allclose(theirs[k].to_numpy(), ours[k][i], rtol=1e-10)
        np.testing.assert_array_equal(theirs["caught"].to_numpy(), ours["caught"][i])


def test_run_alone_equals_run_in_a_chunk():
    alone = bc.run(np.array([7]), 11, months=30, producers_per_region=3)
    chunk = bc.run(np.arange(10), 11, months=30, producers_per_region=3)
    for k in alone:
        np.testing.assert_array_equal(alone[k][0], chunk[k][7])


def test_padding_ratchet_and_audits_behave():
    out = bc.run(np.arange(50), 0, months=142)
    ratio = out["reported"] / out["true"]
    # Reports exceed true output (padding), by less than the cap, and audits catch some.
    assert np.all(ratio >= 1.0) and np.all(ratio < 1 + bc.BenchParams().pad_cap)
    assert out["caught"].mean() > 10
    # No audits, no punishment: padding is cheaper, so reports are inflated more.
    lax = bc.run(np.arange(50), 0, months=142, p=bc.BenchParams(audit_prob=0.0))
    assert (lax["reported"] / lax["true"]).mean() > ratio.mean()


def test_uniform32_is_uniform_keyed_and_in_range():
    rng = Streams(0, np.arange(400))
    u = rng.uniform32(5, "x", (251,))
    assert u.shape == (400, 251) and 0 < u.min() and u.max() < 1
    assert abs(u.mean() - 0.5) < 0.003 and abs(u.var() - 1 / 12) < 0.002  # n = 100,400
    np.testing.assert_array_equal(Streams(0, np.array([17])).uniform32(5, "x", (251,))[0], u[17])
    assert not np.array_equal(rng.uniform32(6, "x", (251,)), u)
