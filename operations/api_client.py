"""A small client for Switchboard's own API (used by the CLI and the demo)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from switchboard.settings import Settings


class SwitchboardClient:
    def __init__(self, settings: Settings, *, timeout_s: float = 30) -> None:
        self._http = httpx.Client(
            base_url=settings.api_url,
            headers={"X-API-Key": settings.api_key.get_secret_value()},
            timeout=timeout_s,
        )

    def close(self) -> None:
        self._http.close()

    def conversation(self, e164: str) -> dict[str, Any]:
        """``GET /customers/{e164}/conversation``. Raises ``httpx.HTTPStatusError``."""
        response = self._http.get(f"/customers/{quote(e164)}/conversation")
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    def record_consent(
        self, e164: str, *, channel: str, status: str, source: str, purpose: str = "service"
    ) -> None:
        response = self._http.post(
            f"/customers/{quote(e164)}/consent",
            json={"channel": channel, "status": status, "source": source, "purpose": purpose},
        )
        response.raise_for_status()
