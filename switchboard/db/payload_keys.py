"""The payload data keys (``switchboard.payload_codec``) in Postgres, table ``payload_key``:
one per customer (``scope`` = their E.164) plus the shared ``system`` key, each stored wrapped
(AES-256-GCM) under the master key ``SWITCHBOARD_PAYLOAD_MASTER_KEY``, which never enters the
database. Erasure deletes the customer's row in its transaction (``switchboard.db.erasure``).

Creation and erasure of one scope's key take the same transaction-scoped advisory lock
(``PAYLOAD_KEY_LOCK``; reading the key takes it shared), so a key is read or created either
before an erasure (and deleted by it) or after it commits (a new key for whoever writes from
that number next); never in between, where it would outlive the erasure. Key IDs are
random, so a deleted key is never re-created: an erased customer's old histories stay
unreadable whatever happens later.

The codec asks for a key on every payload, so keys are cached in the process and checked
against the table again after ``recheck_s`` (1 s): an erasure reaches every process within
that. Until then a process that had the key cached may still encrypt with it (a conversation
the same number starts within that second would be unreadable; erasure has terminated the
customer's workflows first, so a new message must arrive in that second). The process that
erases forgets the key at once (``forget``).

Each store also LISTENs on ``ERASED_CHANNEL``, which an erasure NOTIFYs with the scope in its
transaction (PostgreSQL delivers a notification once that commits, and "between transactions"
to a listening session: https://www.postgresql.org/docs/current/sql-notify.html). The listener
confirms its connection every ``recheck_s / 2`` with a query, at whose end any notification of
an erasure committed before it has arrived. So a key read after the listener started is trusted
without reading it again while the last confirmation started less than ``recheck_s`` ago, for
at most ``trust_s`` (a backstop): the same bound on an erasure's delay, at one query per half
second per process instead of one transaction per key per second (4.9% of the worker's CPU at
10 customers, bench suite 2, 2026-12-02, issue 14). A lost listener drops back to the
rechecks until it is back.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import logging
import os
import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, TypeVar

import psycopg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.engine import Database, libpq_url
from switchboard.db.models import PayloadKey
from switchboard.payload_codec import NONCE_BYTES, DataKey, PayloadKeyErased, new_data_key
from switchboard.settings import Settings

# pg_advisory_xact_lock(PAYLOAD_KEY_LOCK, hashtext(scope)); 1101-1103: inbox and send gate.
PAYLOAD_KEY_LOCK = 1104
CACHE_SIZE = 10_000  # keys per cache; a key is ~300 bytes with its cipher
# NOTIFY channel of erasures (payload: the scope); switchboard.db.erasure sends it.
ERASED_CHANNEL = "payload_key_erased"
LISTENER_NAME = "switchboard-payload-key-listener"  # its connection's application_name
log = logging.getLogger(__name__)

T = TypeVar("T")


def master_key(settings: Settings) -> bytes:
    """The 32-byte master key, ``SWITCHBOARD_PAYLOAD_MASTER_KEY`` (base64; checked when the
    settings load). Raises ``ValueError`` for a placeholder such as ``changeme``."""
    try:
        raw = base64.b64decode(settings.payload_master_key.get_secret_value(), validate=True)
    except binascii.Error:
        raw = b""
    if len(raw) != 32:
        raise ValueError("SWITCHBOARD_PAYLOAD_MASTER_KEY must be 32 random bytes in base64")
    return raw


async def lock_scope(session: AsyncSession, scope: str, *, shared: bool = False) -> None:
    """Serialise key creation and erasure for ``scope`` until this transaction ends; a
    ``shared`` lock (reading the key) waits for an erasure under way, not for other readers."""
    lock = func.pg_advisory_xact_lock_shared if shared else func.pg_advisory_xact_lock
    await session.exec(select(lock(PAYLOAD_KEY_LOCK, func.hashtext(scope))))


class PostgresKeyStore:
    """``KeyStore`` over the ``payload_key`` table (module docstring). The database is opened
    on first use, on a small pool of its own (``database_url``: libpq form), and, with
    ``listen``, a connection that listens for erasures (one more per process). Cached keys are
    read again after ``recheck_s`` seconds, or after ``trust_s`` while the listener is
    confirmed. Raises ``RuntimeError`` on use without a database URL, or when the master key
    does not open a stored key (the master key was changed)."""

    def __init__(
        self,
        database_url: str | None,
        master: bytes,
        *,
        recheck_s: float = 1.0,
        listen: bool = True,
        trust_s: float = 300.0,
    ) -> None:
        self._url = database_url
        self._master = AESGCM(master)
        self._recheck_s = recheck_s
        self._trust_s = trust_s
        self._db: Database | None = None
        self._opened = False
        self._listen = listen
        self._listener: asyncio.Task[None] | None = None
        # When the listener's LISTEN took effect, and when its last confirmed query started
        # (time.monotonic()); None while it is not listening.
        self._listening_since: float | None = None
        self._confirmed_at = 0.0
        self._current: OrderedDict[str, tuple[DataKey, float]] = OrderedDict()
        self._by_id: OrderedDict[str, tuple[DataKey, float]] = OrderedDict()

    @classmethod
    def from_settings(
        cls, settings: Settings, *, database_url: str | None = None
    ) -> PostgresKeyStore:
        """The store for ``settings`` (``database_url`` overrides theirs)."""
        return cls(
            database_url or settings.database_url,
            master_key(settings),
            recheck_s=settings.payload_key_recheck_s,
        )

    def _database(self) -> Database:
        if self._db is None:
            if self._url is None:
                raise RuntimeError("payload keys: no database URL (set DATABASE_URL)")
            # The rechecks' reads on a pool of kept-open connections of their own, with no
            # ping per checkout (a dead one is retried once: ``Database.idempotent``): a read
            # through SQLAlchemy's pool cost a ping and a checkout each (issue 14).
            self._db = Database(self._url, pool_size=2, statement_pool_size=2)
        return self._db

    async def _statement_pool(self) -> Database:
        """The database with its statement pool opened (once), and the erasure listener
        started (once)."""
        db = self._database()
        if not self._opened:
            await db.open()
            self._opened = True
        if self._listen and self._listener is None:
            self._listener = asyncio.get_running_loop().create_task(self._listen_for_erasures())
        return db

    async def _listen_for_erasures(self) -> None:
        """LISTEN on ``ERASED_CHANNEL`` and forget each erased scope's keys; confirm the
        connection every ``recheck_s / 2``; reconnect after a failure (module docstring)."""
        assert self._url is not None
        every = self._recheck_s / 2
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    libpq_url(self._url), autocommit=True, application_name=LISTENER_NAME
                ) as conn:
                    conn.add_notify_handler(lambda n: self.forget(n.payload))
                    await conn.execute(f"LISTEN {ERASED_CHANNEL}")
                    # After LISTEN returned: a read that starts later sees a key only if an
                    # erasure of it, if any, commits later still, and so is notified here.
                    self._listening_since = self._confirmed_at = time.monotonic()
                    while True:
                        await asyncio.sleep(every)
                        started = time.monotonic()
                        # Delivers what was notified before; a connection that stopped
                        # answering is dropped and opened again.
                        async with asyncio.timeout(max(4 * every, 2.0)):
                            await conn.execute("SELECT 1")
                        self._confirmed_at = started
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # any failure: back to the rechecks, then try again
                log.warning("payload keys: erasure listener lost (%s); rechecking keys", exc)
            finally:
                self._listening_since = None
            await asyncio.sleep(max(every, 1.0))

    async def _read(self, statement: Any, params: tuple[Any, ...], *, lock: str) -> Any:
        """The first row of ``statement`` (None when none), in a transaction that first runs
        ``lock`` (a statement taking a scope's shared lock) with the same ``params``, on the
        statement pool."""
        db = await self._statement_pool()

        async def read(conn: psycopg.AsyncConnection[Any]) -> Any:
            async with conn.transaction():
                # Not a key an erasure is deleting right now: wait for it, then find none.
                # The lock is its own statement, so the read's snapshot is taken once it is
                # held.
                await conn.execute(lock, (PAYLOAD_KEY_LOCK, *params))
                cursor = await conn.execute(statement, params)
                return await cursor.fetchone()

        return await db.idempotent(read)

    async def current(self, scope: str) -> DataKey:
        cached = self._fresh(self._current, scope)
        if cached is not None:
            return cached
        asked = time.monotonic()
        # Nearly every call that gets here is the once-a-second recheck of a key that exists:
        # read on psycopg's own connection (two statements, ~2 ms of this process's CPU against
        # ~5.6 through the ORM session, measured on the benchmark machine, issue 14); only a
        # scope without a key goes on to the session that creates one.
        found = await self._read(_SELECT_CURRENT, (scope,), lock=_LOCK_SHARED)
        if found is not None:
            return self._remember(PayloadKey(id=found[0], scope=found[1], wrapped=found[2]), asked)
        async with self._database().session() as s:
            # Not a key an erasure is deleting right now: wait for it, then find none.
            await lock_scope(s, scope, shared=True)
            row = await _current_row(s, scope)
            if row is None:
                # Under the shared lock only: two creators upgrading to the exclusive lock
                # would deadlock each other. The unique scope settles who creates it; the
                # other reads the winner's row (its INSERT waits for the winner's commit).
                new = self._new_row(scope)
                await s.exec(
                    insert(PayloadKey)
                    .values(id=new.id, scope=new.scope, wrapped=new.wrapped)
                    .on_conflict_do_nothing(index_elements=["scope"])
                )
                row = await _current_row(s, scope)
                assert row is not None
        return self._remember(row, asked)

    async def prepare(self, scopes: Sequence[str]) -> None:
        """Read, or create, the current keys of ``scopes`` in one transaction and cache them,
        as ``current`` would one at a time: for a launch, whose every workflow start encrypts
        under its member's key, so a batch of members costs one transaction, not one each (a
        locked read, or an ORM session with three statements for a new key, on a pool of two
        connections, which timed out under load: bench suite 3, 2026-12-01). Cached like
        ``current``'s keys, so read again after ``recheck_s``. Each scope's shared lock is taken
        first, in sorted order (creators never wait on each other's shared locks, and an
        erasure holds one scope's exclusive lock only); rows are inserted in that order too, so
        two concurrent calls wait on each other's unique-scope inserts in one order only."""
        wanted = sorted({s for s in scopes if self._fresh(self._current, s) is None})
        if not wanted:
            return
        created = [self._new_row(scope) for scope in wanted]
        db = await self._statement_pool()
        asked = time.monotonic()

        async def create(conn: psycopg.AsyncConnection[Any]) -> list[Any]:
            async with conn.transaction():
                # unnest keeps the array's (sorted) order; the locks are taken row by row.
                await conn.execute(_LOCK_SHARED_MANY, (PAYLOAD_KEY_LOCK, wanted))
                await conn.execute(
                    _INSERT_MANY,
                    ([r.id for r in created], wanted, [r.wrapped for r in created]),
                )
                cursor = await conn.execute(_SELECT_MANY, (wanted,))
                return await cursor.fetchall()

        # Safe to run twice after a dropped connection: the second finds the first's rows.
        for found in await db.idempotent(create):
            self._remember(PayloadKey(id=found[0], scope=found[1], wrapped=found[2]), asked)

    async def by_id(self, key_id: str) -> DataKey:
        cached = self._fresh(self._by_id, key_id)
        if cached is not None:
            return cached
        asked = time.monotonic()
        # Under its scope's shared lock, as ``current`` reads: a scope has one key, so the key
        # found is also the scope's current one, cached as such. A worker that decodes a new
        # journey run's input then encodes its first local activity's input under the same
        # customer's key: one transaction where there were two (the worker's py-spy samples in
        # this store 5.2% -> 4.5% of its CPU, bench suite 3 on a loaded machine, issue 14).
        found = await self._read(_SELECT_BY_ID, (key_id,), lock=_LOCK_SHARED_BY_ID)
        if found is None:
            self._by_id.pop(key_id, None)
            raise PayloadKeyErased(key_id)
        return self._remember(PayloadKey(id=found[0], scope=found[1], wrapped=found[2]), asked)

    def _remember(self, row: PayloadKey, asked: float) -> DataKey:
        """Cache ``row``, read under its scope's lock by a read that started at ``asked``
        (``time.monotonic()``), as checked then: its scope's current key and by its ID. (The
        start, not the end: the listener's trust needs the read to have begun once LISTEN had
        taken effect.)"""
        key = self._key(row)
        _put(self._current, key.scope, (key, asked))
        _put(self._by_id, key.id, (key, asked))
        return key

    @property
    def listening(self) -> bool:
        """Whether erasures reach this store by notification now (module docstring)."""
        return (
            self._listening_since is not None
            and time.monotonic() - self._confirmed_at < self._recheck_s
        )

    def forget(self, scope: str) -> None:
        self._current.pop(scope, None)
        for key_id in [k for k, (key, _) in self._by_id.items() if key.scope == scope]:
            del self._by_id[key_id]

    def forget_all(self) -> None:
        """Empty the caches (tests that empty the table)."""
        self._current.clear()
        self._by_id.clear()

    async def aclose(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        if self._db is not None:
            await self._db.dispose()
            self._db = None
            self._opened = False

    def _fresh(self, cache: OrderedDict[str, tuple[DataKey, float]], name: str) -> DataKey | None:
        hit = cache.get(name)
        if hit is None:
            return None
        age = time.monotonic() - hit[1]
        if age >= self._recheck_s:
            # Trusted while the listener would have forgotten it (module docstring): read after
            # LISTEN took effect, and the listener confirmed within the recheck interval.
            since = self._listening_since
            if not self.listening or since is None or hit[1] < since or age >= self._trust_s:
                return None
        cache.move_to_end(name)
        return hit[0]

    def _new_row(self, scope: str) -> PayloadKey:
        key_id, material = new_data_key()
        nonce = os.urandom(NONCE_BYTES)
        wrapped = nonce + self._master.encrypt(nonce, material, _wrap_aad(key_id, scope))
        return PayloadKey(id=key_id, scope=scope, wrapped=wrapped)

    def _key(self, row: PayloadKey) -> DataKey:
        known = self._by_id.get(row.id)
        if known is not None:  # unwrapping costs a cipher; the row cannot change
            return known[0]
        try:
            material = self._master.decrypt(
                row.wrapped[:NONCE_BYTES], row.wrapped[NONCE_BYTES:], _wrap_aad(row.id, row.scope)
            )
        except InvalidTag as exc:
            raise RuntimeError(
                f"payload key {row.id}: the master key does not open it "
                "(SWITCHBOARD_PAYLOAD_MASTER_KEY changed?)"
            ) from exc
        return DataKey(row.id, row.scope, AESGCM(material))


def _wrap_aad(key_id: str, scope: str) -> bytes:
    # Binds the wrapped key to its ID and scope: a row moved to another customer does not open.
    return f"{key_id}/{scope}".encode()


# The statements of the reads on psycopg's connection; the lock is ``lock_scope``'s (shared).
_LOCK_SHARED = "SELECT pg_advisory_xact_lock_shared(%s, hashtext(%s))"
_SELECT_CURRENT = "SELECT id, scope, wrapped FROM payload_key WHERE scope = %s"
_SELECT_BY_ID = "SELECT id, scope, wrapped FROM payload_key WHERE id = %s"
# The shared lock of the scope whose key is ``id`` (none taken when there is no such key).
_LOCK_SHARED_BY_ID = (
    "SELECT pg_advisory_xact_lock_shared(%s, hashtext(scope)) FROM payload_key WHERE id = %s"
)
_LOCK_SHARED_MANY = (
    "SELECT pg_advisory_xact_lock_shared(%s, hashtext(scope)) FROM unnest(%s::text[]) AS scope"
)
_INSERT_MANY = (
    "INSERT INTO payload_key (id, scope, wrapped)"
    " SELECT * FROM unnest(%s::text[], %s::text[], %s::bytea[])"
    " ON CONFLICT (scope) DO NOTHING"
)
_SELECT_MANY = "SELECT id, scope, wrapped FROM payload_key WHERE scope = ANY(%s)"


async def _current_row(session: AsyncSession, scope: str) -> PayloadKey | None:
    return (await session.exec(select(PayloadKey).where(PayloadKey.scope == scope))).first()


def _put(cache: OrderedDict[str, T], name: str, value: T) -> None:
    cache[name] = value
    cache.move_to_end(name)
    while len(cache) > CACHE_SIZE:
        cache.popitem(last=False)
