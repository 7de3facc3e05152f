"""Signed, expiring URLs for the media Twilio fetches (``/media/tts/…``: ``<Play>`` in a call,
a WhatsApp voice note's ``MediaUrl``).

``https://host/media/<media_id>?expires=<unix s>&sig=<hex>`` where ``sig`` is
HMAC-SHA256(key, ``"<media_id>\\n<expires>"``). Twilio fetches a ``<Play>`` URL while the call
runs the TwiML, and copies a WhatsApp message's media into its own Media subresource when it
sends the message (Twilio docs, "Media subresource",
https://www.twilio.com/docs/messaging/api/media-resource), so minutes are enough; a URL copied
out of a log is useless after that. Anyone holding an unexpired URL can fetch the audio (the
bearer model of any pre-signed URL).

The key is ``media_url_secret``, else derived from the Twilio auth token with HMAC-SHA256 and
a fixed label (a derived key says nothing about the token; rotating the token rotates it).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from switchboard.settings import Settings

_DERIVATION_LABEL = b"switchboard media URL signing key v1"


class MediaUrlRefused(ValueError):
    """A media URL's signature is missing or wrong, or it has expired; ``str()`` says which."""


@dataclass(frozen=True)
class MediaUrlSigner:
    """Makes and checks signed media URLs. ``base_url``: the public URL Twilio reaches the API
    at; ``ttl_s``: how long a URL stays valid, in seconds."""

    base_url: str
    key: bytes
    ttl_s: int

    @classmethod
    def from_settings(cls, settings: Settings) -> MediaUrlSigner:
        if settings.media_url_secret is not None:
            key = settings.media_url_secret.get_secret_value().encode()
        else:
            token = settings.twilio_auth_token.get_secret_value().encode()
            key = hmac.new(token, _DERIVATION_LABEL, hashlib.sha256).digest()
        base_url = settings.public_base_url.rstrip("/")
        return cls(base_url=base_url, key=key, ttl_s=settings.media_url_ttl_s)

    def url(self, media_id: str, *, now: float | None = None) -> str:
        """The signed URL of ``media_id`` (e.g. ``tts/SM123``), valid ``ttl_s`` from ``now``
        (Unix seconds; default: the clock)."""
        expires = int((time.time() if now is None else now) + self.ttl_s)
        query = urlencode({"expires": expires, "sig": self._signature(media_id, expires)})
        return f"{self.base_url}/media/{quote(media_id)}?{query}"

    def check(
        self, media_id: str, expires: int | None, sig: str | None, *, now: float | None = None
    ) -> None:
        """Raises ``MediaUrlRefused`` unless ``sig`` is this key's signature of ``media_id``
        and ``expires`` (Unix seconds) is not past. Constant-time comparison."""
        if expires is None or not sig:
            raise MediaUrlRefused("unsigned media URL")
        if not hmac.compare_digest(sig.encode(), self._signature(media_id, expires).encode()):
            raise MediaUrlRefused("bad media URL signature")
        if (time.time() if now is None else now) > expires:
            raise MediaUrlRefused("expired media URL")

    def _signature(self, media_id: str, expires: int) -> str:
        message = f"{media_id}\n{expires}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()
