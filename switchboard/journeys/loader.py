"""Load journey files and report every problem with its file, line and field.

YAML is parsed twice from the same text: once into data (validated by the pydantic schema), once
into PyYAML's node tree, whose marks give the line of each field an error names.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from switchboard.journeys.schema import JourneyDefinition, SendWhatsApp
from switchboard.journeys.trigger_checks import event_problems
from switchboard.message_templates import Template, load_templates

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "journeys"
NOT_JOURNEYS = {"templates.yaml"}  # other marketer files that live beside the journeys
_QUOTED_STEP = re.compile(r"step '([^']+)'")
_LEADS_TO = re.compile(r"leads to '([^']+)'")


class JourneyYamlLoader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 booleans: only ``true``/``false``. YAML 1.1 also reads
    ``yes``, ``no``, ``on`` and ``off`` as booleans, which turns a step's ``on:`` key and an
    ``event: yes`` into ``True`` behind a marketer's back."""


JourneyYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
JourneyYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a journey file; ``line`` is 1-based (None when unknown)."""

    file: Path
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: {self.field or '(file)'}: {self.message}"


class JourneyFileError(ValueError):
    """A journey file failed to parse or validate; ``problems`` lists each one."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def load_file(path: Path, *, templates_file: Path | None = None) -> JourneyDefinition:
    """Parse and validate one file. Template names are checked against ``templates_file``
    (default: ``templates.yaml`` beside the file; none there: not checked). Raises
    ``JourneyFileError`` with every problem found."""
    text = path.read_text()
    try:
        data = yaml.load(text, Loader=JourneyYamlLoader)  # noqa: S506 - a SafeLoader subclass
        root = yaml.compose(text, Loader=JourneyYamlLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise JourneyFileError([Problem(path, line, "", f"invalid YAML: {exc}")]) from exc
    if not isinstance(data, dict):
        raise JourneyFileError([Problem(path, 1, "", "a journey file is a mapping")])
    try:
        definition = JourneyDefinition.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = _field_of(root, [str(p) for p in err["loc"]])
            message = err["msg"].removeprefix("Value error, ")
            if not loc:
                loc = _loc_of(message, root)
            problems.append(Problem(path, _line_of(root, loc), ".".join(loc), message))
        raise JourneyFileError(problems) from exc
    # Against the trigger event's data: `when` fields, template variables, date waits.
    against_event = [
        Problem(path, _line_of(root, loc), ".".join(loc), message)
        for loc, message in event_problems(definition)
    ]
    if against_event:
        raise JourneyFileError(against_event)
    if templates_file is None:
        templates_file = path.parent / "templates.yaml"
    try:
        templates = load_templates(templates_file) if templates_file.exists() else None
    except (ValueError, yaml.YAMLError):
        templates = None  # the templates file's own problems are not this journey's
    if templates is not None:
        against_templates = [
            Problem(path, _line_of(root, loc), ".".join(loc), message)
            for loc, message in template_problems(definition, templates)
        ]
        if against_templates:
            raise JourneyFileError(against_templates)
    expected = path.stem
    if definition.name != expected:
        raise JourneyFileError(
            [
                Problem(
                    path, _line_of(root, ["name"]), "name", f"must match the file name {expected!r}"
                )
            ]
        )
    return definition


def _loc_of(message: str, root: yaml.Node | None = None) -> list[str]:
    """Where a whole-definition error points: the ``start`` field, the first unreachable step,
    the field of a step that leads to an undefined one (``steps.wait.next``: the line with the
    misspelt name, where the marketer fixes it), or the step it names."""
    if message.startswith("start step"):
        return ["start"]
    if message.startswith("steps never reached"):
        first = message.split(":", 1)[1].split(",")[0].strip()
        return ["steps", first]
    step = _QUOTED_STEP.search(message)
    if not step:
        return []
    loc = ["steps", step.group(1)]
    target = _LEADS_TO.search(message)
    if target:
        loc += _path_to(_node_at(root, loc), target.group(1))
    return loc


def _node_at(node: yaml.Node | None, loc: list[str]) -> yaml.Node | None:
    """The node at the keys ``loc`` (None where one is missing)."""
    for part in loc:
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
    return node


def _path_to(node: yaml.Node | None, value: str) -> list[str]:
    """The keys (and list indexes) from ``node`` to the first scalar equal to ``value``, depth
    first in file order; [] when there is none."""
    children: list[tuple[str, yaml.Node]] = []
    if isinstance(node, yaml.MappingNode):
        children = [(str(k.value), v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
    elif isinstance(node, yaml.SequenceNode):
        children = [(str(i), v) for i, v in enumerate(node.value)]
    for key, child in children:
        if isinstance(child, yaml.ScalarNode) and child.value == value:
            return [key]
        below = _path_to(child, value)
        if below:
            return [key, *below]
    return []


def _field_of(node: yaml.Node | None, loc: list[str]) -> list[str]:
    """``loc`` as the file spells it: without pydantic's union tags, which name no key (a
    step's kind: ``steps.later.wait.until.date`` is ``steps.later.until.date``). A tag is a
    part that is no key of the mapping the file has there, followed by one that is."""
    kept: list[str] = []
    for i, part in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            keys = {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
            if part not in keys and i + 1 < len(loc) and loc[i + 1] in keys:
                continue
            kept.append(part)
            node = keys.get(part)
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            kept.append(part)
            node = node.value[int(part)]
        else:
            kept.append(part)
            node = None
    return kept


def unknown_templates(
    definition: JourneyDefinition, templates: dict[str, Template]
) -> list[tuple[str, str]]:
    """(step, template name) for each step naming a template not in ``templates.yaml``."""
    return [
        (name, step.template.name)
        for name, step in definition.steps.items()
        if isinstance(step, SendWhatsApp)
        and step.template is not None
        and step.template.name not in templates
    ]


def template_problems(
    definition: JourneyDefinition, templates: dict[str, Template]
) -> list[tuple[list[str], str]]:
    """(where, message) for each template a step names that ``templates.yaml`` does not list,
    and for each approved template's variable a step leaves without a value (the send would
    fail: ``TemplateVariableMissing``) or gives one the approved text has no place for."""
    problems: list[tuple[list[str], str]] = []
    for step_name, name in unknown_templates(definition, templates):
        problems.append(
            (
                ["steps", step_name, "template", "name"],
                f"no approved template {name!r} in templates.yaml"
                f" ({_did_you_mean(name, templates)})",
            )
        )
    for step_name, step in definition.steps.items():
        if not isinstance(step, SendWhatsApp) or step.template is None:
            continue
        approved = templates.get(step.template.name)
        if approved is None:
            continue
        wanted = approved.placeholders
        missing = [v for v in wanted if v not in step.template.variables]
        if missing:
            problems.append(
                (
                    ["steps", step_name, "template", "variables"],
                    f"template {step.template.name!r} needs a value for "
                    + ", ".join(repr(v) for v in missing)
                    + f" (its approved text: {approved.body!r})",
                )
            )
        for extra in step.template.variables:
            if extra not in wanted:
                places = ", ".join(repr(v) for v in wanted) or "none"
                problems.append(
                    (
                        ["steps", step_name, "template", "variables", extra],
                        f"template {step.template.name!r} has no variable {extra!r}"
                        f" (its variables: {places})",
                    )
                )
    return problems


def _did_you_mean(name: str, templates: dict[str, Template]) -> str:
    close = difflib.get_close_matches(name, sorted(templates), n=1)
    return f"did you mean {close[0]!r}?" if close else "approved: " + ", ".join(sorted(templates))


def load_all(directory: Path = DEFAULT_DIR) -> tuple[dict[str, JourneyDefinition], list[Problem]]:
    """Every valid journey in ``directory`` by name, and the problems of the invalid ones (an
    invalid file never starts)."""
    journeys: dict[str, JourneyDefinition] = {}
    problems: list[Problem] = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name in NOT_JOURNEYS:
            continue
        try:
            definition = load_file(path)
        except JourneyFileError as exc:
            problems.extend(exc.problems)
            continue
        journeys[definition.name] = definition
    return journeys, problems


class Catalogue:
    """``load_all`` for a directory read on every trigger: parsed again only when a file in it
    was added, removed or changed (name, size, mtime in ns), so a marketer's edit is live at the
    next trigger while an unchanged directory costs a ``stat`` per file. Parsing every file at
    every turn was 16.5% of the worker's CPU in bench suite 2."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._signature: tuple[tuple[str, int, int], ...] | None = None
        self._loaded: tuple[dict[str, JourneyDefinition], list[Problem]] = ({}, [])

    def current(self) -> tuple[dict[str, JourneyDefinition], list[Problem]]:
        """As ``load_all(directory)`` would return now."""
        signature = tuple(
            (path.name, stat.st_size, stat.st_mtime_ns)
            for path in sorted(self._directory.glob("*.yaml"))
            for stat in [path.stat()]
        )
        if signature != self._signature:
            self._loaded = load_all(self._directory)
            self._signature = signature
        return self._loaded


def _line_of(node: yaml.Node | None, loc: list[str]) -> int | None:
    """Follow ``loc`` through the node tree; the deepest node found gives the line. Path parts
    that are not keys (pydantic's union tags, e.g. ``send_whatsapp``) are skipped."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == part:
                    child, line = value, key.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            child = node.value[int(part)]
            line = child.start_mark.line + 1
        if child is not None:
            node = child
    return line
