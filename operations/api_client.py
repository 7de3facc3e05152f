"""The one client for Switchboard's own HTTP API (used by the CLI, the demo and the chaos run).

Every call sends ``X-API-Key`` from the settings. Every method raises ``ApiUnreachable`` when
no answer comes back (connection refused, DNS, timeout) and ``ApiError`` on a 4xx/5xx status;
the journey methods also raise ``pydantic.ValidationError`` if a 2xx body does not have the
documented shape. The shapes mirror the response models in ``api/routes/`` (this layer sits
below ``api`` and cannot import them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Literal, Self
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter

from switchboard.settings import Settings


class ApiUnreachable(Exception):
    """No answer from the API at ``base_url``: connection refused, DNS failure or timeout.
    ``str()`` reads ``cannot reach the API at <base_url> (<cause>)``."""

    def __init__(self, base_url: str, cause: httpx.TransportError) -> None:
        super().__init__(f"cannot reach the API at {base_url} ({cause})")
        self.base_url = base_url


class ApiError(Exception):
    """The API answered with an error status. ``detail`` is the body's ``detail`` (a string,
    or ``[{"field": …, "message": …}]`` for a 422), else the raw body text. ``str()`` reads
    ``<status_code>: <detail>``, a 422's problems as ``<field>: <message>``, ``; ``-joined."""

    def __init__(self, status_code: int, detail: object) -> None:
        super().__init__(f"{status_code}: {_readable(detail)}")
        self.status_code = status_code
        self.detail = detail


def _readable(detail: object) -> object:
    """A 422's list of problems (ours: ``field``/``message``; FastAPI's: ``loc``/``msg``) as
    ``field: message; …`` instead of a Python list's repr; anything else as it is."""
    if not isinstance(detail, list) or not all(isinstance(d, dict) for d in detail):
        return detail
    parts = []
    for problem in detail:
        field = problem.get("field") or ".".join(str(p) for p in problem.get("loc", ()))
        message = problem.get("message") or problem.get("msg") or ""
        parts.append(f"{field}: {message}" if field else str(message))
    return "; ".join(parts)


@dataclass(frozen=True)
class RejectedRow:
    row: int  # 1-based data row of the CSV (after the header)
    reason: str


@dataclass(frozen=True)
class LaunchReport:
    """``POST /journeys/{name}/launch``: who was enrolled in the campaign, who was not."""

    journey: str
    version: str  # content hash of the definition launched (12 hex digits)
    campaign_id: str
    enrolled: int
    rejected: list[RejectedRow]


@dataclass(frozen=True)
class JourneyRun:
    """One run of a journey, from Temporal's visibility store (eventually consistent)."""

    workflow_id: str
    run_id: str
    status: str  # Temporal's: RUNNING, COMPLETED, CANCELED, FAILED, TERMINATED, TIMED_OUT
    customer: str | None  # E.164; None when the search attribute is missing
    version: str | None
    step: str | None  # the current (or last) step
    channel: str | None
    started_at: datetime  # UTC
    closed_at: datetime | None
    goal: str | None = None  # "converted" once the run met the journey's goal
    branch: str | None = None  # "<split step>:<branch>" of its last split


@dataclass(frozen=True)
class _Runs:
    runs: list[JourneyRun]


@dataclass(frozen=True)
class _Action:
    runs: int  # how many running runs were signalled or cancelled


@dataclass(frozen=True)
class ApiKeyInfo:
    """A person's API key as the API shows it; ``token`` only in ``create_key``'s answer."""

    id: str  # public
    person: str
    role: str  # admin | marketer | agent | engineer
    created_by: str
    created_at: datetime  # UTC
    revoked_at: datetime | None
    token: str | None = None


@dataclass(frozen=True)
class _Keys:
    keys: list[ApiKeyInfo]


_LAUNCH = TypeAdapter(LaunchReport)
_RUNS = TypeAdapter(_Runs)
_ACTION = TypeAdapter(_Action)
_KEY = TypeAdapter(ApiKeyInfo)
_KEYS = TypeAdapter(_Keys)


class SwitchboardClient:
    """A synchronous client; ``close()`` it, or use it as a context manager."""

    def __init__(
        self,
        settings: Settings,
        *,
        timeout_s: float = 30,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """``timeout_s`` bounds each request (connect, read, write, pool); a journey launch
        starts one workflow per row, so give it more. ``transport`` is for tests."""
        self._base_url = settings.api_url
        self._http = httpx.Client(
            base_url=settings.api_url,
            headers={"X-API-Key": settings.api_key.get_secret_value()},
            timeout=timeout_s,
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- customers ---------------------------------------------------------------------------

    def conversation(self, e164: str) -> dict[str, Any]:
        """``GET /customers/{e164}/conversation``: the cross-channel timeline, oldest first:
        ``{"customer": e164, "timezone": "Europe/Paris", "entries": [{"at": ISO 8601 UTC,
        "channel", "direction": "inbound"|"outbound", "kind", "text", "status",
        "provider_sid"}]}`` (the shape ``switchboard.timeline.render`` reads). ``ApiError``
        404 for an unknown customer, 422 for a number that is not one."""
        body: dict[str, Any] = self._request("GET", f"/customers/{quote(e164)}/conversation")
        return body

    def record_consent(
        self, e164: str, *, channel: str, status: str, source: str, purpose: str = "service"
    ) -> None:
        """``POST /customers/{e164}/consent``: record an opt-in or opt-out now (creates the
        customer if new). ``channel``: whatsapp|voice; ``status``: opted_in|opted_out;
        ``purpose``: service|marketing; ``source``: 1-64 characters. ``ApiError`` 422 for
        anything else or an invalid number."""
        self._request(
            "POST",
            f"/customers/{quote(e164)}/consent",
            json_body={"channel": channel, "status": status, "source": source, "purpose": purpose},
        )

    def erase_customer(self, e164: str) -> dict[str, Any]:
        """``DELETE /customers/{e164}`` (admin): erase the customer; returns ``{"customer",
        "workflows_terminated": [IDs], "recordings_deleted", "rows": {table: count}}``.
        ``ApiError`` 403 for a key that is not an admin's, 422 for an invalid number."""
        body: dict[str, Any] = self._request("DELETE", f"/customers/{quote(e164)}")
        return body

    # -- journeys ----------------------------------------------------------------------------

    def launch_journey(
        self, name: str, audience_csv: bytes, *, campaign_id: str | None = None
    ) -> LaunchReport:
        """``POST /journeys/{name}/launch`` with a CSV audience (a header with a ``phone`` or
        ``e164`` column; every other column is a template variable). Rows with an invalid
        number come back in ``rejected``. ``campaign_id`` is part of each run's workflow ID
        (launching twice with one ID enrols nobody twice); default ``<name>-<UTC time>``.
        ``ApiError`` 404 (no such journey), 409 (invalid file, or not an ``audience``
        journey), 422 (empty or malformed audience, bad campaign ID)."""
        body = self._request(
            "POST",
            f"/journeys/{quote(name)}/launch",
            params={"campaign_id": campaign_id} if campaign_id else None,
            content=audience_csv,
            headers={"Content-Type": "text/csv"},
        )
        return _LAUNCH.validate_python(body)

    def journey_runs(
        self, name: str, *, status: str = "running", customer: str | None = None
    ) -> list[JourneyRun]:
        """``GET /journeys/{name}/runs``: the journey's runs with ``status`` (running,
        completed, failed, canceled, terminated, timed_out; or all), newest first, at most
        1,000; only the customer's with ``customer`` (E.164). ``ApiError`` 422 for another
        status or an invalid number."""
        params = {"status": status, **({"customer": customer} if customer else {})}
        body = self._request("GET", f"/journeys/{quote(name)}/runs", params=params)
        return _RUNS.validate_python(body).runs

    def pause_journey(self, name: str) -> int:
        """``POST /journeys/{name}/pause``: every running run stops before its next step.
        Returns how many runs were signalled."""
        return self._act_on_runs(name, "pause")

    def resume_journey(self, name: str) -> int:
        """``POST /journeys/{name}/resume``. Returns how many runs were signalled."""
        return self._act_on_runs(name, "resume")

    def cancel_journey(self, name: str) -> int:
        """``POST /journeys/{name}/cancel``: every running run closes as CANCELED. Returns
        how many runs were cancelled."""
        return self._act_on_runs(name, "cancel")

    def _act_on_runs(self, name: str, action: Literal["pause", "resume", "cancel"]) -> int:
        body = self._request("POST", f"/journeys/{quote(name)}/{action}")
        return _ACTION.validate_python(body).runs

    # -- keys (admin) ------------------------------------------------------------------------

    def create_key(self, *, person: str, role: str) -> ApiKeyInfo:
        """``POST /keys``: a new key for ``person`` with ``role`` (admin, marketer, agent,
        engineer); its ``token`` is in this answer only. ``ApiError`` 401/403 unless the
        caller is an admin, 422 for another role or an empty name."""
        body = self._request("POST", "/keys", json_body={"person": person, "role": role})
        return _KEY.validate_python(body)

    def list_keys(self) -> list[ApiKeyInfo]:
        """``GET /keys``: every key, oldest first, revoked ones included (no secrets)."""
        return _KEYS.validate_python(self._request("GET", "/keys")).keys

    def revoke_key(self, key_id: str) -> ApiKeyInfo:
        """``DELETE /keys/{key_id}``: the key answers 401 from now on. ``ApiError`` 404 for
        an unknown ID."""
        return _KEY.validate_python(self._request("DELETE", f"/keys/{quote(key_id)}"))

    # -- transport ---------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json_body: object = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """The decoded JSON body of a 2xx answer. Raises ``ApiUnreachable``, ``ApiError``."""
        try:
            response = self._http.request(
                method, path, params=params, json=json_body, content=content, headers=headers
            )
        except httpx.TransportError as exc:
            raise ApiUnreachable(self._base_url, exc) from exc
        if response.is_error:
            raise ApiError(response.status_code, _detail(response))
        return response.json()


def _detail(response: httpx.Response) -> object:
    """FastAPI's ``{"detail": …}``, or the body text when it is not that."""
    try:
        body = response.json()
    except ValueError:
        return response.text
    return body.get("detail", response.text) if isinstance(body, dict) else response.text
