"""``POST /twilio/voice/amd``: what answered a call Switchboard placed, and what the API does
about it (a voicemail on an answering machine, a hang-up on a fax or an unsure detection,
nothing for a person).

The fake Twilio plays the callee (``POST /_fake/calls/{sid}/answer``): it POSTs the call's URL
and then the detection result, signed, to the API, which therefore runs on a loopback port here
(``served_api``) rather than in process; the fake Twilio delivers to it what Twilio would send to
the public URL. The worker is the harness's.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import uvicorn
from sqlmodel import select
from temporalio.api.enums.v1 import EventType
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from api.main import create_app
from api.routes.twilio_amd import TWIML_MAX_CHARS, amd_twiml
from switchboard.db.customers import ensure_customer
from switchboard.db.models import CallContext, InboundEvent, Message
from switchboard.journeys.schema import DEFAULT_VOICEMAIL
from switchboard.providers.factory import make_telephony
from switchboard.settings import Settings
from switchboard.temporal import customer_workflow_id
from tests.conftest import PUBLIC_URL, Harness
from tests.fakes.server import free_port
from tests.polling import BoundedASGITransport, eventually

CUSTOMER = "+33612345678"
VOICEMAIL = "Hello, this is Switchboard about Felix's check-up. Please call us back."
HANGUP = "<Response><Hangup /></Response>"
LEFT_A_VOICEMAIL = "answering machine: left a voicemail"


@contextmanager
def serve_api(settings: Settings, task_queue: str) -> Iterator[str]:
    """The API on a loopback port (uvicorn in a thread, its lifespan on): its database engine
    and its Temporal client are opened in that thread's event loop, from ``settings``."""
    port = free_port()
    app = create_app(settings, task_queue=task_queue)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the API did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def served_api(
    harness: Harness, database_url: str, temporal_env: WorkflowEnvironment, task_queue: str
) -> Iterator[str]:
    """The harness's API settings, database, Temporal server and task queue, served on a
    loopback port for the fake Twilio to call."""
    settings = harness.settings.model_copy(
        update={
            "database_url": database_url,
            "temporal_address": temporal_env.client.service_client.config.target_host,
        }
    )
    with serve_api(settings, task_queue) as url:
        yield url


async def placed_call(
    h: Harness, *, voicemail: str | None = VOICEMAIL, detection: bool = True
) -> str:
    """A call placed as ``voice.place_call`` places it (answering machine detection unless
    ``detection`` is False, the call context stored with its SID); returns the Call SID."""
    key = f"journey/test/{CUSTOMER}/{uuid.uuid4().hex}/call/0"
    sid = await make_telephony(h.settings).place_call(
        to=CUSTOMER,
        url=f"{PUBLIC_URL}/twilio/voice/outbound?context={quote(key, safe='')}",
        status_callback=f"{PUBLIC_URL}/twilio/voice/status",
        amd_status_callback=f"{PUBLIC_URL}/twilio/voice/amd" if detection else None,
    )
    async with h.db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris")
        s.add(
            CallContext(
                key=key,
                customer_e164=CUSTOMER,
                call_sid=sid,
                opening="Hello, this is Switchboard about Felix's check-up.",
                goal="Book Felix's check-up.",
                journey_id=f"journey/test/{CUSTOMER}/k",
                voicemail=voicemail,
            )
        )
    return sid


async def answer(h: Harness, sid: str, webhook_base_url: str, **request: Any) -> dict[str, Any]:
    """The customer's line picks up (the fake Twilio then calls the API as Twilio would)."""
    async with httpx.AsyncClient(timeout=60) as http:
        response = await http.post(
            f"{h.fake_twilio_url}/_fake/calls/{sid}/answer",
            json={"webhook_base_url": webhook_base_url, **request},
        )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def call_record(h: Harness, sid: str) -> dict[str, Any]:
    async with httpx.AsyncClient() as http:
        rows = (await http.get(f"{h.fake_twilio_url}/_fake/calls")).json()
    [row] = [r for r in rows if r["sid"] == sid]
    return dict(row)


async def log_texts(h: Harness, call_sid: str) -> list[str]:
    async with h.db.session() as s:
        rows = await s.exec(
            select(Message).where(Message.call_sid == call_sid).order_by(Message.id)  # type: ignore[arg-type]
        )
        return [m.text for m in rows.all()]


async def signal_handled(h: Harness, name: str) -> None:
    """Wait until the customer's workflow has completed a workflow task after it received
    signal ``name`` (its handler has run), in whichever run of the chain received it."""
    workflow_id = customer_workflow_id(CUSTOMER)

    async def handled() -> bool:
        async for run in h.temporal.list_workflows(f"WorkflowId = '{workflow_id}'"):
            seen = False
            handle = h.temporal.get_workflow_handle(workflow_id, run_id=run.run_id)
            async for event in handle.fetch_history_events():
                attributes = event.workflow_execution_signaled_event_attributes
                if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
                    seen = seen or attributes.signal_name == name
                elif seen and event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
                    return True
        return False

    await eventually(handled, bool)


@pytest.mark.parametrize(
    "answered_by", ["machine_end_beep", "machine_end_silence", "machine_end_other"]
)
async def test_an_answering_machine_gets_the_voicemail_and_the_call_ends(
    harness: Harness, served_api: str, answered_by: str
) -> None:
    sid = await placed_call(harness)

    played = await answer(harness, sid, served_api, answered_by=answered_by)

    assert played["url"]["status"] == 200 and "<Record" in played["url"]["body"]  # call_mode
    assert played["amd"]["status"] == 204, played["amd"]
    row = await call_record(harness, sid)
    assert row["twiml_updates"] == [f"<Response><Say>{VOICEMAIL}</Say><Hangup /></Response>"]
    assert row["status"] == "completed"
    # The fake Twilio posted the call's end; the workflow logged the machine and the end.
    texts = await eventually(
        lambda: log_texts(harness, sid), lambda t: any(x.startswith("call completed") for x in t)
    )
    assert texts.count(LEFT_A_VOICEMAIL) == 1, texts
    async with harness.db.session() as s:
        assert await s.get(InboundEvent, f"{sid}/amd") is not None


@pytest.mark.parametrize(
    ("answered_by", "logged"),
    [
        ("fax", "fax machine: hung up"),
        ("unknown", "no one heard on the line (answering machine detection unsure): hung up"),
    ],
)
async def test_a_fax_or_an_unsure_detection_is_hung_up_on(
    harness: Harness, served_api: str, answered_by: str, logged: str
) -> None:
    sid = await placed_call(harness)

    await answer(harness, sid, served_api, answered_by=answered_by)

    row = await call_record(harness, sid)
    assert (row["twiml_updates"], row["status"]) == ([HANGUP], "completed")
    texts = await eventually(
        lambda: log_texts(harness, sid), lambda t: any(x.startswith("call completed") for x in t)
    )
    assert logged in texts


async def test_a_person_goes_on_talking(harness: Harness, served_api: str) -> None:
    sid = await placed_call(harness)

    played = await answer(harness, sid, served_api, answered_by="human")

    assert played["amd"]["status"] == 204
    row = await call_record(harness, sid)
    assert (row["twiml_updates"], row["status"]) == ([], "in-progress")
    await eventually(lambda: log_texts(harness, sid), lambda t: "answered by a person" in t)


async def test_a_call_placed_before_voicemails_were_stored_leaves_the_default_one(
    harness: Harness, served_api: str
) -> None:
    sid = await placed_call(harness, voicemail=None)
    await answer(harness, sid, served_api, answered_by="machine_end_beep")
    row = await call_record(harness, sid)
    assert row["twiml_updates"] == [
        f"<Response><Say>{DEFAULT_VOICEMAIL}</Say><Hangup /></Response>"
    ]


async def test_a_result_after_the_call_ended_changes_nothing(
    harness: Harness, served_api: str
) -> None:
    """The machine hung up first: Twilio refuses the update (21220) and the API answers 204;
    the workflow has reported the call's end already and ignores the late result. (The fake
    Twilio posts a result when the line picks up, so this call is placed without detection
    and its late result posted by hand: the only one the workflow gets.)"""
    sid = await placed_call(harness, detection=False)
    await answer(harness, sid, served_api)
    await make_telephony(harness.settings).update_call(sid, status="completed")
    await eventually(
        lambda: log_texts(harness, sid), lambda t: any("call completed" in x for x in t)
    )

    late = {"CallSid": sid, "AccountSid": harness.settings.twilio_account_sid}
    response = await harness.post_twilio(
        "/twilio/voice/amd",
        {**late, "AnsweredBy": "machine_end_beep", "MachineDetectionDuration": "9000"},
    )

    assert response.status_code == 204, response.text
    assert (await call_record(harness, sid))["twiml_updates"] == []
    await signal_handled(harness, "call_answered_by")
    assert LEFT_A_VOICEMAIL not in await log_texts(harness, sid)


async def test_the_voicemail_does_not_wait_on_temporal(harness: Harness) -> None:
    """Temporal unreachable: the voicemail is left all the same, and the request answers 503
    so that the result is not taken as delivered."""
    sid = await placed_call(harness)
    app = create_app(harness.settings, db=harness.db, temporal=harness.temporal)

    async def unreachable() -> Any:
        raise RPCError("connection refused", RPCStatusCode.UNAVAILABLE, b"")

    app.state.temporal = unreachable
    dead = f"http://127.0.0.1:{free_port()}"
    await answer(harness, sid, dead)  # picked up; the URL's webhook goes nowhere
    form = {"CallSid": sid, "AnsweredBy": "machine_end_silence", "MachineDetectionDuration": "5"}
    async with httpx.AsyncClient(
        transport=BoundedASGITransport(app=app), base_url=PUBLIC_URL, timeout=30
    ) as api:
        response = await api.post(
            "/twilio/voice/amd", data=form, headers=harness.sign("/twilio/voice/amd", form)
        )

    assert response.status_code == 503
    assert (await call_record(harness, sid))["twiml_updates"] == [
        f"<Response><Say>{VOICEMAIL}</Say><Hangup /></Response>"
    ]


async def test_a_result_for_an_unknown_call_is_ignored(harness: Harness) -> None:
    form = {"CallSid": "CA" + "9" * 32, "AnsweredBy": "machine_end_beep"}
    response = await harness.post_twilio("/twilio/voice/amd", form)
    assert response.status_code == 204
    async with harness.db.session() as s:
        assert (await s.exec(select(InboundEvent))).all() == []


async def test_unsigned_or_malformed_results_are_refused(harness: Harness) -> None:
    form = {"CallSid": "CA" + "1" * 32, "AnsweredBy": "machine_end_beep"}
    unsigned = await harness.api.post("/twilio/voice/amd", data=form)
    robot = await harness.post_twilio("/twilio/voice/amd", {**form, "AnsweredBy": "robot"})
    assert unsigned.status_code == 403
    assert robot.status_code == 422
    assert [e["field"] for e in robot.json()["detail"]] == ["AnsweredBy"]


@pytest.mark.parametrize(
    ("answered_by", "twiml"),
    [
        ("human", None),
        (
            "machine_end_beep",
            "<Response><Say>Call us &amp; &lt;soon&gt;</Say><Hangup /></Response>",
        ),
        (
            "machine_end_silence",
            "<Response><Say>Call us &amp; &lt;soon&gt;</Say><Hangup /></Response>",
        ),
        (
            "machine_end_other",
            "<Response><Say>Call us &amp; &lt;soon&gt;</Say><Hangup /></Response>",
        ),
        ("machine_start", HANGUP),
        ("fax", HANGUP),
        ("unknown", HANGUP),
    ],
)
def test_the_twiml_for_each_result(answered_by: Any, twiml: str | None) -> None:
    assert amd_twiml(answered_by, "Call us & <soon>") == twiml


def test_a_voicemail_too_long_for_inline_twiml_falls_back_to_the_default() -> None:
    long = amd_twiml("machine_end_beep", "&" * 900)  # 900 characters, 4500 once escaped
    assert long == f"<Response><Say>{DEFAULT_VOICEMAIL}</Say><Hangup /></Response>"
    assert len(long) <= TWIML_MAX_CHARS
    assert amd_twiml("machine_end_beep", None) == long
