"""FastAPI dependencies: settings, database, Temporal client, signed Twilio forms, API key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status
from temporalio.client import Client
from twilio.request_validator import RequestValidator

from switchboard.db.engine import Database
from switchboard.settings import Settings


class TemporalUnavailable(Exception):
    """Temporal could not be reached (raised by the apps' lazily connecting client)."""


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def get_temporal(request: Request) -> Client:
    client: Client = await request.app.state.temporal()
    return client


def get_task_queue(request: Request) -> str:
    queue: str = request.app.state.task_queue
    return queue


def get_temporal_later(request: Request) -> Callable[[], Awaitable[Client]]:
    """The client, connected when first awaited: webhooks record the event *before* asking
    Temporal, so a Temporal outage never loses an accepted message."""
    getter: Callable[[], Awaitable[Client]] = request.app.state.temporal
    return getter


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
TaskQueueDep = Annotated[str, Depends(get_task_queue)]
DbDep = Annotated[Database, Depends(get_db)]
TemporalDep = Annotated[Client, Depends(get_temporal)]
TemporalLaterDep = Annotated[Callable[[], Awaitable[Client]], Depends(get_temporal_later)]


async def signed_twilio_form(
    request: Request,
    settings: SettingsDep,
    x_twilio_signature: Annotated[str | None, Header()] = None,
) -> dict[str, str]:
    """The webhook's form fields, after checking ``X-Twilio-Signature``.

    The signature covers the exact public URL Twilio called plus the sorted POST parameters
    (Twilio docs, "Webhooks security"), so the URL is rebuilt from ``public_base_url``: behind a
    proxy, the Host and scheme this process sees are not the ones Twilio signed.

    Raises HTTP 403 on a missing or wrong signature, before anything is read or recorded.
    """
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    url = settings.public_base_url.rstrip("/") + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    validator = RequestValidator(settings.twilio_auth_token.get_secret_value())
    if not x_twilio_signature or not validator.validate(url, form, x_twilio_signature):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "invalid or missing X-Twilio-Signature")
    return form


TwilioFormDep = Annotated[dict[str, str], Depends(signed_twilio_form)]


def require_api_key(
    settings: SettingsDep, x_api_key: Annotated[str | None, Header()] = None
) -> None:
    """Raises HTTP 401 unless ``X-API-Key`` matches the configured key."""
    if x_api_key != settings.api_key.get_secret_value():
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing or wrong X-API-Key")


ApiKeyDep = Depends(require_api_key)
