"""The endpoint as an operator runs it (issue 11, point 2 and "operable"): answers capped in
triples and bytes, large answers streamed from a file, caching by the build's digest, gzip,
/health, an access log with request ids, a quiet stop."""

import json
import logging
import os
import signal
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from idmgraph.serve import create_app
from idmgraph.serve.workers import QueryPool, Spooled
from stores import start_idmgraph_serve

JSON = "application/sparql-results+json"
EVERYTHING = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def test_construct_and_describe_past_max_rows_are_refused(store_2017):
    c = TestClient(create_app(store_2017, max_rows=50))
    r = c.get("/sparql", params={"query": EVERYTHING}, headers={"Accept": "text/turtle"})
    assert r.status_code == 422 and "more than 50 triples" in r.text
    r = c.get("/sparql", params={"query": "DESCRIBE ?s WHERE { ?s a ?t }"}, headers={"Accept": "text/turtle"})
    assert r.status_code == 422
    small = c.get("/sparql", params={"query": EVERYTHING + " LIMIT 50"}, headers={"Accept": "text/turtle"})
    assert small.status_code == 200
    assert len(ox.parse(small.content, format=ox.RdfFormat.TURTLE).__iter__().__next__().subject.value) > 0


def test_an_answer_past_max_bytes_is_refused(store_2017):
    c = TestClient(create_app(store_2017, max_bytes=10_000))
    r = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": JSON})
    assert r.status_code == 422 and "MB" in r.text
    assert c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": JSON}).status_code == 200


def test_large_answers_stream_from_a_file_that_is_gone_afterwards(build_2017, store_2017):
    pool = QueryPool(build_2017.out_dir / "idm.trig", size=1, timeout_s=30)
    try:
        media, answer = pool.run({"query": EVERYTHING, "accept": "application/n-triples"})
        assert isinstance(answer, Spooled) and answer.size > 256 * 1024
        answer.discard()
        c = TestClient(create_app(store_2017, pool=pool))
        with c.stream(
            "GET",
            "/sparql",
            params={"query": EVERYTHING},
            headers={"Accept": "application/n-triples", "Accept-Encoding": "identity"},
        ) as r:
            assert r.status_code == 200 and int(r.headers["content-length"]) > 256 * 1024
            body = b"".join(r.iter_bytes())
        direct = store_2017.query(EVERYTHING, use_default_graph_as_union=True)
        assert len(body.splitlines()) == len(list(direct))
        assert not list(Path(pool.spool).iterdir())  # nothing left on disk
    finally:
        pool.close()


def test_etag_from_the_build_and_304(store_2017):
    c = TestClient(create_app(store_2017, digest="abc"))
    url, params = "/sparql", {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    first = c.get(url, params=params, headers={"Accept": JSON})
    tag = first.headers["etag"]
    assert first.status_code == 200 and "max-age" in first.headers["cache-control"]
    again = c.get(url, params=params, headers={"Accept": JSON, "If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    other = c.get(url, params=params, headers={"Accept": "text/csv", "If-None-Match": tag})
    assert other.status_code == 200 and other.headers["etag"] != tag  # another representation
    # another build: the same request has another tag
    c2 = TestClient(create_app(store_2017, digest="def"))
    assert c2.get(url, params=params, headers={"Accept": JSON}).headers["etag"] != tag
    # errors and POSTs are not cached
    bad = c.get(url, params={"query": "SELECT WHERE {"})
    assert bad.status_code == 400 and bad.headers["cache-control"] == "no-store" and "etag" not in bad.headers
    assert "etag" not in c.post(url, data=params).headers
    assert c.get("/health").headers["cache-control"] == "no-store"


def test_gzip_for_large_answers(store_2017):
    c = TestClient(create_app(store_2017))
    r = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
              headers={"Accept": JSON, "Accept-Encoding": "gzip"})  # fmt: skip
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    assert len(r.json()["results"]["bindings"]) == len(store_2017)


def test_health_says_the_build_and_the_workers(build_2017, store_2017):
    pool = QueryPool(build_2017.out_dir / "idm.trig", size=2, timeout_s=30)
    try:
        c = TestClient(create_app(store_2017, pool=pool, digest="0123abcd"))
        h = c.get("/health").json()
        assert h["status"] == "ok" and h["build"] == "0123abcd" and h["quads"] == len(store_2017)
        assert h["workers"] == {"alive": 2, "size": 2}
        for pid in pool.pids():
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.3)
        dead = c.get("/health")
        assert dead.status_code == 503 and dead.json()["workers"]["alive"] == 0
        # the next query brings the workers back
        assert c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code in (200, 500)
        assert c.get("/health").json()["workers"]["alive"] >= 1
    finally:
        pool.close()


def test_access_log_has_request_id_status_and_query_hash(store_2017, caplog):
    c = TestClient(create_app(store_2017, log_format="json"))
    query = "ASK { ?s ?p ?o }"
    with caplog.at_level(logging.INFO, logger="idmgraph.access"):
        r = c.get("/sparql", params={"query": query})
        c.get("/id/person/nobody-at-all")
    lines = [json.loads(rec.getMessage()) for rec in caplog.records if rec.name == "idmgraph.access"]
    ask, missing = lines
    assert ask["id"] == r.headers["x-request-id"] and ask["status"] == 200 and ask["path"] == "/sparql"
    assert len(ask["query"]) == 16 and query not in json.dumps(ask)  # a hash, never the text
    assert ask["bytes"] == len(r.content) and ask["ms"] >= 0
    assert missing["status"] == 404 and "query" not in missing


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_server_stops_quietly(build_2017, stop):
    server, _ = start_idmgraph_serve("--build", str(build_2017.out_dir))
    server.send_signal(stop)
    out, err = server.communicate(timeout=30)
    assert "Traceback" not in err.decode(), err.decode()[-2000:]
    assert server.returncode in (0, 130, -stop)


def test_dumps_are_the_whole_dataset_and_listed_in_void(store_2017):
    import gzip

    c = TestClient(create_app(store_2017))
    for name, fmt in (("idm.trig.gz", ox.RdfFormat.TRIG), ("idm.nq.gz", ox.RdfFormat.N_QUADS)):
        r = c.get(f"/dumps/{name}")
        assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
        quads = set(ox.parse(gzip.decompress(r.content), format=fmt))
        assert quads == set(store_2017)  # every quad, in its graph
        if fmt == ox.RdfFormat.TRIG:
            assert b"@prefix idm: <https://w3id.org/idmgraph/ontology#>" in gzip.decompress(r.content)
    assert c.get("/dumps/../idm.trig").status_code == 404
    assert c.get("/dumps/secret.gz").status_code == 404
    void = c.get("/void", headers={"Accept": "application/n-triples"})
    assert void.headers["content-type"].startswith("application/n-triples")
    dumps = [t for t in ox.parse(void.content, format=ox.RdfFormat.N_TRIPLES)
             if t.predicate.value == "http://rdfs.org/ns/void#dataDump"]  # fmt: skip
    assert sorted(t.object.value.rsplit("/", 1)[1] for t in dumps) == ["idm.nq.gz", "idm.trig.gz"]


def test_graph_store_is_read_only_and_answers_by_graph(store_2017):
    c = TestClient(create_app(store_2017))
    graph = next(g for g in store_2017.named_graphs() if "/graph/source/" in g.value)
    r = c.get("/data", params={"graph": graph.value}, headers={"Accept": "application/n-triples"})
    got = {q.triple for q in ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES)}
    assert got == {q.triple for q in store_2017.quads_for_pattern(None, None, None, graph)} and got
    default = c.get("/data?default", headers={"Accept": "text/turtle"})
    assert default.status_code == 200 and len(list(ox.parse(default.content, format=ox.RdfFormat.TURTLE))) > 0
    assert c.get("/data", params={"graph": "https://example.org/none"}).status_code == 404
    assert (
        c.get("/data").status_code == 400
        and c.get("/data", params={"graph": "not an iri"}).status_code == 400
    )
    for method in ("put", "post", "delete"):
        assert getattr(c, method)("/data", params={"graph": graph.value}).status_code == 405


def test_service_description_in_every_rdf_format(store_2017):
    c = TestClient(create_app(store_2017))
    for media, fmt in (("text/turtle", ox.RdfFormat.TURTLE), ("application/ld+json", ox.RdfFormat.JSON_LD),
                       ("application/rdf+xml", ox.RdfFormat.RDF_XML), ("application/n-triples", ox.RdfFormat.N_TRIPLES)):  # fmt: skip
        r = c.get("/sparql", headers={"Accept": media})
        assert r.status_code == 200 and r.headers["content-type"].startswith(media)
        kinds = {
            t.object.value for t in ox.parse(r.content, format=fmt) if t.predicate.value.endswith("#type")
        }
        assert "http://www.w3.org/ns/sparql-service-description#Service" in kinds


def test_the_dataset_describes_itself_for_catalogues(store_2017):
    """VoID, DCAT and schema.org Dataset in one description at /void and /.well-known/void: the
    licence, the version, the sources it was read from, the endpoint and the dumps."""
    from idmgraph import __version__

    c = TestClient(create_app(store_2017))
    r = c.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    triples = [q.triple for q in ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES)]
    dataset = next(t.subject for t in triples if t.object.value == "http://www.w3.org/ns/dcat#Dataset")

    def values(p):
        return {t.object.value for t in triples if t.subject == dataset and t.predicate.value == p}

    assert "https://schema.org/Dataset" in values("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert values("http://purl.org/dc/terms/license") == {"https://creativecommons.org/licenses/by/4.0/"}
    assert values("https://schema.org/version") == {__version__}
    assert any("iom.int" in u for u in values("http://purl.org/dc/terms/source"))
    downloads = {
        t.object.value for t in triples if t.predicate.value == "http://www.w3.org/ns/dcat#downloadURL"
    }
    assert {u.rsplit("/", 1)[1] for u in downloads} == {"idm.trig.gz", "idm.nq.gz"}
    for url in downloads:
        assert c.get(url).status_code == 200


def test_the_ontology_says_its_version_and_licence():
    from rdflib import OWL, Graph, URIRef
    from rdflib.namespace import DCTERMS

    from idmgraph import __version__
    from idmgraph.paths import bundled

    g = Graph().parse(bundled("ontology", "idm.ttl"))
    onto = URIRef("https://w3id.org/idmgraph/ontology")
    assert str(g.value(onto, OWL.versionInfo)) == __version__
    assert str(g.value(onto, OWL.versionIRI)).endswith("/" + __version__)
    assert str(g.value(onto, DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/"
    version = g.value(onto, OWL.versionIRI)
    assert str(g.value(version, OWL.versionInfo)) == __version__


@pytest.mark.parametrize("path", ["/id/person/laura-thompson", "/vocab/gcm/objective-23", "/ontology"])
def test_json_ld_is_compact_and_says_the_same_as_n_triples(store_2017, path):
    c = TestClient(create_app(store_2017))
    nt = c.get(path, headers={"Accept": "application/n-triples"})
    assert nt.status_code == 200
    expected = {q.triple for q in ox.parse(nt.content, format=ox.RdfFormat.N_TRIPLES)}
    ld = c.get(path, headers={"Accept": "application/ld+json"})
    doc = json.loads(ld.content)
    assert "foaf" in doc["@context"] or "skos" in doc["@context"] or "owl" in doc["@context"]
    assert any(":" in k and not k.startswith(("@", "http")) for n in doc["@graph"] for k in n)  # compact keys
    assert {q.triple for q in ox.parse(ld.content, format=ox.RdfFormat.JSON_LD)} == expected
    ttl = c.get(path, headers={"Accept": "text/turtle"})
    assert b"@prefix" in ttl.content
    assert {q.triple for q in ox.parse(ttl.content, format=ox.RdfFormat.TURTLE)} == expected
