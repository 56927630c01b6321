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

__all__ = ["QueryPool", "Spooled"]


# answers past this size go from a worker to the client through a file, never whole through
# the server's memory (a client that reads slowly holds a file, not gigabytes)
SPOOL_MIN_BYTES = 256 * 1024


class Spooled:
    """An answer a worker wrote to a file: opened and unlinked at once by ``open``, so the disk
    space goes back when the last reader closes it, whatever happens to the request."""

    def __init__(self, path: str, size: int):
        self.path, self.size = path, size

    def open(self):
        import os

        handle = open(self.path, "rb")  # noqa: SIM115 (the caller closes it)
        os.unlink(self.path)
        return handle

    def discard(self) -> None:
        import os

        with contextlib.suppress(OSError):
            os.unlink(self.path)


def _worker_main(trig: str, conn, memory_mb: int = 0, spool: str | None = None) -> None:
    import signal
    import tempfile

    import pyoxigraph as ox

    from .app import execute

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle, not ours
    if memory_mb:
        import resource

        # past this address space the worker fails (and is replaced), never the machine
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    store = ox.Store()
    store.load(path=trig, format=ox.RdfFormat.N_QUADS if trig.endswith(".nq") else ox.RdfFormat.TRIG)
    conn.send(("ready", None, None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the server has gone: so do we, quietly
            return
        if job is None:
            return
        try:
            media, body = execute(store, **job)
            if spool and len(body) >= SPOOL_MIN_BYTES:
                fd, path = tempfile.mkstemp(dir=spool, suffix=".answer")
                with open(fd, "wb") as out:
                    out.write(body)
                conn.send(("file", media, (path, len(body))))
            else:
                conn.send(("ok", media, body))
        except ProtocolError as exc:
            conn.send(("error", exc.status, exc.message))
        except (EOFError, OSError, BrokenPipeError):
            return
        except Exception as exc:  # a bug must not kill the worker silently: log it, say so
            from .app import _internal

            conn.send(("error", 500, _internal(exc).message))


class _Worker:
    def __init__(self, ctx, trig: str, memory_mb: int = 0, spool: str | None = None):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(trig, child, memory_mb, spool), daemon=True)
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

    def __init__(
        self,
        trig: Path,
        size: int = 2,
        timeout_s: float = 30.0,
        start_timeout_s: float = 120.0,
        memory_mb: int = 0,
        max_waiting: int | None = None,
    ):
        import tempfile

        self.trig, self.timeout_s, self.start_timeout_s = str(trig), timeout_s, start_timeout_s
        self.size, self.memory_mb = size, memory_mb
        self.spool = tempfile.mkdtemp(prefix="idmgraph-answers-")
        # queries that may wait for a worker; past them a request is answered 503 at once
        self.max_waiting = 2 * size if max_waiting is None else max_waiting
        self._waiting = 0
        self._ctx = mp.get_context("spawn")  # never fork a process that runs threads
        self._free: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._missing = 0  # workers that could not be started again: retried, never given up
        self._lock = threading.Lock()
        workers = [_Worker(self._ctx, self.trig, memory_mb, self.spool) for _ in range(size)]
        for w in workers:
            w.wait_ready(start_timeout_s)
            self._all.append(w)
            self._free.put(w)

    def run(self, job: dict, wait_s: float | None = None) -> tuple[str, bytes | Spooled]:
        """Run one query job (keyword arguments of ``execute``) and return (media, answer): the
        answer's bytes, or a ``Spooled`` file for a large one."""
        self._restore()
        with self._lock:
            if self._waiting >= self.max_waiting:
                raise ProtocolError(503, "the query queue is full; try again shortly", {"Retry-After": "5"})
            self._waiting += 1
        try:
            worker = self._free.get(timeout=self.timeout_s if wait_s is None else wait_s)
        except queue.Empty as exc:
            raise ProtocolError(503, "all query workers are busy; try again", {"Retry-After": "5"}) from exc
        finally:
            with self._lock:
                self._waiting -= 1
        try:
            worker.conn.send(job)
            if worker.conn.poll(self.timeout_s):
                kind, a, b = worker.conn.recv()
                self._free.put(worker)
                if kind == "ok":
                    return a, b
                if kind == "file":
                    return a, Spooled(*b)
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
                f"the query engine crashed on this query (worker exit code {code}): it ran out of the "
                "memory a worker may use, or met an engine fault; a fresh worker has taken its place. "
                "ORDER BY over values of mixed kinds (IRIs, numbers, strings, dates) is a known fault: "
                f"order by STR(?x) instead [{ref}]",
            )
        raise ProtocolError(
            503,
            f"the query ran past {self.timeout_s:g} s and was stopped; "
            "narrow it (LIMIT, more constants) or ask for a longer --timeout-s",
        )

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all = [w for w in self._all if w is not worker]
            self._missing += 1
        self._restore()

    def _restore(self) -> None:
        """Start the workers that are missing; one that fails to start is tried again at the next
        query, so the pool never shrinks for good."""
        while True:
            with self._lock:
                if not self._missing:
                    return
                self._missing -= 1
            try:
                fresh = _Worker(self._ctx, self.trig, self.memory_mb, self.spool)
                fresh.wait_ready(self.start_timeout_s)
            except (RuntimeError, OSError):
                import logging

                logging.getLogger("idmgraph.serve").error("a query worker could not start; tried again later")
                with self._lock:
                    self._missing += 1
                return
            with self._lock:
                self._all.append(fresh)
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
        import shutil

        shutil.rmtree(self.spool, ignore_errors=True)

    def alive(self) -> int:
        """Workers running now (a replaced one counts once it has started)."""
        with self._lock:
            return sum(w.process.is_alive() for w in self._all)
