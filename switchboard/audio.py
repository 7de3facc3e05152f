"""Audio conversions between the formats Switchboard meets, done by FFmpeg through PyAV.

- Twilio phone lines carry 8 kHz mono G.711 μ-law (Twilio docs, "Media Streams": audio/x-mulaw).
- WhatsApp voice notes are OGG/Opus (``audio/ogg``; WhatsApp Cloud API docs, "Supported media
  types": Opus codec only).
- Whisper wants 16 kHz mono float32 samples (faster-whisper's ``decode_audio``).

Every function takes the bytes of any container/codec FFmpeg reads (FLAC, WAV incl. μ-law,
OGG/Opus, MP3, ...) and raises ``AudioDecodeError`` when they hold no decodable audio.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import av
import numpy as np
import numpy.typing as npt

PHONE_SAMPLE_RATE = 8000
OPUS_SAMPLE_RATE = 48000  # Opus' native rate; Ogg/Opus always reports it
OPUS_BIT_RATE = 32000  # bits/s: plenty for one voice, ~120 KiB a minute


class AudioDecodeError(ValueError):
    """The bytes are not audio FFmpeg can decode: garbage, empty, no audio stream, no samples."""


def decode_pcm(data: bytes, *, sample_rate: int = 16000) -> npt.NDArray[np.float32]:
    """Decode ``data`` to mono float32 samples in [-1, 1] at ``sample_rate`` Hz, shape ``(n,)``.

    Raises ``AudioDecodeError``.
    """
    # Through s16, as faster-whisper's own decode_audio does: FFmpeg normalises its stereo downmix
    # only for integer output, so asking it for floats gives a level 3 dB above what to_wav() and
    # the encoders produce, with peaks past 1.0 (jfk.flac, 44.1 kHz stereo, reaches 1.1).
    return _decode(data, sample_rate=sample_rate).astype(np.float32) / 32768.0


def to_wav(data: bytes, *, sample_rate: int = 16000) -> bytes:
    """Convert ``data`` to a 16-bit PCM mono WAV at ``sample_rate`` Hz.

    Raises ``AudioDecodeError``.
    """
    samples = _decode(data, sample_rate=sample_rate)
    return _encode(samples, sample_rate=sample_rate, container="wav", codec="pcm_s16le")


def to_phone_wav(data: bytes) -> bytes:
    """Convert ``data`` to what a Twilio phone line carries: 8 kHz mono μ-law (``pcm_mulaw``) WAV.

    Raises ``AudioDecodeError``.
    """
    samples = _decode(data, sample_rate=PHONE_SAMPLE_RATE)
    return _encode(samples, sample_rate=PHONE_SAMPLE_RATE, container="wav", codec="pcm_mulaw")


def to_ogg_opus(data: bytes) -> bytes:
    """Convert ``data`` to a WhatsApp voice note: OGG/Opus, mono, 48 kHz, 32 kbit/s.

    Raises ``AudioDecodeError``.
    """
    samples = _decode(data, sample_rate=OPUS_SAMPLE_RATE)
    return _encode(
        samples,
        sample_rate=OPUS_SAMPLE_RATE,
        container="ogg",
        codec="libopus",
        bit_rate=OPUS_BIT_RATE,
    )


def duration_ms(data: bytes) -> int:
    """Length of the audio in ``data`` in milliseconds, rounded down. Raises ``AudioDecodeError``.

    Counts decoded samples rather than trusting the container's header, which streamed formats
    (Ogg, MP3 without a Xing header) often lack or get wrong.
    """
    seconds = sum(frame.samples / frame.sample_rate for frame in _frames(data))
    return int(seconds * 1000)


def _frames(data: bytes) -> Iterator[av.AudioFrame]:
    """Decoded frames of the first audio stream in ``data``, at its own rate and format."""
    if not data:
        raise AudioDecodeError("no audio: the input is empty")
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.audio:
                raise AudioDecodeError(f"no audio stream in the {container.format.name} input")
            yield from container.decode(container.streams.audio[0])
    except av.FFmpegError as exc:
        raise AudioDecodeError(f"unreadable audio ({len(data)} bytes): {exc}") from exc


def _decode(data: bytes, *, sample_rate: int) -> npt.NDArray[np.int16]:
    """Decode, downmix and resample to mono int16 samples at ``sample_rate`` Hz, shape ``(n,)``."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=sample_rate)
    chunks = [
        out.to_ndarray().reshape(-1) for frame in _frames(data) for out in resampler.resample(frame)
    ]
    # Draining the resampler returns the tail it buffered for filtering.
    chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
    if not chunks or sum(len(c) for c in chunks) == 0:
        raise AudioDecodeError("no audio: the stream decoded to zero samples")
    return np.concatenate(chunks)


def _encode(
    samples: npt.NDArray[np.int16],
    *,
    sample_rate: int,
    container: str,
    codec: str,
    bit_rate: int | None = None,
) -> bytes:
    """Encode mono s16 ``samples`` at ``sample_rate`` Hz with ``codec`` into ``container``."""
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container) as output:
        stream = output.add_stream(codec, rate=sample_rate, layout="mono")
        assert isinstance(stream, av.AudioStream)  # for mypy: every codec passed here is audio
        if bit_rate is not None:
            stream.bit_rate = bit_rate
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = sample_rate
        # PyAV splits the frame into the codec's frame size (960 samples for Opus) itself.
        output.mux(stream.encode(frame))
        output.mux(stream.encode(None))
    return buffer.getvalue()
