"""Suite 2, turn latency: WhatsApp voice notes from 1, 10 and 50 concurrent customers.

Each customer is a closed loop: send a voice note (signed webhook), wait until the whole turn is
over (reply text sent *and* the reply voice note sent), think for 1 s (± 0.5 s), send the next.
Per turn, from the moment the webhook was sent:

- **reply text sent**: the outbox row ``reply/<sid>`` got its ``sent_at`` (set by the worker when
  Twilio — the fake Twilio, behind the fake's latency — answered the send);
- **synthesised audio ready**: the media blob ``tts/<sid>`` was stored (after TTS and the
  OGG/Opus conversion); **audio sent**: the outbox row ``reply-audio/<sid>`` was sent.

Baselines, same run, same fake-vendor latency distributions:

- **critical path**: media fetch + STT + agent + send, the vendor latencies a text reply cannot
  avoid waiting for in sequence (Monte-Carlo over the same distributions, 200,000 draws); for
  the audio, media fetch + STT + agent + TTS.
- **naive pipeline**: ``bench.api``'s naive webhook, media fetch → STT → agent → TTS → send in
  order before answering, driven by the same closed-loop customers.

The per-stage breakdown comes from the customer workflows' Temporal histories (``bench.history``):
for each activity of the turn, the gap since the previous step ended (workflow task round trip,
or the webhook → the message in the workflow's history for the first), the wait in the task
queue and the run time; the vendor latency inside each run is the fake's median.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import defaultdict
from dataclasses import replace
from typing import Any

import httpx
import psutil
import psycopg

from bench.context import Bench, media_times, sent_times
from bench.history import fetch_timelines
from bench.loadgen import WhatsAppWebhook, customer_number
from bench.report import fact, figure
from bench.stack import BenchStack, CpuMeter, cpu_ms_per, product_ms
from bench.stats import summary
from switchboard.temporal import customer_workflow_id

SUITE = "2 turns"
TEXT_PATH = ["media_fetch", "stt", "agent", "send"]
AUDIO_PATH = ["media_fetch", "stt", "agent", "tts"]
NAIVE_PATH = ["media_fetch", "stt", "agent", "tts", "send"]
# The vendor inside each activity (None: no vendor, the activity is our own work).
VENDOR_OF = {
    "media.fetch": "media_fetch",
    "stt.transcribe": "stt",
    "agent.decide": "agent",
    "tts.synthesize": "tts",
    "whatsapp.send": "send",
}
TURN_TIMEOUT_S = 60.0


class Turn:
    __slots__ = ("sid", "sent", "ack", "text", "audio_ready", "audio_sent")

    def __init__(self, sid: str, sent: float) -> None:
        self.sid = sid
        self.sent = sent
        self.ack: float | None = None
        self.text: float | None = None
        self.audio_ready: float | None = None
        self.audio_sent: float | None = None


class Watcher:
    """Polls Postgres for the turns' outcomes (one query for all pending turns every 50 ms);
    the times come from the rows, so polling only delays the customer's next message."""

    def __init__(self, conn: psycopg.AsyncConnection[Any]) -> None:
        self._conn = conn
        self._pending: dict[str, tuple[Turn, asyncio.Event]] = {}

    async def wait(self, turn: Turn) -> None:
        done = asyncio.Event()
        self._pending[turn.sid] = (turn, done)
        try:
            await asyncio.wait_for(done.wait(), TURN_TIMEOUT_S)
        except TimeoutError:
            pass
        finally:
            self._pending.pop(turn.sid, None)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(0.05)
            pending = list(self._pending.values())
            if not pending:
                continue
            sids = [t.sid for t, _ in pending]
            sent = await sent_times(
                self._conn, [f"reply/{s}" for s in sids] + [f"reply-audio/{s}" for s in sids]
            )
            media = await media_times(self._conn, [f"tts/{s}" for s in sids])
            for turn, done in pending:
                turn.text = sent.get(f"reply/{turn.sid}", turn.text)
                turn.audio_sent = sent.get(f"reply-audio/{turn.sid}", turn.audio_sent)
                turn.audio_ready = media.get(f"tts/{turn.sid}", turn.audio_ready)
                if turn.text is not None and turn.audio_sent is not None:
                    done.set()


async def _customer(
    hook: WhatsAppWebhook,
    index: int,
    until: float,
    http: httpx.AsyncClient,
    watcher: Watcher | None,
    turns: list[Turn],
    rng: random.Random,
) -> None:
    n = 0
    while time.monotonic() < until:
        i = index * 10_000 + n
        n += 1
        url, body, headers, sid, _ = hook.request(i)
        turn = Turn(sid, time.time())
        turns.append(turn)
        try:
            response = await http.post(url, content=body, headers=headers)
        except httpx.HTTPError:
            continue
        turn.ack = time.time()
        if response.status_code >= 300:
            continue
        if watcher is not None:
            await watcher.wait(turn)
        else:  # the naive webhook answers when everything is done, with its own times
            times = response.json()
            turn.audio_ready, turn.text = times["audio_ready"], times["sent"]
        await asyncio.sleep(rng.uniform(0.5, 1.5))


async def _level(
    bench: Bench,
    stack: BenchStack,
    variant: str,
    customers: int,
    duration: float,
    media: str,
    offset: int,
) -> dict[str, Any]:
    path = "/twilio/whatsapp" if variant == "product" else "/bench/naive/twilio/whatsapp"
    prefix = f"T{variant[0].upper()}{customers}x"
    base = bench.webhook(stack, path, media_url=media, offset=offset, prefix=prefix)
    turns: list[Turn] = []
    rng = random.Random(customers)
    until = time.monotonic() + duration
    async with (
        await psycopg.AsyncConnection.connect(stack.database_url, autocommit=True) as conn,
        httpx.AsyncClient(timeout=TURN_TIMEOUT_S) as http,
    ):
        watcher = Watcher(conn) if variant == "product" else None
        poller = asyncio.create_task(watcher.run()) if watcher else None
        with CpuMeter(stack.pids()) as cpu:
            await asyncio.gather(
                *(
                    _customer(
                        # pinned to one number; each message still gets its own SID
                        replace(base, customer_offset=offset + c, customers=1),
                        c,
                        until,
                        http,
                        watcher,
                        turns,
                        rng,
                    )
                    for c in range(customers)
                )
            )
        if poller:
            poller.cancel()
    complete = [(t, t.text) for t in turns if t.text is not None]
    out: dict[str, Any] = {
        "customers": customers,
        "turns": len(turns),
        "complete": len(complete),
        "text_ms": summary([(text - t.sent) * 1000 for t, text in complete]),
        "audio_ready_ms": summary(
            [(t.audio_ready - t.sent) * 1000 for t, _ in complete if t.audio_ready is not None]
        ),
        "ack_ms": summary([(t.ack - t.sent) * 1000 for t in turns if t.ack is not None]),
        "text_before_audio": sum(
            1 for t, text in complete if t.audio_ready is not None and text < t.audio_ready
        ),
        "with_audio": sum(1 for t, _ in complete if t.audio_ready is not None),
        "cpu": cpu.usage,
        "cpu_ms_per_turn": cpu_ms_per(cpu.usage, len(complete)),
    }
    t = out["text_ms"]
    bench.log(
        f"turns {variant}, {customers} customers: {len(complete)} turns, text p50/p95 "
        f"{t['p50']}/{t['p95']} ms, other load {cpu.usage['foreign_cores']} cores"
    )
    if variant == "product":
        out["audio_sent_ms"] = summary(
            [(t.audio_sent - t.sent) * 1000 for t, _ in complete if t.audio_sent is not None]
        )
        out["stages"] = await _stages(
            bench, turns, [customer_number(offset + c) for c in range(customers)]
        )
    return out


async def _stages(bench: Bench, turns: list[Turn], numbers: list[str]) -> dict[str, Any]:
    """Per-stage breakdown over the turns (see the module docstring)."""
    client = await bench.client()
    timelines = await fetch_timelines(client, [customer_workflow_id(n) for n in numbers])
    by_stage: dict[str, list[float]] = defaultdict(list)
    order: list[str] = []
    for turn in turns:
        tl = timelines.get(turn.sid)
        if tl is None or turn.text is None:
            continue
        previous_end = tl.accepted
        by_stage["webhook → in workflow history"].append((tl.accepted - turn.sent) * 1000)
        seen: dict[str, int] = defaultdict(int)
        for step in tl.activities:
            if step.name.startswith("journey."):
                # The previous turn's tail (journeys it triggers), run after this message was
                # accepted when the customer wrote again quickly: not part of this turn.
                continue
            seen[step.name] += 1
            label = step.name + (f" #{seen[step.name]}" if seen[step.name] > 1 else "")
            if label not in order:
                order.append(label)
            by_stage[f"{label}: gap"].append((step.scheduled - previous_end) * 1000)
            if step.started is not None:
                by_stage[f"{label}: queue"].append((step.started - step.scheduled) * 1000)
                if step.ended is not None:
                    by_stage[f"{label}: run"].append((step.ended - step.started) * 1000)
            if step.ended is not None:
                previous_end = step.ended
    rows: list[tuple[str, str | None]] = [("webhook → in workflow history", None)]
    for label in order:
        vendor = VENDOR_OF.get(label.split(" #")[0])
        rows += [(f"{label}: gap", None), (f"{label}: queue", None), (f"{label}: run", vendor)]
    return {
        name: summary(by_stage[name]) | {"vendor": vendor}
        for name, vendor in rows
        if by_stage.get(name)
    }


async def run(bench: Bench) -> dict[str, Any]:
    smoke = bench.config.smoke
    levels = [1, 5] if smoke else [1, 10, 50]
    duration = {1: 4.0, 5: 4.0} if smoke else {1: 60.0, 10: 45.0, 50: 45.0}
    naive_duration = {1: 3.0, 5: 3.0} if smoke else {1: 30.0, 10: 30.0, 50: 30.0}
    latency = bench.config.latency
    text_cp = summary(latency.path_samples_ms(TEXT_PATH))
    audio_cp = summary(latency.path_samples_ms(AUDIO_PATH))
    naive_model = summary(latency.path_samples_ms(NAIVE_PATH))

    stack = await bench.stack("turns")
    media = await bench.upload_voice_note(stack)
    results: dict[str, dict[int, dict[str, Any]]] = {"product": {}, "naive": {}}
    for n, customers in enumerate(levels):
        results["product"][customers] = await _level(
            bench,
            stack,
            "product",
            customers,
            duration[customers],
            media,
            offset=1_000_000 + 1000 * n,
        )
        results["naive"][customers] = await _level(
            bench,
            stack,
            "naive",
            customers,
            naive_duration[customers],
            media,
            offset=2_000_000 + 1000 * n,
        )

    figures: list[dict[str, Any]] = []
    tables: dict[str, list[str]] = {}
    for customers in levels:
        p, nv = results["product"][customers], results["naive"][customers]
        text = p["text_ms"]
        target = met = None
        if customers == 10:
            # Issue 14, item 1 (it replaced issue 5's 1.10 and "35% faster than naive").
            target = "p95 ≤ 1.15 × critical path"
            met = text["p95"] is not None and text["p95"] <= 1.15 * text_cp["p95"]
        figures.append(
            figure(
                SUITE,
                f"reply text sent, {customers} customers",
                text,
                baseline=text_cp,
                baseline_name="critical path",
                target=target,
                met=met,
                note=f"{p['complete']}/{p['turns']} turns",
            )
        )
        # The naive pipeline is a baseline only: "35% faster than naive" was unreachable by
        # construction (the vendors' own critical path is >= 0.77x the naive pipeline at p95),
        # and issue 14 retired it.
        figures.append(
            figure(
                SUITE,
                f"reply text sent vs naive, {customers} customers",
                text,
                baseline=nv["text_ms"],
                baseline_name="naive pipeline",
                target=target,
                met=met,
                note=f"naive {nv['complete']}/{nv['turns']} turns",
            )
        )
        figures.append(
            figure(
                SUITE,
                f"synthesised audio ready, {customers} customers",
                p["audio_ready_ms"],
                baseline=audio_cp,
                baseline_name="critical path (audio)",
            )
        )
        figures.append(
            figure(
                SUITE,
                f"synthesised audio ready vs naive, {customers} customers",
                p["audio_ready_ms"],
                baseline=nv["audio_ready_ms"],
                baseline_name="naive pipeline",
            )
        )
        figures.append(
            figure(
                SUITE,
                f"webhook ack (HTTP 200), {customers} customers",
                p["ack_ms"],
                note="below saturation: compare suite 1",
            )
        )
        per_turn = p["cpu_ms_per_turn"]
        if per_turn.get("total"):
            cores = psutil.cpu_count() or 1
            figures.append(
                fact(
                    SUITE,
                    f"CPU per turn, {customers} customers",
                    per_turn["total"],
                    "ms",
                    # Issue 14: the product's CPU (fakes excluded) per voice-note turn.
                    target="product ≤ 150 ms" if customers == 10 else None,
                    met=product_ms(per_turn) <= 150 if customers == 10 else None,
                    note=", ".join(
                        f"{k} {v}" for k, v in per_turn.items() if k not in ("total", "bench")
                    )
                    + f"; product {product_ms(per_turn)}"
                    + f"; CPU-bound ceiling {cores} cores ÷ total = "
                    f"{cores * 1000 / per_turn['total']:.1f} turns/s",
                )
            )
        ordered = p["text_before_audio"] == p["with_audio"] and p["with_audio"] > 0
        figures.append(
            fact(
                SUITE,
                f"text sent before audio ready, {customers} customers",
                f"{p['text_before_audio']}/{p['with_audio']} turns",
                target="every turn" if customers == 10 else None,
                met=ordered if customers == 10 else None,
            )
        )
        stages = p["stages"]
        table = [
            "| stage | n | p50 ms | p95 ms | vendor median ms | p50 − vendor (our overhead) |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, s in stages.items():
            vendor = s["vendor"]
            median = getattr(latency, vendor).median_ms if vendor else 0.0
            over = "" if s["p50"] is None else f"{s['p50'] - median:.0f}"
            table.append(
                f"| {name} | {s['n']} | {s['p50']} | {s['p95']} | "
                f"{median if vendor else ''} | {over} |"
            )
        tables[f"Turns: per-stage breakdown, {customers} customers (from Temporal histories)"] = (
            table
        )
    naive_expect = naive_model
    figures.append(
        figure(
            SUITE,
            "naive pipeline model (sum of all five vendors)",
            naive_expect,
            note="for reference: the naive webhook's physical limit",
        )
    )
    return {
        "figures": figures,
        "tables": tables,
        "details": {
            "levels": levels,
            "duration_s": duration,
            "naive_duration_s": naive_duration,
            "critical_path_text_ms": text_cp,
            "critical_path_audio_ms": audio_cp,
            "results": results,
        },
    }
