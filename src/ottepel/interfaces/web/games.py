"""Games played through the web server, kept in memory with quotas and idle expiry.

Each game has its own lock (two tabs may advance the same game) and remembers the client
that started it. A game not touched for ``idle_s`` seconds expires: it is forgotten at
the registry's next use, whatever the load. New games beyond a client's quota, its
address's share or the server's cap are refused (the caller answers 429 with the time
until the oldest idle game concerned expires) rather than dropping a game in play.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from ottepel.interfaces.play import Game
from ottepel.interfaces.web.limits import Client, LimitError, Quota


class GameLimitError(LimitError):
    """Too many games are in play (for this client, its address or the server)."""


@dataclass
class Entry:
    """A game with its lock, its client and the time it was last used."""

    game: Game
    client: Client
    lock: threading.Lock = field(default_factory=threading.Lock)
    used: float = field(default_factory=time.monotonic)


class GameRegistry:
    """Games by id, bounded by a :class:`Quota`; idle ones expire after ``idle_s``."""

    def __init__(self, quota: Quota, idle_s: float = 1800.0,
                 clock=time.monotonic):
        """Empty registry (``clock``: a monotonic time source, replaceable in tests)."""
        self.quota = quota
        self.idle_s = idle_s
        self._clock = clock
        self._games: dict[str, Entry] = {}
        self._lock = threading.Lock()

    def check(self, client: Client) -> None:
        """Raise GameLimitError if ``client`` may not start one more game now."""
        with self._lock:
            self._check(client)

    def add(self, game: Game, client: Client) -> str:
        """Register a game for ``client``; returns its id (GameLimitError when full)."""
        with self._lock:
            self._check(client)
            gid = uuid.uuid4().hex
            self._games[gid] = Entry(game, client, used=self._clock())
            return gid

    def get(self, gid: str) -> Entry | None:
        """A game entry by id, marked as used (None if unknown or expired)."""
        with self._lock:
            self._expire()
            entry = self._games.get(gid)
            if entry is not None:
                entry.used = self._clock()
            return entry

    def remove(self, gid: str) -> bool:
        """Forget a game; True if it existed."""
        with self._lock:
            self._expire()
            return self._games.pop(gid, None) is not None

    def count(self, client: Client | None = None) -> int:
        """Games in play (of one client if given), after expiry."""
        with self._lock:
            self._expire()
            return sum(client is None or e.client.key == client.key
                       for e in self._games.values())

    def __len__(self) -> int:
        """Number of games in play."""
        return self.count()

    def _check(self, client: Client) -> None:
        """Expire idle games, then apply the quota (caller holds the lock)."""
        self._expire()
        try:
            self.quota.check(list(self._games.values()), client, self._retry_after)
        except LimitError as exc:
            raise GameLimitError(str(exc), exc.limit, exc.scope, exc.retry_after) from None

    def _retry_after(self, entries: Iterable[Entry]) -> float:
        """Seconds until the least recently used of ``entries`` expires."""
        used = [e.used for e in entries]
        return (min(used) + self.idle_s - self._clock()) if used else 1.0

    def _expire(self) -> None:
        """Forget games idle for longer than ``idle_s`` (caller holds the lock)."""
        limit = self._clock() - self.idle_s
        for gid in [g for g, e in self._games.items() if e.used < limit]:
            del self._games[gid]
