"""Resetting the client's TCP connection, for the ``reset_after_accept`` fault (``faults``).

A request Twilio carried out whose answer never arrives is the one case where a client cannot
know whether its message was sent. The fake plays it by resetting the connection: RST, no
response at all.

No supported mechanism does that. ASGI has no "abort the connection" message: an app can only
answer, or raise, after which the server closes politely (FIN, maybe after a 500). uvicorn puts
no transport or socket in the scope (addresses only), and its one hook on connections,
``uvicorn.Config(http=<protocol class>)``, would mean subclassing its undocumented protocol
classes and starting uvicorn from code instead of ``uvicorn --factory``. So
``_uvicorn_connection`` reaches into uvicorn, and nothing else does. Out of its reach (another
server, Starlette's ``TestClient``, or ``--log-level trace``, whose logging middleware wraps
``send``), ``ConnectionReset`` sends the headers with a ``Content-Length`` and never the body,
which also leaves a client without an answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from fastapi import FastAPI
from fastapi.responses import Response
from starlette.types import Receive, Scope, Send

# The server's own ``send`` for the request being handled. Starlette's middleware wraps ``send``
# before a route sees it, so ``FakeTwilioApp`` keeps the server's one here.
_server_send: ContextVar[Send | None] = ContextVar("fake_twilio_server_send", default=None)


class FakeTwilioApp(FastAPI):
    """A FastAPI app that remembers the server's ``send`` of each request (``_server_send``)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _server_send.set(send)
        try:
            await super().__call__(scope, receive, send)
        finally:
            _server_send.reset(token)


def _uvicorn_connection(send: Send | None) -> tuple[Any, Callable[[], bool]] | None:
    """``(transport, server_saw_it_close)`` behind uvicorn's ``send``; None when not uvicorn's.

    The one reach into uvicorn's internals (the module docstring says why). uvicorn's ``send``
    is a bound method of its per-request ``RequestResponseCycle`` (h11 and httptools protocols
    alike), whose ``transport`` is the client connection and whose ``disconnected`` turns True
    once the server has noticed that connection go.
    """
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None or not callable(getattr(transport, "abort", None)):
        return None
    return transport, lambda: bool(getattr(cycle, "disconnected", True))


async def _abort_connection() -> bool:
    """Reset the client's TCP connection of the current request; False when out of reach.

    Sets ``SO_LINGER`` to zero so that closing sends RST rather than FIN, and aborts the
    transport without writing anything.
    """
    connection = _uvicorn_connection(_server_send.get())
    if connection is None:
        return False
    transport, server_saw_it_close = connection
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError, AttributeError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    # The server learns of the loss (connection_lost) on a later loop iteration; until it has,
    # it would still try to write the response and log about it.
    for _ in range(100):
        if server_saw_it_close():
            break
        await asyncio.sleep(0)
    return True


class ConnectionReset(Response):
    """Returned by a route whose request was carried out but must look unanswered.

    Resets the connection (``_abort_connection``); where that is out of reach, sends the headers
    with a ``Content-Length`` and no body, which leaves the server no choice but to close the
    connection. Background tasks (status callbacks) still run: the work was done.
    """

    def __init__(self, status_code: int) -> None:
        super().__init__(status_code=status_code)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not await _abort_connection():
            await send(
                {
                    "type": "http.response.start",
                    "status": self.status_code,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", b"1024"),
                    ],
                }
            )
        if self.background is not None:
            await self.background()
