"""Who represents whom, and at what level: a person speaks for a state only as one of its
officials (or when the agenda says so); an organisation's country is where it is based; the level
of representation is read from the words of the post and its organisation's kind, never from
the person; the same post in two languages is one post."""

from pathlib import Path

import pytest

from idmgraph.build import run_build
from idmgraph.query import IDMGraph, QueryError
from idmgraph.store import open_store

DATA = Path(__file__).parent / "data"
ACTORS = DATA / "representation" / "actors-en.txt"

# one participant of each kind of actor: (state spoken for, country based in, level)
EXPECTED = {
    "Mia Kato": ("WSM", "WSM", "head-of-state-or-government"),
    "Ivan Petrov": ("BGR", "BGR", "minister"),
    "Awa Ndiaye": ("SEN", "SEN", "minister"),
    "Carlos Ruiz": ("PER", "PER", "deputy-minister"),
    "Fatou Sarr": ("SEN", "SEN", "deputy-minister"),
    "Amal Haddad": ("JOR", "JOR", "ambassador-or-permanent-representative"),
    "Anna Berg": ("SWE", "SWE", "senior-official"),
    "Paulo Lima": ("BRA", "BRA", "other-official"),  # "Adviser to the Minister" is no minister
    "Jean Dupont": ("FRA", "FRA", "other-official"),  # "Conseiller du Ministre" neither
    "Grace Mwangi": ("KEN", "KEN", "parliamentarian"),
    "Luca Bianchi": (None, "ITA", "mayor-or-local-official"),
    "Rosa Díaz": (None, "MEX", "civil-society"),
    "Jan de Vries": (None, "NLD", "academia"),
    "Tom Keller": (None, "CHE", "private-sector"),
    "Helen Park": (None, None, "head-of-international-organization"),
    "Ali Said": (None, None, "international-organization-official"),
    "Claire Martin": (None, None, "international-organization-official"),  # Directrice générale adjointe
}


@pytest.fixture(scope="module")
def actors(tmp_path_factory):
    out = tmp_path_factory.mktemp("actors") / "build"
    run_build([ACTORS], out)
    return IDMGraph(open_store(out))


LEVELS = """PREFIX idm: <https://w3id.org/idmgraph/ontology#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?name ?level ?state ?based WHERE {
  ?p a idm:Participation ; idm:participant ?x . ?x foaf:name ?name .
  OPTIONAL { ?p idm:representationLevel ?l . ?l skos:notation ?level }
  OPTIONAL { ?p idm:onBehalfOf ?s . ?s idm:iso3166Alpha3 ?state }
  OPTIONAL { ?p idm:basedIn ?b . ?b idm:iso3166Alpha3 ?based }
}"""


def test_each_kind_of_actor_speaks_for_whom_it_should_at_its_level(actors):
    df = actors.sparql(LEVELS)
    got = {
        r.name: (
            r.state if isinstance(r.state, str) else None,
            r.based if isinstance(r.based, str) else None,
            r.level,
        )
        for r in df.itertuples()
    }
    assert got == EXPECTED


def test_people_by_state_says_who_spoke_for_it_and_who_was_based_in_it(actors, g_2017):
    df = actors.query("people-by-state")
    rows = {(r.iso3, r.name): r.relation for r in df.itertuples()}
    assert rows[("BGR", "Ivan Petrov")] == "spoke-for"
    assert rows[("MEX", "Rosa Díaz")] == "based-in" and rows[("ITA", "Luca Bianchi")] == "based-in"
    assert ("CHE", "Tom Keller") in rows and rows[("CHE", "Tom Keller")] == "based-in"
    assert not any(name in ("Helen Park", "Ali Said") for _, name in rows)
    # 2017: the Mexican NGO coordinator and the mayor of Mechelen speak for no state
    mex = g_2017.query("people-by-state", state="MEX")
    assert dict(zip(mex.name, mex.relation)) == {
        "Juan José Gómez Camacho": "spoke-for",
        "Berenice Valdez Rivera": "based-in",
    }
    bel = g_2017.query("people-by-state", state="BEL")
    assert dict(zip(bel.name, bel.relation)) == {"Bart Somers": "based-in"}
    states = g_2017.query("states-by-theme")
    assert "BEL" not in set(states.iso3)
    assert states[states.iso3 == "MEX"].people.max() == 1


@pytest.fixture(scope="module")
def g_2017(store_2017):
    return IDMGraph(store_2017)


def test_the_ministers_of_2017_and_no_one_else(g_2017):
    df = g_2017.query("representation-level", level="minister")
    assert set(df.iso3) == {"CAN", "SLE"} and df.people.sum() == 2
    # the words "ministre" in a post are not enough: an adviser to the minister, a deputy
    deputies = g_2017.query("representation-level", level="deputy-minister")
    assert set(deputies.iso3) == {"ALB", "CRI", "ECU", "EGY"}  # Egypt: "Ministre adjoint"
    everyone = g_2017.query("representation-level")
    assert set(everyone[everyone.iso3 == "ARE"].level_key) == {"other-official"}  # Conseiller du Ministre


def test_levels_per_event_and_per_session_add_up(g_2017):
    per_state = g_2017.query("representation-level")
    per_event = g_2017.query("representation-level", per="event")
    assert len(set(per_event.unit)) == 1
    assert per_event.participations.sum() == per_state.participations.sum()
    per_session = g_2017.query("representation-level", per="session", level="minister")
    assert len(per_session) == 1 and per_session.unit_label.iloc[0].startswith("Panel 1")
    with pytest.raises(QueryError, match="the levels: head-of-state-or-government, minister"):
        g_2017.query("representation-level", level="emperor")


def test_the_same_post_in_french_and_english_is_one_post(tmp_path):
    out = tmp_path / "build"
    run_build([DATA / "agendas"], out)
    g = IDMGraph(open_store(out))
    df = g.sparql(
        """PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        SELECT ?post (LANG(?label) AS ?lang) ?label WHERE {
          ?x foaf:name "Laura Thompson" ; org:holds ?post . ?post skos:prefLabel ?label }"""
    )
    assert len(set(df.post)) == 1 and df.post.iloc[0].endswith("/deputy-director-general")
    assert dict(zip(df.lang, df.label)) == {
        "en": "Deputy Director General",
        "fr": "Directrice générale adjointe de l’Organisation internationale pour les migrations",
    }


def test_careers_see_changes_of_post_not_changes_of_language(tmp_path):
    out = tmp_path / "build"
    run_build([Path(__file__).parent.parent / "data" / "sources", DATA / "agendas"], out)
    g = IDMGraph(open_store(out))
    holdings = g.sparql(
        """PREFIX idm: <https://w3id.org/idmgraph/ontology#> PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        SELECT ?person ?post ?day WHERE {
          ?h a idm:PostHolding ; org:member ?x ; idm:post ?post ; idm:attestedOn ?day . ?x foaf:name ?person }"""
    )
    first_held = holdings.groupby(["person", "post"]).day.min().reset_index()
    first_event = holdings.groupby("person").day.min()
    changes = first_held[first_held.day > first_held.person.map(first_event)]
    changed = set(changes.person)
    # the same posts in French then English, or fewer of the same posts, are no change
    assert not changed & {"Laura Thompson", "António Vitorino", "Juan José Gómez Camacho"}
    # Jürg Lauber's agenda of 2018 names him Permanent Representative in Geneva, not New York
    assert "Jürg Lauber" in changed
