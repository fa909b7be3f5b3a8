"""``ottepel run``: replay a scenario as an ensemble, streamed to the results store; print
model against history by year; write the offline HTML report."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import typer
from rich.table import Table

from ottepel.interfaces.cli.common import (
    console,
    fail,
    load_or_fail,
    progress_bar,
    show_warning,
)

# Largest number of runs loaded into memory for the tables and the report.
SUMMARY_RUNS = 5_000

TABLE_VARS = [
    "grain_harvest_mt", "grain_procurement_mt", "virgin_lands_sown_mha", "maize_sown_mha",
    "meat_production_mt", "milk_production_mt", "housing_completed_mn_m2", "population_mn",
    "grain_imports_mt", "industrial_output_index",
]


def history_tables(result, variables: list[str], per_table: int = 3) -> list[Table]:
    """Rich tables by year: model median (5%-95%) and the historical record."""
    variables = [v for v in variables if v in result.national]
    summaries = {v: result.summary(v) for v in variables}
    tables = []
    for i in range(0, len(variables), per_table):
        group = variables[i:i + per_table]
        table = Table(title="model median (90% band) | historical record", title_justify="left")
        table.add_column("year", justify="right")
        for var in group:
            unit = result.national[var].attrs.get("units", "")
            table.add_column(f"{var}\n[dim]{unit}[/]", justify="right")
            table.add_column("hist", justify="right", style="cyan")
        for y in summaries[group[0]].index:
            row = [str(y)]
            for var in group:
                r = summaries[var].loc[y]
                row.append(f"{_fmt(r['median'])} ({_fmt(r['q05'])}-{_fmt(r['q95'])})")
                h = r.get("history", float("nan"))
                row.append("" if math.isnan(h) else _fmt(h))
            table.add_row(*row)
        tables.append(table)
    return tables


def _fmt(x: float) -> str:
    return "" if math.isnan(x) else (f"{x:.3f}" if abs(x) < 1 else f"{x:.1f}")


def run(
    scenario: str = typer.Option("khrushchev-1953", "--scenario", "-s",
                                 help="packaged scenario name or path to a TOML file"),
    runs: int = typer.Option(1000, "--runs", "-n", min=1, max=10_000_000, help="ensemble size"),
    seed: int = typer.Option(0, "--seed", min=0, max=2**63 - 1, help="ensemble seed"),
    chunk_size: int = typer.Option(1000, "--chunk-size", min=1, max=1_000_000),
    out: Path = typer.Option(Path("ottepel-results"), "--out", "-o", help="results store directory"),
    report: Path | None = typer.Option(None, "--report", help="HTML report path (default <out>/report.html)"),
    no_report: bool = typer.Option(False, "--no-report", help="skip the HTML report"),
    cluster: str | None = typer.Option(None, "--cluster", help="'local' or tcp://host:port (Dask)"),
    debug: bool = typer.Option(False, "--debug", help="validate the state every month"),
    variables: str | None = typer.Option(None, "--vars", help="comma-separated variables for the table"),
    params_file: Path | None = typer.Option(None, "--params",
                                            help="parameter file: [params.<group>] tables"),
    priors: bool = typer.Option(False, "--priors", help="declared parameter defaults, not the "
                                "calibrated posterior (data/posterior.toml)"),
) -> None:
    """Replay a scenario as an ensemble; print model vs history; write the HTML report."""
    from ottepel.analysis.report import write_report
    from ottepel.core.catalog import national_catalog
    from ottepel.ensemble.simulate import simulate
    from ottepel.ensemble.store import StoreError

    sc = load_or_fail(scenario, params_file, priors)
    table_vars = variables.split(",") if variables else TABLE_VARS
    unknown = [v for v in table_vars if v not in national_catalog()]
    if unknown:
        fail(f"--vars: unknown variables {unknown}; allowed: {', '.join(sorted(national_catalog()))}")
    console.print(f"scenario [bold]{sc.name}[/] ({sc.path}), {runs} runs, seed {seed}, "
                  f"store {out}")
    try:
        with progress_bar(runs, "simulating") as bar, warnings.catch_warnings():
            warnings.showwarning = show_warning
            task = bar.add_task("runs", total=runs)
            handle = simulate(sc, runs=runs, seed=seed, chunk_size=chunk_size, store=out,
                              progress=lambda k: bar.advance(task, k), debug=debug,
                              cluster=cluster, return_result=False)
        # Summaries of very large ensembles use their first SUMMARY_RUNS runs, so memory
        # stays bounded; every run stays in the store for queries.
        result = handle.result(min(runs, SUMMARY_RUNS))
    except (StoreError, ValueError, OSError) as exc:
        fail(str(exc), 1)
    sample = "" if runs <= SUMMARY_RUNS else f" (tables and report: runs 0-{SUMMARY_RUNS - 1})"
    console.print(f"[bold]{result.scenario}[/]: {runs} runs, seed {seed}{sample}")
    for table in history_tables(result, table_vars):
        console.print(table)
    from ottepel.ensemble.results import grain_fit

    fit = grain_fit(result)
    console.print(f"grain harvest: median within 15% of the official figure in "
                  f"[bold]{int(fit['within'].sum())} of {len(fit)}[/] years 1953-1964")
    if not no_report:
        path = write_report(result, report or out / "report.html")
        console.print(f"report: {path}")


def register(app: typer.Typer) -> None:
    """Add the ``run`` command to the CLI."""
    app.command("run")(run)
