"""Citations stage: a graph IRI -> the public pages behind it (what a reader checks a fact with).

For a participation, a session, a meeting or a post held: the pages a curated record cites for it
(address, the day the curator read it, what kind of page it is) and, for facts read from an
agenda file, the agenda's own published address and the day it was captured. For a person: the
same for each of their participations.
"""

from __future__ import annotations

from .namespace import ID

__all__ = ["citations_of", "CITE_QUERY"]

# THROUGH: where citations_of adds the facts reached through the IRI (_THROUGH)
CITE_QUERY = """PREFIX idm: <https://w3id.org/idmgraph/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?fact ?fact_label ?url ?read ?page_kind WHERE {
  { FACTS
    ?fact idm:citation ?page .
    ?page schema:url ?url ; idm:readOn ?read ; idm:pageKind ?page_kind }
  UNION
  { FACTS
    ?fact prov:wasDerivedFrom|dcterms:source ?doc .
    ?doc a idm:SourceDocument ; schema:url ?url .
    FILTER NOT EXISTS { ?doc a idm:CuratedRecord }
    OPTIONAL { ?doc idm:retrievedOn ?read }
    BIND("agenda file" AS ?page_kind) }
  OPTIONAL { ?fact rdfs:label ?fact_label }
}
ORDER BY ?fact ?url"""
# FACTS: the IRI itself and the facts it is the ``through`` of, in each branch: each branch
# then starts from the few facts of one IRI (joined with the two branches over the whole graph,
# the pages of the busiest person of a million triples took 0.93 s; now a few milliseconds)
_FACTS = "{ { ?iri a ?type . BIND(?iri AS ?fact) }THROUGH }"


# the facts a page is also behind: a person's participations, and a session's
_THROUGH = {"participant": "{ ?fact idm:participant ?iri }", "session": "{ ?fact idm:session ?iri }"}


def citations_of(store, iri: str, through: tuple[str, ...] = ("participant",)) -> list[dict]:
    """The pages behind ``iri`` (a full IRI, or its path under the instance space such as
    ``person/laura-thompson``) and behind the participations it is the ``through`` of
    (``participant``, ``session``): one row per fact and page, with the page's address, the day
    it was read and its kind ("agenda file" for the agenda a fact was read from, with the day it
    was captured). Nothing known about the IRI gives no rows."""
    import pyoxigraph as ox

    if not iri.startswith(("http://", "https://")):
        iri = str(ID) + iri.lstrip("/")
    from .remote import bind_values

    try:
        node = ox.NamedNode(iri)
    except ValueError as exc:
        raise ValueError(f"not an IRI: {iri!r} ({exc})") from None
    facts = _FACTS.replace("THROUGH", "".join(f" UNION {_THROUGH[link]}" for link in through))
    text = bind_values(CITE_QUERY.replace("FACTS", facts), {ox.Variable("iri"): node})  # bound, never pasted
    rows = store.query(text, use_default_graph_as_union=True)
    out = []
    for r in rows:
        out.append(
            {
                "fact": r["fact"].value,
                "fact_label": r["fact_label"].value if r["fact_label"] is not None else None,
                "url": r["url"].value,
                "read": r["read"].value if r["read"] is not None else None,
                "page_kind": r["page_kind"].value,
            }
        )
    return out
