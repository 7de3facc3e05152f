"""The inbox relay: hands committed WhatsApp messages to the customer workflows.

The WhatsApp webhook answers Twilio as soon as the message's ``inbound_event`` row is committed;
it never waits on Temporal. Twilio does not retry a messaging webhook that answered a 5xx: by
default it retries once, and only when it could not connect (Twilio docs, "Webhooks (HTTP
callbacks): Connection Overrides", https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides:
retry count ``rc`` default 1, retry policy ``rp`` default ``ct``; ``5xx`` only when the URL
opts in), so a webhook that waited on Temporal and answered 503 during an outage lost the
message. The committed row is the message's only durable copy until this relay has handed it
over with signal-with-start (``operations.ingest.accept_message``).

How it hands over, and why it is safe with any number of relays (one in each API process,
plus any ``switchboard relay``):

- **Per customer, in order, by one relay at a time.** A relay drains a customer inside one
  transaction holding the customer's relay lock (``pg_try_advisory_xact_lock``; a relay that
  does not get it leaves the customer to the holder) and the pending rows (``FOR UPDATE``,
  oldest ``seq`` first: never ``SKIP LOCKED``, which could skip an older row and hand a newer
  one over first). Each message is signalled, then stamped ``handed_over_at``; the stamps
  commit with the transaction. A crash between the signal and the commit hands the message over
  again later: the customer workflow remembers its latest SIDs and drops the repeat.
- **A failed hand-over blocks only its customer.** The row keeps ``relay_attempts`` and
  ``relay_error``; the customer's later messages wait behind it (order), other customers go on.
  Temporal unreachable (or too slow) pauses the whole relay with a growing delay (≤ 10 s) and
  the row is retried as soon as the pause ends; any other error (a payload Temporal refuses)
  delays that customer only (``relay_after``, doubling up to 5 min).
- **Woken at once, swept as the safety net.** After its commit, the webhook wakes the relay of
  its own process directly (``committed``). An API that runs no relay of its own
  (``SWITCHBOARD_INBOX_RELAY=false``) wakes the others with ``NOTIFY switchboard_inbox,
  '<E164>'`` (``InboxNotifier``: after the commit, coalesced, in a transaction of its own that
  does not wait for a WAL flush: a NOTIFY inside the webhook's transaction would serialise
  every webhook's commit on Postgres' notify lock); every relay ``LISTEN``s on a connection of
  its own. Every ``sweep_s`` (and after every reconnection or pause) a relay drains every
  customer with a due pending message: rows left by a crash between commit and hand-over, by an
  outage, or whose wake-up was lost.

- **Acknowledgements first.** In the API process the relay shares the event loop with the
  webhooks: when the loop runs late (the process is short of CPU) a drain waits a little before
  it starts, so a burst's backlog stays in the inbox instead of competing with the acks. A
  relay in a process of its own (``switchboard relay``) does not (``yield_to_acks=False``): its
  loop's lag is its own, not the webhooks', and the operating system already defers it where
  it shares CPUs with the API (``devtools.background``, compose ``cpu_shares``).

``InboxRelay.run`` is the long-running relay (LISTEN + sweep). Without ``run`` (an API built
around a test's database and client, no lifespan), ``committed`` still drains the customer at
once in a task of its own, so in-process apps hand messages over like the real stack; nothing
re-drives a failure there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

import psycopg
from temporalio.client import Client, RPCTimeoutOrCancelledError
from temporalio.service import RPCError, RPCStatusCode

from operations.ingest import MalformedMessage, accept_message, whatsapp_message
from switchboard.db.engine import Database
from switchboard.db.inbound import (
    NOTIFY_CHANNEL,
    PendingEvent,
    claim_pending,
    due_customers,
    mark_handed_over,
    mark_relay_failed,
)
from switchboard.identity import redact

log = logging.getLogger("switchboard.relay")

# Temporal's answers that mean "not reachable now", not "this message is wrong".
UNREACHABLE = {
    RPCStatusCode.UNAVAILABLE,
    RPCStatusCode.DEADLINE_EXCEEDED,
    RPCStatusCode.CANCELLED,
    RPCStatusCode.RESOURCE_EXHAUSTED,
    RPCStatusCode.UNKNOWN,
}
PAUSE_MIN_S = 0.5
PAUSE_MAX_S = 10.0
BLOCK_MAX = timedelta(minutes=5)
# Acknowledgements first: the relay shares its process (the API's) with the webhooks, so when
# the event loop runs late by more than LAG_BUSY_S (the process is short of CPU) a drain waits,
# up to YIELD_MAX_S, before it starts: the backlog stays in the inbox, where it costs nothing,
# instead of competing with the acks (and feeding workflows faster than workers can run them).
LAG_TICK_S = 0.02
LAG_BUSY_S = 0.015
YIELD_MAX_S = 2.0


def unreachable(exc: BaseException) -> bool:
    """Whether a hand-over failed because Temporal could not be reached in time."""
    if isinstance(exc, RPCError):
        return exc.status in UNREACHABLE
    return isinstance(exc, RPCTimeoutOrCancelledError | TimeoutError | ConnectionError)


def libpq_url(db: Database) -> str:
    """The database's URL as libpq (and psycopg's LISTEN connection) takes it."""
    return db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


class InboxRelay:
    """Hands the inbox's pending WhatsApp messages to the customer workflows (module doc).

    ``temporal`` is awaited for the client before each drain (the API's lazy client: a Temporal
    that is down at start-up pauses the relay, not the API). ``concurrency`` customers are
    drained at once, each holding one database connection while it signals, so ``db`` should
    be the relay's own pool (``concurrency`` + 2 connections), not the webhooks'.

    ``yield_to_acks``: hold each drain back (up to ``YIELD_MAX_S``) while this process's event
    loop runs late, for a relay that shares its loop with the webhooks (the API's). False for a
    relay in a process of its own: there the lag is the relay's own, and on a busy machine it
    is nearly always over ``LAG_BUSY_S`` (measured on the benchmark machine, shared at the
    time: 88% of 20 ms ticks at background priority, 84% at normal), so each drain waited up
    to 2 s holding one of the ``concurrency`` slots, as few as 4 customers a second (issue 11:
    a burst's backlog handed over at 13-15/s, not drained 46 s after the last ack).
    """

    def __init__(
        self,
        db: Database,
        temporal: Callable[[], Awaitable[Client]],
        task_queue: str,
        *,
        sweep_s: float = 5.0,
        listen: bool = True,
        concurrency: int = 8,
        batch: int = 50,
        sweep_limit: int = 500,
        rpc_timeout: timedelta = timedelta(seconds=5),
        yield_to_acks: bool = True,
    ) -> None:
        self._db = db
        self._temporal = temporal
        self._task_queue = task_queue
        self._sweep_s = sweep_s
        self._listen = listen
        self._batch = batch
        self._sweep_limit = sweep_limit
        self._rpc_timeout = rpc_timeout
        self._yield_to_acks_on = yield_to_acks
        self._slots = asyncio.Semaphore(concurrency)
        self._active: dict[str, asyncio.Task[None]] = {}
        self._dirty: set[str] = set()
        self._kick = asyncio.Event()
        self._listening = False
        self._closed = False
        self._lag = 0.0  # how late the event loop runs (s), watched while ``run`` runs
        self._paused_until = 0.0
        self._pause_s = 0.0
        self.handed_over = 0
        self.failures = 0

    # -- waking -----------------------------------------------------------------------------

    def committed(self, e164: str) -> None:
        """The API committed a message for ``e164`` (called after its transaction): drain the
        customer now."""
        self.wake(e164)

    @property
    def listening(self) -> bool:
        """Whether NOTIFYs reach this relay now (its LISTEN connection is up)."""
        return self._listening

    def wake(self, e164: str) -> None:
        """Drain ``e164`` now, or again right after the drain under way (it may have read the
        pending rows before this message committed)."""
        if self._closed:
            return
        if e164 in self._active:
            self._dirty.add(e164)
            return
        self._active[e164] = asyncio.create_task(self._drain_task(e164), name=f"relay {e164}")

    # -- running ----------------------------------------------------------------------------

    async def run(self) -> None:
        """LISTEN and sweep until cancelled; then let the drains under way stop."""
        tasks = [asyncio.create_task(self._sweeper(), name="relay sweep")]
        if self._yield_to_acks_on:
            tasks.append(asyncio.create_task(self._watch_loop(), name="relay loop lag"))
        if self._listen:
            tasks.append(asyncio.create_task(self._listener(), name="relay listen"))
        try:
            await asyncio.gather(*tasks)
        finally:
            self._closed = True
            for task in [*tasks, *self._active.values()]:
                task.cancel()
            await asyncio.gather(*tasks, *self._active.values(), return_exceptions=True)

    async def sweep(self) -> int:
        """Drain every customer with a due pending message (oldest first, ``sweep_limit`` at a
        time); returns how many customers were due. Waits for their drains to end."""
        async with self._db.session() as s:
            customers = await due_customers(s, limit=self._sweep_limit)
        for e164 in customers:
            self.wake(e164)
        drains = [self._active[e] for e in customers if e in self._active]
        await asyncio.gather(*drains, return_exceptions=True)
        return len(customers)

    async def idle(self) -> None:
        """Wait until no drain is under way (tests)."""
        while self._active:
            await asyncio.gather(*self._active.values(), return_exceptions=True)

    def paused(self) -> bool:
        return time.monotonic() < self._paused_until

    async def _sweeper(self) -> None:
        while True:
            self._kick.clear()  # a kick during the sweep (a pause, a reconnection) is kept
            if not self.paused():
                try:
                    if await self.sweep() >= self._sweep_limit and not self.paused():
                        continue  # more due than one sweep takes: go on at once
                except Exception as exc:  # noqa: BLE001 - Postgres away: try again next time
                    log.warning("inbox sweep failed: %s", exc)
            wait = self._paused_until - time.monotonic() if self.paused() else self._sweep_s
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._kick.wait(), timeout=max(wait, 0.01))

    async def _watch_loop(self) -> None:
        """Measure how late the event loop wakes up: quick to rise, slow to fall."""
        loop = asyncio.get_running_loop()
        while True:
            start = loop.time()
            await asyncio.sleep(LAG_TICK_S)
            late = max(loop.time() - start - LAG_TICK_S, 0.0)
            self._lag = late if late > self._lag else 0.8 * self._lag + 0.2 * late

    async def _yield_to_acks(self) -> None:
        if not self._yield_to_acks_on:
            return
        waited = 0.0
        while self._lag > LAG_BUSY_S and waited < YIELD_MAX_S:
            await asyncio.sleep(0.05)
            waited += 0.05

    async def _listener(self) -> None:
        backoff = PAUSE_MIN_S
        url = libpq_url(self._db)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self._listening = True
                    backoff = PAUSE_MIN_S
                    self._kick.set()  # what committed while nobody listened
                    async for note in conn.notifies():
                        if not self.paused():
                            self.wake(note.payload)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - reconnect; the sweep covers the gap
                log.warning("inbox LISTEN lost (%s); reconnecting in %.1f s", exc, backoff)
            finally:
                self._listening = False
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, PAUSE_MAX_S)

    # -- draining ---------------------------------------------------------------------------

    async def _drain_task(self, e164: str) -> None:
        try:
            async with self._slots:
                while not self.paused():
                    self._dirty.discard(e164)
                    await self._yield_to_acks()
                    more = await self._drain(e164)
                    if not more and e164 not in self._dirty:
                        break
        except Exception as exc:  # noqa: BLE001 - a database error: the sweep tries again
            log.warning("inbox drain of %s failed: %s", redact(e164), exc)
        finally:
            del self._active[e164]
            if e164 in self._dirty and not self.paused():
                self._dirty.discard(e164)
                self.wake(e164)

    async def _drain(self, e164: str) -> bool:
        """Hand over the customer's pending messages, up to one batch, in one transaction
        holding the customer's relay lock; True when a full batch went (there may be more)."""
        try:
            client = await self._temporal()
        except Exception as exc:  # noqa: BLE001 - the lazy client could not connect
            self._pause(exc)
            return False
        async with self._db.engine.begin() as conn:
            events = await claim_pending(conn, e164, limit=self._batch)
            handed: list[str] = []
            stopped = False
            for event in events:
                if event.waiting:  # its last failure's delay is not over: the sweep comes back
                    stopped = True
                    break
                failure = await self._hand_over(client, event)
                if failure is not None:
                    error, retry_in = failure
                    await mark_relay_failed(conn, event.sid, error=error, retry_in=retry_in)
                    stopped = True  # its later messages must not overtake it
                    break
                handed.append(event.sid)
            await mark_handed_over(conn, handed)
        self.handed_over += len(handed)
        return not stopped and len(events) == self._batch

    async def _hand_over(
        self, client: Client, event: PendingEvent
    ) -> tuple[str, timedelta | None] | None:
        """Signal one message; None when it is handed over, else the error to keep on the row
        and how long its customer waits (None: as soon as Temporal answers again)."""
        try:
            message = whatsapp_message(event.sid, event.payload, event.received_at)
        except MalformedMessage as exc:
            # Not a form the webhook accepts (a row written by other means): nothing to hand
            # over; counted as handed over so it does not block the customer's later messages.
            log.error("inbox event %s is not a message (%s): skipped", event.sid, exc)
            return None
        try:
            await accept_message(
                client,
                event.customer_e164,
                message,
                self._task_queue,
                rpc_timeout=self._rpc_timeout,
            )
        except Exception as exc:  # noqa: BLE001 - classified below, kept on the row
            self.failures += 1
            error = f"{type(exc).__name__}: {exc}"
            if unreachable(exc):
                self._pause(exc)
                return error, None
            delay = min(timedelta(seconds=2 ** min(event.relay_attempts, 10)), BLOCK_MAX)
            log.error(
                "hand-over of %s for %s failed (attempt %d), retry in %s: %s",
                event.sid,
                redact(event.customer_e164),
                event.relay_attempts + 1,
                delay,
                error,
            )
            return error, delay
        self._pause_s = 0.0
        return None

    def _pause(self, exc: BaseException) -> None:
        """Temporal is unreachable: stop handing over for a while (growing), then sweep."""
        if self.paused():
            return  # the other drains that failed with it do not lengthen the pause
        self._pause_s = min(max(self._pause_s * 2, PAUSE_MIN_S), PAUSE_MAX_S)
        self._paused_until = time.monotonic() + self._pause_s
        log.warning("Temporal unreachable (%s): inbox relay paused %.1f s", exc, self._pause_s)
        self._kick.set()  # the sweeper re-arms for the end of the pause


class InboxNotifier:
    """Wakes the relays of other processes for an API that runs none of its own: ``NOTIFY
    switchboard_inbox, '<E164>'`` after the webhook's commit, coalesced (one transaction for
    the customers committed within ``coalesce_s``), with ``synchronous_commit = off`` (the
    notification is a hint, the message is already durable; a lost one waits for a sweep), so
    the webhooks never wait on Postgres' notify lock."""

    # 25 ms: each NOTIFY costs the API ~1 ms of CPU (a pool checkout and a round trip); at
    # 5 ms that was up to ~150 a second under load (issue 11), against a wake-up 20 ms later.
    def __init__(self, db: Database, *, coalesce_s: float = 0.025) -> None:
        self._db = db
        self._coalesce_s = coalesce_s
        self._pending: set[str] = set()
        self._ready = asyncio.Event()

    def committed(self, e164: str) -> None:
        self._pending.add(e164)
        self._ready.set()

    async def run(self) -> None:
        while True:
            await self._ready.wait()
            await asyncio.sleep(self._coalesce_s)
            self._ready.clear()
            batch, self._pending = sorted(self._pending), set()
            try:
                await self.notify(batch)
            except Exception as exc:  # noqa: BLE001 - the relays' sweep hands them over
                log.warning("inbox NOTIFY of %d customers failed: %s", len(batch), exc)

    async def notify(self, customers: list[str]) -> None:
        # One statement in autocommit, one round trip (it was BEGIN, SET LOCAL, the NOTIFY and
        # COMMIT through SQLAlchemy: ~1 ms of the API's CPU per webhook at 200/s, issue 11).
        # set_config(…, true) lasts until the end of the statement's own transaction, whose
        # commit is what it governs.
        async with self._db.autocommit() as conn:
            await conn.execute(
                "SELECT pg_notify(%(channel)s, e164) "
                "FROM set_config('synchronous_commit', 'off', true), "
                "unnest(CAST(%(customers)s AS text[])) AS e164",
                {"channel": NOTIFY_CHANNEL, "customers": customers},
            )
