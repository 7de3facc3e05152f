"""Abuse limits in front of the API: request body sizes and per-source rate limits.

Both are plain ASGI middleware, so they act before FastAPI reads anything:

- ``BodyLimit`` answers 413 from the declared ``Content-Length`` without reading a byte of the
  body, and stops a body sent without one (chunked) as soon as it passes the limit, so a
  25 MB upload never sits in memory (OWASP API Security Top 10, API4:2023 "Unrestricted
  Resource Consumption", https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/).
- ``RateLimit`` counts requests per source address with the ``limits`` library (sliding-window
  counters; memory, or Redis shared by several API processes). Twilio's webhooks and media
  fetches have their own, generous limit, so an abusive client of the API cannot starve them;
  it sits far above campaign rate because Twilio does not retry a message webhook it was
  refused (docs/architecture.md), so a refused one is a lost message.
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("switchboard.api")

# Where a larger body is expected: a journey launch's audience (CSV or JSON).
UPLOAD_PATHS = re.compile(r"^/journeys/[^/]+/launch$")
# Routes Twilio calls (webhooks) or fetches (signed media): the Twilio limit applies.
TWILIO_PATHS = ("/twilio/", "/media/")
UNLIMITED_PATHS = ("/healthz",)


async def _answer(send: Send, status: int, detail: str, headers: dict[str, str]) -> None:
    body = json.dumps({"detail": detail}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class BodyTooLarge(Exception):
    """A body without ``Content-Length`` went past its limit while it was being read."""


@dataclass
class BodyLimit:
    """Refuse request bodies over ``max_bytes`` (``upload_max_bytes`` on ``UPLOAD_PATHS``)
    with 413 ``{"detail": "request body over N bytes"}`` and ``Connection: close``."""

    app: ASGIApp
    max_bytes: int
    upload_max_bytes: int

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_max_bytes if UPLOAD_PATHS.match(scope["path"]) else self.max_bytes
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit)  # the body is never read
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(send, limit)

    @staticmethod
    async def _refuse(send: Send, limit: int) -> None:
        detail = f"request body over {limit} bytes; nothing was read or recorded"
        await _answer(send, 413, detail, {"Connection": "close"})


class RateLimit:
    """Per-source request limits: ``twilio`` on ``TWILIO_PATHS``, ``api`` elsewhere
    (``/healthz`` is never limited). Limits are in the ``limits`` notation
    (``"600/minute"``, ``"50/second;3000/minute"``); ``""`` turns one off. Over it: 429
    ``{"detail": …}`` with ``Retry-After`` (seconds)."""

    def __init__(self, app: ASGIApp, *, twilio: str, api: str, storage_uri: str) -> None:
        self.app = app
        self._limits: dict[str, list[RateLimitItem]] = {
            "twilio": parse_many(twilio) if twilio else [],
            "api": parse_many(api) if api else [],
        }
        uri = storage_uri if storage_uri.startswith("async+") else f"async+{storage_uri}"
        self._limiter = SlidingWindowCounterRateLimiter(storage_from_string(uri))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(UNLIMITED_PATHS):
            await self.app(scope, receive, send)
            return
        kind = "twilio" if path.startswith(TWILIO_PATHS) else "api"
        client = scope.get("client")
        source = client[0] if client else "unknown"
        for item in self._limits[kind]:
            if not await self._limiter.hit(item, kind, source):
                stats = await self._limiter.get_window_stats(item, kind, source)
                retry = max(1, math.ceil(stats.reset_time - time.time()))
                log.warning("rate limit %s for %s on %s", item, kind, path)
                detail = f"too many requests from this address ({item}); retry later"
                await _answer(send, 429, detail, {"Retry-After": str(retry)})
                return
        await self.app(scope, receive, send)
