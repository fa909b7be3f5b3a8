"""The web dashboard (FastAPI): ``create_app()`` builds it, ``ottepel serve`` runs it."""

from .app import WebSettings, create_app

__all__ = ["WebSettings", "create_app"]
