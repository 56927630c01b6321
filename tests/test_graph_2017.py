"""The built graph of the 2017 source: entities resolved, shapes valid, files as documented."""

import csv

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.compare import isomorphic

from conftest import SOURCES
from idmgraph import iris
from idmgraph.build import CSV_COLUMNS, run_build
from idmgraph.store import select

Q_PREFIX = """PREFIX idm: <https://w3id.org/idmgraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def rows(store, query, **bindings):
    return [
        tuple(t.value if t is not None else None for t in r)
        for r in select(store, Q_PREFIX + query, bindings)[1]
    ]


def test_counts(build_2017):
    c = build_2017.counts
    assert (c["events"], c["sessions"], c["sessions_with_people"], c["people"], c["participations"]) == (
        1,
        10,
        8,
        35,
        37,
    )
    assert build_2017.report.conforms


def test_three_ministries_of_foreign_affairs(store_2017):
    got = rows(
        store_2017,
        """SELECT ?org ?iso WHERE {
        ?org skos:prefLabel "Ministère des affaires étrangères"@fr ; idm:state/idm:iso3166Alpha3 ?iso ;
             org:subOrganizationOf ?state . ?state a idm:State } ORDER BY ?iso""",
    )
    assert [iso for _, iso in got] == ["EGY", "ITA", "TUR"]
    assert len({org for org, _ in got}) == 3


def test_swing_is_one_person_in_two_sessions(store_2017):
    got = rows(
        store_2017,
        """SELECT ?person ?role ?start WHERE {
        ?p idm:participant ?person ; idm:role/skos:notation ?role ; idm:session/schema:startDate ?start }
        ORDER BY ?start""",
        person=ox.NamedNode(str(iris.person("william-lacy-swing"))),
    )
    assert [r[1:] for r in got] == [
        ("speaker", "2017-04-18T10:00:00"),
        ("moderator", "2017-04-18T11:30:00"),
    ]
    kinds = rows(
        store_2017,
        """SELECT ?person ?kind WHERE { ?c schema:author ?person ; idm:contributionKind/skos:notation ?kind }""",
        person=ox.NamedNode(str(iris.person("william-lacy-swing"))),
    )
    assert [k for _, k in kinds] == ["opening-remarks"]


def test_thompson_and_thomson_are_two_people(build_2017, store_2017):
    got = rows(
        store_2017,
        """SELECT ?person ?name WHERE { ?person foaf:name ?name .
        FILTER (?name IN ("Laura Thompson", "Peter Thomson")) } ORDER BY ?name""",
    )
    assert [n for _, n in got] == ["Laura Thompson", "Peter Thomson"]
    assert got[0][0] != got[1][0]
    near = [w for w in build_2017.resolution.warnings if w.code == "near-miss"]
    assert len(near) == 1 and "Laura Thompson" in near[0].message and "Peter Thomson" in near[0].message


def test_capacity_and_behalf_of_gomez_camacho(store_2017):
    got = rows(
        store_2017,
        """SELECT ?person ?behalf ?post ?date WHERE {
        ?p idm:participant ?person ; idm:onBehalfOf/idm:iso3166Alpha3 ?behalf ;
           idm:inCapacityOf ?h . ?h idm:post/skos:prefLabel ?post ; idm:attestedOn ?date } ORDER BY ?post""",
        person=ox.NamedNode(str(iris.person("juan-jose-gomez-camacho"))),
    )
    assert [r[1] for r in got] == ["MEX"] * 3
    assert {r[3] for r in got} == {"2017-04-18"}
    assert (
        got[1][2]
        == "Co-facilitateur des consultations et négociations intergouvernementales sur le Pacte Mondial sur la Migration"
    )


def test_gcm_cofacilitators_hold_posts_in_the_negotiation_process(store_2017):
    got = rows(
        store_2017,
        """SELECT DISTINCT ?name WHERE {
        ?h org:member/foaf:name ?name ; idm:post/org:postIn ?process .
        ?process a org:OrganizationalCollaboration } ORDER BY ?name""",
    )
    assert got == [("Juan José Gómez Camacho",), ("Jürg Lauber",)]


def test_contributions_only_where_the_agenda_marks_them(store_2017):
    ((n,),) = rows(store_2017, "SELECT (COUNT(*) AS ?n) WHERE { ?c a idm:Contribution }")
    assert int(n) == 26  # 31 speaker entries, 5 without a marker


def test_organisation_types_from_reference(store_2017):
    got = dict(
        rows(
            store_2017,
            """SELECT ?label ?type WHERE { ?o skos:prefLabel ?label ;
        idm:organizationType/skos:notation ?type . FILTER (LANG(?label) = "en") }""",
        )
    )
    assert got["International Organization for Migration"] == "un-system"
    assert got["Inter-Parliamentary Union"] == "parliamentary"
    assert got["International Catholic Migration Commission"] == "faith-based"
    assert got["City of Mechelen"] == "local-government"
    assert got["Open Society Foundations"] == "foundation"
    assert got["Global Forum on Migration and Development"] == "intergovernmental"


def test_provenance_of_the_source_graph(store_2017):
    got = rows(
        store_2017,
        """SELECT ?g ?sha WHERE { ?g prov:wasGeneratedBy ?run ; prov:wasDerivedFrom ?doc .
        ?doc idm:contentSha256 ?sha }""",
    )
    assert got == [
        (
            str(iris.source_graph("idm-2017-new-york-fr")),
            "a78436c197664139f53e7c66d5b5c37cdd68c011fe027ecc85c275e35a276b20",
        )
    ]


def test_participations_csv(build_2017):
    with build_2017.files["participations.csv"].open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == CSV_COLUMNS
        table = list(reader)
    assert len(table) == 37
    panel2 = [r["person_name"] for r in table if r["session_number"] == "2"]
    assert panel2 == [
        "El Habib Nadir",
        "Luigi Maria Vignali",
        "Paddy Torsney",
        "Ildegarde Niyonzima",
        "Alex Zalami",
    ]
    vignali = next(r for r in table if r["person_name"] == "Luigi Maria Vignali")
    assert vignali["organization"] == "Ministère des affaires étrangères"
    assert vignali["organization_type"] == "national-government" and vignali["state_iso3"] == "ITA"
    assert vignali["organization_id"].endswith("/organization/ministere-des-affaires-etrangeres-ita")


def test_same_inputs_same_bytes_and_same_graph(build_2017, tmp_path):
    run_build([SOURCES], tmp_path / "again")
    for name, path in build_2017.files.items():
        assert (tmp_path / "again" / name).read_bytes() == path.read_bytes(), name
    a, b = Dataset(), Dataset()
    a.parse(build_2017.files["idm.trig"], format="trig")
    b.parse(tmp_path / "again" / "idm.trig", format="trig")
    names = sorted(str(g.identifier) for g in a.graphs())
    assert names == sorted(str(g.identifier) for g in b.graphs())
    for name in names:
        assert isomorphic(a.graph(URIRef(name)), b.graph(URIRef(name))), name


def test_named_graphs(store_2017):
    graphs = sorted(g.value for g in store_2017.named_graphs())
    base = "https://w3id.org/idmgraph/graph/"
    fixed = [g for g in graphs if "/inferred/" not in g]
    assert fixed == [
        base + "derived",
        base + "entities",
        base + "ontology",
        base + "reference",
        base + "source/idm-2017-new-york-fr",
        base + "theme-mappings",
        base + "themes",
    ]
    rules = [g.rsplit("/", 1)[-1] for g in graphs if "/inferred/theme-rule/" in g]
    assert {"sdg-targets", "whole-of-society", "whole-of-government", "cooperation-and-follow-up"} <= set(
        rules
    )


def test_derived_shortcuts(store_2017):
    got = rows(
        store_2017,
        """SELECT ?name WHERE { GRAPH <https://w3id.org/idmgraph/graph/derived> {
        ?s idm:hasModerator ?p } ?p foaf:name ?name } ORDER BY ?name""",
    )
    assert [n for (n,) in got] == [
        "Ashley William Gois",
        "El Habib Nadir",
        "Götz Schmidt-Bremme",
        "Laura Thompson",
        "Sarah Cliffe",
        "William Lacy Swing",
    ]
