"""Linked Data: every IRI the graph mints resolves under the server (HTML for people, Turtle,
N-Triples or JSON-LD by content negotiation), and a VoID description of the dataset.

Instances (``{base}id/``) and named graphs (``{base}graph/``) live under the build's base; the
vocabulary (``vocab/`` and the ontology) under ``https://w3id.org/idmgraph/``. Links on the pages
point to this server's paths for all of them, so a local server can be browsed offline.

Pages are built from the store with bound queries; every value is escaped for HTML. A path only
ever names an IRI to look up: nothing is read from disk, so ``/id/../`` reaches no file.
"""

from __future__ import annotations

import html
from urllib.parse import quote

import pyoxigraph as ox

from ..dataset import Distribution, describe_dataset
from ..namespace import BASE, ONTOLOGY_IRI, PREFIXES
from ..themes import ROUTE_FILTER, reach_of
from .protocol import GRAPH_FORMATS, negotiate

__all__ = ["describe", "describe_ontology", "local_path", "render_page", "void_description", "wants_html"]

_ONTOLOGY = str(ONTOLOGY_IRI)
_OWL_ONTOLOGY = ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology")
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

# rdfs:label before schema:name: a session's rdfs:label is its full header ("Panel 6 – ...")
_LABELS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://xmlns.com/foaf/0.1/name",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "https://schema.org/name",
)


def wants_html(accept: str | None) -> bool:
    """A browser asks for text/html before RDF; a bare or */* request gets Turtle."""
    if not accept:
        return False
    first = accept.split(",")[0].split(";")[0].strip().lower()
    return first in ("text/html", "application/xhtml+xml")


def describe(store: ox.Store, iri: str) -> list[ox.Triple]:
    """The triples about an IRI (as subject), in every graph, without duplicates."""
    node = ox.NamedNode(iri)
    seen = set()
    out = []
    for q in store.quads_for_pattern(node, None, None, None):
        t = ox.Triple(q.subject, q.predicate, q.object)
        if t not in seen:
            seen.add(t)
            out.append(t)
    return sorted(out, key=lambda t: (t.predicate.value, str(t.object)))


def describe_ontology(store: ox.Store) -> list[ox.Triple]:
    """The ontology document: the triples about the ontology and its ``#`` terms."""
    graphs = {
        q.graph_name for q in store.quads_for_pattern(ox.NamedNode(_ONTOLOGY), _RDF_TYPE, _OWL_ONTOLOGY, None)
    }
    out = set()
    for g in graphs:
        for q in store.quads_for_pattern(None, None, None, g):
            subject = q.subject
            if isinstance(subject, ox.NamedNode) and (
                subject.value == _ONTOLOGY or subject.value.startswith((_ONTOLOGY + "#", _ONTOLOGY + "/"))
            ):
                out.add(ox.Triple(q.subject, q.predicate, q.object))
    return sorted(out, key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))


def local_path(iri: str, base: str) -> str | None:
    """The path this server answers an IRI at, or None for an IRI from elsewhere.

    >>> local_path("https://d.example/idm/id/person/x", "https://d.example/idm/")
    '/id/person/x'
    >>> local_path("https://w3id.org/idmgraph/ontology#Session", "https://d.example/idm/")
    '/ontology#Session'
    >>> local_path("http://metadata.un.org/sdg/10.7", "https://d.example/idm/") is None
    True
    """
    for prefix, path in ((base + "id/", "/id/"), (base + "graph/", "/graph/"), (BASE + "vocab/", "/vocab/")):
        if iri.startswith(prefix):
            return path + quote(iri[len(prefix) :], safe="/:")
    if iri == _ONTOLOGY or iri.startswith(_ONTOLOGY + "#"):
        return "/ontology" + ("#" + quote(iri[len(_ONTOLOGY) + 1 :]) if "#" in iri else "")
    if iri.startswith(_ONTOLOGY + "/"):  # a version of it (owl:versionIRI)
        return "/ontology/" + quote(iri[len(_ONTOLOGY) + 1 :], safe="")
    return None


def rdf_response(triples: list[ox.Triple], accept: str | None, hint: str | None = None) -> tuple[str, bytes]:
    """Triples in the format asked for (``hint``: a ``format=`` parameter's media type): Turtle
    with the vocabularies' prefixes, JSON-LD compacted with an ``@context`` of the same prefixes."""
    media = negotiate(accept, "graph", hint)
    if media == "application/ld+json":
        return media, compact_json_ld(triples)
    if media == "text/turtle":
        return media, ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_VOCABULARY_PREFIXES)
    return media, ox.serialize(triples, format=GRAPH_FORMATS[media])


# the vocabularies' prefixes (instance IRIs stay whole: their paths hold slashes)
_VOCABULARY_PREFIXES = {k: v for k, v in PREFIXES.items() if k not in ("id", "graph")} | {
    # the dataset's and the service's descriptions
    "dcat": "http://www.w3.org/ns/dcat#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "spdx": "http://spdx.org/rdf/terms#",
}
_TYPE_IRI = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _compact(iri: str) -> str:
    for prefix, ns in _VOCABULARY_PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns) and "/" not in iri[len(ns) :]:
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def compact_json_ld(triples: list[ox.Triple]) -> bytes:
    """JSON-LD 1.1 in compacted form: an ``@context`` of prefixes, one node object per subject,
    properties and types as compact IRIs (``foaf:name``), values typed or tagged as in RDF."""
    import json

    nodes: dict[str, dict] = {}

    def node_id(term) -> str:
        return "_:" + term.value if isinstance(term, ox.BlankNode) else term.value

    def value(term) -> dict:
        if isinstance(term, ox.Literal):
            out: dict = {"@value": term.value}
            if term.language:
                out["@language"] = term.language
            elif term.datatype.value != _XSD_STRING:
                out["@type"] = _compact(term.datatype.value)
            return out
        return {"@id": node_id(term)}

    for t in triples:
        if not isinstance(t.subject, ox.NamedNode | ox.BlankNode):
            continue  # RDF-star subjects have no JSON-LD 1.1 form; the graph holds none
        node = nodes.setdefault(node_id(t.subject), {"@id": node_id(t.subject)})
        if t.predicate.value == _TYPE_IRI and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(_compact(t.object.value))
        else:
            node.setdefault(_compact(t.predicate.value), []).append(value(t.object))
    used = {k.split(":", 1)[0] for n in nodes.values() for k in n if ":" in k and not k.startswith("@")}
    used |= {
        v.split(":", 1)[0]
        for n in nodes.values()
        for v in [*n.get("@type", []), *(x.get("@type", "") for k, vs in n.items() if k != "@type"
                                         and isinstance(vs, list) for x in vs if isinstance(x, dict))]
        if ":" in v
    }  # fmt: skip
    context = {p: ns for p, ns in _VOCABULARY_PREFIXES.items() if p in used}
    document = {"@context": context, "@graph": list(nodes.values())}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _label(store: ox.Store, term, lang: str = "en") -> str:
    if not isinstance(term, ox.NamedNode):
        return term.value
    fallback = None
    for prop in _LABELS:
        for q in store.quads_for_pattern(term, ox.NamedNode(prop), None, None):
            lit = q.object
            if isinstance(lit, ox.Literal):
                if lit.language in (lang, None):
                    return lit.value
                fallback = fallback or lit.value
    if fallback:
        return fallback
    short = _short(term.value)  # a term from elsewhere with no label here: foaf:Person, schema:Person
    return short if short != term.value else term.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _link(store: ox.Store, term, base: str) -> str:
    if isinstance(term, ox.NamedNode):
        text = html.escape(_label(store, term))
        href = local_path(term.value, base) or term.value
        if not href.startswith(("/", "http://", "https://")):
            return text  # a javascript:, data: or other IRI is shown, never followed
        return f'<a href="{html.escape(href, quote=True)}">{text}</a>'
    return html.escape(term.value)


def render_page(store: ox.Store, iri: str, base: str) -> str:
    """An HTML page about one resource: its properties, and what points to it."""
    node = ox.NamedNode(iri)
    title = html.escape(_label(store, node))
    rows = []
    for t in describe(store, iri):
        rows.append(
            f"<tr><th>{html.escape(_short(t.predicate.value))}</th>"
            f"<td>{_link(store, t.object, base)}</td></tr>"
        )
    incoming = []
    seen = set()
    for q in store.quads_for_pattern(None, None, node, None):
        key = (q.subject.value, q.predicate.value)
        if q.predicate.value in _LINK_PROPERTIES:
            continue  # theme links: "Sessions on this theme" says them in words
        if key in seen or len(incoming) >= 200:
            continue
        seen.add(key)
        incoming.append((q.predicate.value, q.subject))
    inc_rows = [
        f"<tr><th>{html.escape(_short(p))} of</th><td>{_link(store, s, base)}</td></tr>"
        for p, s in sorted(incoming, key=lambda x: (x[0], x[1].value))
    ]
    extra_html = _participations(store, node, base) + _sessions_on_theme(store, node, base)
    if store.contains_named_graph(node):
        size = sum(1 for _ in store.quads_for_pattern(None, None, None, node))
        extra_html += f"<p>A named graph of {size} triples.</p>"
    if iri == _ONTOLOGY:
        extra_html += _ontology_terms(store, base)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60em;margin:1em auto}}
th{{text-align:left;padding-right:1em;vertical-align:top;font-weight:normal;color:#555}}</style></head><body>
<h1>{title}</h1><p><code>{html.escape(iri)}</code> · <a href="?format=turtle">Turtle</a> ·
<a href="/sparql">SPARQL</a></p>{extra_html}
<table>{"".join(rows)}</table><h2>Referred to by</h2><table>{"".join(inc_rows)}</table></body></html>"""


_PREFIX_LINES = """PREFIX idm: <https://w3id.org/idmgraph/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
# one row per participation and post; ?x, bound to the page's resource, sits in a triple pattern
# (a FILTER on it, or a property path in an OPTIONAL, makes Oxigraph scan every participation)
_PARTICIPATIONS = (
    _PREFIX_LINES
    + """SELECT ?x ?p ?person ?session ?role ?role_key ?order ?start ?when ?behalf ?post WHERE {
  ?p LINK ?x .
  ?p a idm:Participation ; idm:participant ?person ; idm:session ?session ; idm:role ?role .
  OPTIONAL { ?role skos:notation ?role_key }
  OPTIONAL { ?p schema:position ?order }
  OPTIONAL { ?session schema:startDate ?start }
  OPTIONAL { ?session idm:sortKey ?when }
  OPTIONAL { ?p idm:onBehalfOf ?behalf }
  OPTIONAL { ?p idm:capacityPost ?post }
}"""
)
_OF_PERSON = _PARTICIPATIONS.replace("LINK", "idm:participant")
_OF_SESSION = _PARTICIPATIONS.replace("LINK", "idm:session")
_SUPER_EVENT = ox.NamedNode("https://schema.org/superEvent")
_WORKSHOP = ox.NamedNode("https://w3id.org/idmgraph/ontology#Workshop")


def _workshop_of(store: ox.Store, session: ox.NamedNode) -> ox.NamedNode | None:
    """The workshop a session belongs to: up its schema:superEvent chain (session, day, workshop)."""
    node = session
    for _ in range(4):
        parents = [q.object for q in store.quads_for_pattern(node, _SUPER_EVENT, None, None)]
        if not parents:
            return None
        node = parents[0]
        if next(store.quads_for_pattern(node, _RDF_TYPE, _WORKSHOP, None), None) is not None:
            return node
    return None


# a theme's sessions and meetings, by the rule of the theme queries, with broader themes reached
# through narrower ones: ?x, ?reach and ?scope are bound
_ON_THEME = (
    _PREFIX_LINES
    + """PREFIX route: <https://w3id.org/idmgraph/vocab/theme-route/>
SELECT ?x ?reach ?scope ?node ?via ?through ?when ?start WHERE {
  ?link idm:linkTheme ?x ; idm:linkSession|idm:linkOf ?node ; idm:linkVia ?route .
  """
    + ROUTE_FILTER
    + """
  ?route skos:notation ?via .
  OPTIONAL { ?link idm:linkThrough ?through }
  OPTIONAL { ?node idm:sortKey ?when }
  OPTIONAL { ?node schema:startDate ?start }
}"""
)
_LINK_PROPERTIES = {
    "https://w3id.org/idmgraph/ontology#" + name
    for name in ("linkOf", "linkSession", "linkEvent", "linkTheme", "linkThrough")
}
_HOW = {
    "mapping": "through an editorial mapping from",
    "narrower": "through a narrower theme,",
    "mapping-narrower": "through an editorial mapping and a narrower theme, from",
    "event": "a theme of the whole meeting,",
}


def _themes_of(store: ox.Store, session, base: str) -> str:
    subject = ox.NamedNode("http://purl.org/dc/terms/subject")
    themes = sorted({q.object for q in store.quads_for_pattern(session, subject, None, None)}, key=str)
    return ", ".join(_link(store, t, base) for t in themes)


def _pages_by_fact(store: ox.Store, node: ox.NamedNode) -> dict[str, str]:
    """The public pages behind each participation of a person or a session, as links (the
    rule of ``idmgraph cite``): a curated record's citations (kind and the day read), or the
    published address of the agenda it was read from. Only http(s) addresses become links."""
    from ..cite import citations_of

    found: dict[str, set[tuple[str, str]]] = {}
    for r in citations_of(store, node.value, through=("participant", "session")):
        read = r["read"] or "?"
        what = (
            f"agenda, captured {read}"
            if r["page_kind"] == "agenda file"
            else f"{r['page_kind']}, read {read}"
        )
        found.setdefault(r["fact"], set()).add((r["url"], what))
    out = {}
    for fact, pages in found.items():
        links = [
            f'<a href="{html.escape(url, quote=True)}" rel="nofollow noopener">{html.escape(what)}</a>'
            for url, what in sorted(pages)
            if url.startswith(("https://", "http://"))
        ]
        if links:
            out[fact] = f' <small class="pages">[{"; ".join(links)}]</small>'
    return out


def _participations(store: ox.Store, node: ox.NamedNode, base: str) -> str:
    """A person's participations (session, date, event, role, posts, on whose behalf, themes),
    or a session's people (moderators first, then in the agenda's order)."""
    rows = []
    for query in (_OF_PERSON, _OF_SESSION):
        rows = list(
            store.query(query, use_default_graph_as_union=True, substitutions={ox.Variable("x"): node})
        )
        if rows:
            break
    else:
        return ""
    by_p: dict[str, dict] = {}
    for r in rows:
        entry = by_p.setdefault(r["p"].value, {"row": r, "posts": set()})
        if r["post"] is not None:
            entry["posts"].add(r["post"])
    is_session = rows[0]["session"] == node
    pages = _pages_by_fact(store, node)
    items = []
    for entry in by_p.values():
        r = entry["row"]
        posts = "; ".join(_link(store, t, base) for t in sorted(entry["posts"], key=str))
        behalf = f" for {_link(store, r['behalf'], base)}" if r["behalf"] is not None else ""
        capacity = f", as {posts}" if posts else ""
        if is_session:
            key = (
                r["role_key"] is None or r["role_key"].value != "moderator",
                int(r["order"].value) if r["order"] else 0,
            )
            items.append(
                (
                    key,
                    f"<li>{_link(store, r['person'], base)} ({_link(store, r['role'], base)})"
                    f"{behalf}{capacity}{pages.get(r['p'].value, '')}</li>",
                )
            )
        else:
            # a session without a time: its day, else its meeting's first day (the build's sort key)
            when = r["when"].value if r["when"] is not None else ""
            day = when.split("/")[1][:10] if when.count("/") >= 2 else ""
            day = day if not day.startswith("0000") else when[:10].replace("0000-00-00", "")
            start = r["start"].value.replace("T", " ")[:16] if r["start"] is not None else day
            start = html.escape(start or "undated")
            workshop = _workshop_of(store, r["session"])
            event = f", {_link(store, workshop, base)}" if workshop is not None else ""
            themes = _themes_of(store, r["session"], base)
            on = f"<br>themes: {themes}" if themes else ""
            items.append(
                (
                    (when or start, r["session"].value),
                    f"<li>{start}: {_link(store, r['role'], base)} in "
                    f"{_link(store, r['session'], base)}{event}{behalf}{capacity}"
                    f"{pages.get(r['p'].value, '')}{on}</li>",
                )
            )
    heading = "People" if is_session else "Participations"
    html_items = "".join(item for _, item in sorted(items))
    themes = _themes_of(store, node, base) if is_session else ""
    on = f"<p>Themes: {themes}</p>" if themes else ""
    return f"{on}<h2>{heading}</h2><ul>{html_items}</ul>"


def _sessions_on_theme(store: ox.Store, node: ox.NamedNode, base: str) -> str:
    """A theme's sessions (and meetings whose whole agenda has it), each saying how it reaches
    the theme: the rule of the theme queries, narrower themes included."""
    bindings = {
        ox.Variable("x"): node,
        ox.Variable("reach"): ox.Literal(reach_of(broader=True)),
        ox.Variable("scope"): ox.Literal("session"),
    }
    rows = list(store.query(_ON_THEME, use_default_graph_as_union=True, substitutions=bindings))
    if not rows:
        return ""
    found: dict[str, dict] = {}
    for r in rows:
        entry = found.setdefault(
            r["node"].value,
            {"node": r["node"], "when": r["when"], "start": r["start"], "how": set()},
        )
        entry["how"].add((r["via"].value, r["through"]))
    items = []

    def meetings_first(e: dict) -> tuple:
        return (e["when"] is not None, str(e["when"]), e["node"].value)

    for entry in sorted(found.values(), key=meetings_first):
        start = entry["start"]
        when = html.escape(start.value.replace("T", " ")[:16]) + ": " if start is not None else ""
        how = []
        for via, through in sorted(entry["how"], key=lambda h: (h[0], str(h[1]))):
            if via in _HOW and through is not None:
                how.append(f"{_HOW[via]} {_link(store, through, base)}")
            elif via in _HOW:
                how.append(_HOW[via].rstrip(",").removesuffix(" from"))
            else:
                how.append(html.escape(via))
        whole = " (the whole meeting)" if entry["when"] is None else ""
        items.append(
            f"<li>{when}{_link(store, entry['node'], base)}{whole} "
            f'<span class="via">— {"; ".join(how)}</span></li>'
        )
    return f"<h2>Sessions on this theme</h2><ul>{''.join(items)}</ul>"


def _ontology_terms(store: ox.Store, base: str) -> str:
    """The ontology's classes and properties, each with an anchor its hash IRI points to."""
    definition = ox.NamedNode("http://www.w3.org/2004/02/skos/core#definition")
    comment = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
    terms = sorted({t.subject.value for t in describe_ontology(store) if "#" in t.subject.value})
    items = []
    for iri in terms:
        node, name = ox.NamedNode(iri), iri.split("#", 1)[1]
        text = ""
        for prop in (definition, comment):
            texts = [
                q.object
                for q in store.quads_for_pattern(node, prop, None, None)
                if isinstance(q.object, ox.Literal)
            ]
            english = [t.value for t in texts if t.language in ("en", None)]
            if english:
                text = english[0]
                break
        items.append(
            f'<dt id="{html.escape(name, quote=True)}"><code>idm:{html.escape(name)}</code> '
            f"{html.escape(_label(store, node))}</dt><dd>{html.escape(text)}</dd>"
        )
    return f"<h2>Terms</h2><dl>{''.join(items)}</dl>"


_PREFIXES = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "https://w3id.org/idmgraph/ontology#": "idm:",
    "http://www.w3.org/ns/org#": "org:",
    "https://schema.org/": "schema:",
    "http://xmlns.com/foaf/0.1/": "foaf:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://purl.org/dc/terms/": "dcterms:",
}


def _short(iri: str) -> str:
    for ns, prefix in _PREFIXES.items():
        if iri.startswith(ns):
            return prefix + iri[len(ns) :]
    return iri


_DUMP_MEDIA = {"trig": "application/trig", "nq": "application/n-quads"}


def void_description(
    store: ox.Store, endpoint: str, void_iri: str, base: str = BASE, dumps: dict[str, str] | None = None
) -> str:
    """VoID (Turtle) with the dataset's real statistics, computed from the store, and where its
    whole-dataset dumps can be downloaded (``dumps``: URL -> SHA-256, stated as DCAT 3 states a
    distribution's checksum, with SPDX)."""
    dumps = dumps or {}

    def one(query: str) -> int:
        sol = next(iter(store.query(query, use_default_graph_as_union=True)))
        return int(sol["n"].value)

    triples = one("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    subjects = one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")
    objects = one("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }")

    def counts(query: str, union: bool = True) -> list[tuple[str, int]]:
        """(IRI, count) rows of a query projecting ?key and ?n."""
        return [
            (s["key"].value, int(s["n"].value)) for s in store.query(query, use_default_graph_as_union=union)
        ]

    classes = counts("SELECT ?key (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?key } GROUP BY ?key ORDER BY ?key")
    props = counts(
        "SELECT ?key (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?key ?o WHERE { ?s ?key ?o } } "
        "GROUP BY ?key ORDER BY ?key"
    )
    graphs = counts(
        "SELECT ?key (COUNT(*) AS ?n) WHERE { GRAPH ?key { ?s ?p ?o } } GROUP BY ?key ORDER BY ?key",
        union=False,
    )
    # links into the UN's SDG IRIs from outside them: themes of sessions, editorial mappings
    sdg_links = one(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o "
        "FILTER(STRSTARTS(STR(?o), 'http://metadata.un.org/sdg/') "
        "&& !STRSTARTS(STR(?s), 'http://metadata.un.org/sdg/')) } }"
    )
    dump_lines = "".join(f"\n    void:dataDump <{d}> ;" for d in dumps)
    # the same dataset for DCAT and schema.org readers (data catalogues, search engines): what
    # it is, its licence and version, and where to download or query it
    downloads = [
        Distribution(d.rsplit("/", 1)[-1], _DUMP_MEDIA[d.rsplit(".", 2)[-2]], sha256, url=d, gzip=True)
        for d, sha256 in dumps.items()
    ]
    cp = " ,\n        ".join(f"[ void:class <{c}> ; void:entities {n} ]" for c, n in classes)
    pp = " ,\n        ".join(f"[ void:property <{p}> ; void:triples {n} ]" for p, n in props)
    sub = " ,\n        ".join(f"[ a void:Dataset ; sd:name <{g}> ; void:triples {n} ]" for g, n in graphs)
    # the public pages the graph was read from, as its sources say
    urls = sorted(
        {
            s["url"].value
            for s in store.query(
                "SELECT DISTINCT ?url WHERE { ?src a <https://w3id.org/idmgraph/ontology#SourceDocument> ; "
                "<https://schema.org/url> ?url FILTER(isIRI(?url)) }",
                use_default_graph_as_union=True,
            )
        }
    )
    catalogue = describe_dataset(f"{void_iri}#dataset", downloads, urls, endpoint)
    return (
        catalogue
        + f"""@prefix void: <http://rdfs.org/ns/void#> .
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .

<{void_iri}#dataset> a void:Dataset ;
    void:sparqlEndpoint <{endpoint}> ;{dump_lines}
    void:uriSpace "{base}id/" ;
    void:vocabulary <https://w3id.org/idmgraph/ontology#>, <http://www.w3.org/ns/org#>, <https://schema.org/>,
        <http://xmlns.com/foaf/0.1/>, <http://www.w3.org/2004/02/skos/core#>, <http://www.w3.org/ns/prov#> ;
    void:triples {triples} ;
    void:distinctSubjects {subjects} ;
    void:distinctObjects {objects} ;
    void:classes {len(classes)} ;
    void:properties {len(props)} ;
    void:classPartition {cp} ;
    void:propertyPartition {pp} ;
    void:subset {sub} .

<{void_iri}#sdg-links> a void:Linkset ;
    void:subjectsTarget <{void_iri}#dataset> ;
    void:objectsTarget <http://metadata.un.org/sdg/> ;
    void:triples {sdg_links} .
"""
    )
