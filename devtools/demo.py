"""``make demo``: the walking skeleton end to end, on real audio, through the real webhooks.

1. A caller with a recorded WhatsApp opt-in asks, in synthesised phone-quality speech, to book
   an appointment for their cat on Tuesday at 10 am; the agent reads it back; they say "yes";
   they hang up.
2. A WhatsApp confirmation naming Tuesday and 10:00 arrives (call → WhatsApp journey).
3. On WhatsApp they ask "wait, what day was it again?" and the agent answers from the call.
4. A second customer sends a real recording (../shared/audio/jfk.flac) as a WhatsApp voice
   note; its transcript appears in the timeline.
5. The after-hours journey: a caller who rang on a Friday evening, dry-run by the real
   JourneyWorkflow in Temporal's time-skipping server (the demo's own stack is always open, on
   purpose, so its call above never lands "after hours" by accident): the callback offer on
   WhatsApp, the customer's yes, the call back at the held slot.

Every step is checked; the exit status is non-zero if any did not happen.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from devtools.simulate import TwilioSimulator
from devtools.stack import ROOT, Stack, StackError
from operations.api_client import SwitchboardClient
from switchboard.providers.local_tts import EspeakTTS
from switchboard.settings import Settings, get_settings
from switchboard.temporal import customer_workflow_id, journey_workflow_id
from switchboard.timeline import render

CALLER = "+33612345678"
SECOND_CUSTOMER = "+33698765432"
BOOKING_REQUEST = "Hi, I'd like to book an appointment for my cat on Tuesday at 10 am"
JFK = ROOT.parent / "shared" / "audio" / "jfk.flac"

T = TypeVar("T")


@dataclass
class Checks:
    results: list[tuple[str, bool, str]] = field(default_factory=list)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.results.append((name, ok, detail))
        print(f"  [{'ok' if ok else 'FAILED'}] {name}{f': {detail}' if detail else ''}")
        return ok

    @property
    def passed(self) -> bool:
        return all(ok for _, ok, _ in self.results)


def demo_settings(base: Settings) -> Settings:
    """Own ports and data directory, so the demo runs beside a `make up` stack and always
    starts from an empty state."""
    return base.on_ports(
        temporal_port=7234,
        temporal_ui_port=8234,
        api_port=8001,
        media_port=8051,
        fake_twilio_port=8098,
        worker_metrics_port=9465,
    ).model_copy(
        update={
            "data_dir": base.data_dir / "demo",
            # Always open, on purpose: the demo's call must not become "after hours" because of
            # the hour it happens to run at.
            "business_hours": None,
        }
    )


async def poll(
    fetch: Callable[[], T], ok: Callable[[T], bool], *, timeout_s: float = 90
) -> T | None:
    """Call ``fetch`` until ``ok`` holds or the timeout (s) passes; None on timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = fetch()
        if ok(value):
            return value
        if time.monotonic() > deadline:
            return None
        await asyncio.sleep(0.25)


def ui_link(settings: Settings, workflow_id: str) -> str:
    return (
        f"{settings.ui_url}/namespaces/{settings.temporal_namespace}"
        f"/workflows/{quote(workflow_id, safe='')}"
    )


def fake_twilio_messages(settings: Settings, to: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{settings.twilio_api_base_url}/_fake/messages", timeout=10)
    response.raise_for_status()
    return [m for m in response.json() if m["to"] == f"whatsapp:{to}"]


def message_text(message: dict[str, Any]) -> str:
    """What the customer reads: the body (the fake Twilio renders templates, as Twilio does), else
    the template's variables."""
    body = str(message.get("body") or "")
    return body or " ".join((message.get("content_variables") or {}).values())


async def after_hours(checks: Checks) -> None:
    """Step 5: the after-hours journey for a Friday-evening caller, in the time-skipping server."""
    from datetime import UTC, datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from operations.dry_run import DryRunOptions, ScriptedReply, dry_run
    from operations.dry_run import render as render_dry_run
    from switchboard.journeys.loader import DEFAULT_DIR, load_file

    print("\n5. After hours: a caller rings on Friday at 20:00 (dry run, time-skipping server)")
    definition = load_file(DEFAULT_DIR / "after-hours-callback.yaml")
    paris = ZoneInfo("Europe/Paris")
    soon = (datetime.now(UTC) + timedelta(minutes=5)).astimezone(paris)
    day = soon.date()
    while (friday := datetime.combine(day, time(20, 0), tzinfo=paris)).weekday() != 4 or (
        friday <= soon
    ):
        day += timedelta(days=1)
    run = await dry_run(
        definition,
        DryRunOptions(start=friday, replies=[ScriptedReply.parse("yes@1h")]),
    )
    print("\n".join(f"     {line}" for line in render_dry_run(run).splitlines()))
    kinds = [entry.kind for entry in run.entries]
    checks.check(
        "after-hours journey: callback offered on WhatsApp, accepted, called back",
        run.outcome.status == "completed" and "whatsapp" in kinds and "call" in kinds,
        " → ".join(run.outcome.trail),
    )


def names_slot(text: str) -> bool:
    return "Tuesday" in text and "10:00" in text


def run_demo(*, keep_running: bool = False) -> int:
    settings = demo_settings(get_settings())
    shutil.rmtree(settings.data_dir, ignore_errors=True)
    if not JFK.exists():
        print(f"error: {JFK} is missing (the shared/ folder sits next to the project)")
        return 2
    checks = Checks()
    print("Starting the embedded stack (Postgres, Temporal, fake Twilio, worker, API, media)…")
    try:
        with Stack(settings) as stack:
            print(f"  ready; logs in {stack.log_dir}")
            asyncio.run(scenario(settings, checks))
            if keep_running:
                print(f"\nStack still running; Temporal UI at {settings.ui_url}. Ctrl-C to stop.")
                with contextlib.suppress(KeyboardInterrupt):
                    stack.wait()
    except StackError as exc:
        print(f"error: {exc}")
        return 2
    print("\nDemo " + ("passed." if checks.passed else "FAILED."))
    return 0 if checks.passed else 1


async def scenario(settings: Settings, checks: Checks) -> None:
    api = SwitchboardClient(settings)
    sim = TwilioSimulator(settings)
    tts = EspeakTTS()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            turn1, turn2 = Path(tmp) / "turn1.wav", Path(tmp) / "turn2.wav"
            turn1.write_bytes((await tts.synthesize(BOOKING_REQUEST)).data)
            turn2.write_bytes((await tts.synthesize("yes")).data)

            print(
                f"\n1. {CALLER} (WhatsApp opt-in recorded) calls and books by voice, "
                "over a real-time Media Stream"
            )
            api.record_consent(CALLER, channel="whatsapp", status="opted_in", source="web_form")
            started = time.monotonic()
            call = await sim.stream_call(CALLER, [turn1.read_bytes(), turn2.read_bytes()])
            for line in call.figures():
                print(f"     {line}")
            greeting_ms = call.streams[0].greeting_first_frame_ms if call.streams else None
            checks.check(
                "greeting played at once (pre-rendered)",
                greeting_ms is not None,
                f"first audio frame {greeting_ms:.0f} ms after the stream's start"
                if greeting_ms is not None
                else "no greeting",
            )
            checks.check(
                "two caller turns answered over the stream",
                len(call.turns) == 2 and all(t.agent_audio_bytes for t in call.turns),
                f"{len(call.turns)} turns in {time.monotonic() - started:.1f} s",
            )
            voice = api.conversation(CALLER)["entries"]
            heard = [
                e["text"]
                for e in voice
                if e["channel"] == "voice" and e["direction"] == "inbound" and e["kind"] == "speech"
            ]
            said = [
                e["text"] for e in voice if e["channel"] == "voice" and e["direction"] == "outbound"
            ]
            print(f"     caller said (Whisper heard): {heard}")
            checks.check(
                "agent read the booking back",
                any(names_slot(t) and "confirm" in t.lower() for t in said),
                next((t for t in said if names_slot(t)), "no read-back"),
            )
            checks.check(
                "booking confirmed on the call",
                any("booked" in t.lower() for t in said),
                said[-1] if said else "",
            )

            print("\n2. The call → WhatsApp confirmation journey")
            confirmation = await poll(
                lambda: fake_twilio_messages(settings, CALLER),
                lambda ms: any(names_slot(message_text(m)) for m in ms),
            )
            checks.check(
                "WhatsApp confirmation naming Tuesday and 10:00 arrived",
                confirmation is not None,
                message_text(confirmation[-1]).strip() if confirmation else "nothing sent",
            )

            print("\n3. On WhatsApp: 'wait, what day was it again?'")
            before = len(fake_twilio_messages(settings, CALLER))
            await sim.whatsapp(CALLER, text="wait, what day was it again?")
            answered = await poll(
                lambda: fake_twilio_messages(settings, CALLER), lambda ms: len(ms) > before
            )
            answer = message_text(answered[-1]).strip() if answered else ""
            checks.check(
                "the agent answered from the call: Tuesday at 10:00",
                names_slot(answer),
                answer or "no reply",
            )

            print(f"\n4. {SECOND_CUSTOMER} sends a real recording as a WhatsApp voice note")
            await sim.whatsapp(SECOND_CUSTOMER, audio_file=JFK)
            convo = await poll(
                lambda: api.conversation(SECOND_CUSTOMER),
                lambda c: (
                    any(
                        e["kind"] == "voice_note" and "country" in e["text"].lower()
                        for e in c["entries"]
                    )
                    and any(e["direction"] == "outbound" for e in c["entries"])
                ),
            )
            note = next(
                (
                    e["text"]
                    for e in (convo or {"entries": []})["entries"]
                    if e["kind"] == "voice_note"
                ),
                "",
            )
            checks.check("voice note transcribed into the timeline", convo is not None, note)

        await after_hours(checks)

        print()
        print(render(api.conversation(CALLER)))
        print()
        print(render(api.conversation(SECOND_CUSTOMER)))
        print("\nTemporal UI (`switchboard demo --keep-running` keeps it up to browse):")
        for workflow_id in (
            customer_workflow_id(CALLER),
            journey_workflow_id("call-confirmation", CALLER, call.call_sid),
            customer_workflow_id(SECOND_CUSTOMER),
        ):
            print(f"  {workflow_id:<60} {ui_link(settings, workflow_id)}")
    finally:
        await sim.aclose()
        api.close()
