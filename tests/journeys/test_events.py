"""Business events as triggers and dates from their data: the catalogue is what a journey file
is checked against (unknown events, fields and template variables are refused at load, with
their line), and date expressions land where a marketer means them, in the customer's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from textwrap import dedent

import pytest

from switchboard.journeys.dates import parse_date_expression
from switchboard.journeys.events import (
    EVENTS,
    EventDataError,
    check_data,
    trigger_key,
)
from switchboard.journeys.loader import JourneyFileError, Problem, load_file

PARIS = "Europe/Paris"


def problems_of(tmp_path: Path, text: str) -> list[Problem]:
    path = tmp_path / "sample.yaml"
    path.write_text(dedent(text))
    with pytest.raises(JourneyFileError) as caught:
        load_file(path)
    return caught.value.problems


# -- date expressions ------------------------------------------------------------------------------


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_24_hours_before_is_exactly_24_hours_even_across_a_dst_change() -> None:
    # Paris goes to summer time on Sunday 29 March 2026: 10:00 Monday is 08:00 UTC, and 24 hours
    # earlier is 08:00 UTC on Sunday, which Paris calls 10:00 too, but 09:00 Saturday is not it.
    expression = parse_date_expression("booking.slot_start - 24h")
    assert expression.resolve("2026-03-30T08:00:00Z", PARIS) == utc("2026-03-29T08:00:00Z")


def test_a_day_later_at_10_is_10_local_whatever_the_offset() -> None:
    # A visit on Saturday 28 March (winter time, UTC+1): the next morning at 10:00 is summer time.
    expression = parse_date_expression("trigger.visited_at + 1d at 10:00")
    assert expression.resolve("2026-03-28T15:30:00Z", PARIS) == utc("2026-03-29T10:00:00+02:00")


def test_months_follow_the_calendar() -> None:
    expression = parse_date_expression("trigger.visited_at + 11 months at 10:00")
    assert expression.resolve("2026-01-31", PARIS) == utc("2026-12-31T10:00:00+01:00")
    one_month = parse_date_expression("trigger.visited_at + 1 month")
    assert one_month.resolve("2026-01-31", PARIS) == utc("2026-02-28T00:00:00+01:00")


def test_a_local_time_that_does_not_exist_is_the_end_of_the_gap() -> None:
    expression = parse_date_expression("trigger.visited_at + 1d at 02:30")
    assert expression.resolve("2026-03-28", PARIS) == utc("2026-03-29T03:00:00+02:00")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("slot_start - 24h", "start with trigger.<field> or booking.slot_start"),
        ("booking.slot_start - 24 fortnights", "unknown unit 'fortnights'"),
        ("booking.slot_start - 1h at 10:00", "hours and minutes would be lost"),
        ("booking.slot_start tomorrow", "cannot read 'tomorrow'"),
    ],
)
def test_a_bad_expression_says_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says.replace("(", r"\(").replace(")", r"\)")):
        parse_date_expression(text)


# -- the catalogue and event data ------------------------------------------------------------------


def test_booking_events_are_keyed_by_their_booking() -> None:
    data = {"booking_id": "bk1", "slot_start": "2026-03-10T09:00:00Z"}
    assert trigger_key("booking_confirmed", data) == "bk1"
    assert trigger_key("booking_rescheduled", data) == "bk1/2026-03-10T09:00:00Z"
    assert trigger_key("booking_confirmed", data, "slot_start") == "2026-03-10T09:00:00Z"
    # Events recorded before the catalogue carried their key.
    assert trigger_key("media_received", {"key": "MM1", "media_id": "me1"}) == "MM1"


def test_event_data_is_checked_field_by_field() -> None:
    check_data("visit_completed", {"visit_id": "v1", "visited_at": "2026-03-10"})
    with pytest.raises(EventDataError) as caught:
        check_data("visit_completed", {"visited_at": "10/03/2026", "colour": "red", "visit_id": ""})
    fields = {field for field, _ in caught.value.problems}
    assert fields == {"visited_at", "colour", "visit_id"}
    with pytest.raises(EventDataError, match="UTC offset"):
        check_data("booking_confirmed", {"booking_id": "b", "slot_start": "2026-03-10T09:00"})


def test_every_event_can_start_a_journey() -> None:
    wanted = {
        "booking_proposed",
        "booking_confirmed",
        "booking_rescheduled",
        "booking_cancelled",
        "visit_completed",
        "visit_no_show",
        "opted_in",
        "opted_out",
        "handoff_closed",
        "message_delivered",
        "message_failed",
        "call_ended",
        "media_received",
        "customer_replied",
    }
    assert wanted <= set(EVENTS)


# -- validation at load ----------------------------------------------------------------------------


def test_an_unknown_event_is_refused_with_its_line(tmp_path: Path) -> None:
    [problem] = problems_of(
        tmp_path,
        """\
        name: sample
        trigger:
          event: booking_confimred
        start: done
        steps:
          done: {kind: end}
        """,
    )
    assert (problem.line, problem.field) == (3, "trigger.event")
    assert "booking_confirmed" in problem.message  # the valid names are listed


def test_unknown_fields_and_variables_are_each_refused_with_their_line(tmp_path: Path) -> None:
    problems = problems_of(
        tmp_path,
        """\
        name: sample
        trigger:
          event: booking_confirmed
          when:
            colour: red
        start: hello
        steps:
          hello:
            kind: send_whatsapp
            text: "Hi {{ trigger.pet }} {{ booking.wen }} {{ custmer.e164 }}"
            next: later
          later:
            kind: wait
            until: {date: trigger.subject + 1d}
            next: done
          done: {kind: end}
        """,
    )
    found = {(p.line, p.field) for p in problems}
    assert found == {
        (5, "trigger.when.colour"),
        (10, "steps.hello.text"),
        (14, "steps.later.until.date"),
    }
    text = " ".join(p.message for p in problems)
    for said in ("trigger.pet", "booking.wen", "custmer", "not a date field"):
        assert said in text


def test_a_bad_date_expression_is_refused_on_its_line(tmp_path: Path) -> None:
    [problem] = problems_of(
        tmp_path,
        """\
        name: sample
        trigger: {event: booking_confirmed}
        start: later
        steps:
          later:
            kind: wait
            until:
              date: booking.slot_start - 1 fortnight
        """,
    )
    assert problem.line == 8
    assert problem.field == "steps.later.until.date", "the keys the file has: no kind tag"
    assert "unknown unit" in problem.message


def test_exit_on_a_cancellation_needs_a_booking(tmp_path: Path) -> None:
    [problem] = problems_of(
        tmp_path,
        """\
        name: sample
        trigger: {event: media_received}
        policies: {exit_on: [booking_cancelled]}
        start: done
        steps:
          done: {kind: end}
        """,
    )
    assert (problem.line, problem.field) == (3, "policies.exit_on")


def test_a_journey_started_by_a_delivery_report_may_not_send_whatsapp(tmp_path: Path) -> None:
    [problem] = problems_of(
        tmp_path,
        """\
        name: sample
        trigger: {event: message_delivered}
        start: thanks
        steps:
          thanks:
            kind: send_whatsapp
            text: "Glad it reached you"
        """,
    )
    assert problem.line == 6
    assert problem.field == "steps.thanks.kind"
    assert "would start it again" in problem.message
