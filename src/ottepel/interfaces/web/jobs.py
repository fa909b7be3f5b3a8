"""Background ensembles for the web server: a bounded thread pool over ``Store``.

A job runs one ensemble, or two with the same seed (a paired comparison), into its own
results store under the server's data directory. Each job has at
most ``max_runs`` runs. Each job remembers the client that started it, and a
:class:`~ottepel.interfaces.web.limits.Quota` caps the active jobs per client, per address
and on the server (the caller answers 429 with an estimate of when one will finish).
Only the client that started a job may cancel it. Finished jobs are kept up to ``max_finished`` (the oldest are
forgotten and their files deleted); loaded results are cached for the few most recent.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ottepel.core.scenario import load_scenario
from ottepel.ensemble.results import Result
from ottepel.ensemble.store import Store
from ottepel.interfaces.web.limits import Client, LimitError, Quota

log = logging.getLogger(__name__)
DEFAULT_WAIT_S = 10.0


class JobLimitError(LimitError):
    """Too many jobs are queued or running (for this client, its address or the server)."""


class JobCancelled(Exception):
    """Raised inside a running job when it has been cancelled."""


@dataclass
class Job:
    """One background ensemble (or paired pair of ensembles).

    Attributes:
        id: random hex id.
        scenarios: one name, or two for a paired comparison (same seed, same runs).
        runs, seed: ensemble size and seed.
        status: queued, running, done, failed or cancelled.
        done_runs: runs finished so far, over all scenarios.
        error: message when failed (never a server path).
        client: who started it (not shown to others).
    """

    id: str
    scenarios: list[str]
    runs: int
    seed: int
    directory: Path
    status: str = "queued"
    done_runs: int = 0
    error: str | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None
    keys: list[str] = field(default_factory=list)
    client: Client = field(default_factory=Client.anonymous)
    started: float | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    future: Future | None = None

    @property
    def total_runs(self) -> int:
        """Runs to simulate over all scenarios."""
        return self.runs * len(self.scenarios)

    @property
    def active(self) -> bool:
        """Queued or running."""
        return self.status in ("queued", "running")

    def eta(self) -> float | None:
        """Seconds until it finishes, from its progress so far (None if unknown)."""
        if self.status != "running" or not self.done_runs or self.started is None:
            return None
        elapsed = time.time() - self.started
        return elapsed / self.done_runs * (self.total_runs - self.done_runs)

    def to_dict(self, viewer: Client | None = None) -> dict[str, Any]:
        """Public view of the job (``mine``: started by ``viewer``)."""
        return {
            "id": self.id, "kind": "compare" if len(self.scenarios) == 2 else "ensemble",
            "scenarios": self.scenarios, "runs": self.runs, "seed": self.seed,
            "status": self.status, "done_runs": self.done_runs, "total_runs": self.total_runs,
            "progress": self.done_runs / self.total_runs, "error": self.error,
            "created": self.created, "finished": self.finished,
            "mine": viewer is not None and viewer.key == self.client.key,
        }


def chunk_size_for(runs: int) -> int:
    """Chunks of about a tenth of the runs (progress updates), 10 to 250 runs each."""
    return max(10, min(250, runs // 10 or 1))


class JobManager:
    """Runs jobs on a thread pool with bounded size and count."""

    def __init__(self, data_dir: Path, quota: Quota, workers: int = 1,
                 max_finished: int = 20, cache_results: int = 4):
        """Create the pool; results go to ``data_dir/jobs/<id>``."""
        self.root = Path(data_dir) / "jobs"
        self.root.mkdir(parents=True, exist_ok=True)
        self.quota = quota
        self.max_finished = max_finished
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ottepel-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, int], Result] = OrderedDict()
        self._cache_size = cache_results

    def submit(self, scenarios: list[str], runs: int, seed: int,
               client: Client | None = None) -> Job:
        """Queue a job for ``client``; raises JobLimitError when a quota is full."""
        client = client or Client.anonymous()
        with self._lock:
            active = [j for j in self._jobs.values() if j.active]
            try:
                self.quota.check(active, client, _wait)
            except LimitError as exc:
                raise JobLimitError(str(exc), exc.limit, exc.scope, exc.retry_after) from None
            jid = uuid.uuid4().hex
            job = Job(jid, list(scenarios), runs, seed, self.root / jid, client=client)
            self._jobs[jid] = job
            self._forget_old()
            job.future = self._pool.submit(self._run, job)
        return job

    def get(self, jid: str) -> Job | None:
        """A job by id (None if unknown)."""
        with self._lock:
            return self._jobs.get(jid)

    def list(self) -> list[Job]:
        """All known jobs, oldest first."""
        with self._lock:
            return list(self._jobs.values())

    def cancel(self, jid: str) -> Job | None:
        """Ask a job to stop (queued jobs never start; running ones stop after a chunk)."""
        job = self.get(jid)
        if job is not None and job.status in ("queued", "running"):
            job.cancel.set()
            if job.future is not None and job.future.cancel():
                self._finish(job, "cancelled")
        return job

    def result(self, job: Job, which: int = 0) -> Result:
        """The Result of a finished job's ``which``-th scenario (cached)."""
        key = (job.id, which)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        res = Store(job.directory).result(job.scenarios[which], job.seed, job.runs,
                                          key=job.keys[which])
        with self._lock:
            self._cache[key] = res
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return res

    def shutdown(self) -> None:
        """Cancel everything and stop the pool."""
        for job in self.list():
            job.cancel.set()
        self._pool.shutdown(wait=True, cancel_futures=True)

    # -- internals -------------------------------------------------------------------
    def _run(self, job: Job) -> None:
        job.status = "running"
        job.started = time.time()
        try:
            for name in job.scenarios:
                job.keys.append(self._run_one(job, name))
            self._finish(job, "done")
        except JobCancelled:
            self._finish(job, "cancelled")
        except Exception as exc:  # noqa: BLE001 - reported to the client, not raised
            log.exception("job %s failed", job.id)
            # The message goes to every client: keep server paths out of it.
            text = str(exc).replace(str(job.directory), "<job>").replace(str(self.root), "<data>")
            job.error = f"{type(exc).__name__}: {text}"
            self._finish(job, "failed")

    def _run_one(self, job: Job, name: str) -> str:
        def progress(k: int) -> None:
            job.done_runs += k
            if job.cancel.is_set():
                raise JobCancelled()

        if job.cancel.is_set():
            raise JobCancelled()
        sc = load_scenario(name)
        return Store(job.directory).run_ensemble(sc, job.runs, job.seed,
                                                 chunk_size_for(job.runs), progress=progress)

    def _finish(self, job: Job, status: str) -> None:
        job.status = status
        job.finished = time.time()
        if status != "done":
            shutil.rmtree(job.directory, ignore_errors=True)

    def _forget_old(self) -> None:
        """Drop the oldest finished jobs beyond ``max_finished`` (caller holds the lock)."""
        finished = [j for j in self._jobs.values() if j.status not in ("queued", "running")]
        for job in finished[:max(0, len(finished) - self.max_finished)]:
            del self._jobs[job.id]
            for key in [k for k in self._cache if k[0] == job.id]:
                del self._cache[key]
            shutil.rmtree(job.directory, ignore_errors=True)


def _wait(jobs: Iterable[Job]) -> float:
    """Seconds until the first of ``jobs`` is expected to finish (a guess when unknown)."""
    etas = [e for e in (j.eta() for j in jobs) if e is not None]
    return min(etas) if etas else DEFAULT_WAIT_S
