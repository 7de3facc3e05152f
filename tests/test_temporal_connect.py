"""A process started while the Temporal server is away (a deploy, a crash, `make chaos`) waits
for it instead of exiting, for a bounded time; then it says why it gave up."""

from __future__ import annotations

import socket
import time

import pytest
from temporalio.testing import WorkflowEnvironment

from switchboard.payload_codec import MemoryKeyStore
from switchboard.temporal import connect_when_ready


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_nobody_listening_is_retried_for_the_time_given_then_reported() -> None:
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="connect"):
        await connect_when_ready(
            f"127.0.0.1:{free_port()}", "default", keys=MemoryKeyStore(), wait_s=2.0
        )
    assert 2.0 <= time.monotonic() - started < 20, "it kept trying for the time given"


async def test_a_server_that_is_there_connects_at_once(temporal_env: WorkflowEnvironment) -> None:
    address = temporal_env.client.service_client.config.target_host
    client = await connect_when_ready(address, "default", keys=MemoryKeyStore(), wait_s=2.0)

    assert (await client.count_workflows()).count >= 0
