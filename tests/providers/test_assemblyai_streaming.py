"""AssemblyAIStreamingSTT through the real ``assemblyai`` SDK (its asyncio Universal-Streaming
client) against the fake v3 WebSocket server in ``devtools/fake_assemblyai_streaming.py``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import aclosing

import pytest
from assemblyai.streaming.v3 import (
    AsyncRealTimeTranscriber,
    Encoding,
    RealTimeError,
    RealTimeEvents,
    RealTimeParameters,
    RealTimeTranscriberOptions,
    SpeechModel,
)

from devtools.fake_assemblyai_streaming import FakeAssemblyAIStreaming, Recognition
from switchboard.providers.assemblyai_streaming import (
    AssemblyAISpeechStream,
    AssemblyAIStreamingSTT,
    _from_realtime_error,
)
from switchboard.providers.base import ProviderAuthError, ProviderRejected, ProviderUnavailable
from switchboard.providers.streaming import SpeechStream, StreamingSpeechToText
from tests.fakes.server import free_port

KEY = "aai-test-key"
FRAME = b"\x10\x00\xf0\xff" * 80  # 20 ms of PCM16 at 8 kHz (160 samples)

# The SDK reads ``ConnectionClosed.code``, deprecated since websockets 13.1.
pytestmark = pytest.mark.filterwarnings(
    "ignore:ConnectionClosed.(code|reason) is deprecated:DeprecationWarning"
)


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeAssemblyAIStreaming, str]]:
    fake = FakeAssemblyAIStreaming(api_key=KEY)
    async with fake.serve() as url:
        yield fake, url


def stt(
    url: str,
    *,
    key: str = KEY,
    speech_model: str = "universal-streaming-english",
    format_turns: bool = True,
    turn_timeout_s: float = 2.0,
) -> AssemblyAIStreamingSTT:
    return AssemblyAIStreamingSTT(
        key,
        api_host=url,
        speech_model=speech_model,
        format_turns=format_turns,
        connect_timeout_s=2.0,
        turn_timeout_s=turn_timeout_s,
    )


async def speak(stream: AssemblyAISpeechStream, ms: int) -> None:
    """Feed ``ms`` of caller audio in 20 ms frames, as a Media Stream delivers it."""
    for _ in range(ms // 20):
        await stream.feed(FRAME)


async def test_a_turn_is_streamed_in_legal_chunks_and_its_formatted_final_returned(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    server, url = fake
    server.script(Recognition("Book Tuesday at 10:00 for Felix.", confidence=0.8))

    async with aclosing(stt(url).open_stream()) as stream:
        await speak(stream, 1000)
        transcript = await stream.finish_turn()

    assert transcript.text == "Book Tuesday at 10:00 for Felix."  # the formatted final
    assert transcript.confidence == pytest.approx(0.8)
    # each word with its own confidence, for a name heard unsurely to be asked again
    assert [w.probability for w in transcript.words] == [pytest.approx(0.8)] * 6
    assert transcript.duration_ms == 1000
    [session] = server.sessions
    assert session.path == "/v3/ws"
    assert session.authorization == KEY  # the bare key, no "Bearer"
    assert session.params == {
        "speech_model": "universal-streaming-english",
        "sample_rate": "8000",
        "encoding": "pcm_s16le",
        "format_turns": "True",
        # The pipeline's VAD ends turns: the model's own detection is off, silence rule only.
        "end_of_turn_confidence_threshold": "1.0",
        "max_turn_silence": "2000",
    }
    assert session.audio_bytes == 16_000  # 1 s of PCM16, nothing padded
    assert all(50 <= ms <= 1000 for ms in session.chunk_ms)
    assert [m["type"] for m in session.messages] == ["ForceEndpoint", "Terminate"]
    assert session.closed_with == (1000, "Session Ended")


async def test_without_formatting_the_first_final_is_used(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    server, url = fake
    server.script("Book Tuesday at 10:00.")
    async with aclosing(stt(url, format_turns=False).open_stream()) as stream:
        await speak(stream, 600)
        transcript = await stream.finish_turn()
    assert transcript.text == "book tuesday at 10 00"
    assert server.sessions[0].params["format_turns"] == "False"


async def test_turns_follow_one_another_on_one_session(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    server, url = fake
    server.script("Hello, it's Anna.", "Can I book a check-up?")
    async with aclosing(stt(url).open_stream()) as stream:
        await speak(stream, 400)
        first = await stream.finish_turn()
        await speak(stream, 800)
        second = await stream.finish_turn()
    assert (first.text, first.duration_ms) == ("Hello, it's Anna.", 400)
    assert (second.text, second.duration_ms) == ("Can I book a check-up?", 800)
    assert len(server.sessions) == 1


async def test_audio_fed_while_a_turn_is_finished_belongs_to_the_next(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    """The caller speaks again while the server is still ending the previous turn."""
    server, url = fake
    server.endpoint_delay_s = 0.3
    server.script("Book Tuesday.", "Actually, Wednesday.")
    async with aclosing(stt(url).open_stream()) as stream:
        await speak(stream, 500)
        finishing = asyncio.create_task(stream.finish_turn())
        await asyncio.sleep(0.05)
        await speak(stream, 400)
        first = await finishing
        second = await stream.finish_turn()
    assert (first.text, first.duration_ms) == ("Book Tuesday.", 500)
    assert (second.text, second.duration_ms) == ("Actually, Wednesday.", 400)


async def test_a_second_turn_finished_meanwhile_waits_for_the_first(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    server, url = fake
    server.endpoint_delay_s = 0.3
    server.script("Book Tuesday.", "Actually, Wednesday.")
    async with aclosing(stt(url).open_stream()) as stream:
        await speak(stream, 500)
        first = asyncio.create_task(stream.finish_turn())
        await asyncio.sleep(0.05)
        await speak(stream, 400)
        second = asyncio.create_task(stream.finish_turn())
        texts = [t.text for t in await asyncio.gather(first, second)]
    assert texts == ["Book Tuesday.", "Actually, Wednesday."]


async def test_closing_stops_a_turn_waiting_in_another_task(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    server, url = fake
    server.answer_silent_endpoint = False  # the turn's end never comes
    stream = stt(url, turn_timeout_s=10.0).open_stream()
    await speak(stream, 300)
    finishing = asyncio.create_task(stream.finish_turn())
    await asyncio.sleep(0.3)
    await stream.aclose()
    with pytest.raises(ProviderUnavailable) as caught:
        await finishing
    assert caught.value.code == "closed"


async def test_the_tail_of_a_turn_is_padded_to_the_smallest_chunk(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    server, url = fake
    server.script("Yes.")
    async with aclosing(stt(url).open_stream()) as stream:
        await speak(stream, 100)
        await asyncio.sleep(0.2)  # the session has begun: frames go up as 50 ms gathers
        await speak(stream, 80)
        transcript = await stream.finish_turn()
    assert transcript.duration_ms == 180
    # 100 ms queued before Begin, then 60 ms (three frames), then 20 ms padded to 50 ms.
    assert server.sessions[0].chunk_ms == [100, 60, 50]


async def test_audio_fed_before_the_session_begins_is_sent_in_chunks_of_at_most_a_second(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    server, url = fake
    server.script("I'd like to move my appointment.")
    async with aclosing(stt(url).open_stream()) as stream:
        await speak(stream, 2500)  # faster than Begin can come back
        transcript = await stream.finish_turn()
    assert transcript.text == "I'd like to move my appointment."
    assert server.sessions[0].chunk_ms == [1000, 1000, 500]


async def test_an_empty_turn_is_no_speech_and_the_stream_goes_on(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    server, url = fake
    server.script("", "Tuesday please.")
    async with aclosing(stt(url).open_stream()) as stream:
        await speak(stream, 300)
        with pytest.raises(ProviderRejected) as caught:
            await stream.finish_turn()
        assert caught.value.code == "no_speech"
        await speak(stream, 300)
        assert (await stream.finish_turn()).text == "Tuesday please."


async def test_a_silent_turn_the_server_does_not_answer_is_no_speech_after_the_wait(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    # Undocumented: whether a forced end of a turn without words is answered. If it is not,
    # the next words come under the same turn number and must not be dropped.
    server, url = fake
    server.answer_silent_endpoint = False
    server.script("", "Tuesday please.")
    async with aclosing(stt(url, turn_timeout_s=0.3).open_stream()) as stream:
        await speak(stream, 300)
        with pytest.raises(ProviderRejected) as caught:
            await stream.finish_turn()
        assert caught.value.code == "no_speech"
        await speak(stream, 300)
        assert (await stream.finish_turn()).text == "Tuesday please."


async def test_finishing_before_any_audio_is_no_speech_without_a_session(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    server, url = fake
    stream = stt(url).open_stream()
    with pytest.raises(ProviderRejected) as caught:
        await stream.finish_turn()
    assert caught.value.code == "no_speech"
    await stream.aclose()
    assert server.sessions == []


async def test_a_turn_the_server_ended_on_its_own_is_joined_to_the_rest(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    server, url = fake
    server.endpoint_after_ms = 600  # its turn detection ends a turn at a pause
    server.script("Hello.", "I'd like to book Tuesday.")
    async with aclosing(stt(url).open_stream()) as stream:
        await speak(stream, 700)
        await asyncio.sleep(0.3)  # the server ends its turn 0 while the caller goes on
        await speak(stream, 400)
        transcript = await stream.finish_turn()
    assert transcript.text == "Hello. I'd like to book Tuesday."
    assert transcript.duration_ms == 1100
    assert server.unused_script == []


async def test_a_discarded_turn_is_ended_and_its_words_never_come_back(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    server, url = fake
    server.script("Mm hmm.", "Book Tuesday.")
    async with aclosing(stt(url).open_stream()) as stream:
        await speak(stream, 500)
        await asyncio.sleep(0.3)  # the session has begun and heard it
        await stream.discard_turn()
        await speak(stream, 500)
        transcript = await stream.finish_turn()
    assert transcript.text == "Book Tuesday."
    assert transcript.duration_ms == 500
    assert [m["type"] for m in server.sessions[0].messages][:2] == ["ForceEndpoint"] * 2


async def test_discarding_audio_not_sent_yet_sends_nothing(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    server, url = fake
    server.script("Book Tuesday.")
    async with aclosing(stt(url).open_stream()) as stream:
        await speak(stream, 500)  # queued: the session has not begun
        await stream.discard_turn()
        await speak(stream, 300)
        transcript = await stream.finish_turn()
    assert (transcript.text, transcript.duration_ms) == ("Book Tuesday.", 300)
    session = server.sessions[0]
    assert session.audio_bytes == 300 * 16
    assert [m["type"] for m in session.messages] == ["ForceEndpoint", "Terminate"]


async def test_vocabulary_becomes_keyterms_before_the_turn_ends_and_is_sent_once(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    server, url = fake
    server.script("Felix needs a check-up.", "Biscuit too.")
    vocabulary = ["Felix", " check-up ", "Felix", "", "a" * 51, "Biscuit"]
    async with aclosing(stt(url).open_stream()) as stream:
        await speak(stream, 300)
        await stream.finish_turn(vocabulary=vocabulary, context="Which pet is it for?")
        await speak(stream, 300)
        await stream.finish_turn(vocabulary=vocabulary)
    session = server.sessions[0]
    assert [m["type"] for m in session.messages] == [
        "UpdateConfiguration",
        "ForceEndpoint",
        "ForceEndpoint",
        "Terminate",
    ]
    # agent_context is only for the Universal-3 Pro models.
    assert session.messages[0] == {
        "type": "UpdateConfiguration",
        "keyterms_prompt": ["Felix", "check-up", "Biscuit"],
    }
    assert session.keyterms == ["Felix", "check-up", "Biscuit"]


async def test_context_is_agent_context_on_a_model_that_takes_it(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    server, url = fake
    server.script("Felix.")
    async with aclosing(stt(url, speech_model="u3-rt-pro").open_stream()) as stream:
        await speak(stream, 300)
        await stream.finish_turn(context="Which pet is it for?")
    session = server.sessions[0]
    assert session.params["speech_model"] == "u3-rt-pro"
    assert session.of_type("UpdateConfiguration") == [
        {"type": "UpdateConfiguration", "agent_context": "Which pet is it for?"}
    ]


async def test_a_wrong_key_is_an_auth_error_from_the_error_frame(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    server, url = fake
    async with aclosing(stt(url, key="wrong").open_stream()) as stream:
        await speak(stream, 100)
        with pytest.raises(ProviderAuthError) as caught:
            await stream.finish_turn()
        assert caught.value.code == "1008"
        assert "Invalid API key" in str(caught.value)
        with pytest.raises(ProviderAuthError):  # the session is over
            await stream.feed(FRAME)
    assert server.sessions[0].closed_with == (1008, "See Error message for details")
    assert server.sessions[0].audio_bytes == 0


async def test_a_refused_handshake_is_unavailable_with_its_status(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    server, url = fake
    server.handshake_status = 503
    async with aclosing(stt(url).open_stream()) as stream:
        await speak(stream, 100)
        with pytest.raises(ProviderUnavailable) as caught:
            await stream.finish_turn()
    assert caught.value.code == "503"
    assert caught.value.retryable


async def test_a_server_error_mid_call_is_unavailable(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    server, url = fake
    server.error_after_ms = (200, 3005, "Session Cancelled: An error occurred")
    async with aclosing(stt(url).open_stream()) as stream:
        await speak(stream, 400)
        with pytest.raises(ProviderUnavailable) as caught:
            await stream.finish_turn()
    assert caught.value.code == "3005"
    assert "Session Cancelled" in str(caught.value)


async def test_a_dropped_connection_is_unavailable(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    server, url = fake
    server.drop_after_ms = 200
    async with aclosing(stt(url).open_stream()) as stream:
        await speak(stream, 400)
        with pytest.raises(ProviderUnavailable) as caught:
            await stream.finish_turn()
    assert caught.value.code == "1006"  # closed without a close frame


async def test_an_unreachable_host_is_unavailable() -> None:
    async with aclosing(stt(f"ws://127.0.0.1:{free_port()}").open_stream()) as stream:
        await speak(stream, 100)
        with pytest.raises(ProviderUnavailable) as caught:
            await stream.finish_turn()
    assert caught.value.code == "connection"


async def test_closing_is_idempotent_and_ends_the_stream(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    _, url = fake
    stream = stt(url).open_stream()
    await speak(stream, 100)
    await stream.aclose()  # before the session began: the connection is abandoned
    await stream.aclose()
    with pytest.raises(RuntimeError):
        await stream.feed(FRAME)
    with pytest.raises(RuntimeError):
        await stream.finish_turn()


async def test_the_fake_refuses_chunks_outside_50_to_1000_ms(
    fake: tuple[FakeAssemblyAIStreaming, str],
) -> None:
    """The fake is as strict as the service: a 20 ms frame sent as it comes closes with 3007."""
    server, url = fake
    errors: list[RealTimeError] = []
    client = AsyncRealTimeTranscriber(RealTimeTranscriberOptions(api_host=url, api_key=KEY))
    client.on(RealTimeEvents.Error, lambda _client, error: errors.append(error))
    await client.connect(
        RealTimeParameters(
            sample_rate=8000,
            encoding=Encoding.pcm_s16le,
            speech_model=SpeechModel.universal_streaming_english,
        )
    )
    await client.stream(FRAME)
    for _ in range(100):
        if errors:
            break
        await asyncio.sleep(0.02)
    await client.disconnect()
    [error] = errors
    assert error.code == 3007
    assert str(error) == "Input duration violation: 20 ms. Expected between 50 and 1000 ms"
    assert isinstance(_from_realtime_error(error), ProviderRejected)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (1008, ProviderAuthError),
        (401, ProviderAuthError),
        (3006, ProviderRejected),
        (3007, ProviderRejected),
        (3005, ProviderUnavailable),
        (3008, ProviderUnavailable),
        (3009, ProviderUnavailable),
        (429, ProviderUnavailable),
        (None, ProviderUnavailable),
    ],
)
def test_error_codes_map_by_what_a_retry_can_do(code: int | None, kind: type) -> None:
    error = _from_realtime_error(RealTimeError("x", code=code))
    assert isinstance(error, kind)
    assert error.code == ("connection" if code is None else str(code))


def test_it_is_the_streaming_interface() -> None:
    engine: StreamingSpeechToText = AssemblyAIStreamingSTT(KEY)
    stream: SpeechStream = engine.open_stream()
    assert isinstance(stream, AssemblyAISpeechStream)


def test_unknown_speech_model_is_refused_up_front() -> None:
    with pytest.raises(ValueError):
        AssemblyAIStreamingSTT(KEY, speech_model="no-such-model")
