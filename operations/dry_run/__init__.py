"""Dry-run a journey: the real ``JourneyWorkflow`` for one made-up customer, in Temporal's
time-skipping test server, with in-memory activities registered under the real names.

Nothing is sent and nothing is written: WhatsApp messages, calls, handoffs and log lines become
entries of a timeline stamped with the (virtual) time they would happen, in the customer's local
time. Waits of hours or days take no real time; quiet hours, business hours, ``wait``/``until``
steps and timeouts are decided by the interpreter itself, exactly as in production, and the send
rules by the production policy functions (``switchboard.whatsapp_policy``,
``switchboard.journeys.send_gate``), fed made-up facts.

What is made up (``fakes``): the customer (+33612345678, Europe/Paris, from the number), the
trigger event's data (a call SID, a voicemail "I'd like to move my appointment", a media ID,
``first_name`` Alex, ``pet_name`` Felix…), and one booking for Felix next Tuesday at 10:00
(``draft``, or ``confirmed`` when the trigger says so). Consent follows ``opted_in`` (WhatsApp,
for the journey's purpose); calls are always allowed; the frequency cap counts this dry run's
own sends. For WhatsApp's 24-hour window the customer last wrote on WhatsApp when the trigger
was a WhatsApp event and when a scripted reply comes; outside the window the approved template
(``journeys/templates.yaml``) is what the customer sees, and a send without one is skipped as in
production. Every placed call is answered (``call_completed``, ``completed``) unless
``answer_calls`` is false (then ``no-answer``).

Scripted replies (``ScriptedReply``, CLI ``--reply yes@2h``): a reply comes ``after`` the
journey's previous outbound message (the latest WhatsApp message or call before it); if the
journey sends again before the reply is due, the reply is measured from that newer message. A
``reply``, ``yes``, ``no`` or ``stop`` answers something, so before the journey's first message
it waits for one; other events (``draft_confirmed``, ``booking_confirmed``) are measured from the
start until there is a message. Replies are sent in order.

Start instant: the test server's clock starts at the real now and only moves forward, so a dry run
starts now, or at a later ``start`` (the clock is skipped forward to it before the journey
starts); a start in the past is refused.

Modules: ``types`` (options, replies, the timeline), ``fakes`` (made-up data and activities),
``driver`` (the environment, the worker, the clock, the timeline as text).
"""

from operations.dry_run.driver import dry_run, render, start_environment
from operations.dry_run.types import (
    DEFAULT_CUSTOMER,
    DryRun,
    DryRunError,
    DryRunOptions,
    ScriptedReply,
    TimelineEntry,
    duration_text,
    parse_trigger_data,
)

__all__ = [
    "DEFAULT_CUSTOMER",
    "DryRun",
    "DryRunError",
    "DryRunOptions",
    "ScriptedReply",
    "TimelineEntry",
    "duration_text",
    "dry_run",
    "parse_trigger_data",
    "render",
    "start_environment",
]
