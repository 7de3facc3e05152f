"""Audio conversions, checked by reopening their output with FFmpeg (PyAV)."""

from __future__ import annotations

import io
import random
import wave
from collections.abc import Callable
from dataclasses import dataclass

import av
import numpy as np
import pytest

from switchboard.audio import (
    AudioDecodeError,
    AudioEmpty,
    AudioTruncated,
    AudioUndecodable,
    checked_duration_ms,
    decode_pcm,
    duration_ms,
    is_ogg_opus,
    to_ogg_opus,
    to_phone_wav,
    to_wav,
)

JFK_MS = 11_000
TOLERANCE_MS = 50  # Opus pads to 20 ms frames; resamplers shift a few samples


@dataclass(frozen=True)
class Probe:
    container: str
    codec: str
    sample_rate: int
    channels: int


def probe(data: bytes) -> Probe:
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        return Probe(
            container=container.format.name,
            codec=stream.codec_context.name,
            sample_rate=stream.rate,
            channels=stream.channels,
        )


def png_without_audio() -> bytes:
    """A real media file FFmpeg opens, with a video stream and no audio stream."""
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="image2pipe") as output:
        stream = output.add_stream("png", rate=1)
        stream.width, stream.height, stream.pix_fmt = 8, 8, "rgb24"
        frame = av.VideoFrame.from_ndarray(np.zeros((8, 8, 3), dtype=np.uint8), format="rgb24")
        output.mux(stream.encode(frame))
        output.mux(stream.encode(None))
    return buffer.getvalue()


GARBAGE = {
    "empty": b"",
    "text": b"this is not audio at all\n" * 40,
    "random": random.Random(7).randbytes(8192),
    "image": png_without_audio(),
}


def test_decode_pcm_gives_16khz_mono_float32_in_range(jfk_flac: bytes) -> None:
    samples = decode_pcm(jfk_flac)

    assert samples.dtype == np.float32
    assert samples.ndim == 1
    assert abs(len(samples) - 16 * JFK_MS) <= 16 * TOLERANCE_MS
    assert -1.0 <= samples.min() < 0 < samples.max() <= 1.0
    assert float(np.sqrt(np.mean(samples**2))) > 0.01  # speech, not silence


def test_decode_pcm_resamples_to_the_requested_rate(jfk_flac: bytes) -> None:
    assert abs(len(decode_pcm(jfk_flac, sample_rate=8000)) - 8 * JFK_MS) <= 8 * TOLERANCE_MS


def test_to_wav_is_16bit_mono_and_round_trips_exactly(jfk_flac: bytes) -> None:
    wav = to_wav(jfk_flac)

    assert probe(wav) == Probe("wav", "pcm_s16le", 16000, 1)
    np.testing.assert_array_equal(decode_pcm(wav), decode_pcm(jfk_flac))


def test_to_wav_honours_sample_rate(jfk_flac: bytes) -> None:
    assert probe(to_wav(jfk_flac, sample_rate=22050)).sample_rate == 22050


def test_to_phone_wav_is_8khz_mulaw_and_keeps_the_waveform(jfk_flac: bytes) -> None:
    phone = to_phone_wav(jfk_flac)

    assert probe(phone) == Probe("wav", "pcm_mulaw", 8000, 1)
    # One byte per sample at 8 kHz, plus a WAV header: 8 KB per second of speech.
    assert abs(len(phone) - 8 * JFK_MS) < 8 * TOLERANCE_MS
    heard = decode_pcm(phone, sample_rate=8000)
    original = decode_pcm(jfk_flac, sample_rate=8000)
    assert len(heard) == len(original)
    assert np.corrcoef(heard, original)[0, 1] > 0.999  # μ-law only adds quantisation noise


def test_to_ogg_opus_is_a_mono_opus_voice_note(jfk_flac: bytes) -> None:
    note = to_ogg_opus(jfk_flac)

    assert probe(note) == Probe("ogg", "opus", 48000, 1)
    assert len(note) < len(jfk_flac) / 10  # lossy: a voice note, not a copy of the FLAC
    heard = decode_pcm(note)
    original = decode_pcm(jfk_flac)
    n = min(len(heard), len(original))
    # Time-aligned (FFmpeg trims Opus' pre-skip) and close to the original waveform.
    assert np.corrcoef(heard[:n], original[:n])[0, 1] > 0.98


def test_only_a_whole_ogg_opus_file_is_taken_as_a_voice_note_as_it_is(jfk_flac: bytes) -> None:
    note = to_ogg_opus(jfk_flac)

    assert is_ogg_opus(note)
    assert not is_ogg_opus(note[: len(note) // 2]), "cut short"
    assert not is_ogg_opus(jfk_flac)
    assert not is_ogg_opus(to_wav(jfk_flac))
    assert not is_ogg_opus(b"")


@pytest.mark.parametrize("convert", [lambda d: d, to_wav, to_phone_wav, to_ogg_opus])
def test_duration_ms_is_about_eleven_seconds(
    jfk_flac: bytes, convert: Callable[[bytes], bytes]
) -> None:
    assert abs(duration_ms(convert(jfk_flac)) - JFK_MS) <= TOLERANCE_MS


def test_conversions_chain(jfk_flac: bytes) -> None:
    """A WhatsApp voice note played down a phone line still lasts as long."""
    phone = to_phone_wav(to_ogg_opus(jfk_flac))

    assert probe(phone).codec == "pcm_mulaw"
    assert abs(duration_ms(phone) - JFK_MS) <= TOLERANCE_MS


@pytest.mark.parametrize("convert", [decode_pcm, to_wav, to_phone_wav, to_ogg_opus, duration_ms])
@pytest.mark.parametrize("garbage", GARBAGE.values(), ids=GARBAGE.keys())
def test_unreadable_input_raises_audio_decode_error(
    convert: Callable[[bytes], object], garbage: bytes
) -> None:
    with pytest.raises(AudioDecodeError):
        convert(garbage)


def test_audio_decode_error_says_why() -> None:
    with pytest.raises(AudioDecodeError, match="no audio stream"):
        decode_pcm(GARBAGE["image"])
    with pytest.raises(AudioDecodeError, match="empty"):
        decode_pcm(b"")
    assert issubclass(AudioDecodeError, ValueError)


def test_wav_without_samples_raises() -> None:
    """A well-formed WAV holding zero samples: readable, but there is nothing to hear."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as empty:
        empty.setnchannels(1)
        empty.setsampwidth(2)
        empty.setframerate(16000)
    with pytest.raises(AudioDecodeError, match="zero samples"):
        decode_pcm(buffer.getvalue())


# -- the causes of unusable audio -------------------------------------------------------------


def damaged_in_the_middle(data: bytes) -> bytes:
    """``data`` with 200 random bytes where its middle was: a bad upload, a flipped block."""
    middle = len(data) // 2
    return data[:middle] + random.Random(3).randbytes(200) + data[middle + 200 :]


@pytest.mark.parametrize(
    ("cause", "garbage"),
    [
        (AudioEmpty, GARBAGE["empty"]),
        (AudioUndecodable, GARBAGE["text"]),
        (AudioUndecodable, GARBAGE["random"]),
        (AudioUndecodable, GARBAGE["image"]),
    ],
    ids=["empty", "text", "random", "image"],
)
def test_unusable_input_names_its_cause(cause: type[AudioDecodeError], garbage: bytes) -> None:
    with pytest.raises(cause):
        to_wav(garbage)


@pytest.mark.parametrize(
    "convert", [lambda d: d, to_wav, to_phone_wav, to_ogg_opus], ids=["flac", "wav", "phone", "ogg"]
)
def test_a_file_cut_in_the_middle_is_truncated_not_half_heard(
    jfk_flac: bytes, convert: Callable[[bytes], bytes]
) -> None:
    """FFmpeg decodes the first half of a cut Ogg or WAV without a word: the container's own
    framing (Ogg's end-of-stream page, WAV's data size) or FFmpeg's failure gives it away."""
    whole = convert(jfk_flac)
    assert len(decode_pcm(whole)) > 0

    with pytest.raises(AudioTruncated):
        decode_pcm(whole[: len(whole) // 2])


def test_an_ogg_cut_at_its_last_page_is_truncated(jfk_flac: bytes) -> None:
    note = to_ogg_opus(jfk_flac)
    last_page = note.rfind(b"OggS")

    with pytest.raises(AudioTruncated, match="ends early"):
        decode_pcm(note[:last_page])  # whole pages, but no end-of-stream page
    with pytest.raises(AudioTruncated, match="ends early"):
        decode_pcm(note[:-10])


@pytest.mark.parametrize("convert", [lambda d: d, to_ogg_opus], ids=["flac", "ogg"])
def test_a_file_damaged_in_the_middle_is_refused(
    jfk_flac: bytes, convert: Callable[[bytes], bytes]
) -> None:
    """FFmpeg skips the damaged Ogg page (CRC mismatch) and carries on: its error log is caught."""
    with pytest.raises(AudioTruncated, match="damaged"):
        duration_ms(damaged_in_the_middle(convert(jfk_flac)))


def test_the_causes_are_decode_errors() -> None:
    for cause in (AudioEmpty, AudioUndecodable, AudioTruncated):
        assert issubclass(cause, AudioDecodeError)


# -- a voice note checked whole without decoding it (checked_duration_ms) ---------------------


def ogg_pages(data: bytes) -> list[bytes]:
    """The Ogg pages of ``data``, each whole (header, segment table, body; RFC 3533, 6)."""
    pages, at = [], 0
    while at < len(data):
        count = data[at + 26]
        size = 27 + count + sum(data[at + 27 : at + 27 + count])
        pages.append(data[at : at + size])
        at += size
    return pages


def test_a_whole_voice_note_is_as_long_as_its_decode(jfk_flac: bytes) -> None:
    note = to_ogg_opus(jfk_flac)

    # To the millisecond: the decode sums float seconds per frame, the packets count samples.
    assert abs(checked_duration_ms(note) - duration_ms(note)) <= 1


def test_a_voice_note_damaged_cut_or_emptied_is_refused_without_a_decode(
    jfk_flac: bytes,
) -> None:
    note = to_ogg_opus(jfk_flac)

    with pytest.raises(AudioTruncated, match="CRC mismatch"):
        checked_duration_ms(damaged_in_the_middle(note))
    with pytest.raises(AudioTruncated, match="ends early"):
        checked_duration_ms(note[: len(note) // 2])
    with pytest.raises(AudioTruncated, match="ends early"):
        checked_duration_ms(note[: note.rfind(b"OggS")])
    with pytest.raises(AudioUndecodable):
        checked_duration_ms(b"".join(ogg_pages(note)[:2]))  # the two header pages alone


def test_a_voice_note_missing_a_page_is_refused(jfk_flac: bytes) -> None:
    """A page lost from the middle leaves every other page whole (its CRC right) and the last
    one ending the stream: the jump in the granule positions gives it away. ("Book Max on
    Tuesday" must not be heard without "Tuesday".)"""
    pages = ogg_pages(to_ogg_opus(jfk_flac))
    assert len(pages) > 4
    missing = b"".join(pages[:3] + pages[4:])

    with pytest.raises(AudioTruncated, match="granule"):
        checked_duration_ms(missing)
