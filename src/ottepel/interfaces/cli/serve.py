"""``ottepel serve``: run the web dashboard with uvicorn (FastAPI loads only here)."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the CLI."""

    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="interface to listen on"),
        port: int = typer.Option(8000, "--port", "-p", min=0, max=65535),
        data_dir: Path | None = typer.Option(
            None, "--data-dir", help="where job results are stored (default: a temporary "
            "directory deleted at exit)"),
        max_jobs: int = typer.Option(4, "--max-jobs", min=1, max=1000,
                                     help="jobs queued or running at once"),
        max_runs: int = typer.Option(1000, "--max-runs", min=1, max=10_000_000,
                                     help="runs per job"),
        workers: int = typer.Option(1, "--workers", min=1, max=64,
                                    help="jobs simulated at the same time"),
        max_games: int = typer.Option(100, "--max-games", min=1, max=100_000,
                                      help="games in play at once"),
        max_body_kb: int = typer.Option(64, "--max-body-kb", min=1, max=100_000,
                                        help="largest request body, KiB"),
    ) -> None:
        """Serve the web dashboard (ensembles, charts, regions, timeline, compare, play)."""
        import uvicorn

        from ottepel.interfaces.web import WebSettings, create_app

        settings = WebSettings(data_dir=data_dir, max_jobs=max_jobs, max_runs=max_runs,
                               workers=workers, max_games=max_games,
                               max_body_bytes=max_body_kb * 1024)
        typer.echo(f"ottepel dashboard on http://{host}:{port}/ (Ctrl-C to stop)")
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
