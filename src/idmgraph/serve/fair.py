"""Turns at the query workers, shared fairly between clients.

A client alone may use every worker. When several want them, a freed worker goes to the waiting
client that has had the fewest turns since it began asking (first come first served within a
client, and between clients with as many turns), so a client that sends fifty slow queries
delays another client's query by at most the time of the queries already running, not by its
fifty. Waiting is bounded three ways: per client, in all,
and in time; past any of them the request is answered 503 with Retry-After at once.

Runs on the server's event loop (no locks: nothing here awaits between reading and writing).
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict, deque

import anyio

from .protocol import ProtocolError

__all__ = ["FairTurns"]


class FairTurns:
    def __init__(self, slots: int, wait_s: float, per_client: int = 8, in_all: int = 64):
        self.slots, self.wait_s, self.per_client, self.in_all = slots, wait_s, per_client, in_all
        self.busy = 0
        self._waiting: OrderedDict[str, deque[anyio.Event]] = OrderedDict()
        self._turns: dict[str, int] = {}  # turns had, per client running or waiting
        self._running: dict[str, int] = {}

    def waiting(self, client: str | None = None) -> int:
        if client is not None:
            return len(self._waiting.get(client, ()))
        return sum(len(q) for q in self._waiting.values())

    @contextlib.asynccontextmanager
    async def turn(self, client: str):
        await self._acquire(client)
        try:
            yield
        finally:
            self._release(client)

    def _start(self, client: str) -> None:
        self._running[client] = self._running.get(client, 0) + 1
        self._turns[client] = self._turns.get(client, 0) + 1

    async def _acquire(self, client: str) -> None:
        if self.busy < self.slots and not self._waiting:
            self.busy += 1
            self._start(client)
            return
        if self.waiting(client) >= self.per_client:
            raise ProtocolError(
                503, f"this client already has {self.per_client} queries waiting; wait for them",
                {"Retry-After": "2"},
            )  # fmt: skip
        if self.waiting() >= self.in_all:
            raise ProtocolError(503, "the query queue is full; try again shortly", {"Retry-After": "5"})
        granted = anyio.Event()
        self._waiting.setdefault(client, deque()).append(granted)
        try:
            with anyio.move_on_after(self.wait_s):
                await granted.wait()
        except BaseException:  # the client went away while waiting
            self._leave(client, granted)
            raise
        if not granted.is_set():
            self._leave(client, granted)
            raise ProtocolError(
                503, f"no query worker came free within {self.wait_s:g} s; try again", {"Retry-After": "5"}
            )

    def _leave(self, client: str, granted: anyio.Event) -> None:
        if granted.is_set():  # the turn was handed over as we gave up: hand it on
            self._release(client)
            return
        queue = self._waiting.get(client)
        if queue is not None:
            with contextlib.suppress(ValueError):
                queue.remove(granted)
            if not queue:
                del self._waiting[client]
        self._forget(client)

    def _forget(self, client: str) -> None:
        if not self._running.get(client) and client not in self._waiting:
            self._running.pop(client, None)
            self._turns.pop(client, None)

    def _release(self, client: str) -> None:
        self._running[client] -= 1
        self._forget(client)
        if not self._waiting:
            self.busy -= 1
            return
        # the waiting client with the fewest turns so far; the earliest among equals
        chosen = min(self._waiting, key=lambda c: self._turns.get(c, 0))
        queue = self._waiting[chosen]
        granted = queue.popleft()
        if not queue:
            del self._waiting[chosen]
        self._start(chosen)
        granted.set()  # the worker passes straight on: busy stays as it is
