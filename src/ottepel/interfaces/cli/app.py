"""Command-line interface (Typer + Rich): a thin shell over ``ottepel.simulate``.

``ottepel run`` replays a scenario as an ensemble, streams chunks to the results store,
prints model against history by year and writes an offline HTML report. Bad input
(scenario files, options) gives a clear message and exit code 2, never a traceback.
Other commands are registered by modules listed in ``COMMAND_MODULES``.
"""

from __future__ import annotations

import importlib
import math
import sys
import warnings
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="ottepel: the Soviet political economy under Khrushchev, 1953-1964.")
# Piped output (CI logs, files) gets a wide console so the tables are not cut.
console = Console() if sys.stdout.isatty() else Console(width=160)
err_console = Console(stderr=True, soft_wrap=True)  # never wrap file paths in errors

# Modules that add commands: each has register(app).
COMMAND_MODULES: list[str] = [
    "ottepel.interfaces.cli.serve",
    "ottepel.interfaces.cli.whatif",  # compare, assess
    "ottepel.interfaces.cli.play",  # play (terminal game over ottepel.interfaces.play.Game)
    "ottepel.interfaces.cli.calibrate",  # calibrate, sensitivity, validate
]

# Largest number of runs loaded into memory for the tables and the report.
SUMMARY_RUNS = 5_000

TABLE_VARS = [
    "grain_harvest_mt", "grain_procurement_mt", "virgin_lands_sown_mha", "maize_sown_mha",
    "meat_production_mt", "milk_production_mt", "housing_completed_mn_m2", "population_mn",
    "grain_imports_mt", "industrial_output_index",
]


def fail(message: str, code: int = 2) -> None:
    """Print an error without a traceback and exit.

    The message is printed as plain text (no Rich markup: ``[[decision]]`` stays as
    written) and never wrapped, so file paths and line numbers stay on one line.
    """
    from rich.text import Text

    err_console.print(Text.assemble(("error: ", "bold red"), message), soft_wrap=True,
                      highlight=False)
    raise typer.Exit(code)


def _show_warning(message, category, *args, **kwargs) -> None:
    """Print a warning (e.g. a damaged chunk that will be re-run) as one plain line."""
    from rich.text import Text

    err_console.print(Text.assemble(("warning: ", "bold yellow"), str(message)), soft_wrap=True,
                      highlight=False)


def progress_bar(total: int, label: str):
    """A Rich progress bar over runs."""
    return Progress(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("runs"), TimeElapsedColumn(), console=err_console,
                    transient=False)


def load_or_fail(scenario: str, params_file: Path | None = None, priors: bool = False):
    """Load a scenario (and a parameter file) or exit 2 with the validation message.

    Every command that takes a scenario loads it through here, before it writes anything.
    ``priors``: use the declared parameter defaults, not the calibrated posterior.
    """
    from ottepel.core.scenario import ScenarioError, load_scenario, with_param_file

    try:
        sc = load_scenario(scenario, posterior=False if priors else None)
        return with_param_file(sc, params_file) if params_file is not None else sc
    except ScenarioError as exc:
        fail(str(exc))


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


@app.command()
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
            warnings.showwarning = _show_warning
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


@app.command()
def scenarios() -> None:
    """List the packaged scenarios."""
    from ottepel.core.scenario import ScenarioError, load_scenario, packaged_scenarios

    table = Table("name", "title", "decisions")
    for name in packaged_scenarios():
        try:
            sc = load_scenario(name)
        except ScenarioError as exc:  # one broken file must not hide the others
            table.add_row(name, f"[red]does not load:[/] {exc}", "")
            continue
        table.add_row(name, sc.title, str(len(sc.decisions.schedule)))
    console.print(table)


@app.command()
def params() -> None:
    """List every parameter with its default, range, unit and source."""
    from ottepel.core.catalog import parameter_table

    table = Table("parameter", "default", "range", "unit", "source", show_lines=False)
    for r in parameter_table():
        table.add_row(r["path"], f"{r['default']:g}", f"[{r['lo']:g}, {r['hi']:g}]", r["unit"],
                      r["source"])
    console.print(table)


@app.command()
def variables() -> None:
    """List the national output variables."""
    from ottepel.core.catalog import national_catalog

    table = Table("variable", "unit", "cadence", "description")
    for k, (u, c, d) in national_catalog().items():
        table.add_row(k, u, c, d)
    console.print(table)


for _mod in COMMAND_MODULES:
    importlib.import_module(_mod).register(app)


def main() -> None:  # pragma: no cover - entry point for python -m ottepel
    """Run the app."""
    app(prog_name="ottepel")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
