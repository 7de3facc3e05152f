"""Twilio's REST conventions that every faked resource shares (API version 2010-04-01).

- Paths: ``/2010-04-01/Accounts/{AccountSid}/…``, JSON with the ``.json`` extension.
- Auth: HTTP Basic with the account SID and auth token (Twilio docs, "Twilio API requests",
  https://www.twilio.com/docs/usage/requests-to-twilio); ``deps.authenticate`` checks it.
- Errors: Twilio's error JSON ``{"code", "message", "more_info", "status"}``, e.g. 401 code
  20003; codes from https://www.twilio.com/docs/api/errors.
- SIDs: a two-letter prefix and 32 hex digits; timestamps in RFC 2822
  (``Thu, 30 Jul 2015 20:12:31 +0000``).
- Lists: pages with ``first_page_uri``, ``next_page_uri``, ``page``, ``page_size``… (Twilio docs,
  "Twilio API responses", https://www.twilio.com/docs/usage/twilios-response).

The fake's own routes (not Twilio's) live under ``FAKE_PREFIX``, a path Twilio never uses.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import JSONResponse

API_VERSION = "2010-04-01"
ACCOUNT_PREFIX = f"/{API_VERSION}/Accounts/{{account}}"  # ``account`` is a path parameter
FAKE_PREFIX = "/_fake"
ADDRESS = re.compile(r"^(whatsapp:)?\+[1-9]\d{6,14}$")  # E.164: at most 15 digits
_DEFAULT_PAGE_SIZE = 50  # Twilio's default
_MAX_PAGE_SIZE = 1000  # Twilio's maximum


class TwilioError(Exception):
    """An error answered in Twilio's JSON shape (https://www.twilio.com/docs/api/errors)."""

    def __init__(
        self, status: int, code: int, message: str, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


async def twilio_error_response(_: Request, exc: TwilioError) -> JSONResponse:
    """The exception handler for ``TwilioError``: Twilio's error JSON and status."""
    headers = dict(exc.headers)
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="Twilio API"'
    return JSONResponse(
        {
            "code": exc.code,
            "message": exc.message,
            "more_info": f"https://www.twilio.com/docs/errors/{exc.code}",
            "status": exc.status,
        },
        status_code=exc.status,
        headers=headers,
    )


def new_sid(prefix: str) -> str:
    """A Twilio-shaped SID: two-letter prefix + 32 hex digits."""
    return prefix + uuid.uuid4().hex


def rfc2822(moment: datetime) -> str:
    """Twilio's timestamp format, e.g. ``Thu, 30 Jul 2015 20:12:31 +0000``."""
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0))


def page(rows: list[dict[str, Any]], request: Request, path: str, key: str) -> dict[str, Any]:
    """One page of a Twilio list resource, with the paging fields the SDK follows.

    ``PageSize`` (default 50, at most 1000), ``Page`` and ``PageToken`` come from the query;
    the other query parameters (the filters) are kept in the page URIs. Raises ``TwilioError``
    400 code 20001 on a bad paging parameter.
    """
    query = request.query_params
    try:
        size = min(int(query.get("PageSize", _DEFAULT_PAGE_SIZE)), _MAX_PAGE_SIZE)
        number = int(query.get("Page", 0))
    except ValueError as exc:
        raise TwilioError(400, 20001, "Invalid paging parameter") from exc
    if size < 1 or number < 0:
        raise TwilioError(400, 20001, "Invalid paging parameter")
    start_index = number * size
    chunk = rows[start_index : start_index + size]
    filters = [(k, v) for k, v in query.multi_items() if k not in ("Page", "PageSize", "PageToken")]

    def page_uri(n: int) -> str:
        paging = [("PageSize", str(size)), ("Page", str(n))]
        if n > 0:
            paging.append(("PageToken", f"PA{n * size}"))
        return f"{path}?{urlencode(filters + paging)}"

    return {
        key: chunk,
        "end": start_index + max(len(chunk) - 1, 0),
        "first_page_uri": page_uri(0),
        "next_page_uri": page_uri(number + 1) if start_index + size < len(rows) else None,
        "page": number,
        "page_size": size,
        "previous_page_uri": page_uri(number - 1) if number > 0 else None,
        "start": start_index,
        "uri": page_uri(number),
    }
