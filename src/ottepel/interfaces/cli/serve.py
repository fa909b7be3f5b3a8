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
        jobs_per_client: int = typer.Option(2, "--jobs-per-client", min=1, max=1000,
                                            help="jobs one client may have queued or running"),
        games_per_client: int = typer.Option(10, "--games-per-client", min=1, max=100_000,
                                             help="games one client may have in play"),
        game_idle_minutes: float = typer.Option(30.0, "--game-idle-minutes", min=0.1,
                                                max=10_080.0,
                                                help="a game untouched this long expires"),
        address_share: float = typer.Option(
            0.5, "--address-share", min=0.01, max=1.0,
            help="share of the job and game caps the clients of one address may hold "
                 "(1: no such limit, e.g. behind a proxy that sends no X-Forwarded-For)"),
        allowed_host: list[str] = typer.Option(
            [], "--allowed-host", help="a Host name clients use, besides localhost, "
            "127.0.0.1, [::1] and --host (repeat; '*.example.org' for a domain, '*' for any)"),
        max_body_kb: int = typer.Option(64, "--max-body-kb", min=1, max=100_000,
                                        help="largest request body, KiB"),
    ) -> None:
        """Serve the web dashboard (ensembles, charts, regions, timeline, compare, play)."""
        import uvicorn

        from ottepel.interfaces.web import WebSettings, create_app
        from ottepel.interfaces.web.settings import LOCAL_HOSTS, serve_hosts

        hosts = serve_hosts(host, allowed_host)
        try:
            settings = WebSettings(data_dir=data_dir, max_jobs=max_jobs, max_runs=max_runs,
                                   workers=workers, max_games=max_games,
                                   jobs_per_client=jobs_per_client,
                                   games_per_client=games_per_client,
                                   game_idle_minutes=game_idle_minutes,
                                   address_share=address_share, allowed_hosts=hosts,
                                   max_body_bytes=max_body_kb * 1024)
        except ValueError as exc:
            raise typer.BadParameter(str(exc).replace("WebSettings.allowed_hosts",
                                                      "--allowed-host")) from None
        typer.echo(f"ottepel dashboard on http://{host}:{port}/ (Ctrl-C to stop)")
        if host in ("0.0.0.0", "::", "") and set(hosts) <= set(LOCAL_HOSTS):
            typer.echo("note: only local names are allowed in the Host header; add the name "
                       "or address clients type with --allowed-host", err=True)
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
