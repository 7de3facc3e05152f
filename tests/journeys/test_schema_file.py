"""journeys/journey.schema.json is generated from the model (`switchboard journeys schema
--write`); it must never go stale, and it must accept what the loader accepts."""

from __future__ import annotations

import json
import re
from typing import Any

from switchboard.journeys.json_schema import SCHEMA_FILE, journey_schema_text
from switchboard.journeys.loader import DEFAULT_DIR, load_all


def test_the_checked_in_schema_is_the_models_current_schema() -> None:
    checked_in = (DEFAULT_DIR / SCHEMA_FILE).read_text()
    assert checked_in == journey_schema_text(), (
        "journeys/journey.schema.json is stale: run `switchboard journeys schema --write`"
    )


def walk(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        return [node, *(n for value in node.values() for n in walk(value))]
    if isinstance(node, list):
        return [n for item in node for n in walk(item)]
    return []


def test_durations_and_times_are_described_as_journey_files_write_them() -> None:
    nodes = walk(json.loads(journey_schema_text()))
    assert not [n for n in nodes if n.get("format") in ("duration", "time")]
    properties = {name: prop for n in nodes for name, prop in (n.get("properties") or {}).items()}
    assert properties["retry_after"]["default"] == "30m"
    [hours] = [n["properties"] for n in nodes if "days" in (n.get("properties") or {})]
    assert hours["open"]["default"] == "09:00"
    pattern = re.compile(hours["open"]["pattern"])
    assert pattern.match("09:00") and pattern.match("9:30") and pattern.match("18:00:00")
    assert not pattern.match("24:00")


def test_the_schema_names_every_step_kind_the_journeys_use() -> None:
    schema = json.loads(journey_schema_text())
    kinds = {
        n["properties"]["kind"]["const"]
        for n in walk(schema)
        if "const" in (n.get("properties") or {}).get("kind", {})
    }
    journeys, _ = load_all(DEFAULT_DIR)
    used = {step.kind for d in journeys.values() for step in d.steps.values()}
    assert used <= kinds


def test_business_hours_may_name_the_profile_as_the_loader_reads_it() -> None:
    """An editor checking a file against the schema accepts ``business_hours: profile``
    (documented, read by the loader), and offers no ``from_profile`` the loader sets itself."""
    defs = json.loads(journey_schema_text())["$defs"]
    hours = defs["Policies"]["properties"]["business_hours"]
    assert {"const": "profile", "description": "The business profile's hours."} in hours["anyOf"]
    assert {"$ref": "#/$defs/BusinessHours"} in hours["anyOf"]
    assert "from_profile" not in defs["BusinessHours"]["properties"]
