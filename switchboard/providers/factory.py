"""Build each capability's adapter from settings. Imports are local so that a process only
loads the engines it uses (faster-whisper is not imported when AssemblyAI is chosen)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from switchboard.providers.base import Agent, SpeechToText, Telephony, TextToSpeech
from switchboard.providers.streaming import SpeechSynthesis, StreamingSpeechToText
from switchboard.settings import Settings

if TYPE_CHECKING:
    from switchboard.providers.local_stt import WhisperSTT
    from switchboard.providers.twilio_rest import TwilioTelephony


class LocalEngineMissing(RuntimeError):
    """A local engine was chosen but the ``local`` install extra is absent (production images
    install only what production runs: docs/architecture.md, "Runtime and development")."""


def _local_engine_missing(setting: str, exc: ImportError) -> LocalEngineMissing:
    return LocalEngineMissing(
        f"SWITCHBOARD_{setting.upper()}=local needs the local engines ({exc.name} is missing): "
        "pip install 'switchboard[local]', or choose the vendor"
    )


def make_stt(settings: Settings) -> SpeechToText:
    """Raises ``LocalEngineMissing`` when the local engine is chosen but not installed."""
    if settings.stt_provider == "assemblyai":
        from switchboard.providers.assemblyai_stt import AssemblyAISTT

        return AssemblyAISTT(
            settings.assemblyai_api_key.get_secret_value(), base_url=settings.assemblyai_base_url
        )
    return _whisper(settings)


def _whisper(settings: Settings) -> WhisperSTT:
    """The local engine. Raises ``LocalEngineMissing`` when it is not installed."""
    try:
        from switchboard.providers.local_stt import WhisperSTT
    except ImportError as exc:
        raise _local_engine_missing("stt_provider", exc) from exc

    return WhisperSTT(settings.whisper_model_path, cpu_threads=settings.whisper_threads)


def make_tts(settings: Settings) -> TextToSpeech:
    """Raises ``LocalEngineMissing`` when the local engine is chosen but not installed."""
    if settings.tts_provider == "elevenlabs":
        from switchboard.providers.elevenlabs_tts import ElevenLabsTTS

        return ElevenLabsTTS(
            settings.elevenlabs_api_key.get_secret_value(),
            base_url=settings.elevenlabs_base_url,
            voice_id=settings.elevenlabs_voice_id,
            model_id=settings.elevenlabs_model_id,
        )
    try:
        from switchboard.providers.local_tts import EspeakTTS
    except ImportError as exc:
        raise _local_engine_missing("tts_provider", exc) from exc

    return EspeakTTS(settings.espeak_voice)


def make_streaming_stt(settings: Settings) -> StreamingSpeechToText:
    """Speech-to-text for real-time calls. Raises ``LocalEngineMissing`` as ``make_stt``."""
    if settings.stt_provider == "assemblyai":
        from switchboard.providers.assemblyai_streaming import AssemblyAIStreamingSTT

        return AssemblyAIStreamingSTT(
            settings.assemblyai_api_key.get_secret_value(),
            api_host=settings.assemblyai_streaming_host,
        )
    whisper = _whisper(settings)
    try:
        from switchboard.voice.local_stream_stt import LocalStreamingSTT
    except ImportError as exc:
        raise _local_engine_missing("stt_provider", exc) from exc

    return LocalStreamingSTT(whisper)


def make_speech_synthesis(settings: Settings) -> SpeechSynthesis:
    """Text-to-speech for real-time calls (μ-law 8 kHz). Raises ``LocalEngineMissing`` as
    ``make_tts``."""
    if settings.tts_provider == "elevenlabs":
        from switchboard.providers.elevenlabs_streaming import ElevenLabsSpeechSynthesis

        return ElevenLabsSpeechSynthesis(
            settings.elevenlabs_api_key.get_secret_value(),
            base_url=settings.elevenlabs_base_url,
            voice_id=settings.elevenlabs_voice_id,
            model_id=settings.elevenlabs_model_id,
        )
    try:
        from switchboard.voice.local_stream_tts import LocalSpeechSynthesis
    except ImportError as exc:
        raise _local_engine_missing("tts_provider", exc) from exc

    return LocalSpeechSynthesis(settings.espeak_voice)


def make_agent(settings: Settings) -> Agent:
    if settings.agent_provider == "openai":
        from switchboard.providers.openai_agent import OpenAIAgent

        return OpenAIAgent(
            settings.openai_api_key.get_secret_value(),
            model=settings.openai_model,
            base_url=settings.openai_base_url,
            timeout_s=settings.openai_timeout_s,
        )
    from switchboard.providers.rules_agent import RuleBasedAgent

    return RuleBasedAgent()


def make_telephony(settings: Settings) -> Telephony:
    return make_twilio(settings)


def make_twilio(settings: Settings) -> TwilioTelephony:
    """The Twilio adapter itself, with what the ``Telephony`` protocol leaves out (e.g.
    ``delete_recording``, used by retention and erasure)."""
    from switchboard.providers.twilio_rest import TwilioTelephony

    return TwilioTelephony(
        settings.twilio_account_sid,
        settings.twilio_auth_token.get_secret_value(),
        api_base_url=settings.twilio_api_base_url,
        whatsapp_from=settings.twilio_whatsapp_from,
        voice_from=settings.twilio_voice_from,
    )
