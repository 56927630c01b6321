"""The idmgraph namespaces, declared once. ``IDM`` mirrors ``ontology/idm.ttl`` (a test keeps them equal)."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = [
    "IDM",
    "BASE",
    "ID",
    "GRAPH",
    "VOCAB",
    "ROLE",
    "SESSION_KIND",
    "ORG_TYPE",
    "CONTRIBUTION",
    "ONTOLOGY_IRI",
    "PREFIXES",
]

BASE = "https://w3id.org/idmgraph/"
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
VOCAB = Namespace(BASE + "vocab/")
ROLE = Namespace(VOCAB + "role/")
SESSION_KIND = Namespace(VOCAB + "session-kind/")
ORG_TYPE = Namespace(VOCAB + "organization-type/")
CONTRIBUTION = Namespace(VOCAB + "contribution/")
ONTOLOGY_IRI = URIRef(BASE + "ontology")


class IDM(DefinedNamespace):
    """Terms of the idmgraph ontology."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    State: URIRef
    Edition: URIRef
    Workshop: URIRef
    Day: URIRef
    Session: URIRef
    Participation: URIRef
    PostHolding: URIRef
    Contribution: URIRef
    SourceDocument: URIRef
    UNDocument: URIRef
    # object properties
    participant: URIRef
    session: URIRef
    role: URIRef
    inCapacityOf: URIRef
    onBehalfOf: URIRef
    post: URIRef
    sessionKind: URIRef
    organizationType: URIRef
    contributionKind: URIRef
    deliveredIn: URIRef
    viaParticipation: URIRef
    state: URIRef
    hasModerator: URIRef
    hasSpeaker: URIRef
    spokeOn: URIRef
    tookPartIn: URIRef
    capacityPost: URIRef
    addresses: URIRef
    actorType: URIRef
    # datatype properties
    statedAs: URIRef
    sourceLine: URIRef
    attestedOn: URIRef
    sessionNumber: URIRef
    iso3166Alpha3: URIRef
    iso3166Alpha2: URIRef
    m49: URIRef
    contentSha256: URIRef
    retrievedOn: URIRef
    # concept schemes
    ParticipationRoles: URIRef
    SessionKinds: URIRef
    ContributionKinds: URIRef
    OrganizationTypes: URIRef


PREFIXES = {
    "idm": str(IDM._NS),
    "id": str(ID),
    "graph": str(GRAPH),
    "role": str(ROLE),
    "kind": str(SESSION_KIND),
    "otype": str(ORG_TYPE),
    "contrib": str(CONTRIBUTION),
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "sdg": "http://metadata.un.org/sdg/",
    "sdgo": "http://metadata.un.org/sdg/ontology#",
    "gcm": "https://w3id.org/idmgraph/vocab/gcm/",
    "topic": "https://w3id.org/idmgraph/vocab/topic/",
    "theme": "https://w3id.org/idmgraph/vocab/theme/",
}
