"""TurnDetector on real speech (espeak-ng at 8 kHz), on silence, noise and clicks.

Times are compared with where the audio is actually loud (``sound_bounds_ms``). ``TurnEnded``
comes ``end_silence_ms`` plus up to ``END_LATENCY_SLACK_MS`` after the last sound: Silero's
probability stays above the silence threshold for up to 110 ms after it, durations count whole
32 ms windows, and an event is known at the end of a 20 ms frame (measured: +14 to +137 ms;
the module docstring).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from evals.voice import mix_noise
from switchboard.voice.turns import (
    END_SILENCE_MS,
    MIN_SPEECH_MS,
    WINDOW_MS,
    SpeechStarted,
    TurnDetector,
    TurnEnded,
    TurnEvent,
)
from tests.voice.speech import frames, silence, sound_bounds_ms, spoken

START_LATENCY_MAX_MS = 320  # SpeechStarted after the first sound
END_LATENCY_SLACK_MS = 170  # 110 ms of Silero's tail + a window + a frame, rounded up


def run(detector: TurnDetector, samples: npt.NDArray[np.int16]) -> list[TurnEvent]:
    events: list[TurnEvent] = []
    for frame in frames(samples):
        events.extend(detector.push(frame))
    return events


async def test_one_turn_per_utterance_with_timing() -> None:
    texts = [
        "I'd like to book a haircut with Max on Tuesday at ten.",
        "My number is oh six, one two, three four, five six, seven eight.",
        "Yes.",
    ]
    audio = [silence(500)]
    expected: list[tuple[int, int]] = []
    offset_ms = 500
    for text in texts:
        speech = await spoken(text)
        first, last = sound_bounds_ms(speech)
        expected.append((offset_ms + first, offset_ms + last))
        audio += [speech, silence(1500)]
        offset_ms += speech.size // 8 + 1500

    detector = TurnDetector()
    events = run(detector, np.concatenate(audio))

    assert [type(e) for e in events] == [SpeechStarted, TurnEnded] * len(texts)
    for (first, last), started, ended in zip(expected, events[0::2], events[1::2], strict=True):
        assert isinstance(started, SpeechStarted)
        assert isinstance(ended, TurnEnded)
        assert first + MIN_SPEECH_MS <= started.at_ms <= first + START_LATENCY_MAX_MS
        assert abs(started.speech_start_ms - first) <= 100
        assert END_SILENCE_MS <= ended.at_ms - last <= END_SILENCE_MS + END_LATENCY_SLACK_MS
        assert ended.speech_start_ms == started.speech_start_ms
        # speech_end_ms is a window edge: up to one window before the last loud sample.
        assert -WINDOW_MS <= ended.speech_end_ms - last <= END_LATENCY_SLACK_MS
    assert not detector.in_speech


async def test_in_speech_follows_the_turn() -> None:
    detector = TurnDetector()
    seen: list[bool] = []
    for frame in frames(
        np.concatenate([silence(300), await spoken("Tuesday at ten"), silence(900)])
    ):
        for event in detector.push(frame):
            seen.append(detector.in_speech)
            assert detector.in_speech is isinstance(event, SpeechStarted)
    assert seen == [True, False]


async def test_pause_mid_sentence_does_not_end_the_turn() -> None:
    """ "Max, on Tuesday ... at ten": 300 ms of silence between the two halves (plus espeak's own
    edges) is one turn; 1.2 s is two."""
    first_half = await spoken("Max, on Tuesday")
    second_half = await spoken("at ten")

    short = np.concatenate([silence(300), first_half, silence(300), second_half, silence(1200)])
    events = run(TurnDetector(), short)
    assert [type(e) for e in events] == [SpeechStarted, TurnEnded]
    _, last = sound_bounds_ms(short)
    assert events[1].at_ms > last  # ended after "at ten", not in the pause

    long = np.concatenate([silence(300), first_half, silence(1200), second_half, silence(1200)])
    events = run(TurnDetector(), long)
    assert [type(e) for e in events] == [SpeechStarted, TurnEnded] * 2


@pytest.mark.parametrize("kind", ["white", "brown"])
async def test_line_noise_alone_never_starts_speech(kind: str) -> None:
    """Noise at the level of 15 dB SNR against a real sentence, 10 s of it without the sentence;
    then the same noise under the sentence still gives exactly one turn."""
    speech = await spoken("Can I move my appointment to Friday afternoon, please?")
    noisy = mix_noise(
        np.concatenate([silence(500), speech, silence(10_000)]),
        kind,
        15.0,
        np.random.default_rng(7),
    )
    noise_only = noisy[(500 + speech.size // 8 + 200) * 8 :]
    detector = TurnDetector()
    assert run(detector, noise_only) == []
    assert not detector.in_speech

    events = run(TurnDetector(), noisy)
    assert [type(e) for e in events] == [SpeechStarted, TurnEnded]


def test_silence_and_clicks_never_start_speech() -> None:
    rng = np.random.default_rng(3)
    click = np.array([30000] * 8 + [-30000] * 8, dtype=np.int16)  # 2 ms, full scale
    burst = rng.integers(-20000, 20000, 800).astype(np.int16)  # 100 ms of loud noise
    audio = np.concatenate(
        [silence(5000), click, silence(700), click, silence(700), burst, silence(1000)]
    )
    detector = TurnDetector()
    assert run(detector, audio) == []
    assert not detector.in_speech


def test_frame_of_half_a_sample_is_refused() -> None:
    with pytest.raises(ValueError, match="whole samples"):
        TurnDetector().push(b"\x00\x00\x00")


async def test_a_pause_is_measured_until_speech_resumes_or_the_turn_ends() -> None:
    # What the early transcript keys on: where the current pause began and how long it lasts.
    detector = TurnDetector()
    samples = np.concatenate([silence(300), await spoken("Book Max."), silence(400)])
    run(detector, samples)
    assert detector.in_speech and detector.pause_started_ms is not None
    assert 300 <= detector.pause_ms <= 500
    pause = detector.pause_started_ms

    events = run(detector, silence(400))

    (ended,) = events  # the same pause went on and ended the turn
    assert isinstance(ended, TurnEnded) and ended.speech_end_ms == pause
    assert detector.pause_started_ms is None and detector.pause_ms == 0
