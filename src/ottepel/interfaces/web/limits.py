"""Who a request comes from, and the quotas that keep one client from locking out others.

A client is its server-issued session (a signed cookie, see ``security.ClientIdentity``),
or its remote address when it sends no valid cookie. Every job and game records the
client that made it; a :class:`Quota` caps what one client, the clients of one address
together, and the whole server may hold. A refusal is a :class:`LimitError`, which the
app answers with 429, the limit in the message and a ``Retry-After`` estimate.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Client:
    """A request's origin: ``key`` is ``s:<session>`` or ``a:<address>``."""

    key: str
    address: str

    @classmethod
    def anonymous(cls, address: str = "local") -> Client:
        """A client known only by its address (used by the Python API and tests)."""
        return cls(f"a:{address}", address)


class LimitError(RuntimeError):
    """A quota is full: ``limit`` reached at ``scope`` (client, address or server)."""

    def __init__(self, message: str, limit: int, scope: str, retry_after: int):
        """Keep the fields for the 429 answer."""
        super().__init__(message)
        self.limit, self.scope, self.retry_after = limit, scope, retry_after

    def body(self) -> dict[str, Any]:
        """The JSON body of the 429 answer."""
        return {"detail": str(self), "limit": self.limit, "scope": self.scope,
                "retry_after": self.retry_after}


class Owned(Protocol):
    """Anything held by a client (a job or a game entry)."""

    client: Client


@dataclass(frozen=True)
class Quota:
    """Caps on what one client, one address and the server may hold at once.

    Attributes:
        what: plural noun for messages ("jobs queued or running", "games in play").
        total, per_client, per_address: the three caps.
        hint: what the client can do meanwhile (appended to the message).
    """

    what: str
    total: int
    per_client: int
    per_address: int
    hint: str = ""

    def check(self, held: Sequence[Owned], client: Client,
              retry_after: Callable[[Iterable[Owned]], float]) -> None:
        """Raise LimitError if ``client`` may not take one more (``held``: all active)."""
        mine = [h for h in held if h.client.key == client.key]
        if len(mine) >= self.per_client:
            self._refuse(f"you have {len(mine)} {self.what} (limit {self.per_client} per "
                         "client)", self.per_client, "client", retry_after(mine))
        here = [h for h in held if h.client.address == client.address]
        if self.per_address < self.total and len(here) >= self.per_address:
            self._refuse(f"the clients at your address have {len(here)} {self.what} (limit "
                         f"{self.per_address} per address)", self.per_address, "address",
                         retry_after(here))
        if len(held) >= self.total:
            self._refuse(f"server busy: {len(held)} {self.what} (limit {self.total})",
                         self.total, "server", retry_after(held))

    def _refuse(self, text: str, limit: int, scope: str, wait: float) -> None:
        seconds = max(1, min(3600, math.ceil(wait)))
        hint = f" or {self.hint}" if self.hint and scope == "client" else ""
        raise LimitError(f"{text}; retry in about {seconds} s{hint}", limit, scope, seconds)
