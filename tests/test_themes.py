"""Themes: SDG, Global Compact and IDM topic vocabularies, linked to sessions, queried."""

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from idmgraph import iris
from idmgraph.query import IDMGraph, QueryError, run_query
from idmgraph.themes import assign_themes, expand_curie, load_theme_graph, load_theme_rules
from idmgraph.validate import shacl_results

SDG = "http://metadata.un.org/sdg/"
SDGO = "http://metadata.un.org/sdg/ontology#"
MIGRATION_TARGETS = ["3.c", "4.b", "5.2", "8.7", "8.8", "10.7", "10.c", "16.2", "16.9", "17.18"]


@pytest.fixture(scope="module")
def g(store_2017):
    return IDMGraph(store_2017)


def _speakers(df):
    return sorted(set(df.name))


def test_sdg_theme_is_panel_1(g):
    df = g.query("who-spoke-on-theme", theme="sdg-targets")
    assert set(df.session_label.str[:7]) == {"Panel 1"}
    assert list(df[df.role == "moderator"].name) == ["William Lacy Swing"]
    assert list(df[df.role == "speaker"].name) == [
        "Ahmed Hussen",
        "Isata Kabia",
        "Juan José Gómez Camacho",
        "Robert J. Vitillo",
        "Gregory Maniatis",
    ]


@pytest.mark.parametrize(
    "theme, panel",
    [
        ("whole-of-society", "Panel 4"),
        ("Whole-of-government approaches to migration", "Panel 3"),
        ("cooperation-and-follow-up", "Panel 6"),
        ("Mise en œuvre du pacte mondial : coopération et mécanismes de suivi", "Panel 6"),
    ],
)
def test_topic_panels(g, theme, panel):
    direct = g.query("who-spoke-on-theme", theme=theme, direct="true")
    assert set(direct.session_label.str[:7]) == {panel}
    assert set(direct.via) <= {"stated", "curated", "keyword-rule"}
    # by default, also the panels whose themes the editorial mappings tie to it, marked so
    df = g.query("who-spoke-on-theme", theme=theme)
    assert set(df[df.session_label.str.startswith(panel)].via) == set(direct.via)
    assert set(df[~df.session_label.str.startswith(panel)].via) <= {"mapping"}


def test_global_compact_panels_and_their_states(g):
    df = g.query("states-by-theme", theme="GCM")
    assert set(df.iso3) == {
        "MEX",
        "CAN",
        "SLE",
        "MAR",
        "ITA",
        "BDI",
        "ARE",
        "DEU",
        "TUR",
        "CHE",
        "BGD",
        "USA",
    }
    fr = g.query("states-by-theme", theme="pacte mondial sur les migrations", lang="fr")
    assert "Suisse" in set(fr.state_label)


def test_every_migration_target_has_its_un_iri_and_goal():
    themes = load_theme_graph(False)
    for notation in MIGRATION_TARGETS:
        target = URIRef(SDG + notation)
        assert (target, RDF.type, URIRef(SDGO + "Target")) in themes, notation
        assert str(themes.value(target, SKOS.notation)) == notation
        goal = themes.value(target, SKOS.broader)
        assert goal == URIRef(SDG + notation.split(".")[0])
        assert (goal, RDF.type, URIRef(SDGO + "Goal")) in themes
    goals = set(themes.subjects(RDF.type, URIRef(SDGO + "Goal")))
    assert goals == {URIRef(f"{SDG}{n}") for n in range(1, 18)}


def test_gcm_has_23_objectives_under_the_compact():
    themes = load_theme_graph(False)
    compact = expand_curie("gcm:compact")
    objectives = sorted(
        int(str(themes.value(o, SKOS.notation))) for o in themes.subjects(SKOS.broader, compact)
    )
    assert objectives == list(range(1, 24))


def test_theme_schemes_validate_and_a_broken_target_does_not():
    themes = Graph()
    for t in load_theme_graph(False):
        themes.add(t)
    assert shacl_results(themes) == []
    themes.remove((URIRef(SDG + "10.7"), SKOS.broader, None))
    got = {(r.focus, r.path, r.constraint.rsplit("#")[-1]) for r in shacl_results(themes)}
    assert got == {(SDG + "10.7", str(SKOS.broader), "MinCountConstraintComponent")}


def test_new_york_declaration_has_both_symbols(store_2017):
    q = """PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?id WHERE { <https://w3id.org/idmgraph/id/document/new-york-declaration> dcterms:hasVersion/dcterms:identifier ?id } ORDER BY ?id"""
    assert [s["id"].value for s in store_2017.query(q, use_default_graph_as_union=True)] == [
        "A/70/L.61",
        "A/RES/71/1",
    ]


def test_inferred_themes_in_their_own_graphs_stated_in_the_source(store_2017):
    q = """PREFIX dcterms: <http://purl.org/dc/terms/>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    SELECT ?g ?s ?rule WHERE { GRAPH ?g { ?s dcterms:subject <https://w3id.org/idmgraph/vocab/topic/whole-of-society> }
      OPTIONAL { ?g prov:wasDerivedFrom ?rule } } ORDER BY ?g ?s"""
    rows = [
        (s["g"].value, s["s"].value, s["rule"].value)
        for s in store_2017.query(q, use_default_graph_as_union=False)
    ]
    base = "https://w3id.org/idmgraph/"
    workshop, panel4 = (
        base + "id/event/idm-2017-04-18-new-york",
        base + "id/event/idm-2017-04-18-new-york/2017-04-19T10-00",
    )
    rule = base + "graph/inferred/theme-rule/whole-of-society"
    assert rows == [
        (rule, workshop, base + "id/rule/theme/whole-of-society"),  # by rule, from the overview
        (rule, panel4, base + "id/rule/theme/whole-of-society"),  # by rule, from Panel 4's title
        (
            base + "graph/source/idm-2017-new-york-fr",
            workshop,
            base + "id/source/idm-2017-new-york-fr",
        ),  # stated
    ]


def test_broader_expansion_finds_narrower_targets(store_all):
    g = IDMGraph(store_all)
    assert g.query("who-spoke-on-theme", theme="SDG 10", direct="true").empty
    df = g.query("who-spoke-on-theme", theme="SDG 10", broader="true", direct="true")
    assert set(df.name) == {"Laura Thompson", "Ahmed Hussen", "Paul Smith"}
    assert set(df.via) == {"narrower"} and set(df.through) == {"10.7"}
    assert set(g.query("who-spoke-on-theme", theme="10.7", direct="true").name) == set(df.name)
    assert set(g.query("who-spoke-on-theme", theme="GCM 1", direct="true").name) == set(df.name)
    # with the mappings (the default), SDG 10 also reaches the sessions mapped to target 10.7
    wide = g.query("who-spoke-on-theme", theme="SDG 10", broader="true")
    assert set(wide.name) > set(df.name)
    assert {route for via in wide.via for route in via.split()} == {"narrower", "mapping-narrower"}


def test_themes_of_person_and_cooccurrence(g):
    df = g.query("themes-of-person", person="Laura Thompson", direct="true")
    assert set(df.notation) == {"GCM", "cooperation-and-follow-up"}
    mapped = g.query("themes-of-person", person="Laura Thompson")
    assert set(mapped.notation) > set(df.notation)
    assert "23" in set(mapped[mapped.via == "mapping"].notation)  # GCM objective 23
    co = g.query("theme-cooccurrence")
    pairs = {
        (a.rsplit("/", 1)[-1], b.rsplit("/", 1)[-1]): n
        for a, b, n in zip(co.theme_a, co.theme_b, co.sessions)
    }
    assert pairs[("compact", "sdg-targets")] == 1
    assert pairs[("compact", "cooperation-and-follow-up")] == 1


def test_actor_types_by_theme(g):
    df = g.query("actor-types-by-theme", theme="whole-of-government", direct="true")
    assert dict(zip(df.actor_type, df.participations)) == {
        "national-government": 3,
        "local-government": 1,
        "academic": 1,
    }


def test_sdg_coverage_lists_every_target(g):
    df = g.query("sdg-coverage")
    assert sorted(df.notation) == sorted(MIGRATION_TARGETS)
    covered = dict(zip(df.notation, df.sessions))
    # Panel 1 (SDG targets) reaches every target through the editorial mapping
    # topic:sdg-targets -> narrowMatch -> each target; the Global Compact panels reach 10.7 too
    assert covered["10.7"] == 4 and all(n >= 1 for n in covered.values())
    assert set(df.direct_sessions) == {0}
    assert set(df.events) == {1}  # one meeting, counted apart from its sessions


@pytest.mark.parametrize("value", ["1", "Atlantis", "} DROP ALL {", 'x" . } #'])
def test_unknown_or_ambiguous_theme_is_an_error(g, value):
    with pytest.raises(QueryError):
        g.query("who-spoke-on-theme", theme=value)


def test_curated_add_and_remove(agenda_2017):
    rows = [
        {
            "source": "idm-2017-new-york-fr",
            "session": "2017-04-18T11:30",
            "add": ["sdg:10.7"],
            "remove": ["gcm:compact"],
        }
    ]
    got = assign_themes([agenda_2017], {}, rows)
    panel1 = {(a.theme, a.how) for a in got if a.session_id == "2017-04-18T11:30"}
    assert (URIRef(SDG + "10.7"), "curated") in panel1
    assert expand_curie("gcm:compact") not in {t for t, _ in panel1}
    assert any(a.theme == expand_curie("gcm:compact") and a.session_id == "2017-04-19T15:00" for a in got)


def test_rules_name_only_known_themes():
    assert len(load_theme_rules()) >= 20
    with pytest.raises(ValueError):
        expand_curie("foo:bar")


def test_cli_who_spoke_with_broader(build_all):
    out = build_all.out_dir
    df = run_query(
        "who-spoke-on-theme", {"theme": "SDG 10", "broader": "true", "direct": "true"}, build_dir=out
    )
    assert len(df) == 3
    assert str(iris.person("paul-smith")) in set(df.person)
