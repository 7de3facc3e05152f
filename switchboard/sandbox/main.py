"""ASGI factory for the local Twilio sandbox: ``uvicorn --factory switchboard.sandbox.main:app``."""

from __future__ import annotations

from fastapi import FastAPI

from switchboard.logs import configure_logging
from switchboard.sandbox.app import create_sandbox_app
from switchboard.settings import get_settings


def app() -> FastAPI:
    configure_logging()
    settings = get_settings()
    return create_sandbox_app(
        account_sid=settings.twilio_account_sid,
        auth_token=settings.twilio_auth_token.get_secret_value(),
        public_url=f"http://127.0.0.1:{settings.sandbox_port}",
        journal_path=settings.data_dir / "sandbox.jsonl",
    )
