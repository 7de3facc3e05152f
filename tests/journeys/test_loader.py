"""Journey files: every problem is reported with its file, line and field; YAML 1.1 surprises
(``on:``, ``yes``, an unquoted ``18:00``) are handled; the checked-in journeys are valid."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from switchboard.journeys.loader import (
    DEFAULT_DIR,
    Catalogue,
    JourneyFileError,
    Problem,
    load_all,
    load_file,
)

VALID = """\
name: sample
trigger:
  event: audience
start: ask
steps:
  ask:
    kind: send_whatsapp
    text: "Hi {{ trigger.first_name }}"
    next: wait
  wait:
    kind: wait_for
    event: reply
    timeout: 48h
    next: done
    on_timeout: done
  done:
    kind: end
"""


def write(tmp_path: Path, text: str, name: str = "sample") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(dedent(text))
    return path


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(JourneyFileError) as caught:
        load_file(path)
    return caught.value.problems


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    return next(i for i, text in enumerate(path.read_text().splitlines(), 1) if needle in text)


def test_the_checked_in_journeys_are_valid() -> None:
    journeys, problems = load_all(DEFAULT_DIR)
    assert problems == []
    assert set(journeys) == {
        "after-hours-callback",
        "annual-recall",
        "appointment-reminder",
        "call-confirmation",
        "draft-followup",
        "no-show-followup",
        "outreach",
        "photo-call",
        "review-request",
        "win-back",
    }


def test_a_valid_file_loads_with_a_stable_version(tmp_path: Path) -> None:
    first = load_file(write(tmp_path, VALID))
    again = load_file(write(tmp_path, "# a comment changes nothing\n" + VALID))
    assert first.version == again.version
    assert len(first.version) == 12


def test_an_unknown_step_target_names_the_field_and_line_it_is_written_on(tmp_path: Path) -> None:
    """The line to fix is the misspelt name's, not the step's first line."""
    path = write(
        tmp_path, VALID.replace("    next: done\n    on_timeout", "    next: gone\n    on_timeout")
    )
    [problem] = problems_of(path)
    assert problem.field == "steps.wait.next"
    assert problem.line == line_of(path, "next: gone")
    assert "'gone'" in problem.message
    assert str(problem) == f"{path}:{problem.line}: steps.wait.next: {problem.message}"

    nested = write(tmp_path, VALID.replace("on_timeout: done", "on_timeout: gone"))
    [problem] = problems_of(nested)
    assert (problem.field, problem.line) == ("steps.wait.on_timeout", line_of(nested, ": gone"))


def test_a_bad_duration_is_reported_on_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("timeout: 48h", "timeout: two days"))
    [problem] = problems_of(path)
    assert problem.line == line_of(path, "timeout:")
    assert problem.field.startswith("steps.wait") and problem.field.endswith("timeout")
    assert "not a duration: 'two days'" in problem.message


def test_a_missing_start_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("start: ask\n", ""))
    [problem] = problems_of(path)
    assert problem.field == "start"
    assert problem.message == "Field required"
    assert problem.line == 1  # a missing key has no line of its own: the mapping's


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        VALID.replace("timeout: 48h", "timeout: soon").replace("kind: end", "kind: stop"),
    )
    problems = problems_of(path)
    assert len(problems) == 2
    # An unknown kind is reported on the step it belongs to.
    assert [p.line for p in problems] == [line_of(path, "timeout:"), line_of(path, "  done:")]


def test_yaml_1_1_booleans_stay_words(tmp_path: Path) -> None:
    """``on:``, ``event: yes`` and unquoted ``yes:``/``no:`` keys are strings, not booleans."""
    path = write(
        tmp_path,
        """\
        name: sample
        trigger:
          event: audience
        start: consent
        steps:
          consent:
            kind: branch
            on: consent.whatsapp
            cases:
              yes: ask
              no: done
          ask:
            kind: wait_for
            event: yes
            timeout: 1h
            next: done
          done:
            kind: end
        """,
    )
    definition = load_file(path)
    branch = definition.steps["consent"]
    assert getattr(branch, "on", None) == "consent.whatsapp"
    assert getattr(branch, "cases", None) == {"yes": "ask", "no": "done"}
    assert getattr(definition.steps["ask"], "event", None) == "yes"


def test_an_unquoted_time_is_rejected_with_a_hint(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        VALID.replace(
            "start: ask\n",
            'policies:\n  quiet_hours:\n    start: 21:00\n    end: "08:00"\nstart: ask\n',
        ),
    )
    [problem] = problems_of(path)
    assert problem.field == "policies.quiet_hours.start"
    assert problem.line == line_of(path, "start: 21:00")
    assert "got the number 1260" in problem.message
    assert "quote times" in problem.message


def test_invalid_yaml_gives_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("    kind: end", "    kind: [end"))
    [problem] = problems_of(path)
    assert problem.field == ""
    assert problem.message.startswith("invalid YAML")
    assert problem.line is not None and problem.line >= line_of(path, "kind: [end")


def test_a_template_syntax_error_names_the_step(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("{{ trigger.first_name }}", "{{ trigger.first_name }"))
    [problem] = problems_of(path)
    assert problem.field == "steps.ask"
    assert problem.line == line_of(path, "  ask:")
    assert "template error" in problem.message


def test_the_name_must_match_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, VALID, name="other")
    [problem] = problems_of(path)
    assert (problem.field, problem.line) == ("name", 1)
    assert "'other'" in problem.message


def test_load_all_keeps_the_valid_and_reports_the_invalid(tmp_path: Path) -> None:
    write(tmp_path, VALID)
    write(tmp_path, VALID.replace("name: sample", "name: broken").replace("48h", "x"), "broken")
    (tmp_path / "templates.yaml").write_text("not: a journey\n")
    journeys, problems = load_all(tmp_path)
    assert set(journeys) == {"sample"}
    assert [p.file.name for p in problems] == ["broken.yaml"]


def test_the_catalogue_sees_a_marketers_edit_at_the_next_read(tmp_path: Path) -> None:
    """What the trigger matcher reads: cached, but an edited, added or removed file counts at
    once (here within the same second: mtimes are compared in ns, sizes too)."""
    write(tmp_path, VALID)
    catalogue = Catalogue(tmp_path)

    def greeting() -> str:
        return str(catalogue.current()[0]["sample"].steps["ask"].model_dump()["text"])

    assert greeting() == "Hi {{ trigger.first_name }}"
    write(tmp_path, VALID.replace("Hi {{", "Hello {{"))
    assert greeting() == "Hello {{ trigger.first_name }}"

    write(tmp_path, VALID.replace("name: sample", "name: second"), "second")
    assert set(catalogue.current()[0]) == {"sample", "second"}

    (tmp_path / "sample.yaml").unlink()
    write(tmp_path, VALID.replace("name: sample", "name: second").replace("48h", "x"), "second")
    journeys, problems = catalogue.current()
    assert journeys == {} and [p.file.name for p in problems] == ["second.yaml"]


def test_the_validate_command_prints_each_problem_and_fails(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    good = write(tmp_path, VALID)
    bad = write(tmp_path, VALID.replace("name: sample", "name: bad").replace("48h", "x"), "bad")
    runner = CliRunner()

    failed = runner.invoke(app, ["journeys", "validate", str(tmp_path)])
    assert failed.exit_code == 1
    line = line_of(bad, "timeout:")
    assert f"{bad}:{line}: steps.wait.timeout: not a duration: 'x'" in failed.output
    assert "1 of 2 journey file(s) invalid" in failed.output

    passed = runner.invoke(app, ["journeys", "validate", str(good)])
    assert (passed.exit_code, passed.output) == (0, "1 journey file(s) valid\n")


def test_a_template_not_in_templates_yaml_is_rejected_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "templates.yaml").write_text("known:\n  content_sid: HX1\n  body: 'Hello {{1}}'\n")
    path = tmp_path / "typo.yaml"
    path.write_text(
        "name: typo\n"
        "trigger: {event: customer_replied}\n"
        "start: hello\n"
        "steps:\n"
        "  hello:\n"
        "    kind: send_whatsapp\n"
        "    text: Hello\n"
        "    template: {name: knwon, variables: {'1': x}}\n"
    )
    with pytest.raises(JourneyFileError) as exc:
        load_file(path)
    [problem] = exc.value.problems
    assert problem.line == 8
    assert "knwon" in problem.message


def test_a_wait_for_a_slot_nobody_holds_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "no-slot.yaml"
    path.write_text(
        "name: no-slot\n"
        "trigger: {event: customer_replied}\n"
        "start: later\n"
        "steps:\n"
        "  later: {kind: wait, until: {var: callback}}\n"
    )
    with pytest.raises(JourneyFileError) as exc:
        load_file(path)
    assert exc.value.problems[0].line == 5
    assert "no hold_slot saves" in exc.value.problems[0].message


def test_a_misspelt_filter_is_reported_before_any_send(tmp_path: Path) -> None:
    # Jinja parses any filter name and only fails when it compiles: a typo used to pass the
    # check here and crash `journeys validate` (and the first send) with a traceback.
    path = write(
        tmp_path,
        VALID.replace("{{ trigger.first_name }}", "{{ trigger.first_name | defalt('there') }}"),
    )
    [problem] = problems_of(path)
    assert problem.field == "steps.ask"
    assert problem.line == line_of(path, "  ask:")
    assert "no filter named 'defalt' (did you mean 'default'?)" in problem.message


def test_a_misspelt_time_zone_is_reported_on_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        VALID.replace("start: ask", "policies:\n  timezone: Europe/Pariss\nstart: ask"),
    )
    [problem] = problems_of(path)
    assert problem.field == "policies.timezone"
    assert problem.line == line_of(path, "Europe/Pariss")
    assert "unknown time zone 'Europe/Pariss'" in problem.message
    assert "'Europe/Paris'" in problem.message


def test_validate_checks_template_names_of_a_file_outside_the_journeys_directory(
    tmp_path: Path,
) -> None:
    # A draft kept elsewhere has no templates.yaml beside it: its template names are checked
    # against the journeys directory's, never passed unchecked.
    from typer.testing import CliRunner

    from cli.main import app

    path = write(
        tmp_path,
        VALID.replace(
            '    text: "Hi {{ trigger.first_name }}"\n',
            '    text: "Hi {{ trigger.first_name }}"\n'
            "    template: {name: checkup_remindr, variables: {'1': x, '2': y}}\n",
        ),
    )
    result = CliRunner().invoke(app, ["journeys", "validate", str(path)])
    assert result.exit_code == 1
    line = line_of(path, "checkup_remindr")
    assert (
        f"{path}:{line}: steps.ask.template.name: no approved template 'checkup_remindr'"
        in result.output
    )
