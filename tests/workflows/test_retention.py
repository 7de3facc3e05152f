"""Retention: one run of the retention workflow over seeded rows of every age deletes exactly
those past their age, never a WhatsApp message the inbox relay has not handed over, and
DELETEs downloaded recordings at the fake Twilio; the daily Schedule exists after start-up.
Real Postgres, the real Temporal dev server, the Twilio SDK against the fake Twilio."""

from __future__ import annotations

import concurrent.futures
import json
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import text
from temporalio.client import Client, ScheduleActionStartWorkflow, ScheduleIntervalSpec
from temporalio.worker import Worker

from activities.retention import RetentionActivities
from operations.retention import SCHEDULE_ID, ensure_schedule
from switchboard.db.engine import Database
from switchboard.db.models import Customer, MediaBlob, Message
from switchboard.providers.factory import make_twilio
from switchboard.settings import Settings
from tests.polling import within
from workflows.retention import RetentionInput, RetentionWorkflow

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
E164 = "+33612345678"
AUDIO = b"RIFF....WAVEfmt "


def _ago(**delta: float) -> datetime:
    return NOW - timedelta(**delta)


async def _seed(db: Database, recording_url: str) -> None:
    recording_sid = recording_url.rsplit("/", 1)[1]
    async with db.session() as s:
        s.add(Customer(e164=E164, timezone="UTC"))
        await s.flush()

        def blob(media_id: str, content_type: str, at: datetime, url: str | None = None) -> None:
            s.add(
                MediaBlob(
                    id=media_id,
                    customer_e164=E164,
                    content_type=content_type,
                    size=len(AUDIO),
                    data=AUDIO,
                    source_url=url,
                    created_at=at,
                )
            )

        def message(
            key: str,
            kind: str,
            at: datetime,
            media_id: str | None = None,
            media_ids: list[str] | None = None,
        ) -> None:
            s.add(
                Message(
                    key=key,
                    customer_e164=E164,
                    channel="whatsapp",
                    direction="inbound",
                    kind=kind,
                    text="a transcript",
                    media_id=media_id,
                    media_ids=media_ids,
                    created_at=at,
                )
            )

        # Raw audio: a transcribed voice note and its WAV copy (deleted), one still waiting
        # for its transcript (kept), a transcribed call recording (DELETEd at Twilio, deleted).
        blob("SMvoice/0", "audio/ogg", _ago(minutes=5))
        blob("SMvoice/0/16k.wav", "audio/wav", _ago(minutes=5))
        message("in/SMvoice", "voice_note", _ago(minutes=5), "SMvoice/0")
        blob("SMpending/0", "audio/ogg", _ago(minutes=1))
        # A photo and a voice note in one message: the row names the photo first, the voice
        # note (and its WAV copy: deleted) only in ``media_ids``; the photo is kept.
        blob("SMmixed/0", "image/jpeg", _ago(minutes=4))
        blob("SMmixed/1", "audio/ogg", _ago(minutes=4))
        blob("SMmixed/1/16k.wav", "audio/wav", _ago(minutes=4))
        message(
            "in/SMmixed", "voice_note", _ago(minutes=4), "SMmixed/0", ["SMmixed/0", "SMmixed/1"]
        )
        blob(f"{recording_sid}/0", "audio/wav", _ago(minutes=3), recording_url)
        message(f"in/{recording_sid}", "speech", _ago(minutes=3), f"{recording_sid}/0")
        # Synthesised audio: past the 1-day grace (deleted), within it (kept).
        blob("tts/SMold", "audio/wav", _ago(days=1, minutes=1))
        blob("tts/SMnew", "audio/wav", _ago(hours=23))
        # Photos: one past the 730-day log retention (deleted), a recent one (kept).
        blob("SMphoto-old/0", "image/jpeg", _ago(days=731))
        blob("SMphoto-new/0", "image/jpeg", _ago(days=1))
        # The log: a row past 730 days (deleted), one within (kept).
        message("in/SMancient", "text", _ago(days=731))
        message("in/SMrecent", "text", _ago(days=729))
    async with db.session() as s:
        rows = [
            # (sid, kind, received days ago, handed over)
            ("SMhanded-old", "whatsapp_message", 31, True),  # deleted
            ("SMunhanded-old", "whatsapp_message", 31, False),  # kept: the inbox needs it
            ("REstatus-old", "recording", 31, False),  # deleted: not the inbox's
            ("SMhanded-new", "whatsapp_message", 29, True),  # kept: too young
        ]
        for sid, kind, days, handed in rows:
            at = _ago(days=days)
            await (await s.connection()).execute(
                text(
                    "INSERT INTO inbound_event (sid, kind, customer_e164, payload, received_at,"
                    " handed_over_at) VALUES (:sid, :kind, :e164, CAST(:payload AS jsonb), :at,"
                    " :handed)"
                ),
                {
                    "sid": sid,
                    "kind": kind,
                    "e164": E164,
                    "payload": json.dumps({"Body": "hello"}),
                    "at": at,
                    "handed": at if handed else None,
                },
            )


async def _ids(db: Database, table: str, column: str) -> set[str]:
    async with db.session() as s:
        conn = await s.connection()
        rows = await conn.execute(text(f"SELECT {column} FROM {table}"))
        return {str(row[0]) for row in rows}


async def test_retention_deletes_exactly_what_is_past_its_age(
    db: Database, temporal: Client, task_queue: str, settings: Settings, fake_twilio_url: str
) -> None:
    upload = httpx.post(
        f"{fake_twilio_url}/_fake/media?kind=recording",
        content=AUDIO,
        headers={"Content-Type": "audio/x-wav"},
    )
    recording = upload.json()
    await _seed(db, recording["url"])
    settings = settings.model_copy(update={"retention_batch": 2})  # several batches per kind
    retention = RetentionActivities(db, make_twilio(settings), settings)
    async with Worker(
        temporal,
        task_queue=task_queue,
        workflows=[RetentionWorkflow],
        activities=[
            retention.recordings,
            retention.raw_audio,
            retention.tts_audio,
            retention.inbound_events,
            retention.messages,
            retention.media,
        ],
        activity_executor=concurrent.futures.ThreadPoolExecutor(max_workers=2),
    ):
        report = await within(
            temporal.execute_workflow(
                RetentionWorkflow.run,
                RetentionInput(now=NOW),
                id=f"retention-{task_queue}",
                task_queue=task_queue,
            ),
            "the retention run",
        )

    assert report.deleted == {
        "recordings": 1,
        "raw_audio": 5,
        "tts_audio": 1,
        "inbound_events": 2,
        "messages": 1,
        "media": 1,
    }
    assert report.complete
    assert await _ids(db, "media_blob", "id") == {
        "SMpending/0",
        "tts/SMnew",
        "SMphoto-new/0",
        "SMmixed/0",
    }
    assert await _ids(db, "message", "key") == {
        "in/SMvoice",
        "in/SMmixed",
        "in/SMrecent",
        f"in/{recording['sid']}",
    }
    assert await _ids(db, "inbound_event", "sid") == {"SMunhanded-old", "SMhanded-new"}
    # The recording is gone at Twilio: DELETEd once, its URL now 404.
    deleted = httpx.get(f"{fake_twilio_url}/_fake/recordings/deleted").json()
    assert deleted == [recording["sid"]]
    auth = (settings.twilio_account_sid, settings.twilio_auth_token.get_secret_value())
    assert httpx.get(recording["url"], auth=auth).status_code == 404


async def test_recording_delete_reaches_the_fake_and_unknown_is_404(
    settings: Settings, fake_twilio_url: str
) -> None:
    recording = httpx.post(
        f"{fake_twilio_url}/_fake/media?kind=recording",
        content=AUDIO,
        headers={"Content-Type": "audio/x-wav"},
    ).json()
    twilio = make_twilio(settings)
    assert await twilio.delete_recording(recording["sid"]) is True
    assert await twilio.delete_recording(recording["sid"]) is False  # 404: gone already
    assert await twilio.delete_recording("RE" + "0" * 32) is False
    deleted = httpx.get(f"{fake_twilio_url}/_fake/recordings/deleted").json()
    assert deleted == [recording["sid"]]


async def test_the_daily_schedule_exists_after_start_up(temporal: Client, task_queue: str) -> None:
    handle = temporal.get_schedule_handle(SCHEDULE_ID)
    try:
        await ensure_schedule(temporal, task_queue=task_queue, every=timedelta(days=1))
        # Idempotent: a second start (another worker, a restart) updates, never fails.
        await ensure_schedule(temporal, task_queue=task_queue, every=timedelta(days=1))
        described = await handle.describe()
        action = described.schedule.action
        assert isinstance(action, ScheduleActionStartWorkflow)
        assert action.workflow == "RetentionWorkflow"
        assert action.task_queue == task_queue
        assert described.schedule.spec.intervals == [ScheduleIntervalSpec(every=timedelta(days=1))]
    finally:
        await handle.delete()
