"""The eval's results: one JSON document (``--report``, default ``.data/eval/report.json``) and
the tables printed with ``rich``: pass rate per intent and channel, the headline numbers, and
every failure with its reasons.

Headline numbers (``summary`` in the JSON):

- ``task_completion``: share of scenarios passed, ``text`` (WhatsApp) and ``voice`` apart;
- ``task_completion_first_try``: share passed without the caller being asked to repeat a turn
  (``evals/caller.py``; a call's caller says a line again when asked, as a person does), and
  ``repeats`` (lines said again, and in how many scenarios);
- ``wrong_actions``: bookings made, moved or cancelled that no scenario expected (target 0);
- ``clarification_rate``: where the customer left out what was needed, the share of scenarios
  where the agent asked (last reply a question) and booked nothing;
- ``handoff_when_asked_rate``: where the customer asked for a person, the share with a
  handoff record;
- ``latency_ms``: per turn, p50/p95: WhatsApp from the webhook to the first reply reaching the
  fake Twilio, calls from the end of the caller's speech to the agent's first audio (recorded
  calls: the recording webhook's round trip); a line said again is a turn of its own.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from evals.harness import ScenarioResult
from evals.scoring import TurnObservation, is_question

DEFAULT_REPORT = Path(".data/eval/report.json")
CHANNELS = {"whatsapp": "text", "voice": "voice"}


@dataclass(frozen=True)
class Targets:
    """Pass thresholds; None: not enforced (the report still shows the number)."""

    min_text: float | None = None
    min_voice: float | None = None
    max_wrong: int | None = None


def percentile(values: list[float], q: float) -> float | None:
    """The ``q`` (0–1) quantile with linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _rate(hits: int, total: int) -> float | None:
    return hits / total if total else None


def _clarified(result: ScenarioResult) -> bool:
    obs = result.observation
    setup = {b.id for b in obs.setup_bookings}
    new = [b for b in obs.bookings if b.status == "confirmed" and b.id not in setup]
    last = obs.turns[-1].replies[-1] if obs.turns and obs.turns[-1].replies else ""
    return not new and is_question(last)


def _turn_json(turn: TurnObservation) -> dict[str, Any]:
    """A turn: its last try, and ``earlier`` the tries the agent asked to repeat."""
    return {
        "said": turn.said,
        "heard": turn.heard,
        "replies": turn.replies,
        "latency_ms": None if turn.latency_ms is None else round(turn.latency_ms, 1),
        "earlier": [_turn_json(t) for t in turn.earlier],
    }


def _first_try(result: ScenarioResult) -> bool:
    """Passed without the caller being asked to repeat anything."""
    return result.verdict.passed and result.observation.repeats == 0


def scenario_json(result: ScenarioResult) -> dict[str, Any]:
    obs, verdict = result.observation, result.verdict
    return {
        "id": result.scenario.id,
        "intent": result.scenario.intent,
        "channel": result.scenario.channel,
        "customer": result.customer,
        "passed": verdict.passed,
        "passed_first_try": _first_try(result),
        "repeats": obs.repeats,
        "reasons": verdict.reasons,
        "wrong_actions": verdict.wrong_actions,
        "seconds": round(result.seconds, 2),
        "turns": [_turn_json(t) for t in obs.turns],
        "bookings": [
            {"subject": b.subject, "slot_start": b.slot_start.isoformat(), "status": b.status}
            for b in obs.bookings
        ],
        "handoffs": obs.handoffs,
        "consent": obs.consent,
        "error": obs.error,
        **(
            {"voice": result.scenario.voice, "noise": result.scenario.noise}
            if result.scenario.channel == "voice"
            else {}
        ),
    }


def build(results: list[ScenarioResult], run: dict[str, Any], targets: Targets) -> dict[str, Any]:
    """The JSON document: ``run`` (what was run, when, the reference moment), ``summary``,
    ``by_intent`` (intent × channel), ``targets``, ``scenarios``."""
    skipped = [{"id": r.scenario.id, "why": r.skipped} for r in results if r.skipped]
    results = [r for r in results if not r.skipped]
    by_channel: dict[str, list[ScenarioResult]] = {"text": [], "voice": []}
    for r in results:
        by_channel[CHANNELS[r.scenario.channel]].append(r)
    completion = {
        ch: _rate(sum(r.verdict.passed for r in rs), len(rs)) for ch, rs in by_channel.items()
    }
    first_try = {ch: _rate(sum(map(_first_try, rs)), len(rs)) for ch, rs in by_channel.items()}
    repeats = {
        ch: {
            "used": sum(r.observation.repeats for r in rs),
            "scenarios": sum(r.observation.repeats > 0 for r in rs),
        }
        for ch, rs in by_channel.items()
    }
    wrong = [{"id": r.scenario.id, "action": w} for r in results for w in r.verdict.wrong_actions]
    needs_question = [
        r
        for r in results
        if r.scenario.alternatives and all(e.clarify for e in r.scenario.alternatives)
    ]
    # A person was asked for only where every acceptable outcome is a handoff; where one
    # alternative is an answer (an after-hours question, an unlisted service) a handoff is
    # allowed, not asked for, and an answer must not count as a missed handoff.
    asked_person = [
        r
        for r in results
        if r.scenario.alternatives and all(e.handoff for e in r.scenario.alternatives)
    ]
    latency: dict[str, dict[str, float | int | None]] = {}
    for ch, rs in by_channel.items():
        tries = [x for r in rs for t in r.observation.turns for x in (*t.earlier, t)]
        ms = [t.latency_ms for t in tries if t.latency_ms is not None]
        latency[ch] = {"n": len(ms), "p50": percentile(ms, 0.5), "p95": percentile(ms, 0.95)}
    table: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for r in results:
        table[(r.scenario.intent, CHANNELS[r.scenario.channel])].append(r.verdict.passed)
    by_intent = [
        {"intent": intent, "channel": ch, "passed": sum(v), "total": len(v)}
        for (intent, ch), v in sorted(table.items())
    ]
    checks: dict[str, dict[str, Any]] = {}
    if targets.min_text is not None:
        value = completion["text"]
        checks["min_text"] = {
            "target": targets.min_text,
            "value": value,
            "met": value is None or value >= targets.min_text,
        }
    if targets.min_voice is not None:
        value = completion["voice"]
        checks["min_voice"] = {
            "target": targets.min_voice,
            "value": value,
            "met": value is None or value >= targets.min_voice,
        }
    if targets.max_wrong is not None:
        checks["max_wrong"] = {
            "target": targets.max_wrong,
            "value": len(wrong),
            "met": len(wrong) <= targets.max_wrong,
        }
    return {
        "run": run,
        "summary": {
            "scenarios": len(results),
            "skipped": skipped,
            "passed": sum(r.verdict.passed for r in results),
            "task_completion": completion,
            "task_completion_first_try": first_try,
            "repeats": repeats,
            "wrong_actions": len(wrong),
            "wrong_action_list": wrong,
            "clarification_rate": _rate(sum(map(_clarified, needs_question)), len(needs_question)),
            "clarification_scenarios": len(needs_question),
            "handoff_when_asked_rate": _rate(
                sum(r.observation.handoffs > 0 for r in asked_person), len(asked_person)
            ),
            "handoff_scenarios": len(asked_person),
            "latency_ms": latency,
        },
        "by_intent": by_intent,
        "targets": checks,
        "targets_met": all(c["met"] for c in checks.values()),
        "scenarios": [scenario_json(r) for r in results],
    }


def write(report: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _ms(value: float | int | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def _cell(passed: int, total: int) -> str:
    if not total:
        return ""
    colour = "green" if passed == total else ("yellow" if passed else "red")
    return f"[{colour}]{passed}/{total}[/{colour}]"


def render(report: dict[str, Any], console: Console | None = None, *, failures: int = 60) -> None:
    """Print the per-intent table, the headline numbers and up to ``failures`` failures."""
    console = console or Console()
    cells: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in report["by_intent"]:
        cells[row["intent"]][row["channel"]] = (row["passed"], row["total"])
    table = Table(title="Scenarios passed, per intent and channel")
    table.add_column("intent")
    table.add_column("WhatsApp", justify="right")
    table.add_column("calls", justify="right")
    table.add_column("all", justify="right")
    for intent in sorted(cells):
        text, voice = cells[intent].get("text", (0, 0)), cells[intent].get("voice", (0, 0))
        table.add_row(
            intent,
            _cell(*text),
            _cell(*voice),
            _cell(text[0] + voice[0], text[1] + voice[1]),
        )
    console.print(table)

    s = report["summary"]
    headline = Table(title="Headline", show_header=False)
    headline.add_column("metric")
    headline.add_column("value", justify="right")
    headline.add_column("target", justify="right")
    targets = report["targets"]

    def target(name: str, fallback: str) -> str:
        check = targets.get(name)
        if check is None:
            return fallback
        return f"{check['target']} {'[green]met[/green]' if check['met'] else '[red]missed[/red]'}"

    headline.add_row("scenarios passed", f"{s['passed']}/{s['scenarios']}", "")
    if s["skipped"]:
        headline.add_row("skipped (cannot be played this week)", str(len(s["skipped"])), "")
    headline.add_row(
        "task completion, WhatsApp", _pct(s["task_completion"]["text"]), target("min_text", "≥ 95%")
    )
    headline.add_row(
        "task completion, calls", _pct(s["task_completion"]["voice"]), target("min_voice", "≥ 85%")
    )
    headline.add_row(
        "task completion, calls, first try (no line said again)",
        _pct(s["task_completion_first_try"]["voice"]),
        "",
    )
    said_again = s["repeats"]["voice"]
    headline.add_row(
        "lines said again when the agent asked (calls)",
        f"{said_again['used']} in {said_again['scenarios']} calls",
        "",
    )
    headline.add_row("wrong actions", str(s["wrong_actions"]), target("max_wrong", "0"))
    headline.add_row(
        f"clarification when info missing ({s['clarification_scenarios']})",
        _pct(s["clarification_rate"]),
        "",
    )
    headline.add_row(
        f"handoff when asked ({s['handoff_scenarios']})", _pct(s["handoff_when_asked_rate"]), ""
    )
    for ch, name in (("text", "WhatsApp"), ("voice", "call")):
        lat = s["latency_ms"][ch]
        headline.add_row(
            f"{name} turn latency p50 / p95 (ms, n={lat['n']})",
            f"{_ms(lat['p50'])} / {_ms(lat['p95'])}",
            "",
        )
    console.print(headline)

    failed = [sc for sc in report["scenarios"] if not sc["passed"]]
    if failed:
        fails = Table(title=f"Failures ({len(failed)}; first {min(failures, len(failed))})")
        fails.add_column("scenario", no_wrap=True)
        fails.add_column("ch")
        fails.add_column("why")
        for sc in failed[:failures]:
            why = [f"[red]WRONG: {w}[/red]" for w in sc["wrong_actions"]] + sc["reasons"][:3]
            if sc.get("repeats"):
                why.append(f"[dim]lines said again when asked: {sc['repeats']}[/dim]")
            last = sc["turns"][-1]["replies"] if sc["turns"] else []
            if last:
                why.append(f"[dim]last reply: {last[-1][:120]!r}[/dim]")
            fails.add_row(sc["id"], CHANNELS[sc["channel"]], "\n".join(why))
        console.print(fails)
    run = report["run"]
    for where in run.get("product_stalls", []):
        console.print(f"[red]the product held the event loop for 20 s+ at[/red] {where}")
    console.print(
        f"reference moment {run['reference_moment']} · agent {run['agent']} · "
        f"{run['seconds']:.0f} s · report {run.get('report_path', '')}"
    )
