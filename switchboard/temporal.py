"""Temporal names shared by the worker, the API, the CLI and the tests.

Workflow IDs are readable on purpose, so an engineer can find a customer in the Temporal UI:
``customer/+33612345678`` and ``journey/<name>/<E164>/<trigger key>``.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import ClassVar, Self

from temporalio.client import Client
from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes
from temporalio.contrib.pydantic import PydanticPayloadConverter, pydantic_data_converter
from temporalio.converter import (
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    SerializationContext,
)
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_delay, wait_exponential

from switchboard.payload_codec import EncryptionCodec, KeyStore

_log = logging.getLogger("switchboard.temporal")

TASK_QUEUE = "switchboard"


# Campaign sends and calls: a queue of their own whose worker is rate-limited server-side
# (max_task_queue_activities_per_second), so the limit holds at send time across all campaigns.
def outreach_queue(task_queue: str) -> str:
    """The rate-limited queue paired with ``task_queue`` (tests run each on fresh queues)."""
    return f"{task_queue}-outreach"


OUTREACH_TASK_QUEUE = outreach_queue(TASK_QUEUE)

CUSTOMER_PHONE = SearchAttributeKey.for_keyword("CustomerPhone")
CHANNEL = SearchAttributeKey.for_keyword("Channel")
JOURNEY_NAME = SearchAttributeKey.for_keyword("JourneyName")
JOURNEY_VERSION = SearchAttributeKey.for_keyword("JourneyVersion")
JOURNEY_STEP = SearchAttributeKey.for_keyword("JourneyStep")
JOURNEY_GOAL = SearchAttributeKey.for_keyword("JourneyGoal")  # "converted" once it is
JOURNEY_BRANCH = SearchAttributeKey.for_keyword("JourneyBranch")  # "<split step>:<branch>"

# Keyword, not Text: SQL visibility allows only 3 Text attributes (Temporal docs).
SEARCH_ATTRIBUTES = (
    CUSTOMER_PHONE,
    CHANNEL,
    JOURNEY_NAME,
    JOURNEY_VERSION,
    JOURNEY_STEP,
    JOURNEY_GOAL,
    JOURNEY_BRANCH,
)


def customer_workflow_id(e164: str) -> str:
    return f"customer/{e164}"


def journey_workflow_id(name: str, e164: str, trigger_key: str) -> str:
    return f"journey/{name}/{e164}/{trigger_key}"


def journey_search_attributes(
    e164: str, name: str, version: str, step: str
) -> TypedSearchAttributes:
    """A journey run's search attributes as its starter sets them (``CustomerPhone``,
    ``JourneyName``, ``JourneyVersion``, ``JourneyStep``): set on the start, the run is found by
    the customer's number from the moment it exists, and its first workflow task writes none."""
    return TypedSearchAttributes(
        [
            SearchAttributePair(CUSTOMER_PHONE, e164),
            SearchAttributePair(JOURNEY_NAME, name),
            SearchAttributePair(JOURNEY_VERSION, version),
            SearchAttributePair(JOURNEY_STEP, step),
        ]
    )


def campaign_workflow_id(name: str, campaign_id: str) -> str:
    """A broadcast campaign's one workflow (``workflows/campaign.py``)."""
    return f"campaign/{name}/{campaign_id}"


class SharedPydanticPayloadConverter(PydanticPayloadConverter):
    """``PydanticPayloadConverter``, built once per process.

    The SDK gives each payload its serialization context by copying the data converter
    (``DataConverter.with_context``), and each copy builds a new payload converter from
    ``payload_converter_class`` even when only the codec uses the context (ours:
    ``EncryptionCodec``): in the worker that was half the cost of the copies, ~2 % of its CPU
    per turn (py-spy on bench suite 2, issue 14). Its converters keep no state but caches, so
    one instance serves every copy, as the original converter already serves every thread."""

    _shared: ClassVar[SharedPydanticPayloadConverter | None] = None
    _built = False

    def __new__(cls) -> Self:
        shared = cls._shared
        if not isinstance(shared, cls):
            shared = cls._shared = super().__new__(cls)
        return shared

    def __init__(self) -> None:
        if self._built:
            return
        super().__init__()
        self._built = True

    def with_context(self, context: SerializationContext) -> Self:
        # The base class builds ``type(self)()`` and changes it in place: not the shared one.
        if self.get_converters_with_context(context) is None:
            return self
        raise TypeError("a context-aware payload converter cannot be shared")


def data_converter(keys: KeyStore) -> DataConverter:
    """Switchboard's data converter, the one every client, worker, replayer and test server
    uses: the pydantic payload converter (payloads are pydantic models and dataclasses), then
    ``EncryptionCodec`` (a data key per customer from ``keys``: ``switchboard.payload_codec``).
    Failures' messages and stack traces are encrypted too (they can quote a customer), which
    Temporal leaves to ``DefaultFailureConverterWithEncodedAttributes``
    (https://docs.temporal.io/dataconversion#failure-converter). Unencrypted payloads, as in
    older histories, still decode."""
    return dataclasses.replace(
        pydantic_data_converter,
        payload_converter_class=SharedPydanticPayloadConverter,
        payload_codec=EncryptionCodec(keys),
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )


def payload_keys_of(client: Client) -> KeyStore:
    """The key store of a client made with ``data_converter`` (the codec server and erasure
    use the client's own, so an erasure empties the cache the codec reads)."""
    codec = client.data_converter.payload_codec
    if not isinstance(codec, EncryptionCodec):
        raise TypeError("this Temporal client was not made with switchboard's data_converter")
    return codec.keys


async def connect(
    address: str, namespace: str, *, keys: KeyStore, runtime: Runtime | None = None
) -> Client:
    """A client with Switchboard's data converter (``data_converter(keys)``)."""
    return await Client.connect(
        address, namespace=namespace, data_converter=data_converter(keys), runtime=runtime
    )


async def connect_when_ready(
    address: str,
    namespace: str,
    *,
    keys: KeyStore,
    runtime: Runtime | None = None,
    wait_s: float = 120.0,
) -> Client:
    """``connect``, retried with backoff for up to ``wait_s`` seconds: a process started while
    the Temporal server restarts (a deploy, a crash, `make chaos`) waits for it instead of
    exiting. Raises the last ``RuntimeError`` ("Failed client connect") after that."""
    async for attempt in AsyncRetrying(
        retry=retry_if_exception_type(RuntimeError),
        stop=stop_after_delay(wait_s),
        wait=wait_exponential(multiplier=0.5, max=10.0),
        before_sleep=lambda state: _log.warning(
            "Temporal at %s not reachable yet (attempt %d): %s",
            address,
            state.attempt_number,
            state.outcome.exception() if state.outcome else None,
        ),
        reraise=True,
    ):
        with attempt:
            return await connect(address, namespace, keys=keys, runtime=runtime)
    raise AssertionError("unreachable: tenacity re-raises the last error")


def prometheus_runtime(bind_address: str) -> Runtime:
    """A Temporal runtime that serves worker metrics for Prometheus at ``bind_address``
    (``host:port``, path ``/metrics``): per-activity schedule-to-start and execution latency
    (``temporal_activity_*``, i.e. the per-stage timings), workflow task latency, and
    Switchboard's own counters such as ``switchboard_fallbacks``.

    Raises ``MetricsPortTaken`` (naming the setting that moves it) when the address is in use."""
    try:
        return Runtime(
            telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=bind_address))
        )
    except ValueError as exc:  # the SDK's only signal: "Failed starting Prometheus exporter"
        raise MetricsPortTaken(
            f"worker metrics: cannot listen on {bind_address} ({exc}); set "
            "SWITCHBOARD_WORKER_METRICS_PORT to a free port, or to null to turn metrics off"
        ) from exc


class MetricsPortTaken(RuntimeError):
    """The worker's Prometheus address is taken."""
