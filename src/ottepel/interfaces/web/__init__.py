"""The web dashboard (FastAPI): ``create_app()`` builds it, ``ottepel serve`` runs it."""

from ottepel.interfaces.web.app import create_app
from ottepel.interfaces.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
