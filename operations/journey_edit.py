"""Edit a journey file from the console: check a draft exactly as the loader will read it, show
how it differs from the file in force, and save it.

Where an edit goes: the journey's own file, ``<journeys_dir>/<name>.yaml`` — journeys are files
(README, "Journeys"), the worker reads them from that directory at every trigger
(``switchboard.journeys.loader.Catalogue``), and a run pins the definition and its content hash
when it starts. So a saved edit is live for the next customer who enters, customers already in
the journey keep their version, and the file is what to commit to the repository (the console
does not commit; the audit log records who saved which version over which). The write is
atomic (a temporary file in the same directory, then ``os.replace``), so the worker never reads
half a file, and refused when the file changed since the editor opened it (another person saved
meanwhile), so nobody overwrites an edit they never saw.

A new journey goes through the same check, diff and save: its draft starts from a skeleton or
a copy of another journey's file (``new_draft``) and its base is ``NEW_FILE`` — "the file must
not exist yet" — so saving is refused if a file of that name appeared meanwhile.
"""

from __future__ import annotations

import contextlib
import difflib
import fcntl
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from switchboard.journeys.loader import JourneyFileError, Problem, load_file
from switchboard.journeys.schema import NAME, JourneyDefinition

TEMPLATES_FILE = "templates.yaml"

DiffKind = Literal["same", "added", "removed", "hunk"]

# A top-level ``name:`` line (keys at column 0 are the journey's own): what a copy replaces.
_NAME_LINE = re.compile(r"^name:.*$", re.MULTILINE)

# A blank journey: valid as it stands (one message, then the end), for the marketer to fill in.
SKELETON = """\
# {name}: what this journey does, for whom, and why.
name: {name}
description: One sentence a colleague understands.
trigger:
  event: visit_completed
policies:
  purpose: service
  exit_on: [stop]
start: hello
steps:
  hello:
    kind: send_whatsapp
    text: "Hello from the practice."
    next: done
  done:
    kind: end
"""


class DraftRefused(ValueError):
    """The draft was not saved; ``problems`` says why (invalid, or the file moved on)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class DraftCheck:
    """A draft as the loader reads it: its definition, or every problem (file, line, field)."""

    definition: JourneyDefinition | None
    problems: list[Problem]


@dataclass(frozen=True)
class DiffLine:
    kind: DiffKind
    text: str


def text_hash(text: str) -> str:
    """SHA-256 (hex) of a file's text: which text an editor started from."""
    return hashlib.sha256(text.encode()).hexdigest()


# The base of a journey not written yet: its file must not exist (the hash of no text).
NEW_FILE = hashlib.sha256(b"").hexdigest()


def journey_path(directory: Path, name: str) -> Path:
    """``<directory>/<name>.yaml``. Raises ``ValueError`` if ``name`` is not a journey slug
    (so it can never name a path outside the directory)."""
    if not NAME.match(name):
        raise ValueError(f"not a journey name: {name!r}")
    return directory / f"{name}.yaml"


def new_draft(directory: Path, name: str, *, copy_of: str | None = None) -> str:
    """The first draft of a new journey ``name``: ``SKELETON``, or the file of journey
    ``copy_of`` with its top-level ``name:`` replaced (comments and layout kept). Raises
    ``ValueError`` for a name that is not a journey slug, ``DraftRefused`` when ``name``'s file
    exists already or ``copy_of`` has no file."""
    path = journey_path(directory, name)
    if path.exists():
        raise DraftRefused(
            [Problem(path, None, "name", f"{path.name} exists already: edit that journey")]
        )
    if copy_of is None:
        return SKELETON.format(name=name)
    source = journey_path(directory, copy_of)
    if not source.is_file():
        raise DraftRefused([Problem(source, None, "", f"no journey file {source.name} to copy")])
    text, replaced = _NAME_LINE.subn(f"name: {name}", source.read_text(), count=1)
    return text if replaced else f"name: {name}\n{text}"


def moved_on(path: Path, base_hash: str) -> bool:
    """Whether the file is no longer what the editor started from: for ``NEW_FILE``, it
    exists now; otherwise it vanished or its text's hash is not ``base_hash``."""
    if base_hash == NEW_FILE:
        return path.exists()
    return not path.is_file() or text_hash(path.read_text()) != base_hash


def check_draft(directory: Path, name: str, text: str) -> DraftCheck:
    """Validate ``text`` as the file ``<name>.yaml`` of ``directory``: the same checks the
    worker's loader makes (YAML, schema, trigger data, template names against the directory's
    ``templates.yaml``, the name matching the file). Problems name the real file."""
    path = journey_path(directory, name)
    with tempfile.TemporaryDirectory(prefix="journey-draft-") as tmp:
        draft = Path(tmp) / path.name
        draft.write_text(text)
        templates = directory / TEMPLATES_FILE
        if templates.is_file():
            (Path(tmp) / TEMPLATES_FILE).write_bytes(templates.read_bytes())
        try:
            definition = load_file(draft)
        except JourneyFileError as exc:
            return DraftCheck(
                definition=None,
                problems=[Problem(path, p.line, p.field, p.message) for p in exc.problems],
            )
    return DraftCheck(definition=definition, problems=[])


def diff(current: str, draft: str, *, name: str, context: int = 3) -> list[DiffLine]:
    """The draft against the file in force, as unified-diff lines (``difflib``); empty when
    they are the same."""
    lines: list[DiffLine] = []
    for raw in difflib.unified_diff(
        current.splitlines(),
        draft.splitlines(),
        fromfile=f"{name}.yaml (running)",
        tofile=f"{name}.yaml (draft)",
        n=context,
        lineterm="",
    ):
        if raw.startswith(("---", "+++")):
            continue
        if raw.startswith("@@"):
            lines.append(DiffLine("hunk", raw))
        elif raw.startswith("+"):
            lines.append(DiffLine("added", raw[1:]))
        elif raw.startswith("-"):
            lines.append(DiffLine("removed", raw[1:]))
        else:
            lines.append(DiffLine("same", raw[1:]))
    return lines


def save(directory: Path, name: str, text: str, *, base_hash: str) -> JourneyDefinition:
    """Write ``text`` to the journey's file if it is valid and the file still has the text
    whose hash is ``base_hash`` (``NEW_FILE``: a new journey, the file must not exist). Returns
    the new definition. Raises ``DraftRefused`` with the draft's problems, or one naming the
    file when it changed since ``base_hash`` (vanished, or appeared for a new journey) or
    cannot be written (a read-only journeys directory).
    """
    path = journey_path(directory, name)
    checked = check_draft(directory, name, text)
    if checked.definition is None:
        raise DraftRefused(checked.problems)
    try:
        with _directory_lock(directory):
            _replace(path, text, base_hash)
    except OSError as exc:  # a read-only directory, a full disk: say so, keep the draft
        raise DraftRefused(
            [Problem(path, None, "", f"the file could not be written here: {exc.strerror}")]
        ) from exc
    return checked.definition


@contextlib.contextmanager
def _directory_lock(directory: Path) -> Iterator[None]:
    """An exclusive ``flock`` on the directory: two saves (in any process on this host) check
    and replace one after the other."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _replace(path: Path, text: str, base_hash: str) -> None:
    if base_hash == NEW_FILE and path.exists():
        raise DraftRefused(
            [
                Problem(
                    path,
                    None,
                    "name",
                    f"{path.name} was created meanwhile (someone saved a journey of that name): "
                    "choose another name, or edit that journey",
                )
            ]
        )
    if moved_on(path, base_hash):
        raise DraftRefused(
            [
                Problem(
                    path,
                    None,
                    "",
                    "the file changed since you opened it (someone saved meanwhile): "
                    "open it again and redo your change",
                )
            ]
        )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as out:
            out.write(text)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the journey from a worker's user
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
