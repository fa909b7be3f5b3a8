"""ASGI middleware guarding the dashboard: hosts, headers, body size, client identity.

- :class:`HostGuard`: Starlette's ``TrustedHostMiddleware`` with a JSON 400 that names
  the refused host and how to allow one (against DNS rebinding: a page on another site
  whose name resolves to this server cannot talk to it, its Host header is not allowed).
- :class:`SecurityHeaders`: a Content-Security-Policy (only this server's own scripts,
  styles, images and API; no framing, no plugins) and its companion headers.
- :class:`BodyLimit`: 413 above a body size, counted as it arrives.
- :class:`ClientIdentity`: a signed session cookie issued by the server; requests without
  a valid one are known by their remote address. Sets ``scope["state"]["client"]``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Sequence
from http.cookies import SimpleCookie

from starlette._utils import parse_host_header
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ottepel.interfaces.web.limits import Client

# Plotly draws with inline style attributes and a <style> element it adds at load time,
# so style-src needs 'unsafe-inline' (styles cannot run code); scripts are only the two
# bundled files, never inline or eval'd. Images: Plotly's "download plot" makes data: and
# blob: URLs.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    b"content-security-policy": CSP.encode(),
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"no-referrer",
    b"cross-origin-opener-policy": b"same-origin",
    b"cross-origin-resource-policy": b"same-origin",
}
COOKIE = "ottepel_session"


async def reply(send, status: int, message: str, extra: dict | None = None) -> None:
    """Send a JSON error ``{"detail": message, **extra}`` from middleware."""
    data = json.dumps({"detail": message, **(extra or {})}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})


class SecurityHeaders:
    """Add the security headers to every HTTP answer (those already set are kept)."""

    def __init__(self, app):
        """Wrap an ASGI app."""
        self.app = app

    async def __call__(self, scope, receive, send):
        """Pass through, adding headers to the response start."""
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                have = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS.items() if k not in have]
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, send_with_headers)


class HostGuard(TrustedHostMiddleware):
    """TrustedHostMiddleware answering a refused Host with a JSON 400."""

    def __init__(self, app, allowed_hosts: Sequence[str]):
        """Allow these hosts (ports are ignored; ``*.example.org`` allows a domain)."""
        super().__init__(app, allowed_hosts=list(allowed_hosts), www_redirect=False)

    async def __call__(self, scope, receive, send):
        """Refuse a Host that is not allowed, then let Starlette's check run too."""
        if not self.allow_any and scope["type"] in ("http", "websocket"):
            raw = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
            parsed = parse_host_header(raw)
            host = parsed.host.lower() if parsed else None
            if host is None or not any(
                    host == p or (p.startswith("*") and host.endswith(p[1:]))
                    for p in self.allowed_hosts):
                if scope["type"] != "http":
                    return await send({"type": "websocket.close", "code": 1008})
                return await reply(send, 400, (
                    f"Host {raw[:100]!r} is not allowed on this server (allowed: "
                    f"{', '.join(self.allowed_hosts)}); start it with --allowed-host NAME "
                    "to add the name clients use"))
        return await super().__call__(scope, receive, send)


class BodyLimit:
    """Refuse request bodies above ``max_bytes`` with 413."""

    def __init__(self, app, max_bytes: int):
        """Wrap an ASGI app."""
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        """Check the declared length, then count what actually arrives."""
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                return await reply(send, 400, "invalid Content-Length header")
            if int(declared) > self.max_bytes:
                return await reply(send, 413, self._message())
        body, more = b"", True
        while more:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            body += msg.get("body", b"")
            more = msg.get("more_body", False)
            if len(body) > self.max_bytes:
                return await reply(send, 413, self._message())
        sent = False

        async def replay():
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        return await self.app(scope, replay, send)

    def _message(self) -> str:
        return f"request body too large (limit {self.max_bytes} bytes)"


class ClientIdentity:
    """Know each request's client: a server-signed session cookie, else the address.

    A request without a valid cookie is counted under its remote address and gets a new
    cookie (HttpOnly, SameSite=Strict) for its next requests. Cookies are signed with a
    key made at start-up, so a client cannot choose another client's session, and old
    cookies stop counting when the server restarts (its jobs and games are gone too).
    """

    def __init__(self, app, secret: bytes | None = None, max_age_s: int = 7 * 86400):
        """Wrap an ASGI app (``secret``: HMAC key, random by default)."""
        self.app = app
        self.secret = secret or secrets.token_bytes(32)
        self.max_age_s = max_age_s

    def sign(self, sid: str) -> str:
        """The cookie value for a session id."""
        mac = hmac.new(self.secret, sid.encode(), hashlib.sha256).hexdigest()[:32]
        return f"{sid}.{mac}"

    def session(self, value: str | None) -> str | None:
        """The session id in a cookie value, if the signature is ours."""
        if not value or value.count(".") != 1 or len(value) > 100:
            return None
        sid = value.split(".")[0]
        return sid if hmac.compare_digest(self.sign(sid), value) else None

    async def __call__(self, scope, receive, send):
        """Attach the client to the scope; issue a cookie if the request had none."""
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        address = (scope.get("client") or ("unknown", 0))[0] or "unknown"
        sid = self.session(_cookie(scope, COOKIE))
        new_cookie = None
        if sid is None:
            client = Client(f"a:{address}", address)
            new_cookie = (f"{COOKIE}={self.sign(secrets.token_hex(16))}; Path=/; HttpOnly; "
                          f"SameSite=Strict; Max-Age={self.max_age_s}").encode()
        else:
            client = Client(f"s:{sid}", address)
        scope.setdefault("state", {})["client"] = client

        async def send_with_cookie(message):
            if new_cookie and message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []),
                                                  (b"set-cookie", new_cookie)]}
            await send(message)

        return await self.app(scope, receive, send_with_cookie)


def _cookie(scope, name: str) -> str | None:
    """One cookie's value from the request headers (None if absent or unreadable)."""
    for key, value in scope.get("headers") or []:
        if key == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed Cookie header is no cookie
                continue
            if name in jar:
                return jar[name].value
    return None
