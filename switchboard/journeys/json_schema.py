"""The JSON Schema of a journey file, for editors: ``journeys/journey.schema.json``, generated
from ``JourneyDefinition`` (``switchboard journeys schema --write``) and checked in.

Pydantic describes durations as ISO 8601 (``format: duration``, default ``PT30M``) and times as
RFC 3339 (``format: time``, ``09:00:00``), which is not what journey files say: the loader reads
durations with pytimeparse (``"30m"``, ``"24h"``, ``"2d"``; ISO is refused) and times as
``"HH:MM"``. Those two are rewritten so an editor checks a file the way the loader does.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from pydantic import TypeAdapter

from switchboard.journeys.schema import JourneyDefinition

SCHEMA_FILE = "journey.schema.json"  # in the journeys directory, beside the journeys

_TIME_PATTERN = r"^([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def journey_schema_text() -> str:
    """The schema as checked in: 2-space indented JSON (draft 2020-12), non-ASCII kept, with a
    final newline."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **JourneyDefinition.model_json_schema(),
    }
    _profile_hours_by_name(schema)
    return json.dumps(_as_written(schema), indent=2, ensure_ascii=False) + "\n"


def _profile_hours_by_name(schema: dict[str, Any]) -> None:
    """``business_hours: profile`` (the loader's way to name the business profile's hours,
    ``switchboard.journeys.schema.Policies``) is valid, not flagged by editors as "not an
    object"; ``from_profile``, which the loader sets itself when it reads that name, is not
    for files to write."""
    defs = schema["$defs"]
    defs["BusinessHours"]["properties"].pop("from_profile", None)
    hours = defs["Policies"]["properties"]["business_hours"]
    ref = {"$ref": hours.pop("$ref")}
    named = {"const": "profile", "description": "The business profile's hours."}
    hours["anyOf"] = [named, ref]


def _as_written(node: Any) -> Any:
    """``node`` with ``format: duration``/``format: time`` schemas (and their defaults) in the
    notation of journey files (see the module docstring)."""
    if isinstance(node, list):
        return [_as_written(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _as_written(value) for key, value in node.items()}
    if out.get("format") == "duration":
        del out["format"]
        out["examples"] = ["30m", "24h", "2d", "1h30m"]
        if isinstance(out.get("default"), str):
            delta = TypeAdapter(timedelta).validate_python(out["default"])  # ISO 8601
            minutes = int(delta.total_seconds()) // 60
            out["default"] = f"{minutes // 60}h" if minutes % 60 == 0 and minutes else f"{minutes}m"
    elif out.get("format") == "time":
        del out["format"]
        out["pattern"] = _TIME_PATTERN
        out["examples"] = ["09:00", "18:30"]
        if isinstance(out.get("default"), str):
            out["default"] = out["default"].removesuffix(":00")
    return out
