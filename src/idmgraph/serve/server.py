"""Running the endpoint under uvicorn on a public address: a client that sends its request
headers slowly (Slowloris) is cut off, connections are bounded, and the log is not flooded.

uvicorn closes idle keep-alive connections but has no deadline for a request's headers: a
client that sends one header line every few seconds holds its connection forever, and a thousand
of them exhaust the process's file descriptors. ``GuardedH11Protocol`` gives every request
``HEADER_TIMEOUT_S`` seconds to arrive whole.
"""

from __future__ import annotations

import logging
import time

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["GuardedH11Protocol", "HEADER_TIMEOUT_S", "RateLimitedLog", "server_config"]

HEADER_TIMEOUT_S = 10.0


class GuardedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for each request's headers."""

    header_timeout_s = HEADER_TIMEOUT_S
    max_head_bytes = 64 * 1024  # as server_config tells h11

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_timer = None
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_timeout_s, self._too_slow)

    def _disarm(self) -> None:
        timer = getattr(self, "_header_timer", None)
        if timer is not None:
            timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()  # the request never arrived whole

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:
            self._disarm()  # the headers are in

    def send_400_response(self, msg: str) -> None:
        """A request head h11 refused: 414 when it is the request line that is too long (no
        line end within the limit), as HTTP says; 400 otherwise."""
        pending = bytes(getattr(self.conn, "_receive_buffer", b""))
        if len(pending) >= self.max_head_bytes and b"\n" not in pending[: self.max_head_bytes]:
            head = h11.Response(
                status_code=414,
                headers=[(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")],
                reason=b"URI Too Long",
            )
            text = f"the request line passes {self.max_head_bytes:,} bytes: POST the query instead\n"
            for event in (head, h11.Data(data=text.encode("ascii")), h11.EndOfMessage()):
                self.transport.write(self.conn.send(event))
            self.transport.close()
            return
        super().send_400_response(msg)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm()  # the next request on a kept-alive connection gets its own deadline

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)


class RateLimitedLog(logging.Filter):
    """At most one record of the same message a minute (an accept() that fails for want of file
    descriptors is logged at every attempt: 215 MB in 40 s)."""

    def __init__(self, period_s: float = 60.0):
        super().__init__()
        self.period_s, self._last = period_s, {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.msg if isinstance(record.msg, str) else repr(record.msg))
        now = time.monotonic()
        if now - self._last.get(key, -self.period_s) < self.period_s:
            return False
        if len(self._last) > 1000:
            self._last.clear()
        self._last[key] = now
        return True


def server_config(app, host: str, port: int, max_connections: int = 256, log_level: str = "warning"):
    """uvicorn settings for a public address: a header deadline, short keep-alive, a bound on
    concurrent connections (503 past it), a bound on a request's head, a quiet log."""
    import uvicorn

    for name in ("asyncio", "uvicorn.error"):
        logging.getLogger(name).addFilter(RateLimitedLog())
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=GuardedH11Protocol,
        timeout_keep_alive=5,
        limit_concurrency=max_connections,
        h11_max_incomplete_event_size=GuardedH11Protocol.max_head_bytes,  # a longer request head is refused
        log_level=log_level,
        access_log=False,  # idmgraph's own (operate.AccessLog) has the request id and query hash
    )
