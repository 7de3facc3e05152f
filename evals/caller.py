"""The eval's caller on a call: the scenario's lines in order, and each said again, once, when
the agent asks for it.

A person on the phone who hears "Sorry, I didn't catch that" or "Could you repeat that?" says
it again; one who hears "Which day would you like?" answers the question. The caller decides the
same way, from the reply's words alone (never the agent's intents or code), so it reacts alike to
any agent: the product's own phrasings ("Sorry, I didn't catch that. …", "Sorry, I'm not sure I
understood. Could you say that again …", "Sorry, I didn't quite get that. …") and the usual
English ones ("Pardon?", "Sorry, what was that?", "Could you repeat that?", "You're breaking
up"). Said again, a line is slower (``voice.REPEAT_RATE_WPM``, 20% under the usual pace),
on a noisy line over fresh noise of the same kind and level; a scenario may give other words
for it (``repeat``: a caller who rephrases). Once per line: if the repeat is not understood
either, the caller goes on with the script, so a call is at most twice its lines.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from evals.scenarios import Scenario
from evals.scoring import TurnObservation
from evals.voice import RATE_WPM, REPEAT_RATE_WPM, caller_audio

_NEGATED = (
    r"(?:didn['’]?t|did\s+not|couldn['’]?t|could\s+not|can['’]?t|cannot|wasn['’]?t\s+able\s+to)"
)
# The agent says it did not understand: "I didn't catch that", "I couldn't quite hear you",
# "I'm not sure I understood", "I missed that", "I didn't get that." ("get" only with nothing
# after "that"/"it": "I couldn't get you in on Tuesday" is no such thing).
_NOT_UNDERSTOOD = re.compile(
    rf"\b{_NEGATED}\s+(?:quite\s+|really\s+|fully\s+)?"
    r"(?:catch|hear|understand|make\s+out|follow(?!\s+up))\b"
    rf"|\b{_NEGATED}\s+(?:quite\s+|really\s+)?get\s+(?:that|it|all\s+(?:of\s+)?that)\s*(?:[.,;!?—–-]|$)"
    r"|\b(?:don['’]?t|do\s+not)\s+(?:quite\s+)?understand\b"
    r"|\bnot\s+sure\s+(?:i|we)\s+(?:understood|understand|followed|caught|heard)\b"
    r"|\b(?:i|we)\s+(?:just\s+)?missed\s+(?:that|it|what\s+you\s+said)\b"
    r"|\byou(?:['’]re|\s+are)\s+breaking\s+up\b|\byou\s+(?:broke|cut)\s+(?:up|out)\b",
    re.IGNORECASE,
)
# The agent asks for it again: "Could you say that again?", "Please say it once more", "Could
# you repeat that?", "Repeat that, please", "Could you speak up?".
_SAY_AGAIN = re.compile(
    r"\b(?:say|repeat)\s+(?:that|it|this|what\s+you\s+said\s+)?\s*"
    r"(?:again|once\s+more|one\s+more\s+time)\b"
    r"|\byou\s+(?:please\s+)?repeat\b"
    r"|(?:^|[,;:]\s*)(?:please\s+)?repeat\b"
    r"|\b(?:speak|say\s+(?:that|it))\s+(?:up|louder|slower|more\s+(?:slowly|clearly))\b"
    r"|\bwhat\s+(?:was\s+that|did\s+you\s+(?:just\s+)?say)\b",
    re.IGNORECASE,
)
# …unless the agent offers to say something again itself ("Shall I repeat the options?").
_AGENT_REPEATS = re.compile(
    r"\b(?:let\s+me|i['’]ll|i\s+will|i\s+can|shall\s+i|should\s+i)\s+(?:say|repeat)\b",
    re.IGNORECASE,
)
# A sentence that is nothing but "Sorry?", "Pardon?", "What?", "Sorry, what?", "Come again?",
# "Excuse me?", "I beg your pardon?".
_BARE = re.compile(
    r"^\W*(?:(?:sorry|pardon(?:\s+me)?|i\s+beg\s+your\s+pardon|what|huh|eh|come\s+again"
    r"|excuse\s+me)[\s,.…]*){1,3}\?\W*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.?!…])\s+")


def asks_to_repeat(reply: str) -> bool:
    """Whether ``reply`` (the agent's words for one turn, sentences in any number) tells the
    caller it did not understand or asks them to say it again. A question about something
    specific ("Which day would you like?", "Shall I book it?") is not."""
    for sentence in _SENTENCE_END.split(reply.strip()):
        if _NOT_UNDERSTOOD.search(sentence) or _BARE.match(sentence):
            return True
        if _SAY_AGAIN.search(sentence) and not _AGENT_REPEATS.search(sentence):
            return True
    return False


async def spoken(scenario: Scenario, text: str, *, again: bool = False) -> bytes:
    """``text`` as ``scenario``'s caller says it (its voice, noise and SNR; a WAV); ``again``:
    said again when asked, more slowly and over other noise (another seed)."""
    return await caller_audio(
        text,
        voice=scenario.voice,
        noise_kind=scenario.noise,
        snr_db=scenario.snr_db,
        salt=f"{scenario.id}/again" if again else scenario.id,
        rate_wpm=REPEAT_RATE_WPM if again else RATE_WPM,
    )


@dataclass(frozen=True)
class Try:
    """A line as said on the call: the scenario's turn ``index``, the words, and whether it was
    said again because the agent asked."""

    index: int
    text: str
    again: bool = False


class CallerScript:
    """The caller's next turn, asked for when they are about to speak (``TwilioSimulator``'s
    ``CallerTurn``): the next scripted line, or the last one again when the agent's reply to it
    asks to repeat (``asks_to_repeat``) and it was not said again already. ``turns`` are the
    scenario's lines, ``audio`` them spoken (``spoken``); ``reply(call_sid)`` reads what the
    agent said since the caller's last turn. ``tries`` records what was said, in order."""

    def __init__(
        self,
        scenario: Scenario,
        turns: list[str],
        audio: list[bytes],
        *,
        reply: Callable[[str], Awaitable[str]],
    ) -> None:
        self._scenario = scenario
        self._turns = turns
        self._audio = audio
        self._reply = reply
        self.tries: list[Try] = []

    async def __call__(self, call_sid: str, spoken_so_far: int) -> bytes | None:
        last = self.tries[-1] if self.tries else None
        if last is not None and not last.again and asks_to_repeat(await self._reply(call_sid)):
            words = self._scenario.repeat.get(last.index, last.text)
            self.tries.append(Try(last.index, words, again=True))
            return await spoken(self._scenario, words, again=True)
        index = last.index + 1 if last is not None else 0
        if index >= len(self._turns):
            return None
        self.tries.append(Try(index, self._turns[index]))
        return self._audio[index]


def by_turn(
    turns: list[str], tries: list[Try], answered: list[TurnObservation]
) -> list[TurnObservation]:
    """One observation per scenario turn from ``answered`` (one per try the agent answered, in
    the order of ``tries``): a turn said again is its last try, with the tries before it in
    ``earlier``; a turn never said (the call ended first) has only its words."""
    last: dict[int, TurnObservation] = {}
    for said, seen in zip(tries, answered, strict=False):
        before = last.get(said.index)
        if before is not None:
            seen.earlier = [*before.earlier, before]
        last[said.index] = seen
    return [last.get(i) or TurnObservation(said=[text]) for i, text in enumerate(turns)]
