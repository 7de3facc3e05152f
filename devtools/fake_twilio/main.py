"""ASGI factory for the fake Twilio: ``uvicorn --factory devtools.fake_twilio.main:app``.

The fake renders the approved templates of ``journeys/templates.yaml`` as Twilio renders
them. ``SWITCHBOARD_SANDBOX_FAULTS`` (process environment only, not ``.env``), if set, is the
failure injection to start with, as the JSON ``POST /_fake/faults`` takes (see
``devtools.fake_twilio.faults``), e.g. ``{"seed": 7, "messages_create": {"error_500": 0.1}}``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from fastapi import FastAPI

from devtools.fake_twilio.app import create_fake_twilio_app
from devtools.fake_twilio.faults import FaultConfig
from switchboard.logs import configure_logging
from switchboard.message_templates import load_templates
from switchboard.settings import get_settings

FAULTS_ENV = "SWITCHBOARD_SANDBOX_FAULTS"


def faults_from_env(environ: Mapping[str, str] | None = None) -> FaultConfig | None:
    """The ``SWITCHBOARD_SANDBOX_FAULTS`` configuration, or None when unset or blank.

    Raises ``pydantic.ValidationError`` on malformed JSON or an invalid configuration: a chaos
    run must not silently start without its faults.
    """
    raw = (os.environ if environ is None else environ).get(FAULTS_ENV, "").strip()
    return FaultConfig.model_validate_json(raw) if raw else None


def app() -> FastAPI:
    configure_logging()
    settings = get_settings()
    return create_fake_twilio_app(
        account_sid=settings.twilio_account_sid,
        auth_token=settings.twilio_auth_token.get_secret_value(),
        public_url=f"http://127.0.0.1:{settings.fake_twilio_port}",
        journal_path=settings.data_dir / "sandbox.jsonl",
        templates={t.content_sid: t.body for t in load_templates().values()},
        faults=faults_from_env(),
    )
