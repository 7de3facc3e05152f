"""What every suite shares: the configuration, the stacks, a Temporal client and DB helpers."""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from temporalio.client import Client

from bench.fakes import LatencyProfile, voice_note
from bench.loadgen import WhatsAppWebhook, customer_number
from bench.stack import DATA_ROOT, BenchStack, Ports, bench_settings
from devtools.simulate import TwilioSimulator
from switchboard.db.payload_keys import PostgresKeyStore
from switchboard.temporal import connect

WARM_UP_OFFSET = 9_000_000  # customers used only to warm a fresh stack up


@dataclass
class Config:
    smoke: bool = False
    latency: LatencyProfile = field(default_factory=LatencyProfile)
    ports: Ports = field(default_factory=Ports)
    campaign_rate_per_s: float = 50.0
    data_root: Path = DATA_ROOT
    temporal_in_memory: bool = False
    scale: float = 1.0  # multiplies the audience sizes of suites 3 and 4 (full runs)
    ingest_rates: tuple[int, ...] = (50, 100, 200, 400)  # webhooks/s, suite 1 (full runs)
    call_modes: tuple[str, ...] = ()  # suite 5's modes to run (bench.suites.calls.MODES); (): all
    # Suite 1's product steps, once per value: API processes (``settings.api_workers``); ():
    # the settings' own, once.
    api_workers: tuple[int, ...] = ()

    def size(self, full: int, smoke: int) -> int:
        return smoke if self.smoke else max(1, round(full * self.scale))

    def describe(self) -> dict[str, Any]:
        return {
            "mode": "smoke" if self.smoke else "full",
            "latency_ms": {
                name: {"median": lat.median_ms, "sigma": lat.sigma}
                for name, lat in vars(self.latency).items()
            },
            "latency_distribution": "log-normal: median × exp(N(0, sigma))",
            "ports": vars(self.ports),
            "outreach_sends_per_s": self.campaign_rate_per_s,
            "scale": self.scale,
            "ingest_rates_per_s": list(self.ingest_rates),
            "call_modes": list(self.call_modes) or "all",
            "api_workers": list(self.api_workers) or "settings",
            "data_root": str(self.data_root),
            "temporal_persistence": "in-memory" if self.temporal_in_memory else "SQLite file",
        }


class Bench:
    """Hands out running stacks. Full runs start a fresh stack (fresh data directory) whenever
    a suite asks; smoke runs share one stack to stay short."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._stack: BenchStack | None = None
        self._client: Client | None = None
        self.stack_start_s: list[float] = []

    async def stack(
        self,
        name: str,
        *,
        deferred_priority: bool = False,
        naive: bool = True,
        api_workers: int | None = None,
    ) -> BenchStack:
        """A fresh stack (smoke runs: the one already up, with every route); ``deferred_priority``
        as ``devtools.stack.Stack``'s (``switchboard up``'s); ``naive``: the API serves the
        naive baseline (``bench.api``: its agent's language models cost ~200 MiB);
        ``api_workers``: API processes (None: the settings')."""
        if self._stack is not None and self.config.smoke:
            return self._stack
        await self.close()
        settings = bench_settings(
            self.config.data_root / ("smoke" if self.config.smoke else name),
            self.config.ports,
            outreach_sends_per_s=self.config.campaign_rate_per_s,
        )
        if api_workers is not None:
            settings = settings.model_copy(update={"api_workers": api_workers})
        stack = BenchStack(
            settings,
            self.config.latency,
            temporal_in_memory=self.config.temporal_in_memory,
            deferred_priority=deferred_priority,
            naive=naive or self.config.smoke,  # smoke runs share one stack
        )
        began = time.monotonic()
        try:
            await asyncio.to_thread(stack.start)
        except BaseException:
            stack.stop()
            raise
        self._stack = stack
        self.stack_start_s.append(round(time.monotonic() - began, 1))
        await self.warm_up(stack)
        return stack

    @staticmethod
    def log(message: str) -> None:
        """Progress on stderr (stdout is the report)."""
        print(f"[bench] {message}", file=sys.stderr, flush=True)

    async def client(self) -> Client:
        assert self._stack is not None
        if self._client is None:
            s = self._stack.settings
            keys = PostgresKeyStore.from_settings(s, database_url=self._stack.database_url)
            self._client = await connect(s.temporal_address, s.temporal_namespace, keys=keys)
        return self._client

    async def close(self) -> None:
        self._client = None
        if self._stack is not None:
            stack, self._stack = self._stack, None
            await asyncio.to_thread(stack.stop)

    # -- helpers -----------------------------------------------------------------------------

    async def upload_voice_note(self, stack: BenchStack) -> str:
        """Host the bench's voice note on the fake Twilio (as Twilio hosts media); its URL."""
        sim = TwilioSimulator(stack.settings)
        try:
            return await sim.upload(voice_note(), "audio/ogg")
        finally:
            await sim.aclose()

    def webhook(
        self, stack: BenchStack, path: str, *, media_url: str | None, offset: int, prefix: str
    ) -> WhatsAppWebhook:
        s = stack.settings
        return WhatsAppWebhook(
            api_url=s.api_url,
            public_url=s.public_base_url,
            path=path,
            auth_token=s.twilio_auth_token.get_secret_value(),
            account_sid=s.twilio_account_sid,
            whatsapp_from=s.twilio_whatsapp_from,
            media_url=media_url,
            customer_offset=offset,
            sid_prefix=prefix,
        )

    async def warm_up(self, stack: BenchStack, *, customers: int = 3) -> None:
        """One voice-note turn per customer, in parallel, plus floor requests, so the first
        measured request does not pay for imports, connection pools and first connects."""
        import httpx

        media = await self.upload_voice_note(stack)
        product = self.webhook(
            stack, "/twilio/whatsapp", media_url=media, offset=WARM_UP_OFFSET, prefix="W"
        )
        floor = self.webhook(
            stack,
            "/bench/floor/twilio/whatsapp",
            media_url=media,
            offset=WARM_UP_OFFSET,
            prefix="WF",
        )

        async def one(http: httpx.AsyncClient, i: int) -> str:
            for hook in (floor, product):
                url, body, headers, sid, _ = hook.request(i)
                (await http.post(url, content=body, headers=headers)).raise_for_status()
            return sid

        async with httpx.AsyncClient(timeout=30) as http:
            sids = await asyncio.gather(*(one(http, i) for i in range(customers)))
        await wait_for_keys(stack, [f"reply-audio/{sid}" for sid in sids], timeout_s=60)


def db_url(stack: BenchStack) -> str:
    return stack.database_url


async def sent_times(conn: psycopg.AsyncConnection[Any], keys: list[str]) -> dict[str, float]:
    """Outbox ``sent_at`` (wall-clock s) of the keys already sent."""
    if not keys:
        return {}
    rows = await (
        await conn.execute(
            "SELECT key, extract(epoch FROM sent_at) FROM outbox "
            "WHERE key = ANY(%s) AND sent_at IS NOT NULL",
            (keys,),
        )
    ).fetchall()
    return {k: float(t) for k, t in rows}


async def media_times(conn: psycopg.AsyncConnection[Any], ids: list[str]) -> dict[str, float]:
    """``media_blob.created_at`` (wall-clock s) of the blobs stored so far."""
    if not ids:
        return {}
    rows = await (
        await conn.execute(
            "SELECT id, extract(epoch FROM created_at) FROM media_blob WHERE id = ANY(%s)", (ids,)
        )
    ).fetchall()
    return {k: float(t) for k, t in rows}


async def wait_for_keys(stack: BenchStack, keys: list[str], *, timeout_s: float) -> bool:
    """Wait until every outbox key is sent; False on timeout."""
    deadline = time.monotonic() + timeout_s
    async with await psycopg.AsyncConnection.connect(stack.database_url, autocommit=True) as conn:
        while True:
            if len(await sent_times(conn, keys)) == len(keys):
                return True
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.25)


__all__ = ["Bench", "Config", "customer_number"]
