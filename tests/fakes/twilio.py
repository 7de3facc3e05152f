"""The fake Twilio (``devtools.fake_twilio``, the app ``switchboard up`` runs) on a loopback
port, for tests that need one of their own (faults and delivery settings are per app)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from devtools.fake_twilio import create_fake_twilio_app
from switchboard.message_templates import load_templates
from tests.fakes.server import free_port, serve


def approved_templates() -> dict[str, str]:
    """The approved template bodies by content SID, which the fake renders as Twilio does (the
    outbox's reconciliation matches on the rendered text)."""
    return {t.content_sid: t.body for t in load_templates().values()}


@contextmanager
def running_fake_twilio(*, account_sid: str, auth_token: str, **options: Any) -> Iterator[str]:
    """Serve a fake Twilio until the block exits; yields its base URL, which is also its public
    URL (media links, CDN redirects). ``options``: ``create_fake_twilio_app``'s others
    (``templates``, ``faults``, ``delivery``, ``journal_path``). Its shutdown runs, so the
    status callbacks' HTTP client is closed with it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_fake_twilio_app(
        account_sid=account_sid, auth_token=auth_token, public_url=url, **options
    )
    with serve(app, port=port, lifespan="on"):
        yield url
