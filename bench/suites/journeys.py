"""Suite 3, journeys at scale.

``bench-outreach-wait`` (``bench/journeys/``: consent branch, a 24 h wait, then the one
message) has a broadcast shape with a wait before the send, so the product's campaign launch
(``operations.launch.launch``) with the database, as the API and the console launch, makes it
one ``CampaignWorkflow`` whose members wait in Postgres (``campaign_member``,
``waiting_to_send``): no workflow and no timer per member.

Phase 1 (broadcast): 10,000 customers with a marketing WhatsApp opt-in are launched. Reported:
time to enqueue (launch returns), time until every member sits in the wait (``campaign_member``
rows ``waiting_to_send``), members per second reaching it, CPU per member per process, peak
and settled memory of every process, Postgres rows written, Temporal's SQLite file size.

Phase 2 (broadcast burst): 2,000 more customers enter the same journey with the wait replaced
by ``until`` one wall-clock time for all (far enough ahead that every member waits when it
comes): every wait ends together. Reported: due → sent per member (``campaign_member.sent_at``),
due → accepted by the fake Twilio, sends per second, CPU per member sent, members messaged
twice.

Phase 3 (baseline, a run per member): the same journey launched without the database, so each
member gets a ``JourneyWorkflow`` of their own, as any journey without the shape does: runs on
their 24 h timer per second (visibility ``JourneyStep = 'wait'``), CPU per run, peak memory
(with phases 1 and 2's members still waiting in Postgres).
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from temporalio.client import Client

from bench.audience import JOURNEYS_DIR, opted_in_audience, table_growth, wait_for_count
from bench.context import Bench
from bench.report import fact, figure
from bench.stack import BenchStack, CpuMeter, MemorySampler, cpu_ms_per
from bench.stats import summary
from operations.launch import AudienceMember, launch
from switchboard.db.campaigns import SENT, WAITING
from switchboard.db.engine import Database
from switchboard.journeys.loader import load_file
from switchboard.journeys.schema import JourneyDefinition, Wait, WaitUntil
from switchboard.temporal import TASK_QUEUE, campaign_workflow_id

SUITE = "3 journeys"
GIB = 1024.0
BROADCAST = "broadcast (one campaign workflow)"
RUNS = "baseline (a run per member)"


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


def _members_in(stack: BenchStack, campaign: str, state: str) -> int:
    with stack.connect_db() as conn:
        row = conn.execute(
            "SELECT count(*) FROM campaign_member WHERE campaign_id = %s AND state = %s",
            (campaign, state),
        ).fetchone()
    return int(row[0]) if row else 0


async def _wait_members(
    bench: Bench,
    stack: BenchStack,
    campaign: str,
    state: str,
    target: int,
    *,
    timeout_s: float,
    interval_s: float,
    progress: list[tuple[float, int]] | None = None,
    offset_s: float = 0.0,
) -> tuple[int, float]:
    """Poll the campaign's members in ``state`` until ``target``; (last count, seconds)."""
    began = time.monotonic()
    while True:
        n = await asyncio.to_thread(_members_in, stack, campaign, state)
        elapsed = time.monotonic() - began
        if progress is not None:
            progress.append((round(elapsed + offset_s, 1), n))
            if len(progress) % 15 == 0:
                bench.log(f"journeys: {n:,} members {state} after {elapsed + offset_s:.0f} s")
        if n >= target or elapsed > timeout_s:
            return n, elapsed
        await asyncio.sleep(interval_s)


async def _launch_broadcast(
    client: Client,
    stack: BenchStack,
    definition: JourneyDefinition,
    audience: list[AudienceMember],
    campaign_id: str,
) -> int:
    """Launch as the API does, with the database; the members enrolled."""
    db = Database(stack.database_url)
    try:
        report = await launch(
            client,
            definition,
            audience,
            campaign_id=campaign_id,
            task_queue=TASK_QUEUE,
            db=db,
        )
    finally:
        await db.dispose()
    assert report.broadcast, f"{definition.name} goes as one broadcast"
    return report.enrolled


async def run(bench: Bench) -> dict[str, Any]:
    smoke = bench.config.smoke
    waiting_n = bench.config.size(10_000, smoke=20)
    burst_n = bench.config.size(2_000, smoke=10)
    definition = load_file(JOURNEYS_DIR / "bench-outreach-wait.yaml")

    stack = await bench.stack("journeys", naive=False)  # the API's memory is reported
    client = await bench.client()
    db_file = stack.settings.data_dir.resolve() / "temporal.db"

    # -- phase 1: the broadcast's members into their wait -----------------------------------
    audience = opted_in_audience(stack, 3_000_000, waiting_n)
    campaign = campaign_workflow_id(definition.name, "bench-wait")
    rows_before = stack.row_counts()
    progress: list[tuple[float, int]] = []
    with MemorySampler(stack.pids(), interval_s=1.0) as memory, CpuMeter(stack.pids()) as cpu:
        began = time.monotonic()
        enrolled = await _launch_broadcast(client, stack, definition, audience, "bench-wait")
        enqueue_s = time.monotonic() - began
        waiting, _ = await _wait_members(
            bench,
            stack,
            campaign,
            WAITING,
            waiting_n,
            timeout_s=120 if smoke else 1800,
            interval_s=0.25 if smoke else 0.5,
            progress=progress,
            offset_s=enqueue_s,
        )
        all_waiting_s = time.monotonic() - began
    settled_began = time.monotonic()
    with MemorySampler(stack.pids(), interval_s=1.0) as settled:
        await asyncio.sleep(1 if smoke else 15)  # memory once everybody waits
        settled.sample()
    rows_after = stack.row_counts()
    phase1: dict[str, Any] = {
        "path": BROADCAST,
        "members": waiting_n,
        "enrolled": enrolled,
        "enqueue_s": round(enqueue_s, 1),
        "waiting": waiting,
        "all_waiting_s": round(all_waiting_s, 1),
        "waiting_per_s": round(waiting / all_waiting_s, 1),
        "progress": progress,
        "memory": memory.report(),
        "settled_memory": settled.report(),
        "cpu": cpu.usage,
        "cpu_ms_per_member": cpu_ms_per(cpu.usage, waiting),
        "rows_written": table_growth(rows_before, rows_after),
        "temporal_db_mib": round(db_file.stat().st_size / 1024**2, 1) if db_file.exists() else None,
        "settled_wait_s": round(time.monotonic() - settled_began, 1),
    }

    # -- phase 2: one burst of waits ending together -----------------------------------------
    burst_audience = opted_in_audience(stack, 3_500_000, burst_n)
    rate = max(phase1["waiting_per_s"], 1.0)
    lead_s = max(8.0, 1.5 * burst_n / rate + 5.0)
    due = (datetime.now(UTC) + timedelta(seconds=lead_s)).replace(microsecond=0)
    burst = _burst_definition(definition, due.astimezone(ZoneInfo("Europe/Paris")))
    burst_campaign = campaign_workflow_id(burst.name, "bench-burst")
    numbers = {f"whatsapp:{m.e164}" for m in burst_audience}
    began = time.monotonic()
    await _launch_broadcast(client, stack, burst, burst_audience, "bench-burst")
    burst_enqueue_s = time.monotonic() - began
    waiting_before_due, _ = await _wait_members(
        bench, stack, burst_campaign, WAITING, burst_n, timeout_s=lead_s, interval_s=0.5
    )
    with CpuMeter(stack.pids()) as burst_cpu:
        await asyncio.sleep(max(0.0, due.timestamp() - time.time()))
        sent, _ = await _wait_members(
            bench,
            stack,
            burst_campaign,
            SENT,
            burst_n,
            timeout_s=60 if smoke else 900,
            interval_s=0.25 if smoke else 0.5,
        )
    await asyncio.sleep(1 if smoke else 5)  # late duplicates would show up now
    with stack.connect_db() as conn:
        sent_at = [
            r[0].timestamp()
            for r in conn.execute(
                "SELECT sent_at FROM campaign_member"
                " WHERE campaign_id = %s AND sent_at IS NOT NULL",
                (burst_campaign,),
            ).fetchall()
        ]
    fake_twilio = stack.settings.twilio_api_base_url
    async with httpx.AsyncClient(timeout=60) as http:
        stats = (await http.get(f"{fake_twilio}/_fake/stats")).json()
        messages = [
            m
            for m in (await http.get(f"{fake_twilio}/_fake/messages")).json()
            if m["to"] in numbers
        ]
    accepted = sorted(datetime.fromisoformat(m["created_at"]).timestamp() for m in messages)
    by_recipient = {to: n for to, n in stats["messages_by_recipient"].items() if to in numbers}
    due_ts = due.timestamp()
    phase2: dict[str, Any] = {
        "path": BROADCAST,
        "members": burst_n,
        "enqueue_s": round(burst_enqueue_s, 1),
        "waiting_before_due": waiting_before_due,
        "lead_s": round(lead_s, 1),
        "sent": sent,
        "messages": len(messages),
        "recipients_with_duplicates": sum(1 for n in by_recipient.values() if n > 1),
        "due_to_sent_ms": summary([(t - due_ts) * 1000 for t in sent_at]),
        "due_to_accepted_ms": summary([(t - due_ts) * 1000 for t in accepted]),
        "sends_per_s": round(len(accepted) / max(accepted[-1] - due_ts, 1e-9), 1)
        if accepted
        else 0.0,
        "cpu": burst_cpu.usage,
        "cpu_ms_per_send": cpu_ms_per(burst_cpu.usage, len(messages)),
    }

    # -- phase 3: the baseline, a journey run per member -------------------------------------
    runs_definition = definition.model_copy(update={"name": "bench-outreach-wait-runs"})
    runs_audience = opted_in_audience(stack, 3_700_000, waiting_n)
    runs_progress: list[tuple[float, int]] = []
    wait_query = (
        f"WorkflowType = 'JourneyWorkflow' AND JourneyName = '{runs_definition.name}'"
        " AND JourneyStep = 'wait'"
    )

    def on_poll(t: float, n: int) -> None:
        runs_progress.append((round(t + runs_enqueue_s, 1), n))
        if len(runs_progress) % 15 == 0:
            bench.log(f"journeys: {n:,} runs on their timer after {t + runs_enqueue_s:.0f} s")

    with (
        MemorySampler(stack.pids(), interval_s=1.0) as runs_memory,
        CpuMeter(stack.pids()) as runs_cpu,
    ):
        began = time.monotonic()
        report = await launch(  # no database: a run per member
            client, runs_definition, runs_audience, campaign_id="bench-runs", task_queue=TASK_QUEUE
        )
        assert not report.broadcast
        runs_enqueue_s = time.monotonic() - began
        runs_waiting, _ = await wait_for_count(
            client,
            wait_query,
            waiting_n,
            timeout_s=120 if smoke else 1800,
            interval_s=0.5 if smoke else 2.0,
            on_poll=on_poll,
        )
        runs_all_waiting_s = time.monotonic() - began
    phase3: dict[str, Any] = {
        "path": RUNS,
        "runs": waiting_n,
        "enrolled": report.enrolled,
        "enqueue_s": round(runs_enqueue_s, 1),
        "waiting": runs_waiting,
        "all_waiting_s": round(runs_all_waiting_s, 1),
        "waiting_per_s": round(runs_waiting / runs_all_waiting_s, 1),
        "progress": runs_progress,
        "memory": runs_memory.report(),
        "cpu": runs_cpu.usage,
        "cpu_ms_per_run": cpu_ms_per(runs_cpu.usage, runs_waiting),
        "temporal_db_mib": round(db_file.stat().st_size / 1024**2, 1) if db_file.exists() else None,
    }

    def per_process(cpu_ms: dict[str, float]) -> str:
        return ", ".join(f"{k} {v}" for k, v in cpu_ms.items() if k not in ("total", "bench"))

    mem = phase1["memory"]
    total_rss = mem["peak_total_rss_mib"]
    figures = [
        fact(
            SUITE,
            f"{BROADCAST}: time to enqueue {waiting_n:,} members (launch)",
            phase1["enqueue_s"],
            "s",
        ),
        fact(
            SUITE,
            f"{BROADCAST}: members reaching their 24 h wait",
            phase1["waiting_per_s"],
            "/s",
            target="≥ 60/s" if not smoke else None,
            met=(phase1["waiting_per_s"] >= 60) if not smoke else None,
            note=f"{phase1['waiting']:,}/{waiting_n:,} after {phase1['all_waiting_s']} s",
        ),
        fact(
            SUITE,
            f"{BROADCAST}: CPU per member reaching the wait",
            phase1["cpu_ms_per_member"].get("total", 0.0),
            "ms",
            note=per_process(phase1["cpu_ms_per_member"]),
        ),
        fact(
            SUITE,
            f"{BROADCAST}: peak memory, all processes, {waiting_n:,} members waiting (RSS)",
            total_rss,
            "MiB",
            target="≤ 4 GiB" if not smoke else None,
            met=(total_rss <= 4 * GIB) if not smoke else None,
            note=f"PSS {mem['peak_total_pss_mib']} MiB",
        ),
    ]
    for name in ("temporal", "postgres", "worker", "api", "fake-twilio"):
        if name in mem["peak_rss_mib"]:
            figures.append(
                fact(
                    SUITE,
                    f"{BROADCAST}: peak memory: {name}",
                    mem["peak_rss_mib"][name],
                    "MiB RSS",
                    note=f"PSS {mem['peak_pss_mib'].get(name)} MiB",
                )
            )
    figures += [
        fact(
            SUITE,
            f"{BROADCAST}: Postgres rows written by the launch",
            sum(phase1["rows_written"].values()),
            note=", ".join(f"{k} {v}" for k, v in phase1["rows_written"].items()) or "none",
        ),
        fact(
            SUITE,
            f"{BROADCAST}: Temporal SQLite file after phase 1",
            phase1["temporal_db_mib"] or 0.0,
            "MiB",
        ),
        figure(
            SUITE,
            f"{BROADCAST}: due → sent, {burst_n:,} waits ending at once",
            phase2["due_to_sent_ms"],
            note=f"{phase2['sent']:,}/{burst_n:,} sent; Twilio accepted: "
            f"p50 {phase2['due_to_accepted_ms']['p50']} ms",
        ),
        fact(SUITE, f"{BROADCAST}: sends per second after the burst", phase2["sends_per_s"], "/s"),
        fact(
            SUITE,
            f"{BROADCAST}: CPU per member sent (burst)",
            phase2["cpu_ms_per_send"].get("total", 0.0),
            "ms",
            note=per_process(phase2["cpu_ms_per_send"]),
        ),
        fact(
            SUITE,
            f"{BROADCAST}: members messaged twice (burst)",
            phase2["recipients_with_duplicates"],
            target="0",
            met=phase2["recipients_with_duplicates"] == 0,
        ),
        fact(
            SUITE,
            f"{RUNS}: runs on their 24 h timer",
            phase3["waiting_per_s"],
            "/s",
            note=f"{phase3['waiting']:,}/{waiting_n:,} after {phase3['all_waiting_s']} s; "
            "launched without the database, as any journey without the broadcast shape",
        ),
        fact(
            SUITE,
            f"{RUNS}: CPU per run reaching its timer",
            phase3["cpu_ms_per_run"].get("total", 0.0),
            "ms",
            note=per_process(phase3["cpu_ms_per_run"]),
        ),
        fact(
            SUITE,
            f"{RUNS}: peak memory, all processes, {waiting_n:,} more runs waiting (RSS)",
            phase3["memory"]["peak_total_rss_mib"],
            "MiB",
            note=f"temporal {phase3['memory']['peak_rss_mib'].get('temporal')} MiB",
        ),
    ]
    return {"figures": figures, "details": {"phase1": phase1, "phase2": phase2, "phase3": phase3}}
