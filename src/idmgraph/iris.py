"""Every IRI the graph mints, from stable keys only: display names can change, IRIs do not."""

from __future__ import annotations

from functools import lru_cache

from rdflib import URIRef

from .namespace import GRAPH, ID
from .text import slug

__all__ = [
    "series",
    "event_series",
    "citation",
    "edition",
    "workshop",
    "day",
    "session",
    "person",
    "state",
    "organization",
    "post",
    "holding",
    "participation",
    "contribution",
    "source_document",
    "source_graph",
    "REFERENCE_GRAPH",
    "ONTOLOGY_GRAPH",
    "DERIVED_GRAPH",
    "build_activity",
    "software_agent",
    "dataset",
]

# an IRI is made (and checked by rdflib) once for the same keys: a build asks for the same
# person's, session's and participation's IRIs many times (IRIs are immutable)
_minted = lru_cache(maxsize=1 << 16)

REFERENCE_GRAPH = GRAPH["reference"]
ENTITIES_GRAPH = GRAPH["entities"]
THEMES_GRAPH = GRAPH["themes"]
MAPPINGS_GRAPH = GRAPH["theme-mappings"]
CURATED_THEMES_GRAPH = GRAPH["curated-themes"]
ONTOLOGY_GRAPH = GRAPH["ontology"]
DERIVED_GRAPH = GRAPH["derived"]


@_minted
def series() -> URIRef:
    return ID["event/idm"]


def edition(year: str) -> URIRef:
    return ID[f"event/idm-{year}"]


@_minted
def workshop(event_id: str) -> URIRef:
    return ID[f"event/{slug(event_id)}"]


@_minted
def day(event_id: str, iso_day: str) -> URIRef:
    return ID[f"event/{slug(event_id)}/{iso_day}"]


@_minted
def session(event_id: str, session_id: str) -> URIRef:
    """A session IRI from its event and its day+start time.

    >>> str(session("idm-2017-04-18-new-york", "2017-04-18T11:30"))
    'https://w3id.org/idmgraph/id/event/idm-2017-04-18-new-york/2017-04-18T11-30'
    """
    return ID[f"event/{slug(event_id)}/{session_id.replace(':', '-')}"]


@_minted
def person(key: str) -> URIRef:
    return ID[f"person/{key}"]


def person_key(name: str) -> str:
    """Key of a person: the name folded for case and accents (honorifics already removed).

    >>> person_key("António Vitorino") == person_key("Antonio Vitorino")
    True
    """
    return slug(name)


@_minted
def state(alpha_3: str) -> URIRef:
    return ID[f"state/{alpha_3}"]


@_minted
def organization(key: str) -> URIRef:
    return ID[f"organization/{key}"]


@_minted
def post(key: str) -> URIRef:
    return ID[f"post/{key}"]


@_minted
def holding(key: str) -> URIRef:
    return ID[f"holding/{key}"]


@_minted
def participation(event_id: str, session_id: str, role: str, person_key_: str) -> URIRef:
    return ID[f"participation/{slug(event_id)}/{session_id.replace(':', '-')}/{role}/{person_key_}"]


def contribution(participation_iri: URIRef) -> URIRef:
    return URIRef(str(participation_iri).replace("/participation/", "/contribution/", 1))


@_minted
def source_document(source_id: str) -> URIRef:
    return ID[f"source/{slug(source_id)}"]


@_minted
def citation(source_id: str, key: str) -> URIRef:
    """A page a curated record cites, under the record: ``source/<record>/page/<key>``."""
    return ID[f"source/{slug(source_id)}/page/{slug(key)}"]


def event_series(series_id: str) -> URIRef:
    """An event series of data/reference/series.yml; the IDM is ``event/idm`` as it always was."""
    return series() if series_id == "idm" else ID[f"series/{slug(series_id)}"]


@_minted
def source_graph(source_id: str) -> URIRef:
    return GRAPH[f"source/{slug(source_id)}"]


@_minted
def build_activity(version: str) -> URIRef:
    return ID[f"activity/idmgraph-build-{version}"]


def dataset() -> URIRef:
    """The dataset as a whole: the build describes it (VoID) in the default graph."""
    return ID["dataset"]


@_minted
def software_agent(version: str) -> URIRef:
    return ID[f"agent/idmgraph-{version}"]


@_minted
def editors_agent() -> URIRef:
    return ID["agent/idmgraph-editors"]


def theme_rule(rule_id: str) -> URIRef:
    return ID[f"rule/theme/{slug(rule_id)}"]


def inferred_themes_graph(rule_id: str) -> URIRef:
    return GRAPH[f"inferred/theme-rule/{slug(rule_id)}"]


def theme_link(node: URIRef, link) -> URIRef:
    """A theme link's IRI: the session (or workshop), the route and the themes, hashed stably."""
    return URIRef(theme_link_text(str(node), link))


def theme_link_text(node: str, link) -> str:
    """``theme_link`` as text, from the node's IRI as text."""
    import hashlib

    key = "|".join((node, link.theme, link.via, link.through or ""))
    return f"{ID}theme-link/{hashlib.sha256(key.encode()).hexdigest()[:16]}"
