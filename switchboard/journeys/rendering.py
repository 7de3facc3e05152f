"""Rendering journey texts: Jinja in a sandbox, where an unknown name is an error (never an
empty string in a customer's message)."""

from __future__ import annotations

from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

TEMPLATES = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined)


class RenderError(ValueError):
    """A text could not be rendered; the message names the text and the cause."""


def render_texts(texts: dict[str, str], context: dict[str, Any]) -> dict[str, str]:
    """Render each named text over ``context`` (stripped). Raises ``RenderError``."""
    rendered = {}
    for name, text in texts.items():
        try:
            rendered[name] = TEMPLATES.from_string(text).render(context).strip()
        except TemplateError as exc:  # UndefinedError is a TemplateError
            raise RenderError(f"cannot render {name!r}: {exc}") from exc
    return rendered
