"""Render a customer's cross-channel conversation as a table for people."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

ARROWS = {"inbound": "→", "outbound": "←"}  # → towards us, ← towards the customer
HUMAN_KEY_PREFIX = "human/"  # a person's reply from the console (workflows/human_replies.py)


def speaker(direction: str, key: str) -> str:
    """Who wrote a conversation line: ``customer`` (inbound), ``team`` (a person's reply, its
    log key ``human/…``) or ``agent``."""
    if direction == "inbound":
        return "customer"
    return "team" if key.startswith(HUMAN_KEY_PREFIX) else "agent"


def render(conversation: dict[str, Any]) -> str:
    """One line per entry: local time, channel, direction, text. Times in the customer's zone."""
    zone = ZoneInfo(conversation.get("timezone") or "UTC")
    lines = [f"Conversation with {conversation['customer']} (times in {zone.key})"]
    for e in conversation["entries"]:
        at = datetime.fromisoformat(e["at"]).astimezone(zone).strftime("%a %d %b %H:%M:%S")
        # ``by`` is absent from an older API's answer: direction alone then.
        who = f"{e.get('by') or speaker(e['direction'], ''):<8}"
        kind = "" if e["kind"] in ("text", "speech") else f"[{e['kind']}] "
        lines.append(
            f"  {at}  {e['channel']:<8} {ARROWS.get(e['direction'], '?')} {who} {kind}{e['text']}"
        )
    return "\n".join(lines)
