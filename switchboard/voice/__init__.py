"""The real-time call pipeline's local stages: turn detection, streaming STT and TTS."""
