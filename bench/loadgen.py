"""Open-loop load: signed WhatsApp webhooks at a fixed arrival rate, from a separate process.

Open loop (as wrk2 or Gatling's constant arrival rate): request ``i`` is due at
``start + i / rate`` whether or not earlier ones have been answered, so a slow server cannot slow
the arrivals down and hide its own latency (coordinated omission). Latency is measured from the
due time, not from when the request actually left; the gap between the two (``lag``) is reported
so a generator that could not keep up is visible.

Every form and its ``X-Twilio-Signature`` (the twilio SDK's ``RequestValidator``, as Twilio signs)
are computed before the clock starts.

The generator shares the benchmark machine's two cores with the stack it measures, so its own CPU
per request is part of every figure: it sends with aiohttp's client, ~0.85 ms of CPU per
request against httpx's ~2.3 ms (measured side by side on the benchmark machine, 1,000 posts at
200/s to a bare ASGI app; issue 11). With httpx the generator took 0.6-0.8 of the two cores at
200-400/s, CPU the API and Postgres then waited for, for the floor and the product alike.

Times crossing the process boundary are wall-clock seconds
(``time.time()``), the clock Postgres rows and Temporal events are compared against.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp
import psutil
from twilio.request_validator import RequestValidator

# Twilio gives up on a webhook after 15 s (Twilio docs, "Webhook timeouts").
TWILIO_TIMEOUT_S = 15.0


def customer_number(index: int) -> str:
    """A valid French mobile number per index (+33 6 1x xx xx xx): up to 10 million of them."""
    return f"+336{10_000_000 + index}"


def message_sid(prefix: str, index: int) -> str:
    return f"MM{prefix}{index:0{32 - len(prefix)}d}"[:34]


@dataclass(frozen=True)
class WhatsAppWebhook:
    """What to send: a voice note (``media_url``) or text from customer ``customer_offset + i``
    (one distinct customer per request unless ``customers`` bounds the pool)."""

    api_url: str  # where the API listens
    public_url: str  # what Twilio signs (settings.public_base_url)
    path: str
    auth_token: str
    account_sid: str
    whatsapp_from: str
    media_url: str | None = None
    text: str = ""
    customer_offset: int = 0
    customers: int | None = None
    sid_prefix: str = "B"

    def request(self, i: int) -> tuple[str, bytes, dict[str, str], str, str]:
        """(url, body, headers, sid, e164) of request ``i``."""
        index = self.customer_offset + (i % self.customers if self.customers else i)
        e164 = customer_number(index)
        sid = message_sid(self.sid_prefix, i)
        form = {
            "MessageSid": sid,
            "SmsMessageSid": sid,
            "AccountSid": self.account_sid,
            "From": f"whatsapp:{e164}",
            "To": self.whatsapp_from,
            "Body": self.text,
            "NumMedia": "1" if self.media_url else "0",
            "WaId": e164.lstrip("+"),
            "ProfileName": "Bench customer",
        }
        if self.media_url:
            form["MediaUrl0"] = self.media_url
            form["MediaContentType0"] = "audio/ogg"
        signed = self.public_url.rstrip("/") + self.path
        signature = RequestValidator(self.auth_token).compute_signature(signed, form)
        headers = {
            "X-Twilio-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return self.api_url.rstrip("/") + self.path, urlencode(form).encode(), headers, sid, e164


@dataclass(frozen=True)
class OpenLoopPlan:
    webhook: WhatsAppWebhook
    rate_per_s: float
    duration_s: float
    timeout_s: float = TWILIO_TIMEOUT_S

    @property
    def count(self) -> int:
        return max(1, round(self.rate_per_s * self.duration_s))


@dataclass
class OpenLoopResult:
    """Per request, in order: due, sent and answered times (wall clock, s; answered is None on a
    transport error), HTTP status (0 on a transport error), SID and customer."""

    due: list[float] = field(default_factory=list)
    sent: list[float] = field(default_factory=list)
    done: list[float | None] = field(default_factory=list)
    status: list[int] = field(default_factory=list)
    sids: list[str] = field(default_factory=list)
    customers: list[str] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    generator_cpu_s: float = 0.0


# At most this many connections open at once (Twilio opens many; a server that falls behind sees
# them pile up), as the httpx pools before (128 × 48). A request beyond them waits for one, its
# latency still counted from its due time.
CONNECTIONS = 6144
KEEPALIVE_S = 4.0


async def _open_loop(plan: OpenLoopPlan) -> OpenLoopResult:
    prepared = [plan.webhook.request(i) for i in range(plan.count)]
    n = len(prepared)
    result = OpenLoopResult(
        due=[0.0] * n,
        sent=[0.0] * n,
        done=[None] * n,
        status=[0] * n,
        sids=[p[3] for p in prepared],
        customers=[p[4] for p in prepared],
    )
    errors: Counter[str] = Counter()
    # perf_counter, not loop.time(): uvloop's clock has a 1 ms resolution.
    clock = time.perf_counter
    wall0, mono0 = time.time(), clock()

    def wall(mono: float) -> float:
        return wall0 + (mono - mono0)

    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(
            limit=CONNECTIONS,
            limit_per_host=CONNECTIONS,
            # Below uvicorn's keep-alive (5 s): an idle connection is closed here first, never
            # reused at the moment the server closes it (a reset counted as an error).
            keepalive_timeout=KEEPALIVE_S,
        ),
        timeout=aiohttp.ClientTimeout(total=plan.timeout_s),
        auto_decompress=False,
    )
    try:

        async def one(i: int, due: float) -> None:
            url, body, headers, _, _ = prepared[i]
            result.due[i] = wall(due)
            result.sent[i] = wall(clock())
            try:
                # Twilio's 15 s is for the whole request, from its due time.
                async with (
                    asyncio.timeout(plan.timeout_s - (clock() - due)),
                    session.post(url, data=body, headers=headers) as response,
                ):
                    await response.read()
            except TimeoutError:
                errors["timeout"] += 1
                return
            except aiohttp.ClientError as exc:
                errors[type(exc).__name__] += 1
                return
            result.done[i] = wall(clock())
            result.status[i] = response.status
            if response.status >= 300:
                errors[f"http_{response.status}"] += 1

        cpu0 = psutil.Process().cpu_times()
        start = clock() + 0.2
        tasks = []
        for i in range(n):
            due = start + i / plan.rate_per_s
            delay = due - clock()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i, due)))
        await asyncio.gather(*tasks)
        cpu1 = psutil.Process().cpu_times()
    finally:
        await session.close()
    result.errors = dict(errors)
    result.generator_cpu_s = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    return result


def _run(plan: OpenLoopPlan) -> OpenLoopResult:
    try:
        import uvloop  # the generator's own efficiency; the server under test is unaffected

        return uvloop.run(_open_loop(plan))
    except ImportError:
        return asyncio.run(_open_loop(plan))


def run_open_loop(plan: OpenLoopPlan) -> OpenLoopResult:
    """Run ``plan`` in a fresh process (spawned: nothing inherited from the bench) and return
    its records."""
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_run, plan).result()


def describe(result: OpenLoopResult) -> dict[str, Any]:
    """Throughput, errors and generator health of one run (latency is summarised by the
    suite, which knows the baseline)."""
    ok = [
        i
        for i, (s, d) in enumerate(zip(result.status, result.done, strict=True))
        if d is not None and 200 <= s < 300
    ]
    first_due = min(result.due) if result.due else 0.0
    last_done = max((result.done[i] or 0.0) for i in ok) if ok else first_due
    span = max(last_done - first_due, 1e-9)
    lag_ms = sorted((s - d) * 1000 for s, d in zip(result.sent, result.due, strict=True))
    return {
        "requests": len(result.due),
        "acked": len(ok),
        "errors": sum(result.errors.values()),
        "errors_by_kind": result.errors,
        "acks_per_s": round(len(ok) / span, 1),
        "offered_span_s": round(max(result.due) - first_due, 2) if result.due else 0.0,
        "generator_lag_p99_ms": round(lag_ms[int(0.99 * (len(lag_ms) - 1))], 2) if lag_ms else None,
        "generator_cpu_s": round(result.generator_cpu_s, 2),
    }
