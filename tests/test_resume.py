"""An ensemble killed part way resumes with nothing lost and nothing duplicated; a
damaged chunk is detected with a clear message and re-run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from ottepel.ensemble.simulate import simulate
from ottepel.ensemble.store import Store, StoreError

RUNS, CHUNK, SEED = 60, 5, 3
SRC = Path(__file__).resolve().parents[1] / "src"


def _assert_same(a, b):
    for k in a.national.data_vars:
        np.testing.assert_array_equal(a.national[k].values, b.national[k].values, err_msg=k)
    for k in a.regional.data_vars:
        np.testing.assert_array_equal(a.regional[k].values, b.regional[k].values, err_msg=k)
    cols = ["run", "month", "kind", "magnitude"]
    assert a.events[cols].equals(b.events[cols])


def _assert_each_run_once(store: Store, key: str, runs: int):
    df = store.chunks(key)
    assert not df.duplicated(["run_start", "kind"]).any()
    for kind in ("national", "regional", "events"):
        part = df[df["kind"] == kind].sort_values("run_start")
        count = np.zeros(runs, dtype=int)
        for a, b in zip(part["run_start"], part["run_stop"], strict=True):
            count[a:b] += 1
        assert (count == 1).all(), f"{kind}: runs catalogued {set(count.tolist())} times"


def _start_cli(out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    cmd = [sys.executable, "-m", "ottepel", "run", "-n", str(RUNS), "--chunk-size", str(CHUNK),
           "--seed", str(SEED), "-o", str(out), "--no-report"]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for_chunks(proc: subprocess.Popen, out: Path, n: int, timeout: float = 120) -> int:
    """Poll the chunk files (the catalogue is locked by the writer) until n are written."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and proc.poll() is None:
        done = len(list(out.glob("*/events_*.parquet")))
        if done >= n:
            return done
        time.sleep(0.01)
    pytest.fail("the ensemble did not get going (or finished before it could be killed)")


def test_killed_ensemble_resumes_without_loss_or_duplicates(tmp_path):
    out = tmp_path / "store"
    proc = _start_cli(out)
    _wait_for_chunks(proc, out, 2)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    partial = len(list(out.glob("*/national_*.parquet")))
    assert 2 <= partial < RUNS // CHUNK, "the kill should land part way"
    store = Store(out)
    key = store.ensemble_key("khrushchev-1953", SEED)
    kept = store.chunks(key).drop_duplicates("run_start")
    stored = int((kept["run_stop"] - kept["run_start"]).sum())
    assert stored >= CHUNK  # a chunk's files may be on disk but not yet catalogued
    ticks: list[int] = []
    resumed = simulate(runs=RUNS, seed=SEED, chunk_size=CHUNK, store=out, progress=ticks.append)
    # Catalogued runs are counted first and not recomputed; then the missing chunks.
    assert ticks == [stored] + [CHUNK] * ((RUNS - stored) // CHUNK)
    _assert_each_run_once(store, key, RUNS)
    assert not list(out.glob("*/.tmp-*")), "partial writes are swept"
    # Uninterrupted, in one chunk (results do not depend on the chunking).
    _assert_same(simulate(runs=RUNS, seed=SEED, chunk_size=RUNS), resumed)


def test_damaged_chunk_is_detected_and_rerun(tmp_path):
    out = tmp_path / "store"
    first = simulate(runs=20, seed=SEED, chunk_size=10, store=out, return_result=False)
    victim = sorted(out.glob("*/regional_00000010_*.parquet"))[0]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2: len(data) // 2 + 64] = b"\x00" * 64
    victim.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="incomplete or damaged.*regional_00000010.*checksum"):
        first.result()
    with pytest.warns(UserWarning, match="checksum mismatch"):
        again = simulate(runs=20, seed=SEED, chunk_size=10, store=out)
    _assert_same(simulate(runs=20, seed=SEED, chunk_size=20), again)
    _assert_each_run_once(Store(out), first.key, 20)
