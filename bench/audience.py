"""Audiences for the journey and campaign suites: customers with a recorded marketing WhatsApp
opt-in, written straight into Postgres (bench set-up, not the path under test), and Temporal
visibility queries to follow the runs."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from temporalio.client import Client

from bench.loadgen import customer_number
from bench.stack import BenchStack
from operations.launch import AudienceMember

JOURNEYS_DIR = Path(__file__).resolve().parent / "journeys"


def opted_in_audience(stack: BenchStack, offset: int, count: int) -> list[AudienceMember]:
    """``count`` customers from ``offset`` on, each with a marketing WhatsApp opt-in."""
    numbers = [customer_number(offset + i) for i in range(count)]
    with stack.connect_db() as conn:
        conn.execute(
            "INSERT INTO customer (e164, timezone, created_at) "
            "SELECT n, 'Europe/Paris', now() FROM unnest(%s::text[]) AS n "
            "ON CONFLICT DO NOTHING",
            (numbers,),
        )
        conn.execute(
            "INSERT INTO consent (customer_e164, channel, purpose, status, source, recorded_at) "
            "SELECT n, 'whatsapp', 'marketing', 'opted_in', 'bench', now() "
            "FROM unnest(%s::text[]) AS n",
            (numbers,),
        )
    return [
        AudienceMember(e164=n, variables={"first_name": "Alex", "pet_name": "Felix"})
        for n in numbers
    ]


async def count(client: Client, query: str) -> int:
    return (await client.count_workflows(query)).count


async def wait_for_count(
    client: Client,
    query: str,
    target: int,
    *,
    timeout_s: float,
    interval_s: float = 1.0,
    on_poll: Callable[[float, int], None] | None = None,
) -> tuple[int, float]:
    """Poll ``count_workflows(query)`` until it reaches ``target``; (last count, seconds taken,
    or the timeout)."""
    began = time.monotonic()
    while True:
        n = await count(client, query)
        elapsed = time.monotonic() - began
        if on_poll is not None:
            on_poll(elapsed, n)
        if n >= target or elapsed > timeout_s:
            return n, elapsed
        await asyncio.sleep(interval_s)


def table_growth(before: dict[str, int], after: dict[str, int]) -> dict[str, Any]:
    return {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}
