"""Audio conversions between the formats Switchboard meets, done by FFmpeg through PyAV.

- Twilio phone lines carry 8 kHz mono G.711 μ-law (Twilio docs, "Media Streams": audio/x-mulaw).
- WhatsApp voice notes are OGG/Opus (``audio/ogg``; WhatsApp Cloud API docs, "Supported media
  types": Opus codec only).
- Whisper wants 16 kHz mono float32 samples (faster-whisper's ``decode_audio``).

Every function takes the bytes of any container/codec FFmpeg reads (FLAC, WAV incl. μ-law,
OGG/Opus, MP3, ...) and raises an ``AudioDecodeError`` when they hold no usable audio, naming why:
``AudioEmpty`` (no bytes, or no samples), ``AudioUndecodable`` (not audio FFmpeg reads) or
``AudioTruncated`` (part of it decodes, but it is cut short or damaged). A damaged file is
refused rather than half-heard: "book Max on Tuesday at" must not become a booking.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from typing import Any

import av
import av.logging
import numpy as np
import numpy.typing as npt

PHONE_SAMPLE_RATE = 8000
OPUS_SAMPLE_RATE = 48000  # Opus' native rate; Ogg/Opus always reports it
OPUS_BIT_RATE = 32000  # bits/s: plenty for one voice, ~120 KiB a minute


class AudioDecodeError(ValueError):
    """The bytes hold no usable audio. Raised as one of the subclasses below."""


class AudioEmpty(AudioDecodeError):
    """No bytes, or a readable file that decodes to zero samples."""


class AudioUndecodable(AudioDecodeError):
    """Not audio FFmpeg can read: garbage, an unknown codec, no audio stream."""


class AudioTruncated(AudioDecodeError):
    """Part of the file decodes, but it is cut short or damaged: FFmpeg failed or reported an
    error after some frames, or the container says it ends later than the bytes do."""


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


def checked_duration_ms(data: bytes) -> int:
    """``duration_ms`` of audio that must be whole, for a vendor that reads the file itself:
    neither resampled nor encoded again. Ogg/Opus (a WhatsApp voice note) is checked from its
    framing without decoding the audio (``_ogg_opus_seconds``: a quarter of the decode's CPU
    on a 3 s voice note); any other audio is decoded to the end, as every conversion here
    does. Raises ``AudioDecodeError``; ``AudioEmpty`` when it holds no samples."""
    seconds = _ogg_opus_seconds(data) if _opens_ogg_opus(data) else _decoded_seconds(data)
    if seconds == 0:
        raise AudioEmpty("no audio: the stream decoded to zero samples")
    return int(seconds * 1000)


def is_ogg_opus(data: bytes) -> bool:
    """Whether ``data`` is a whole Ogg/Opus file, read from its framing alone (nothing decoded):
    it opens with an Ogg page (``OggS``) whose first packet is the Opus identification header
    (``OpusHead``; RFC 7845, section 5.1), and its last page is whole and marked end of stream
    (``_complete``). What a WhatsApp voice note must be, so a vendor's Ogg/Opus is sent as is.
    """
    return _opens_ogg_opus(data) and _complete(data, "ogg")


def _opens_ogg_opus(data: bytes) -> bool:
    """Whether ``data`` opens with an Ogg page whose first packet is ``OpusHead``."""
    if len(data) < 28 or data[:4] != b"OggS":
        return False
    # The first page's body follows its 27-byte header and its segment table (RFC 3533, 6).
    body = 27 + data[26]
    return data[body : body + 8] == b"OpusHead"


def _ogg_opus_seconds(data: bytes) -> float:
    """Seconds of Opus audio in ``data`` (an Ogg/Opus file), counted from its packets without
    decoding them, and refused as ``_frames`` refuses a decode: every page is read by FFmpeg's
    Ogg demuxer, which checks each page's CRC (RFC 3533, section 6: a damaged page logs "CRC
    mismatch!" and is skipped, caught here as in ``_frames``); each packet must start where
    the previous one ended (the pages' granule positions, RFC 7845 section 4: a page missing
    from the middle shows as a jump, which a decode does not notice); the last page must be
    whole and end the stream (``_complete``). What decoding adds is the Opus packets' own
    content, which the CRCs already say arrived as the encoder wrote it.

    Raises ``AudioUndecodable`` when no packet is read, ``AudioTruncated`` when some are and
    then a page is damaged, missing or cut short."""
    _hear_ffmpeg_errors()
    read = samples = 0
    gap: str | None = None
    with av.logging.Capture() as logs:
        try:
            with av.open(io.BytesIO(data), mode="r") as container:
                if not container.streams.audio:
                    raise AudioUndecodable("no audio stream in the ogg input")
                stream = container.streams.audio[0]
                if stream.codec_context.name != "opus":
                    raise AudioUndecodable(f"{stream.codec_context.name} in an Opus header")
                time_base = stream.time_base
                expected: int | None = None
                for packet in container.demux(stream):
                    if not packet.size:  # the demuxer's end-of-stream marker
                        continue
                    read += 1
                    duration = packet.duration or 0
                    samples += duration
                    if expected is not None and packet.pts is not None and packet.pts != expected:
                        gap = gap or f"a jump in the granule positions at packet {read}"
                    expected = None if packet.pts is None else packet.pts + duration
        except av.FFmpegError as exc:
            if read:
                raise AudioTruncated(
                    f"damaged audio ({len(data)} bytes): reading failed after {read} packets: {exc}"
                ) from exc
            raise AudioUndecodable(f"unreadable audio ({len(data)} bytes): {exc}") from exc
    errors = [f"[{name}] {text.strip()}" for level, name, text in logs if level <= av.logging.ERROR]
    if gap is not None:
        errors.append(gap)
    if errors:
        error = AudioTruncated if read else AudioUndecodable
        unique = list(dict.fromkeys(errors))
        raise error(f"damaged audio ({len(data)} bytes): {'; '.join(unique[:3])}")
    if not _complete(data, "ogg"):
        raise AudioTruncated(f"truncated ogg audio ({len(data)} bytes): it ends early")
    if time_base is None:
        return 0.0
    # The decoder drops the header's pre-skip from the start (RFC 7845, section 4): so here.
    body = 27 + data[26]
    pre_skip = int.from_bytes(data[body + 10 : body + 12], "little")
    return max(float(samples * time_base) - pre_skip / OPUS_SAMPLE_RATE, 0.0)


def duration_ms(data: bytes) -> int:
    """Length of the audio in ``data`` in milliseconds, rounded down. Raises ``AudioDecodeError``.

    Counts decoded samples rather than trusting the container's header, which streamed formats
    (Ogg, MP3 without a Xing header) often lack or get wrong.
    """
    return int(_decoded_seconds(data) * 1000)


def _decoded_seconds(data: bytes) -> float:
    """Seconds of audio in ``data``, from its decoded samples. Raises ``AudioDecodeError``."""
    return sum(frame.samples / frame.sample_rate for frame in _frames(data))


_log_level_lock = threading.Lock()


def _hear_ffmpeg_errors() -> None:
    """Route FFmpeg's error-level log lines through PyAV, so ``_frames`` can capture them.

    FFmpeg recovers from much damage with only a log line (an Ogg page whose CRC fails is
    skipped: "CRC mismatch!"), and PyAV drops FFmpeg's log unless a level is set. This sets the
    process-wide level to ERROR once, if nothing else configured it; lines no capture claims go
    to the ``libav.*`` Python loggers. Repeats are not folded: a line folded into another
    thread's identical one would escape this thread's capture.
    """
    with _log_level_lock:
        if av.logging.get_level() is None:
            av.logging.set_level(av.logging.ERROR)
            av.logging.set_skip_repeated(False)


def _frames(data: bytes) -> Iterator[av.AudioFrame]:
    """Decoded frames of the first audio stream in ``data``, at its own rate and format.

    Raises ``AudioEmpty`` on no bytes, ``AudioUndecodable`` when nothing decodes, and
    ``AudioTruncated`` when FFmpeg fails or logs an error after the first frame, or when the
    container is cut short (``_complete``). Consume it fully: a truncation shows at the end.
    """
    if not data:
        raise AudioEmpty("no audio: the input is empty")
    _hear_ffmpeg_errors()
    decoded = 0
    # Capture is per thread, and every caller decodes in one thread from start to end.
    with av.logging.Capture() as logs:
        try:
            with av.open(io.BytesIO(data), mode="r") as container:
                if not container.streams.audio:
                    raise AudioUndecodable(f"no audio stream in the {container.format.name} input")
                for frame in container.decode(container.streams.audio[0]):
                    decoded += 1
                    yield frame
                format_name = container.format.name
        except av.FFmpegError as exc:
            if decoded:
                raise AudioTruncated(
                    f"damaged audio ({len(data)} bytes): decoding failed after {decoded} "
                    f"frames: {exc}"
                ) from exc
            raise AudioUndecodable(f"unreadable audio ({len(data)} bytes): {exc}") from exc
    errors = [f"[{name}] {text.strip()}" for level, name, text in logs if level <= av.logging.ERROR]
    if errors:
        error = AudioTruncated if decoded else AudioUndecodable
        unique = list(dict.fromkeys(errors))
        raise error(f"damaged audio ({len(data)} bytes): {'; '.join(unique[:3])}")
    if not _complete(data, format_name):
        raise AudioTruncated(f"truncated {format_name} audio ({len(data)} bytes): it ends early")


def _complete(data: bytes, format_name: str) -> bool:
    """Whether the container's own framing says the file ends where the bytes do.

    FFmpeg decodes a cut file up to the cut without a word, so the two formats Switchboard
    receives are checked here: Ogg (voice notes), whose last page must be whole and carry the
    end-of-stream flag (RFC 3533, section 6), and RIFF WAVE (call recordings), whose ``data``
    chunk must fit in the bytes (a size of 0 or 0xFFFFFFFF means "unknown": streamed WAV).
    Other formats are trusted.
    """
    if format_name == "ogg":
        # A page: "OggS", version, flags (0x04: end of stream), ..., at byte 26 the number of
        # segments, then their lengths (the segment table), then the body.
        last = data.rfind(b"OggS")
        if last < 0 or len(data) < last + 27:
            return False
        count = data[last + 26]
        table = data[last + 27 : last + 27 + count]
        end_of_stream = bool(data[last + 5] & 0x04)
        return end_of_stream and len(table) == count and last + 27 + count + sum(table) <= len(data)
    if format_name == "wav" and data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        at = 12
        while at + 8 <= len(data):
            size = int.from_bytes(data[at + 4 : at + 8], "little")
            if data[at : at + 4] == b"data":
                return size in (0, 0xFFFFFFFF) or at + 8 + size <= len(data)
            at += 8 + size + (size & 1)  # chunks are padded to an even length
    return True


def _decode(data: bytes, *, sample_rate: int) -> npt.NDArray[np.int16]:
    """Decode, downmix and resample to mono int16 samples at ``sample_rate`` Hz, shape ``(n,)``."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=sample_rate)
    chunks = [
        out.to_ndarray().reshape(-1)
        for frame in _batched(_frames(data))
        for out in resampler.resample(frame)
    ]
    # Draining the resampler returns the tail it buffered for filtering.
    chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
    if not chunks or sum(len(c) for c in chunks) == 0:
        raise AudioEmpty("no audio: the stream decoded to zero samples")
    return np.concatenate(chunks)


# Samples per channel handed to the resampler at once (~10 s at 48 kHz): bounds the memory of a
# long recording while a voice note goes through in one or two calls.
_BATCH_SAMPLES = 480_000


def _batched(frames: Iterator[av.AudioFrame]) -> Iterator[av.AudioFrame]:
    """``frames`` joined into frames of up to ``_BATCH_SAMPLES`` samples, each run of the same
    format, layout and rate joined on its own.

    Each ``AudioResampler.resample`` call costs a pass through FFmpeg's filter graph: a 3 s
    voice note is 150 Opus frames of 20 ms, and its decode to 16 kHz took 23.7 ms of CPU frame
    by frame, 17.4 ms batched (medians of 30 interleaved runs on the benchmark machine, issue
    14). The resampler streams, so fewer, longer frames give the same samples (bit-identical
    on the bench's voice note, a TTS WAV, a μ-law phone WAV, jfk.flac and a 40 s WAV, at 8, 16
    and 48 kHz)."""
    run: list[npt.NDArray[Any]] = []
    shape: tuple[str, str, int] | None = None
    size = 0

    def joined() -> av.AudioFrame:
        assert shape is not None
        samples = np.concatenate(run, axis=1)
        out = av.AudioFrame.from_ndarray(samples, format=shape[0], layout=shape[1])
        out.sample_rate = shape[2]
        return out

    for frame in frames:
        this = (frame.format.name, frame.layout.name, frame.sample_rate)
        if run and (this != shape or size >= _BATCH_SAMPLES):
            yield joined()
            run, size = [], 0
        shape = this
        # Packed formats give one row of interleaved samples, planar ones a row per channel:
        # both join along the time axis.
        run.append(frame.to_ndarray())
        size += frame.samples
    if run:
        yield joined()


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
