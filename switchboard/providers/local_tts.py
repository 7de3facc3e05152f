"""Offline text-to-speech with eSpeak NG, from the ``espeakng-loader`` wheel.

The wheel ships ``libespeak-ng.so`` and its ``espeak-ng-data`` but no Python API, so this module
binds the few C functions it needs with ctypes (signatures from espeak-ng's ``speak_lib.h`` and
``espeak_ng.h``, 1.52). No system espeak-ng package is needed. PyPI's wrappers did not fit: they
run the ``espeak-ng`` executable (espeakng, py-espeak-ng), compile against system headers
(python-espeak-ng), only phonemize (espeak-phonemizer), or drive playback through a global event
loop and load the library by its soname from the system path (pyttsx3).
"""

from __future__ import annotations

import asyncio
import ctypes
import io
import threading
import wave
from typing import Final

import espeakng_loader
import numpy as np

from switchboard.providers.base import Media, ProviderRejected, ProviderUnavailable

# Constants from espeak_ng.h / speak_lib.h.
_ENS_OK: Final = 0
_ENOUTPUT_MODE_SYNCHRONOUS: Final = 0x0001  # synthesise in the calling thread, no sound device
_ESPEAK_RATE: Final = 1  # espeakRATE, words per minute
_POS_CHARACTER: Final = 1
_ESPEAK_CHARS_UTF8: Final = 1
_OUTPUT_BUFFER_MS: Final = 200  # how much audio each callback receives
RATE_WPM_MIN: Final = 80  # espeakRATE_MINIMUM
RATE_WPM_MAX: Final = 450  # espeakRATE_MAXIMUM

# int SynthCallback(short *wav, int numsamples, espeak_EVENT *events); non-zero aborts synthesis.
_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _Espeak:
    """The process's one eSpeak NG synthesiser.

    The library keeps its voice, parameters and callback in globals, so there is one instance per
    process and every call goes through ``speak`` under ``_lock``.
    """

    def __init__(self) -> None:
        try:
            lib = ctypes.CDLL(espeakng_loader.get_library_path())
            data_path = espeakng_loader.get_data_path()
        except (OSError, RuntimeError) as exc:
            raise ProviderUnavailable(f"espeak-ng library not loadable: {exc}") from exc
        self._lib = lib
        lib.espeak_ng_InitializePath.argtypes = [ctypes.c_char_p]
        lib.espeak_ng_InitializePath.restype = None
        lib.espeak_ng_Initialize.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
        lib.espeak_ng_Initialize.restype = ctypes.c_int
        lib.espeak_ng_ClearErrorContext.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
        lib.espeak_ng_ClearErrorContext.restype = None
        lib.espeak_ng_GetStatusCodeMessage.argtypes = [
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_size_t,
        ]
        lib.espeak_ng_GetStatusCodeMessage.restype = None
        lib.espeak_ng_InitializeOutput.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p]
        lib.espeak_ng_InitializeOutput.restype = ctypes.c_int
        lib.espeak_ng_GetSampleRate.argtypes = []
        lib.espeak_ng_GetSampleRate.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_ng_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_ng_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_ng_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_ng_SetParameter.restype = ctypes.c_int
        lib.espeak_ng_Synthesize.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        lib.espeak_ng_Synthesize.restype = ctypes.c_int
        lib.espeak_ng_Synchronize.argtypes = []
        lib.espeak_ng_Synchronize.restype = ctypes.c_int

        # The espeak_Initialize shortcut calls exit() when the data is missing; the espeak_ng_*
        # calls return a status instead.
        lib.espeak_ng_InitializePath(data_path.encode())
        context = ctypes.c_void_p()
        status = lib.espeak_ng_Initialize(ctypes.byref(context))
        lib.espeak_ng_ClearErrorContext(ctypes.byref(context))
        if status != _ENS_OK:
            raise ProviderUnavailable(f"espeak-ng did not initialise: {self._message(status)}")
        status = lib.espeak_ng_InitializeOutput(_ENOUTPUT_MODE_SYNCHRONOUS, _OUTPUT_BUFFER_MS, None)
        if status != _ENS_OK:
            raise ProviderUnavailable(f"espeak-ng output failed: {self._message(status)}")
        self.sample_rate: int = lib.espeak_ng_GetSampleRate()
        self._chunks: list[bytes] = []
        # Kept on the instance: ctypes frees the C trampoline when its Python object is collected.
        self._callback = _SynthCallback(self._on_samples)
        lib.espeak_SetSynthCallback(self._callback)

    def _message(self, status: int) -> str:
        buffer = ctypes.create_string_buffer(512)
        self._lib.espeak_ng_GetStatusCodeMessage(status, buffer, len(buffer))
        return f"{buffer.value.decode(errors='replace')} (status {status:#x})"

    def _on_samples(
        self, wav: ctypes._Pointer[ctypes.c_short] | None, count: int, _events: int | None
    ) -> int:
        if wav and count > 0:
            self._chunks.append(ctypes.string_at(wav, count * ctypes.sizeof(ctypes.c_short)))
        return 0

    def speak(self, text: str, *, voice: str, rate_wpm: int) -> bytes:
        """Synthesise ``text``; returns signed 16-bit native-endian mono samples at ``sample_rate``.

        Raises ``ProviderRejected`` (unknown voice, text espeak refuses) or ``ProviderUnavailable``.
        Callers hold ``_lock``.
        """
        status = self._lib.espeak_ng_SetVoiceByName(voice.encode())
        if status != _ENS_OK:
            raise ProviderRejected(f"espeak-ng voice {voice!r}: {self._message(status)}")
        status = self._lib.espeak_ng_SetParameter(_ESPEAK_RATE, rate_wpm, 0)
        if status != _ENS_OK:
            raise ProviderRejected(f"espeak-ng rate {rate_wpm}: {self._message(status)}")
        encoded = text.encode() + b"\0"
        self._chunks = []
        try:
            status = self._lib.espeak_ng_Synthesize(
                encoded, len(encoded), 0, _POS_CHARACTER, 0, _ESPEAK_CHARS_UTF8, None, None
            )
            if status == _ENS_OK:
                status = self._lib.espeak_ng_Synchronize()
            if status != _ENS_OK:
                raise ProviderUnavailable(f"espeak-ng synthesis failed: {self._message(status)}")
            return b"".join(self._chunks)
        finally:
            self._chunks = []


_lock = threading.Lock()
_engine: _Espeak | None = None


def _speak(text: str, *, voice: str, rate_wpm: int) -> tuple[bytes, int]:
    """Samples and sample rate (Hz) for ``text``; initialises the library on first use."""
    global _engine
    with _lock:
        if _engine is None:
            _engine = _Espeak()
        return _engine.speak(text, voice=voice, rate_wpm=rate_wpm), _engine.sample_rate


class EspeakTTS:
    """``TextToSpeech`` with eSpeak NG: robotic but intelligible, instant, offline.

    ``voice`` is an espeak-ng voice name (``en-us``, ``en-gb``...); ``rate_wpm`` is the speaking
    rate in words per minute (espeak accepts 80 to 450; its default is 175).

    The same text does not give bit-identical audio twice in one process: libespeak-ng keeps
    waveform state across utterances that neither re-initialising nor re-seeding its random
    generator resets. Whisper's transcript of it can change by a word from one call to the next.
    """

    def __init__(self, voice: str = "en-us", *, rate_wpm: int = 160) -> None:
        if not RATE_WPM_MIN <= rate_wpm <= RATE_WPM_MAX:
            raise ValueError(f"rate_wpm must be in [{RATE_WPM_MIN}, {RATE_WPM_MAX}]: {rate_wpm}")
        self.voice = voice
        self.rate_wpm = rate_wpm

    async def synthesize(self, text: str) -> Media:
        """Speak ``text`` as ``audio/wav``: 16-bit PCM mono at espeak's native 22050 Hz.

        Raises ``ProviderRejected`` for empty text or an unknown voice, ``ProviderUnavailable``
        when the library cannot initialise.
        """
        if not text.strip():
            raise ProviderRejected("nothing to say: the text is empty")
        # Synthesis is CPU-bound C code (ctypes releases the GIL); keep it off the event loop.
        return await asyncio.to_thread(self._synthesize, text)

    def _synthesize(self, text: str) -> Media:
        samples, sample_rate = _speak(text, voice=self.voice, rate_wpm=self.rate_wpm)
        if not samples:
            raise ProviderRejected(f"espeak-ng produced no audio for {len(text)} characters")
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(sample_rate)
            # espeak hands over native-endian samples; WAV is little-endian.
            wav.writeframes(np.frombuffer(samples, dtype=np.int16).astype("<i2").tobytes())
        return Media(data=buffer.getvalue(), content_type="audio/wav")
