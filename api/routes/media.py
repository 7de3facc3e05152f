"""GET /media/tts/… — synthesised replies, fetched by Twilio's ``<Play>`` and as WhatsApp voice
notes' ``MediaUrl``.

Only synthesised audio is served, and only through a signed URL that expires
(``switchboard.media_urls``): 403 for an unsigned, forged or expired one. Customers' own media
(voice notes, photos) is never served.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status

from api.access import ErrorOut
from api.deps import DbDep, SettingsDep, access_declaration
from switchboard.db.media import get_media
from switchboard.media_urls import MediaUrlRefused, MediaUrlSigner

router = APIRouter(prefix="/media", tags=["media"])


@access_declaration
def signed_media_url(
    request: Request,
    settings: SettingsDep,
    expires: Annotated[int | None, Query(ge=0, description="Unix time the URL expires")] = None,
    sig: Annotated[
        str | None, Query(pattern=r"^[0-9a-f]{64}$", description="HMAC-SHA256, hex")
    ] = None,
) -> None:
    """Raises HTTP 403 unless the URL carries a valid, unexpired signature of its path."""
    media_id = request.url.path.removeprefix("/media/")
    try:
        MediaUrlSigner.from_settings(settings).check(media_id, expires, sig)
    except MediaUrlRefused as exc:
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(exc)) from exc


@router.get(
    "/tts/{rest:path}",
    dependencies=[Depends(signed_media_url)],
    response_class=Response,
    responses={
        200: {"content": {"audio/*": {}}, "description": "The audio"},
        403: {"model": ErrorOut, "description": "Unsigned, forged or expired URL"},
        404: {"model": ErrorOut, "description": "No such audio"},
    },
)
async def tts_audio(rest: str, db: DbDep) -> Response:
    async with db.session() as s:
        blob = await get_media(s, media_id=f"tts/{rest}")
    if blob is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such audio")
    return Response(blob.data, media_type=blob.content_type)
