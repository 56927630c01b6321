"""Query workers that can be stopped: each worker is a process with its own copy of the store.

pyoxigraph cannot cancel a running query, and a thread cannot be killed, so a query past its
deadline would keep a core busy for as long as it runs. Here each query runs in a worker
process; past the timeout the worker is killed (the query stops with it), the client gets a 503
saying so, and a fresh worker takes its place. Workers are independent, so one slow query holds
one worker and the others keep answering.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import queue
import threading
from pathlib import Path

from .protocol import ProtocolError

__all__ = ["QueryPool"]


def _worker_main(trig: str, conn) -> None:
    import pyoxigraph as ox

    from .app import execute

    store = ox.Store()
    store.load(path=trig, format=ox.RdfFormat.N_QUADS if trig.endswith(".nq") else ox.RdfFormat.TRIG)
    conn.send(("ready", None, None))
    while True:
        job = conn.recv()
        if job is None:
            return
        try:
            media, body = execute(store, **job)
            conn.send(("ok", media, body))
        except ProtocolError as exc:
            conn.send(("error", exc.status, exc.message))
        except Exception as exc:  # a bug must not kill the worker silently: log it, say so
            from .app import _internal

            conn.send(("error", 500, _internal(exc).message))


class _Worker:
    def __init__(self, ctx, trig: str):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(trig, child), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> None:
        try:
            ready = self.conn.poll(timeout) and self.conn.recv()[0] == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise RuntimeError(f"query worker did not start (exit code {self.process.exitcode})")

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """A fixed number of query worker processes over the same built graph (``idm.trig``)."""

    def __init__(self, trig: Path, size: int = 2, timeout_s: float = 30.0, start_timeout_s: float = 120.0):
        self.trig, self.timeout_s, self.start_timeout_s = str(trig), timeout_s, start_timeout_s
        self._ctx = mp.get_context("spawn")  # never fork a process that runs threads
        self._free: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        workers = [_Worker(self._ctx, self.trig) for _ in range(size)]
        for w in workers:
            w.wait_ready(start_timeout_s)
            self._all.append(w)
            self._free.put(w)

    def run(self, job: dict, wait_s: float = 60.0) -> tuple[str, bytes]:
        """Run one query job (keyword arguments of ``execute``) and return (media, bytes)."""
        try:
            worker = self._free.get(timeout=wait_s)
        except queue.Empty as exc:
            raise ProtocolError(503, "all query workers are busy; try again", {"Retry-After": "5"}) from exc
        try:
            worker.conn.send(job)
            if worker.conn.poll(self.timeout_s):
                kind, a, b = worker.conn.recv()
                self._free.put(worker)
                if kind == "ok":
                    return a, b
                raise ProtocolError(a, b)
        except (EOFError, OSError, BrokenPipeError):
            pass  # the worker died: told apart from a timeout below
        worker.process.join(timeout=0.5)
        crashed = worker.process.exitcode is not None
        code = worker.process.exitcode
        self._replace(worker)
        if crashed:
            # the engine itself failed (pyoxigraph 0.5.13 aborts on ORDER BY over values of mixed
            # kinds, and overflows on very deep nesting): a 500 that says so, logged, not a timeout
            import logging
            import uuid

            ref = uuid.uuid4().hex[:12]
            logging.getLogger("idmgraph.serve").error("query engine crashed (exit code %s) [%s]", code, ref)
            raise ProtocolError(
                500,
                f"the query engine crashed on this query (worker exit code {code}); a fresh worker has "
                "taken its place. ORDER BY over values of mixed kinds (IRIs, numbers, strings, dates) "
                f"is a known cause: order by STR(?x) instead [{ref}]",
            )
        raise ProtocolError(
            503,
            f"the query ran past {self.timeout_s:g} s and was stopped; "
            "narrow it (LIMIT, more constants) or ask for a longer --timeout-s",
        )

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        fresh = _Worker(self._ctx, self.trig)
        fresh.wait_ready(self.start_timeout_s)
        with self._lock:
            self._all = [w for w in self._all if w is not worker] + [fresh]
        self._free.put(fresh)

    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._all]

    def close(self) -> None:
        with self._lock:
            for w in self._all:
                with contextlib.suppress(OSError):  # a dead worker has no pipe left
                    w.conn.send(None)
                w.kill()
            self._all = []
