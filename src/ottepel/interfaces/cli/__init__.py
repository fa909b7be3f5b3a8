"""The command-line interface: one Typer app (``app``) with its commands in sub-modules."""

from ottepel.interfaces.cli.app import app, main

__all__ = ["app", "main"]
