"""Inputs and results of a broadcast campaign's activities (``activities/campaign.py``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from switchboard.journeys.schema import JourneyDefinition


class SendBatchInput(BaseModel):
    """One batch of a campaign: ``campaign_id`` is the campaign workflow's ID (the members'
    key in ``campaign_member``), ``trigger_key`` the marketer's campaign ID (part of each
    member's journey ID and idempotency keys), ``task_queue`` the queue members' own journey
    runs start on, ``limit`` the most members looked at."""

    campaign_id: str
    trigger_key: str
    definition: JourneyDefinition
    version: str
    task_queue: str
    limit: int = 1000


class BatchResult(BaseModel):
    """Members looked at, per outcome, and what is left: ``remaining`` still ``pending``,
    ``next_due`` when the earliest deferred (quiet hours) or waiting member is due (UTC, None:
    none), ``waiting`` how many are in the wait before the send (None: the journey has none)."""

    counts: dict[str, int] = Field(default_factory=dict)
    remaining: int = 0
    next_due: datetime | None = None
    waiting: int | None = None


class FollowUpInput(BaseModel):
    """After the send's wait (``timeout``): members sent at or before ``now - timeout`` who
    have not replied go on at ``on_timeout`` (None or an ``end`` step: they are done)."""

    campaign_id: str
    trigger_key: str
    definition: JourneyDefinition
    version: str
    task_queue: str
    timeout: timedelta
    on_timeout: str | None
    now: datetime  # workflow time (UTC)
    limit: int = 1000


class FollowUpResult(BaseModel):
    """Members whose wait ended, per outcome (``replied``, ``followed_up``, ``no_reply``), and
    when the next one's wait ends (UTC, None: nobody waits)."""

    counts: dict[str, int] = Field(default_factory=dict)
    more: bool = False  # more waits are over than ``limit``: call again now
    next_due: datetime | None = None
