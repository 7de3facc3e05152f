"""Inputs of workflows, updates and signals: one model each; new fields get defaults so that
histories recorded before them still decode."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field

from activities.journey_types import TriggerData
from activities.types import SendWhatsAppInput
from switchboard.agent_models import AgentDecision, Channel, PendingAction
from switchboard.identity_checks import Method
from switchboard.journeys.schema import JourneyDefinition
from switchboard.verification import IdentityState, Trust


class MediaItem(BaseModel):
    url: str
    content_type: str


class InboundInput(BaseModel):
    """One inbound customer message: a WhatsApp message or a recorded caller turn.

    ``sid`` is Twilio's MessageSid or RecordingSid (also the Update ID: a webhook delivered
    twice is one turn). ``received_at`` is when the webhook arrived, UTC.
    """

    sid: str
    channel: Channel
    text: str = ""
    media: list[MediaItem] = Field(default_factory=list)
    call_sid: str | None = None
    received_at: datetime
    voicemail: bool = False  # left after hours: transcribed and logged, no agent reply


class CallTurnInput(BaseModel):
    """One caller turn of a real-time call (docs/architecture.md, "A real-time call"): heard
    and decided in the media process, carried out here. ``sid`` is ``<CallSid>/<turn>`` (also
    the Update ID: a turn sent twice is one turn). ``decision`` is None when nothing usable was
    heard (``unsure``: a transcript too unsure to act on), and the workflow answers with its
    own question. ``received_at`` is when the caller stopped speaking, UTC."""

    sid: str
    call_sid: str
    transcript: str = ""
    unsure: bool = False
    decision: AgentDecision | None = None
    agent_unavailable: bool = False  # the agent failed: a person takes over
    received_at: datetime
    # The caller said nothing, even asked if they were there: no words, the agent says goodbye
    # and the call ends (``TurnRunner.run_call_turn``, patch ``silent-caller``).
    silent: bool = False


class TurnResult(BaseModel):
    """What the customer gets back for a turn. ``audio_media_id`` is set on calls when TTS
    succeeded (played with ``<Play>``); otherwise the reply is spoken with ``<Say>``."""

    reply: str
    audio_media_id: str | None = None
    hangup: bool = False


class CallStartedInput(BaseModel):
    """A call began. For calls Switchboard placed, ``goal`` is what the agent pursues and
    ``pending_booking_id`` a draft to put to the customer for a yes; ``after_hours`` calls only
    take a voicemail."""

    call_sid: str
    greeting: str
    received_at: datetime
    goal: str | None = None
    pending_booking_id: str | None = None
    after_hours: bool = False
    # The caller ID is vouched for (switchboard/verification.py): an inbound call with
    # StirVerstat TN-Validation-Passed-A, or a call Switchboard placed. None: not known (an
    # event recorded before this field), treated as vouched for.
    attested: bool | None = None


class CallEndedInput(BaseModel):
    call_sid: str
    status: str  # Twilio CallStatus: completed, busy, no-answer, failed, canceled
    duration_s: int | None = None
    received_at: datetime


# Twilio's ``AnsweredBy`` (Twilio docs, "Answering Machine Detection",
# https://www.twilio.com/docs/voice/answering-machine-detection): with
# ``MachineDetection=DetectMessageEnd`` (what Switchboard asks for) ``human``, ``fax``,
# ``unknown`` (nothing decided within the detection timeouts) or, once a machine's greeting has
# ended, ``machine_end_beep``/``machine_end_silence``/``machine_end_other``; ``machine_start``
# only with ``MachineDetection=Enable``.
AnsweredBy = Literal[
    "human",
    "machine_start",
    "machine_end_beep",
    "machine_end_silence",
    "machine_end_other",
    "fax",
    "unknown",
]


class CallAnsweredByInput(BaseModel):
    """Who picked up a call Switchboard placed, as Twilio's answering machine detection heard
    it (the ``call_answered_by`` signal). Anything but ``human`` makes the call count as not
    answered (``call_completed`` with status ``no-answer``): the API has left the voicemail
    (``machine_end_*``) or hung up (the others). ``detection_ms`` is Twilio's
    ``MachineDetectionDuration``; ``received_at`` when the result arrived, UTC."""

    call_sid: str
    answered_by: AnsweredBy
    detection_ms: int | None = None
    received_at: datetime


class MessageFailedInput(BaseModel):
    """Twilio reported that an outbound message it had accepted was not delivered (the
    ``message_failed`` signal, from the status callback route): ``key`` is the send's outbox
    key, ``sid`` Twilio's MessageSid, ``status`` ``failed`` or ``undelivered``, ``error_code``
    Twilio's ErrorCode (``63016``: outside the 24-hour window), ``received_at`` UTC."""

    key: str
    sid: str
    status: str
    error_code: str | None = None
    received_at: datetime


class CallState(BaseModel):
    booking_id: str | None = None  # confirmed during this call
    goal: str | None = None
    after_hours: bool = False
    voicemail: str = ""
    hung_up: bool = False  # the agent said goodbye (a real-time call's stream then ends)
    answered_by: AnsweredBy | None = None  # answering machine detection (calls we placed)
    # Identity (switchboard/verification.py): the caller ID vouched for, the checks passed on
    # this call, and whether too many wrong answers closed them. ``attested`` None only in a
    # call recorded before it was kept (or started by an event from before it was sent): such
    # a call counts as vouched for; every call Switchboard records now has True or False.
    attested: bool | None = None
    identity_passed: list[Method] = Field(default_factory=list)
    identity_locked: bool = False


class CallView(BaseModel):
    """What the media process reads of a call before each turn (the ``call_view`` query):
    ``open`` is False once the call ended or was never started."""

    open: bool
    hung_up: bool = False
    goal: str | None = None
    pending: PendingAction | None = None
    # The caller's identity for the agent's context (None: a workflow without identity checks).
    identity: Trust | None = None


class CustomerState(BaseModel):
    """What survives continue-as-new. Kept small: IDs, the pending action, open calls."""

    pending: PendingAction | None = None
    calls: dict[str, CallState] = Field(default_factory=dict)
    recent_sids: list[str] = Field(default_factory=list)
    journeys: list[str] = Field(default_factory=list)  # running journey IDs: they get events
    # Running journey ID → the event kinds it listens to (workflows/journey_listens.py): an event
    # for every running journey goes only to those; a run missing here hears every event.
    journey_events: dict[str, list[str]] = Field(default_factory=dict)
    # The customer's running runs were read from Temporal's visibility (runs an audience launch
    # started while this workflow was not running: ``JourneyRouter.learn_launched``).
    launched_runs_read: bool = False
    # Replies Twilio did not take (outage beyond the activity's retries), oldest first; they go
    # out in this order when it recovers, and nothing newer overtakes them.
    unsent: list[SendWhatsAppInput] = Field(default_factory=list)
    # Who holds the conversation while a handoff is open: ``queue:<queue>`` once the agent
    # handed it off, the person's name once a human replied from the console; None: the agent
    # answers. While held, the agent stays silent on WhatsApp (workflows/human_replies.py).
    held_by: str | None = None
    # Identity checks (workflows/identity.py): the open one, WhatsApp's record.
    identity: IdentityState = Field(default_factory=IdentityState)


class CustomerInput(BaseModel):
    e164: str
    state: CustomerState = Field(default_factory=CustomerState)


# -- journeys ------------------------------------------------------------------------------------


class JourneyInput(BaseModel):
    """The definition is copied in at entry (pinned): editing the file later does not change
    this run. ``version`` is the definition's content hash."""

    definition: JourneyDefinition
    version: str
    customer: str
    trigger: TriggerData
    start_at: str | None = None  # the step to start at (None: ``definition.start``)
    # The starter set the run's search attributes on the start
    # (``switchboard.temporal.journey_search_attributes``): the run writes only changed ones,
    # and tells the customer workflow itself before its first question (``JourneyWorkflow``).
    # Absent from every earlier input, so earlier histories replay their commands.
    attributes_at_start: bool = False
    # Patches of ``JourneyWorkflow`` the starter's code has, which this run takes from its
    # start without a marker each (``workflows/journey.py``, ``JOURNEY_PATCHES``): a marker
    # and the SDK's ``TemporalChangeVersion`` search attribute were 2 of a launched run's 9
    # history events up to its first timer (bench suite 3, issue 14). Empty in every earlier
    # input, so earlier histories replay their markers (or their absence).
    patches: list[str] = Field(default_factory=list)
    # The journey was paused when the run started (``operations.manage.pause``): the run waits
    # before its first step until resumed, as a run paused by signal does. Absent from every
    # earlier input: they start running, as they did.
    paused: bool = False


class JourneyRunInput(BaseModel):
    """A journey run started outside the customer workflow (an audience launch starts each
    member's run itself, ``operations/launch.py``), for the customer workflow to forward
    events to: its workflow ID and the event kinds it listens to
    (``workflows/journey_listens.py``)."""

    journey_id: str
    listens: list[str]


# ``JourneyEvent.data`` key: when the customer's message behind the event was received.
RECEIVED_AT = "received_at"
# The events of a customer's message, which carry ``RECEIVED_AT`` (``JourneyEvent.from_message``).
MESSAGE_EVENTS = frozenset({"reply", "yes", "no"})


class JourneyEvent(BaseModel):
    """Something that happened in the customer's conversation, forwarded by the customer
    workflow: ``reply`` (with ``intent``), ``yes``, ``no``, ``booking_confirmed``,
    ``draft_confirmed``, ``stop``, ``call_completed`` (with ``call_sid`` and ``status``).

    A ``reply``, ``yes`` or ``no`` also carries ``received_at``: when the customer's message
    that it answers was received (ISO 8601, UTC; the turn's latest ``InboundInput.received_at``
    or ``CallTurnInput.received_at``; ``from_message``). The router forwards it only after the
    agent's answer is out, so it can reach a run that started meanwhile, which then ignores it
    (``JourneyWorkflow.event``). Events recorded before this field carry none."""

    kind: str
    data: dict[str, str] = Field(default_factory=dict)

    @classmethod
    def from_message(
        cls, kind: str, received_at: datetime, data: dict[str, str] | None = None
    ) -> JourneyEvent:
        """The event ``kind`` (of ``MESSAGE_EVENTS``) of a customer's message received at
        ``received_at`` (naive: taken as UTC), with ``data``."""
        if received_at.tzinfo is None:
            received_at = received_at.replace(tzinfo=UTC)
        stamp = received_at.astimezone(UTC).isoformat()
        return cls(kind=kind, data={**(data or {}), RECEIVED_AT: stamp})

    def received_before(self, instant: datetime) -> bool:
        """Was the customer's message behind this event received before ``instant`` (aware)?
        False when the event carries no time (recorded before ``received_at``, or not a
        message's) or an unreadable one: such an event counts, as every event did before."""
        stamp = self.data.get(RECEIVED_AT)
        if not stamp:
            return False
        try:
            received = datetime.fromisoformat(stamp)
        except ValueError:
            return False
        if received.tzinfo is None:
            received = received.replace(tzinfo=UTC)
        return received < instant


class BusinessEventInput(BaseModel):
    """An event from the business's own systems (``POST /events``), for the customer's
    workflow: forwarded to the customer's running journeys and matched against the journeys'
    triggers. ``event`` is a name of ``switchboard.journeys.events.EVENTS``; ``idempotency_key``
    the request's (a redelivery is one event); ``data`` the event's fields, ``at`` included."""

    event: str
    idempotency_key: str
    data: dict[str, str] = Field(default_factory=dict)


class JourneyOutcome(BaseModel):
    status: str  # completed | exited | cancelled
    reason: str = ""
    trail: list[str] = Field(default_factory=list)  # the steps run, in order
    # The run's WhatsApp messages Twilio reported failed/undelivered (not those replaced by
    # their template after 63016).
    undelivered: int = 0
    converted_at: str | None = None  # the step the run was in when its goal was met
    branch: str | None = None  # "<split step>:<branch>" of its last split


class OfferInput(BaseModel):
    """A journey asks the customer a yes/no question (e.g. "shall we call you?"): the customer
    workflow holds it as the pending action, and forwards the answer as ``yes``/``no``."""

    journey_id: str
    summary: str
    ttl_s: int


# -- the console's human replies ------------------------------------------------------------------


class HumanReplyInput(BaseModel):
    """A person's WhatsApp reply from the console (Update ``human_reply``, Update ID = ``id``:
    the form's one-time ID, so a double submit sends once). Sent through the outbox under
    ``human/<id>``: free text inside the 24-hour window, the ``human_followup`` template
    outside it."""

    id: str
    person: str
    text: str


class HumanReplyResult(BaseModel):
    """``sent``: Twilio took it (False: queued behind replies waiting for Twilio)."""

    key: str
    sent: bool


class HandBackInput(BaseModel):
    """The person hands the conversation back to the agent (Update ``hand_back``)."""

    person: str
