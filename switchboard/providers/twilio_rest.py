"""Telephony over Twilio's REST API (2010-04-01), through the official ``twilio`` SDK (9.x).

The SDK is synchronous (``requests``); every call runs in a worker thread of the adapter's own
pool (``THREADS``) so the event loop (a Temporal activity worker, the API) never blocks on Twilio.

The SDK's transport is replaced by ``_TwilioTransport``, a small ``TwilioHttpClient`` subclass that

- rewrites ``https://*.twilio.com`` to ``api_base_url`` when one is given, so the same adapter
  runs against the local sandbox (``devtools.fake_twilio``), which speaks Twilio's wire format;
- turns every HTTP error into a ``ProviderError`` while the raw response is still at hand. The SDK
  cannot: ``TwilioRestException`` drops the response headers (so ``Retry-After`` is lost), and a
  failed *list* request raises a bare ``TwilioException("Unable to fetch page")`` with neither
  status nor Twilio error code;
- never retries. Checked in twilio 9.13: ``TwilioHttpClient`` only passes ``max_retries`` to
  ``requests``' ``HTTPAdapter`` when given one, and ``HTTPAdapter`` defaults to 0 retries
  (``requests.adapters.DEFAULT_RETRIES``); 0 is passed explicitly anyway, and the tests count
  one request per call. Temporal's retry policy owns retries (DESIGN, "Side effects exactly
  once");
- logs method and path only. The SDK logs query parameters at INFO, and a Messages list query
  carries the customer's full phone number (``To=whatsapp:+…``).

Errors (see ``switchboard.providers.base``):

- 401/403 (Twilio code 20003) → ``ProviderAuthError``.
- 429 and 5xx, connection errors, timeouts → ``ProviderUnavailable`` (``retry_after_s`` from
  ``Retry-After``, seconds or HTTP date). A timeout on a send does not prove that nothing was
  sent: reconcile with ``list_messages`` before sending again.
- Other 4xx → ``ProviderRejected`` with ``code`` = Twilio's error code as a string, e.g. ``21211``
  (invalid ``To``), ``63016`` (outside the WhatsApp 24-hour window). Sources:
  https://www.twilio.com/docs/api/errors.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import json
import logging
import re
import ssl
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx
import requests
from twilio.base import values
from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from switchboard.providers.base import (
    Media,
    MessageRecord,
    ProviderAuthError,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
    SentMessage,
    retry_after_s,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")

_PHONE = re.compile(r"\+\d{5,}")


def _redact(text: str) -> str:
    """Mask phone numbers in vendor messages (``+14155550123`` → ``+***0123``): error messages
    end up in logs and in Temporal's history."""
    return _PHONE.sub(lambda m: "+***" + m.group()[-4:], text)


def _is_twilio_host(host: str | None) -> bool:
    return host is not None and (host == "twilio.com" or host.endswith(".twilio.com"))


def _error_for_status(
    status: int, message: str, *, code: str | None, retry_after_s: float | None = None
) -> ProviderError:
    """Map an HTTP status onto the adapter error family (module docstring)."""
    message = _redact(message)
    if status in (401, 403):
        return ProviderAuthError(message, code=code)
    if status == 429 or status >= 500:
        return ProviderUnavailable(message, code=code, retry_after_s=retry_after_s)
    return ProviderRejected(message, code=code)


def _twilio_error(status: int, text: str, retry_after: str | None) -> ProviderError:
    """Build the error for a Twilio error response.

    Twilio's body is ``{"code": 21211, "message": …, "more_info": …, "status": 400}``; newer
    services answer RFC 9457 problem details (``title``/``detail``/``code``). Without a Twilio code
    the HTTP status stands in, as the SDK itself does.
    """
    code: object = None
    message = ""
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict):
        code = body.get("code")
        message = str(body.get("message") or body.get("detail") or body.get("title") or "")
    return _error_for_status(
        status,
        f"Twilio HTTP {status}: {message or 'no message'}",
        code=str(code if code is not None else status),
        retry_after_s=retry_after_s(retry_after),
    )


# Requests to Twilio in flight at once per process: the SDK session's connection pool
# (``requests``' default ``pool_maxsize``, 10). The threads only wait on the network. The event
# loop's default pool (``asyncio.to_thread``) has cpu_count + 4 threads, 6 on a 2-core machine:
# at most 6 / 0.15 s = 40 messages/s against the bench's 150 ms send, under a 50/s campaign.
THREADS = 10


@functools.cache
def _threads() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="twilio")


class _TwilioTransport(TwilioHttpClient):
    """The SDK's HTTP client, pointed at ``api_base_url`` and raising ``ProviderError``s."""

    def __init__(self, *, api_base_url: str | None, timeout_s: float) -> None:
        super().__init__(timeout=timeout_s, max_retries=0)
        self._base = urlsplit(api_base_url.rstrip("/")) if api_base_url else None

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        parts = urlsplit(url)
        if self._base is not None and _is_twilio_host(parts.hostname):
            # Messages and Calls live on api.twilio.com; an edge/region setting (TWILIO_EDGE,
            # TWILIO_REGION in the environment) turns that into api.<edge>.<region>.twilio.com.
            base = self._base
            url = urlunsplit(
                parts._replace(scheme=base.scheme, netloc=base.netloc, path=base.path + parts.path)
            )
        response = super().request(
            method, url, params, data, headers, auth, timeout, allow_redirects
        )
        if response.status_code >= 400:
            raise _twilio_error(
                response.status_code, response.text, response.headers.get("Retry-After")
            )
        return response

    def log_request(self, kwargs: dict[str, Any]) -> None:
        logger.debug("twilio request %s %s", kwargs["method"], urlsplit(kwargs["url"]).path)


class TwilioTelephony:
    """``Telephony`` (``switchboard.providers.base``) backed by Twilio's REST API.

    ``account_sid``/``auth_token``: Basic-auth credentials, also used for media downloads.
    ``whatsapp_from``: the WhatsApp sender, ``whatsapp:+E164``. ``voice_from``: the caller ID for
    outbound calls, ``+E164``. ``api_base_url``: None for the real ``https://api.twilio.com``,
    otherwise e.g. the local sandbox ``http://127.0.0.1:8099``. ``timeout_s``: per HTTP request
    (connect and read), in seconds.
    """

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        *,
        whatsapp_from: str,
        voice_from: str,
        api_base_url: str | None = None,
        timeout_s: float = 10,
    ) -> None:
        self._account_sid = account_sid
        self._auth_token = auth_token
        self._whatsapp_from = _whatsapp_address(whatsapp_from)
        self._voice_from = voice_from
        self._timeout_s = timeout_s
        self._api_origin = _origin(api_base_url) if api_base_url else None
        # One TLS context for every media download: building one (loading the CA bundle) per
        # request was 14% of the worker's CPU in bench suite 2.
        self._tls: ssl.SSLContext = httpx.create_ssl_context()
        # One media client per event loop (a client's connections belong to the loop that
        # opened them), kept: a client and a new connection per download were 7% of the
        # worker's CPU per voice-note turn in bench suite 2 (py-spy, issue 14).
        self._media_clients: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, httpx.AsyncClient
        ] = weakref.WeakKeyDictionary()
        self._client = Client(
            account_sid,
            auth_token,
            http_client=_TwilioTransport(api_base_url=api_base_url, timeout_s=timeout_s),
        )

    async def _run(self, call: Callable[[], T]) -> T:
        """Run one blocking SDK call in a worker thread and translate what it raises."""
        in_context = functools.partial(contextvars.copy_context().run, call)
        try:
            return await asyncio.get_running_loop().run_in_executor(_threads(), in_context)
        except ProviderError:
            raise
        except (requests.ConnectionError, requests.Timeout) as exc:
            # ConnectTimeout is both; ReadTimeout means Twilio may have acted on the request.
            raise ProviderUnavailable(f"Twilio unreachable: {type(exc).__name__}") from exc
        except requests.exceptions.ChunkedEncodingError as exc:
            raise ProviderUnavailable("Twilio response cut off") from exc
        except TwilioException as exc:
            # Only reached on a 2xx the SDK cannot parse (HTTP errors are raised by the transport).
            raise ProviderUnavailable(f"unexpected Twilio response: {type(exc).__name__}") from exc

    async def send_whatsapp(
        self,
        *,
        to: str,
        body: str | None = None,
        content_sid: str | None = None,
        content_variables: dict[str, str] | None = None,
        status_callback: str | None = None,
        media_url: str | None = None,
    ) -> SentMessage:
        """``POST /2010-04-01/Accounts/{AC}/Messages.json`` (Twilio docs, "Message resource").

        Free text needs ``body``; a template needs ``content_sid`` (``HX…``) and optionally
        ``content_variables`` such as ``{"1": "Felix"}``, sent as a JSON-encoded string as the
        Content API requires ("Send templates created with the Content Template Builder").
        ``media_url`` attaches a public media URL (e.g. an OGG/Opus voice note) to a free-text
        message, whose ``body`` may then be empty.
        ``to`` may be ``+E164``; the ``whatsapp:`` prefix is added. Returns the Message SID and
        Twilio's initial status (``queued``/``accepted``). Raises ``ProviderRejected`` with code
        ``invalid_request`` when both or neither of ``body`` and ``content_sid`` are given.
        """
        if (body is None) == (content_sid is None):
            raise ProviderRejected(
                "give exactly one of body or content_sid", code="invalid_request"
            )
        if content_variables is not None and content_sid is None:
            raise ProviderRejected("content_variables need content_sid", code="invalid_request")
        variables = json.dumps(content_variables) if content_variables is not None else None
        message = await self._run(
            lambda: self._client.messages.create(
                to=_whatsapp_address(to),
                from_=self._whatsapp_from,
                body=body,
                content_sid=content_sid,
                content_variables=variables,
                status_callback=status_callback,
                media_url=[media_url] if media_url else values.unset,
            )
        )
        return SentMessage(sid=str(message.sid), status=str(message.status))

    async def list_calls(self, *, to: str, created_after: datetime) -> list[str]:
        """``GET Calls.json?To=…``, newest first, the latest 50, kept if ``date_created`` is at or
        after ``created_after``. Twilio's ``StartTime`` filter would miss calls that never
        started ringing, which is exactly the case reconciliation must see."""
        after = _utc(created_after).replace(microsecond=0)
        rows = await self._run(lambda: self._client.calls.list(to=to, limit=50, page_size=50))
        return [
            str(row.sid) for row in rows if row.date_created is None or row.date_created >= after
        ]

    async def list_messages(self, *, to: str, sent_after: datetime) -> list[MessageRecord]:
        """Messages to ``to`` with ``date_created`` at or after ``sent_after``, newest first.

        ``GET Messages.json?To=…&DateSent>=YYYY-MM-DDTHH:MM:SSZ``, all pages. A naive
        ``sent_after`` is taken as UTC. Twilio stores whole seconds, so ``sent_after`` is floored
        to the second; the SDK formats the filter with ``strftime(…Z)`` and would mislabel a
        non-UTC datetime, hence the conversion here. Twilio filters on ``date_sent``, which is
        unset while a message is still queued: a message accepted a moment ago may be missing
        (and Twilio documents date-only precision for the filter), so rows are also filtered
        on ``date_created`` here.
        """
        after = _utc(sent_after).replace(microsecond=0)
        rows = await self._run(lambda: self._client.messages.list(to=to, date_sent_after=after))
        return [
            MessageRecord(
                sid=str(row.sid), to=str(row.to), body=row.body or "", date_created=row.date_created
            )
            for row in rows
            if row.date_created is None or row.date_created >= after
        ]

    async def place_call(
        self,
        *,
        to: str,
        url: str,
        status_callback: str | None = None,
        amd_status_callback: str | None = None,
    ) -> str:
        """``POST /2010-04-01/Accounts/{AC}/Calls.json`` from ``voice_from``; Twilio fetches the
        call's TwiML from ``url`` once answered. ``status_callback`` gets Twilio's default event
        (``completed``) only. Returns the Call SID (``CA…``).

        With ``amd_status_callback``, answering machine detection runs in the background
        (Twilio docs, "Answering Machine Detection",
        https://www.twilio.com/docs/voice/answering-machine-detection): ``MachineDetection=
        DetectMessageEnd`` (for a machine, the result waits for the end of its greeting, usually
        the beep, so that a message left then is recorded whole), ``AsyncAmd=true`` (``url`` is
        fetched as soon as the call is answered, so a person hears the agent at once) and
        ``AsyncAmdStatusCallback`` (POST) receives ``CallSid``, ``AccountSid``, ``AnsweredBy``
        (``human``, ``machine_end_beep``, ``machine_end_silence``, ``machine_end_other``,
        ``fax`` or ``unknown``) and ``MachineDetectionDuration`` (ms). Twilio's defaults stand
        for the tuning parameters: ``MachineDetectionTimeout`` 30 s and
        ``MachineDetectionSilenceTimeout`` 5000 ms, after which ``AnsweredBy`` is ``unknown``.
        """
        amd: dict[str, Any] = {}
        if amd_status_callback is not None:
            amd = {
                "machine_detection": "DetectMessageEnd",
                "async_amd": "true",
                "async_amd_status_callback": amd_status_callback,
                "async_amd_status_callback_method": "POST",
            }
        call = await self._run(
            lambda: self._client.calls.create(
                to=to, from_=self._voice_from, url=url, status_callback=status_callback, **amd
            )
        )
        return str(call.sid)

    async def update_call(
        self,
        call_sid: str,
        *,
        twiml: str | None = None,
        status: Literal["completed", "canceled"] | None = None,
    ) -> str:
        """``POST /2010-04-01/Accounts/{AC}/Calls/{CA}.json`` (Twilio docs, "Call resource",
        https://www.twilio.com/docs/voice/api/call-resource, and "Modify calls in progress",
        https://www.twilio.com/docs/guides/how-to-modify-calls-in-progress-in-python).

        ``twiml`` replaces the TwiML the call is executing: the update "tells Twilio to
        immediately change the TwiML it's using" (the guide), so a ``<Connect><Stream>`` in
        progress is left, its ``<Redirect>`` never followed, and the new document runs. Twilio
        caps inline TwiML at 4000 characters (error 32018,
        https://www.twilio.com/docs/api/errors/32018). ``status="completed"`` hangs up a call in
        progress, ``"canceled"`` a call still queued or ringing. Returns Twilio's status for
        the call after the update (``in-progress``, ``completed``…). A call that is no longer
        in progress → ``ProviderRejected`` with code ``21220`` ("Invalid call state",
        https://www.twilio.com/docs/api/errors/21220).
        """
        call = await self._run(
            lambda: self._client.calls(call_sid).update(
                twiml=values.unset if twiml is None else twiml,
                status=values.unset if status is None else status,
            )
        )
        return str(call.status)

    async def delete_recording(self, recording_sid: str) -> bool:
        """``DELETE /2010-04-01/Accounts/{AC}/Recordings/{RE}.json`` (Twilio docs, "Recording
        resource", https://www.twilio.com/docs/voice/api/recording: the Recordings REST API can
        "fetch, start, stop, pause, resume, and delete voice recordings"; a delete answers 204).
        Twilio keeps the deleted recording's metadata, not its audio, for 40 days
        (``IncludeSoftDeleted`` on fetch). Returns True when deleted now, False when Twilio
        no longer has it (404: deleted before, or never there). Raises ``ProviderError``."""
        try:
            await self._run(lambda: self._client.recordings(recording_sid).delete())
        except ProviderRejected as exc:
            if exc.code in ("20404", "404"):
                return False
            raise
        return True

    async def fetch_media(self, url: str, *, max_bytes: int) -> Media:
        """Download inbound media (``MediaUrl0``) or a recording (``RecordingUrl``).

        Twilio answers the API URL with a redirect to a short-lived CDN URL (Twilio docs,
        "Media resource"); redirects are followed, and httpx drops the ``Authorization`` header
        when a redirect leaves the origin, so credentials never reach the CDN. Credentials are
        only sent to ``https://*.twilio.com`` or to ``api_base_url``'s origin; any other URL is
        ``ProviderRejected(code="untrusted_media_url")``. The body is streamed and abandoned past
        ``max_bytes`` → ``ProviderRejected(code="media_too_large")``. The returned content type is
        the final response's ``Content-Type``, unchanged. 401/403 → ``ProviderAuthError``; other
        4xx (404: expired or deleted media) → ``ProviderRejected``; 429, 5xx, timeouts →
        ``ProviderUnavailable``.
        """
        parts = urlsplit(url)
        trusted = (parts.scheme == "https" and _is_twilio_host(parts.hostname)) or (
            self._api_origin is not None and _origin(url) == self._api_origin
        )
        if not trusted:
            raise ProviderRejected(
                "refusing to send Twilio credentials to a non-Twilio media URL",
                code="untrusted_media_url",
            )
        try:
            async with self._media_client().stream("GET", url) as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise _error_for_status(
                        response.status_code,
                        f"media download failed: HTTP {response.status_code}",
                        code=str(response.status_code),
                        retry_after_s=retry_after_s(response.headers.get("Retry-After")),
                    )
                too_large = ProviderRejected(
                    f"media larger than {max_bytes} bytes", code="media_too_large"
                )
                declared = response.headers.get("Content-Length")
                if declared is not None and declared.isdigit() and int(declared) > max_bytes:
                    raise too_large
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise too_large
                    chunks.append(chunk)
                content_type = response.headers.get("Content-Type", "application/octet-stream")
        except httpx.TooManyRedirects as exc:
            raise ProviderRejected(
                "media URL redirects too often", code="too_many_redirects"
            ) from exc
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            raise ProviderUnavailable(f"media download failed: {type(exc).__name__}") from exc
        return Media(data=b"".join(chunks), content_type=content_type)

    def _media_client(self) -> httpx.AsyncClient:
        """This event loop's media client (Basic auth, redirects followed; httpx drops the
        credentials when a redirect leaves the origin)."""
        loop = asyncio.get_running_loop()
        client = self._media_clients.get(loop)
        if client is None or client.is_closed:
            client = self._media_clients[loop] = httpx.AsyncClient(
                auth=(self._account_sid, self._auth_token),
                follow_redirects=True,
                timeout=self._timeout_s,
                verify=self._tls,
            )
        return client


def _whatsapp_address(address: str) -> str:
    return address if address.startswith("whatsapp:") else f"whatsapp:{address}"


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return (parts.scheme, parts.hostname, port)


def _utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
