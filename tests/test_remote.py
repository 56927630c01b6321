"""The networks and views read from a remote SPARQL 1.1 endpoint: the oxigraph server from PyPI,
started on loopback, serving the built graph. Same answers as the local build."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from idmgraph.cli import main
from idmgraph.network import read_network_data, two_mode_graph
from idmgraph.remote import select_rows

OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def _start_oxigraph(*args: str) -> tuple[subprocess.Popen, int]:
    """Start the oxigraph server on a free loopback port; return it once it answers."""
    port = _free_port()
    proc = subprocess.Popen(
        [str(OXIGRAPH), *args, "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return proc, port
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("oxigraph server did not start")
            time.sleep(0.2)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(build_2017, tmp_path_factory):
    if not OXIGRAPH.exists():
        pytest.skip("the oxigraph server (PyPI package oxigraph) is not installed")
    location = tmp_path_factory.mktemp("oxigraph")
    subprocess.run(
        [str(OXIGRAPH), "load", "--location", str(location), "--file", str(build_2017.files["idm.trig"])],
        check=True,
        capture_output=True,
        timeout=120,
    )
    proc, port = _start_oxigraph("serve-read-only", "--location", str(location), "--union-default-graph")
    url = f"http://127.0.0.1:{port}/query"
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_rows_from_the_endpoint_equal_local_rows(endpoint, store_2017):
    q = "SELECT ?s ?o WHERE { ?s <http://purl.org/dc/terms/subject> ?o } ORDER BY ?s ?o"
    assert select_rows(q, endpoint=endpoint) == select_rows(q, store=store_2017)


def test_network_from_the_endpoint(endpoint, store_2017):
    remote = two_mode_graph(read_network_data(endpoint=endpoint))
    local = two_mode_graph(read_network_data(store=store_2017))
    assert sorted(remote.nodes) == sorted(local.nodes)
    assert sorted(remote.edges) == sorted(local.edges)


def test_analyze_and_viz_with_endpoint(endpoint, tmp_path, capsys):
    assert main(["analyze", "--endpoint", endpoint, "--out", str(tmp_path / "analysis")]) == 0
    assert "35 people, 8 sessions, 74 co-panel ties in 6 components" in capsys.readouterr().out
    assert main(["viz", "--endpoint", endpoint, "--out", str(tmp_path / "views")]) == 0
    assert (tmp_path / "views" / "co-panel.html").exists()


def test_named_queries_and_sparql_on_the_endpoint(endpoint, store_2017, capsys):
    from idmgraph.query import QueryError, run_query
    from idmgraph.remote import RemoteStore

    remote = RemoteStore(endpoint)
    for name, params in [
        ("who-spoke-on-theme", {"theme": "whole-of-society"}),
        ("people-by-state", {"state": "Mexique", "lang": "fr"}),
        ("person-participations", {"person": "William Lacy Swing"}),
        ("sdg-coverage", {}),
    ]:
        here = run_query(name, params, store=store_2017)
        there = run_query(name, params, store=remote)
        assert there.to_dict("records") == here.to_dict("records"), name
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
    if not OXIGRAPH.exists():
        pytest.skip("the oxigraph server (PyPI package oxigraph) is not installed")
    proc, port = _start_oxigraph("serve", "--location", str(tmp_path / "db"))
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
