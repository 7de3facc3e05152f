"""Callers' speech: each turn spoken by espeak-ng (the product's ``EspeakTTS``) in one of several
English accents, optionally with background noise mixed in at a given signal-to-noise ratio.
``TwilioSimulator.call`` then converts it to what a phone line carries (8 kHz mono μ-law)."""

from __future__ import annotations

import hashlib
import io
import wave

import numpy as np
import numpy.typing as npt

from switchboard.providers.local_tts import EspeakTTS

# A little room before and after the words, as a real recording has (filled with the noise).
_LEAD_S = 0.3
_TAIL_S = 0.4
# Callers speak a bit slower than espeak's default 175 wpm.
RATE_WPM = 150
# Asked to repeat, a caller says it again more slowly and deliberately: 20% slower.
REPEAT_RATE_WPM = 120


def _seed(text: str, salt: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{salt}/{text}".encode()).digest()[:4], "big")


def noise(kind: str, n: int, rng: np.random.Generator) -> npt.NDArray[np.float64]:
    """``n`` samples of unit-power noise: ``white`` (flat spectrum, hiss) or ``brown``
    (integrated white noise, a low rumble like traffic or a car), zero mean."""
    white = rng.standard_normal(n)
    if kind == "white":
        out = white
    elif kind == "brown":
        out = np.cumsum(white)
        # Remove the random walk's drift so it stays a rumble around zero.
        out = out - np.convolve(out, np.ones(401) / 401, mode="same")
    else:
        raise ValueError(f"unknown noise {kind!r}")
    out = out - out.mean()
    power = float(np.mean(out**2)) or 1.0
    return np.asarray(out / np.sqrt(power))


def mix_noise(
    samples: npt.NDArray[np.int16], kind: str, snr_db: float, rng: np.random.Generator
) -> npt.NDArray[np.int16]:
    """``samples`` with ``kind`` noise added so that speech power / noise power is ``snr_db``
    dB (speech power measured over the voiced samples, not the silences)."""
    speech = samples.astype(np.float64)
    voiced = speech[np.abs(speech) > 0.02 * 32768]
    power = float(np.mean((voiced if voiced.size else speech) ** 2))
    scaled = noise(kind, speech.size, rng) * np.sqrt(power / 10 ** (snr_db / 10))
    return np.asarray(np.clip(speech + scaled, -32768, 32767).astype(np.int16))


def _read_wav(data: bytes) -> tuple[npt.NDArray[np.int16], int]:
    with wave.open(io.BytesIO(data), "rb") as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise ValueError("expected 16-bit mono WAV from espeak-ng")
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.int16), (
            w.getframerate()
        )


def _write_wav(samples: npt.NDArray[np.int16], rate: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())
    return out.getvalue()


async def caller_audio(
    text: str,
    *,
    voice: str,
    noise_kind: str = "none",
    snr_db: float = 15.0,
    salt: str = "",
    rate_wpm: int = RATE_WPM,
) -> bytes:
    """A WAV (16-bit mono, espeak's 22050 Hz) of ``text`` spoken with espeak-ng ``voice`` at
    ``rate_wpm`` words a minute, with a short lead-in and tail, noise mixed in unless
    ``noise_kind`` is ``none``. The noise is seeded by ``salt`` and ``text``, so a scenario gets
    the same noise every run (and a line said again with another salt, other noise).

    Raises ``ProviderRejected`` for an unknown voice."""
    media = await EspeakTTS(voice, rate_wpm=rate_wpm).synthesize(text)
    speech, rate = _read_wav(media.data)
    padded = np.concatenate(
        [
            np.zeros(int(_LEAD_S * rate), dtype=np.int16),
            speech,
            np.zeros(int(_TAIL_S * rate), dtype=np.int16),
        ]
    )
    if noise_kind != "none":
        rng = np.random.default_rng(_seed(text, salt))
        padded = mix_noise(padded, noise_kind, snr_db, rng)
    return _write_wav(padded, rate)
