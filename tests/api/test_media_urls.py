"""Media URLs Twilio fetches are signed and expire: a fresh one plays, an unsigned, forged,
expired or re-targeted one is 403, and the voice reply's <Play> carries a signed URL."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from pydantic import SecretStr

from api.main import create_app
from switchboard.db.engine import Database
from switchboard.db.models import MediaBlob
from switchboard.media_urls import MediaUrlRefused, MediaUrlSigner
from switchboard.settings import Settings
from tests.conftest import PUBLIC_URL
from tests.polling import BoundedASGITransport

AUDIO = b"RIFF....WAVEfmt fake audio"


@pytest.fixture
async def api(settings: Settings, db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with db.session() as s:
        for media_id in ("tts/SM1", "tts/SM2"):
            s.add(MediaBlob(id=media_id, content_type="audio/wav", size=len(AUDIO), data=AUDIO))
    async with httpx.AsyncClient(
        transport=BoundedASGITransport(app=create_app(settings, db=db)),
        base_url=PUBLIC_URL,
        timeout=30,
    ) as client:
        yield client


def path_of(url: str) -> str:
    return url.removeprefix(PUBLIC_URL)


async def test_a_fresh_signed_url_plays_the_audio(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    url = MediaUrlSigner.from_settings(settings).url("tts/SM1")
    assert url.startswith(f"{PUBLIC_URL}/media/tts/SM1?expires=")
    response = await api.get(path_of(url))
    assert response.status_code == 200
    assert (response.content, response.headers["content-type"]) == (AUDIO, "audio/wav")


async def test_unsigned_forged_expired_or_retargeted_urls_are_403(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    signer = MediaUrlSigner.from_settings(settings)
    fresh = path_of(signer.url("tts/SM1"))
    query = parse_qs(urlsplit(fresh).query)
    expires, sig = query["expires"][0], query["sig"][0]
    forged = "0" * 64 if sig != "0" * 64 else "1" * 64
    other_key = MediaUrlSigner(base_url=PUBLIC_URL, key=b"someone else's key", ttl_s=600)
    cases = {
        "unsigned": "/media/tts/SM1",
        "forged": f"/media/tts/SM1?expires={expires}&sig={forged}",
        "other key": path_of(other_key.url("tts/SM1")),
        "later expiry": f"/media/tts/SM1?expires={int(expires) + 3600}&sig={sig}",
        "other audio": f"/media/tts/SM2?expires={expires}&sig={sig}",
        "expired": path_of(signer.url("tts/SM1", now=time.time() - signer.ttl_s - 1)),
    }
    for case, path in cases.items():
        response = await api.get(path)
        assert response.status_code == 403, (case, response.text)
    assert "expired" in (await api.get(cases["expired"])).json()["detail"]


def test_urls_expire_after_their_ttl() -> None:
    signer = MediaUrlSigner(base_url=PUBLIC_URL, key=b"k", ttl_s=300)
    query = parse_qs(urlsplit(signer.url("tts/x", now=1000)).query)
    expires, sig = int(query["expires"][0]), query["sig"][0]
    assert expires == 1300
    signer.check("tts/x", expires, sig, now=1300)  # valid until the second it expires
    with pytest.raises(MediaUrlRefused, match="expired"):
        signer.check("tts/x", expires, sig, now=1301)


def test_the_key_is_derived_from_the_twilio_token_unless_set(settings: Settings) -> None:
    derived = MediaUrlSigner.from_settings(settings)
    assert derived.key != settings.twilio_auth_token.get_secret_value().encode()
    own = MediaUrlSigner.from_settings(
        settings.model_copy(update={"media_url_secret": SecretStr("s3cret")})
    )
    assert own.key == b"s3cret"
    rotated = settings.model_copy(update={"twilio_auth_token": SecretStr("another-token")})
    assert MediaUrlSigner.from_settings(rotated).key != derived.key
