"""The web dashboard: a FastAPI app over ``simulate``, ``Store`` and ``play.Game``.

``create_app(settings)`` builds the app; ``ottepel serve`` runs it with uvicorn. The
page (``static/index.html``) is plain HTML and JavaScript; Plotly's JavaScript is served
from the installed plotly package, so nothing is fetched from the internet. Endpoints
(all JSON; errors are ``{"detail": "<message>"}`` with a 4xx status):

- ``GET /api/scenarios``, ``GET /api/variables``, ``GET /api/limits``, ``GET /api/health``
- ``POST /api/jobs`` ``{scenario, runs, seed, compare_with?}`` -> 202 job (429 when busy)
- ``GET /api/jobs``, ``GET|DELETE /api/jobs/{id}``
- ``GET /api/jobs/{id}/series?var=&which=``, ``.../regions?var=&year=&which=``,
  ``.../events?run=&which=``, ``.../compare?var=``
- ``POST /api/games`` ``{scenario, seed, role}``, ``GET|DELETE /api/games/{id}``,
  ``GET|POST /api/games/{id}/choices``, ``POST /api/games/{id}/advance``,
  ``GET /api/games/{id}/save``, ``POST /api/games/load``

Only packaged scenario names are accepted, so no request can make the server open a
file of its choosing. Request bodies are strict pydantic models (``models``) limited in
size (413 beyond). Jobs and games are capped per client, per address and on the server
(429 with ``Retry-After``); the Host header must be an allowed one (400 otherwise); every
answer carries a Content-Security-Policy and its companions (``security``).
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import asynccontextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from ottepel.core.scenario import load_scenario, packaged_scenarios
from ottepel.interfaces.play import Game, GameError
from ottepel.interfaces.web import views
from ottepel.interfaces.web.games import GameRegistry
from ottepel.interfaces.web.jobs import Job, JobManager
from ottepel.interfaces.web.limits import Client, LimitError, Quota
from ottepel.interfaces.web.models import ChoicesRequest, GameRequest, JobRequest, SaveFile
from ottepel.interfaces.web.security import BodyLimit, ClientIdentity, HostGuard, SecurityHeaders
from ottepel.interfaces.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]


def client_of(request: Request) -> Client:
    """The request's client (set by ClientIdentity; anonymous without the middleware)."""
    client = getattr(request.state, "client", None)
    return client if isinstance(client, Client) else Client.anonymous(
        request.client.host if request.client else "unknown")


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """Plotly's JavaScript bundle from the installed package."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


@lru_cache(maxsize=16)
def scenario_info(name: str):
    """A packaged scenario, compiled once (scenarios are immutable)."""
    return load_scenario(name)


def static_dir() -> Path:
    """The directory of the page's files."""
    return Path(str(resources.files("ottepel.interfaces.web").joinpath("static")))


def check_scenario(name: str, field: str = "scenario") -> str:
    """A packaged scenario name, or 422 (never a path: no file access from requests)."""
    allowed = packaged_scenarios()
    if name not in allowed:
        raise HTTPException(422, f"{field}: unknown scenario {name[:100]!r}; allowed: "
                                 f"{', '.join(allowed)}")
    return name


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """Build the dashboard app (see the module docstring for the endpoints)."""
    settings = settings or WebSettings()
    own_dir = settings.data_dir is None
    data_dir = Path(tempfile.mkdtemp(prefix="ottepel-web-")) if own_dir else Path(settings.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    jobs = JobManager(data_dir, Quota("jobs queued or running", settings.max_jobs,
                                      settings.client_jobs, settings.address_jobs,
                                      "cancel one of yours"),
                      settings.workers, settings.max_finished)
    games = GameRegistry(Quota("games in play", settings.max_games, settings.client_games,
                               settings.address_games, "delete one of yours"),
                         settings.game_idle_s)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        jobs.shutdown()
        if own_dir:
            shutil.rmtree(data_dir, ignore_errors=True)

    # No /docs or /redoc: they load scripts from a CDN (offline, and against the CSP);
    # /openapi.json describes the API.
    app = FastAPI(title="ottepel dashboard", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Ensembles, fan charts, regions, timelines, comparisons, play.")
    app.state.settings, app.state.jobs, app.state.games = settings, jobs, games
    app.state.data_dir = data_dir
    # Outermost last: headers on every answer, then the Host check, then size, then identity.
    app.add_middleware(ClientIdentity)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(HostGuard, allowed_hosts=settings.allowed_hosts)
    app.add_middleware(SecurityHeaders)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(LimitError, _limit_error)
    _page_routes(app)
    _info_routes(app, settings, jobs, games)
    _job_routes(app, settings, jobs)
    _game_routes(app, games)
    return app


JSON_TYPES = {str: "a string", bool: "a boolean", int: "an integer", float: "a number",
              list: "a list", dict: "an object", type(None): "null"}


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 with one readable sentence per problem (naming the field and what it got)."""
    return JSONResponse({"detail": "; ".join(_problem(e) for e in exc.errors()[:5])},
                        status_code=422)


def _problem(e: dict[str, Any]) -> str:
    """``field: what is wrong (got <JSON type> <value>)`` for one pydantic error."""
    loc = ".".join(str(x) for x in e.get("loc", ()) if x not in ("body", "query", "path"))
    kind = e.get("type")
    if kind == "extra_forbidden":
        return f"{loc}: extra field not allowed (unknown field)"
    msg = e.get("msg", "invalid")
    if not loc and kind in ("model_attributes_type", "model_type", "dict_type"):
        msg = "the body must be a JSON object"
    if "input" in e and kind not in ("missing", "json_invalid"):
        got = e["input"]
        shown = f" {repr(got)[:40]}" if isinstance(got, str | int | float | bool) else ""
        msg += f" (got {JSON_TYPES.get(type(got), type(got).__name__)}{shown})"
    return f"{loc or 'request'}: {msg}"


async def _limit_error(request: Request, exc: LimitError) -> JSONResponse:
    """429 with the limit, who hit it and when to retry (also as Retry-After)."""
    return JSONResponse(exc.body(), status_code=429,
                        headers={"Retry-After": str(exc.retry_after)})


def _page_routes(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static_dir() / "index.html", media_type="text/html")

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly() -> Response:
        return Response(plotly_js(), media_type="application/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})

    app.mount("/static", StaticFiles(directory=static_dir()), name="static")


def _info_routes(app: FastAPI, settings: WebSettings, jobs: JobManager,
                 games: GameRegistry) -> None:
    @app.get("/api/health")
    def health() -> dict[str, Any]:
        return {"status": "ok"}

    @app.get("/api/limits")
    def limits(request: Request) -> dict[str, Any]:
        client = client_of(request)
        mine = sum(j.active and j.client.key == client.key for j in jobs.list())
        return {**settings.public(), "yours": {"jobs": mine, "games": games.count(client)}}

    @app.get("/api/scenarios")
    def scenarios() -> list[dict[str, Any]]:
        out = []
        for name in packaged_scenarios():
            sc = scenario_info(name)
            out.append({"name": name, "title": sc.title, "description": sc.description,
                        "start": str(sc.months[0]), "end": str(sc.months[-1]),
                        "decisions": len(sc.decisions.schedule)})
        return out

    @app.get("/api/variables")
    def variables() -> dict[str, Any]:
        return views.catalog()


def _job_routes(app: FastAPI, settings: WebSettings, jobs: JobManager) -> None:
    def find(jid: str, done: bool = True) -> Job:
        job = jobs.get(jid)
        if job is None:
            raise HTTPException(404, f"no job {jid!r} (finished jobs are kept for a while only)")
        if done and job.status != "done":
            raise HTTPException(409, f"job {jid} is {job.status}; results are available when done")
        return job

    def which_result(job: Job, which: int):
        if which >= len(job.scenarios):
            raise HTTPException(422, f"which: this job has {len(job.scenarios)} scenario(s)")
        return jobs.result(job, which)

    def check_var(result, var: str, regional: bool = False) -> str:
        names = result.regional.data_vars if regional else result.national.data_vars
        if var not in names:
            kind = "regional" if regional else "national"
            raise HTTPException(422, f"var: unknown {kind} variable {var[:80]!r}; "
                                     "see /api/variables")
        return var

    @app.post("/api/jobs", status_code=202)
    def start_job(req: JobRequest, request: Request) -> dict[str, Any]:
        names = [check_scenario(req.scenario)]
        if req.compare_with is not None:
            names.append(check_scenario(req.compare_with, "compare_with"))
        if req.runs > settings.max_runs:
            raise HTTPException(422, f"runs: {req.runs} is more than this server allows per job "
                                     f"({settings.max_runs})")
        client = client_of(request)
        return jobs.submit(names, req.runs, req.seed, client).to_dict(client)

    @app.get("/api/jobs")
    def list_jobs(request: Request) -> list[dict[str, Any]]:
        client = client_of(request)
        return [j.to_dict(client) for j in jobs.list()]

    @app.get("/api/jobs/{jid}")
    def job_status(jid: str, request: Request) -> dict[str, Any]:
        return find(jid, done=False).to_dict(client_of(request))

    @app.delete("/api/jobs/{jid}")
    def cancel_job(jid: str, request: Request) -> dict[str, Any]:
        client = client_of(request)
        if find(jid, done=False).client.key != client.key:
            raise HTTPException(403, f"job {jid} was started by another client; only it may "
                                     "cancel the job")
        return jobs.cancel(jid).to_dict(client)

    @app.get("/api/jobs/{jid}/series")
    def series(jid: str, var: str = Query(max_length=100),
               which: int = Query(0, ge=0, le=1)) -> dict[str, Any]:
        res = which_result(find(jid), which)
        return views.series_view(res, check_var(res, var))

    @app.get("/api/jobs/{jid}/regions")
    def regions(jid: str, var: str = Query(max_length=100), year: int | None = None,
                which: int = Query(0, ge=0, le=1)) -> dict[str, Any]:
        res = which_result(find(jid), which)
        years = views.region_years(res)
        year = years[-1] if year is None else year
        if year not in years:
            raise HTTPException(422, f"year: {year} has no regional record; allowed: "
                                     f"{years[0]}-{years[-1]}")
        return views.regions_view(res, check_var(res, var, regional=True), year)

    @app.get("/api/jobs/{jid}/events")
    def events(jid: str, run: int = Query(0, ge=0), which: int = Query(0, ge=0, le=1)):
        job = find(jid)
        if run >= job.runs:
            raise HTTPException(422, f"run: must be below {job.runs} (runs of this job)")
        res = which_result(job, which)
        return views.events_view(res, run, scenario_info(job.scenarios[which]))

    @app.get("/api/jobs/{jid}/compare")
    def compare(jid: str, var: str = Query(max_length=100)) -> dict[str, Any]:
        job = find(jid)
        if len(job.scenarios) != 2:
            raise HTTPException(422, "this job ran one scenario; start it with compare_with")
        a, b = jobs.result(job, 0), jobs.result(job, 1)
        check_var(b, var)
        return views.compare_view(a, b, check_var(a, var))


def _game_routes(app: FastAPI, games: GameRegistry) -> None:
    def entry(gid: str):
        e = games.get(gid)
        if e is None:
            raise HTTPException(404, f"no game {gid!r} (idle games may be dropped)")
        return e

    def add(game: Game, request: Request) -> dict[str, Any]:
        gid = games.add(game, client_of(request))
        return {"id": gid, **game.to_dict(), "choices": game.choices()}

    @app.post("/api/games", status_code=201)
    def new_game(req: GameRequest, request: Request) -> dict[str, Any]:
        games.check(client_of(request))  # before the cost of building a game
        try:
            game = Game(scenario_info(check_scenario(req.scenario)), req.seed, req.role)
        except GameError as exc:
            raise HTTPException(422, str(exc)) from None
        return add(game, request)

    @app.post("/api/games/load", status_code=201)
    def load_game(save: SaveFile, request: Request) -> dict[str, Any]:
        games.check(client_of(request))
        try:
            game = Game.from_save(save.model_dump(), allowed_scenarios=packaged_scenarios())
        except GameError as exc:
            raise HTTPException(422, str(exc)) from None
        return add(game, request)

    @app.get("/api/games/{gid}")
    def show_game(gid: str) -> dict[str, Any]:
        e = entry(gid)
        with e.lock:
            return {"id": gid, **e.game.to_dict()}

    @app.delete("/api/games/{gid}")
    def end_game(gid: str) -> dict[str, Any]:
        if not games.remove(gid):
            raise HTTPException(404, f"no game {gid!r}")
        return {"id": gid, "deleted": True}

    @app.get("/api/games/{gid}/choices")
    def game_choices(gid: str) -> list[dict[str, Any]]:
        e = entry(gid)
        with e.lock:
            return e.game.choices()

    @app.post("/api/games/{gid}/choices")
    def set_choices(gid: str, req: ChoicesRequest) -> dict[str, Any]:
        e = entry(gid)
        with e.lock:
            if e.game.over:
                raise HTTPException(409, f"the game is over ({e.game.reason}); start a new one")
            try:
                applied = e.game.apply(req.choices)
            except GameError as exc:
                raise HTTPException(422, str(exc)) from None
            return {"applied": applied, "choices": e.game.choices()}

    @app.post("/api/games/{gid}/advance")
    def advance(gid: str, req: ChoicesRequest | None = None) -> dict[str, Any]:
        e = entry(gid)
        with e.lock:
            if e.game.over:
                raise HTTPException(409, f"the game is over ({e.game.reason}); start a new one")
            try:
                if req is not None and req.choices:
                    e.game.apply(req.choices)
                report = e.game.advance()
            except GameError as exc:
                raise HTTPException(422, str(exc)) from None
            return {"report": report, "game": {"id": gid, **e.game.to_dict()},
                    "choices": [] if e.game.over else e.game.choices()}

    @app.get("/api/games/{gid}/save")
    def save_game(gid: str) -> JSONResponse:
        e = entry(gid)
        with e.lock:
            data = e.game.save_dict()
        return JSONResponse(data, headers={
            "Content-Disposition": f'attachment; filename="ottepel-game-{gid[:8]}.json"'})
