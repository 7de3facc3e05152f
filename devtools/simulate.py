"""Play a customer the way Twilio would: signed webhooks, media hosted by the fake Twilio.

Webhooks carry Twilio's real parameters and an ``X-Twilio-Signature`` computed with the
``twilio`` SDK's ``RequestValidator`` over the configured public URL, so the API under test cannot
tell the simulator from Twilio.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from twilio.request_validator import RequestValidator

from devtools.inbound_forms import whatsapp_message_to
from devtools.stream_caller import CallRecording, NextTurn
from devtools.stream_caller import TurnResult as StreamTurn
from devtools.stream_caller import call as open_stream
from switchboard import audio
from switchboard.identity import normalize_e164
from switchboard.settings import Settings

# A caller who says each turn in answer to what they heard (asked to repeat, they say it
# again): called with the call's SID and the number of turns already spoken on the call, once
# the reply before the next turn is over (so it is in the conversation log); returns that turn's
# audio (a file's bytes), or None to hang up.
CallerTurn = Callable[[str, int], Awaitable[bytes | None]]


class SimulationError(RuntimeError):
    """The API answered something Twilio would not accept (status, TwiML)."""


def _sid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex


@dataclass
class VoiceReply:
    """What the caller heard after a turn: ``<Play>`` URLs, ``<Say>`` texts, and whether the
    call goes on (another ``<Record>``) or was hung up."""

    play_urls: list[str] = field(default_factory=list)
    says: list[str] = field(default_factory=list)
    record_action: str | None = None
    hangup: bool = False
    # <Connect><Stream url>: the WebSocket Twilio opens, with the <Parameter>s it passes on
    stream_url: str | None = None
    stream_parameters: dict[str, str] = field(default_factory=dict)
    redirect: str | None = None  # <Redirect>: where Twilio goes when the stream ends


@dataclass
class CallLog:
    call_sid: str
    greeting: VoiceReply
    turns: list[tuple[str, VoiceReply]] = field(default_factory=list)  # (recording SID, reply)


@dataclass
class StreamCallLog:
    """A real-time call: the TwiML of the incoming-call webhook, each Media Stream played (a
    stream reopened after a drop adds one) and the TwiML Twilio got after each stream ended."""

    call_sid: str
    first: VoiceReply
    streams: list[CallRecording] = field(default_factory=list)
    after_streams: list[VoiceReply] = field(default_factory=list)

    @property
    def turns(self) -> list[StreamTurn]:
        return [turn for stream in self.streams for turn in stream.turns]

    def figures(self) -> list[str]:
        """Per stream and per turn, what the caller measured: the greeting's first frame after
        ``start``, and the end of each caller turn → the agent's first audio frame (ms)."""
        lines: list[str] = []
        for i, stream in enumerate(self.streams):
            first = stream.greeting_first_frame_ms
            opening = "greeting" if i == 0 else "resumed stream"
            lines.append(
                f"{opening}: first audio frame {first:.0f} ms after start"
                if first is not None
                else f"{opening}: no audio (the stream was closed, code {stream.close_code})"
            )
            for n, turn in enumerate(stream.turns, start=1):
                cut = ", cut by a barge-in" if turn.cleared else ""
                lines.append(
                    f"turn {n}: end of speech → first agent audio "
                    f"{turn.end_of_speech_to_first_audio_ms:.0f} ms{cut}"
                )
            if stream.ended_by == "agent":
                lines.append(f"the agent closed the stream (code {stream.close_code})")
        return lines


def parse_twiml(xml: str) -> VoiceReply:
    """Read the verbs Switchboard uses. Raises ``SimulationError`` on malformed TwiML."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise SimulationError(f"malformed TwiML: {xml[:200]}") from exc
    if root.tag != "Response":
        raise SimulationError(f"TwiML root is <{root.tag}>, not <Response>")
    reply = VoiceReply()
    for verb in root:
        if verb.tag == "Play" and verb.text:
            reply.play_urls.append(verb.text.strip())
        elif verb.tag == "Say" and verb.text:
            reply.says.append(verb.text.strip())
        elif verb.tag == "Record":
            reply.record_action = verb.attrib.get("action")
        elif verb.tag == "Hangup":
            reply.hangup = True
        elif verb.tag == "Redirect" and verb.text:
            reply.redirect = verb.text.strip()
        elif verb.tag == "Connect":
            stream = verb.find("Stream")
            if stream is None or not stream.attrib.get("url"):
                raise SimulationError("<Connect> without a <Stream url>")
            reply.stream_url = stream.attrib["url"]
            reply.stream_parameters = {
                p.attrib["name"]: p.attrib.get("value", "") for p in stream.findall("Parameter")
            }
    return reply


class TwilioSimulator:
    """``http`` defaults to a plain client; tests pass one whose mounts route the API's public
    URL to the in-process app. ``api_url`` is where the API listens (defaults to settings)."""

    def __init__(
        self,
        settings: Settings,
        *,
        http: httpx.AsyncClient | None = None,
        api_url: str | None = None,
        timeout_s: float = 60,
    ) -> None:
        self._settings = settings
        self._validator = RequestValidator(settings.twilio_auth_token.get_secret_value())
        self._http = http or httpx.AsyncClient(timeout=timeout_s)
        self._api_url = (api_url or settings.api_url).rstrip("/")
        if not settings.twilio_api_base_url:
            raise SimulationError("the simulator needs the fake Twilio (twilio_api_base_url)")
        self._fake_twilio = settings.twilio_api_base_url.rstrip("/")
        # Twilio's StirVerstat on inbound calls (``_inbound_call``); None: not sent.
        self.stir_verstat: str | None = "TN-Validation-Passed-A"

    async def aclose(self) -> None:
        await self._http.aclose()

    def _target(self, url: str) -> str:
        """Where to send a request addressed to the public URL: the API's listening address."""
        base = self._settings.public_base_url.rstrip("/")
        return self._api_url + url[len(base) :] if url.startswith(base) else url

    # -- plumbing ---------------------------------------------------------------------------

    async def post_webhook(self, url_or_path: str, form: dict[str, str]) -> httpx.Response:
        """POST a form to the API, signed as Twilio signs it (URL + sorted params, HMAC-SHA1)
        over the public URL Twilio would call."""
        base = self._settings.public_base_url.rstrip("/")
        url = url_or_path if url_or_path.startswith("http") else base + url_or_path
        signature = self._validator.compute_signature(url, form)
        return await self._http.post(
            self._target(url), data=form, headers={"X-Twilio-Signature": signature}
        )

    async def upload(self, data: bytes, content_type: str, *, kind: str = "message") -> str:
        """Host media on the fake Twilio like Twilio hosts it; returns its Twilio-style URL."""
        response = await self._http.post(
            f"{self._fake_twilio}/_fake/media",
            params={"kind": kind},
            content=data,
            headers={"Content-Type": content_type},
        )
        response.raise_for_status()
        return str(response.json()["url"])

    # -- WhatsApp ---------------------------------------------------------------------------

    async def whatsapp(
        self,
        sender: str,
        *,
        text: str = "",
        audio_file: Path | None = None,
        image_file: Path | None = None,
        message_sid: str | None = None,
    ) -> str:
        """Send one inbound WhatsApp message; returns its MessageSid.

        A voice note is converted to OGG/Opus (what WhatsApp sends) unless it already is.
        Raises ``SimulationError`` when the API does not answer 2xx.
        """
        e164 = normalize_e164(sender)
        media: list[tuple[str, str]] = []
        if audio_file is not None:
            data = audio_file.read_bytes()
            if audio_file.suffix.lower() not in (".ogg", ".opus"):
                data = audio.to_ogg_opus(data)
            media.append((await self.upload(data, "audio/ogg"), "audio/ogg"))
        if image_file is not None:
            kind = "image/png" if image_file.suffix.lower() == ".png" else "image/jpeg"
            media.append((await self.upload(image_file.read_bytes(), kind), kind))
        sid = message_sid or _sid("MM" if media else "SM")
        form = whatsapp_message_to(
            self._settings, sid, e164, text, media=media, profile_name="Simulated customer"
        )
        response = await self.post_webhook("/twilio/whatsapp", form)
        if response.status_code >= 300:
            raise SimulationError(
                f"WhatsApp webhook answered {response.status_code}: {response.text}"
            )
        return sid

    # -- voice ------------------------------------------------------------------------------

    async def call(
        self,
        caller: str,
        turns: list[Path] | list[bytes] | CallerTurn,
        *,
        hang_up: bool = True,
    ) -> CallLog:
        """An inbound call: greeting, one recording per turn (a file or audio bytes, converted
        to 8 kHz μ-law, the phone line's audio; or a ``CallerTurn`` giving them one at a time,
        after each reply), then the ``completed`` status callback."""
        call_sid = _sid("CA")
        base = self._inbound_call(caller, call_sid)
        greeting = await self._voice("/twilio/voice/incoming", {**base, "CallStatus": "ringing"})
        log = CallLog(call_sid=call_sid, greeting=greeting)
        action = greeting.record_action
        spoken = 0
        while action is not None:
            if callable(turns):
                turn: Path | bytes | None = await turns(call_sid, spoken)
            else:
                turn = turns[spoken] if spoken < len(turns) else None
            if turn is None:
                break
            spoken += 1
            wav = audio.to_phone_wav(turn.read_bytes() if isinstance(turn, Path) else turn)
            recording_sid = _sid("RE")
            url = await self.upload(wav, "audio/wav", kind="recording")
            form = {
                **base,
                "CallStatus": "in-progress",
                "RecordingSid": recording_sid,
                "RecordingUrl": url,
                "RecordingDuration": str(max(1, round(audio.duration_ms(wav) / 1000))),
            }
            reply = await self._voice(action, form)
            for play_url in reply.play_urls:
                await self._check_playable(play_url)
            log.turns.append((recording_sid, reply))
            action = None if reply.hangup else reply.record_action
        if hang_up:
            await self._completed(base, spoken if callable(turns) else len(turns))
        return log

    async def stream_call(
        self,
        caller: str,
        turns: list[bytes] | CallerTurn,
        *,
        barge_in_ms: int | None = None,
        record_to: Path | None = None,
        hang_up: bool = True,
        linger_s: float = 0.0,
        hang_up_ms: int | None = None,
        dtmf: str = "",
        quiet_after_greeting_s: float = 0.0,
    ) -> StreamCallLog:
        """An inbound real-time call, as Twilio places it: the incoming-call webhook, then the
        Media Stream its TwiML connects to (``devtools/stream_caller.py``: real-time 20 ms
        frames, marks, clear), then the ``<Redirect>`` Twilio follows when the stream ends —
        and any stream that redirect reopens, with the turns not yet played — then the
        ``completed`` status callback. ``turns`` are audio files' bytes (any format PyAV reads),
        or a ``CallerTurn`` asked for each turn when the caller is about to say it (a turn a
        dropped stream left unanswered is said again on the next one without asking twice);
        ``linger_s``, ``hang_up_ms``, ``dtmf`` and ``quiet_after_greeting_s`` go to the first
        stream (``stream_caller.call``: a caller who stays silent, hangs up mid-reply, presses
        keys). Raises
        ``SimulationError`` when the API answers what Twilio would not accept."""
        call_sid = _sid("CA")
        base = self._inbound_call(caller, call_sid)
        reply = await self._voice("/twilio/voice/incoming", {**base, "CallStatus": "ringing"})
        log = StreamCallLog(call_sid=call_sid, first=reply)
        given: list[bytes] = []  # a CallerTurn's turns so far, in the order it gave them

        def from_turn(answered: int) -> NextTurn:
            """The caller's turns on a stream opened after ``answered`` answered turns."""

            async def next_turn(spoken_here: int) -> bytes | None:
                index = answered + spoken_here
                if index < len(given):  # said on a stream that dropped before answering
                    return given[index]
                assert callable(turns)
                turn = await turns(call_sid, index)
                if turn is not None:
                    given.append(turn)
                return turn

            return next_turn

        remaining: list[bytes] | None = None if callable(turns) else list(turns)
        while reply.stream_url is not None:
            answered = len(log.turns)
            recording = await open_stream(
                reply.stream_url,
                auth_token=self._settings.twilio_auth_token.get_secret_value(),
                parameters=reply.stream_parameters,
                turns=remaining if remaining is not None else from_turn(answered),
                barge_in_ms=barge_in_ms,
                record_to=record_to,
                call_sid=call_sid,
                linger_s=linger_s if not log.streams else 0.0,
                hang_up_ms=hang_up_ms if not log.streams else None,
                dtmf=dtmf if not log.streams else "",
                quiet_after_greeting_s=quiet_after_greeting_s if not log.streams else 0.0,
            )
            log.streams.append(recording)
            if remaining is not None:
                remaining = remaining[len(recording.turns) :]
            # The caller hung up (Twilio's ``stop``): the call is over, no TwiML follows. The
            # agent closed the stream: Twilio runs the <Redirect>.
            if recording.ended_by == "caller" or reply.redirect is None:
                break
            reply = await self._voice(reply.redirect, {**base, "CallStatus": "in-progress"})
            log.after_streams.append(reply)
        if hang_up:
            await self._completed(base, len(given) if callable(turns) else len(turns))
        return log

    def _inbound_call(self, caller: str, call_sid: str) -> dict[str, str]:
        """The parameters Twilio sends with every webhook of an inbound call. The simulated
        caller's carrier attests the caller ID fully (``StirVerstat``), as for a customer calling
        from their own phone; ``self.stir_verstat = None`` plays an unattested caller."""
        form = {
            "CallSid": call_sid,
            "AccountSid": self._settings.twilio_account_sid,
            "From": normalize_e164(caller),
            "To": self._settings.twilio_voice_from,
            "Direction": "inbound",
        }
        if self.stir_verstat is not None:
            form["StirVerstat"] = self.stir_verstat
        return form

    async def _completed(self, base: dict[str, str], turns: int) -> None:
        """The caller hung up: Twilio's ``completed`` status callback."""
        response = await self.post_webhook(
            "/twilio/voice/status",
            {**base, "CallStatus": "completed", "CallDuration": str(10 * (turns + 1))},
        )
        response.raise_for_status()

    async def _voice(self, url: str, form: dict[str, str]) -> VoiceReply:
        response = await self.post_webhook(url, form)
        if response.status_code != 200:
            raise SimulationError(
                f"voice webhook {url} answered {response.status_code}: {response.text}"
            )
        return parse_twiml(response.text)

    async def _check_playable(self, url: str) -> None:
        """Twilio fetches ``<Play>`` URLs itself: make sure ours serve audio."""
        response = await self._http.get(self._target(url))
        if response.status_code != 200 or not response.headers.get("content-type", "").startswith(
            "audio/"
        ):
            raise SimulationError(f"<Play> URL {url} does not serve audio ({response.status_code})")
