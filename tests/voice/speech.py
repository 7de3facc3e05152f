"""Callers' speech for the voice-pipeline tests: espeak-ng sentences as the phone pipeline
carries them inside Switchboard (PCM16 LE, 8 kHz, mono), and helpers to lay them out in time."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt

from switchboard.audio import decode_pcm
from switchboard.providers.local_tts import EspeakTTS
from switchboard.providers.streaming import FRAME_SAMPLES, PHONE_RATE

# A sample counts as sound above 1 % of full scale: espeak's own lead-in and tail are digital
# silence, and its quietest consonants still reach a few percent.
SOUND_LEVEL = 0.01 * 32768


async def spoken(text: str, *, rate_wpm: int = 160) -> npt.NDArray[np.int16]:
    """``text`` spoken by espeak-ng (en-us), resampled to 8 kHz int16, shape ``(n,)``."""
    media = await EspeakTTS("en-us", rate_wpm=rate_wpm).synthesize(text)
    samples = decode_pcm(media.data, sample_rate=PHONE_RATE)
    return np.asarray(np.clip(samples * 32768.0, -32768, 32767).astype(np.int16))


def silence(ms: int) -> npt.NDArray[np.int16]:
    return np.zeros(ms * PHONE_RATE // 1000, dtype=np.int16)


def sound_bounds_ms(samples: npt.NDArray[np.int16]) -> tuple[int, int]:
    """First and last sample above ``SOUND_LEVEL``, in ms from the start."""
    loud = np.nonzero(np.abs(samples.astype(np.int32)) > SOUND_LEVEL)[0]
    assert loud.size, "no sound in the audio"
    return int(loud[0]) * 1000 // PHONE_RATE, int(loud[-1]) * 1000 // PHONE_RATE


def frames(samples: npt.NDArray[np.int16]) -> Iterator[bytes]:
    """``samples`` as Twilio delivers them: 20 ms PCM16 LE frames (the last one may be short)."""
    for start in range(0, samples.size, FRAME_SAMPLES):
        yield samples[start : start + FRAME_SAMPLES].astype("<i2").tobytes()
