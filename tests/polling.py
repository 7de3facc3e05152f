"""Bounded waits for tests: poll with a timeout (never a fixed sleep), await with a deadline."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx

T = TypeVar("T")

# Long enough for a turn on a busy 2-core machine (Whisper, espeak, a journey's steps), short
# enough that a stall fails in a minute, not at CI's 90-minute limit.
WAIT_S = 60.0


async def eventually(
    fetch: Callable[[], Awaitable[T]], ok: Callable[[T], bool], *, timeout_s: float = WAIT_S
) -> T:
    """Await ``fetch()`` until ``ok`` holds; fails the test with the last value on timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = await fetch()
        if ok(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout_s} s; last value: {value!r}")
        await asyncio.sleep(0.05)


async def within(awaitable: Awaitable[T], what: str, *, timeout_s: float = WAIT_S) -> T:
    """``await awaitable`` (a workflow result, an Update, a request), failing the test after
    ``timeout_s`` with ``what`` it was waiting for; the chained ``CancelledError`` carries the
    stack of the await that did not finish."""
    try:
        async with asyncio.timeout(timeout_s):
            return await awaitable
    except TimeoutError as exc:
        raise AssertionError(f"{what}: no answer within {timeout_s} s") from exc


class BoundedASGITransport(httpx.ASGITransport):
    """httpx does not apply its timeouts to an in-process ASGI app: a request to a route that
    waits on a stuck workflow would wait forever. This one enforces the client's read timeout."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeout = request.extensions.get("timeout", {}).get("read")
        try:
            async with asyncio.timeout(timeout):
                return await super().handle_async_request(request)
        except TimeoutError as exc:
            raise httpx.ReadTimeout(f"no answer within {timeout} s", request=request) from exc
