"""Fixtures for the web tests: the app with small limits."""

from __future__ import annotations

import pytest

from ottepel.interfaces.web import WebSettings, create_app


@pytest.fixture
def settings(tmp_path) -> WebSettings:
    """Small limits so the limit paths are reachable in tests."""
    return WebSettings(data_dir=tmp_path / "data", max_jobs=2, max_runs=60, workers=1,
                       max_finished=10, max_games=5, max_body_bytes=16 * 1024,
                       jobs_per_client=2, games_per_client=5, address_share=1.0,
                       allowed_hosts=("testserver", "127.0.0.1", "localhost"))


@pytest.fixture
def app(settings):
    """A fresh dashboard app."""
    return create_app(settings)
