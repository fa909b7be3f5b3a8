"""The web server's settings: limits, quotas, idle expiry and the hosts it answers to."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")


@dataclass
class WebSettings:
    """Server limits, per-client quotas and where results go.

    Attributes:
        data_dir: results directory (None: a temporary one, deleted at shutdown).
        max_jobs: jobs queued or running at once on the server (more get 429).
        jobs_per_client: jobs one client may have queued or running (more get 429).
        max_runs: runs per job (more get 422).
        workers: jobs simulated at the same time (threads).
        max_finished: finished jobs kept (oldest dropped with their files).
        max_games: games in play at once on the server (more get 429).
        games_per_client: games one client may have in play (more get 429).
        game_idle_minutes: a game not touched for this long expires (is forgotten).
        address_share: the clients of one remote address together hold at most this share
            of ``max_jobs`` and of ``max_games`` (never less than one client's quota), so
            minting sessions from one machine cannot exhaust a global cap; 1 turns it off.
        allowed_hosts: Host header values the server answers to (DNS rebinding guard;
            ``"*"`` allows any, ``"*.example.org"`` a domain); others get 400.
        max_body_bytes: largest request body accepted (more get 413).
    """

    data_dir: Path | None = None
    max_jobs: int = 4
    jobs_per_client: int = 2
    max_runs: int = 1000
    workers: int = 1
    max_finished: int = 20
    max_games: int = 100
    games_per_client: int = 10
    game_idle_minutes: float = 30.0
    address_share: float = 0.5
    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS
    max_body_bytes: int = 64 * 1024

    def __post_init__(self) -> None:
        """Check the values (a clear ValueError naming the field)."""
        for name in ("max_jobs", "jobs_per_client", "max_runs", "workers", "max_games",
                     "games_per_client", "max_body_bytes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"WebSettings.{name}: must be an integer >= 1, got {value!r}")
        if isinstance(self.max_finished, bool) or not isinstance(self.max_finished, int) \
                or self.max_finished < 0:
            raise ValueError(f"WebSettings.max_finished: must be an integer >= 0, "
                             f"got {self.max_finished!r}")
        if not (isinstance(self.game_idle_minutes, int | float)
                and math.isfinite(self.game_idle_minutes) and self.game_idle_minutes > 0):
            raise ValueError("WebSettings.game_idle_minutes: must be a number of minutes > 0, "
                             f"got {self.game_idle_minutes!r}")
        if not (isinstance(self.address_share, int | float) and 0 < self.address_share <= 1):
            raise ValueError("WebSettings.address_share: must be in (0, 1], "
                             f"got {self.address_share!r}")
        if isinstance(self.allowed_hosts, str):
            self.allowed_hosts = (self.allowed_hosts,)
        self.allowed_hosts = tuple(h.strip().lower() for h in self.allowed_hosts if h.strip())
        if not self.allowed_hosts:
            raise ValueError("WebSettings.allowed_hosts: give at least one host name")
        for host in self.allowed_hosts:
            if "*" in host[1:] or (host.startswith("*") and host != "*"
                                   and not host.startswith("*.")):
                raise ValueError(f"WebSettings.allowed_hosts: {host!r} is not allowed; a "
                                 "wildcard must be '*' or like '*.example.org'")

    @property
    def client_jobs(self) -> int:
        """Jobs one client may hold (never more than the server's cap)."""
        return min(self.jobs_per_client, self.max_jobs)

    @property
    def client_games(self) -> int:
        """Games one client may hold (never more than the server's cap)."""
        return min(self.games_per_client, self.max_games)

    @property
    def address_jobs(self) -> int:
        """Jobs the clients of one remote address may hold together."""
        return max(self.client_jobs, math.floor(self.max_jobs * self.address_share))

    @property
    def address_games(self) -> int:
        """Games the clients of one remote address may hold together."""
        return max(self.client_games, math.floor(self.max_games * self.address_share))

    @property
    def game_idle_s(self) -> float:
        """Idle expiry of a game, seconds."""
        return float(self.game_idle_minutes) * 60.0

    def public(self) -> dict[str, Any]:
        """What ``/api/limits`` shows (no paths, no host list)."""
        return {
            "max_jobs": self.max_jobs, "jobs_per_client": self.client_jobs,
            "jobs_per_address": self.address_jobs, "max_runs": self.max_runs,
            "workers": self.workers, "max_finished": self.max_finished,
            "max_games": self.max_games, "games_per_client": self.client_games,
            "games_per_address": self.address_games,
            "game_idle_minutes": self.game_idle_minutes, "max_body_bytes": self.max_body_bytes,
        }


WILDCARD_BINDS = ("0.0.0.0", "::", "")


def serve_hosts(bind: str, extra: list[str] | tuple[str, ...] = ()) -> tuple[str, ...]:
    """Allowed Host names for a server bound to ``bind``: local names, the bind address
    (unless a wildcard), and ``extra`` (``--allowed-host``)."""
    hosts = list(LOCAL_HOSTS)
    if bind not in WILDCARD_BINDS:
        hosts.append(f"[{bind}]" if ":" in bind and not bind.startswith("[") else bind)
    hosts += [h for h in extra if h]
    return tuple(dict.fromkeys(h.strip().lower() for h in hosts if h.strip()))
