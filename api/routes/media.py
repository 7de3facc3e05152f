"""GET /media/tts/… — synthesised replies, fetched by Twilio's ``<Play>``.

Only synthesised audio is served: customers' own media (voice notes, photos) stays private.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status

from api.deps import DbDep
from switchboard.db.media import get_media

router = APIRouter(prefix="/media", tags=["media"])


@router.get("/tts/{rest:path}")
async def tts_audio(rest: str, db: DbDep) -> Response:
    async with db.session() as s:
        blob = await get_media(s, media_id=f"tts/{rest}")
    if blob is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such audio")
    return Response(blob.data, media_type=blob.content_type)
