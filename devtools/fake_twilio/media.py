"""The fake Twilio's media: message Media and call Recordings, served the way Twilio serves
them (Twilio docs, "Media subresource", https://www.twilio.com/docs/messaging/api/media-resource;
"Recording", https://www.twilio.com/docs/voice/api/recording).

Twilio routes (Basic auth, like Twilio's media URLs):

- ``DELETE /2010-04-01/Accounts/{AC}/Recordings/{RE}.json`` → 204, the audio gone (listed in
  ``GET /_fake/recordings/deleted``); 404 code 20404 for an unknown or already deleted one.

- ``GET /2010-04-01/Accounts/{AC}/Messages/{MM}/Media/{ME}`` and
  ``GET /2010-04-01/Accounts/{AC}/Recordings/{RE}`` (optionally ``.wav``/``.mp3``) → 307 to a
  short-lived ``/_fake/cdn/{token}`` URL, like Twilio's redirect to its CDN; 404 code 20404 for
  unknown media, and for a recording still being processed: Twilio post-processes recordings,
  which "may not always be ready right away" (Twilio support, "Getting Started with Recording
  Status Callbacks",
  https://support.twilio.com/hc/en-us/articles/360014251313-Getting-Started-with-Recording-Status-Callbacks).

The fake's own routes (no auth), standing in for the media a customer sends or a call records:

- ``POST /_fake/media?kind=message|recording``: raw body + ``Content-Type`` → ``{"url", "sid",
  "content_type"}``, ``url`` being the Twilio-style URL above on ``public_url``. A recording
  with ``ready_after_ms`` answers 404 until that many milliseconds after the upload.
- ``GET /_fake/cdn/{token}``: the bytes with their original ``Content-Type``; 404 once expired.

Faults (``faults``): ``media`` on the two Twilio routes.
"""

from __future__ import annotations

import secrets
import time
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from devtools.fake_twilio.deps import FakeTwilio, FakeTwilioDep, authenticate
from devtools.fake_twilio.store import Media
from devtools.fake_twilio.wire import ACCOUNT_PREFIX, API_VERSION, FAKE_PREFIX, TwilioError, new_sid

_CDN_TTL_S = 300.0  # how long a redirect target stays valid

router = APIRouter(prefix=ACCOUNT_PREFIX, dependencies=[Depends(authenticate)])
cdn_router = APIRouter(prefix=FAKE_PREFIX)


@router.get("/Messages/{message_sid}/Media/{media_sid}")
async def message_media(
    message_sid: str, media_sid: str, request: Request, fake: FakeTwilioDep
) -> Response:
    reset = await fake.faults.inject("media", request)
    redirect = _redirect_to_cdn(fake, media_sid)
    return fake.faults.answer("media", reset, redirect.status_code) or redirect


@router.get("/Recordings/{recording}")
async def recording_media(recording: str, request: Request, fake: FakeTwilioDep) -> Response:
    reset = await fake.faults.inject("media", request)
    # Twilio serves WAV at the bare URL and MP3 at ``.mp3``; the fake serves the uploaded bytes
    # either way.
    sid = recording.removesuffix(".wav").removesuffix(".mp3")
    held = fake.store.media.get(sid)
    if held is not None and time.monotonic() < held.ready_at:
        raise TwilioError(404, 20404, "The requested resource was not found")
    redirect = _redirect_to_cdn(fake, sid)
    return fake.faults.answer("media", reset, redirect.status_code) or redirect


@router.delete("/Recordings/{recording}", status_code=204)
async def delete_recording(recording: str, fake: FakeTwilioDep) -> Response:
    """Twilio's Recording DELETE: 204 and the audio is gone (its URL answers 404 from then
    on); 404 code 20404 for a recording it does not hold (unknown, or deleted before)."""
    sid = recording.removesuffix(".json")
    if fake.store.media.pop(sid, None) is None:
        raise TwilioError(404, 20404, "The requested resource was not found")
    fake.store.deleted_recordings.append(sid)
    return Response(status_code=204)


@cdn_router.post("/media")
async def upload_media(
    request: Request,
    fake: FakeTwilioDep,
    kind: Literal["message", "recording"] = "message",
    ready_after_ms: Annotated[int, Query(ge=0, le=600_000)] = 0,
) -> dict[str, str]:
    content_type = request.headers.get("Content-Type", "application/octet-stream")
    base = f"{fake.public_url}/{API_VERSION}/Accounts/{fake.account_sid}"
    if kind == "recording":
        sid = new_sid("RE")
        url = f"{base}/Recordings/{sid}"
    else:
        sid = new_sid("ME")
        url = f"{base}/Messages/{new_sid('MM')}/Media/{sid}"
    fake.store.media[sid] = Media(
        sid=sid,
        content_type=content_type,
        data=await request.body(),
        ready_at=time.monotonic() + ready_after_ms / 1000 if kind == "recording" else 0.0,
    )
    return {"url": url, "sid": sid, "content_type": content_type}


@cdn_router.get("/recordings/deleted")
async def deleted_recordings(fake: FakeTwilioDep) -> list[str]:
    """The Recording SIDs DELETEd since the last reset, oldest first."""
    return list(fake.store.deleted_recordings)


@cdn_router.get("/cdn/{token}")
async def cdn(token: str, fake: FakeTwilioDep) -> Response:
    sid, deadline = fake.store.cdn.get(token, ("", 0.0))
    media = fake.store.media.get(sid)
    if media is None or time.monotonic() > deadline:
        fake.store.cdn.pop(token, None)
        return Response(status_code=404)
    # Set the header directly: ``media_type=`` would append a charset to text/* types.
    return Response(media.data, headers={"Content-Type": media.content_type})


def _redirect_to_cdn(fake: FakeTwilio, sid: str) -> Response:
    """307 to a fresh CDN token for media ``sid``; expired tokens are dropped on the way."""
    if fake.store.media.get(sid) is None:
        raise TwilioError(404, 20404, "The requested resource was not found")
    now = time.monotonic()
    for stale in [t for t, (_, deadline) in fake.store.cdn.items() if deadline < now]:
        del fake.store.cdn[stale]
    token = secrets.token_urlsafe(24)
    fake.store.cdn[token] = (sid, now + _CDN_TTL_S)
    return RedirectResponse(f"{fake.public_url}{FAKE_PREFIX}/cdn/{token}", status_code=307)
