"""The networks and views read from a remote SPARQL 1.1 endpoint: the oxigraph server from PyPI,
started on loopback, serving the built graph. Same answers as the local build."""

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
