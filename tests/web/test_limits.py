"""The web server's guards: per-client quotas, idle expiry, Host check, headers, strict input.

Each test reproduces one failure of issue 19 (one client filling the job cap, a burst of
games locking play, an unchecked Host header, the data directory in /api/limits, no
security headers, "runs": "5" accepted) and checks the guard that now stops it.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from ottepel.interfaces.web import WebSettings, create_app
from ottepel.interfaces.web import jobs as jobs_module
from ottepel.interfaces.web.security import COOKIE, CSP
from ottepel.interfaces.web.settings import serve_hosts

from .conftest import wait_done

JOB = {"scenario": "khrushchev-1953", "runs": 5}
HOSTS = ("testserver", "localhost", "127.0.0.1", "[::1]")


def make(tmp_path, **kw) -> TestClient:
    """A TestClient on an app with the given settings (Host 'testserver' allowed)."""
    kw.setdefault("allowed_hosts", HOSTS)
    return TestClient(create_app(WebSettings(data_dir=tmp_path / "d", max_runs=60, **kw)))


def session(c: TestClient) -> TestClient:
    """Give a client its session cookie (the first answer issues one)."""
    r = c.get("/api/health")
    assert r.status_code == 200
    assert COOKIE in c.cookies or COOKIE in r.cookies
    return c


def assert_429(r, scope: str, limit: int) -> dict:
    """A clean 429: JSON with the limit, its scope and when to retry, and Retry-After."""
    assert r.status_code == 429, r.text
    body = r.json()
    assert body["scope"] == scope and body["limit"] == limit, body
    assert f"limit {limit}" in body["detail"] and "retry in about" in body["detail"]
    assert isinstance(body["retry_after"], int) and body["retry_after"] >= 1
    assert r.headers["retry-after"] == str(body["retry_after"])
    return body


# -- jobs: one client can no longer fill the server's cap --------------------------------
def test_one_client_cannot_fill_the_job_cap(tmp_path, gate):
    with make(tmp_path, max_jobs=4, jobs_per_client=2, address_share=1.0) as a:
        b = make_second(a)
        session(a), session(b)
        assert [a.post("/api/jobs", json=JOB).status_code for _ in range(2)] == [202, 202]
        body = assert_429(a.post("/api/jobs", json=JOB), "client", 2)
        assert "cancel one of yours" in body["detail"]
        # Another client still gets in, up to the server's cap.
        assert [b.post("/api/jobs", json=JOB).status_code for _ in range(2)] == [202, 202]
        c = session(TestClient(a.app))
        assert_429(c.post("/api/jobs", json=JOB), "server", 4)
        # The jobs list says which jobs are the viewer's; only the owner may cancel.
        jobs = a.get("/api/jobs").json()
        assert sum(j["mine"] for j in jobs) == 2 and len(jobs) == 4
        theirs = next(j["id"] for j in jobs if not j["mine"])
        r = a.delete(f"/api/jobs/{theirs}")
        assert r.status_code == 403 and "another client" in r.json()["detail"]
        assert "client" not in jobs[0] and "address" not in str(jobs[0])
        limits = a.get("/api/limits").json()
        assert limits["yours"]["jobs"] == 2 and limits["jobs_per_client"] == 2
        mine = next(j["id"] for j in jobs if j["mine"])
        assert a.delete(f"/api/jobs/{mine}").status_code == 200
        gate.set()
        assert wait_done(a, mine)["status"] == "cancelled"
        assert a.post("/api/jobs", json=JOB).status_code == 202  # a slot of its own again


def make_second(c: TestClient) -> TestClient:
    """A second client (its own cookie jar) on the same app."""
    return TestClient(c.app)


def test_minted_sessions_from_one_address_hold_a_share_only(tmp_path, gate):
    # A script that drops its cookie every time is one client: its address.
    with make(tmp_path, max_jobs=4, jobs_per_client=1, address_share=0.5) as c:
        assert c.post("/api/jobs", json=JOB).status_code == 202
        c.cookies.clear()
        assert_429(c.post("/api/jobs", json=JOB), "client", 1)
        # Keeping each new cookie gives new sessions, but one address holds half the cap.
        codes = []
        for _ in range(4):
            fresh = session(TestClient(c.app))
            codes.append(fresh.post("/api/jobs", json=JOB).status_code)
        assert codes == [202, 429, 429, 429]
        last = TestClient(c.app)
        session(last)
        assert_429(last.post("/api/jobs", json=JOB), "address", 2)
        gate.set()


def test_forged_or_foreign_cookies_are_not_sessions(tmp_path, gate):
    with make(tmp_path, max_jobs=4, jobs_per_client=1, address_share=1.0) as c:
        session(c)
        assert c.post("/api/jobs", json=JOB).status_code == 202
        good = c.cookies[COOKIE]
        sid, mac = good.split(".")
        for forged in (f"{'0' * 32}.{mac}", f"{sid}.{'0' * 32}", "x", "a.b.c", "", sid):
            other = TestClient(c.app)
            other.cookies.set(COOKIE, forged)
            r = other.get("/api/limits")
            assert r.status_code == 200 and r.json()["yours"]["jobs"] == 0  # the address
            assert COOKIE in r.cookies  # a real session is issued instead
        cookie = TestClient(c.app).get("/api/health").headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
        assert c.get("/api/health").headers.get("set-cookie") is None  # has a valid one
        gate.set()
        # The same cookie on another app (another server start) is not a session there.
        with make(tmp_path, max_jobs=4) as d:
            d.cookies.set(COOKIE, good)
            assert COOKIE in d.get("/api/health").cookies


# -- games: a burst no longer locks play; idle games expire in minutes -------------------
class Clock:
    """A settable monotonic clock."""

    def __init__(self):
        """Start at 1000 s."""
        self.now = 1000.0

    def __call__(self) -> float:
        """The current time."""
        return self.now


def test_burst_of_games_does_not_lock_play(tmp_path):
    with make(tmp_path, max_games=100, games_per_client=10, game_idle_minutes=30,
              address_share=1.0) as a:
        clock = Clock()
        a.app.state.games._clock = clock
        session(a)
        codes = [a.post("/api/games", json={"seed": i}).status_code for i in range(100)]
        assert codes.count(201) == 10 and codes.count(429) == 90
        body = assert_429(a.post("/api/games", json={}), "client", 10)
        assert 1790 <= body["retry_after"] <= 1800 and "delete one of yours" in body["detail"]
        b = session(make_second(a))
        assert b.post("/api/games", json={}).status_code == 201  # others still play
        # The burst expires after 30 idle minutes; a game in use stays.
        kept = b.post("/api/games", json={}).json()["id"]
        clock.now += 29 * 60
        assert b.get(f"/api/games/{kept}").status_code == 200
        body = assert_429(a.post("/api/games", json={}), "client", 10)
        assert 50 <= body["retry_after"] <= 60
        clock.now += 2 * 60
        assert a.get("/api/limits").json()["yours"]["games"] == 0
        assert b.get(f"/api/games/{kept}").status_code == 200
        assert len(a.app.state.games) == 1
        assert a.post("/api/games", json={}).status_code == 201


def test_game_global_cap_not_exhausted_by_one_address(tmp_path):
    with make(tmp_path, max_games=6, games_per_client=2, address_share=0.5) as c:
        made = []
        for _ in range(4):  # four sessions from one address
            s = session(TestClient(c.app))
            made.append([s.post("/api/games", json={}).status_code for _ in range(2)])
        assert made == [[201, 201], [201, 429], [429, 429], [429, 429]]
        r = session(TestClient(c.app)).post("/api/games", json={})
        assert_429(r, "address", 3)
        assert len(c.app.state.games) == 3  # half the cap is left for other addresses


def test_game_idle_minutes_setting_and_validation(tmp_path):
    assert WebSettings(game_idle_minutes=5).game_idle_s == 300
    for bad in [{"game_idle_minutes": 0}, {"game_idle_minutes": float("nan")},
                {"jobs_per_client": 0}, {"max_games": True}, {"address_share": 0},
                {"address_share": 1.5}, {"allowed_hosts": ()}, {"allowed_hosts": ("a*b",)}]:
        with pytest.raises(ValueError, match="WebSettings."):
            WebSettings(**bad)
    s = WebSettings(max_jobs=1, jobs_per_client=5)
    assert s.client_jobs == 1 and s.address_jobs == 1


# -- Host header: no DNS rebinding ---------------------------------------------------------
def test_host_header_is_checked(tmp_path):
    with make(tmp_path, allowed_hosts=("localhost", "127.0.0.1", "[::1]")) as c:
        for host in ("localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST"):
            assert c.get("/api/health", headers={"host": host}).status_code == 200, host
        for host in ("evil.example", "evil.example:8000", "localhost.evil.example",
                     "127.0.0.1.nip.io", "", "a b"):
            r = c.get("/api/limits", headers={"host": host})
            assert r.status_code == 400, host
            assert "not allowed" in r.json()["detail"] and "--allowed-host" in r.json()["detail"]
            assert r.headers["content-security-policy"] == CSP
        r = c.post("/api/jobs", json=JOB, headers={"host": "evil.example"})
        assert r.status_code == 400 and not c.app.state.jobs.list()
    with make(tmp_path, allowed_hosts=("*.school.example",)) as c:
        assert c.get("/", headers={"host": "dash.school.example"}).status_code == 200
        assert c.get("/", headers={"host": "school.example.evil"}).status_code == 400


def test_serve_allowed_hosts():
    assert serve_hosts("127.0.0.1") == ("localhost", "127.0.0.1", "[::1]")
    assert serve_hosts("192.168.1.5") == ("localhost", "127.0.0.1", "[::1]", "192.168.1.5")
    assert serve_hosts("::1")[-1] == "[::1]" and serve_hosts("fe80::2")[-1] == "[fe80::2]"
    assert serve_hosts("0.0.0.0", ["Class.Example", "10.0.0.2"]) == (
        "localhost", "127.0.0.1", "[::1]", "class.example", "10.0.0.2")
    assert WebSettings().allowed_hosts == ("localhost", "127.0.0.1", "[::1]")


def test_serve_options(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from ottepel.interfaces.cli.app import app

    seen = {}
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda asgi, **kw: seen.update(kw, app=asgi))
    d = ["--data-dir", str(tmp_path)]
    r = CliRunner().invoke(app, ["serve", *d, "--host", "0.0.0.0", "--allowed-host", "pc.lan",
                                 "--jobs-per-client", "1", "--games-per-client", "3",
                                 "--game-idle-minutes", "5", "--address-share", "1"])
    assert r.exit_code == 0, r.output
    s = seen["app"].state.settings
    assert s.allowed_hosts == ("localhost", "127.0.0.1", "[::1]", "pc.lan")
    assert (s.jobs_per_client, s.games_per_client, s.game_idle_minutes, s.address_share) == (
        1, 3, 5.0, 1.0)
    r = CliRunner().invoke(app, ["serve", *d, "--allowed-host", "a*b"])
    assert r.exit_code == 2 and "--allowed-host" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(app, ["serve", *d, "--host", "0.0.0.0"])
    assert r.exit_code == 0 and "--allowed-host" in r.output  # the note about the names


# -- no server paths in answers ------------------------------------------------------------
def test_no_data_directory_in_answers(tmp_path, monkeypatch):
    data = str(tmp_path / "d")
    with make(tmp_path, max_jobs=4, jobs_per_client=4) as c:
        limits = c.get("/api/limits").json()
        assert "data_dir" not in limits and data not in str(limits)
        assert limits["max_runs"] == 60 and limits["game_idle_minutes"] == 30.0
        ok = c.post("/api/jobs", json=JOB).json()
        wait_done(c, ok["id"])

        def broken(self, job, name):
            raise OSError(f"cannot write {job.directory / 'x.parquet'} under {self.root}")

        monkeypatch.setattr(jobs_module.JobManager, "_run_one", broken)
        bad = wait_done(c, c.post("/api/jobs", json=JOB).json()["id"])
        assert bad["status"] == "failed" and "<job>" in bad["error"]
        texts = [c.get(p).text for p in ("/api/limits", "/api/jobs", f"/api/jobs/{bad['id']}",
                                         f"/api/jobs/{ok['id']}", "/openapi.json",
                                         "/api/jobs/" + "0" * 32)]
        texts.append(c.get(f"/api/jobs/{bad['id']}/series", params={"var": "x"}).text)
        texts.append(c.post("/api/games/load", json={"format": "x"}).text)
        assert all(data not in t and str(tmp_path) not in t for t in texts)


# -- security headers ----------------------------------------------------------------------
def test_security_headers_on_every_answer(tmp_path):
    with make(tmp_path, max_jobs=1, jobs_per_client=1, max_body_bytes=1024) as c:
        answers = [c.get("/"), c.get("/static/app.js"), c.get("/static/plotly.min.js"),
                   c.get("/api/health"), c.get("/api/nothing"), c.get("/static/../x"),
                   c.post("/api/jobs", json={"runs": "5"}),
                   c.post("/api/jobs", content=b"x" * 2000),
                   c.get("/api/health", headers={"host": "evil.example"})]
        assert [r.status_code for r in answers] == [200, 200, 200, 200, 404, 404, 422, 413, 400]
        for r in answers:
            h = r.headers
            assert h["content-security-policy"] == CSP
            assert h["x-content-type-options"] == "nosniff"
            assert h["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in CSP
            assert h["referrer-policy"] == "no-referrer"
            assert h["cross-origin-opener-policy"] == "same-origin"
        assert "script-src 'self';" in CSP and "unsafe-eval" not in CSP
        assert "default-src 'self'" in CSP
        page = answers[0].text  # no inline script or handler, so script-src 'self' holds
        assert not re.findall(r"<script(?![^>]*\bsrc=)", page)
        assert not re.search(r"\son[a-z]+\s*=", page) and "javascript:" not in page
        assert c.get("/docs").status_code == 404  # Swagger UI would load a CDN


# -- strict request bodies -----------------------------------------------------------------
@pytest.mark.parametrize("path, body, words", [
    ("/api/jobs", {"scenario": "khrushchev-1953", "runs": "5"}, "runs: Input should be a valid integer (got a string '5')"),
    ("/api/jobs", {"scenario": "khrushchev-1953", "runs": True}, "runs: Input should be a valid integer (got a boolean True)"),
    ("/api/jobs", {"scenario": "khrushchev-1953", "runs": 5.0}, "runs: Input should be a valid integer"),
    ("/api/jobs", {"scenario": "khrushchev-1953", "runs": 5, "seed": "1"}, "seed:"),
    ("/api/jobs", {"scenario": "khrushchev-1953", "runs": 5, "seed": None}, "seed:"),
    ("/api/jobs", {"scenario": 1953, "runs": 5}, "scenario: Input should be a valid string"),
    ("/api/jobs", {"scenario": "khrushchev-1953", "runs": 5, "compare_with": False}, "compare_with"),
    ("/api/jobs", {"scenario": "khrushchev-1953", "runs": 5, "Runs": 5}, "Runs: extra field not allowed"),
    ("/api/games", {"seed": True}, "seed: Input should be a valid integer"),
    ("/api/games", {"seed": "0"}, "seed:"),
    ("/api/games", {"role": ["khrushchev"]}, "role: Input should be a valid string (got a list)"),
    ("/api/games", {"scenario": "khrushchev-1953", "speed": 2}, "speed: extra field"),
    ("/api/games", "khrushchev-1953", "request: the body must be a JSON object (got a string"),
])
def test_strict_request_bodies(client, path, body, words):
    r = client.post(path, json=body)
    assert r.status_code == 422, r.text
    assert words.lower() in r.json()["detail"].lower(), r.json()["detail"]


def test_strict_game_bodies(client):
    gid = client.post("/api/games", json={"seed": 1}).json()["id"]
    for choices, words in [({"maize_target_mha": "9"}, "maize_target_mha: input should be a valid number"),
                           ({"maize_target_mha": True}, "got a boolean"),
                           ({"maize_target_mha": None}, "valid number"),
                           ([["maize_target_mha", 9]], "choices: input should be a valid dictionary")]:
        for action in ("choices", "advance"):
            r = client.post(f"/api/games/{gid}/{action}", json={"choices": choices})
            assert r.status_code == 422 and words in r.json()["detail"].lower(), r.text
    r = client.post(f"/api/games/{gid}/advance", json={"choices": {}, "turns": 5})
    assert r.status_code == 422 and "turns: extra field" in r.json()["detail"]
    ok = client.post(f"/api/games/{gid}/choices", json={"choices": {"maize_target_mha": 9}})
    assert ok.status_code == 200  # an integer is a number
    assert client.get(f"/api/games/{gid}").json()["turn"] == 0  # nothing was played
    client.post(f"/api/games/{gid}/advance")
    save = client.get(f"/api/games/{gid}/save").json()
    assert client.post("/api/games/load", json=save).status_code == 201
    for key, value, words in [("seed", "1", "seed:"), ("seed", True, "seed:"),
                              ("months_per_turn", 3.0, "months_per_turn:"),
                              ("cheat", 1, "cheat: extra field"),
                              ("turns", [{"turn": 1, "month": "1953-03",
                                          "choices": {"maize_target_mha": "9"}}], "turns.0.choices")]:
        r = client.post("/api/games/load", json={**save, key: value})
        assert r.status_code == 422 and words in r.json()["detail"], r.text
