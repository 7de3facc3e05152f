"""Suite 1, webhook ingest: open-loop signed WhatsApp voice-note webhooks at fixed rates.

For each rate (50, 100, 200, 400/s for 30 s; smoke: 50/s for 3 s) three endpoints of the same
API process are driven by the same generator:

- **product**: ``POST /twilio/whatsapp`` as the product implements it (verify signature →
  record in the inbox, committed → 200; the inbox relay in the API process then hands the
  message to the customer workflow, ``operations.relay``). Each rate gets a fresh stack (full
  runs), so a backlog left by one rate does not slow the next.
- **floor**: the same signature check, then 200 (``bench.api``).
- **naive**: media fetch → STT → agent → TTS → send, then 200 (``bench.api``).

Ack latency is due time → response (open loop, see ``bench.loadgen``). Each request comes from a
different customer, so each turn is the first of its customer workflow.

Ack → workflow: for a sample of the product's webhooks (≤ 200 per rate), read from the customer
workflow's Temporal history when the message entered it (the ``message`` signal recorded) and
the first activity of the turn (``media.fetch``) — when the workflow scheduled it and when a
worker started it — minus the time the generator got the 200. Messages not there when the bench
stops looking (the step's end + a drain window) are counted as censored, so a percentile among
them reads "> window".

Backlog drain, from the inbox itself (every acked message, not a sample): how many messages
were still waiting for the relay when the load stopped (``handed_over_at`` after the last
ack), how long after the last ack the last one was handed over, and the hand-over rate.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import psycopg

from bench.context import Bench
from bench.history import fetch_timelines
from bench.loadgen import OpenLoopPlan, OpenLoopResult, describe, run_open_loop
from bench.report import fact, figure
from bench.stack import BenchStack, CpuMeter, cpu_ms_per
from bench.stats import summary
from devtools.stack import DEFERRED_PROCESSES
from switchboard.temporal import customer_workflow_id

SUITE = "1 ingest"
PATHS = {
    "product": "/twilio/whatsapp",
    "floor": "/bench/floor/twilio/whatsapp",
    "naive": "/bench/naive/twilio/whatsapp",
}
SAMPLES = 200
# During the product's steps the processes that do the work a burst defers run at background
# CPU priority, the API and Postgres at their own (bench/README.md). The inbox relay, the worker
# and Temporal get it from the product's stack (``switchboard up``: ``Stack.deferred_priority``,
# ``devtools.background``: SCHED_IDLE, nice 19, autogroup nice 19); the fake Twilio (Twilio's
# stand-in) and the media process (idle here: no call is made) from the bench, at nice
# ``TURN_NICE``. In production they are other machines (docker-compose services); on this one
# they would take the CPU the acknowledgements need for turns that the inbox exists to defer,
# and the figure would measure the box's turn capacity (~5 turns/s), not the ack path.
TURN_NICE = 19
TURN_PROCESSES = ("fake-twilio", "media")


def _set_nice(pids: dict[str, int], nice: int) -> list[str]:
    """Set every thread of the turn processes (and their children) to ``nice``, and their
    autogroups too.

    Each stack process leads a session of its own (``devtools.stack``: ``start_new_session``),
    and with the kernel's autogroup scheduling on (``/proc/sys/kernel/sched_autogroup_enabled``,
    the default on desktop kernels and on the benchmark machine) the CPU is shared between
    sessions *before* thread nice values count, and only inside one: a thread's nice value does
    not lower a process against the API. The autogroup's own nice value does
    (``/proc/<pid>/autogroup``, Linux ``sched(7)``, "The autogroup feature"). Measured on the
    run of 2026-12-01 at 200/s: with thread nice values only, the "niced" relay, worker and
    Temporal took 0.17, 0.41 and 0.34 cores, the API 0.34 (issue 11)."""
    done = []
    for name in TURN_PROCESSES:
        pid = pids.get(name)
        if pid is None:
            continue
        try:
            root = psutil.Process(pid)
            for proc in [root, *root.children(recursive=True)]:
                for thread in proc.threads():
                    with contextlib.suppress(OSError):
                        os.setpriority(os.PRIO_PROCESS, thread.id, nice)
                with contextlib.suppress(OSError):  # no autogroups on this kernel
                    Path(f"/proc/{proc.pid}/autogroup").write_text(str(nice))
        except psutil.Error:
            continue
        done.append(name)
    return done


@contextlib.contextmanager
def _turns_deferred(stack: BenchStack) -> Iterator[list[str]]:
    pids = stack.pids()
    try:
        yield _set_nice(pids, TURN_NICE)
    finally:
        _set_nice(pids, 0)


def _ack_latency(result: OpenLoopResult) -> dict[str, Any]:
    values = [
        (d - due) * 1000
        for due, d, s in zip(result.due, result.done, result.status, strict=True)
        if d is not None and 200 <= s < 300
    ]
    return summary(values)


async def _step(
    bench: Bench,
    stack: BenchStack,
    variant: str,
    rate: int,
    duration: float,
    media: str,
    offset: int,
    tag: str = "",
) -> tuple[OpenLoopResult, dict[str, Any]]:
    # ``tag`` keeps two steps of one variant and rate apart (SIDs are unique in the inbox).
    prefix = f"{variant[0].upper()}{rate}x{tag}"
    hook = bench.webhook(stack, PATHS[variant], media_url=media, offset=offset, prefix=prefix)
    began = time.time()
    load0 = os.getloadavg()[0]
    with CpuMeter(stack.pids()) as cpu:
        result = await asyncio.to_thread(run_open_loop, OpenLoopPlan(hook, rate, duration))
    info = describe(result)
    info["ack_ms"] = _ack_latency(result)
    info["cpu"] = cpu.usage
    info["cpu_ms_per_webhook"] = cpu_ms_per(cpu.usage, info["acked"])
    # Time ready to run but without a core, per webhook: the part of the wait that comes from
    # sharing the machine (with the other processes, ours or not), not from the code.
    info["cpu_wait_ms_per_webhook"] = cpu_ms_per(
        {"span_s": cpu.usage["span_s"], "ours_cores": cpu.usage["waited_cores"]}, info["acked"]
    )
    info["load_avg_1m"] = [round(load0, 2), round(os.getloadavg()[0], 2)]  # before, after
    # The "api" CPU figures are the whole group (uvicorn's supervisor and its workers:
    # ``bench.stack.process_cpu_seconds``).
    info["api_workers"] = stack.settings.api_workers
    info["api_loop_lag_ms"] = await _loop_lag(stack, began, time.time())
    a, lag = info["ack_ms"], info["api_loop_lag_ms"]
    bench.log(
        f"ingest {variant} ({info['api_workers']} API processes) @ {rate}/s: "
        f"{info['acks_per_s']} acks/s, {info['errors']} errors, "
        f"ack p50/p95/p99 {a['p50']}/{a['p95']}/{a['p99']} ms, API loop lag p50/p99/max "
        f"{lag.get('p50')}/{lag.get('p99')}/{lag.get('max')} ms, API GC {lag.get('gc')}, "
        "CPU ms/webhook "
        f"{info['cpu_ms_per_webhook']}, waiting for a CPU ms/webhook "
        f"{info['cpu_wait_ms_per_webhook']}, other load {cpu.usage['foreign_cores']} cores, "
        f"load average {info['load_avg_1m']}"
    )
    return result, info


async def _loop_lag(stack: BenchStack, since: float, until: float) -> dict[str, Any]:
    """The API's event-loop lag during a step (``bench.api.LoopLagProbe``), ms, over every API
    process (``settings.api_workers``): each answers for itself on a connection of its own
    (whichever process accepts it), asked until all have answered (≤ 50 tries); the lags of
    all are summarised together, the GC counts and times added up (``max_ms``: the longest),
    ``processes`` says how many answered. Empty when none did."""
    url = f"{stack.settings.api_url}/bench/loop-lag"
    wanted = stack.settings.api_workers
    seen: dict[int, dict[str, Any]] = {}
    with contextlib.suppress(httpx.HTTPError):
        for _ in range(50):
            # A new connection each time: a kept-alive one stays with the process that took it.
            async with httpx.AsyncClient(timeout=30) as http:
                got = await http.get(url, params={"since": since, "until": until})
                got.raise_for_status()
            answer: dict[str, Any] = got.json()
            seen[int(answer.get("pid", 0))] = answer
            if len(seen) >= wanted:
                break
    if not seen:
        return {}
    lag = summary([x for answer in seen.values() for x in answer.get("lags", [])])
    gc: dict[str, dict[str, Any]] = {}
    for answer in seen.values():
        for gen, got_gen in answer.get("gc", {}).items():
            into = gc.setdefault(gen, {"collections": 0, "total_ms": 0.0, "max_ms": None})
            into["collections"] += got_gen["collections"]
            into["total_ms"] = round(into["total_ms"] + got_gen["total_ms"], 1)
            if got_gen["max_ms"] is not None:
                into["max_ms"] = max(into["max_ms"] or 0.0, got_gen["max_ms"])
    return lag | {"gc": gc, "processes": len(seen)}


async def _turn_starts(
    bench: Bench, stack: BenchStack, result: OpenLoopResult, drain_s: float
) -> dict[str, Any]:
    """Wait (≤ ``drain_s`` after the last request) for the turns to be done, then read the
    sampled turns' start times from Temporal."""
    acked = [
        i
        for i, (s, d) in enumerate(zip(result.status, result.done, strict=True))
        if d is not None and 200 <= s < 300
    ]
    keys = [f"reply/{result.sids[i]}" for i in acked]
    sids = [result.sids[i] for i in acked]
    deadline = time.monotonic() + drain_s
    done: list[float] = []
    async with await psycopg.AsyncConnection.connect(stack.database_url, autocommit=True) as conn:
        while True:
            rows = await (
                await conn.execute(
                    "SELECT extract(epoch FROM sent_at) FROM outbox "
                    "WHERE key = ANY(%s) AND sent_at IS NOT NULL",
                    (keys,),
                )
            ).fetchall()
            done = [float(r[0]) for r in rows]
            if len(done) >= len(keys) or time.monotonic() > deadline:
                break
            await asyncio.sleep(1.0)
        handed = [
            float(r[0])
            for r in await (
                await conn.execute(
                    "SELECT extract(epoch FROM handed_over_at) FROM inbound_event "
                    "WHERE sid = ANY(%s) AND handed_over_at IS NOT NULL",
                    (sids,),
                )
            ).fetchall()
        ]
    looked_at = time.time()
    step = max(1, len(acked) // SAMPLES)
    sample = acked[::step][:SAMPLES]
    client = await bench.client()
    found = await fetch_timelines(
        client, [customer_workflow_id(result.customers[i]) for i in sample]
    )
    started_ms: list[float] = []
    scheduled_ms: list[float] = []
    in_workflow_ms: list[float] = []
    not_started = not_scheduled = not_in_workflow = 0
    for i in sample:
        ack = result.done[i]
        assert ack is not None
        turn = found.get(result.sids[i])
        if turn is None:
            not_in_workflow += 1
        else:
            in_workflow_ms.append((turn.accepted - ack) * 1000)
        first = turn.first() if turn else None
        if first is None:
            not_scheduled += 1
            not_started += 1
            continue
        scheduled_ms.append((first.scheduled - ack) * 1000)
        if first.started is None:
            not_started += 1
        else:
            started_ms.append((first.started - ack) * 1000)
    first_due = min(result.due)
    last_ack = max((d for d in result.done if d), default=looked_at)
    window_ms = (looked_at - last_ack) * 1000
    return {
        "sampled": len(sample),
        "ack_to_workflow_ms": summary(
            in_workflow_ms, censored=not_in_workflow, censored_above=window_ms
        ),
        "drain": _drain(handed, len(sids), first_due=first_due, last_ack=last_ack),
        "ack_to_turn_scheduled_ms": summary(
            scheduled_ms, censored=not_scheduled, censored_above=window_ms
        ),
        "ack_to_turn_started_ms": summary(
            started_ms, censored=not_started, censored_above=window_ms
        ),
        "turns_done": len(done),
        "turns_acked": len(keys),
        "turns_done_per_s": round(len(done) / max(max(done) - first_due, 1e-9), 1) if done else 0.0,
        "looked_after_s": round(looked_at - first_due, 1),
    }


def _drain(handed: list[float], acked: int, *, first_due: float, last_ack: float) -> dict[str, Any]:
    """The inbox's backlog after the load: left when the last ack went out, how long after it
    the last message was handed over (None: some never were while the bench looked), and
    the hand-over rate over the whole step."""
    backlog = sum(1 for t in handed if t > last_ack) + (acked - len(handed))
    last = max(handed, default=None)
    return {
        "acked": acked,
        "handed_over": len(handed),
        "backlog_at_last_ack": backlog,
        "drained_after_s": (
            round(max(last - last_ack, 0.0), 2)
            if last is not None and len(handed) == acked
            else None
        ),
        "handed_over_per_s": round(len(handed) / max(last - first_due, 1e-9), 1) if last else 0.0,
    }


async def run(bench: Bench) -> dict[str, Any]:
    smoke = bench.config.smoke
    # Lowest rate first: the baselines share one stack, and the naive route at a rate it
    # cannot keep up with leaves a backlog that would starve the next, lower step.
    rates = [20] if smoke else sorted(set(bench.config.ingest_rates))
    duration = 2.0 if smoke else 30.0
    drain_s = 8.0 if smoke else 45.0
    steps: dict[str, dict[int, dict[str, Any]]] = {"floor": {}, "naive": {}, "product": {}}

    stack = await bench.stack("ingest-baselines")
    media = await bench.upload_voice_note(stack)
    for v, variant in enumerate(("floor", "naive")):
        for r, rate in enumerate(rates):
            _, info = await _step(
                bench, stack, variant, rate, duration, media, offset=100_000 * (1 + 10 * v + r)
            )
            steps[variant][rate] = info
    # The product at each rate, once per number of API processes asked for (``--api-workers``,
    # each on a stack of its own, one after the other so that they share the machine's load):
    # the first is "product" (the figures and their target), the others "product ×N".
    counts: list[int | None] = list(bench.config.api_workers) or [None]
    for r, rate in enumerate(rates):
        for w, workers in enumerate(counts):
            key = "product" if w == 0 else f"product ×{workers}"
            # No naive route: its agent's language models, loaded by every API process at
            # start-up, are not the product's.
            stack = await bench.stack(
                f"ingest-{rate}", deferred_priority=True, naive=False, api_workers=workers
            )
            media = await bench.upload_voice_note(stack)
            with _turns_deferred(stack) as niced:
                result, info = await _step(
                    bench,
                    stack,
                    "product",
                    rate,
                    duration,
                    media,
                    offset=100_000 * (30 + 10 * w + r),
                    tag=f"w{w}" if w else "",
                )
                info.update(await _turn_starts(bench, stack, result, drain_s))
            background = "background (devtools.background)" + (
                ", idle CPU cgroup (devtools.idle_cgroup)" if stack.idle_cgroup else ""
            )
            info["niced"] = {name: f"nice {TURN_NICE}" for name in niced} | {
                name: background for name in DEFERRED_PROCESSES if stack.deferred_priority
            }
            steps.setdefault(key, {})[rate] = info
    products = [key for key in steps if key.startswith("product")]

    figures: list[dict[str, Any]] = []
    for rate in rates:
        p, f, n = steps["product"][rate], steps["floor"][rate], steps["naive"][rate]
        ack = p["ack_ms"]
        target = met = None
        if rate in (200, 400):  # issue 11
            target = "p99 ≤ 50 ms and ≤ 3× floor, 0 errors"
            met = (
                ack["p99"] is not None
                and f["ack_ms"]["p99"] is not None
                and ack["p99"] <= 50
                and ack["p99"] <= 3 * f["ack_ms"]["p99"]
                and p["errors"] == 0
            )
        figures.append(
            figure(
                SUITE,
                f"ack latency @ {rate}/s",
                ack,
                baseline=f["ack_ms"],
                baseline_name="floor",
                target=target,
                met=met,
            )
        )
        for key in products[1:]:
            other = steps[key][rate]
            figures.append(
                figure(
                    SUITE,
                    f"ack latency @ {rate}/s, {other['api_workers']} API processes",
                    other["ack_ms"],
                    baseline=f["ack_ms"],
                    baseline_name="floor",
                    note=f"{other['errors']} errors; not the reported product",
                )
            )
        figures.append(
            figure(
                SUITE,
                f"ack latency @ {rate}/s vs naive",
                ack,
                baseline=n["ack_ms"],
                baseline_name="naive",
            )
        )
        figures.append(
            figure(
                SUITE,
                f"ack → message in the workflow @ {rate}/s",
                p["ack_to_workflow_ms"],
                note=f"sample of {p['sampled']}; the inbox relay's lag",
            )
        )
        figures.append(
            figure(
                SUITE,
                f"ack → turn started (worker) @ {rate}/s",
                p["ack_to_turn_started_ms"],
                note=f"sample of {p['sampled']}",
            )
        )
        d = p["drain"]
        figures.append(
            fact(
                SUITE,
                f"inbox backlog drained after the last ack @ {rate}/s",
                d["drained_after_s"] if d["drained_after_s"] is not None else "not drained",
                "s" if d["drained_after_s"] is not None else "",
                note=f"{d['backlog_at_last_ack']} waiting at the last ack; "
                f"{d['handed_over']}/{d['acked']} handed over, {d['handed_over_per_s']}/s "
                f"(floor: {f['acks_per_s']} acks/s)",
            )
        )
        for variant in (*products, "floor", "naive"):
            s = steps[variant][rate]
            figures.append(
                fact(
                    SUITE,
                    f"{variant} acks/s @ {rate}/s offered",
                    s["acks_per_s"],
                    "/s",
                    note=f"{s['acked']}/{s['requests']} acked, {s['errors']} errors"
                    + (f" {s['errors_by_kind']}" if s["errors"] else ""),
                )
            )
        figures.append(
            fact(
                SUITE,
                f"turns done (reply text sent) @ {rate}/s",
                p["turns_done_per_s"],
                "/s",
                note=f"{p['turns_done']}/{p['turns_acked']} within {p['looked_after_s']} s "
                "of the first webhook",
            )
        )
    drain_table = [
        "| rate /s | variant | acked | ack → workflow p50 / p95 / p99 ms | backlog at last ack "
        "| drained after (s) | handed over /s | ack → turn started p50 / p95 ms |",
        "| ---: | --- | ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for rate in rates:
        for variant in products:
            p = steps[variant][rate]
            w, t, d = p["ack_to_workflow_ms"], p["ack_to_turn_started_ms"], p["drain"]
            drained = d["drained_after_s"] if d["drained_after_s"] is not None else "not drained"
            drain_table.append(
                f"| {rate} | {variant} | {d['acked']} | {_p(w, 50)} / {_p(w, 95)} / {_p(w, 99)} "
                f"| {d['backlog_at_last_ack']} | {drained} | {d['handed_over_per_s']} | "
                f"{_p(t, 50)} / {_p(t, 95)} |"
            )
    table = [
        "| rate /s | variant | acks/s | errors | ack p50 / p95 / p99 ms | generator lag p99 ms "
        "| API loop lag p50 / p99 / max ms "
        "| CPU cores: api, relay, worker, temporal, postgres, fake-twilio, bench+generator | "
        "other programs on the machine | load average (1 min) before, after "
        "| CPU ms per acked webhook: api, stack total "
        "| waiting for a CPU, ms per acked webhook: api, postgres |",
        "| ---: | --- | ---: | ---: | --- | ---: | --- | --- | ---: | --- | ---: | ---: |",
    ]
    for rate in rates:
        for variant in ("floor", "naive", *products):
            s = steps[variant][rate]
            a, lag = s["ack_ms"], s["api_loop_lag_ms"]
            cpu = s["cpu"]["ours_cores"]
            table.append(
                f"| {rate} | {variant} | {s['acks_per_s']} | {s['errors']} | "
                f"{a['p50']} / {a['p95']} / {a['p99']} | {s['generator_lag_p99_ms']} | "
                f"{_p(lag, 50)} / {_p(lag, 99)} / {lag.get('max', '–')} | "
                + ", ".join(
                    str(cpu.get(k, "–"))
                    for k in (
                        "api",
                        "relay",
                        "worker",
                        "temporal",
                        "postgres",
                        "fake-twilio",
                        "bench",
                    )
                )
                + f" | {s['cpu']['foreign_cores']} | "
                + ", ".join(str(x) for x in s["load_avg_1m"])
                + f" | {s['cpu_ms_per_webhook'].get('api', '–')}, "
                f"{s['cpu_ms_per_webhook'].get('total', '–')} | "
                f"{s['cpu_wait_ms_per_webhook'].get('api', '–')}, "
                f"{s['cpu_wait_ms_per_webhook'].get('postgres', '–')} |"
            )
    return {
        "figures": figures,
        "tables": {"Ingest: every step": table, "Ingest: ack → workflow, backlog": drain_table},
        "details": {"rates": rates, "duration_s": duration, "drain_s": drain_s, "steps": steps},
    }


def _p(value: dict[str, Any], p: int) -> str:
    """A percentile for a table; censored: "> window"."""
    got = value.get(f"p{p}")
    if got is not None:
        return str(got)
    above = value.get("censored_above")
    return f"> {round(above)}" if above is not None else "–"
