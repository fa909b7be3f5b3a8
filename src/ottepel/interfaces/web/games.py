"""Games played through the web server, kept in memory with a cap.

Each game has its own lock (two tabs may advance the same game). When the cap is
reached, games idle for longer than ``ttl_s`` are dropped; if none is, new games are
refused (the caller answers 429) rather than dropping someone's game in play.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

from ottepel.interfaces.play import Game


class GameLimitError(RuntimeError):
    """Too many games are in play."""


@dataclass
class Entry:
    """A game with its lock and the time it was last used."""

    game: Game
    lock: threading.Lock = field(default_factory=threading.Lock)
    used: float = field(default_factory=time.monotonic)


class GameRegistry:
    """Games by id, at most ``max_games`` of them."""

    def __init__(self, max_games: int = 100, ttl_s: float = 3600.0):
        """Empty registry."""
        self.max_games = max_games
        self.ttl_s = ttl_s
        self._games: dict[str, Entry] = {}
        self._lock = threading.Lock()

    def add(self, game: Game) -> str:
        """Register a game; returns its id (raises GameLimitError when full)."""
        with self._lock:
            if len(self._games) >= self.max_games:
                self._evict_idle()
            if len(self._games) >= self.max_games:
                raise GameLimitError(
                    f"server busy: {len(self._games)} games in play (limit {self.max_games}); "
                    "try again later")
            gid = uuid.uuid4().hex
            self._games[gid] = Entry(game)
            return gid

    def get(self, gid: str) -> Entry | None:
        """A game entry by id, marked as used (None if unknown)."""
        with self._lock:
            entry = self._games.get(gid)
            if entry is not None:
                entry.used = time.monotonic()
            return entry

    def remove(self, gid: str) -> bool:
        """Forget a game; True if it existed."""
        with self._lock:
            return self._games.pop(gid, None) is not None

    def __len__(self) -> int:
        """Number of games in play."""
        return len(self._games)

    def _evict_idle(self) -> None:
        now = time.monotonic()
        for gid in [g for g, e in self._games.items() if now - e.used > self.ttl_s]:
            del self._games[gid]
