"""``trigger.one_at_a_time`` and the events each run listens to, without a server: the run key,
the version hash, what the loader refuses, and which forwarded events reach which shipped
journey. The win-back end to end is in ``test_visit_journeys.py``."""

from __future__ import annotations

from pathlib import Path

from switchboard.journeys.loader import DEFAULT_DIR, load_file
from switchboard.journeys.schema import ONE_AT_A_TIME_KEY, Trigger
from tests.journeys.test_goals_and_splits import problems_of
from workflows.journey_listens import listened_events


def test_one_at_a_time_keys_one_run_per_customer_or_per_key_value() -> None:
    replied = {"key": "SM1", "at": "2026-12-01T10:00:00+00:00"}
    assert Trigger(event="customer_replied").run_key(replied) == "SM1"
    assert Trigger(event="customer_replied", one_at_a_time=True).run_key(replied) == "customer"
    assert ONE_AT_A_TIME_KEY == "customer"
    visit = {"visit_id": "v-1", "subject": "Felix"}
    per_pet = Trigger(event="visit_completed", key="subject", one_at_a_time=True)
    assert per_pet.run_key(visit) == "Felix"
    assert per_pet.run_key({"visit_id": "v-2"}) == ""  # no subject: starts nothing


def test_the_option_is_in_the_version_only_when_set() -> None:
    win_back = load_file(DEFAULT_DIR / "win-back.yaml")
    assert win_back.trigger.one_at_a_time
    without = win_back.model_copy(
        update={"trigger": win_back.trigger.model_copy(update={"one_at_a_time": False})}
    )
    assert without.version != win_back.version
    # The other shipped journeys' versions do not depend on the option: the reminder's is the
    # one its file gives (last changed when its business hours became the profile's).
    assert load_file(DEFAULT_DIR / "appointment-reminder.yaml").version == "2f33e860ec62"


def test_one_at_a_time_with_superseded_is_refused(tmp_path: Path) -> None:
    [problem] = problems_of(
        tmp_path,
        """\
        name: sample
        trigger: {event: customer_replied, one_at_a_time: true}
        policies:
          exit_on: [superseded]
        start: done
        steps:
          done: {kind: end}
        """,
    )
    assert problem.field == "policies.exit_on" and "one_at_a_time" in problem.message


def test_each_journey_listens_only_to_the_events_it_reads() -> None:
    def listens(name: str) -> set[str]:
        return set(listened_events(load_file(DEFAULT_DIR / f"{name}.yaml")))

    # The win-back: STOP, its goal, its own trigger (a later message moves it), its message's
    # delivery failure; not the agent's every reply.
    assert listens("win-back") == {
        "stop",
        "booking_confirmed",
        "customer_replied",
        "message_failed",
    }
    reminder = listens("appointment-reminder")
    assert {"booking_rescheduled", "booking_cancelled", "yes", "no", "call_completed"} <= reminder
    assert "reply" not in reminder
    assert {"reply", "yes", "no", "booking_confirmed"} <= listens("outreach")  # exit_on: replied
    assert "draft_confirmed" in listens("draft-followup")  # wait_for
    assert "visit_completed" in listens("annual-recall")  # superseded


def test_a_profile_edit_is_not_a_new_version_of_a_journey(tmp_path: Path) -> None:
    # The hours come from the profile when the file names none: the run gets the profile's
    # current hours and holidays, while the journey's version stays the file's.
    reminder = load_file(DEFAULT_DIR / "appointment-reminder.yaml")
    hours = reminder.policies.business_hours
    assert hours.from_profile and hours.timezone == "Europe/Paris"
    saturday = hours.model_copy(update={"holidays": ()})
    edited = reminder.model_copy(
        update={"policies": reminder.policies.model_copy(update={"business_hours": saturday})}
    )
    assert edited.version == reminder.version
    written = saturday.model_copy(update={"from_profile": False})
    explicit = reminder.model_copy(
        update={"policies": reminder.policies.model_copy(update={"business_hours": written})}
    )
    assert explicit.version != reminder.version
