"""Real-time calls end to end: the media process (in this event loop, on a free port), the API
and a worker on a fresh queue, real Temporal and Postgres, the local engines; the caller is the
Media Streams stand-in for Twilio (``devtools/stream_caller.py``) through the simulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import uvicorn
from temporalio.client import Client

from api.media_main import create_media_app
from operations.calls.session import CallEngines
from switchboard.business import load_profile
from switchboard.db.engine import Database
from switchboard.providers.rules_agent import RuleBasedAgent
from switchboard.settings import Settings
from tests.conftest import Harness
from tests.fakes.server import free_port
from tests.polling import eventually, within


@pytest.fixture
def media_port() -> int:
    return free_port()


@pytest.fixture
def settings(settings: Settings, media_port: int) -> Settings:
    """The suite's settings with calls streamed to this test's media process."""
    return settings.model_copy(
        update={
            "call_mode": "stream",
            "media_stream_url": f"ws://127.0.0.1:{media_port}/twilio/stream",
        }
    )


def engines(settings: Settings, local_engines: tuple[object, object]) -> CallEngines:
    from switchboard.providers.local_stt import WhisperSTT
    from switchboard.voice.local_stream_stt import LocalStreamingSTT
    from switchboard.voice.local_stream_tts import LocalSpeechSynthesis

    whisper, _ = local_engines
    assert isinstance(whisper, WhisperSTT)
    return CallEngines(
        stt=LocalStreamingSTT(whisper),
        tts=LocalSpeechSynthesis(settings.espeak_voice),
        agent=RuleBasedAgent(),
        profile=load_profile(settings.business_profile),
        window=settings.conversation_window,
        default_timezone=settings.default_timezone,
    )


@dataclass
class MediaProcess:
    """The media process of a test; ``stop``/``start`` play a crash and a restart."""

    settings: Settings
    db: Database
    temporal: Client
    engines: CallEngines
    port: int
    _server: uvicorn.Server | None = None
    _task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        app = create_media_app(
            self.settings, db=self.db, temporal=self.temporal, engines=self.engines
        )
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self._server = server = uvicorn.Server(config)
        self._task = asyncio.create_task(server.serve())

        async def started() -> bool:
            if self._task is not None and self._task.done():
                self._task.result()  # raise what stopped it
            return server.started

        await eventually(started, bool, timeout_s=30)

    async def drop_calls(self) -> None:
        """Abort every open connection, as a killed process does (no close frame): Twilio's
        stream ends and it follows the call's ``<Redirect>``."""
        assert self._server is not None
        for connection in list(self._server.server_state.connections):
            transport = getattr(connection, "transport", None)
            if transport is not None:
                transport.abort()

    async def stop(self) -> None:
        server, task = self._server, self._task
        if server is None or task is None:
            return
        server.should_exit = True
        await within(task, "the media process to stop", timeout_s=30)
        self._server = self._task = None


@pytest.fixture
async def media(
    harness: Harness,
    settings: Settings,
    media_port: int,
    local_engines: tuple[object, object],
) -> AsyncIterator[MediaProcess]:
    process = MediaProcess(
        settings=settings,
        db=harness.db,
        temporal=harness.temporal,
        engines=engines(settings, local_engines),
        port=media_port,
    )
    await process.start()
    try:
        yield process
    finally:
        await process.stop()
