"""The results store loses nothing: crashes, damage and a broken catalogue.

- A crash in the middle of writing a chunk (an exception, or the process killed with
  SIGKILL half-way through a file) leaves no partial chunk: readers see only whole,
  catalogued chunks, and the next run resumes with exactly the missing runs.
- A damaged chunk (a flipped byte, a truncated, emptied or deleted file) is detected by
  its checksum with a clear message, refused by readers, and re-run on the next run,
  never silently skipped; the repaired ensemble equals one computed in memory.
- A damaged catalogue gives a StoreError that says what to do, and the CLI shows it
  without a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
import xarray as xr
from typer.testing import CliRunner

import ottepel.ensemble.chunks as chunks_mod
import ottepel.ensemble.store as store_mod
from ottepel import simulate
from ottepel.core.scenario import load_scenario
from ottepel.ensemble.store import CATALOG, Store, StoreError, StoreWarning, ensemble_key
from ottepel.interfaces.cli.app import app

RUNS, CHUNK, SEED = 6, 2, 5
SHORT = 'name = "short"\ninherits = "khrushchev-1953"\nend = "1953-12"\n'


@pytest.fixture(scope="module")
def scenario_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("scen") / "short.toml"
    path.write_text(SHORT, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference(scenario_path):
    """The ensemble computed in memory, to compare stored results with."""
    return simulate(load_scenario(scenario_path), runs=RUNS, seed=SEED, chunk_size=RUNS)


def assert_same(result, reference) -> None:
    xr.testing.assert_identical(result.national.drop_attrs(), reference.national.drop_attrs())
    np.testing.assert_array_equal(result.regional["grain_harvest_mt"].values,
                                  reference.regional["grain_harvest_mt"].values)


def counting_run_chunk(monkeypatch) -> list[tuple[int, int]]:
    """Record the run ranges the store computes."""
    calls: list[tuple[int, int]] = []
    real = chunks_mod.run_chunk

    def wrapped(scenario, run_ids, *args, **kwargs):
        calls.append((int(run_ids[0]), int(run_ids[-1]) + 1))
        return real(scenario, run_ids, *args, **kwargs)

    monkeypatch.setattr(chunks_mod, "run_chunk", wrapped)
    return calls


def full_run(root: Path, scenario_path: Path):
    sc = load_scenario(scenario_path)
    st = Store(root)
    key = st.run_ensemble(sc, RUNS, SEED, CHUNK)
    return st, key, sc


def test_exception_mid_write_leaves_no_partial_chunk_and_resume_completes(
        tmp_path, scenario_path, reference, monkeypatch):
    real_write = pq.write_table
    calls = {"n": 0}

    def crashing_write(table, where, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:  # the second file of the second chunk: write half, then fail
            real_write(table, where, **kwargs)
            size = os.path.getsize(where)
            os.truncate(where, size // 2)
            raise OSError("disk full (simulated)")
        return real_write(table, where, **kwargs)

    monkeypatch.setattr(pq, "write_table", crashing_write)
    sc = load_scenario(scenario_path)
    st = Store(tmp_path)
    with pytest.raises(OSError, match="simulated"):
        st.run_ensemble(sc, RUNS, SEED, CHUNK)
    key = ensemble_key(sc, SEED)
    assert not list((tmp_path / key).glob(".tmp-*")), "a temporary file was left behind"
    good, problems = st.verify(key)
    assert good == [(0, 2)] and problems == []
    # Readers see only whole chunks: the first two runs, and nothing of the half-written one.
    assert len(st.whole_files(key, 2)["national"]) == 1
    with pytest.raises(StoreError, match="incomplete or damaged"):
        st.result(sc.name, SEED, RUNS, key=key)
    monkeypatch.setattr(pq, "write_table", real_write)
    computed = counting_run_chunk(monkeypatch)
    assert_same(simulate(sc, runs=RUNS, seed=SEED, chunk_size=CHUNK, store=tmp_path), reference)
    assert computed == [(2, 4), (4, 6)]


KILLER = textwrap.dedent("""
    import os, signal, sys
    import pyarrow.parquet as pq
    from ottepel import simulate
    real = pq.write_table
    n = {"calls": 0}
    def write(table, where, **kw):
        n["calls"] += 1
        real(table, where, **kw)
        if n["calls"] == 5:  # half of the second chunk's second file is on disk: die
            os.truncate(where, os.path.getsize(where) // 2)
            os.kill(os.getpid(), signal.SIGKILL)
    pq.write_table = write
    simulate(sys.argv[1], runs=int(sys.argv[2]), seed=int(sys.argv[3]),
             chunk_size=int(sys.argv[4]), store=sys.argv[5])
""")


def test_process_killed_mid_write_then_resume(tmp_path, scenario_path, reference, monkeypatch):
    env = dict(os.environ, PYTHONPATH=str(Path(store_mod.__file__).parents[1]))
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, str(scenario_path), str(RUNS), str(SEED), str(CHUNK),
         str(tmp_path)], env=env, capture_output=True, timeout=120)
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    sc = load_scenario(scenario_path)
    key = ensemble_key(sc, SEED)
    leftovers = list((tmp_path / key).glob(".tmp-*.parquet"))
    assert len(leftovers) == 1, "the kill should leave a half-written temporary file"
    st = Store(tmp_path)
    good, problems = st.verify(key)
    assert good == [(0, 2)] and problems == []
    # The second chunk's first file was renamed into place before the kill, but it is not
    # catalogued, so readers do not see it: they see the whole first chunk only.
    seen = {Path(f).name for files in st.whole_files(key, 2).values() for f in files}
    assert seen == {f"{k}_00000000_00000002.parquet" for k in ("national", "regional", "events")}
    assert set(st.chunks(key)["file"].map(lambda f: Path(f).name)) == seen
    computed = counting_run_chunk(monkeypatch)
    assert_same(simulate(sc, runs=RUNS, seed=SEED, chunk_size=CHUNK, store=tmp_path), reference)
    assert computed == [(2, 4), (4, 6)]
    assert not list((tmp_path / key).glob(".tmp-*")), "resume should sweep temporary files"


def flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


DAMAGE = {
    "flipped byte": (flip_byte, "checksum mismatch"),
    "truncated": (lambda p: os.truncate(p, p.stat().st_size // 3), "checksum mismatch"),
    "emptied": (lambda p: p.write_bytes(b""), "checksum mismatch"),
    "deleted": (lambda p: p.unlink(), "catalogued chunk file is missing"),
}


@pytest.mark.parametrize(("damage", "kind"), [
    ("flipped byte", "national"), ("truncated", "regional"), ("emptied", "events"),
    ("deleted", "national")])
def test_damaged_chunk_is_detected_refused_and_rerun(tmp_path, scenario_path, reference,
                                                     monkeypatch, damage, kind):
    st, key, sc = full_run(tmp_path, scenario_path)
    target = tmp_path / key / f"{kind}_00000002_00000004.parquet"
    harm, message = DAMAGE[damage]
    harm(target)
    with pytest.raises(StoreError, match=message):
        Store(tmp_path).result(sc.name, SEED, RUNS, key=key)
    computed = counting_run_chunk(monkeypatch)
    with pytest.warns(StoreWarning, match=f"{target.name}: {message}.*will be re-run"):
        result = simulate(sc, runs=RUNS, seed=SEED, chunk_size=CHUNK, store=tmp_path)
    assert computed == [(2, 4)], "exactly the damaged chunk must be re-run"
    assert_same(result, reference)


def test_damaged_chunk_warning_in_the_cli(tmp_path, scenario_path):
    out = tmp_path / "out"
    args = ["run", "-s", str(scenario_path), "-n", str(RUNS), "--seed", str(SEED),
            "--chunk-size", str(CHUNK), "-o", str(out), "--no-report", "--vars",
            "grain_harvest_mt"]
    assert CliRunner().invoke(app, args).exit_code == 0
    target = next(out.rglob("national_00000002_00000004.parquet"))
    flip_byte(target)
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert f"warning: {target}: checksum mismatch (damaged chunk); the chunk will be re-run" \
        in res.output.replace("\n", "")
    assert "Traceback" not in res.output


CATALOGUE_DAMAGE = {
    "garbage": lambda p: p.write_bytes(os.urandom(4096)),
    "truncated": lambda p: os.truncate(p, 1000),
    "flipped block": lambda p: flip_byte(p),
    "empty": lambda p: p.write_bytes(b""),
}


@pytest.mark.parametrize("damage", sorted(CATALOGUE_DAMAGE))
def test_damaged_catalogue_gives_a_clear_error(tmp_path, scenario_path, damage):
    st, key, sc = full_run(tmp_path, scenario_path)
    db = tmp_path / CATALOG
    CATALOGUE_DAMAGE[damage](db)
    with pytest.raises(StoreError) as info:
        s = Store(tmp_path)
        s.run_ensemble(sc, RUNS, SEED, CHUNK)
    msg = str(info.value)
    assert msg.startswith(f"{db}: the catalogue is damaged (")
    assert f"mv {db} {db}.damaged" in msg
    if damage == "garbage":  # the CLI maps the StoreError to a message and exit code 1
        res = CliRunner().invoke(app, ["run", "-s", str(scenario_path), "-n", str(RUNS),
                                       "--seed", str(SEED), "-o", str(tmp_path), "--no-report"])
        assert res.exit_code == 1 and f"error: {msg}" in res.output.replace("\n", "")
        assert "Traceback" not in res.output
        assert res.exception is None or isinstance(res.exception, SystemExit)
    # Doing what the message says works: the ensemble is computed afresh.
    db.rename(db.with_name(db.name + ".damaged"))
    Path(str(db) + ".wal").unlink(missing_ok=True)
    result = simulate(sc, runs=RUNS, seed=SEED, chunk_size=CHUNK, store=tmp_path)
    assert result.national.sizes["run"] == RUNS


def test_a_second_writer_of_the_same_ensemble_is_refused(tmp_path, scenario_path):
    import fcntl

    sc = load_scenario(scenario_path)
    key = ensemble_key(sc, SEED)
    (tmp_path / key).mkdir(parents=True)
    with open(tmp_path / key / ".lock", "a+b") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        code = ("import sys; from ottepel import simulate; from ottepel.ensemble.store import StoreError\n"
                "try:\n    simulate(sys.argv[1], runs=2, seed=int(sys.argv[3]), chunk_size=2, "
                "store=sys.argv[2])\nexcept StoreError as e:\n    print(e); sys.exit(3)\n")
        env = dict(os.environ, PYTHONPATH=str(Path(store_mod.__file__).parents[1]))
        proc = subprocess.run([sys.executable, "-c", code, str(scenario_path), str(tmp_path),
                               str(SEED)],
                              env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "another process is writing this ensemble" in proc.stdout
