"""WhatsApp's 24-hour customer service window: what a send may carry, decided in one place.

Inside the window (the customer wrote less than 24 h ago) a business may send free text;
outside it only a pre-approved template goes out (Meta's customer service window, WhatsApp
Business Platform docs; Twilio refuses free text outside it with error 63016). Pure functions:
the caller reads the customer's last inbound time and the approved templates, and turns a
``ContentRefused`` into its own error (``activities.whatsapp.refusal_error``). Used by the real
send activity and by the dry run's fake, so both decide alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from switchboard.message_templates import Template

# Meta's customer service window: free-form messages only within 24 h of the customer's last
# message (WhatsApp Business Platform docs; Twilio error 63016 outside it).
SERVICE_WINDOW = timedelta(hours=24)


class ContentRefused(Exception):
    """The send cannot go out as asked, and trying again will not change that. The class name
    is the error type the activities report (``OutsideServiceWindow``, …)."""


class OutsideServiceWindow(ContentRefused):
    """Outside the 24-hour window, and no template to send instead."""


class UnknownTemplate(ContentRefused):
    """The template named is not in ``journeys/templates.yaml``."""


class TemplateVariableMissing(ContentRefused):
    """The template needs a variable the send did not give."""


class TemplateRequest(Protocol):
    """An approved template by name with its positional variables (``{"1": "Alex"}``), e.g.
    ``activities.types.WhatsAppTemplate``."""

    name: str
    variables: dict[str, str]


@dataclass(frozen=True)
class WhatsAppContent:
    """What goes out. Free text: ``text`` alone. A template: ``template`` and ``variables``
    (sent as Twilio ``content_sid``/``content_variables``), ``text`` its rendered body, what the
    customer reads and the conversation log keeps."""

    text: str
    template: Template | None = None
    variables: dict[str, str] | None = None


def inside_service_window(last_inbound: datetime | None, now: datetime) -> bool:
    """Whether free text may go out at ``now``: the customer's last WhatsApp message
    (``last_inbound``, aware; None if they never wrote) is less than 24 h old."""
    return last_inbound is not None and now - last_inbound < SERVICE_WINDOW


def choose_content(
    *,
    body: str,
    template: TemplateRequest | None,
    templates: dict[str, Template],
    last_inbound: datetime | None,
    now: datetime,
) -> WhatsAppContent:
    """Free ``body`` inside the window; outside it, ``template`` rendered from ``templates``
    (name → approved template).

    Raises ``OutsideServiceWindow`` outside the window without a template, ``UnknownTemplate``
    for a name not in ``templates``, ``TemplateVariableMissing`` naming a missing variable.
    """
    if inside_service_window(last_inbound, now):
        return WhatsAppContent(text=body)
    if template is None:
        raise OutsideServiceWindow(
            "outside the 24-hour customer service window and no template given"
        )
    try:
        approved = templates[template.name]
    except KeyError as exc:
        raise UnknownTemplate(f"unknown WhatsApp template {template.name!r}") from exc
    try:
        text = approved.render(template.variables)
    except KeyError as exc:
        raise TemplateVariableMissing(f"template {template.name!r} needs {exc}") from exc
    return WhatsAppContent(text=text, template=approved, variables=template.variables)
