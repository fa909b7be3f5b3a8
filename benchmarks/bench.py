"""ottepel performance: every figure of docs/performance.md, measured in one run.

    PYTHONPATH=src python benchmarks/bench.py            # full (about 4 minutes, 2 cores)
    PYTHONPATH=src python benchmarks/bench.py --quick    # smaller sizes (about 1 minute)
    PYTHONPATH=src python benchmarks/bench.py --json figures.json

Figures (Rich tables):
1. the machine: cores and memory bandwidth (a large numpy copy, read + write bytes);
2. the full historical scenario (1953-03 to 1964-12, 105 regions): runs per second by
   chunk size; the 10,000-run ensemble in memory, streamed to the store, and on a Dask
   LocalCluster;
3. the benchmark core (producers under the annual plan, ratchet, padding, audits) in
   ottepel's vectorised kernel and as an idiomatic Mesa 3 model, agent-steps per second;
4. how cost grows with producers per region and with runs;
5. memory: per run (tracemalloc peak of a chunk) and the peak RSS of streaming
   ensembles to the store (bounded by the chunk, not the ensemble);
6. the roofline: bytes a step must touch per run against the measured bandwidth.

Timings are wall-clock, best of a few repeats (the machine may be shared); each
measurement is warmed up first (a VM faults fresh memory in slowly the first time).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
sys.path.insert(0, str(HERE))
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from ottepel.core import bench_core  # noqa: E402
from ottepel.core.engine import (  # noqa: E402
    clock_at,
    initial_state,
    keep_freed_memory,
    run_chunk,
    simulate,
)
from ottepel.core.scenario import load_scenario  # noqa: E402
from ottepel.core.state import domain_arrays as _arrays  # noqa: E402

console = Console(width=130)
TARGET_SECONDS, TARGET_RATIO, TARGET_RSS_MB = 30.0, 100.0, 2048.0


def timed(fn, repeats: int = 3) -> tuple[float, float]:
    """(wall, CPU) seconds of the fastest of ``repeats`` calls (CPU: this process)."""
    best = (float("inf"), float("inf"))
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        fn()
        best = min(best, (time.perf_counter() - w, time.process_time() - c))
    return best


def best_of(fn, repeats: int = 3) -> float:
    """Shortest wall-clock time of ``repeats`` calls (seconds)."""
    return timed(fn, repeats)[0]


def memory_bandwidth(megabytes: int = 512) -> float:
    """Copy bandwidth in GB/s, counting the bytes read and written (STREAM 'copy')."""
    a = np.ones(megabytes * 2**20 // 8)
    b = np.empty_like(a)
    np.copyto(b, a)  # fault the pages in first
    seconds = best_of(lambda: np.copyto(b, a), 5)
    return 2 * a.nbytes / seconds / 1e9


def machine(fig: dict) -> Table:
    """Cores and bandwidth."""
    fig["cores"] = os.cpu_count()
    fig["bandwidth_gb_s"] = memory_bandwidth()
    t = Table(title="1. machine", title_justify="left")
    t.add_column("item")
    t.add_column("value", justify="right")
    t.add_row("cores", str(fig["cores"]))
    t.add_row("memory bandwidth (numpy copy, read+write)", f"{fig['bandwidth_gb_s']:.1f} GB/s")
    t.add_row("numpy", np.__version__)
    fig["load_average"] = os.getloadavg()[0]
    t.add_row("load average at start (other work on the machine)", f"{fig['load_average']:.2f}")
    return t


def chunked_compute(scenario, runs: int, chunk: int) -> None:
    """The engine only (no store, no Result): run_chunk over the ensemble."""
    for a in range(0, runs, chunk):
        run_chunk(scenario, np.arange(a, min(a + chunk, runs)), 0)


def full_scenario(fig: dict, quick: bool) -> Table:
    """Runs per second of the historical scenario by chunk size, and the 10k ensemble."""
    sc = load_scenario("khrushchev-1953")
    chunked_compute(sc, 100, 100)  # warm-up
    t = Table(title="2. full historical scenario, 1953-03..1964-12, 105 regions "
              "(runs per second)", title_justify="left")
    for col in ("path", "runs", "chunk size", "wall s", "CPU s", "runs/s"):
        t.add_column(col, justify="right" if col != "path" else "left")
    fig["by_chunk"] = {}
    for chunk in ((100, 500, 1000) if quick else (100, 1000, 5000)):
        runs = max(chunk, 1000 if quick else 5000)
        w, c = timed(lambda c=chunk, r=runs: chunked_compute(sc, r, c), 1)
        fig["by_chunk"][chunk] = runs / w
        t.add_row("engine (run_chunk loop)", f"{runs:,}", f"{chunk:,}", f"{w:.2f}", f"{c:.2f}",
                  f"{runs / w:,.0f}")
    n = 1000 if quick else 10_000
    with tempfile.TemporaryDirectory(dir=tempfile.gettempdir()) as tmp:
        w, c = timed(lambda: simulate(sc, runs=n, seed=1, chunk_size=1000), 1)
        fig["memory_path_runs_s"] = n / w
        t.add_row("simulate() in memory, with Result", f"{n:,}", "1,000", f"{w:.2f}", f"{c:.2f}",
                  f"{n / w:,.0f}")
        w, c = timed(lambda: simulate(sc, runs=n, seed=2, chunk_size=1000, store=Path(tmp) / "s",
                                      return_result=False), 1)
        fig["stream_runs_s"], fig["stream_runs"], fig["stream_cpu"] = n / w, n, c
        t.add_row("simulate(store=) streamed to Parquet", f"{n:,}", "1,000", f"{w:.2f}",
                  f"{c:.2f}", f"{n / w:,.0f}")
        if not quick:
            w, c = timed(lambda: simulate(sc, runs=n, seed=3, chunk_size=1000,
                                          store=Path(tmp) / "d", cluster="local",
                                          return_result=False), 1)
            fig["dask_runs_s"] = n / w
            from ottepel.ensemble.cluster import local_workers

            t.add_row(f"  same on a Dask LocalCluster, {local_workers()} workers (with start-up)",
                      f"{n:,}",
                      "1,000", f"{w:.2f}", "(client)", f"{n / w:,.0f}")
    fig["ten_k_seconds"] = 10_000 / fig["stream_runs_s"]
    fig["ten_k_cpu_seconds"] = fig["stream_cpu"] * 10_000 / n
    return t


def core_ottepel(runs: int, per_region: int, chunk: int = 200) -> tuple[float, float]:
    """Agent-steps per wall and per CPU second of the numpy core."""
    def go():
        for a in range(0, runs, chunk):
            bench_core.run(np.arange(a, min(a + chunk, runs)), 0,
                           producers_per_region=per_region)
    if runs <= 2000:
        go()
    w, c = timed(go, 3 if runs <= 2000 else 1)
    steps = runs * bench_core.N_REGIONS * per_region * 142
    return steps / w, steps / c


def core_mesa(runs: int, per_region: int) -> tuple[float, float]:
    """Agent-steps per wall and per CPU second of the Mesa 3 model (a model per run)."""
    import mesa_core

    w, c = timed(lambda: mesa_core.run(runs, producers_per_region=per_region), 2)
    steps = runs * bench_core.N_REGIONS * per_region * 142
    return steps / w, steps / c


def core(fig: dict, quick: bool) -> Table:
    """ottepel against Mesa on the benchmark core, by producers per region."""
    import mesa

    t = Table(title=f"3-4. benchmark core: producers, annual plan, ratchet, padding, audits "
              f"(105 regions x producers/region, 142 months; Mesa {mesa.__version__})",
              title_justify="left")
    for col in ("producers/region", "agents/run", "Mesa agent-steps/s", "ottepel agent-steps/s",
                "ottepel / Mesa", "same, CPU time", "Mesa ms/run", "ottepel ms/run"):
        t.add_column(col, justify="right")
    fig["core"] = {}
    per_regions = (4, 16, 64) if quick else (1, 4, 16, 64)
    for per_region in per_regions:
        mesa_runs = 1 if quick or per_region > 4 else 2
        ours_runs = 200 if quick else 1000
        agents = bench_core.N_REGIONS * per_region
        m, m_cpu = core_mesa(mesa_runs, per_region)
        # Runs stepped together: about 170,000 producer slots, so the arrays stay in cache.
        o, o_cpu = core_ottepel(ours_runs, per_region, chunk=max(8, 200 * 840 // agents))
        fig["core"][per_region] = {"mesa": m, "ottepel": o, "ratio": o / m,
                                   "ratio_cpu": o_cpu / m_cpu}
        t.add_row(str(per_region), f"{agents:,}", f"{m / 1e6:.2f} M", f"{o / 1e6:.0f} M",
                  f"{o / m:.0f}x", f"{o_cpu / m_cpu:.0f}x", f"{agents * 142 / m * 1e3:.0f}",
                  f"{agents * 142 / o * 1e3:.2f}")
    # Both sides are single-threaded: CPU time compares them fairly on a shared machine.
    fig["core_ratio_default"] = fig["core"][bench_core.PRODUCERS_PER_REGION]["ratio_cpu"]
    fig["core_ratio_default_wall"] = fig["core"][bench_core.PRODUCERS_PER_REGION]["ratio"]
    return t


def by_runs(fig: dict, quick: bool) -> Table:
    """How cost grows with the number of runs (engine and core)."""
    sc = load_scenario("khrushchev-1953")
    t = Table(title="4. cost by number of runs (seconds)", title_justify="left")
    for col in ("runs", "full scenario (chunks of 1,000)", "per run, ms",
                "core (105x16, chunks of 100)", "per run, ms"):
        t.add_column(col, justify="right")
    fig["by_runs"] = {}
    for runs in ((10, 100, 1000) if quick else (10, 100, 1000, 5000)):
        full = best_of(lambda r=runs: chunked_compute(sc, r, 1000), 1)
        per = bench_core.PRODUCERS_PER_REGION
        c = runs * bench_core.N_REGIONS * per * 142 / core_ottepel(runs, per, chunk=100)[0]
        fig["by_runs"][runs] = {"full_s": full, "core_s": c}
        t.add_row(f"{runs:,}", f"{full:.3f}", f"{full / runs * 1e3:.3f}", f"{c:.3f}",
                  f"{c / runs * 1e3:.3f}")
    return t


# Peak RSS from VmHWM (reset by exec), not ru_maxrss (which a child inherits at fork).
STREAM_CHILD = """
import re, sys, time
from ottepel.ensemble.simulate import simulate
runs, chunk, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
t = time.perf_counter()
simulate(runs=runs, seed=9, chunk_size=chunk, store=out, return_result=False)
secs = time.perf_counter() - t
hwm = re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1)
print(secs, int(hwm) / 1024)
"""


def stream_rss(runs: int, chunk: int) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of a fresh process streaming an ensemble to a store."""
    tmp = tempfile.mkdtemp()
    try:
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        out = subprocess.run([sys.executable, "-c", STREAM_CHILD, str(runs), str(chunk), tmp],
                             env=env, capture_output=True, text=True, check=True)
        secs, rss = out.stdout.split()[-2:]
        return float(secs), float(rss)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def memory(fig: dict, quick: bool) -> Table:
    """Memory per run and the peak RSS of streaming ensembles."""
    sc = load_scenario("khrushchev-1953")
    t = Table(title="5. memory", title_justify="left")
    for col in ("measure", "runs", "chunk size", "value"):
        t.add_column(col, justify="right" if col != "measure" else "left")
    for chunk in (100, 1000):
        run_chunk(sc, np.arange(chunk), 0)
        tracemalloc.start()
        run_chunk(sc, np.arange(chunk), 0)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        fig.setdefault("bytes_per_run", {})[chunk] = peak / chunk
        t.add_row("chunk peak allocation per run (tracemalloc)", f"{chunk:,}", f"{chunk:,}",
                  f"{peak / chunk / 1e3:.0f} kB")
    fig["stream_rss_mb"] = {}
    for runs in ((1000, 4000) if quick else (10_000, 100_000)):
        secs, rss = stream_rss(runs, 1000)
        fig["stream_rss_mb"][runs] = rss
        fig["stream_seconds"] = {**fig.get("stream_seconds", {}), runs: secs}
        t.add_row(f"peak RSS streaming to the store ({secs:.0f} s)", f"{runs:,}", "1,000",
                  f"{rss:,.0f} MB")
    return t


def touched_bytes_per_run_month(n: int = 4) -> float:
    """Bytes the full model's step must touch per run and month, on average.

    Every domain array that a month replaces must at least be read (its old value or
    inputs) and written once: 2 x its bytes. Arrays a month leaves alone cost nothing
    (most agricultural state changes only in April and September). Measured by stepping
    the historical scenario and comparing array identities month to month.
    """
    from ottepel.core.engine import step_month

    sc = load_scenario("khrushchev-1953")
    state = initial_state(sc, np.arange(n), 0)
    total = 0
    for m in range(len(sc.months)):
        before = _arrays(state)
        state = step_month(state, sc.months, m, sc.decisions, sc.params)
        after = _arrays(state)
        total += sum(2 * v.nbytes for k, v in after.items() if before.get(k) is not v)
    return total / n / len(sc.months)


def roofline(fig: dict) -> Table:
    """Compulsory bytes per run-month against the measured bandwidth."""
    bw = fig["bandwidth_gb_s"] * 1e9
    t = Table(title="6. roofline: bytes a step must touch vs memory bandwidth",
              title_justify="left")
    for col in ("kernel", "bytes per run-month", "achieved", "of bandwidth"):
        t.add_column(col, justify="right" if col != "kernel" else "left")
    full_bytes = touched_bytes_per_run_month()
    full_rate = max(fig["by_chunk"].values()) * 142 * full_bytes
    core_b = bench_core.state_bytes_per_run()["average"]
    core_rate = fig["core"][bench_core.PRODUCERS_PER_REGION]["ottepel"] / (
        bench_core.N_REGIONS * bench_core.PRODUCERS_PER_REGION) * core_b
    fig["roofline"] = {"full_fraction": full_rate / bw, "core_fraction": core_rate / bw,
                       "full_bytes": full_bytes, "core_bytes": core_b}
    t.add_row("full scenario (arrays replaced that month, read + write)", f"{full_bytes:,.0f}",
              f"{full_rate / 1e9:.2f} GB/s", f"{full_rate / bw:.1%}")
    t.add_row(f"core, 105x{bench_core.PRODUCERS_PER_REGION} (3 x 8 B/agent/month + December)",
              f"{core_b:,}",
              f"{core_rate / 1e9:.2f} GB/s", f"{core_rate / bw:.1%}")
    return t


def mechanism_costs(fig: dict, quick: bool) -> Table:
    """CPU time of each mechanism's monthly step and of recording, over one chunk."""
    from ottepel.core import mechanisms
    from ottepel.core.engine import (
        _record,
        _record_regional,
        national_catalog,
        regional_catalog,
    )

    sc = load_scenario("khrushchev-1953")
    n = 200 if quick else 1000
    state = initial_state(sc, np.arange(n), 0)
    rng, months = state.context.rng, sc.months
    cat, rcat = national_catalog(), regional_catalog()
    nat = {k: np.full((len(months), n), np.nan) for k in cat}
    reg = {k: np.zeros((n, 20, state.context.regions.n), np.float32) for k in rcat}
    cost = dict.fromkeys([m.NAME for m in mechanisms.ORDER] + ["(recording outputs)"], 0.0)
    year = 0
    for m in range(len(months)):
        clock = clock_at(months, m)
        state = dataclasses.replace(state, clock=clock, events=())
        for mech in mechanisms.ORDER:
            c = time.process_time()
            state = mech.step(state, sc.decisions, sc.params, rng)
            cost[mech.NAME] += time.process_time() - c
        c = time.process_time()
        _record(state, m, clock, nat, cat)
        if clock.month_of_year == 12:
            _record_regional(state, year, reg)
            year += 1
        cost["(recording outputs)"] += time.process_time() - c
    total = sum(cost.values())
    fig["mechanism_cpu_share"] = {k: v / total for k, v in cost.items()}
    t = Table(title=f"7. where the month goes: CPU by mechanism ({n:,} runs, whole scenario)",
              title_justify="left")
    for col in ("mechanism", "CPU s", "share", "ms per run"):
        t.add_column(col, justify="right" if col != "mechanism" else "left")
    for k, v in sorted(cost.items(), key=lambda kv: -kv[1]):
        t.add_row(k, f"{v:.2f}", f"{v / total:.0%}", f"{v / n * 1e3:.2f}")
    return t


def targets(fig: dict) -> Table:
    """The issue's targets against what was measured."""
    t = Table(title="targets", title_justify="left")
    for col in ("target", "measured", ""):
        t.add_column(col)
    rows = [
        (f"10,000-run ensemble <= {TARGET_SECONDS:.0f} s (streamed to the store)",
         f"{fig['ten_k_seconds']:.1f} s wall, {fig['ten_k_cpu_seconds']:.1f} s CPU"
         + (" (extrapolated)" if fig["stream_runs"] < 10_000 else "")
         + (f"; Dask LocalCluster {10_000 / fig['dask_runs_s']:.1f} s" if "dask_runs_s" in fig
            else ""),
         fig["ten_k_seconds"] <= TARGET_SECONDS),
        (f">= {TARGET_RATIO:.0f}x Mesa on the core (105 x {bench_core.PRODUCERS_PER_REGION}), "
         "agent-steps per CPU second",
         f"{fig['core_ratio_default']:.0f}x (wall clock {fig['core_ratio_default_wall']:.0f}x)",
         fig["core_ratio_default"] >= TARGET_RATIO),
        (f"peak RSS streaming {max(fig['stream_rss_mb']):,} runs < 2 GB",
         f"{fig['stream_rss_mb'][max(fig['stream_rss_mb'])]:,.0f} MB",
         fig["stream_rss_mb"][max(fig["stream_rss_mb"])] < TARGET_RSS_MB),
    ]
    for name, value, ok in rows:
        t.add_row(name, value, "[green]met[/]" if ok else "[red]missed[/]")
    return t


def main() -> None:
    """Run every benchmark and print the tables."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes (a few minutes)")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args()
    keep_freed_memory()
    fig: dict = {"quick": args.quick}
    start = time.perf_counter()
    for section in (lambda f: machine(f), lambda f: full_scenario(f, args.quick),
                    lambda f: core(f, args.quick), lambda f: by_runs(f, args.quick),
                    lambda f: memory(f, args.quick), roofline,
                    lambda f: mechanism_costs(f, args.quick), targets):
        console.print(section(fig))
    console.print(f"[dim]total {time.perf_counter() - start:.0f} s; command: PYTHONPATH=src "
                  f"python benchmarks/bench.py{' --quick' if args.quick else ''}[/]")
    if args.json:
        args.json.write_text(json.dumps(fig, indent=1, default=float))


if __name__ == "__main__":
    main()
