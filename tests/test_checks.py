"""Each SPARQL check returns no rows on the real build and fires on data that breaks it."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from idmgraph.store import select
from idmgraph.validate import CHECKS_DIR

PREFIXES = """@prefix idm: <https://w3id.org/idmgraph/ontology#> .
@prefix kind: <https://w3id.org/idmgraph/vocab/session-kind/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <https://schema.org/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
"""

BROKEN = {
    "break-with-participants-violation": "ex:s idm:sessionKind kind:break . ex:p idm:session ex:s .",
    "session-outside-workshop-violation": """ex:s a idm:Session ; schema:superEvent ex:d .
        ex:d a idm:Day ; schema:startDate "2018-10-09"^^xsd:date ; schema:superEvent ex:w .
        ex:w schema:startDate "2018-10-08"^^xsd:date ; schema:endDate "2018-10-08"^^xsd:date .""",
    "capacity-of-another-person-violation": "ex:p idm:participant ex:a ; idm:inCapacityOf ex:h . ex:h org:member ex:b .",
    "contribution-author-mismatch-violation": """ex:c idm:viaParticipation ex:p ; schema:author ex:b ; idm:deliveredIn ex:s .
        ex:p idm:participant ex:a ; idm:session ex:s .""",
    "person-without-participation-violation": "ex:a a foaf:Person .",
    "term-not-in-ontology-violation": "ex:a idm:madeUpProperty ex:b .",
    "record-fact-without-citation-violation": """ex:r a idm:CuratedRecord .
        ex:p a idm:Participation ; <http://www.w3.org/ns/prov#wasDerivedFrom> ex:r .
        ex:s a idm:Session ; <http://www.w3.org/ns/prov#wasDerivedFrom> ex:r .
        ex:m <http://purl.org/dc/terms/source> ex:r .
        ex:cited a idm:Session ; <http://www.w3.org/ns/prov#wasDerivedFrom> ex:r ; idm:citation ex:page .
        ex:agenda a idm:SourceDocument . ex:q a idm:Participation ; <http://www.w3.org/ns/prov#wasDerivedFrom> ex:agenda .""",
}


def checks():
    return sorted(p.stem for p in CHECKS_DIR.glob("*-violation.rq"))


def test_every_check_has_a_broken_case():
    assert set(checks()) == set(BROKEN)


@pytest.mark.parametrize("name", checks())
def test_check_is_clean_on_the_build(name, store_2017):
    _, rows = select(store_2017, (CHECKS_DIR / f"{name}.rq").read_text(encoding="utf-8"))
    assert rows == []


@pytest.mark.parametrize("name", checks())
def test_check_fires_on_broken_data(name):
    store = ox.Store()
    store.load((PREFIXES + BROKEN[name]).encode(), format=ox.RdfFormat.TURTLE)
    if name == "term-not-in-ontology-violation":
        store.load(
            Path(__file__).parent.parent.joinpath("ontology/idm.ttl").read_bytes(), format=ox.RdfFormat.TURTLE
        )
    _, rows = select(store, (CHECKS_DIR / f"{name}.rq").read_text(encoding="utf-8"))
    assert len(rows) >= 1


def test_each_kind_of_record_fact_without_a_citation_is_found():
    """A participation, a session and a meeting from a record, each without a page; not a fact
    that cites one, nor a fact read from an agenda."""
    name = "record-fact-without-citation-violation"
    store = ox.Store()
    store.load((PREFIXES + BROKEN[name]).encode(), format=ox.RdfFormat.TURTLE)
    _, rows = select(store, (CHECKS_DIR / f"{name}.rq").read_text(encoding="utf-8"))
    assert sorted(str(row[0]) for row in rows) == [f"<https://example.org/{x}>" for x in "mps"]
