"""``ottepel scenarios``, ``params`` and ``variables``: what the model holds."""

from __future__ import annotations

import typer
from rich.table import Table

from ottepel.interfaces.cli.common import console


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


def params() -> None:
    """List every parameter with its default, range, unit and source."""
    from ottepel.core.catalog import parameter_table

    table = Table("parameter", "default", "range", "unit", "source", show_lines=False)
    for r in parameter_table():
        table.add_row(r["path"], f"{r['default']:g}", f"[{r['lo']:g}, {r['hi']:g}]", r["unit"],
                      r["source"])
    console.print(table)


def variables() -> None:
    """List the national output variables."""
    from ottepel.core.catalog import national_catalog

    table = Table("variable", "unit", "cadence", "description")
    for k, (u, c, d) in national_catalog().items():
        table.add_row(k, u, c, d)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the ``scenarios``, ``params`` and ``variables`` commands to the CLI."""
    app.command("scenarios")(scenarios)
    app.command("params")(params)
    app.command("variables")(variables)
