"""The code's namespace mirrors the hand-edited ontology, term for term."""

from rdflib import RDF, Graph
from rdflib.namespace import OWL, SKOS

from idmgraph.namespace import IDM, ORG_TYPE
from idmgraph.organizations import load_organizations
from idmgraph.rdf import ONTOLOGY_PATH


def test_idm_namespace_equals_ontology_terms():
    onto = Graph().parse(ONTOLOGY_PATH, format="turtle")
    ns = str(IDM._NS)
    declared = {
        str(s)[len(ns) :]
        for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.ConceptScheme)
        for s in onto.subjects(RDF.type, t)
        if str(s).startswith(ns)
    }
    in_code = set(IDM.__annotations__)
    assert in_code == declared


def test_ontology_terms_have_english_and_french_labels():
    onto = Graph().parse(ONTOLOGY_PATH, format="turtle")
    from rdflib.namespace import RDFS

    for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in onto.subjects(RDF.type, t):
            langs = {label.language for label in onto.objects(term, RDFS.label)}
            assert {"en", "fr"} <= langs, term
    for concept in onto.subjects(RDF.type, SKOS.Concept):
        langs = {label.language for label in onto.objects(concept, SKOS.prefLabel)}
        assert {"en", "fr"} <= langs, concept


def test_organisation_types_in_reference_match_the_scheme():
    onto = Graph().parse(ONTOLOGY_PATH, format="turtle")
    scheme = {str(c)[len(str(ORG_TYPE)) :] for c in onto.subjects(SKOS.inScheme, IDM.OrganizationTypes)}
    assert scheme == set(load_organizations().types)
    assert len(scheme) == 10
