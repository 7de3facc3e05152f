"""The Temporal worker: registers the workflows and the activities (bound methods of classes
built once with their clients), then polls the task queue until interrupted.

Run with ``python worker.py`` (``switchboard up`` does it for you).
"""

from __future__ import annotations

import asyncio
import compileall
import concurrent.futures
import contextlib
import inspect
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio.client import Client
from temporalio.runtime import Runtime
from temporalio.worker import Worker

from activities.agent import AgentActivities
from activities.campaign import CampaignActivities
from activities.consent import ConsentActivities
from activities.conversation import ConversationActivities
from activities.crm import CrmActivities
from activities.customer_link import CustomerLinkActivities
from activities.identity import IdentityActivities
from activities.journey import JourneyActivities
from activities.journey_types import AskCustomerInput, JoinCustomerInput, JourneyStartRequest
from activities.media import MediaActivities
from activities.retention import RetentionActivities
from activities.stt import SttActivities
from activities.tts import TtsActivities
from activities.types import TellJourneyInput
from activities.voice import VoiceActivities
from activities.whatsapp import WhatsAppActivities
from operations.journey_signals import tell_journey
from operations.launch import ask_customer, enrol_member, join_customer, running_journey_runs
from operations.retention import ensure_schedule as ensure_retention_schedule
from switchboard.business import load_profile
from switchboard.db.engine import WORKER_CONNECTIONS, Database
from switchboard.db.payload_keys import PostgresKeyStore
from switchboard.logs import configure_logging
from switchboard.media_urls import MediaUrlSigner
from switchboard.message_templates import load_templates
from switchboard.providers.base import Agent, SpeechToText, Telephony, TextToSpeech
from switchboard.providers.factory import (
    make_agent,
    make_stt,
    make_telephony,
    make_tts,
    make_twilio,
)
from switchboard.settings import Settings, get_settings
from switchboard.temporal import (
    OUTREACH_TASK_QUEUE,
    TASK_QUEUE,
    MetricsPortTaken,
    connect_when_ready,
    prometheus_runtime,
)
from switchboard.verification import code_key
from workflows.campaign import CampaignWorkflow
from workflows.customer import CustomerWorkflow
from workflows.journey import JourneyWorkflow
from workflows.retention import RetentionWorkflow

WORKFLOWS = [CustomerWorkflow, JourneyWorkflow, RetentionWorkflow, CampaignWorkflow]
# Connections of the worker's statement pool, kept open: its statements each hold one for a
# millisecond or so (a turn's few, a campaign slice's), and more wait for a free one
# (``Database``'s ``statement_timeout_s``), as many as the engine's pool keeps (5 by default).
WORKER_STATEMENT_POOL_SIZE = 5
log = logging.getLogger("switchboard.worker")


def worker_database(url: str) -> Database:
    """The worker's ``Database`` (call ``open()`` in its event loop).

    No ping per session (a voice-note turn opened 13 before its hot paths became single
    statements, issue 14): an activity whose connection died while idle fails once and
    Temporal retries it on a fresh one. The activities' direct statements
    (``Database.autocommit``) run on psycopg's own pool, as the API's acknowledgements do:
    SQLAlchemy's pool checkout and the autocommit switch each way cost ~1 ms of the worker's
    CPU per voice-note turn (issue 14, profiled). Every connection is named
    ``WORKER_CONNECTIONS``, so that the embedded stack runs their backends at background
    priority (``devtools.backend_priority``)."""
    return Database(
        url,
        pre_ping=False,
        application_name=WORKER_CONNECTIONS,
        statement_pool_size=WORKER_STATEMENT_POOL_SIZE,
        statement_application_name=WORKER_CONNECTIONS,
    )


@dataclass
class Providers:
    stt: SpeechToText
    tts: TextToSpeech
    agent: Agent
    telephony: Telephony

    @classmethod
    def from_settings(cls, settings: Settings) -> Providers:
        return cls(
            stt=make_stt(settings),
            tts=make_tts(settings),
            agent=make_agent(settings),
            telephony=make_telephony(settings),
        )


def whatsapp_activities(
    db: Database, providers: Providers, settings: Settings
) -> WhatsAppActivities:
    return WhatsAppActivities(
        db,
        providers.telephony,
        templates=load_templates(),
        status_callback_url=f"{settings.public_base_url.rstrip('/')}/twilio/status/message",
        media_urls=MediaUrlSigner.from_settings(settings),
    )


def voice_activities(db: Database, providers: Providers, settings: Settings) -> VoiceActivities:
    return VoiceActivities(db, providers.telephony, public_base_url=settings.public_base_url)


def campaign_activities(
    client: Client, db: Database, providers: Providers, settings: Settings
) -> CampaignActivities:
    """A broadcast campaign's activities; members' own journey runs are started with
    ``client`` (``operations.launch.enrol_member``)."""

    async def enrol(e164: str, request: JourneyStartRequest, task_queue: str) -> None:
        await enrol_member(client, e164, request, task_queue)

    return CampaignActivities(
        db,
        whatsapp=whatsapp_activities(db, providers, settings),
        sends_per_s=settings.outreach_sends_per_s,
        enrol=enrol,
        business=load_profile(settings.business_profile).facts(),
    )


def customer_link(client: Client) -> list[Callable[..., Any]]:
    """How launched journey runs and customer workflows find each other, with ``client``
    (``activities/customer_link.py``)."""

    async def find_runs(e164: str) -> list[str]:
        return await running_journey_runs(client, e164)

    async def ask(question: AskCustomerInput, task_queue: str) -> None:
        await ask_customer(client, question, task_queue)

    async def join(run: JoinCustomerInput, task_queue: str) -> None:
        await join_customer(client, run, task_queue)

    async def tell(event: TellJourneyInput) -> bool:
        return await tell_journey(client, event)

    link = CustomerLinkActivities(find_runs=find_runs, ask=ask, join=join, tell=tell)
    return [link.running_journeys, link.ask, link.join, link.tell]


def activities_for(
    db: Database, providers: Providers, settings: Settings
) -> list[Callable[..., Any]]:
    """Every activity, bound to its clients. Tests use this to run the real activities."""
    media = MediaActivities(db, providers.telephony, max_bytes=settings.media_max_bytes)
    profile = load_profile(settings.business_profile)
    agent = AgentActivities(
        db,
        providers.agent,
        window=settings.conversation_window,
        default_timezone=settings.default_timezone,
        profile=profile,
    )
    stt = SttActivities(db, providers.stt, profile, media=media, agent=agent)
    conversation = ConversationActivities(db)
    crm = CrmActivities(db, profile)
    consent = ConsentActivities(db)
    whatsapp = whatsapp_activities(db, providers, settings)
    tts = TtsActivities(db, providers.tts, whatsapp=whatsapp)
    journey = JourneyActivities(
        db, journeys_dir=settings.journeys_dir, business=profile.facts(), timezone=profile.timezone
    )
    voice = voice_activities(db, providers, settings)
    retention = RetentionActivities(db, make_twilio(settings), settings)
    identity = IdentityActivities(
        db,
        whatsapp,
        key=code_key(settings.twilio_auth_token.get_secret_value().encode()),
        profile=profile,
    )
    return [
        journey.match,
        journey.profile,
        journey.gate,
        journey.render,
        journey.crm_field,
        journey.handoff,
        journey.hold_slot,
        journey.log,
        voice.place_call,
        consent.record,
        media.fetch,
        media.normalise_audio,
        stt.transcribe,
        stt.transcribe_media,
        stt.transcribe_and_decide,
        agent.decide,
        tts.synthesize,
        tts.voice_note,
        conversation.log,
        crm.save_draft,
        crm.set_booking_status,
        crm.confirm_booking,
        crm.move_booking,
        crm.cancel_booking,
        crm.get_booking,
        consent.check,
        whatsapp.send,
        identity.start,
        identity.check,
        retention.recordings,
        retention.raw_audio,
        retention.tts_audio,
        retention.inbound_events,
        retention.messages,
        retention.media,
    ]


def cache_workflow_bytecode() -> None:
    """Write ``.pyc`` files for the workflow modules.

    The sandbox imports the workflow's module afresh for every new run (Temporal's "global
    state isolation"); with no bytecode cache (``PYTHONDONTWRITEBYTECODE``, set on this
    machine and in many images) each import compiles the source, which was most of the worker's
    CPU per journey start in bench suite 3. ``py_compile`` writes regardless of that setting; a
    read-only tree just keeps compiling (``compileall`` reports, never raises)."""
    compileall.compile_dir(Path(inspect.getfile(CustomerWorkflow)).parent, quiet=2)


def build_worker(
    client: Client, db: Database, providers: Providers, settings: Settings, *, task_queue: str
) -> Worker:
    cache_workflow_bytecode()
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=[
            *activities_for(db, providers, settings),
            campaign_activities(client, db, providers, settings).follow_up,
            *customer_link(client),
        ],
        # Blocking SDKs (twilio, faster-whisper) run via asyncio.to_thread inside the adapters.
        activity_executor=concurrent.futures.ThreadPoolExecutor(max_workers=8),
        # Also the size of the SDK's workflow task thread pool (settings.py says why so few).
        max_concurrent_workflow_tasks=settings.worker_workflow_tasks,
        sticky_queue_schedule_to_start_timeout=timedelta(
            seconds=settings.worker_sticky_schedule_to_start_s
        ),
        nonsticky_to_sticky_poll_ratio=settings.worker_new_run_poll_ratio,
        # Let running activities finish on a stop (Temporal would retry them anyway).
        graceful_shutdown_timeout=timedelta(seconds=20),
    )


def build_outreach_worker(
    client: Client, db: Database, providers: Providers, settings: Settings, *, task_queue: str
) -> Worker:
    """Campaign sends only, at most ``settings.outreach_sends_per_s`` per second across all
    workers of the queue (Temporal's server-side task-queue rate limit); a broadcast's batches
    pace their messages to the same figure inside the activity (``activities/campaign.py``)."""
    return Worker(
        client,
        task_queue=task_queue,
        activities=[
            whatsapp_activities(db, providers, settings).send,
            voice_activities(db, providers, settings).place_call,
            campaign_activities(client, db, providers, settings).send_batch,
        ],
        max_task_queue_activities_per_second=settings.outreach_sends_per_s,
        graceful_shutdown_timeout=timedelta(seconds=20),
    )


async def run(
    settings: Settings,
    providers: Callable[[Settings], Providers] = Providers.from_settings,
    *,
    runtime: Runtime | None = None,
) -> None:
    """Poll the main and the outreach task queues until SIGTERM or SIGINT, then shut down:
    running activities get ``graceful_shutdown_timeout`` to finish (Temporal would retry them
    anyway). ``providers`` builds the vendor adapters (the benchmarks pass fakes). Raises
    ``SystemExit`` without a database URL."""
    if settings.database_url is None:
        raise SystemExit("no database URL: set DATABASE_URL or run `switchboard up`")
    keys = PostgresKeyStore.from_settings(settings)
    client = await connect_when_ready(
        settings.temporal_address, settings.temporal_namespace, keys=keys, runtime=runtime
    )
    db = worker_database(settings.database_url)
    await db.open()
    chosen = providers(settings)
    worker = build_worker(client, db, chosen, settings, task_queue=TASK_QUEUE)
    outreach = build_outreach_worker(client, db, chosen, settings, task_queue=OUTREACH_TASK_QUEUE)
    if settings.retention_schedule:
        every = timedelta(seconds=settings.retention_every_s)
        await ensure_retention_schedule(client, task_queue=TASK_QUEUE, every=every)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    log.info("worker polling task queues %s and %s", TASK_QUEUE, OUTREACH_TASK_QUEUE)
    tasks: list[asyncio.Future[Any]] = [
        asyncio.ensure_future(worker.run()),
        asyncio.ensure_future(outreach.run()),
        asyncio.ensure_future(stop.wait()),
    ]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            task.result()  # a worker that failed (not a stop) fails the process
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.gather(worker.shutdown(), outreach.shutdown()), 25)
        await db.dispose()
        await keys.aclose()


async def main() -> None:
    configure_logging()
    settings = get_settings()
    try:
        runtime = (
            prometheus_runtime(settings.worker_metrics_address)
            if settings.worker_metrics_address
            else None
        )
    except MetricsPortTaken as exc:
        raise SystemExit(str(exc)) from None
    await run(settings, runtime=runtime)


if __name__ == "__main__":
    asyncio.run(main())
