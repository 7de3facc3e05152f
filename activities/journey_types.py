"""Inputs and results of the journey activities (one model each)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from switchboard.agent_models import Channel
from switchboard.journeys.schema import FrequencyCap, JourneyDefinition


# The gate's models come before the profile's, which name them: a model naming a class defined
# further down is completed by pydantic on first use, from its module in ``sys.modules``, which
# fails in a sandbox that never imported this module ("`ProfileInput` is not fully defined").
class GateInput(BaseModel):
    customer: str
    channel: Channel
    purpose: str
    frequency_cap: FrequencyCap | None = None
    key_prefix: str  # this step's sends do not count against the cap (retries, re-checks)


class GateDecision(BaseModel):
    allowed: bool
    reason: str
    opted_out: bool = False  # refused because the customer said no (not just no opt-in yet)


class ProfileInput(BaseModel):
    customer: str
    default_timezone: str
    # The run's first step is a consent branch: its gate, answered with the profile (one local
    # activity before a first wait instead of two). Absent from earlier histories' inputs.
    gate: GateInput | None = None


class CustomerProfile(BaseModel):
    timezone: str  # IANA: the profile's, else the E.164 country's, else the journey default
    gate: GateDecision | None = None  # ProfileInput.gate's decision, when it had one


class RenderInput(BaseModel):
    customer: str
    timezone: str
    trigger_event: str
    trigger: dict[str, str]
    variables: dict[str, str] = Field(default_factory=dict)
    texts: dict[str, str]  # name → Jinja template


class CrmFieldInput(BaseModel):
    customer: str
    field: str  # draft_status | booking_status | opted_in
    trigger: dict[str, str]


class HandoffInput(BaseModel):
    key: str
    customer: str
    queue: str
    note: str


class HoldSlotInput(BaseModel):
    key: str
    customer: str
    slot_start: datetime  # UTC
    purpose: str
    timezone: str = "UTC"  # IANA zone the slot is said in (the journey's customer zone)


class HeldSlot(BaseModel):
    slot_start: datetime
    slot_text: str


class JourneyLogInput(BaseModel):
    key: str
    customer: str
    text: str


class PlaceCallInput(BaseModel):
    key: str  # idempotency key of the call
    customer: str
    opening: str  # what the agent says when the customer answers
    goal: str  # what the agent pursues on the call
    journey_id: str
    pending_booking_id: str | None = None  # a draft to put to the customer for a yes
    voicemail: str | None = None  # left on an answering machine; None: the default message


class CallPlaced(BaseModel):
    call_sid: str


class MatchInput(BaseModel):
    event: str
    data: dict[str, str]


class TriggerData(BaseModel):
    """What put the customer into a journey: the event, its key (one run per journey ×
    customer × key) and its data (strings, usable in templates as ``trigger.<name>``)."""

    event: str
    key: str
    data: dict[str, str] = Field(default_factory=dict)


class JourneyStartRequest(BaseModel):
    """Ask a customer workflow to start a journey (audience launches go through it so that the
    customer workflow knows every journey it must forward events to)."""

    definition: JourneyDefinition
    version: str
    trigger: TriggerData
    # The step the run starts at (None: the definition's ``start``): a broadcast campaign
    # hands a member to their own run where the broadcast stops (``workflows/campaign.py``).
    start_at: str | None = None
    # The journey was paused when the run was asked for (``journey_pause``): the run starts
    # paused (``JourneyInput.paused``). Absent from results recorded before: not paused.
    paused: bool = False


class RunningJourneysInput(BaseModel):
    """Which journey runs are running for ``customer`` (E.164), as Temporal's visibility lists
    them by ``CustomerPhone``."""

    customer: str


class AskCustomerInput(BaseModel):
    """A journey run's yes/no question for the customer workflow to hold as the pending action
    (the customer workflow is started if it is not running)."""

    customer: str
    journey_id: str
    summary: str
    ttl_s: int


class JoinCustomerInput(BaseModel):
    """A journey run for the customer workflow to forward events to (started if it is not
    running): the run's workflow ID and the event kinds it listens to."""

    customer: str
    journey_id: str
    listens: list[str]
