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
    "DELIVERY",
    "ROUTE",
    "LEVEL",
    "M49_REGION",
    "ONTOLOGY_IRI",
    "PREFIXES",
    "VOID",
    "INSTANCE_SPACES",
    "check_base",
    "rebase",
]

BASE = "https://w3id.org/idmgraph/"
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
VOCAB = Namespace(BASE + "vocab/")
ROLE = Namespace(VOCAB + "role/")
SESSION_KIND = Namespace(VOCAB + "session-kind/")
ORG_TYPE = Namespace(VOCAB + "organization-type/")
CONTRIBUTION = Namespace(VOCAB + "contribution/")
DELIVERY = Namespace(VOCAB + "delivery/")
ROUTE = Namespace(VOCAB + "theme-route/")
LEVEL = Namespace(VOCAB + "representation-level/")
M49_REGION = Namespace(VOCAB + "m49/")
ONTOLOGY_IRI = URIRef(BASE + "ontology")
VOID = Namespace("http://rdfs.org/ns/void#")

# What a deployment may move to its own domain (``idmgraph build --base``): the instances and
# the named graphs. The vocabulary (ontology, vocab/) stays at BASE, shared by every deployment,
# as schema.org's terms are.
INSTANCE_SPACES = ("id/", "graph/")


def check_base(base: str) -> str:
    """A base for instance IRIs: absolute http(s), ending with a slash; else ValueError.

    >>> check_base("https://data.example.org/idm/")
    'https://data.example.org/idm/'
    """
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or not base.endswith("/"):
        raise ValueError(f"IRI base {base!r}: give an absolute http(s) IRI ending with '/'")
    if any(c in base for c in ' <>"{}|\\^`') or parts.query or parts.fragment:
        raise ValueError(f"IRI base {base!r}: no spaces, brackets, query or fragment")
    return base


def rebase(iri: str, base: str) -> str:
    """An IRI minted under BASE, moved to ``base`` if it is an instance or graph IRI.

    >>> rebase("https://w3id.org/idmgraph/id/person/x", "https://data.example.org/idm/")
    'https://data.example.org/idm/id/person/x'
    >>> rebase("https://w3id.org/idmgraph/vocab/gcm/objective-1", "https://data.example.org/idm/")
    'https://w3id.org/idmgraph/vocab/gcm/objective-1'
    """
    if base != BASE:
        for space in INSTANCE_SPACES:
            if iri.startswith(BASE + space):
                return base + iri[len(BASE) :]
    return iri


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
    CuratedRecord: URIRef
    Citation: URIRef
    UNDocument: URIRef
    ThemeLink: URIRef
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
    deliveredBy: URIRef
    delivery: URIRef
    basedIn: URIRef
    viaParticipation: URIRef
    state: URIRef
    hasModerator: URIRef
    hasSpeaker: URIRef
    spokeOn: URIRef
    tookPartIn: URIRef
    capacityPost: URIRef
    representationLevel: URIRef
    m49Region: URIRef
    inM49Area: URIRef
    m49Level: URIRef
    inMeeting: URIRef
    m49Group: URIRef
    linkOf: URIRef
    linkSession: URIRef
    linkEvent: URIRef
    linkTheme: URIRef
    linkVia: URIRef
    linkThrough: URIRef
    addresses: URIRef
    actorType: URIRef
    citation: URIRef
    # datatype properties
    statedAs: URIRef
    sourceLine: URIRef
    sourcePage: URIRef
    sortKey: URIRef
    attestedOn: URIRef
    sessionNumber: URIRef
    iso3166Alpha3: URIRef
    iso3166Alpha2: URIRef
    m49: URIRef
    contentSha256: URIRef
    retrievedOn: URIRef
    readOn: URIRef
    pageKind: URIRef
    # concept schemes
    ParticipationRoles: URIRef
    SessionKinds: URIRef
    ContributionKinds: URIRef
    DeliveryModes: URIRef
    ThemeRoutes: URIRef
    RepresentationLevels: URIRef
    M49Regions: URIRef
    rank: URIRef
    OrganizationTypes: URIRef


PREFIXES = {
    "idm": str(IDM._NS),
    "id": str(ID),
    "graph": str(GRAPH),
    "role": str(ROLE),
    "kind": str(SESSION_KIND),
    "otype": str(ORG_TYPE),
    "contrib": str(CONTRIBUTION),
    "delivery": str(DELIVERY),
    "route": str(ROUTE),
    "level": str(LEVEL),
    "m49": str(M49_REGION),
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
    "void": str(VOID),
    "gcm": "https://w3id.org/idmgraph/vocab/gcm/",
    "topic": "https://w3id.org/idmgraph/vocab/topic/",
    "theme": "https://w3id.org/idmgraph/vocab/theme/",
}
