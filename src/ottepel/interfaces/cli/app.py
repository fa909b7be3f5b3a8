"""Command-line interface (Typer + Rich): thin shells over ``ottepel.simulate`` and the analyses.

The app is built here from one module per group of commands, registered in this order
(``ottepel --help`` lists them so):

- :mod:`~ottepel.interfaces.cli.run`: ``run`` (an ensemble, the history tables, the report);
- :mod:`~ottepel.interfaces.cli.info`: ``scenarios``, ``params``, ``variables``;
- :mod:`~ottepel.interfaces.cli.serve`: ``serve`` (the web dashboard);
- :mod:`~ottepel.interfaces.cli.whatif`: ``compare``, ``assess``;
- :mod:`~ottepel.interfaces.cli.play`: ``play`` (the terminal game);
- :mod:`~ottepel.interfaces.cli.calibrate`: ``calibrate``, ``sensitivity``, ``validate``.

Each module has ``register(app)``; what they share (consoles, :func:`fail`, progress bars,
:func:`load_or_fail`) is in :mod:`~ottepel.interfaces.cli.common`. Bad input (scenario
files, options) gives a clear message and exit code 2, never a traceback.
"""

from __future__ import annotations

import sys

import typer

from ottepel.interfaces.cli import calibrate, info, play, run, serve, whatif
from ottepel.interfaces.cli.common import console, err_console, fail, load_or_fail, progress_bar

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="ottepel: the Soviet political economy under Khrushchev, 1953-1964.")

COMMAND_MODULES = (run, info, serve, whatif, play, calibrate)
for _module in COMMAND_MODULES:
    _module.register(app)

__all__ = ["COMMAND_MODULES", "app", "console", "err_console", "fail", "load_or_fail", "main",
           "progress_bar"]


def main() -> None:  # pragma: no cover - entry point for python -m ottepel
    """Run the app."""
    app(prog_name="ottepel")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
