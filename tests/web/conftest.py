"""Fixtures for the web tests: the app with small limits, a client, a gate on jobs."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient

from ottepel.interfaces.web import WebSettings, create_app
from ottepel.interfaces.web import jobs as jobs_module


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


@pytest.fixture
def client(app):
    """A TestClient running the app's lifespan (it keeps the session cookie)."""
    with TestClient(app) as c:
        yield c


def wait_done(client, jid: str, timeout: float = 60.0) -> dict:
    """Poll a job until it leaves queued/running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{jid}").json()
        if job["status"] not in ("queued", "running"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {jid} did not finish in {timeout} s")


@pytest.fixture
def gate(monkeypatch):
    """Hold every job before it simulates until the test sets the event."""
    event = threading.Event()
    original = jobs_module.JobManager._run_one

    def held(self, job, name):
        assert event.wait(30), "gate never opened"
        return original(self, job, name)

    monkeypatch.setattr(jobs_module.JobManager, "_run_one", held)
    yield event
    event.set()
