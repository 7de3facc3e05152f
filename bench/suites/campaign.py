"""Suite 4, campaign launch: ``journeys/outreach.yaml`` on a 10,000-number opted-in audience
with the outreach send limit at 50 messages/s (``SWITCHBOARD_OUTREACH_SENDS_PER_S``, enforced by
Temporal on the outreach task queue).

Reported: time to enqueue (launch returns), the achieved send rate (from the fake Twilio's own
record of each message's creation time: messages ÷ first-to-last span, and the busiest 1 s and
10 s windows) against the limit, and duplicates (recipients with more than one message, from
``/_fake/stats``, Twilio's side of the story, and the outbox).

The definition is the product's file with one change: quiet hours off, so the suite measures
the same thing at whatever hour it runs (the file's 21:00–08:00 would hold every send until
morning).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import datetime
from typing import Any

import httpx

from bench.audience import opted_in_audience
from bench.context import Bench
from bench.report import fact, figure
from bench.stack import CpuMeter, MemorySampler, cpu_ms_per
from bench.stats import rate_windows, summary
from operations.launch import launch
from switchboard.db.engine import Database
from switchboard.journeys.loader import DEFAULT_DIR, load_file
from switchboard.temporal import TASK_QUEUE

SUITE = "4 campaign"


async def run(bench: Bench) -> dict[str, Any]:
    smoke = bench.config.smoke
    size = bench.config.size(10_000, smoke=20)
    limit = bench.config.campaign_rate_per_s
    product = load_file(DEFAULT_DIR / "outreach.yaml")
    definition = product.model_copy(
        update={"policies": product.policies.model_copy(update={"quiet_hours": None})}
    )

    stack = await bench.stack("campaign", naive=False)  # the API's memory is reported
    client = await bench.client()
    fake_twilio = stack.settings.twilio_api_base_url
    audience = opted_in_audience(stack, 4_000_000, size)
    numbers = {f"whatsapp:{m.e164}" for m in audience}
    async with httpx.AsyncClient(timeout=60) as http:

        async def sent_so_far() -> int:
            stats = (await http.get(f"{fake_twilio}/_fake/stats")).json()
            return sum(n for to, n in stats["messages_by_recipient"].items() if to in numbers)

        timeout_s = size / limit * 1.5 + 120
        with MemorySampler(stack.pids(), interval_s=2.0) as memory, CpuMeter(stack.pids()) as cpu:
            began_wall, began = time.time(), time.monotonic()
            # As the API launches it: with the database, so the journey goes as one broadcast.
            db = Database(stack.database_url)
            try:
                report = await launch(
                    client,
                    definition,
                    audience,
                    campaign_id="bench-campaign",
                    task_queue=TASK_QUEUE,
                    db=db,
                )
            finally:
                await db.dispose()
            enqueue_s = time.monotonic() - began
            polls = 0
            while (n := await sent_so_far()) < size and time.monotonic() - began < timeout_s:
                polls += 1
                if polls % 30 == 0:
                    bench.log(f"campaign: {n:,} sent after {time.monotonic() - began:.0f} s")
                await asyncio.sleep(0.5 if smoke else 1.0)
            elapsed = time.monotonic() - began
            await asyncio.sleep(1 if smoke else 5)  # late duplicates would show up now
        stats = (await http.get(f"{fake_twilio}/_fake/stats")).json()
        messages = [
            m
            for m in (await http.get(f"{fake_twilio}/_fake/messages")).json()
            if m["to"] in numbers
        ]
    with stack.connect_db() as conn:
        outbox_dupes = conn.execute(
            "SELECT count(*) FROM (SELECT recipient FROM outbox WHERE key LIKE %s "
            "GROUP BY recipient HAVING count(*) > 1) d",
            ("journey/outreach/%/bench-campaign/%",),
        ).fetchone()
    created = sorted(datetime.fromisoformat(m["created_at"]).timestamp() for m in messages)
    span = created[-1] - created[0] if len(created) > 1 else 0.0
    achieved = (len(created) - 1) / span if span > 0 else 0.0
    by_recipient = {to: n for to, n in stats["messages_by_recipient"].items() if to in numbers}
    duplicates = sum(1 for n in by_recipient.values() if n > 1)
    within = abs(achieved / limit - 1) <= 0.05 if achieved else False
    details: dict[str, Any] = {
        "audience": size,
        "enrolled": report.enrolled,
        "enqueue_s": round(enqueue_s, 1),
        "messages": len(messages),
        "sent_within_s": round(elapsed, 1),
        "launch_to_first_send_s": round(created[0] - began_wall, 2) if created else None,
        "launch_to_last_send_s": round(created[-1] - began_wall, 1) if created else None,
        "achieved_per_s": round(achieved, 2),
        "busiest_1s_per_s": rate_windows(created, 1.0),
        "busiest_10s_per_s": rate_windows(created, 10.0),
        "recipients_with_duplicates": duplicates,
        "outbox_recipients_with_two_rows": int(outbox_dupes[0]) if outbox_dupes else None,
        "memory": memory.report(),
        "cpu": cpu.usage,
        "cpu_ms_per_send": cpu_ms_per(cpu.usage, len(messages)),
        "send_gaps_ms": summary([(b - a) * 1000 for a, b in itertools.pairwise(created)]),
    }
    figures = [
        fact(
            SUITE,
            f"time to enqueue {size:,} (launch)",
            details["enqueue_s"],
            "s",
            note=f"{report.enrolled / max(enqueue_s, 1e-9):.0f}/s",
        ),
        fact(
            SUITE,
            "achieved send rate (first to last send)",
            details["achieved_per_s"],
            "/s",
            target=f"within 5% of {limit:g}/s",
            met=within,
            note=f"{len(messages):,}/{size:,} sent; busiest 1 s {details['busiest_1s_per_s']:g}"
            f"/s, busiest 10 s {details['busiest_10s_per_s']:g}/s",
        ),
        fact(
            SUITE,
            "customers who got two messages",
            duplicates,
            target="0",
            met=duplicates == 0 and bool(messages),
            note=f"among {len(by_recipient):,} recipients who got a message of {size:,}",
        ),
        fact(
            SUITE,
            "CPU per campaign message (launch to send)",
            details["cpu_ms_per_send"].get("total", 0.0),
            "ms",
            note=", ".join(
                f"{k} {v}"
                for k, v in details["cpu_ms_per_send"].items()
                if k not in ("total", "bench")
            ),
        ),
        fact(SUITE, "launch → first send", details["launch_to_first_send_s"] or 0.0, "s"),
        figure(
            SUITE,
            "gap between consecutive sends",
            details["send_gaps_ms"],
            note=f"1000/limit = {1000 / limit:g} ms",
        ),
    ]
    return {"figures": figures, "details": details}
