"""The dashboard's JSON API: endpoints, bad input, limits, path traversal, concurrency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import numpy as np
import pytest

from ottepel import simulate

from .conftest import wait_done
from .server import running_server


def test_page_and_offline_plotly(client):
    page = client.get("/")
    assert page.status_code == 200 and "ottepel" in page.text
    assert '<script src="/static/plotly.min.js">' in page.text  # no CDN
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert len(js.content) > 1_000_000 and b"plotly" in js.content[:5000].lower()
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/style.css").status_code == 200


def test_scenarios_variables_limits(client):
    names = [s["name"] for s in client.get("/api/scenarios").json()]
    assert "khrushchev-1953" in names and "no-virgin-lands" in names
    var = client.get("/api/variables").json()
    nat = {v["name"]: v for v in var["national"]}
    assert nat["grain_harvest_mt"]["unit"] == "million t" and nat["grain_harvest_mt"]["history"]
    assert nat["industrial_output_index"]["reported"] == "industrial_output_index_reported"
    assert "grain_harvest_mt" in {v["name"] for v in var["regional"]}
    assert client.get("/api/limits").json()["max_runs"] == 60


def test_ensemble_job_results_match_simulate(client):
    r = client.post("/api/jobs", json={"scenario": "khrushchev-1953", "runs": 20, "seed": 7})
    assert r.status_code == 202
    job = wait_done(client, r.json()["id"])
    assert job["status"] == "done" and job["done_runs"] == 20 and job["progress"] == 1.0
    jid = job["id"]
    s = client.get(f"/api/jobs/{jid}/series", params={"var": "grain_harvest_mt"}).json()
    expected = simulate("khrushchev-1953", runs=20, seed=7).summary("grain_harvest_mt")
    assert s["true"]["years"] == list(range(1953, 1965))
    assert np.allclose(s["true"]["median"], expected["median"], rtol=0, atol=1e-9)
    assert s["true"]["history"][0] == 82.5  # official 1953 harvest, series.csv
    assert s["reported"]["var"] == "grain_harvest_reported_mt"  # the planning domain's books
    ind = client.get(f"/api/jobs/{jid}/series", params={"var": "industrial_output_index"}).json()
    assert ind["reported"]["var"] == "industrial_output_index_reported"
    reg = client.get(f"/api/jobs/{jid}/regions",
                     params={"var": "grain_harvest_mt", "year": 1958}).json()
    assert len(reg["regions"]) == 105 and reg["year"] == 1958
    assert {"code", "name", "republic", "lat", "lon", "value"} <= set(reg["regions"][0])
    total = sum(x["value"] for x in reg["regions"])
    assert 0.8 < total / expected.loc[1958, "median"] < 1.25  # median of sums vs sum of medians
    ev = client.get(f"/api/jobs/{jid}/events", params={"run": 0}).json()
    assert ev["runs"] == 20 and all(e["run"] == 0 for e in ev["events"])
    assert all({"month", "kind", "actors", "causes"} <= set(e) for e in ev["events"])
    assert any(d["id"] == "virgin_lands_1954" and d["source"] for d in ev["decisions"])
    assert ev["record"] and all(x["source"] for x in ev["record"])
    assert client.get(f"/api/jobs/{jid}/compare", params={"var": "grain_harvest_mt"}).status_code == 422


def test_compare_job_is_paired(client):
    r = client.post("/api/jobs", json={"scenario": "khrushchev-1953", "runs": 10, "seed": 3,
                                       "compare_with": "no-virgin-lands"})
    assert r.status_code == 202 and r.json()["kind"] == "compare"
    job = wait_done(client, r.json()["id"])
    assert job["status"] == "done" and job["done_runs"] == 20
    d = client.get(f"/api/jobs/{job['id']}/compare", params={"var": "grain_harvest_mt"}).json()
    assert d["a"] == "khrushchev-1953" and d["b"] == "no-virgin-lands" and d["runs"] == 10
    # Same seed: identical until the first ploughing (1954), so 1953 differs by exactly 0.
    assert d["median"][0] == 0.0 and d["q05"][0] == 0.0 and d["q95"][0] == 0.0
    a = simulate("khrushchev-1953", runs=10, seed=3).annual("grain_harvest_mt")
    b = simulate("no-virgin-lands", runs=10, seed=3).annual("grain_harvest_mt")
    assert np.allclose(d["median"], (b - a).median().to_numpy(), atol=1e-9)
    assert d["q95"][d["years"].index(1956)] < 0  # without the new land, less grain in 1956
    s = client.get(f"/api/jobs/{job['id']}/series",
                   params={"var": "virgin_lands_sown_mha", "which": 1}).json()
    assert s["scenario"] == "no-virgin-lands" and max(s["true"]["median"]) == 0.0


@pytest.mark.parametrize("name", [
    "../khrushchev-1953", "/etc/passwd", "khrushchev-1953.toml", "../../../../etc/passwd",
    "scenarios/../khrushchev-1953", "..%2F..%2Fetc%2Fpasswd", "src/ottepel/scenarios/khrushchev-1953.toml",
    "KHRUSHCHEV-1953", "", "x" * 101,
])
def test_path_traversal_and_unknown_scenarios_rejected(client, name):
    r = client.post("/api/jobs", json={"scenario": name, "runs": 5})
    assert r.status_code == 422
    assert isinstance(r.json()["detail"], str) and "scenario" in r.json()["detail"]
    r = client.post("/api/jobs", json={"scenario": "khrushchev-1953", "runs": 5, "compare_with": name})
    assert r.status_code == 422 and "compare_with" in r.json()["detail"]
    r = client.post("/api/games", json={"scenario": name})
    assert r.status_code == 422


@pytest.mark.parametrize("body, status, words", [
    ({"scenario": "khrushchev-1953", "runs": 0}, 422, "runs"),
    ({"scenario": "khrushchev-1953", "runs": 61}, 422, "more than this server allows"),
    ({"scenario": "khrushchev-1953", "runs": 5, "seed": -1}, 422, "seed"),
    ({"scenario": "khrushchev-1953", "runs": "many"}, 422, "runs"),
    ({"scenario": "khrushchev-1953", "runs": 5, "extra": 1}, 422, "extra"),
    ({"runs": 5}, 422, "scenario"),
    ([1, 2], 422, "request"),
])
def test_bad_job_requests(client, body, status, words):
    r = client.post("/api/jobs", json=body)
    assert r.status_code == status
    assert words in r.json()["detail"]


def test_bad_json_and_bad_queries(client):
    r = client.post("/api/jobs", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and isinstance(r.json()["detail"], str)
    assert client.get("/api/jobs/0123456789abcdef0123456789abcdef").status_code == 404
    assert client.get("/api/jobs/../../etc/passwd").status_code == 404
    assert client.get("/static/../pyproject.toml").status_code == 404
    assert client.get("/static/%2e%2e/app.py").status_code == 404
    jid = client.post("/api/jobs", json={"scenario": "khrushchev-1953", "runs": 10}).json()["id"]
    wait_done(client, jid)
    for path, params in [("series", {"var": "no_such_var"}), ("series", {"var": "grain_harvest_mt", "which": 1}),
                         ("regions", {"var": "grain_harvest_mt", "year": 1900}),
                         ("regions", {"var": "population_mn_bogus"}), ("events", {"run": 10}),
                         ("events", {"run": -1}), ("series", {})]:
        r = client.get(f"/api/jobs/{jid}/{path}", params=params)
        assert r.status_code == 422, (path, params, r.text)
        assert isinstance(r.json()["detail"], str)


def test_job_limits_and_cancel(client, gate):
    ok = [client.post("/api/jobs", json={"scenario": "khrushchev-1953", "runs": 10}) for _ in range(2)]
    assert [r.status_code for r in ok] == [202, 202]
    busy = client.post("/api/jobs", json={"scenario": "khrushchev-1953", "runs": 10})
    assert busy.status_code == 429 and "limit 2" in busy.json()["detail"]
    second = ok[1].json()["id"]
    assert client.get(f"/api/jobs/{second}/series", params={"var": "grain_harvest_mt"}).status_code == 409
    assert client.delete(f"/api/jobs/{second}").json()["status"] in ("cancelled", "queued", "running")
    gate.set()
    assert wait_done(client, ok[0].json()["id"])["status"] == "done"
    assert wait_done(client, second)["status"] == "cancelled"
    assert client.post("/api/jobs", json={"scenario": "khrushchev-1953", "runs": 10}).status_code == 202


def test_request_body_limit(client):
    big = {"scenario": "khrushchev-1953", "runs": 5, "pad": "x" * 20_000}
    r = client.post("/api/jobs", json=big)
    assert r.status_code == 413 and "too large" in r.json()["detail"]

    def chunks():
        for _ in range(40):
            yield b" " * 1000

    r = client.post("/api/games", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_play_three_turns_save_and_load(client):
    g = client.post("/api/games", json={"scenario": "khrushchev-1953", "seed": 4}).json()
    gid = g["id"]
    assert g["date"] == "1953-03" and g["turn"] == 0
    names = [c["name"] for c in g["choices"]]
    assert names[0] == "invest_share_group_a" and "maize_target_mha" in names
    bad = client.post(f"/api/games/{gid}/choices", json={"choices": {"maize_target_mha": 99}})
    assert bad.status_code == 422 and "allowed range" in bad.json()["detail"]
    bad = client.post(f"/api/games/{gid}/choices", json={"choices": {"../x": 1}})
    assert bad.status_code == 422 and "unknown lever" in bad.json()["detail"]
    ok = client.post(f"/api/games/{gid}/choices", json={"choices": {"maize_target_mha": 9}})
    assert ok.status_code == 200 and ok.json()["applied"] == {"maize_target_mha": 9.0}
    for turn in (1, 2, 3):
        d = client.post(f"/api/games/{gid}/advance", json={"choices": {}}).json()
        assert d["report"]["turn"] == turn and d["game"]["turn"] == turn
    assert d["game"]["date"] == "1953-12" and d["report"]["to"] == "1953-11"
    assert "grain_harvest_mt" in d["game"]["indicators"]
    save = client.get(f"/api/games/{gid}/save").json()
    loaded = client.post("/api/games/load", json=save).json()
    assert loaded["id"] != gid and loaded["date"] == "1953-12"
    assert loaded["indicators"] == d["game"]["indicators"]
    save["scenario"] = "../../etc/passwd"
    r = client.post("/api/games/load", json=save)
    assert r.status_code == 422 and "unknown scenario" in r.json()["detail"]
    assert client.post("/api/games/load", json={"format": "x"}).status_code == 422
    assert client.post("/api/games", json={"role": "napoleon"}).status_code == 422
    assert client.delete(f"/api/games/{gid}").status_code == 200
    assert client.post(f"/api/games/{gid}/advance").status_code == 404


def test_game_cap(client):
    for _ in range(5):
        assert client.post("/api/games", json={}).status_code == 201
    r = client.post("/api/games", json={})
    assert r.status_code == 429 and "limit 5" in r.json()["detail"]


def test_finished_game_refuses_moves(client, app):
    gid = client.post("/api/games", json={}).json()["id"]
    game = app.state.games.get(gid).game
    while not game.over:
        game.advance()
    r = client.post(f"/api/games/{gid}/advance")
    assert r.status_code == 409 and "over" in r.json()["detail"]


def test_fifty_concurrent_requests_on_loopback(app):
    with running_server(app) as url:
        with httpx.Client(base_url=url, timeout=60) as c:
            jid = c.post("/api/jobs", json={"scenario": "khrushchev-1953", "runs": 10}).json()["id"]
            wait_done(c, jid)
            gids = [c.post("/api/games", json={"seed": i}).json()["id"] for i in range(4)]

        def call(i: int) -> tuple[int, str]:
            with httpx.Client(base_url=url, timeout=60) as cl:
                k = i % 5
                if k == 0:
                    r = cl.get("/api/scenarios")
                elif k == 1:
                    r = cl.get(f"/api/jobs/{jid}/series", params={"var": "grain_harvest_mt"})
                elif k == 2:
                    r = cl.get(f"/api/jobs/{jid}/regions", params={"var": "grain_harvest_mt"})
                elif k == 3:
                    r = cl.post(f"/api/games/{gids[i % 4]}/advance")
                else:
                    r = cl.get(f"/api/jobs/{jid}/events", params={"run": i % 10})
                return r.status_code, r.text[:200]

        with ThreadPoolExecutor(max_workers=50) as pool:
            results = list(pool.map(call, range(50)))
        assert [s for s, _ in results] == [200] * 50, [t for s, t in results if s != 200]
        with httpx.Client(base_url=url) as c:
            turns = [c.get(f"/api/games/{g}").json()["turn"] for g in gids]
        assert sum(turns) == 10  # every advance counted once, none lost to a race


def test_serve_command_is_registered():
    from typer.testing import CliRunner

    from ottepel.interfaces.cli.app import app

    r = CliRunner().invoke(app, ["serve", "--help"])
    assert r.exit_code == 0 and "--max-runs" in r.output
