"""The networks and views read from a remote SPARQL 1.1 endpoint: the oxigraph server from PyPI,
started on loopback, serving the built graph. Same answers as the local build."""

import time

import pytest

from idmgraph.cli import main
from idmgraph.remote import select_rows
from stores import oxigraph_serving, start_oxigraph


@pytest.fixture(scope="module")
def endpoint(build_2017, tmp_path_factory):
    with oxigraph_serving(build_2017.files["idm.trig"], tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


def test_rows_from_the_endpoint_equal_local_rows(endpoint, store_2017):
    q = "SELECT ?s ?o WHERE { ?s <http://purl.org/dc/terms/subject> ?o } ORDER BY ?s ?o"
    assert select_rows(q, endpoint=endpoint) == select_rows(q, store=store_2017)


def test_analyze_and_viz_with_endpoint(endpoint, tmp_path, capsys):
    assert main(["analyze", "--endpoint", endpoint, "--out", str(tmp_path / "analysis")]) == 0
    assert "35 people, 8 sessions, 74 co-panel ties in 6 components" in capsys.readouterr().out
    assert main(["viz", "--endpoint", endpoint, "--out", str(tmp_path / "views")]) == 0
    assert (tmp_path / "views" / "co-panel.html").exists()


def test_named_queries_and_sparql_on_the_endpoint(endpoint, store_2017, capsys):
    from idmgraph.query import QueryError, run_query
    from idmgraph.remote import RemoteStore

    remote = RemoteStore(endpoint)
    # the answers of every research query on every back end: test_backends.py
    with pytest.raises(QueryError, match="no person"):
        run_query("person-participations", {"person": '} DROP ALL { "'}, store=remote)
    assert (
        main(["query", "people-by-state", "--param", "state=CHE", "--endpoint", endpoint, "--format", "csv"])
        == 0
    )
    assert "Jürg Lauber" in capsys.readouterr().out
    assert (
        main(
            [
                "sparql",
                "SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://w3id.org/idmgraph/ontology#Participation> }",
                "--endpoint",
                endpoint,
                "--format",
                "csv",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.split() == ["n", "37"]


def test_push_into_a_writable_oxigraph_keeps_every_named_graph(build_2017, store_2017, tmp_path):
    proc, port = start_oxigraph("serve", "--location", str(tmp_path / "db"))
    try:
        assert (
            main(["push", "--store", f"http://127.0.0.1:{port}/store", "--build", str(build_2017.out_dir)])
            == 0
        )
        q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        remote = select_rows(q, endpoint=f"http://127.0.0.1:{port}/query")
        local = select_rows(q, store=store_2017)
        assert remote == local and len(local) >= 6
        # pushing again replaces, not duplicates
        assert (
            main(["push", "--store", f"http://127.0.0.1:{port}/store", "--build", str(build_2017.out_dir)])
            == 0
        )
        assert select_rows(q, endpoint=f"http://127.0.0.1:{port}/query") == local
        assert (
            main(
                [
                    "push",
                    "--store",
                    f"http://127.0.0.1:{port}/nothing-here",
                    "--build",
                    str(build_2017.out_dir),
                ]
            )
            == 2
        )
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class _Loopback:
    """A fake endpoint on a free loopback port, serving a handler class in a thread."""

    def start(self, handler) -> None:
        import http.server
        import threading

        handler.log_message = lambda *args: None
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


class _Flaky(_Loopback):
    """A loopback HTTP server that answers with the statuses it is given, in turn, then with
    one SPARQL JSON row; it records what each request looked like."""

    def __init__(self, statuses: list[tuple[int, str | None]]):
        import http.server

        self.statuses, self.seen = list(statuses), []
        flaky = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                flaky.seen.append((self.command, dict(self.headers), body.decode(), time.monotonic()))
                if flaky.statuses:
                    status, retry_after = flaky.statuses.pop(0)
                    self.send_response(status)
                    if retry_after is not None:
                        self.send_header("Retry-After", retry_after)
                    self.end_headers()
                    return
                payload = (
                    b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"1"}}]}}'
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.start(Handler)


def test_the_client_retries_429_and_503_as_retry_after_says():
    from idmgraph.remote import USER_AGENT, RemoteError, endpoint_rows

    flaky = _Flaky([(503, "1"), (429, "2")])
    try:
        long_query = "SELECT ?n WHERE { ?s ?p ?n } # " + "x" * 10_000
        assert endpoint_rows(flaky.url, long_query) == [{"n": "1"}]
        times = [t for *_, t in flaky.seen]
        assert len(flaky.seen) == 3
        assert times[1] - times[0] >= 0.95 and times[2] - times[1] >= 1.95  # waited as told
        for method, headers, body, _ in flaky.seen:
            # a long query goes in a POST body, as a form every store accepts, with our name
            assert method == "POST" and headers["Content-Type"].startswith(
                "application/x-www-form-urlencoded"
            )
            assert headers["User-Agent"] == USER_AGENT and body.startswith("query=")
    finally:
        flaky.close()
    # an error that is not "busy" is not retried; a store that stays busy is given up on
    flaky = _Flaky([(400, None)])
    try:
        with pytest.raises(RemoteError, match="answered 400"):
            endpoint_rows(flaky.url, "SELECT * WHERE { ?s ?p ?o }")
        assert len(flaky.seen) == 1
    finally:
        flaky.close()
    flaky = _Flaky([(503, "0")] * 5)
    try:
        with pytest.raises(RemoteError, match="answered 503"):
            endpoint_rows(flaky.url, "SELECT * WHERE { ?s ?p ?o }", retries=2)
        assert len(flaky.seen) == 3
    finally:
        flaky.close()


class _Hostile(_Loopback):
    """A loopback server that drips its answer, sends too much, redirects or answers garbage."""

    def __init__(self, mode: str):
        import http.server

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if mode == "redirect":
                    self.send_response(302)
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.end_headers()
                try:
                    if mode == "drip":
                        for _ in range(100):
                            self.wfile.write(b" ")
                            self.wfile.flush()
                            time.sleep(0.1)
                    elif mode == "huge":
                        chunk = b" " * 65536
                        for _ in range(200):  # 13 MB
                            self.wfile.write(chunk)
                    else:
                        self.wfile.write(b"<html>not json</html>")
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.start(Handler)


@pytest.mark.parametrize(
    "mode, kwargs, message",
    [
        ("drip", {"timeout": 1.0}, "no complete answer within 1 s"),
        ("huge", {"max_bytes": 1_000_000}, "passed 1,000,000 bytes"),
        ("redirect", {}, "redirected the query to http://127.0.0.1:9/elsewhere"),
        ("garbage", {}, "not SPARQL JSON results"),
    ],
)
def test_a_hostile_endpoint_ends_in_an_error_not_a_hang(mode, kwargs, message):
    from idmgraph.remote import RemoteError, _endpoint_json

    hostile = _Hostile(mode)
    try:
        started = time.monotonic()
        with pytest.raises(RemoteError, match=message):
            _endpoint_json(hostile.url, "SELECT * WHERE { ?s ?p ?o }", **kwargs)
        assert time.monotonic() - started < 8
    finally:
        hostile.close()


def test_a_refused_connection_is_exit_2(capsys):
    from idmgraph.cli import main

    assert main(["query", "session-speakers", "--endpoint", "http://127.0.0.1:9/sparql"]) == 2
    assert "Traceback" not in capsys.readouterr().err
