"""Which journeys are paused (``journey_pause``), by whom and since when: written by
``operations.manage.pause``/``resume``, read where runs start (``journey.match`` for triggers,
``operations.launch`` for audiences) so that a run starting while its journey is paused starts
paused."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.db.models import JourneyPause


async def pause(session: AsyncSession, *, journey: str, by: str) -> None:
    """Record ``journey`` paused by ``by`` (a person's name). Pausing a paused journey again
    keeps the first pause's person and time: it has been paused since then."""
    await session.exec(
        insert(JourneyPause).values(journey=journey, paused_by=by).on_conflict_do_nothing()
    )


async def resume(session: AsyncSession, *, journey: str) -> bool:
    """Forget ``journey``'s pause; False when it was not paused."""
    result = await session.exec(delete(JourneyPause).where(col(JourneyPause.journey) == journey))
    return bool(result.rowcount)


async def paused(session: AsyncSession, *, journey: str) -> JourneyPause | None:
    """``journey``'s pause (who, since when), or None when it is not paused."""
    return await session.get(JourneyPause, journey)


async def all_paused(session: AsyncSession) -> list[JourneyPause]:
    """Every paused journey's pause, by name."""
    rows = await session.exec(select(JourneyPause).order_by(col(JourneyPause.journey)))
    return list(rows.all())


async def paused_among(session: AsyncSession, journeys: Collection[str]) -> set[str]:
    """Which of ``journeys`` (names) are paused: one query for a trigger's matches."""
    if not journeys:
        return set()
    rows = await session.exec(
        select(JourneyPause.journey).where(col(JourneyPause.journey).in_(list(journeys)))
    )
    return set(rows.all())
