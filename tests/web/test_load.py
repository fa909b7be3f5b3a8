"""The real server (uvicorn on a free loopback port) under 50 concurrent bounded clients.

Fifty clients start at once (a barrier), each with its own session cookie or none (then
it is known by its address), spread over 25 addresses (X-Forwarded-For, which uvicorn
trusts from 127.0.0.1 as it would from a local reverse proxy). Each one plays a game,
reads the same finished job's fan chart, tries to start a job (the server's cap of 4 is
soon full: clean 429s), tries a second game beyond its quota of one (429) and cancels
its job if it got one. Every answer must be the right one; afterwards the server still
answers, and its threads and memory stayed bounded.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx

from ottepel.interfaces.web import WebSettings, create_app
from ottepel.interfaces.web.security import COOKIE

from .conftest import wait_done
from .server import running_server

CLIENTS = 50
ADDRESSES = 25


def rss_mb() -> float:
    """Resident memory of this process (the server runs in it), MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def check_429(r, scope: str, limit: int) -> None:
    """A clean 429 answer."""
    body = r.json()
    assert (r.status_code, body["scope"], body["limit"]) == (429, scope, limit), r.text
    assert int(r.headers["retry-after"]) == body["retry_after"] >= 1


def test_fifty_bounded_clients_on_a_real_server(tmp_path):
    settings = WebSettings(data_dir=tmp_path / "data", max_jobs=4, jobs_per_client=1,
                           max_runs=60, max_games=100, games_per_client=1,
                           address_share=0.5, workers=1)
    app = create_app(settings)
    t0 = time.monotonic()
    with running_server(app) as url:
        with httpx.Client(base_url=url, timeout=60) as c:
            jid = c.post("/api/jobs", json={"scenario": "khrushchev-1953", "runs": 10}).json()["id"]
            assert wait_done(c, jid)["status"] == "done"
            series = c.get(f"/api/jobs/{jid}/series", params={"var": "grain_harvest_mt"}).json()
        threads_before, rss_before = threading.active_count(), rss_mb()
        barrier = threading.Barrier(CLIENTS, timeout=30)
        peak_threads = [threads_before]

        def client(i: int) -> dict:
            cookieless = i % 10 == 9
            headers = {"X-Forwarded-For": f"10.0.{i % ADDRESSES}.1"}
            out: dict = {}
            with httpx.Client(base_url=url, timeout=60, headers=headers) as cl:
                def call(method: str, path: str, **kw):
                    if cookieless:
                        cl.cookies.clear()
                    return cl.request(method, path, **kw)

                r = call("GET", "/api/health")
                assert r.status_code == 200 and COOKIE in r.cookies
                barrier.wait()
                r = call("POST", "/api/games", json={"seed": i})
                assert r.status_code == 201, r.text
                gid = r.json()["id"]
                r = call("POST", f"/api/games/{gid}/advance", json={"choices": {}})
                assert r.status_code == 200 and r.json()["game"]["turn"] == 1, r.text
                r = call("GET", f"/api/jobs/{jid}/series", params={"var": "grain_harvest_mt"})
                assert r.status_code == 200 and r.json() == series
                r = call("POST", "/api/jobs", json={"scenario": "khrushchev-1953", "runs": 10,
                                                    "seed": i})
                out["job"] = r.status_code
                if r.status_code == 429:
                    check_429(r, "server", 4)
                else:
                    assert r.status_code == 202, r.text
                    assert r.json()["mine"] is True
                    again = call("POST", "/api/jobs", json={"scenario": "khrushchev-1953",
                                                            "runs": 10})
                    check_429(again, "client", 1)
                    d = call("DELETE", f"/api/jobs/{r.json()['id']}")
                    assert d.status_code == 200 and d.json()["status"] in (
                        "cancelled", "running", "done"), d.text
                check_429(call("POST", "/api/games", json={}), "client", 1)
                assert call("GET", f"/api/games/{gid}").json()["turn"] == 1
                limits = call("GET", "/api/limits").json()
                assert limits["yours"]["games"] == 1
                r = call("POST", "/api/jobs", json={"scenario": "khrushchev-1953", "runs": "5"})
                assert r.status_code == 422 and "runs" in r.json()["detail"]
                peak_threads.append(threading.active_count())
            return out

        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            results = list(pool.map(client, range(CLIENTS)))
        jobs = [r["job"] for r in results]
        assert jobs.count(202) >= 4 and jobs.count(202) + jobs.count(429) == CLIENTS
        assert len(app.state.games) == CLIENTS
        owners = [e.client for e in app.state.games._games.values()]
        assert {o.address for o in owners} == {f"10.0.{k}.1" for k in range(ADDRESSES)}
        assert sum(o.key.startswith("a:") for o in owners) == CLIENTS // 10  # the cookieless
        threads_after, rss_after = threading.active_count(), rss_mb()
        with httpx.Client(base_url=url, timeout=10) as c:
            assert c.get("/api/health").json() == {"status": "ok"}
            assert c.get("/").status_code == 200
    elapsed = time.monotonic() - t0
    # Bounded: the sync endpoints share AnyIO's 40 worker threads and the jobs one worker;
    # the server's own threads come on top of the 50 client threads of this test.
    assert max(peak_threads) - threads_before <= CLIENTS + 40 + 5, peak_threads
    assert threads_after - threads_before <= 45, (threads_before, threads_after)
    assert rss_after - rss_before < 400, (rss_before, rss_after)
    assert elapsed < 60, elapsed
    print(f"50 clients: {elapsed:.1f} s, threads {threads_before} -> peak {max(peak_threads)} "
          f"-> {threads_after}, RSS {rss_before:.0f} -> {rss_after:.0f} MB, jobs accepted "
          f"{jobs.count(202)}")
