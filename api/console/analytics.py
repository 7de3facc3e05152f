"""Analytics (marketer, engineer, admin): the numbers to watch over a chosen period, as charts
(``api.console.charts``: server-side SVG) with the same figures in tables beside them.
Computed on each visit by ``operations.analytics`` from the conversation log and Temporal's
visibility store; what each figure counts is said on the page and in that module."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from temporalio.client import Client

from api.console.charts import bars, grouped
from api.console.render import render
from api.console.session import page
from api.deps import DbDep, TemporalUnavailable, get_temporal
from operations.analytics import report
from switchboard.access import Principal, Role
from switchboard.db.analytics import INTENT_CLASSES, Period

router = APIRouter(prefix="/console/analytics", include_in_schema=False)
AnalyticsPage = Annotated[Principal, page(Role.MARKETER, Role.ENGINEER, Role.ADMIN)]
PERIODS = {
    "1": "the last 24 hours",
    "7": "the last 7 days",
    "30": "the last 30 days",
    "90": "the last 90 days",
}
TOP_STEPS = 15


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


@router.get("")
async def analytics(
    request: Request,
    db: DbDep,
    by: AnalyticsPage,
    days: Annotated[Literal["1", "7", "30", "90"], Query()] = "7",
) -> HTMLResponse:
    until = datetime.now(UTC)
    period = Period(since=until - timedelta(days=int(days)), until=until)
    client: Client | None
    try:
        client = await get_temporal(request)
    except TemporalUnavailable:
        client = None
    r = await report(db, client, period)
    steps = [(f"{step} ({kind})", n) for step, kind, n in r.sends_by_step[:TOP_STEPS]]
    a = r.after_confirmation
    charts = {
        "steps": bars("Messages and calls by flow step", steps),
        "failures": bars("Integration failures by system", r.integration_failures),
        "intents": bars(
            "Handoff rate by intent class",
            [(x.intent_class, x.rate) for x in r.handoffs_by_intent.classes],
            percent=True,
        ),
        "causes": bars("Handoffs by cause", r.conversations.by_cause),
        "after": bars(
            "Errors within 24 h of a confirmation",
            [
                ("cancelled", a.cancelled),
                ("message failed", a.failed_messages),
                ("handed to a person", a.handed_off),
            ],
        ),
        "latency": grouped(
            "Turn latency by channel, seconds",
            [x.channel for x in r.latency],
            [
                ("p50", [round(x.p50_ms / 1000, 2) for x in r.latency]),
                ("p95", [round(x.p95_ms / 1000, 2) for x in r.latency]),
            ],
            unit=" s",
        ),
        "fallbacks": bars("Fallbacks by kind", r.fallbacks),
        "states": bars("Sends by delivery state", r.sends_by_state),
        "runs": bars("Journey runs started, by status", r.journey_runs.by_status)
        if r.journey_runs is not None
        else None,
    }
    return render(
        request,
        "analytics/page.html",
        {
            "r": r,
            "days": days,
            "periods": PERIODS,
            "intent_classes": INTENT_CLASSES,
            "charts": charts,
            "steps_total": sum(n for _, _, n in r.sends_by_step),
            "containment": percent(r.containment),
            "handoff_rate": percent(r.handoff_rate),
            "error_rate": percent(r.error_rate_after_confirmation),
        },
        principal=by,
    )
