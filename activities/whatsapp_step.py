"""A journey's ``send_whatsapp`` step as the send activity takes it: the texts to render and,
once rendered, the message. One definition for the two places that run the step: a journey
run (``workflows/journey.py``, between its render and send activities) and a campaign's
batch (``activities/campaign.py``, per member). Pure: safe in workflow code."""

from __future__ import annotations

from activities.types import SendWhatsAppInput, WhatsAppTemplate
from switchboard.journeys.schema import SendWhatsApp

TEXT = "text"
VARIABLE = "var:"  # a template variable's text: ``var:<name>``


def step_texts(step: SendWhatsApp) -> dict[str, str]:
    """The step's texts to render (Jinja sources): ``text``, the free-text body, and
    ``var:<name>`` per template variable."""
    texts = {TEXT: step.text}
    if step.template is not None:
        texts.update({f"{VARIABLE}{k}": v for k, v in step.template.variables.items()})
    return texts


def step_message(
    step: SendWhatsApp, rendered: dict[str, str], *, key: str, customer: str, purpose: str
) -> SendWhatsAppInput:
    """The send of ``step`` once ``step_texts`` are rendered (``rendered``: the same keys):
    the body, and the approved template with its rendered variables, under the send ``key``.
    Raises ``KeyError`` if ``rendered`` lacks one of the texts."""
    template = (
        WhatsAppTemplate(
            name=step.template.name,
            variables={k: rendered[f"{VARIABLE}{k}"] for k in step.template.variables},
        )
        if step.template is not None
        else None
    )
    return SendWhatsAppInput(
        key=key, customer=customer, body=rendered[TEXT], template=template, purpose=purpose
    )
