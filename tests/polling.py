"""Wait for work by polling with a timeout (never a fixed sleep)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    fetch: Callable[[], Awaitable[T]], ok: Callable[[T], bool], *, timeout_s: float = 60
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
