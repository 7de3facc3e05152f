"""WhatsApp's 24-hour customer service window (``switchboard.whatsapp_policy``): what the
customer receives, free text or the approved template, by how long ago they last wrote."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from activities.types import WhatsAppTemplate
from switchboard.message_templates import Template
from switchboard.whatsapp_policy import (
    OutsideServiceWindow,
    TemplateVariableMissing,
    UnknownTemplate,
    WhatsAppContent,
    choose_content,
    inside_service_window,
)

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
TEMPLATES = {
    "checkup_reminder": Template(
        content_sid="HX123", body="Hi {{1}}, {{2}} is due a check-up. Shall we book it?"
    )
}
REMINDER = WhatsAppTemplate(name="checkup_reminder", variables={"1": "Alex", "2": "Felix"})


def send(
    *, wrote_ago: timedelta | None, template: WhatsAppTemplate | None = REMINDER
) -> WhatsAppContent:
    last = NOW - wrote_ago if wrote_ago is not None else None
    return choose_content(
        body="Felix is due a check-up: shall we book it?",
        template=template,
        templates=TEMPLATES,
        last_inbound=last,
        now=NOW,
    )


def test_23_hours_after_the_customer_wrote_free_text_goes_out() -> None:
    content = send(wrote_ago=timedelta(hours=23))
    assert content == WhatsAppContent(text="Felix is due a check-up: shall we book it?")


def test_25_hours_after_the_customer_wrote_only_the_template_goes_out() -> None:
    content = send(wrote_ago=timedelta(hours=25))
    assert content.text == "Hi Alex, Felix is due a check-up. Shall we book it?"
    assert content.template is not None and content.template.content_sid == "HX123"
    assert content.variables == {"1": "Alex", "2": "Felix"}


def test_a_customer_who_never_wrote_gets_the_template() -> None:
    assert send(wrote_ago=None).template is not None


def test_the_window_closes_exactly_24_hours_after_the_last_message() -> None:
    last = NOW - timedelta(hours=24)
    assert inside_service_window(last + timedelta(seconds=1), NOW)
    assert not inside_service_window(last, NOW)
    assert not inside_service_window(None, NOW)


def test_free_text_only_outside_the_window_is_refused() -> None:
    with pytest.raises(OutsideServiceWindow, match="no template given"):
        send(wrote_ago=timedelta(hours=25), template=None)


def test_inside_the_window_free_text_needs_no_template() -> None:
    assert send(wrote_ago=timedelta(minutes=5), template=None).template is None


def test_a_template_not_approved_is_refused_by_name() -> None:
    with pytest.raises(UnknownTemplate, match="'winter_promo'"):
        send(wrote_ago=None, template=WhatsAppTemplate(name="winter_promo", variables={}))


def test_a_template_missing_a_variable_is_refused_naming_it() -> None:
    partial = WhatsAppTemplate(name="checkup_reminder", variables={"1": "Alex"})
    with pytest.raises(TemplateVariableMissing, match="'checkup_reminder' needs '2'"):
        send(wrote_ago=None, template=partial)
