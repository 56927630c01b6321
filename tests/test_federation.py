"""No request from a client makes the server fetch anything: SERVICE is refused in every form,
unless the operator allowed that endpoint (``idmgraph serve --allow-service``). A listener on
loopback stands where an internal service would, and counts the connections it receives."""

import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from starlette.testclient import TestClient

from idmgraph.cli import main
from idmgraph.serve import create_app
from idmgraph.serve.federation import check_services, service_endpoints
from idmgraph.serve.protocol import ProtocolError

EMPTY = {"head": {"vars": ["o"]}, "results": {"bindings": [{"o": {"type": "literal", "value": "from afar"}}]}}


@pytest.fixture()
def listener():
    """A server on loopback that answers like a SPARQL endpoint (or fails, on /fail) and counts
    every request it receives."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self):
            hits.append(self.path)
            if self.path.startswith("/fail"):
                body = b"SECRET-INTERNAL-DETAIL of the internal service"
                self.send_response(500)
            else:
                body = json.dumps(EMPTY).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def forms(url: str) -> list[str]:
    """SERVICE written every way a client could write it."""
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/x> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }} }} LIMIT 1",
        f"select * where {{ service<{url}/x>{{?s ?p ?o}} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}/x> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"PREFIX svc: <{url}/> SELECT * WHERE {{ SERVICE svc:x {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}/x> {{ ?s ?p ?o }} }}",
        f"ASK {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }}",
    ]


def test_every_form_of_service_is_refused_and_nothing_is_fetched(store_2017, listener):
    url, hits = listener
    client = TestClient(create_app(store_2017))
    for query in forms(url):
        for send in (
            lambda q: client.get("/sparql", params={"query": q}),
            lambda q: client.post("/sparql", data={"query": q}),
            lambda q: client.post("/sparql", content=q, headers={"Content-Type": "application/sparql-query"}),
        ):
            r = send(query)
            assert r.status_code == 400 and "SERVICE" in r.text and "refused" in r.text, (query, r.text)
    assert hits == []


def test_refused_through_the_worker_processes_too(store_2017, build_2017, listener):
    from idmgraph.serve.workers import QueryPool

    url, hits = listener
    pool = QueryPool(build_2017.out_dir / "idm.trig", size=1, timeout_s=20)
    try:
        client = TestClient(create_app(store_2017, pool=pool))
        r = client.get("/sparql", params={"query": forms(url)[2]})
        assert r.status_code == 400 and "refused" in r.text
        # an ordinary query still answers
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    finally:
        pool.close()
    assert hits == []


def test_the_word_service_elsewhere_is_no_keyword(store_2017):
    client = TestClient(create_app(store_2017))
    for query in (
        'SELECT ("SERVICE <http://127.0.0.1:9/x>" AS ?x) WHERE {}',
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o } # SERVICE <http://127.0.0.1:9/x>",
        "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:p ?o } LIMIT 1",
        "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
    ):
        assert client.get("/sparql", params={"query": query}).status_code == 200, query


def test_an_allowed_endpoint_is_queried_and_announced(store_2017, listener):
    url, hits = listener
    client = TestClient(create_app(store_2017, allow_service=(f"{url}/allowed/",)))
    r = client.get(
        "/sparql",
        params={"query": f"SELECT ?o WHERE {{ SERVICE <{url}/allowed/sparql> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200 and "from afar" in r.text and len(hits) == 1
    # another endpoint, a variable, a relative IRI: still refused
    for query in (
        f"SELECT * WHERE {{ SERVICE <{url}/other> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}/allowed/x> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        "SELECT * WHERE { SERVICE <allowed/x> { ?s ?p ?o } }",
    ):
        assert client.get("/sparql", params={"query": query}).status_code == 400
    assert len(hits) == 1
    description = client.get("/sparql").text
    assert "sd:BasicFederatedQuery" in description
    assert "BasicFederatedQuery" not in TestClient(create_app(store_2017)).get("/sparql").text


def test_what_another_server_said_is_never_echoed(store_2017, listener, caplog):
    url, hits = listener
    client = TestClient(create_app(store_2017, allow_service=(f"{url}/",)))
    r = client.get("/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <{url}/fail> {{ ?s ?p ?o }} }}"})
    assert r.status_code == 500 and hits == ["/fail"]
    assert "SECRET" not in r.text and "error" in r.text and "logged" in r.text
    # logged as text: a record holding the exception would keep its traceback, and pyoxigraph's
    # result with it, alive past the thread that must free it
    logged = [record for record in caplog.records if "query failed" in record.getMessage()]
    assert logged and not any(isinstance(arg, BaseException) for r in logged for arg in r.args)


def test_check_services_directly():
    with pytest.raises(ProtocolError) as err:
        check_services("SELECT * { SERVICE <http://10.0.0.1/sparql> {} }")
    assert err.value.status == 400 and "http://10.0.0.1/sparql" in err.value.message
    check_services(
        "SELECT * { SERVICE <https://query.wikidata.org/sparql> {} }", ("https://query.wikidata.org/",)
    )
    assert service_endpoints("SELECT * { SERVICE <file:///etc/passwd> {} }") == [None]


def test_serve_validates_allowed_prefixes(capsys):
    with contextlib.suppress(SystemExit):
        assert main(["serve", "--allow-service", "not-an-iri", "--port", "1"]) == 2
    assert "--allow-service" in capsys.readouterr().err
