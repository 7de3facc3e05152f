"""Suite 3, journeys at scale.

Phase 1: 10,000 customers with a marketing WhatsApp opt-in enter ``bench-outreach-wait``
(``bench/journeys/``: consent branch, then a 24 h wait before the one message) through the
product's campaign launch (``operations.launch.launch``: signal-with-start of each
customer workflow, which starts the journey as its child). Reported: time to enqueue the
10,000 (launch returns), time until every run sits on its 24 h timer (visibility:
``JourneyStep = 'wait'``), peak and settled memory of every process, Postgres rows written and
Temporal's SQLite file size.

Phase 2: 2,000 more customers enter the same journey with the wait replaced by ``until`` one
wall-clock time for all (far enough ahead that every run is waiting when it comes): all timers
fire together. Reported: timer lag (fired − due, from histories), completions per second and
due → completed per run (visibility close times).
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bench.audience import JOURNEYS_DIR, count, opted_in_audience, table_growth, wait_for_count
from bench.context import Bench
from bench.history import timer_events
from bench.report import fact, figure
from bench.stack import CpuMeter, MemorySampler, cpu_ms_per
from bench.stats import summary
from operations.launch import launch
from switchboard.journeys.loader import load_file
from switchboard.journeys.schema import JourneyDefinition, Wait, WaitUntil
from switchboard.temporal import TASK_QUEUE

SUITE = "3 journeys"
GIB = 1024.0


def _burst_definition(base: JourneyDefinition, at_local: datetime) -> JourneyDefinition:
    steps = dict(base.steps)
    wait = steps["wait"]
    assert isinstance(wait, Wait)
    steps["wait"] = Wait(
        kind="wait",
        until=WaitUntil(time=at_local.time().replace(microsecond=0), business_day=False),
        next=wait.next,
    )
    return base.model_copy(update={"name": "bench-outreach-burst", "steps": steps})


def _progress(bench: Bench, progress: list[tuple[float, int]], t: float, n: int) -> None:
    progress.append((t, n))
    if len(progress) % 15 == 0:
        bench.log(f"journeys: {n:,} runs on their timer after {t:.0f} s")


async def run(bench: Bench) -> dict[str, Any]:
    smoke = bench.config.smoke
    waiting_runs = bench.config.size(10_000, smoke=20)
    burst_runs = bench.config.size(2_000, smoke=10)
    definition = load_file(JOURNEYS_DIR / "bench-outreach-wait.yaml")

    stack = await bench.stack("journeys", naive=False)  # the API's memory is reported
    client = await bench.client()
    audience = opted_in_audience(stack, 3_000_000, waiting_runs)
    rows_before = stack.row_counts()
    db_file = stack.settings.data_dir.resolve() / "temporal.db"
    progress: list[tuple[float, int]] = []
    wait_query = f"JourneyName = '{definition.name}' AND JourneyStep = 'wait'"

    with MemorySampler(stack.pids(), interval_s=1.0) as memory, CpuMeter(stack.pids()) as cpu:
        began = time.monotonic()
        report = await launch(
            client, definition, audience, campaign_id="bench-wait", task_queue=TASK_QUEUE
        )
        enqueue_s = time.monotonic() - began
        waiting, _ = await wait_for_count(
            client,
            wait_query,
            waiting_runs,
            timeout_s=120 if smoke else 1800,
            interval_s=0.5 if smoke else 2.0,
            on_poll=lambda t, n: _progress(bench, progress, round(t + enqueue_s, 1), n),
        )
        all_waiting_s = time.monotonic() - began
        settled_began = time.monotonic()
        await asyncio.sleep(1 if smoke else 15)  # memory once everything sits on its timer
        memory.sample()
    rows_after = stack.row_counts()
    phase1: dict[str, Any] = {
        "runs": waiting_runs,
        "enrolled": report.enrolled,
        "enqueue_s": round(enqueue_s, 1),
        "enqueue_per_s": round(report.enrolled / enqueue_s, 1),
        "waiting": waiting,
        "all_waiting_s": round(all_waiting_s, 1),
        "waiting_per_s": round(waiting / all_waiting_s, 1),
        "progress": progress,
        "memory": memory.report(),
        "cpu": cpu.usage,
        "cpu_ms_per_run": cpu_ms_per(cpu.usage, waiting),
        "rows_written": table_growth(rows_before, rows_after),
        "temporal_db_mib": round(db_file.stat().st_size / 1024**2, 1) if db_file.exists() else None,
        "settled_wait_s": round(time.monotonic() - settled_began, 1),
    }

    # -- phase 2: one burst of timers ------------------------------------------------------
    burst_audience = opted_in_audience(stack, 3_500_000, burst_runs)
    rate = max(phase1["waiting_per_s"], 1.0)
    lead_s = max(5.0, 1.5 * burst_runs / rate + 3.0) if smoke else 2.0 * burst_runs / rate + 20.0
    due = (datetime.now(UTC) + timedelta(seconds=lead_s)).replace(microsecond=0)
    burst = _burst_definition(definition, due.astimezone(ZoneInfo("Europe/Paris")))
    began = time.monotonic()
    await launch(client, burst, burst_audience, campaign_id="bench-burst", task_queue=TASK_QUEUE)
    burst_enqueue_s = time.monotonic() - began
    burst_waiting = await count(client, f"JourneyName = '{burst.name}' AND JourneyStep = 'wait'")
    done_query = f"JourneyName = '{burst.name}' AND ExecutionStatus = 'Completed'"
    completed, _ = await wait_for_count(
        client,
        done_query,
        burst_runs,
        timeout_s=lead_s + (60 if smoke else 900),
        interval_s=0.5 if smoke else 1.0,
    )
    due_ts = due.timestamp()
    closes: list[float] = []
    ids: list[str] = []
    async for wf in client.list_workflows(f"JourneyName = '{burst.name}'"):
        ids.append(wf.id)
        if wf.close_time is not None:
            closes.append(wf.close_time.timestamp())
    gate = asyncio.Semaphore(16)

    async def fired(workflow_id: str) -> float | None:
        async with gate:
            timers = await timer_events(client, workflow_id)
        # the wait's timer: the one set to fire at the due time (to the second)
        return next((f for s, f, d in timers if f is not None and abs(s + d - due_ts) < 2.0), None)

    sample = ids[:: max(1, len(ids) // 400)]
    fires = [f for f in await asyncio.gather(*(fired(w) for w in sample)) if f is not None]
    closes.sort()
    phase2: dict[str, Any] = {
        "runs": burst_runs,
        "enqueue_s": round(burst_enqueue_s, 1),
        "waiting_at_enqueue_end": burst_waiting,
        "lead_s": round(lead_s, 1),
        "completed": completed,
        "timer_lag_ms": summary([(f - due_ts) * 1000 for f in fires]),
        "timers_sampled": len(sample),
        "due_to_completed_ms": summary([(c - due_ts) * 1000 for c in closes]),
        "completions_per_s": round(len(closes) / max(closes[-1] - due_ts, 1e-9), 1)
        if closes
        else 0.0,
        "fires_per_s_sampled": round(
            len(fires) / max(max(fires) - due_ts, 1e-9) * (len(ids) / max(len(sample), 1)), 1
        )
        if fires
        else 0.0,
    }

    mem = phase1["memory"]
    total_rss = mem["peak_total_rss_mib"]
    total_pss = mem["peak_total_pss_mib"]
    figures = [
        fact(
            SUITE,
            f"time to enqueue {waiting_runs:,} journey runs (launch)",
            phase1["enqueue_s"],
            "s",
            note=f"{phase1['enqueue_per_s']}/s",
        ),
        fact(
            SUITE,
            "start throughput: runs on their 24 h timer",
            phase1["waiting_per_s"],
            "/s",
            note=f"{phase1['waiting']:,}/{waiting_runs:,} after {phase1['all_waiting_s']} s",
        ),
        fact(
            SUITE,
            f"peak memory, all processes, {waiting_runs:,} waiting runs (RSS)",
            total_rss,
            "MiB",
            target="≤ 4 GiB" if not smoke else None,
            met=(total_rss <= 4 * GIB) if not smoke else None,
            note=f"PSS {total_pss} MiB",
        ),
    ]
    for name in ("temporal", "postgres", "worker", "api", "fake-twilio"):
        if name in mem["peak_rss_mib"]:
            figures.append(
                fact(
                    SUITE,
                    f"peak memory: {name}",
                    mem["peak_rss_mib"][name],
                    "MiB RSS",
                    note=f"PSS {mem['peak_pss_mib'].get(name)} MiB",
                )
            )
    figures += [
        fact(
            SUITE,
            "CPU per run reaching its timer",
            phase1["cpu_ms_per_run"].get("total", 0.0),
            "ms",
            note=", ".join(
                f"{k} {v}"
                for k, v in phase1["cpu_ms_per_run"].items()
                if k not in ("total", "bench")
            ),
        ),
        fact(
            SUITE,
            "Postgres rows written by the runs",
            sum(phase1["rows_written"].values()),
            note=", ".join(f"{k} {v}" for k, v in phase1["rows_written"].items()) or "none",
        ),
        fact(SUITE, "Temporal SQLite file after phase 1", phase1["temporal_db_mib"] or 0.0, "MiB"),
        figure(
            SUITE,
            f"timer lag, {burst_runs:,} timers due at once",
            phase2["timer_lag_ms"],
            note=f"sample of {len(fires)}",
        ),
        figure(
            SUITE,
            f"due → journey completed, {burst_runs:,} runs",
            phase2["due_to_completed_ms"],
            note=f"{phase2['completed']:,}/{burst_runs:,} completed",
        ),
        fact(SUITE, "timer fires per second (burst)", phase2["fires_per_s_sampled"], "/s"),
        fact(
            SUITE,
            "journey completions per second after the burst",
            phase2["completions_per_s"],
            "/s",
        ),
    ]
    return {"figures": figures, "details": {"phase1": phase1, "phase2": phase2}}
