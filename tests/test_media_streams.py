"""The Media Streams protocol: Twilio's documented messages parse, ours are built the way Twilio
documents them, the μ-law codec keeps a tone a tone, and the handshake signature is checked.

The JSON below is the examples of "Media Streams - WebSocket Messages"
(https://www.twilio.com/docs/voice/media-streams/websocket-messages), with the abbreviated
payloads ("no+JhoaJjpz...") replaced by whole base64.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math

import numpy as np
import pytest

from switchboard.media_streams import (
    Clear,
    Connected,
    Dtmf,
    Mark,
    Media,
    MediaStreamProtocolError,
    OutboundMark,
    OutboundMedia,
    Start,
    Stop,
    clear_message,
    frames,
    mark_message,
    media_message,
    mulaw_to_pcm16,
    parse_message,
    parse_outbound,
    pcm16_to_mulaw,
    signature_ok,
)

SID = "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
PAYLOAD = bytes(range(0x50, 0x50 + 160))  # 20 ms of μ-law
PAYLOAD_B64 = base64.b64encode(PAYLOAD).decode()

CONNECTED = """{ "event": "connected", "protocol": "Call", "version": "1.0.0" }"""
START = """{
  "event": "start",
  "sequenceNumber": "1",
  "start": {
    "accountSid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
    "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
    "callSid": "CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
    "tracks": [ "inbound" ],
    "mediaFormat": { "encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1 },
    "customParameters": { "FirstName": "Jane", "LastName": "Doe", "RemoteParty": "Bob" }
  },
  "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
}"""
MEDIA_INBOUND = """{ "event": "media", "sequenceNumber": "4",
 "media": { "track": "inbound", "chunk": "2", "timestamp": "5", "payload": "PAYLOAD" },
"streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" }""".replace("PAYLOAD", PAYLOAD_B64)
MEDIA_OUTBOUND_TRACK = MEDIA_INBOUND.replace('"inbound"', '"outbound"')
STOP = """{ "event": "stop", "sequenceNumber": "5",
 "stop": { "accountSid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
           "callSid": "CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" },
 "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" }"""
DTMF = """{ "event": "dtmf", "streamSid":"MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "sequenceNumber":"5",
  "dtmf": { "track":"inbound_track", "digit": "1" } }"""
MARK = """{ "event": "mark", "sequenceNumber": "4",
 "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "mark": { "name": "my label" } }"""


# -- parsing what Twilio sends ----------------------------------------------------------------


def test_parses_the_documented_connected_and_start() -> None:
    connected = parse_message(CONNECTED)
    assert connected == Connected(event="connected", protocol="Call", version="1.0.0")

    start = parse_message(START)
    assert isinstance(start, Start)
    assert start.sequence_number == 1  # "1" on the wire
    assert start.stream_sid == SID
    assert start.call_sid == "CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
    assert start.account_sid == "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
    assert start.tracks == ["inbound"]
    assert start.custom_parameters == {"FirstName": "Jane", "LastName": "Doe", "RemoteParty": "Bob"}
    assert (start.media_format.encoding, start.media_format.sample_rate) == ("audio/x-mulaw", 8000)
    assert start.media_format.channels == 1


def test_parses_media_with_the_payload_decoded() -> None:
    media = parse_message(MEDIA_INBOUND)
    assert isinstance(media, Media)
    assert (media.sequence_number, media.track, media.chunk, media.timestamp_ms) == (
        4,
        "inbound",
        2,
        5,
    )
    assert media.payload == PAYLOAD
    assert media.stream_sid == SID
    outbound = parse_message(MEDIA_OUTBOUND_TRACK)
    assert isinstance(outbound, Media) and outbound.track == "outbound"


def test_parses_dtmf_mark_and_stop() -> None:
    dtmf = parse_message(DTMF)
    assert isinstance(dtmf, Dtmf)
    assert (dtmf.digit, dtmf.track, dtmf.sequence_number) == ("1", "inbound_track", 5)
    mark = parse_message(MARK)
    assert isinstance(mark, Mark)
    assert (mark.name, mark.stream_sid) == ("my label", SID)
    stop = parse_message(STOP)
    assert isinstance(stop, Stop)
    assert stop.call_sid == "CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
    assert stop.account_sid == "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"


def test_start_without_custom_parameters_has_none() -> None:
    data = json.loads(START)
    del data["start"]["customParameters"]
    start = parse_message(json.dumps(data))
    assert isinstance(start, Start) and start.custom_parameters == {}


def _without(text: str, *path: str) -> str:
    data = json.loads(text)
    node = data
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return json.dumps(data)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ('{"event": "media", ', "malformed JSON"),
        ('["media"]', "JSON list"),
        ('{"streamSid": "MZ1"}', "without an event"),
        ('{"event": "hangup"}', "unknown event 'hangup'"),
        (_without(START, "start", "callSid"), "start.callSid"),
        (_without(MEDIA_INBOUND, "media", "payload"), "media.payload"),
        (_without(MARK, "mark"), "mark.name"),
        (MEDIA_INBOUND.replace(PAYLOAD_B64, "not base64!"), "base64"),
        (MEDIA_INBOUND.replace('"sequenceNumber": "4"', '"sequenceNumber": "four"'), "sequenceN"),
    ],
)
def test_malformed_messages_are_refused_by_name(text: str, names: str) -> None:
    with pytest.raises(MediaStreamProtocolError, match=names):
        parse_message(text)


# -- what Switchboard sends -------------------------------------------------------------------


def test_outbound_messages_have_the_documented_shapes() -> None:
    assert json.loads(media_message(SID, PAYLOAD)) == {
        "event": "media",
        "streamSid": SID,
        "media": {"payload": PAYLOAD_B64},
    }
    assert json.loads(mark_message(SID, "my label")) == {
        "event": "mark",
        "streamSid": SID,
        "mark": {"name": "my label"},
    }
    assert json.loads(clear_message(SID)) == {"event": "clear", "streamSid": SID}


def test_outbound_messages_read_back_as_twilio_reads_them() -> None:
    assert parse_outbound(media_message(SID, PAYLOAD)) == OutboundMedia(
        event="media", stream_sid=SID, payload=PAYLOAD
    )
    assert parse_outbound(mark_message(SID, "reply-1")) == OutboundMark(
        event="mark", stream_sid=SID, name="reply-1"
    )
    assert parse_outbound(clear_message(SID)) == Clear(event="clear", stream_sid=SID)


def _wav_header() -> bytes:
    return b"RIFF" + (36).to_bytes(4, "little") + b"WAVEfmt "


def test_a_wav_file_is_not_a_media_payload() -> None:
    # Twilio: "The media.payload should not contain audio file type header bytes."
    with pytest.raises(ValueError, match="WAV"):
        media_message(SID, _wav_header() + PAYLOAD)
    sent = json.dumps(
        {
            "event": "media",
            "streamSid": SID,
            "media": {"payload": base64.b64encode(_wav_header() + PAYLOAD).decode()},
        }
    )
    with pytest.raises(MediaStreamProtocolError, match="header"):
        parse_outbound(sent)


def test_twilio_refuses_what_a_stream_server_may_not_send() -> None:
    # Only media, mark and clear go to Twilio (error 31924); a mark needs a name.
    with pytest.raises(MediaStreamProtocolError, match="unknown event 'stop'"):
        parse_outbound(STOP)
    with pytest.raises(ValueError, match="name"):
        mark_message(SID, "")
    with pytest.raises(MediaStreamProtocolError, match="mark.name"):
        parse_outbound('{"event": "mark", "streamSid": "MZ1", "mark": {}}')


# -- μ-law ------------------------------------------------------------------------------------


def _tone(hz: float, seconds: float, *, level: float, rate: int = 8000) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return np.round(level * 32767 * np.sin(2 * math.pi * hz * t)).astype("<i2")


def test_a_tone_survives_the_mulaw_round_trip() -> None:
    tone = _tone(440, 1.0, level=0.5)
    mulaw = pcm16_to_mulaw(tone.tobytes())
    assert len(mulaw) == len(tone)  # one byte a sample: 8000 bytes a second
    back = np.frombuffer(mulaw_to_pcm16(mulaw), dtype="<i2").astype(np.float64)

    # G.711 μ-law: the step grows with the level, so the error stays a few percent of the
    # sample (plus one small step near zero).
    error = np.abs(back - tone)
    assert np.all(error <= 0.035 * np.abs(tone) + 16)
    snr_db = 10 * np.log10(np.sum(tone.astype(np.float64) ** 2) / np.sum(error**2))
    assert snr_db > 30  # ~38 dB is μ-law's textbook figure for a loud tone
    # ... and it still sounds like 440 Hz.
    spectrum = np.abs(np.fft.rfft(back))
    assert np.argmax(spectrum) * 8000 / len(back) == pytest.approx(440, abs=2)


def test_silence_is_0xff_and_pcm_must_be_whole_samples() -> None:
    assert pcm16_to_mulaw(bytes(320)) == b"\xff" * 160
    assert mulaw_to_pcm16(b"\xff" * 160) == bytes(320)
    with pytest.raises(ValueError, match="2 bytes a sample"):
        pcm16_to_mulaw(bytes(321))


def test_frames_are_20_ms_with_the_last_padded_with_silence() -> None:
    audio = bytes(range(256)) + bytes(range(144))  # 400 bytes: 50 ms
    chunks = list(frames(audio))
    assert [len(chunk) for chunk in chunks] == [160, 160, 160]
    assert b"".join(chunks)[:400] == audio
    assert chunks[-1][80:] == b"\xff" * 80
    assert list(frames(bytes(320))) == [bytes(160), bytes(160)]  # whole frames: no padding
    assert list(frames(b"")) == []
    with pytest.raises(ValueError):
        list(frames(audio, size=0))


# -- the handshake signature ------------------------------------------------------------------

TOKEN = "12345678901234567890123456789012"
URL = "wss://switchboard.example.test/twilio/voice/stream"


def _twilio_signature(url: str, token: str) -> str:
    # Twilio's scheme (https://www.twilio.com/docs/usage/security): HMAC-SHA1 of the URL (then
    # any POST parameters: a handshake has none) keyed with the Auth Token, base64.
    digest = hmac.new(token.encode(), url.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def test_signature_of_the_stream_url_is_accepted() -> None:
    assert signature_ok(URL, _twilio_signature(URL, TOKEN), TOKEN)


def test_forged_or_missing_signatures_are_refused() -> None:
    assert not signature_ok(URL, _twilio_signature(URL, "another account's token"), TOKEN)
    # Signed for another URL, or for the https:// form a proxy shows the app.
    assert not signature_ok(URL, _twilio_signature(URL + "/other", TOKEN), TOKEN)
    https = URL.replace("wss://", "https://")
    assert not signature_ok(URL, _twilio_signature(https, TOKEN), TOKEN)
    assert not signature_ok(URL, None, TOKEN)
    assert not signature_ok(URL, "", TOKEN)
    with pytest.raises(ValueError, match="auth token"):
        signature_ok(URL, _twilio_signature(URL, TOKEN), "")
