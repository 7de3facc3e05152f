"""Approved WhatsApp templates, loaded from ``journeys/templates.yaml``.

Variables are positional (``{{1}}``, ``{{2}}``) as in Twilio's Content API
(``content_variables`` is a JSON object of those numbers to strings).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "journeys" / "templates.yaml"
_VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")


class Template(BaseModel):
    content_sid: str
    body: str

    @property
    def placeholders(self) -> list[str]:
        """The body's variable names in order of first use (``{{1}}``, ``{{2}}`` → ``1``,
        ``2``): each must be given a value, as ``render`` needs."""
        return list(dict.fromkeys(m.group(1) for m in _VARIABLE.finditer(self.body)))

    def render(self, variables: dict[str, str]) -> str:
        """The body with its variables filled in. Raises ``KeyError`` naming a missing one."""
        return _VARIABLE.sub(lambda m: variables[m.group(1)], self.body)


def load_templates(path: Path = DEFAULT_PATH) -> dict[str, Template]:
    """Name → template. Raises ``pydantic.ValidationError`` on a malformed entry."""
    raw = yaml.safe_load(path.read_text()) or {}
    return {name: Template.model_validate(entry) for name, entry in raw.items()}
