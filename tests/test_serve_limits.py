"""The endpoint on a public address (issue 11, points 2, 4, 5 and 6): bounded bodies, queries,
memory and queues; a fair share per client; pages that answer while queries are busy; one
immutable build for the life of the server; a deadline for request headers."""

import contextlib
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest
from starlette.testclient import TestClient

from conftest import ROOT, SOURCES
from idmgraph.serve import create_app
from idmgraph.serve.protocol import ProtocolError
from idmgraph.serve.workers import QueryPool
from stores import free_port, start_idmgraph_serve

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
JSON = "application/sparql-results+json"
# each BIND doubles the string: 10 bytes times 2^34, far past any worker's memory
HUNGRY = (
    'SELECT ?x WHERE { BIND("aaaaaaaaaa" AS ?a0) '
    + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(34))
    + " BIND(STRLEN(?a34) AS ?x) }"
)


def test_bodies_and_queries_past_their_size_are_413(store_2017):
    c = TestClient(create_app(store_2017))
    r = c.post(
        "/sparql", content=b"x" * (2 * 1024 * 1024), headers={"Content-Type": "application/sparql-query"}
    )
    assert r.status_code == 413
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 300_000
    r = c.post("/sparql", content=big.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413 and "query passes" in r.text


def test_a_query_past_the_worker_memory_fails_fast_and_the_worker_is_replaced(build_2017):
    pool = QueryPool(build_2017.out_dir / "idm.trig", size=1, timeout_s=60, memory_mb=1024)
    try:
        started = time.monotonic()
        with pytest.raises(ProtocolError) as error:
            pool.run({"query": HUNGRY, "accept": JSON})
        assert error.value.status == 500 and "memory" in error.value.message
        assert time.monotonic() - started < 45  # killed by its limit, not by the timeout
        assert b"true" in pool.run({"query": "ASK { ?s ?p ?o }", "accept": JSON})[1]
    finally:
        pool.close()


def test_a_full_queue_is_answered_at_once(build_2017):
    pool = QueryPool(build_2017.out_dir / "idm.trig", size=1, timeout_s=6, max_waiting=1)
    try:
        busy = threading.Thread(
            target=lambda: pytest.raises(ProtocolError, pool.run, {"query": SLOW, "accept": JSON})
        )
        busy.start()
        time.sleep(0.5)
        waiting = threading.Thread(
            target=lambda: pytest.raises(ProtocolError, pool.run, {"query": SLOW, "accept": JSON})
        )
        waiting.start()
        time.sleep(0.5)
        started = time.monotonic()
        with pytest.raises(ProtocolError) as error:
            pool.run({"query": "ASK { ?s ?p ?o }", "accept": JSON})
        assert error.value.status == 503 and "queue is full" in error.value.message
        assert error.value.headers["Retry-After"] and time.monotonic() - started < 0.5
        busy.join()
        waiting.join()
    finally:
        pool.close()


def test_turns_go_to_the_client_that_had_fewest():
    """One worker; client A holds it and queues two more; B queues after them: when A's query
    ends, B's runs before A's others. A client alone uses every slot."""
    import anyio

    from idmgraph.serve.fair import FairTurns

    order = []

    async def scenario():
        turns = FairTurns(slots=1, wait_s=5)
        first_done = anyio.Event()

        async def query(client, name, hold=None):
            async with turns.turn(client):
                order.append(name)
                if hold is not None:
                    await hold.wait()

        async with anyio.create_task_group() as tg:
            tg.start_soon(query, "A", "A1", first_done)
            await anyio.sleep(0.05)
            tg.start_soon(query, "A", "A2")
            tg.start_soon(query, "A", "A3")
            await anyio.sleep(0.05)
            tg.start_soon(query, "B", "B1")
            await anyio.sleep(0.05)
            assert turns.waiting("A") == 2 and turns.waiting("B") == 1
            first_done.set()
        alone = FairTurns(slots=2, wait_s=0.2)
        async with alone.turn("A"), alone.turn("A"):
            assert alone.busy == 2
        assert alone.busy == 0 and alone.waiting() == 0

    anyio.run(scenario)
    assert order == ["A1", "B1", "A2", "A3"]


def test_a_client_past_its_waiting_share_is_answered_at_once():
    import anyio

    from idmgraph.serve.fair import FairTurns

    async def scenario():
        turns = FairTurns(slots=1, wait_s=5, per_client=2)
        hold = anyio.Event()

        async def query(client):
            async with turns.turn(client):
                await hold.wait()

        async with anyio.create_task_group() as tg:
            for _ in range(3):  # one runs, two wait
                tg.start_soon(query, "A")
            await anyio.sleep(0.05)
            started = time.monotonic()
            with pytest.raises(ProtocolError) as error:
                async with turns.turn("A"):
                    pass
            assert error.value.status == 503 and "Retry-After" in error.value.headers
            assert time.monotonic() - started < 0.2
            hold.set()
        assert turns.busy == 0 and turns.waiting() == 0

    anyio.run(scenario)


def test_pages_answer_while_every_worker_is_busy(build_2017, store_2017):
    pool = QueryPool(build_2017.out_dir / "idm.trig", size=1, timeout_s=6)
    try:
        c = TestClient(create_app(store_2017, pool=pool))
        slow = threading.Thread(target=lambda: c.get("/sparql", params={"query": SLOW}))
        slow.start()
        time.sleep(0.8)
        started = time.monotonic()
        page = c.get("/id/person/laura-thompson", headers={"Accept": "text/html"})
        assert page.status_code == 200 and time.monotonic() - started < 2
        slow.join()
    finally:
        pool.close()


@pytest.fixture()
def served(tmp_path):
    """``idmgraph serve`` on a build of its own, in a process of its own."""
    out = tmp_path / "build"
    subprocess.run([sys.executable, "-m", "idmgraph.cli", "build", str(SOURCES), "--out", str(out)], check=True,
                   capture_output=True)  # fmt: skip
    server, url = start_idmgraph_serve("--build", str(out), "--workers", "1", "--timeout-s", "2")
    yield url, out, server
    server.terminate()
    server.wait(timeout=10)


def test_the_server_keeps_serving_its_build_when_the_folder_changes(served):
    import shutil

    url, out, _ = served
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = httpx.get(url + "/sparql", params={"query": count}, headers={"Accept": JSON}).json()
    shutil.rmtree(out)  # a rebuild in progress, or a folder deleted by hand
    stopped = httpx.get(url + "/sparql", params={"query": SLOW}, timeout=60)
    assert stopped.status_code == 503  # the worker was killed, and a fresh one starts from the server's copy
    after = httpx.get(url + "/sparql", params={"query": count}, headers={"Accept": JSON}, timeout=60).json()
    assert after == before
    page = httpx.get(url + "/id/person/laura-thompson", headers={"Accept": "text/html"})
    assert page.status_code == 200


def _health(url: str) -> dict:
    return httpx.get(url + "/health", timeout=10).json()


def test_sighup_serves_the_new_build_on_every_path_at_once(served):
    """A rebuild into the served folder changes nothing until SIGHUP; then /sparql, the pages and
    /health all answer from the new build (never one from each), and the old build's workers go."""
    import signal

    url, out, server = served
    ask = "ASK { <https://w3id.org/idmgraph/id/person/jane-doe-smith> ?p ?o }"
    page = "/id/person/jane-doe-smith"
    before = _health(url)
    assert before["status"] == "ok" and before["workers"] == {"alive": 1, "size": 1}
    agenda = ROOT / "tests" / "data" / "agendas" / "idm-2018-geneva-en.txt"
    subprocess.run([sys.executable, "-m", "idmgraph.cli", "build", str(agenda), "--out", str(out)], check=True,
                   capture_output=True)  # fmt: skip
    assert (
        httpx.get(url + "/sparql", params={"query": ask}, headers={"Accept": JSON}).json()["boolean"] is False
    )
    assert httpx.get(url + page).status_code == 404  # still the old build, on both paths
    server.send_signal(signal.SIGHUP)
    deadline = time.time() + 60
    while _health(url)["build"] == before["build"]:
        assert time.time() < deadline, "the reload did not happen"
        time.sleep(0.2)
    after = _health(url)
    assert after["quads"] != before["quads"] and after["workers"]["alive"] == 1
    assert (
        httpx.get(url + "/sparql", params={"query": ask}, headers={"Accept": JSON}).json()["boolean"] is True
    )
    assert httpx.get(url + page, headers={"Accept": "text/html"}).status_code == 200


@contextlib.contextmanager
def _public_server(store):
    """The app under uvicorn with the settings of ``idmgraph serve`` (server_config), in a
    thread; yields its port."""
    import uvicorn

    from idmgraph.serve.server import server_config

    port = free_port()
    server = uvicorn.Server(server_config(create_app(store), "127.0.0.1", port))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_headers_sent_slowly_are_cut_off(monkeypatch, store_2017):
    from idmgraph.serve.server import GuardedH11Protocol

    monkeypatch.setattr(GuardedH11Protocol, "header_timeout_s", 1.0)
    with _public_server(store_2017) as port:
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /void HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        s.settimeout(10)
        started = time.monotonic()
        assert s.recv(100) == b""  # closed
        assert time.monotonic() - started < 3
        # a whole request on time is answered, and its kept-alive connection gets a new deadline
        r = httpx.get(f"http://127.0.0.1:{port}/void")
        assert r.status_code == 200


def test_a_url_past_the_limit_gets_414_not_a_reset(store_2017):
    with _public_server(store_2017) as port:
        s = socket.create_connection(("127.0.0.1", port))
        s.settimeout(10)
        # httpx will not send such a URL: written by hand; the server may answer and close
        # before the whole line is sent
        with contextlib.suppress(OSError):
            s.sendall(b"GET /sparql?query=" + b"a" * 1_000_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = b""
        with contextlib.suppress(ConnectionResetError):  # the rest of the line was never read
            while chunk := s.recv(4096):
                answer += chunk
        s.close()
        assert answer.startswith(b"HTTP/1.1 414") and b"POST the query" in answer
        assert httpx.get(f"http://127.0.0.1:{port}/void").status_code == 200
