"""AssemblyAISTT through the real ``assemblyai`` SDK against a fake AssemblyAI API."""

from __future__ import annotations

from collections.abc import Iterator

import assemblyai as aai
import pytest

from switchboard.providers.assemblyai_stt import AssemblyAISTT
from switchboard.providers.base import (
    Media,
    ProviderAuthError,
    ProviderRejected,
    ProviderUnavailable,
)
from tests.fakes.assemblyai import FakeAssemblyAI, HttpFailure
from tests.fakes.server import free_port, serve

KEY = "aai-test-key"

# The SDK still calls pydantic v1-style methods (``.dict()``, ``.parse_obj()``) under pydantic 2.
pytestmark = pytest.mark.filterwarnings(
    "ignore::pydantic.warnings.PydanticDeprecatedSince20:assemblyai"
)


@pytest.fixture
def fake() -> Iterator[tuple[FakeAssemblyAI, str]]:
    fake = FakeAssemblyAI(api_key=KEY)
    with serve(fake.app) as url:
        yield fake, url


def stt(url: str, *, key: str = KEY, timeout_s: float = 5.0) -> AssemblyAISTT:
    return AssemblyAISTT(key, base_url=url, timeout_s=timeout_s, poll_interval_s=0.01)


async def test_uploads_submits_polls_and_returns_transcript(
    fake: tuple[FakeAssemblyAI, str], jfk_flac: bytes
) -> None:
    server, url = fake
    server.polls_before_done = 2

    transcript = await stt(url).transcribe(Media(jfk_flac, "audio/flac"))

    assert transcript.text == "Book Tuesday at ten."
    assert transcript.confidence == pytest.approx(0.96)
    assert transcript.duration_ms == 11_000

    upload, create, *polls = server.requests
    assert (upload.method, upload.path) == ("POST", "/v2/upload")
    assert upload.headers["authorization"] == KEY  # bare key, no "Bearer"
    assert upload.body == jfk_flac
    [upload_url] = server.uploads
    assert (create.method, create.path) == ("POST", "/v2/transcript")
    assert create.headers["authorization"] == KEY
    assert server.created == [{"audio_url": upload_url}]
    assert [(p.method, p.path.rsplit("/", 1)[0]) for p in polls] == [("GET", "/v2/transcript")] * 3


async def test_vocabulary_is_sent_as_word_boost(
    fake: tuple[FakeAssemblyAI, str], jfk_flac: bytes
) -> None:
    """AssemblyAI's custom vocabulary: no punctuation but apostrophes, each term once."""
    server, url = fake

    await stt(url).transcribe(
        Media(jfk_flac, "audio/flac"),
        vocabulary=["Biscuit", "check-up", "o'clock", "Biscuit", " ", "half past"],
    )

    [created] = server.created
    assert created["word_boost"] == ["Biscuit", "check up", "o'clock", "half past"]
    assert set(created) == {"audio_url", "word_boost"}


async def test_wrong_key_is_an_auth_error(fake: tuple[FakeAssemblyAI, str]) -> None:
    server, url = fake
    with pytest.raises(ProviderAuthError) as caught:
        await stt(url, key="wrong").transcribe(Media(b"audio", "audio/ogg"))
    assert "Authentication error" in str(caught.value)
    assert len(server.requests) == 1


async def test_server_error_is_unavailable_and_sent_once(fake: tuple[FakeAssemblyAI, str]) -> None:
    server, url = fake
    server.failures["upload"] = HttpFailure(500, {"error": "Server error, developers alerted."})
    with pytest.raises(ProviderUnavailable) as caught:
        await stt(url).transcribe(Media(b"audio", "audio/ogg"))
    assert caught.value.code == "500"
    assert caught.value.retryable
    assert len(server.requests_to("/v2/upload")) == 1  # the SDK does not retry
    assert server.created == []


async def test_rate_limit_carries_retry_after(fake: tuple[FakeAssemblyAI, str]) -> None:
    server, url = fake
    server.failures["create"] = HttpFailure(
        429, {"error": "Too many requests"}, headers={"Retry-After": "30"}
    )
    with pytest.raises(ProviderUnavailable) as caught:
        await stt(url).transcribe(Media(b"audio", "audio/ogg"))
    assert caught.value.retry_after_s == pytest.approx(30)
    assert len(server.requests_to("/v2/transcript")) == 1


async def test_validation_error_is_rejected(fake: tuple[FakeAssemblyAI, str]) -> None:
    server, url = fake
    server.failures["create"] = HttpFailure(
        400, {"error": "Your current account balance is negative. Please top up to continue."}
    )
    with pytest.raises(ProviderRejected) as caught:
        await stt(url).transcribe(Media(b"audio", "audio/ogg"))
    assert caught.value.code == "400"
    assert not caught.value.retryable


async def test_failed_job_on_bad_audio_is_rejected(fake: tuple[FakeAssemblyAI, str]) -> None:
    # The SDK returns status == error instead of raising; the adapter must not return it as text.
    server, url = fake
    server.job_error = (
        "File does not appear to contain audio. File type is text/plain (ASCII text)."
    )
    with pytest.raises(ProviderRejected) as caught:
        await stt(url).transcribe(Media(b"not audio", "audio/ogg"))
    assert caught.value.code == "transcript_error"
    assert "does not appear to contain audio" in str(caught.value)


async def test_failed_job_on_server_side_is_unavailable(fake: tuple[FakeAssemblyAI, str]) -> None:
    server, url = fake
    server.job_error = "Server error, developers have been alerted."
    with pytest.raises(ProviderUnavailable) as caught:
        await stt(url).transcribe(Media(b"audio", "audio/ogg"))
    assert caught.value.code == "transcript_error"


async def test_unreadable_answer_is_unavailable(fake: tuple[FakeAssemblyAI, str]) -> None:
    server, url = fake
    server.failures["upload"] = HttpFailure(200, {"unexpected": "shape"})
    with pytest.raises(ProviderUnavailable) as caught:
        await stt(url).transcribe(Media(b"audio", "audio/ogg"))
    assert caught.value.code == "bad_response"


async def test_slow_job_times_out_as_unavailable(fake: tuple[FakeAssemblyAI, str]) -> None:
    server, url = fake
    server.polls_before_done = 10_000
    with pytest.raises(ProviderUnavailable) as caught:
        await stt(url, timeout_s=0.3).transcribe(Media(b"audio", "audio/ogg"))
    assert caught.value.code == "timeout"


async def test_connection_refused_is_unavailable() -> None:
    with pytest.raises(ProviderUnavailable) as caught:
        await stt(f"http://127.0.0.1:{free_port()}").transcribe(Media(b"audio", "audio/ogg"))
    assert caught.value.code == "connection"


async def test_instances_do_not_share_sdk_globals(fake: tuple[FakeAssemblyAI, str]) -> None:
    server, url = fake
    other = FakeAssemblyAI(api_key="other-key")
    other.text = "Cancel my booking."
    global_before = (aai.settings.api_key, aai.settings.base_url)
    with serve(other.app) as other_url:
        first = await stt(url).transcribe(Media(b"a", "audio/ogg"))
        second = await stt(other_url, key="other-key").transcribe(Media(b"b", "audio/ogg"))
    assert (first.text, second.text) == ("Book Tuesday at ten.", "Cancel my booking.")
    assert {r.headers["authorization"] for r in other.requests} == {"other-key"}
    assert (aai.settings.api_key, aai.settings.base_url) == global_before
