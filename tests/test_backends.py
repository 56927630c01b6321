"""The same research questions get the same answers from every back end: the local build, the
``idmgraph serve`` endpoint, the ``oxigraph`` server from PyPI and Virtuoso Open Source, each a
separate store started on loopback and loaded with the same build (2017 source and the 2018
and 2019 test agendas, so that people recur across events).

Remote stores are reached through SPARQLWrapper with the parameters bound by VALUES; the local
build through Oxigraph's substitutions. Virtuoso is the strict one: it lets no parameter reach a
nested OPTIONAL, orders literals of different languages its own way and joins GROUP_CONCAT items
in its own order, which is why the queries are written the way their comments say.
"""

from __future__ import annotations

import pytest

from idmgraph.cli import main
from idmgraph.network import read_network_data, two_mode_graph
from idmgraph.query import list_queries, run_query
from idmgraph.remote import RemoteStore, select_rows
from stores import Virtuoso, idmgraph_serving, oxigraph_serving

# every research query, every kind of parameter, both label languages, broader themes; each case
# has rows in the build (checked below), so "the same answer" is never two empty tables
CASES = [
    ("who-spoke-on-theme", {"theme": "cooperation-and-follow-up"}),
    ("who-spoke-on-theme", {"theme": "SDG 10", "broader": "true", "lang": "fr"}),
    ("who-spoke-on-theme", {"theme": "GCM", "broader": "true"}),
    ("who-spoke-on-theme", {"theme": "10.7"}),
    ("who-spoke-on-theme", {"theme": "GCM 23", "direct": "false"}),
    ("who-spoke-on-theme", {"theme": "whole-of-society", "scope": "event", "direct": "true"}),
    ("session-speakers", {}),
    ("session-speakers", {"lang": "fr"}),
    ("states-by-theme", {"theme": "GCM", "lang": "fr"}),
    ("states-by-theme", {"theme": "10.7", "broader": "true"}),
    ("states-by-theme", {"theme": "10.7", "direct": "true"}),
    ("states-by-theme", {}),
    ("theme-cooccurrence", {}),
    ("theme-cooccurrence", {"lang": "fr"}),
    ("organizations-by-type", {"type": "un-system"}),
    ("organizations-by-type", {"lang": "fr"}),
    ("people-at-several-events", {}),
    ("series-participants", {"series": "idm"}),
    ("people-by-state", {"state": "Mexique", "lang": "fr"}),
    ("people-by-state", {}),
    ("person-participations", {"person": "William Lacy Swing"}),
    ("person-participations", {"person": "Jürg Lauber", "lang": "fr"}),
    ("sdg-coverage", {}),
    ("sdg-coverage", {"lang": "fr"}),
    ("sdg-coverage", {"broader": "true", "scope": "event"}),
    ("themes-of-person", {"person": "Jürg Lauber", "lang": "fr"}),
    ("themes-of-person", {"person": "Laura Thompson", "direct": "true", "broader": "true"}),
    ("actor-types-by-event", {}),
    ("states-over-time", {"lang": "fr"}),
    ("theme-share-by-year", {}),
    ("theme-share-by-year", {"direct": "true", "broader": "true"}),
    ("participation-by-region", {}),
    ("participation-by-region", {"by": "group", "lang": "fr"}),
    ("participation-by-region", {"by": "subregion"}),
    ("representation-level", {}),
    ("representation-level", {"per": "event", "lang": "fr"}),
    ("representation-level", {"per": "session", "level": "minister"}),
    ("representation-level", {"state": "Canada"}),
    ("actor-types-by-theme", {}),
    ("actor-types-by-theme", {"theme": "whole-of-society", "lang": "fr"}),
]
CASE_IDS = [f"{name}[{','.join(f'{k}={v}' for k, v in params.items())}]" for name, params in CASES]
PROVENANCE = "https://w3id.org/idmgraph/graph/provenance"
OUR_GRAPHS = (
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
    'FILTER (STRSTARTS(STR(?g), "https://w3id.org/idmgraph/")) } GROUP BY ?g ORDER BY STR(?g)'
)


def _loaded_virtuoso(build, folder, **options):
    """Virtuoso loaded by ``idmgraph push`` through its Graph Store endpoint (Digest login);
    Virtuoso keeps no default graph, so the build's goes to a named graph."""
    server = Virtuoso(folder, **options)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("IDMGRAPH_STORE_PASSWORD", server.password)
            args = ["push", "--store", server.store, "--build", str(build.out_dir), "--user", server.user]
            assert main([*args, "--default-graph", PROVENANCE]) == 0
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture(scope="module")
def virtuoso(build_all, tmp_path_factory):
    server = _loaded_virtuoso(build_all, tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def endpoints(build_all, store_all, virtuoso, tmp_path_factory):
    with (
        idmgraph_serving(store_all) as serve,
        oxigraph_serving(build_all.files["idm.trig"], tmp_path_factory.mktemp("oxigraph")) as oxigraph,
    ):
        yield {"idmgraph-serve": f"{serve}/sparql", "oxigraph": oxigraph, "virtuoso": virtuoso.sparql}


def test_the_cases_cover_every_research_query():
    assert {name for name, _ in CASES} == {q.name for q in list_queries()}


@pytest.fixture(scope="module")
def local_answers(store_all):
    answers = {}
    for case_id, (name, params) in zip(CASE_IDS, CASES):
        frame = run_query(name, params, store=store_all)
        assert len(frame) > 0, f"{case_id} has no rows in the build: a useless comparison"
        answers[case_id] = frame.to_dict("records")
    return answers


@pytest.mark.parametrize("backend", ["idmgraph-serve", "oxigraph", "virtuoso"])
@pytest.mark.parametrize("case", range(len(CASES)), ids=CASE_IDS)
def test_research_query_answers_the_same_on_every_backend(backend, case, endpoints, local_answers):
    name, params = CASES[case]
    there = run_query(name, params, store=RemoteStore(endpoints[backend], timeout=30))
    assert there.to_dict("records") == local_answers[CASE_IDS[case]]


@pytest.mark.parametrize("backend", ["idmgraph-serve", "oxigraph", "virtuoso"])
def test_network_data_is_the_same_on_every_backend(backend, endpoints, store_all):
    local = read_network_data(store=store_all)
    remote = read_network_data(endpoint=endpoints[backend])
    g_local, g_remote = two_mode_graph(local), two_mode_graph(remote)
    assert sorted(g_remote.nodes) == sorted(g_local.nodes)
    assert sorted(g_remote.edges) == sorted(g_local.edges)
    assert {n: d.get("label") for n, d in g_remote.nodes(data=True)} == {
        n: d.get("label") for n, d in g_local.nodes(data=True)
    }


def test_virtuoso_holds_every_graph_of_the_build(virtuoso, build_all, store_all):
    local = select_rows(OUR_GRAPHS, store=store_all)
    default = select_rows("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", store=store_all)
    named_total = int(default[0]["n"])
    remote = select_rows(OUR_GRAPHS, endpoint=virtuoso.sparql)
    # the build's default graph arrives as the provenance graph; the named graphs as they are
    provenance = [r for r in remote if r["g"] == PROVENANCE]
    assert [r for r in remote if r["g"] != PROVENANCE] == local and len(local) >= 20
    union = select_rows("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", store=store_all)
    assert int(provenance[0]["n"]) == int(union[0]["n"]) - named_total > 0


def test_pushing_again_replaces_rather_than_doubles(virtuoso, build_all, monkeypatch):
    before = select_rows(OUR_GRAPHS, endpoint=virtuoso.sparql)
    monkeypatch.setenv("IDMGRAPH_STORE_PASSWORD", virtuoso.password)
    args = ["push", "--store", virtuoso.store, "--build", str(build_all.out_dir), "--user", virtuoso.user]
    assert main([*args, "--default-graph", PROVENANCE]) == 0
    assert select_rows(OUR_GRAPHS, endpoint=virtuoso.sparql) == before


def test_push_to_virtuoso_says_what_is_missing(virtuoso, build_all, monkeypatch, capsys):
    base = ["push", "--store", virtuoso.store, "--build", str(build_all.out_dir)]
    # no login: Virtuoso's writable endpoint asks for one
    assert main(base) == 2
    assert "asks for a login: give --user" in capsys.readouterr().err
    monkeypatch.setenv("IDMGRAPH_STORE_PASSWORD", "not-the-password")
    assert main([*base, "--user", virtuoso.user]) == 2
    assert "refused the login of user 'dba'" in capsys.readouterr().err
    # logged in, but no graph named for the default graph: refused before anything is replaced
    monkeypatch.setenv("IDMGRAPH_STORE_PASSWORD", virtuoso.password)
    before = select_rows(OUR_GRAPHS, endpoint=virtuoso.sparql)
    assert main([*base, "--user", virtuoso.user]) == 2
    assert "give --default-graph IRI" in capsys.readouterr().err
    assert select_rows(OUR_GRAPHS, endpoint=virtuoso.sparql) == before
    assert main([*base, "--user", virtuoso.user, "--default-graph", "not an iri"]) == 2
    assert "is not an IRI" in capsys.readouterr().err


def test_analyze_against_virtuoso_reads_the_same_network(virtuoso, build_all, tmp_path, capsys):
    assert main(["analyze", "--build", str(build_all.out_dir), "--out", str(tmp_path / "here")]) == 0
    here = capsys.readouterr().out
    assert main(["analyze", "--endpoint", virtuoso.sparql, "--out", str(tmp_path / "there")]) == 0
    there = capsys.readouterr().out
    headline = [line for line in here.splitlines() if "people," in line and "sessions" in line]
    assert headline and headline[0] in there
    local_csv = sorted(p.name for p in (tmp_path / "here").glob("*.csv"))
    assert local_csv and all(
        (tmp_path / "there" / n).read_text() == (tmp_path / "here" / n).read_text() for n in local_csv
    )


def test_an_answer_virtuoso_may_have_cut_is_refused(build_2017, tmp_path, capsys):
    """Virtuoso cuts answers at ResultSetMaxRows with a 200 and a header; the client refuses
    an answer that reaches the limit instead of passing it on as complete."""
    from idmgraph.remote import TruncatedAnswer

    server = _loaded_virtuoso(build_2017, tmp_path / "virtuoso", max_rows=10)
    try:
        remote = RemoteStore(server.sparql, timeout=30)
        with pytest.raises(TruncatedAnswer, match="row limit"):
            run_query("session-speakers", {}, store=remote)  # 37 rows
        assert run_query("people-by-state", {"state": "CHE"}, store=remote)["name"].tolist() == [
            "Jürg Lauber"
        ]
        assert main(["query", "session-speakers", "--endpoint", server.sparql]) == 2
        assert "X-SPARQL-MaxRows" in capsys.readouterr().err
    finally:
        server.stop()
