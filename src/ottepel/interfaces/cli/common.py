"""What every command shares: the consoles, errors without tracebacks, progress bars and
loading a scenario before anything is written."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

# Piped output (CI logs, files) gets a wide console so the tables are not cut.
console = Console() if sys.stdout.isatty() else Console(width=160)
err_console = Console(stderr=True, soft_wrap=True)  # never wrap file paths in errors


def fail(message: str, code: int = 2) -> None:
    """Print an error without a traceback and exit.

    The message is printed as plain text (no Rich markup: ``[[decision]]`` stays as
    written) and never wrapped, so file paths and line numbers stay on one line.
    """
    from rich.text import Text

    err_console.print(Text.assemble(("error: ", "bold red"), message), soft_wrap=True,
                      highlight=False)
    raise typer.Exit(code)


def show_warning(message, category, *args, **kwargs) -> None:
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
