"""The agent's side of a Media Stream: audio paced to real time, a ``mark`` per sentence, and
what the caller actually heard when they interrupt.

Twilio buffers the ``media`` it is sent and plays it in order; it echoes a ``mark`` when the audio
sent before it has played, and on ``clear`` empties the buffer and echoes the pending marks
(Twilio docs, "Media Streams — WebSocket Messages", https://www.twilio.com/docs/voice/media-streams/websocket-messages).
Audio is sent at most ``LEAD_S`` ahead of real time, so a ``clear`` drops little and the
process does not hold a whole reply in Twilio's buffer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from switchboard.media_streams import clear_message, frames, mark_message, media_message
from switchboard.providers.streaming import FRAME_MS

# How far ahead of the caller's ear audio may be sent (s).
LEAD_S = 0.25
MULAW_BYTES_PER_S = 8000


@dataclass
class _Sentence:
    mark: str
    text: str
    played: bool = False


@dataclass
class Utterance:
    """One reply being spoken: its sentences in order, each with its mark."""

    key: str  # the reply's log key
    sentences: list[_Sentence] = field(default_factory=list)
    complete: bool = False  # every sentence was handed over (``Speaker.finish``)

    @property
    def heard(self) -> str:
        """The sentences played so far, joined."""
        return " ".join(s.text for s in self.sentences if s.played and s.text).strip()

    @property
    def cut_short(self) -> bool:
        """Some of it was not heard: not every sentence was sent, or one has not played."""
        return not self.complete or any(not s.played for s in self.sentences)


class Speaker:
    """Sends the agent's audio for one stream. ``send`` writes one text frame to the WebSocket."""

    def __init__(self, send: Callable[[str], Awaitable[None]], stream_sid: str) -> None:
        self._send = send
        self._stream_sid = stream_sid
        self._played_until = 0.0  # monotonic time at which the audio sent so far has played
        self._marks: dict[str, tuple[Utterance, _Sentence]] = {}
        self._current: Utterance | None = None
        self._counter = 0
        self._all_played = asyncio.Event()
        self._all_played.set()

    @property
    def speaking(self) -> bool:
        """Audio was sent whose mark has not come back yet."""
        return not self._all_played.is_set()

    def begin(self, key: str) -> Utterance:
        """Start a new reply logged under ``key``."""
        self._current = Utterance(key=key)
        return self._current

    async def say(self, mulaw: bytes, text: str = "") -> None:
        """Send ``mulaw`` (8 kHz μ-law) as 20 ms frames paced to real time, then a mark that
        comes back when it has played. ``text`` is what it says (for the log). The agent is
        speaking from the first frame: a barge-in then clears it."""
        utterance = self._current or self.begin("")
        self._counter += 1
        sentence = _Sentence(mark=f"m{self._counter}", text=text)
        utterance.sentences.append(sentence)
        self._marks[sentence.mark] = (utterance, sentence)
        self._all_played.clear()
        for frame in frames(mulaw):
            now = time.monotonic()
            ahead = self._played_until - now
            if ahead > LEAD_S:
                await asyncio.sleep(ahead - LEAD_S)
                now = time.monotonic()
            await self._send(media_message(self._stream_sid, frame))
            self._played_until = max(self._played_until, now) + FRAME_MS / 1000
        await self._send(mark_message(self._stream_sid, sentence.mark))

    def finish(self) -> None:
        """The current reply's last sentence was handed over (``say``)."""
        if self._current is not None:
            self._current.complete = True

    @property
    def current(self) -> Utterance | None:
        """The reply begun last (played, being played, or not begun to play)."""
        return self._current

    def on_mark(self, name: str) -> None:
        """Twilio played everything up to mark ``name`` (or cleared it: see ``interrupt``)."""
        found = self._marks.pop(name, None)
        if found is not None:
            found[1].played = True
        if not self._marks:
            self._all_played.set()

    async def interrupt(self) -> Utterance | None:
        """Barge-in: tell Twilio to drop what it has not played. Returns the reply that was
        being spoken (its ``heard`` is what was played), or None when nothing was."""
        utterance = self._current
        if not self.speaking:
            return None
        await self._send(clear_message(self._stream_sid))
        # Twilio echoes the cleared marks; those sentences were not heard.
        for _, sentence in self._marks.values():
            sentence.played = False
        self._marks.clear()
        self._all_played.set()
        self._played_until = time.monotonic()
        return utterance

    async def wait_played(self, timeout_s: float) -> bool:
        """Wait until every mark came back (bounded). Returns False on timeout."""
        try:
            async with asyncio.timeout(timeout_s):
                await self._all_played.wait()
        except TimeoutError:
            return False
        return True

    def seconds_queued(self) -> float:
        """Audio sent but not yet played, s."""
        return max(self._played_until - time.monotonic(), 0.0)
