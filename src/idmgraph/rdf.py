"""Stage 3: resolved entities -> RDF: one named graph per source, plus entities, reference,
ontology, themes and derived.

A source graph holds what that agenda alone states: its workshop, days and sessions, the
participations with their verbatim text, contributions and stated themes. People, posts,
holdings and organisations are resolved across sources, so they are described once, in the
entities graph (holdings keep every attesting source): a triple repeated in several graphs
would be counted once per graph by queries over the union. Default graph: what each source
graph is and where it came from (PROV-O). Nothing here reads the clock, so the same inputs give
the same graph.
"""

from __future__ import annotations

import functools
import hashlib
import json
from typing import TYPE_CHECKING, NamedTuple

from rdflib import RDF, RDFS, XSD, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, SKOS, Namespace

from . import __version__, iris
from .curated import load_series
from .lexicon import load_lexicon
from .namespace import (
    CONTRIBUTION,
    DELIVERY,
    ID,
    IDM,
    LEVEL,
    M49_REGION,
    ORG_TYPE,
    ROLE,
    ROUTE,
    SESSION_KIND,
    VOID,
)
from .paths import bundled
from .posts import highest_level, level_of
from .quads import GraphQuads, Pending, Quads, Term, TermSpace, iri, lit, term
from .records import Agenda
from .regions import load_m49
from .resolve import Resolution, ResolvedOrganization, ResolvedParticipation
from .sources import Source
from .states import load_states
from .themes import (
    MAPPINGS_FILE,
    THEMES_DIR,
    ThemeAssignment,
    ThemeLink,
    load_theme_rules,
    theme_files,
    theme_links,
)

if TYPE_CHECKING:
    from .rdf_units import SourceUnits

__all__ = [
    "build_dataset",
    "participation_views",
    "post_levels",
    "ParticipationView",
    "PostView",
    "ONTOLOGY_PATH",
]

SDO = Namespace("https://schema.org/")
# below, the vocabularies give N-Triples terms, each made once (a build states rdf:type and a
# dozen properties hundreds of thousands of times; an rdflib IRI is made and checked anew each)
RDF, RDFS, XSD, DCTERMS, FOAF, ORG, OWL, PROV, SKOS, SDO, IDM, VOID = (
    TermSpace(ns) for ns in (RDF, RDFS, XSD, DCTERMS, FOAF, ORG, OWL, PROV, SKOS, SDO, IDM, VOID)
)
CONTRIBUTION, DELIVERY, LEVEL, M49_REGION, ORG_TYPE, ROLE, ROUTE, SESSION_KIND = (
    TermSpace(ns) for ns in (CONTRIBUTION, DELIVERY, LEVEL, M49_REGION, ORG_TYPE, ROLE, ROUTE, SESSION_KIND)
)
ONTOLOGY_DIR = bundled("ontology")
ONTOLOGY_PATH = ONTOLOGY_DIR / "idm.ttl"

SERIES_NAMES = {"en": "International Dialogue on Migration", "fr": "Dialogue international sur la migration"}
MEDIA_TYPES = {
    "record": "application/yaml",
    "text": "text/plain",
    "html": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _date(value: str) -> Term:
    return lit(value, datatype=XSD.date)


def _datetime(day: str | None, hhmm: str) -> Term:
    """A session time: a dateTime on a known day, else a bare time."""
    if day:
        return lit(f"{day}T{hhmm}:00", datatype=XSD.dateTime)
    return lit(f"{hhmm}:00", datatype=XSD.time)


def _label(
    g: GraphQuads, node: URIRef, text: str, lang: str | None = None, prop: Term = SKOS.prefLabel
) -> None:
    g.add((node, prop, lit(text, lang=lang)))
    g.add((node, RDFS.label, lit(text, lang=lang)))


def build_dataset(
    res: Resolution,
    sources: dict[str, Source],
    themes: list[ThemeAssignment] | None = None,
    units: SourceUnits | None = None,
) -> Quads:
    """The whole graph: source graphs, reference, ontology, themes and derived shortcuts.
    ``units``: the statements each source gave a build before (``idmgraph.rdf_units``), taken
    where the source and what the resolution says of its participations are the same."""
    ds = Quads()
    ent = ds.graph(iris.ENTITIES_GRAPH)
    derived = ds.graph(iris.DERIVED_GRAPH)
    parts = res.participations_by_source()
    levels, themed = post_levels(res), _session_themes(themes or [])
    # how each session and workshop reaches each theme, by event: stated in the derived graph
    # with each source of the event (in its unit: a source whose themes did not change has its
    # links taken, not made)
    links: dict[str, list[ThemeLink]] = {}
    for link in theme_links(themes or [], res.agendas):
        links.setdefault(link.event_id, []).append(link)
    every_unit = units is not None
    made: dict = {}  # what the views share across sources
    pending: list[Pending] = []  # the units taken, read where they are asked for
    for agenda in res.agendas:
        views = participation_views(res, parts[agenda.source], levels, themed, made)
        its_links = links.get(agenda.event.id, [])
        g = ds.graph(iris.source_graph(agenda.source))
        fingerprint = units.fingerprint(agenda, views, its_links) if units is not None else None
        taken = units.take(fingerprint) if fingerprint else None
        if fingerprint is not None:
            units.sources[agenda.source] = fingerprint
        if taken is not None:
            graphs = (g.iri, ent.iri, derived.iri)
            read = functools.partial(_kept_unit, units, fingerprint, agenda, views, its_links)
            pending.append(Pending(graphs, taken.counts, taken.subjects, read))
        elif fingerprint is None:
            every_unit = False
            _add_source(g, ent, derived, agenda, views, its_links)
        else:  # made apart, to be kept: what this source states in the shared graphs
            own_ent, own_derived = GraphQuads(ent.name), GraphQuads(derived.name)
            _add_source(g, own_ent, own_derived, agenda, views, its_links)
            units.put(fingerprint, g.triples, own_ent.triples, own_derived.triples)
            ent.triples |= own_ent.triples
            derived.triples |= own_derived.triples
    # what no source's unit gives: made apart, then added (idmgraph.patch compares it with the
    # last build's to find what changed)
    own = Quads()
    own.graph(iris.ONTOLOGY_GRAPH).parse(ONTOLOGY_PATH)
    _add_reference(own.graph(iris.REFERENCE_GRAPH), res)
    _add_provenance(own.default_graph, res, sources)
    _add_posts(own.graph(iris.ENTITIES_GRAPH), own.graph(iris.DERIVED_GRAPH), res, levels)
    _add_themes(own, res, themes or [])
    _merge(ds, own)
    ds.defer(pending)
    _describe_graphs(ds, own.default_graph)
    ds.default_graph.triples |= own.default_graph.triples
    if units is not None and every_unit:
        units.shared = {"": own.default_graph.triples, **{g.name: g.triples for g in own._graphs.values()}}
    return ds


def _kept_unit(
    units: SourceUnits,
    fingerprint: str,
    agenda: Agenda,
    views: list[ParticipationView],
    links: list[ThemeLink],
) -> tuple[list[str], list[str], list[str]]:
    """The statements of a source's unit taken from the last build (its graph's, and what it
    states in the entities and derived graphs), read; made anew if they cannot be (a unit
    damaged since it was taken)."""
    kept = units.unit(fingerprint)
    if kept is not None:
        return kept
    g, ent, derived = GraphQuads(None), GraphQuads(None), GraphQuads(None)
    _add_source(g, ent, derived, agenda, views, links)
    return list(g.triples), list(ent.triples), list(derived.triples)


def _merge(ds: Quads, more: Quads) -> None:
    """The statements of ``more`` added to those of ``ds``, graph by graph."""
    ds.default_graph.triples |= more.default_graph.triples
    for key, g in more._graphs.items():
        ds.graph(key).triples |= g.triples


_GRAPH_LABELS = {
    iris.ONTOLOGY_GRAPH: "the idmgraph ontology (ontology/idm.ttl)",
    iris.REFERENCE_GRAPH: "reference data: states and organisation types (data/reference/)",
    iris.ENTITIES_GRAPH: "people, organisations, posts and post holdings, resolved across sources",
    iris.DERIVED_GRAPH: "shortcuts the build derives from the sources (idm:hasSpeaker, idm:spokeOn, ...)",
    iris.CURATED_THEMES_GRAPH: "session themes from reviewed curation (data/curation/session-themes.yml)",
}


def _describe_graphs(ds: Quads, into: GraphQuads | None = None) -> None:
    """Every named graph says what it is and what made it, so its IRI resolves to something:
    in the default graph of ``ds`` (or in ``into``, from what that default graph holds)."""
    prov_graph = ds.default_graph
    into = prov_graph if into is None else into
    activity = iris.build_activity(__version__)
    labelled = prov_graph.subjects_with(RDFS.label)
    labels = {str(k): v for k, v in _GRAPH_LABELS.items()}
    for graph in ds.held_graphs():  # those whose statements are not read yet too
        g = graph.name
        if g not in labelled:
            into.add((g, RDFS.label, lit(labels.get(graph.iri, f"graph {graph.iri}"), lang="en")))
        into.add((g, RDF.type, PROV.Entity))
        if (g, PROV.wasAttributedTo, iris.editors_agent()) not in prov_graph:
            into.add((g, PROV.wasGeneratedBy, activity))


def _actor_type(res: Resolution, p: ResolvedParticipation) -> str | None:
    """The kind of actor a participant spoke as: their post's organisation, a state's post
    counting as national government; else whom they spoke for."""
    for key in p.posts:
        post = res.posts[key]
        if post.organization:
            org_type = res.organizations[post.organization].type
            if org_type:
                return org_type
        elif post.state:
            return "national-government"
    if p.on_behalf_of:
        kind, key = p.on_behalf_of
        return "national-government" if kind == "state" else res.organizations[key].type
    return None


def _add_themes(ds: Quads, res: Resolution, assignments: list[ThemeAssignment]) -> None:
    prov_graph = ds.default_graph
    vocabularies = ds.graph(iris.THEMES_GRAPH)
    for path in theme_files(include_mappings=False):
        vocabularies.parse(path)
    prov_graph.add(
        (
            iris.THEMES_GRAPH,
            RDFS.label,
            lit("theme vocabularies: SDGs, Global Compact, IDM topics", lang="en"),
        )
    )
    mappings = ds.graph(iris.MAPPINGS_GRAPH)
    mappings.parse(THEMES_DIR / MAPPINGS_FILE)
    editors = iris.editors_agent()
    prov_graph.add((editors, RDF.type, PROV.Agent))
    prov_graph.add((editors, RDFS.label, lit("idmgraph editors")))
    prov_graph.add((iris.MAPPINGS_GRAPH, RDF.type, PROV.Entity))
    prov_graph.add((iris.MAPPINGS_GRAPH, PROV.wasAttributedTo, editors))
    prov_graph.add(
        (
            iris.MAPPINGS_GRAPH,
            DCTERMS.description,
            lit(
                "Editorial mappings between theme schemes, made by the idmgraph editors; "
                "not UN or IOM statements.",
                lang="en",
            ),
        )
    )
    agent, activity = iris.software_agent(__version__), iris.build_activity(__version__)
    rules = {r.id: r for r in load_theme_rules()}
    described_rules: set[str] = set()
    for a in assignments:
        node = iris.session(a.event_id, a.session_id) if a.session_id else iris.workshop(a.event_id)
        if a.how == "stated":
            g = ds.graph(iris.source_graph(a.source))
        elif a.how == "curated":
            g = ds.graph(iris.CURATED_THEMES_GRAPH)
        else:
            graph_iri = iris.inferred_themes_graph(a.rule or "")
            g = ds.graph(graph_iri)
        if a.how == "inferred" and a.rule not in described_rules:  # a rule's provenance, once
            described_rules.add(a.rule)
            rule, rule_iri = rules[a.rule], iris.theme_rule(a.rule or "")
            prov_graph.add((graph_iri, RDF.type, PROV.Entity))
            prov_graph.add((graph_iri, PROV.wasGeneratedBy, activity))
            prov_graph.add((graph_iri, PROV.wasAttributedTo, agent))
            prov_graph.add((graph_iri, PROV.wasDerivedFrom, rule_iri))
            prov_graph.add((rule_iri, RDF.type, PROV.Plan))
            prov_graph.add((rule_iri, RDFS.label, lit(f"theme rule {rule.id}")))
            prov_graph.add(
                (
                    rule_iri,
                    RDFS.comment,
                    lit(
                        f"keyword rule from data/reference/theme-rules.yml: {rule.theme} "
                        "when the folded text matches " + " | ".join(p.pattern for p in rule.patterns)
                    ),
                )
            )
        g.add((node, DCTERMS.subject, a.theme))
    if any(a.how == "curated" for a in assignments):
        prov_graph.add((iris.CURATED_THEMES_GRAPH, RDF.type, PROV.Entity))
        prov_graph.add((iris.CURATED_THEMES_GRAPH, PROV.wasAttributedTo, editors))
        prov_graph.add(
            (iris.CURATED_THEMES_GRAPH, DCTERMS.source, lit("data/curation/session-themes.yml"))
        )


def _add_theme_links(derived: GraphQuads, links: list[ThemeLink]) -> None:
    """How each session and workshop reaches each theme (``themes.theme_links``): the one
    definition the queries read. Each node, theme and route in its N-Triples form once, for the
    triples that name it (a build states hundreds of thousands of links); the statements put in
    the graph's set as GraphQuads.add would."""
    nodes: dict[tuple[str, str | None], tuple[Term, Term, str]] = {}
    terms: dict[str, Term] = {}  # of the themes, by IRI
    routes: dict[str, Term] = {}
    link_session, link_of, link_event = term(IDM.linkSession), term(IDM.linkOf), term(IDM.linkEvent)
    link_theme, link_via, link_through = term(IDM.linkTheme), term(IDM.linkVia), term(IDM.linkThrough)
    addresses, put = term(IDM.addresses), derived.triples.add
    for link in links:
        found = nodes.get((link.event_id, link.session_id))
        if found is None:
            workshop_iri = iris.workshop(link.event_id)
            node_iri = iris.session(link.event_id, link.session_id) if link.session_id else workshop_iri
            found = (term(workshop_iri), term(node_iri), str(node_iri))
            nodes[(link.event_id, link.session_id)] = found
        workshop, node, node_text = found
        theme = terms.get(link.theme) or terms.setdefault(link.theme, iri(link.theme))
        ln = iri(iris.theme_link_text(node_text, link))
        # a session's link names it by idm:linkSession (a sub-property of idm:linkOf), a whole
        # meeting's by idm:linkOf: one triple less per link (a graph holds millions of links)
        put(f"{ln} {link_session if link.session_id else link_of} {node}")
        put(f"{ln} {link_event} {workshop}")
        put(f"{ln} {link_theme} {theme}")
        via = routes.get(link.via) or routes.setdefault(link.via, term(ROUTE[link.via]))
        put(f"{ln} {link_via} {via}")
        if link.through:
            through = terms.get(link.through) or terms.setdefault(link.through, iri(link.through))
            put(f"{ln} {link_through} {through}")
        if link.via in ("stated", "curated", "keyword-rule", "narrower"):
            put(f"{node} {addresses} {theme}")  # its own themes and their broader ones


def _add_m49(g: GraphQuads, m49, used: set[str]) -> None:
    """The M49 regions the states of the graph are in (with their broader regions) and the
    three groups, as SKOS concepts with their source."""
    scheme = IDM.M49Regions
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, DCTERMS.source, URIRef("https://unstats.un.org/unsd/methodology/m49/overview/")))
    g.add((scheme, DCTERMS.valid, lit(m49.as_of)))
    names = {"en": "UN M49 regions", "fr": "régions M49 des Nations Unies", "es": "regiones M49"}
    for lang, name in names.items():
        g.add((scheme, SKOS.prefLabel, lit(name, lang=lang)))
    for code in sorted(used):
        node, region = M49_REGION[code], m49.regions[code]
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.inScheme, scheme))
        g.add((node, SKOS.notation, lit(code)))
        for lang in ("en", "fr", "es"):
            g.add((node, SKOS.prefLabel, lit(region[lang], lang=lang)))
        if region.get("broader"):
            g.add((node, SKOS.broader, M49_REGION[region["broader"]]))
        else:
            g.add((node, SKOS.topConceptOf, scheme))
        g.add((node, IDM.m49Level, lit(m49.level(code))))
    for code, group in sorted(m49.groups.items()):
        node = M49_REGION[code]
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.inScheme, scheme))
        g.add((node, SKOS.notation, lit(code)))
        for lang, label in group["labels"].items():
            g.add((node, SKOS.prefLabel, lit(label, lang=lang)))
        g.add((node, IDM.m49Level, lit("group")))


def _add_reference(g: GraphQuads, res: Resolution) -> None:
    states = load_states()
    m49 = load_m49()
    used: set[str] = set()
    series = iris.series()
    g.add((series, RDF.type, SDO.EventSeries))
    for lang, name in SERIES_NAMES.items():
        g.add((series, SDO.name, lit(name, lang=lang)))
        g.add((series, RDFS.label, lit(name, lang=lang)))
    g.add((series, SDO.organizer, iris.organization("iom")))
    for code in sorted(res.states):
        s = states.get(code)
        node = iris.state(code)
        g.add((node, RDF.type, IDM.State))
        g.add((node, RDF.type, ORG.FormalOrganization))
        g.add((node, RDF.type, ORG.Organization))
        _label(g, node, s.name_en, "en")
        _label(g, node, s.name_fr, "fr")
        g.add((node, IDM.iso3166Alpha3, lit(s.alpha_3)))
        g.add((node, IDM.iso3166Alpha2, lit(s.alpha_2)))
        if s.numeric:
            g.add((node, IDM.m49, lit(s.numeric)))
        chain = m49.chain(code)
        if chain:
            g.add((node, IDM.m49Region, M49_REGION[chain[0]]))
            used.update(chain)
        for area in chain:
            g.add((node, IDM.inM49Area, M49_REGION[area]))
        for group in sorted(m49.groups_of(code)):
            g.add((node, IDM.m49Group, M49_REGION[group]))
            g.add((node, IDM.inM49Area, M49_REGION[group]))
    _add_m49(g, m49, used)
    for org in sorted((o for o in res.organizations.values() if o.known), key=lambda o: o.key):
        node = iris.organization(org.key)
        _org_common(g, node, org)
        _label(g, node, org.name_en or org.name, "en")
        _label(g, node, org.name_fr or org.name, "fr")


def _org_common(g: GraphQuads, node: URIRef, org) -> None:
    g.add((node, RDF.type, ORG.Organization))
    g.add((node, RDF.type, ORG.OrganizationalCollaboration if org.collaboration else ORG.FormalOrganization))
    for acronym in org.acronyms:
        g.add((node, SKOS.altLabel, lit(acronym)))
    if org.type:
        g.add((node, IDM.organizationType, ORG_TYPE[org.type]))
    if org.state:
        g.add((node, IDM.state, iris.state(org.state)))
    if getattr(org, "country", None):
        g.add((node, IDM.basedIn, iris.state(org.country)))
    if org.parent:
        g.add((node, ORG.subOrganizationOf, iris.organization(org.parent)))
    elif org.state and org.type in ("national-government", "local-government"):
        g.add((node, ORG.subOrganizationOf, iris.state(org.state)))


def _add_provenance(g: GraphQuads, res: Resolution, sources: dict[str, Source]) -> None:
    activity, agent = iris.build_activity(__version__), iris.software_agent(__version__)
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, lit(f"idmgraph {__version__}")))
    g.add((agent, OWL.versionInfo, lit(__version__)))
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, PROV.wasAssociatedWith, agent))
    # the dataset and its URI space: where its instance IRIs live (moved by build --base)
    dataset = iris.dataset()
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, RDFS.label, lit("idmgraph: IOM International Dialogue on Migration", lang="en")))
    g.add((dataset, VOID.uriSpace, lit(str(ID))))
    g.add((dataset, PROV.wasGeneratedBy, activity))
    for agenda in res.agendas:
        src = sources[agenda.source]
        doc, graph = iris.source_document(agenda.source), iris.source_graph(agenda.source)
        g.add((doc, RDF.type, IDM.SourceDocument))
        g.add((doc, RDF.type, PROV.Entity))
        if agenda.format == "record":
            g.add((doc, RDF.type, IDM.CuratedRecord))
        for key, cited in agenda.citations.items():
            page = iris.citation(agenda.source, key)
            g.add((page, RDF.type, IDM.Citation))
            g.add((page, RDF.type, PROV.Entity))
            g.add((page, SDO.url, URIRef(cited.url)))
            g.add((page, IDM.readOn, _date(cited.read)))
            g.add((page, IDM.pageKind, lit(cited.shows)))
            g.add((page, RDFS.label, lit(f"{cited.shows}: {cited.url}")))
            g.add((doc, PROV.wasDerivedFrom, page))  # the record was compiled from its pages
        g.add((doc, DCTERMS.identifier, lit(agenda.source)))
        g.add(
            (
                doc,
                DCTERMS.title,
                lit(str(src.meta.get("title") or agenda.event.title), lang=agenda.event.language),
            )
        )
        g.add((doc, DCTERMS.language, lit(agenda.event.language)))
        # a synthetic agenda has no file: its digest is that of its records
        content = (
            src.path.read_bytes()
            if src.path.exists()
            else json.dumps(agenda.to_json(), sort_keys=True).encode()
        )
        g.add((doc, IDM.contentSha256, lit(hashlib.sha256(content).hexdigest())))
        g.add((doc, SDO.encodingFormat, lit(MEDIA_TYPES.get(agenda.format, "text/plain"))))
        g.add((doc, RDFS.label, lit(f"source {agenda.source}")))
        if src.meta.get("url"):
            g.add((doc, SDO.url, URIRef(str(src.meta["url"]))))
        if src.meta.get("publisher"):
            g.add((doc, DCTERMS.publisher, lit(str(src.meta["publisher"]))))
        if src.meta.get("retrieved"):
            g.add((doc, IDM.retrievedOn, _date(str(src.meta["retrieved"]))))
        if src.meta.get("licence"):
            g.add((doc, DCTERMS.rights, lit(str(src.meta["licence"]).strip())))
        g.add((activity, PROV.used, doc))
        g.add((graph, RDF.type, PROV.Entity))
        g.add((graph, PROV.wasDerivedFrom, doc))
        g.add((graph, PROV.wasGeneratedBy, activity))
        g.add((graph, PROV.wasAttributedTo, agent))


def _add_event(g: GraphQuads, ent: GraphQuads, derived: GraphQuads, agenda) -> None:
    ev, lang = agenda.event, agenda.event.language
    doc = iris.source_document(agenda.source)
    workshop = iris.workshop(ev.id)
    year = (ev.start_date or "")[:4]
    parent = iris.series()
    if ev.series != "idm":  # a meeting of another series belongs to the series itself
        parent = iris.event_series(ev.series)
        ent.add((parent, RDF.type, SDO.EventSeries))
        for lg, name in load_series()[ev.series].items():
            ent.add((parent, SDO.name, lit(name, lang=lg)))
            ent.add((parent, RDFS.label, lit(name, lang=lg)))
        derived.add((parent, SDO.subEvent, workshop))
    elif year:
        parent = iris.edition(year)
        ent.add((parent, RDF.type, IDM.Edition))  # an edition groups workshops of several sources
        ent.add((parent, RDF.type, SDO.Event))
        ent.add((parent, SDO.superEvent, iris.series()))
        for lg, name in SERIES_NAMES.items():
            ent.add((parent, SDO.name, lit(f"{name} {year}", lang=lg)))
            ent.add((parent, RDFS.label, lit(f"{name} {year}", lang=lg)))
        derived.add((iris.series(), SDO.subEvent, parent))
    g.add((workshop, RDF.type, IDM.Workshop))
    g.add((workshop, RDF.type, SDO.Event))
    g.add((workshop, SDO.superEvent, parent))
    derived.add((parent, SDO.subEvent, workshop))
    if ev.venue:
        g.add((workshop, SDO.location, lit(ev.venue)))
    for key in agenda.event_citations:
        g.add((workshop, IDM.citation, iris.citation(agenda.source, key)))
    _label(g, workshop, ev.title, lang, SDO.name)
    if ev.city:
        g.add((workshop, SDO.location, lit(ev.city)))
    if ev.start_date:
        g.add((workshop, SDO.startDate, _date(ev.start_date)))
    if ev.end_date:
        g.add((workshop, SDO.endDate, _date(ev.end_date)))
    g.add((workshop, DCTERMS.source, doc))
    days = sorted({s.day for s in agenda.sessions if s.day})
    for i, d in enumerate(days, start=1):
        node = iris.day(ev.id, d)
        g.add((node, RDF.type, IDM.Day))
        g.add((node, RDF.type, SDO.Event))
        g.add((node, SDO.superEvent, workshop))
        g.add((node, SDO.startDate, _date(d)))
        g.add((node, SDO.position, lit(i)))
        g.add((node, RDFS.label, lit(f"{ev.title[:60]} — {d}", lang=lang)))
        derived.add((workshop, SDO.subEvent, node))
    for i, s in enumerate(agenda.sessions, start=1):
        node = iris.session(ev.id, s.id)
        up = iris.day(ev.id, s.day) if s.day else workshop
        g.add((node, RDF.type, IDM.Session))
        g.add((node, RDF.type, SDO.Event))
        g.add((node, SDO.superEvent, up))
        derived.add((up, SDO.subEvent, node))
        g.add((node, SDO.name, lit(s.title, lang=lang)))
        g.add((node, RDFS.label, lit(s.label, lang=lang)))
        g.add((node, IDM.statedAs, lit(s.label, lang=lang)))
        g.add((node, IDM.sessionKind, SESSION_KIND[s.kind]))
        if s.start:
            g.add((node, SDO.startDate, _datetime(s.day, s.start)))
        if s.end:
            g.add((node, SDO.endDate, _datetime(s.day, s.end)))
        if s.description:
            g.add((node, SDO.description, lit(s.description, lang=lang)))
        g.add((node, SDO.position, lit(i)))
        # the agenda's order, also for sessions without times (which have no startDate to sort by)
        when = f"{ev.start_date or '0000-00-00'}/{s.day or '0000-00-00'}T{s.start or '--:--'}/{i:04d}"
        derived.add((node, IDM.sortKey, lit(when)))
        derived.add((node, IDM.inMeeting, workshop))  # schema:superEvent+ in one step
        g.add((node, IDM.sourceLine, lit(s.line)))
        if s.page:
            g.add((node, IDM.sourcePage, lit(s.page)))
        g.add((node, PROV.wasDerivedFrom, doc))
        for key in s.citations:
            g.add((node, IDM.citation, iris.citation(agenda.source, key)))
        if s.number is not None:
            g.add((node, IDM.sessionNumber, lit(s.number)))


def _post_kind(res: Resolution, post) -> str | None:
    """Where a post is, as the levels of representation read it: "state" for a post of the state
    itself, else its organisation's type (None when unknown)."""
    if post.organization:
        return res.organizations[post.organization].type
    return "state" if post.state else None


def post_levels(res: Resolution) -> dict[str, str | None]:
    """Each post's level of representation, read from its words in every language met."""
    return {
        key: highest_level(level_of(t, _post_kind(res, post)) for ts in post.titles.values() for t in ts)
        for key, post in res.posts.items()
    }


def _session_themes(assignments: list[ThemeAssignment]) -> dict[tuple[str, str], tuple[str, ...]]:
    """The themes of each session (by event and session), its own: stated, curated or inferred."""
    found: dict[tuple[str, str], set[str]] = {}
    for a in assignments:
        if a.session_id:
            found.setdefault((a.event_id, a.session_id), set()).add(str(a.theme))
    return {key: tuple(sorted(themes)) for key, themes in found.items()}


def _add_posts(ent: GraphQuads, derived: GraphQuads, res: Resolution, levels: dict[str, str | None]) -> None:
    """Each post once (and each holding's dates once): its wordings in every language met (the
    first of a language its preferred label), its organisation, and its level of representation
    (``levels``); a participation's level is stated with the participation. Each statement put
    in its graph's set as the text it is (as ``_add_participation``: a build states some ten
    for each of thousands of posts)."""
    in_entities, in_derived = ent.triples.add, derived.triples.add
    a_post = f" {RDF.type} {ORG.Post}"
    post_in, leveled, attested = f" {ORG.postIn} ", f" {IDM.representationLevel} ", f" {IDM.attestedOn} "
    preferred, alternative, label = f" {SKOS.prefLabel} ", f" {SKOS.altLabel} ", f" {RDFS.label} "
    for key, post in res.posts.items():
        node = term(iris.post(key))
        in_entities(node + a_post)
        if post.organization:
            in_entities(f"{node}{post_in}{term(iris.organization(post.organization))}")
        elif post.state:
            in_entities(f"{node}{post_in}{term(iris.state(post.state))}")
        for lang, titles in post.titles.items():
            for i, title in enumerate(titles):
                text = lit(title, lang=lang)
                in_entities(f"{node}{alternative if i else preferred}{text}")
                in_entities(f"{node}{label}{text}")
        if levels[key]:
            in_derived(f"{node}{leveled}{LEVEL[levels[key]]}")
    days: dict[str, Term] = {}  # each date's literal, made once (many holdings share a day)
    for hkey, holding in res.holdings.items():  # each holding's dates once (a post held at many events)
        node = term(iris.holding(hkey))
        for day in holding.dates:
            found = days.get(day) or days.setdefault(day, _date(day))
            in_entities(f"{node}{attested}{found}")


class PostView(NamedTuple):
    """What a participation's statements say of a post it was held in."""

    organization: str | None  # organisation key
    state: str | None
    title: str
    lang: str


class ParticipationView(NamedTuple):
    """A participation with what its statements read of the resolution: beside its agenda's
    records (its entry and session), all they are made from."""

    part: ResolvedParticipation
    name: str  # the person's name, as resolved across sources
    author_name: str | None  # the name of the author of the contribution delivered
    organizations: tuple[ResolvedOrganization, ...]  # those of part.organizations, in order
    posts: tuple[PostView, ...]  # those of part.posts, in order
    level: str | None  # the highest level of representation of its posts
    actor_type: str | None  # the kind of actor it spoke as (``_actor_type``)
    themes: tuple[str, ...]  # the IRIs of its session's own themes


def participation_views(
    res: Resolution,
    parts: list[ResolvedParticipation],
    levels: dict[str, str | None] | None = None,
    themes: dict[tuple[str, str], tuple[str, ...]] | None = None,
    made: dict | None = None,
) -> list[ParticipationView]:
    """Each participation with what the resolution says of the people, posts and organisations
    it names, its level (``levels``: each post's, ``post_levels``) and its session's themes (by
    event and session) (what ``idmgraph.rdf_units`` fingerprints). ``made``: what the views of
    one resolution share (each post's view, each set of posts' level and kind of actor), kept
    between calls for the same resolution and levels."""
    persons, posts, orgs = res.persons, res.posts, res.organizations
    levels = post_levels(res) if levels is None else levels
    themes = themes or {}
    made = {} if made is None else made
    views = []
    for p in parts:
        # participations of one resolution that name the same posts (and speak for the same
        # party) read the same of them: made once
        shared = made.get((p.posts, p.on_behalf_of))
        if shared is None:
            held = tuple(
                PostView(post.organization, post.state, post.title, post.lang)
                for post in (posts[k] for k in p.posts)
            )
            shared = (held, highest_level(levels[k] for k in p.posts), _actor_type(res, p))
            made[(p.posts, p.on_behalf_of)] = shared
        views.append(
            ParticipationView(
                p,
                persons[p.person].name,
                persons[p.author].name if p.author else None,
                tuple(orgs[k] for k in p.organizations),
                shared[0],
                shared[1],
                shared[2],
                themes.get((p.event_id, p.session.id), ()),
            )
        )
    return views


def _add_source(
    g: GraphQuads,
    ent: GraphQuads,
    derived: GraphQuads,
    agenda: Agenda,
    views: list[ParticipationView],
    links: list[ThemeLink],
) -> None:
    """What one source states: its event and sessions, and its participations (in its graph,
    and what they name in the entities and derived graphs), and how its event's sessions reach
    their themes (``links``, in the derived graph). Made from the agenda, the views and the links
    alone, so that their fingerprint with the agenda's key says when it is made the same."""
    _add_event(g, ent, derived, agenda)
    for view in views:
        _add_participation(g, ent, derived, view, agenda.event.language)
    _add_theme_links(derived, links)


def _add_participation(
    g: GraphQuads, ent: GraphQuads, derived: GraphQuads, view: ParticipationView, lang: str
) -> None:
    """The participation (and contribution) in the source graph; the person, posts, holdings
    and organisations it names in the entities graph, once for all sources."""
    # each node in its N-Triples form once, and each statement added to its graph's set as the
    # text it is (a build states some thirty of them for each of its participations)
    in_source, in_entities, in_derived = g.triples.add, ent.triples.add, derived.triples.add
    p = view.part
    doc = term(iris.source_document(p.source))
    person = term(iris.person(p.person))
    entry = p.entry
    canonical = view.name
    name = lit(canonical)
    in_entities(f"{person} {RDF.type} {FOAF.Person}")
    in_entities(f"{person} {RDF.type} {SDO.Person}")
    in_entities(f"{person} {FOAF.name} {name}")
    in_entities(f"{person} {RDFS.label} {name}")
    if entry.name != canonical:
        in_entities(f"{person} {SDO.alternateName} {lit(entry.name)}")
    if entry.honorific:
        in_entities(f"{person} {SDO.honorificPrefix} {lit(entry.honorific)}")
    for key, org in zip(p.organizations, view.organizations):
        if not org.known:
            node = iris.organization(key)
            _org_common(ent, node, org)
            _label(ent, node, org.name, org.lang)
    session = term(iris.session(p.event_id, p.session.id))
    part_iri = iris.participation(p.event_id, p.session.id, p.role, p.person)
    part = term(part_iri)
    for statement in (
        f"{part} {RDF.type} {IDM.Participation}",
        f"{part} {IDM.participant} {person}",
        f"{part} {IDM.session} {session}",
        f"{part} {IDM.role} {ROLE[p.role]}",
        f"{part} {SDO.position} {lit(p.order)}",
        f"{part} {IDM.statedAs} {lit(entry.text, lang=lang)}",
        f"{part} {IDM.sourceLine} {lit(entry.line)}",
        f"{part} {PROV.wasDerivedFrom} {doc}",
        f"{part} {RDFS.label} {lit(f'{canonical} — {p.role} — {p.session.label[:50]}', lang=lang)}",
    ):
        in_source(statement)
    if entry.page:
        in_source(f"{part} {IDM.sourcePage} {lit(entry.page)}")
    if entry.country:
        in_source(f"{part} {IDM.basedIn} {term(iris.state(entry.country))}")
    cited = [term(iris.citation(p.source, key)) for key in entry.citations]
    for page in cited:
        in_source(f"{part} {IDM.citation} {page}")
    if p.on_behalf_of:
        kind, key = p.on_behalf_of
        spoken_for = iris.state(key) if kind == "state" else iris.organization(key)
        in_source(f"{part} {IDM.onBehalfOf} {term(spoken_for)}")
    for post_key, hkey, post in zip(p.posts, p.holdings, view.posts):
        post_node, hold = term(iris.post(post_key)), term(iris.holding(hkey))
        owner = (
            iris.organization(post.organization)
            if post.organization
            else iris.state(post.state)
            if post.state
            else None
        )
        if owner is not None:
            in_entities(f"{hold} {ORG.organization} {term(owner)}")
        in_entities(f"{hold} {RDF.type} {IDM.PostHolding}")
        in_entities(f"{hold} {RDF.type} {ORG.Membership}")
        in_entities(f"{hold} {ORG.member} {person}")
        in_entities(f"{hold} {IDM.post} {post_node}")
        in_entities(f"{hold} {RDFS.label} {lit(f'{canonical} — {post.title}', lang=post.lang)}")
        in_entities(f"{hold} {PROV.wasDerivedFrom} {doc}")
        for page in cited:
            in_entities(f"{hold} {IDM.citation} {page}")
        in_source(f"{part} {IDM.inCapacityOf} {hold}")
        in_derived(f"{person} {ORG.holds} {post_node}")
        in_derived(f"{part} {IDM.capacityPost} {post_node}")
    if entry.contribution or entry.delivery or entry.talk_title or p.author:
        c = term(iris.contribution(part_iri))
        author = term(iris.person(p.author)) if p.author else person
        in_source(f"{c} {RDF.type} {IDM.Contribution}")
        if entry.contribution:
            in_source(f"{c} {IDM.contributionKind} {CONTRIBUTION[entry.contribution]}")
        if entry.contribution_label:
            in_source(f"{c} {IDM.statedAs} {lit(entry.contribution_label, lang=lang)}")
        if entry.delivery:
            in_source(f"{c} {IDM.delivery} {DELIVERY[entry.delivery]}")
        if entry.talk_title:
            in_source(f"{c} {SDO.name} {lit(entry.talk_title, lang=lang)}")
        in_source(f"{c} {SDO.author} {author}")
        if p.author:
            in_source(f"{c} {IDM.deliveredBy} {person}")
            written = entry.on_behalf_of_person
            author_name = lit(view.author_name)
            in_entities(f"{author} {RDF.type} {FOAF.Person}")
            in_entities(f"{author} {RDF.type} {SDO.Person}")
            in_entities(f"{author} {FOAF.name} {author_name}")
            in_entities(f"{author} {RDFS.label} {author_name}")
            if written is not None and written.honorific:
                in_entities(f"{author} {SDO.honorificPrefix} {lit(written.honorific)}")
        in_source(f"{c} {IDM.deliveredIn} {session}")
        in_source(f"{c} {IDM.viaParticipation} {part}")
        in_source(f"{c} {PROV.wasDerivedFrom} {doc}")
        what = entry.contribution or entry.talk_title or "contribution"
        who = view.author_name if p.author else canonical
        in_source(f"{c} {RDFS.label} {lit(f'{what} — {who}', lang=lang)}")
    if view.level:
        in_derived(f"{part} {IDM.representationLevel} {LEVEL[view.level]}")
    if view.actor_type:
        in_derived(f"{part} {IDM.actorType} {ORG_TYPE[view.actor_type]}")
    for theme in view.themes:
        in_derived(f"{person} {IDM.spokeOn} {iri(theme)}")
    moderating = p.role in load_lexicon().moderating_roles  # a chair or co-chair leads the session too
    in_derived(f"{session} {IDM.hasModerator if moderating else IDM.hasSpeaker} {person}")
    in_derived(f"{person} {IDM.tookPartIn} {term(iris.workshop(p.event_id))}")
