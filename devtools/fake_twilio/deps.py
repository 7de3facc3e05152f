"""What the fake Twilio's routers share: the app's state and Twilio's Basic auth.

``create_fake_twilio_app`` puts one ``FakeTwilio`` on ``app.state.fake_twilio``; routes take it as
``FakeTwilioDep``. The Twilio routers depend on ``authenticate``: HTTP Basic with the account SID
and auth token, for the account in the path (Twilio docs, "Twilio API requests",
https://www.twilio.com/docs/usage/requests-to-twilio); 401 code 20003 otherwise, 404 code 20404
for another account.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from twilio.request_validator import RequestValidator

from devtools.fake_twilio.delivery import Delivery
from devtools.fake_twilio.faults import FaultInjector
from devtools.fake_twilio.store import Store
from devtools.fake_twilio.wire import TwilioError


@dataclass(frozen=True)
class FakeTwilio:
    """One fake Twilio's configuration and state.

    ``account_sid``/``auth_token``: the only credentials accepted; ``validator`` signs status
    callbacks with the token. ``public_url``: the server's base URL as clients reach it, no
    trailing slash. ``templates``: approved template bodies by content SID, or None to accept any
    ``ContentSid`` without rendering it. ``delivery``: how accepted messages are delivered
    (status callbacks, ``delivery``).
    """

    account_sid: str
    auth_token: str
    public_url: str
    templates: dict[str, str] | None
    store: Store
    faults: FaultInjector
    validator: RequestValidator
    delivery: Delivery


async def get_fake_twilio(request: Request) -> FakeTwilio:
    # async: a plain def dependency would run in the thread pool, on every request.
    fake: FakeTwilio = request.app.state.fake_twilio
    return fake


FakeTwilioDep = Annotated[FakeTwilio, Depends(get_fake_twilio)]


async def authenticate(request: Request, fake: FakeTwilioDep) -> None:
    """Basic auth with the account SID and auth token, for the account in the path."""
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    try:
        user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        user = password = ""
    if not (
        scheme.lower() == "basic"
        and secrets.compare_digest(user.encode(), fake.account_sid.encode())
        and secrets.compare_digest(password.encode(), fake.auth_token.encode())
    ):
        raise TwilioError(401, 20003, "Authenticate")
    if request.path_params.get("account") != fake.account_sid:
        raise TwilioError(404, 20404, "The requested resource was not found")
