"""Graceful shutdown of a web process: on SIGTERM, drain before uvicorn stops.

uvicorn's own shutdown fails every open websocket with 1012 at once, so an answer being streamed
was cut mid-sentence; and with no `--timeout-graceful-shutdown` it then waited for the app's tasks
without end ("Waiting for background tasks to complete", seen twice). Here, at lifespan startup,
the SIGTERM/SIGINT handlers uvicorn installed are wrapped. The first signal:

1. closes uvicorn's listening sockets (no new connection) and turns /readyz to 503 (`draining`);
2. runs the drains apps registered (chat: idle sockets are closed with 1012 "service restart" now,
   a socket streaming an answer is closed with 1012 when its answer ends);
3. after they end, or WEB_SHUTDOWN_GRACE seconds, hands over to uvicorn's own handler, which
   closes what is left (1012) and bounds the rest with `--timeout-graceful-shutdown`.

A second signal goes to uvicorn at once. 1012 tells a client to reconnect (to another process); a
message it resends with the same `client_id` gets the recorded answer (chat/consumers.py).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

Drain = Callable[[float], Awaitable[None]]  # called with the loop-time deadline
_drains: list[Drain] = []
_state = {"draining": False}
_tasks: set[asyncio.Task[None]] = set()


def register_drain(drain: Drain) -> None:
    _drains.append(drain)


def draining() -> bool:
    return _state["draining"]


class Lifespan:
    """The ASGI app for the `lifespan` scope: installs the handlers at startup."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                install(asyncio.get_running_loop())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return


def install(loop: asyncio.AbstractEventLoop) -> None:
    _state["draining"] = False
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(signum)
        if callable(previous):  # uvicorn's handle_exit; a server that installs none keeps its default
            signal.signal(signum, partial(_on_signal, loop, previous))


def _on_signal(loop: asyncio.AbstractEventLoop, previous: Callable[..., Any], signum: int, frame: Any) -> None:
    if _state["draining"]:
        previous(signum, frame)  # a second signal: uvicorn's own (a second SIGINT forces the exit)
        return
    _state["draining"] = True

    def start() -> None:
        task = loop.create_task(_drain_then(loop, previous, signum))
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)

    loop.call_soon_threadsafe(start)


async def _drain_then(loop: asyncio.AbstractEventLoop, previous: Callable[..., Any], signum: int) -> None:
    started = loop.time()
    server = getattr(previous, "__self__", None)  # the uvicorn.Server whose handle_exit it is
    for listener in getattr(server, "servers", []):
        listener.close()
    logger.info("draining: no new connections, open answers may finish (up to %ss)", settings.WEB_SHUTDOWN_GRACE)
    deadline = started + settings.WEB_SHUTDOWN_GRACE
    try:
        await asyncio.wait_for(
            asyncio.gather(*(drain(deadline) for drain in _drains), return_exceptions=True),
            timeout=max(settings.WEB_SHUTDOWN_GRACE, 0.0),
        )
    except TimeoutError:
        logger.warning("draining: grace of %ss over, closing what is left", settings.WEB_SHUTDOWN_GRACE)
    logger.info("drained in %.1fs; stopping", loop.time() - started)
    previous(signum, None)
