"""The web dashboard (FastAPI): ``create_app()`` builds it, ``ottepel serve`` runs it."""

from ottepel.interfaces.web.app import WebSettings, create_app

__all__ = ["WebSettings", "create_app"]
