"""Participation networks of the 2017 source, measures on toy graphs with known answers, exports."""

import json

import networkx as nx
import pytest

from idmgraph.network import (
    brokerage_roles,
    centrality_table,
    co_panel_graph,
    communities,
    persistence,
    read_network_data,
    state_graph,
    theme_bridges,
    two_mode_centrality,
    two_mode_graph,
)
from idmgraph.network.export import analyze, clean_for_export, write_analysis


@pytest.fixture(scope="module")
def data(store_2017):
    return read_network_data(store=store_2017)


@pytest.fixture(scope="module")
def two_mode(data):
    return two_mode_graph(data)


def _label(g, n):
    return g.nodes[n]["label"]


def test_swing_and_thompson_have_the_highest_person_degree(two_mode):
    people = {
        _label(two_mode, n): two_mode.degree(n) for n, d in two_mode.nodes(data=True) if d["type"] == "person"
    }
    assert len(people) == 35
    assert {n for n, k in people.items() if k == 2} == {"William Lacy Swing", "Laura Thompson"}
    assert {k for n, k in people.items() if n not in ("William Lacy Swing", "Laura Thompson")} == {1}
    assert sum(1 for _, d in two_mode.nodes(data=True) if d["type"] == "session") == 8


def test_co_panel_projection_has_six_components(two_mode):
    co = co_panel_graph(two_mode)
    comps = [{_label(co, n) for n in c} for c in nx.connected_components(co)]
    assert len(comps) == 6
    swing = next(c for c in comps if "William Lacy Swing" in c)
    assert {"Louise Arbour", "Ahmed Hussen", "Gregory Maniatis"} <= swing and len(
        swing
    ) == 7  # opening + panel 1
    thompson = next(c for c in comps if "Laura Thompson" in c)
    assert {"Peter Thomson", "Amina J. Mohammed", "Jürg Lauber"} <= thompson and len(
        thompson
    ) == 8  # panel 6 + closing
    assert sorted(len(c) for c in comps) == [5, 5, 5, 5, 7, 8]  # panels 2 to 5 each on its own


def test_weightings(two_mode):
    count = co_panel_graph(two_mode, "count")
    newman = co_panel_graph(two_mode, "newman")
    jaccard = co_panel_graph(two_mode, "jaccard")
    swing = "https://w3id.org/idmgraph/id/person/william-lacy-swing"
    arbour = "https://w3id.org/idmgraph/id/person/louise-arbour"
    hussen = "https://w3id.org/idmgraph/id/person/ahmed-hussen"
    assert count[swing][arbour]["weight"] == 1.0
    assert newman[swing][arbour]["weight"] == pytest.approx(1.0)  # opening: 2 people, 1/(2-1)
    assert newman[swing][hussen]["weight"] == pytest.approx(1 / 5)  # panel 1: 6 people, 1/(6-1)
    assert jaccard[swing][arbour]["weight"] == pytest.approx(1 / 2)  # one shared of two sessions
    with pytest.raises(ValueError):
        co_panel_graph(two_mode, "cosine")


def test_thompson_brokers_between_actor_types(two_mode):
    co = co_panel_graph(two_mode)
    roles = brokerage_roles(co, "actor_type")
    thompson = roles["https://w3id.org/idmgraph/id/person/laura-thompson"]
    # she alone joins panel 6 (5 other people) and the closing (2 others): 10 open pairs, each
    # counted both ways; both sides hold people of other types than hers (un-system) too
    assert thompson["total"] == 20
    assert sum(1 for r in roles.values() if r["total"]) == 2


def test_state_network(data):
    g = state_graph(data)
    codes = {d["iso3"] for _, d in g.nodes(data=True)}
    # states spoken for: the Mechelen mayor speaks for no state, so Belgium is not one
    assert len(codes) == 19 and {"MEX", "CHE", "BGD", "USA"} <= codes and "BEL" not in codes
    mex = "https://w3id.org/idmgraph/id/state/MEX"
    che = "https://w3id.org/idmgraph/id/state/CHE"
    can = "https://w3id.org/idmgraph/id/state/CAN"
    # Mexico speaks in panel 1 only: the IMUMI coordinator of panel 6 speaks for no state
    assert g.has_edge(mex, can) and not g.has_edge(mex, che)


# ---- toy graphs with known answers -------------------------------------------------------


def _groups(g, mapping):
    nx.set_node_attributes(g, mapping, "group")
    return g


def test_brokerage_each_role_on_a_toy_directed_graph():
    cases = {
        "coordinator": ("x", "x", "x"),
        "itinerant": ("x", "y", "x"),
        "gatekeeper": ("x", "y", "y"),
        "representative": ("x", "x", "y"),
        "liaison": ("x", "y", "z"),
    }
    for role, (ga, gb, gc) in cases.items():
        g = _groups(nx.DiGraph([("a", "b"), ("b", "c")]), {"a": ga, "b": gb, "c": gc})
        got = brokerage_roles(g, "group")
        assert got["b"][role] == 1 and got["b"]["total"] == 1, role
        assert got["a"]["total"] == got["c"]["total"] == 0


def test_brokerage_closed_triad_brokers_nothing():
    g = _groups(nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")]), {"a": "x", "b": "y", "c": "z"})
    assert brokerage_roles(g, "group")["b"]["total"] == 0


def test_brokerage_undirected_counts_both_directions():
    g = _groups(nx.Graph([("a", "b"), ("b", "c")]), {"a": "x", "b": "x", "c": "y"})
    b = brokerage_roles(g, "group")["b"]
    assert (b["representative"], b["gatekeeper"], b["total"]) == (1, 1, 2)


def test_brokerage_empty_and_single():
    assert brokerage_roles(nx.Graph(), "group") == {}
    g = nx.Graph()
    g.add_node("a", group="x")
    assert brokerage_roles(g, "group")["a"]["total"] == 0


def test_betweenness_reads_strength_not_length():
    # a-b strong (weight 10), b-c strong, a-c weak (weight 1): the strong path a-b-c is "shorter"
    g = nx.Graph()
    g.add_edge("a", "b", weight=10.0)
    g.add_edge("b", "c", weight=10.0)
    g.add_edge("a", "c", weight=1.0)
    rows = {r["node"]: r for r in centrality_table(g)}
    assert rows["b"]["betweenness"] == 1.0


def test_eigenvector_per_component_and_empty_graphs():
    g = nx.Graph([("a", "b"), ("c", "d"), ("d", "e")])
    g.add_node("z")
    rows = {r["node"]: r for r in centrality_table(g)}
    assert rows["z"]["eigenvector"] == 0.0
    assert rows["a"]["eigenvector"] == pytest.approx(rows["b"]["eigenvector"])
    assert rows["d"]["eigenvector"] > rows["c"]["eigenvector"]
    assert (
        centrality_table(nx.Graph()) == []
        and communities(nx.Graph()) == {}
        and two_mode_centrality(nx.Graph()) == []
    )


def test_communities_are_reproducible():
    g = nx.karate_club_graph()
    assert communities(g, seed=7) == communities(g, seed=7)
    shuffled = nx.Graph()
    shuffled.add_nodes_from(sorted(g.nodes, reverse=True))
    shuffled.add_edges_from(g.edges(data=True))
    assert communities(shuffled, seed=7) == communities(g, seed=7)


def test_theme_bridges_and_persistence(store_all):
    b = two_mode_graph(read_network_data(store=store_all))
    bridges = {r["label"]: r["themes"] for r in theme_bridges(b, "person")}
    assert bridges["Laura Thompson"] >= 3
    pers = persistence(b)
    top = {r["label"]: r["events"] for r in pers["people"][:5]}
    assert top["Laura Thompson"] == 3
    assert {"Ahmed Hussen", "António Vitorino", "Jürg Lauber", "Juan José Gómez Camacho"} <= {
        r["label"] for r in pers["people"] if r["events"] == 2
    }
    assert 0 < pers["share_at_several_events"] < 0.2


# ---- exports --------------------------------------------------------------------------


def test_analysis_exports_read_back(data, tmp_path):
    result = analyze(data)
    files = write_analysis(result, tmp_path / "analysis")
    for name in ("participation", "co-panel", "state-state", "state-theme", "actor-type-theme"):
        for reader, ext in ((nx.read_gexf, "gexf"), (nx.read_graphml, "graphml")):
            back = reader(files[f"{name}.{ext}"])
            assert back.number_of_nodes() == result.graphs[name].number_of_nodes(), (name, ext)
            assert back.number_of_edges() == result.graphs[name].number_of_edges(), (name, ext)
        link = json.loads(files[f"{name}.json"].read_text(encoding="utf-8"))
        assert len(link["nodes"]) == result.graphs[name].number_of_nodes()
    report = files["report.md"].read_text(encoding="utf-8")
    assert "Laura Thompson" in report and "6 components" in report
    people = files["people.csv"].read_text(encoding="utf-8")
    assert people.splitlines()[0].startswith("person,name,state,actor_type,sessions")
    again = write_analysis(analyze(data), tmp_path / "again")
    for name, path in files.items():
        assert again[name].read_bytes() == path.read_bytes(), name


def test_clean_for_export_leaves_scalars_of_one_type():
    g = nx.Graph()
    g.add_node("a", roles={"x", "y"}, score=1, missing=None, flag=True)
    g.add_node("b", score=2.5, roles=[])
    g.add_edge("a", "b", weight=1, note=None)
    h = clean_for_export(g)
    for _, d in h.nodes(data=True):
        assert all(isinstance(v, (int, float, str)) for v in d.values())
    assert {type(d["score"]) for _, d in h.nodes(data=True)} == {float}
    assert h.nodes["a"]["roles"] == "x; y" and h.nodes["a"]["missing"] == ""
    path = "/dev/null"
    nx.write_gexf(h, path)
    nx.write_graphml(h, path)


def test_brokerage_fast_undirected_path_equals_the_definition():
    import random

    rng = random.Random(3)
    for trial in range(20):
        g = nx.gnp_random_graph(25, 0.2, seed=trial)
        nx.set_node_attributes(g, {n: rng.choice("xyz") for n in g.nodes}, "group")
        fast = brokerage_roles(g, "group")
        slow = brokerage_roles(g.to_directed(), "group")
        assert fast == slow, trial


def test_the_report_ranks_central_people_by_the_measure(data, tmp_path):
    a = analyze(data)
    report = write_analysis(a, tmp_path / "analysis")["report.md"].read_text(encoding="utf-8")
    section = report.split("## Most central people", 1)[1].split("\n## ", 1)[0]
    rows = [
        line.split(" | ") for line in section.splitlines() if line.startswith("| ") and "---" not in line
    ][1:]
    header = [c.strip("| ") for c in section.splitlines()[2].split(" | ")]
    degree = [int(r[header.index("co_panel_degree")]) for r in rows]
    assert degree == sorted(degree, reverse=True) and len(rows) == 10
    # no one left out has a higher degree than the last one shown
    assert max(r["co_panel_degree"] for r in a.tables["people"]) == degree[0]
    assert sorted((r["co_panel_degree"] for r in a.tables["people"]), reverse=True)[9] == degree[-1]


def test_series_bridges_on_a_toy_graph():
    """Ann took part in meetings of two series, Bo in one: Ann bridges them; no one in an empty graph."""
    import networkx as nx

    from idmgraph.network.export import series_bridges
    from idmgraph.network.graphs import NetworkData

    b = nx.Graph()
    b.add_node("ann", type="person", label="Ann")
    b.add_node("bo", type="person", label="Bo")
    for s, e in (("s1", "m1"), ("s2", "m2"), ("s3", "m2")):
        b.add_node(s, type="session", event=e)
    b.add_edges_from([("ann", "s1"), ("ann", "s2"), ("bo", "s2"), ("bo", "s3")])
    data = NetworkData(labels={"m1": {"series": "x"}, "m2": {"series": "y"}, "x": {"label_en": "X"},
                               "y": {"label_en": "Y"}})  # fmt: skip
    assert series_bridges(b, data) == [
        {"node": "ann", "label": "Ann", "series": 2, "meetings": 2, "series_list": "X; Y"}
    ]
    assert series_bridges(nx.Graph(), data) == []
