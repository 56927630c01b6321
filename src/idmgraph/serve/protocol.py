"""SPARQL 1.1 Protocol, as plain functions: read a request into a query and a dataset, and pick
the response format by content negotiation. The web app only wires these to HTTP.

Errors carry the status the protocol calls for: 400 malformed request or query, 403 update on a
read-only service, 405 method, 406 no acceptable format, 415 unsupported request content type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs

import mimeparse
import pyoxigraph as ox

__all__ = ["ProtocolError", "SparqlRequest", "read_request", "negotiate", "RESULT_FORMATS", "GRAPH_FORMATS"]

# media type -> pyoxigraph format; the first is the default
RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
# other names clients send for the same formats
_ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/plain": "application/n-triples",
    "application/x-turtle": "text/turtle",
}
# SPARQLWrapper and others add format=/output=/results= parameters; honoured when Accept says nothing
_FORMAT_PARAMS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "n3": "text/turtle",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "rdf+xml": "application/rdf+xml",
}


class ProtocolError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


@dataclass
class SparqlRequest:
    query: str | None  # None: no query at all (a plain GET shows the service description)
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format_hint: str | None = None


def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise ProtocolError(400, f"more than one '{name}' parameter")
    return values[0] if values else None


# the vendor parameters (SPARQLWrapper, Virtuoso, Fuseki) that name a result format
FORMAT_KEYS = ("format", "output", "results")


def format_hint(params: dict[str, list[str]]) -> str | None:
    """The media type a request's format=/output=/results= parameter names, if any."""
    for key in FORMAT_KEYS:
        for value in params.get(key, []):
            media = _FORMAT_PARAMS.get(value.lower()) or (value if "/" in value else None)
            if media:
                return media
    return None


def read_request(method: str, query_string: str, content_type: str | None, body: bytes) -> SparqlRequest:
    """The query and dataset of a protocol request, or ProtocolError."""
    url = parse_qs(query_string, keep_blank_values=True)
    ctype = (content_type or "").split(";")[0].strip().lower()
    if method == "GET":
        if "update" in url:
            raise ProtocolError(403, "this service is read-only: SPARQL Update is refused")
        query = _single(url, "query")
        params = url
    elif method == "POST":
        if ctype == "application/x-www-form-urlencoded":
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError as exc:
                raise ProtocolError(400, "the form is not UTF-8") from exc
            if "update" in form:
                raise ProtocolError(403, "this service is read-only: SPARQL Update is refused")
            query = _single(form, "query")
            if query is None:
                raise ProtocolError(400, "a form POST needs a 'query' parameter")
            params = {**url, **{k: v for k, v in form.items() if k != "query"}}
        elif ctype == "application/sparql-query":
            try:
                query = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ProtocolError(400, "the query is not UTF-8") from exc
            if "query" in url:
                raise ProtocolError(400, "a query in both the body and the URL")
            params = url
        elif ctype == "application/sparql-update":
            raise ProtocolError(403, "this service is read-only: SPARQL Update is refused")
        else:
            raise ProtocolError(
                415,
                f"unsupported content type '{ctype or 'none'}': use "
                "application/sparql-query or application/x-www-form-urlencoded",
            )
    else:
        raise ProtocolError(405, f"method {method} not allowed", {"Allow": "GET, POST, OPTIONS"})
    return SparqlRequest(
        query=query,
        default_graphs=params.get("default-graph-uri", []),
        named_graphs=params.get("named-graph-uri", []),
        format_hint=format_hint(params),
    )


def _accepted(accept: str | None) -> list[tuple[str, str, dict]]:
    """The media ranges of an Accept header as python-mimeparse parses them (type, subtype,
    params with q), aliases made canonical; a range that cannot be parsed is left out (a
    malformed header is read as leniently as browsers write it)."""
    out = []
    for part in (accept or "*/*").split(","):
        if not part.strip():
            continue
        try:
            kind, sub, params = mimeparse.parse_media_range(part)
            params["q"] = str(min(max(float(params.get("q", 1)), 0.0), 1.0))
        except (mimeparse.MimeTypeParseException, ValueError):
            continue
        kind, sub = _ALIASES.get(f"{kind}/{sub}".lower(), f"{kind}/{sub}".lower()).split("/", 1)
        out.append((kind, sub, params))
    return out or [("*", "*", {"q": "1"})]


def negotiate(accept: str | None, kind: str, hint: str | None = None) -> str:
    """The media type to answer with, for kind 'results' (SELECT, ASK) or 'graph'.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", "results")
    'application/sparql-results+xml'
    >>> negotiate(None, "graph")
    'text/turtle'
    """
    offered = list(RESULT_FORMATS if kind == "results" else GRAPH_FORMATS)
    wants = _accepted(accept)
    # format=/output= decides when Accept names none of the offered types (a browser's link,
    # curl's */*); a client that names one of them is answered as it asks
    if hint in offered and not any(f"{k}/{sub}" in offered and float(p["q"]) > 0 for k, sub, p in wants):
        return hint
    # python-mimeparse: the most specific range decides (text/csv;q=0 refuses CSV even beside
    # text/*), then q; among equals the first offered
    q, _fitness, _rank, best = max(
        (*mimeparse.quality_and_fitness_parsed(media, wants), -rank, media)
        for rank, media in enumerate(offered)
    )
    if q > 0:
        return best
    raise ProtocolError(
        406, f"none of the accepted types ({accept}) can carry this answer; offered: {', '.join(offered)}"
    )
