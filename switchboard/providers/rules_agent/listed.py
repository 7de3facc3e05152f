"""A message that numbers its asks ("1) can figaro have a check up tuesday at 5pm 2) bramble's
appointment wednesday morning, could it go to thursday at 2.30 3) please cancel nugget's vaccine
on friday 4) do you take card?"): each item read as a message of its own, the changes proposed
together for one yes and the questions answered first (docs/architecture.md, "A WhatsApp
turn"). Read whole, the items' days, times and pets would be shared out among each other."""

from __future__ import annotations

import re

from switchboard.agent_models import AgentDecision, Intent
from switchboard.providers.rules_agent import steps
from switchboard.providers.rules_agent.earlier import Earlier
from switchboard.providers.rules_agent.helpers import Plan

# An item's number opening it: "1)", "2.", "3 -", "(4)", "#5" (at the start or after a space).
_ITEM_RE = re.compile(r"(?:^|(?<=\s))(?:\(?(?P<n>[1-9])[).:]|\((?P<m>[1-9])\)|#(?P<k>[1-9]))\s+")


class Listed(Earlier):
    """Numbered asks, read one by one."""

    def numbered_items(self) -> list[str] | None:
        """The items of a numbered list (as written), in order; None unless the message numbers
        two or more items 1, 2, … in turn."""
        found = list(_ITEM_RE.finditer(self.context.message))
        numbers = [int(m["n"] or m["m"] or m["k"]) for m in found]
        if len(found) < 2 or numbers != list(range(1, len(found) + 1)):
            return None
        ends = [m.start() for m in found[1:]] + [len(self.context.message)]
        items = [
            self.context.message[m.end() : end].strip() for m, end in zip(found, ends, strict=True)
        ]
        return items if all(items) else None

    def each_item(self) -> AgentDecision | None:
        """The numbered asks decided one by one: their changes proposed together, their
        questions answered before; None when the message numbers no asks, something waits
        for a yes, or an item is neither a change nor an answer (the message is read whole)."""
        if self.pending is not None:
            return None
        items = self.numbered_items()
        if items is None:
            return None
        plans: list[Plan] = []
        said: list[str] = []
        for item in items:
            decision = self.as_if_sent(item).decide()
            if decision.intent is Intent.ANSWER:
                said.append(decision.reply)
                continue
            part = self.plans_of(decision) if decision.intent in steps.PROPOSING else None
            if not part:
                return None
            plans.extend(part)
        if not plans:
            return None
        together = self.together(plans)
        if together is None:
            return None
        if said:
            together.reply = f"{' '.join(said)} {together.reply}"
        return together
