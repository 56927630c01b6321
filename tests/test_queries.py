"""Research queries from Python (DataFrames): real answers, bound parameters, clear errors."""

import pytest

from idmgraph.query import IDMGraph, QueryError, list_queries, run_query
from idmgraph.store import open_store


@pytest.fixture(scope="module")
def g(store_2017):
    return IDMGraph(store_2017)


def test_the_documented_queries_exist_and_say_what_they_answer():
    names = {q.name for q in list_queries()}
    assert {
        "session-speakers",
        "person-participations",
        "people-by-state",
        "organizations-by-type",
        "people-at-several-events",
    } <= names
    for q in list_queries():
        assert q.description, q.name


def test_session_speakers_of_panel_2(g):
    df = g.query("session-speakers")
    panel2 = df[df.session_label.str.startswith("Panel 2")]
    assert list(zip(panel2.role, panel2.name)) == [
        ("moderator", "El Habib Nadir"),
        ("speaker", "Luigi Maria Vignali"),
        ("speaker", "Paddy Torsney"),
        ("speaker", "Ildegarde Niyonzima"),
        ("speaker", "Alex Zalami"),
    ]
    assert list(panel2.on_behalf_of_label) == [
        "Morocco",
        "Italy",
        "Inter-Parliamentary Union",
        "Burundi",
        "United Arab Emirates",
    ]
    one = g.query("session-speakers", session=panel2.session.iloc[0])
    assert len(one) == 5


def test_labels_in_the_requested_language(g):
    fr = g.query("people-by-state", state="CHE", lang="fr")
    assert list(fr.state_label) == ["Suisse"]
    en = g.query("people-by-state", state="Switzerland")
    assert list(en.state_label) == ["Switzerland"] and list(en.name) == ["Jürg Lauber"]


def test_person_participations_by_name_without_accents(g):
    df = g.query("person-participations", person="Jurg Lauber")
    assert list(df.role) == ["speaker"] and list(df.contribution) == ["statement"]


def test_organizations_by_type(g):
    df = g.query("organizations-by-type", type="un-system")
    assert {
        "International Organization for Migration",
        "Global Migration Group",
        "United Nations University",
    } <= set(df.label)
    assert set(df.type_key) == {"un-system"}


def test_people_at_several_events(store_all):
    df = run_query("people-at-several-events", store=store_all)
    assert list(df.name[:1]) == ["Laura Thompson"] and df.events.iloc[0] == 3
    assert set(df.name) == {
        "Laura Thompson",
        "Ahmed Hussen",
        "António Vitorino",
        "Juan José Gómez Camacho",
        "Jürg Lauber",
    }


@pytest.mark.parametrize("value", ["} DROP ALL {", '" } ; DELETE WHERE { ?s ?p ?o } #', "<script>"])
def test_hostile_values_are_bound_and_harmless(g, value, store_2017):
    before = len(store_2017)
    with pytest.raises(QueryError, match="no person"):
        g.query("person-participations", person=value)
    with pytest.raises(QueryError):
        g.query("people-by-state", state=value)
    assert len(store_2017) == before


def test_unknown_query_and_parameter(g):
    with pytest.raises(QueryError, match="known queries"):
        g.query("no-such-query")
    with pytest.raises(QueryError, match="has no parameter"):
        g.query("session-speakers", colour="red")
    with pytest.raises(QueryError, match="needs --param person"):
        run_query("person-participations", {}, store=g.store)


@pytest.fixture(scope="module")
def store_layouts(tmp_path_factory):
    from conftest import LAYOUTS
    from idmgraph.build import run_build

    return open_store(run_build([LAYOUTS], tmp_path_factory.mktemp("layouts") / "build").out_dir)


def test_sessions_without_times_and_undated_events_are_answered(store_layouts):
    """An IPU agenda gives no times; a press release no session: their people are still there."""
    from idmgraph.network import read_network_data

    df = run_query("session-speakers", store=store_layouts)
    ipu = df[df.session_label.str.contains("Panel 1: The impact of migration", regex=False)]
    assert list(ipu.name) == ["Duarte Pacheco", "Aisha Jumwa Katana", "Jaime Arroyo Gómez", "Ingrid Solberg"]
    assert ipu.start.isna().all()
    event = df[df.name == "Ann Lindqvist"]
    assert len(event) == 1 and event.role.iloc[0] == "speaker"
    people = run_query("person-participations", {"person": "Ingrid Solberg"}, store=store_layouts)
    assert list(people.role) == ["speaker"]
    names = {r["name"] for r in read_network_data(store=store_layouts).participations}
    assert {"Ingrid Solberg", "Ann Lindqvist", "Jean DE LA FONTAINE"} <= names
