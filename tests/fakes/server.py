"""Serve an ASGI app (a fake vendor) on a free loopback port in a background thread.

Used by adapter tests: the vendor's own SDK talks real HTTP to the fake, and the test asserts on
what the fake received.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import uvicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(
    app: Any, *, port: int | None = None, lifespan: Literal["on", "off"] = "off"
) -> Iterator[str]:
    """Run ``app`` until the block exits; yields its base URL (``http://127.0.0.1:PORT``).
    ``lifespan="on"`` runs the app's start-up and shutdown (a fake holding clients to close)."""
    port = port or free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan=lifespan
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("fake server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
