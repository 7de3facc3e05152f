"""The shipped journeys made independent of the hour: open all day every day, no quiet hours.

Tests that run the real journeys through the harness (and the chaos run) must not depend on when
they run: after 21:00 in Paris the photo-call and after-hours journeys hold their first message
for quiet hours, and a test waiting a minute for it fails (seen at 21:11 Paris, issue 15). The
policies themselves are tested with the time-skipping server (tests/journeys).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from switchboard.journeys.loader import DEFAULT_DIR, load_all


def round_the_clock_journeys(target: Path) -> Path:
    """The shipped journeys, but open all day every day and without quiet hours, so that the
    run places calls and sends at once whatever the day and hour it runs (the policies
    themselves are tested elsewhere)."""
    target.mkdir(parents=True, exist_ok=True)
    journeys, problems = load_all(DEFAULT_DIR)
    if problems:
        raise RuntimeError("invalid journeys: " + "; ".join(map(str, problems)))
    for name, definition in journeys.items():
        data = definition.model_dump(mode="json")
        data["policies"]["quiet_hours"] = None
        data["policies"]["business_hours"] = {
            "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "open": "00:00",
            "close": "23:59",
        }
        (target / f"{name}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    shutil.copy(DEFAULT_DIR / "templates.yaml", target / "templates.yaml")
    return target
