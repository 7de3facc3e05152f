"""Checks of a journey against its trigger event's data (``switchboard.journeys.events``): the
``when`` filters and ``key`` name fields the event carries, templates read only variables that
exist, date waits start from a date field, ``exit_on: [booking_cancelled]`` has a booking,
``one_at_a_time`` is not combined with ``exit_on: [superseded]``, and a journey started by a
delivery report sends no WhatsApp message (it would start itself again, message after message).

Each problem comes with the path of the field it is about, so the loader can give its line.
"""

from __future__ import annotations

from jinja2 import TemplateSyntaxError, meta, nodes

from switchboard.journeys.dates import parse_date_expression
from switchboard.journeys.events import EVENTS, fields_of
from switchboard.journeys.schema import TEMPLATES, JourneyDefinition, SendWhatsApp, Wait

# What a text may read (activities/journey.py ``JourneyActivities._context``): attribute names
# per top-level variable; None means any attribute (``vars``: names saved by steps).
_CONTEXT: dict[str, set[str] | None] = {
    "customer": {"e164", "timezone"},
    "booking": {"id", "subject", "status", "when"},
    "business": {"name", "address", "phone"},
    "vars": None,
}
# Events every WhatsApp send produces again (switchboard/journeys/events.py).
_DELIVERY_REPORTS = ("message_delivered", "message_failed")
_TEXT_FIELDS = ("text", "opening", "goal", "voicemail", "note", "offer", "question")

Loc = list[str]


def event_problems(definition: JourneyDefinition) -> list[tuple[Loc, str]]:
    """Every problem of ``definition`` against its trigger event, as ``(field path, message)``."""
    event = definition.trigger.event
    fields = fields_of(event)
    problems: list[tuple[Loc, str]] = []

    def unknown(name: str) -> str:
        listed = ", ".join(sorted(fields or ())) or "none"
        return f"{event} has no field {name!r} (its fields: {listed})"

    if fields is not None:
        for name in definition.trigger.when:
            if name not in fields:
                problems.append((["trigger", "when", name], unknown(name)))
        key = definition.trigger.key
        if key is not None and key not in fields:
            problems.append((["trigger", "key"], unknown(key)))
        if "booking_cancelled" in definition.policies.exit_on and "booking_id" not in fields:
            problems.append(
                (
                    ["policies", "exit_on"],
                    f"booking_cancelled: {event} carries no booking_id, so no cancellation "
                    "could ever match this run",
                )
            )
    if event in _DELIVERY_REPORTS:
        for name, step in definition.steps.items():
            if isinstance(step, SendWhatsApp):
                problems.append(
                    (
                        ["steps", name, "kind"],
                        f"send_whatsapp in a journey started by {event}: every message it sends "
                        "gets a delivery report of its own, which would start it again",
                    )
                )
    if definition.trigger.one_at_a_time and "superseded" in definition.policies.exit_on:
        problems.append(
            (
                ["policies", "exit_on"],
                "superseded: under trigger.one_at_a_time a later event goes to the running run "
                "instead of superseding it",
            )
        )
    for name, step in definition.steps.items():
        for loc, text in _texts(name, step):
            problems.extend((loc, message) for message in _template_problems(text, event))
        if isinstance(step, Wait) and step.until is not None and step.until.date is not None:
            message = _date_problem(step.until.date, event)
            if message is not None:
                problems.append((["steps", name, "until", "date"], message))
    return problems


def audience_columns(definition: JourneyDefinition) -> dict[str, str]:
    """The columns an audience must give every member of ``definition`` (an ``audience``
    journey; others: none), each with the step that needs it: a date wait's
    ``trigger.<column>`` (without it the run ends at that step, having sent nothing) and every
    ``trigger.<column>`` a text reads outside ``default(…)`` or ``is defined`` (without it the
    text cannot be rendered and its step is skipped). ``{column: "step 'wait' waits until
    trigger.due_at"}``, in step order."""
    if definition.trigger.event != "audience":
        return {}
    given = {"campaign_id", "event"}  # the launch adds them to every member's data
    needed: dict[str, str] = {}
    for name, step in definition.steps.items():
        if isinstance(step, Wait) and step.until is not None and step.until.date is not None:
            expression = parse_date_expression(step.until.date)
            if expression.reference.startswith("trigger.") and expression.field not in given:
                needed.setdefault(
                    expression.field, f"step {name!r} waits until {expression.reference}"
                )
        for _loc, text in _texts(name, step):
            for column in _trigger_reads_without_default(text):
                if column not in given:
                    needed.setdefault(column, f"step {name!r} reads trigger.{column}")
    return needed


def _trigger_reads_without_default(text: str) -> list[str]:
    """``trigger.<name>`` (or ``trigger['name']``) that ``text`` reads where a missing value is
    an error: outside a ``default``/``d`` filter and a ``defined``/``undefined`` test."""
    try:
        tree = TEMPLATES.parse(text)
    except TemplateSyntaxError:
        return []  # the schema reports it
    guarded: set[int] = set()
    for check in tree.find_all((nodes.Filter, nodes.Test)):
        safe = ("default", "d") if isinstance(check, nodes.Filter) else ("defined", "undefined")
        if check.name in safe and check.node is not None:
            guarded.add(id(check.node))
            guarded.update(id(inner) for inner in check.node.find_all(nodes.Node))
    reads: list[str] = []
    for read in tree.find_all((nodes.Getattr, nodes.Getitem)):
        assert isinstance(read, nodes.Getattr | nodes.Getitem)  # for mypy: find_all's type
        if id(read) in guarded or not (
            isinstance(read.node, nodes.Name) and read.node.name == "trigger"
        ):
            continue
        if isinstance(read, nodes.Getattr):
            attr = read.attr
        elif (
            isinstance(read, nodes.Getitem)
            and isinstance(read.arg, nodes.Const)
            and isinstance(read.arg.value, str)
        ):
            attr = read.arg.value
        else:
            continue
        if attr not in reads:
            reads.append(attr)
    return reads


def _texts(name: str, step: object) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    for field in _TEXT_FIELDS:
        value = getattr(step, field, None)
        if isinstance(value, str):
            out.append((["steps", name, field], value))
    template = getattr(step, "template", None)
    variables: dict[str, str] = getattr(template, "variables", None) or {}
    for key, value in variables.items():
        out.append((["steps", name, "template", "variables", key], value))
    return out


def _template_problems(text: str, event: str) -> list[str]:
    """Unknown variables and attributes ``text`` reads (syntax errors are the schema's)."""
    try:
        tree = TEMPLATES.parse(text)
    except TemplateSyntaxError:
        return []
    allowed_top = {*_CONTEXT, "trigger", *TEMPLATES.globals}
    problems = [
        f"unknown variable {name!r} (known: customer, trigger, booking, business, vars)"
        for name in sorted(meta.find_undeclared_variables(tree))
        if name not in allowed_top
    ]
    fields = fields_of(event)
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            target, attr = node.node, node.attr
        elif (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and isinstance(node.arg.value, str)
        ):
            target, attr = node.node, node.arg.value
        else:
            continue
        if not isinstance(target, nodes.Name):
            continue
        if target.name == "trigger":
            if fields is not None and attr not in fields and attr != "event":
                listed = ", ".join(sorted(fields)) or "none"
                problems.append(
                    f"unknown variable 'trigger.{attr}': {event} has no field {attr!r} "
                    f"(its fields: {listed})"
                )
        elif target.name in _CONTEXT:
            known = _CONTEXT[target.name]
            if known is not None and attr not in known:
                problems.append(
                    f"unknown variable '{target.name}.{attr}' (known: {', '.join(sorted(known))})"
                )
    return problems


def _date_problem(text: str, event: str) -> str | None:
    expression = parse_date_expression(text)  # the schema checked the syntax
    spec = EVENTS[event]
    if expression.reference == "booking.slot_start":
        if "slot_start" not in spec.fields:
            return f"booking.slot_start: {event} carries no booking slot"
        return None
    if spec.open:
        return None  # an audience's columns are whatever the CSV has
    dates = (*spec.dates, "at")  # every event carries ``at``: when it happened
    if expression.field not in dates:
        listed = ", ".join(f"trigger.{d}" for d in dates)
        return f"{expression.reference} is not a date field of {event} (its dates: {listed})"
    return None
