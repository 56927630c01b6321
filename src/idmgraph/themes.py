"""Stage 2b: agenda records -> theme assignments (stated, curated, inferred by keyword rules).

A source states its workshop's themes in source.yml (reviewed by whoever added the source);
a curator adds or removes session themes in ``data/curation/session-themes.yml``; keyword
rules in ``data/reference/theme-rules.yml`` infer the rest. The three are kept apart in the
graph so that a consumer can choose what to trust.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from .lexicon import REFERENCE_DIR, read_yaml
from .paths import bundled, curation_dir
from .records import Agenda, AgendaError
from .text import fold

__all__ = [
    "THEMES_DIR",
    "ThemeRule",
    "ThemeAssignment",
    "load_theme_rules",
    "assign_themes",
    "assignment_order",
    "assignment_row",
    "assignment_of",
    "expand_curie",
    "load_theme_graph",
    "theme_files",
    "theme_iris",
    "load_theme_curation",
    "MAPPINGS_FILE",
    "theme_labels",
    "speakers_by_theme",
    "ThemeLink",
    "theme_links",
    "ROUTES",
    "DIRECT_ROUTES",
    "ROUTE_FILTER",
    "reach_of",
    "TaggingScore",
    "score_tagging",
    "score_gold_file",
]

THEMES_DIR = bundled("ontology", "themes")
MAPPINGS_FILE = "mappings.ttl"

CURIES = {
    "sdg": "http://metadata.un.org/sdg/",
    "gcm": "https://w3id.org/idmgraph/vocab/gcm/",
    "topic": "https://w3id.org/idmgraph/vocab/topic/",
}


def expand_curie(curie: str) -> URIRef:
    """Expand a theme CURIE such as ``sdg:10.7`` or ``topic:whole-of-society``.

    >>> str(expand_curie("sdg:10.7"))
    'http://metadata.un.org/sdg/10.7'
    """
    prefix, _, local = curie.partition(":")
    if prefix not in CURIES or not local:
        raise ValueError(f"unknown theme '{curie}': write sdg:..., gcm:... or topic:...")
    return URIRef(CURIES[prefix] + local)


def theme_files(include_mappings: bool = True) -> list[Path]:
    """The Turtle files of the theme vocabularies (SDG, GCM, IDM topics, documents), optionally
    with the editorial mappings."""
    return [p for p in sorted(THEMES_DIR.glob("*.ttl")) if include_mappings or p.name != MAPPINGS_FILE]


@cache
def load_theme_graph(include_mappings: bool = True) -> Graph:
    """The theme vocabularies, optionally with the mappings, as one rdflib graph."""
    g = Graph()
    for path in theme_files(include_mappings):
        g.parse(path, format="turtle")
    return g


@cache
def _theme_iri_triples(include_mappings: bool = True) -> tuple[tuple[str, str, str], ...]:
    """(subject, predicate, object) of each triple of the theme files whose three terms are IRIs,
    as their IRIs' text: read by pyoxigraph, for what a build asks of the vocabularies (the
    concepts, skos:broader, the mappings), where rdflib's Turtle parser took a tenth of a second."""
    import pyoxigraph as ox

    return tuple(
        (t.subject.value, t.predicate.value, t.object.value)
        for path in theme_files(include_mappings)
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        if isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.NamedNode)
    )


@cache
def theme_iris() -> frozenset[URIRef]:
    """Every skos:Concept of the theme vocabularies (not the mappings)."""
    a, concept = str(RDF.type), str(SKOS.Concept)
    return frozenset(URIRef(s) for s, p, o in _theme_iri_triples(False) if p == a and o == concept)


@dataclass(frozen=True)
class ThemeRule:
    id: str
    theme: str  # CURIE, possibly with a {1} placeholder for the pattern's first group
    scope: frozenset[str]
    patterns: tuple[re.Pattern, ...]
    unless: tuple[re.Pattern, ...] = ()

    def themes_in(self, text: str) -> list[tuple[URIRef, str]]:
        """(theme IRI, matched text) for each match of the rule in folded text, but for matches
        inside a match of an ``unless`` pattern."""
        found = []
        spans = [m.span() for pattern in self.unless for m in pattern.finditer(text)]
        for pattern in self.patterns:
            for m in pattern.finditer(text):
                if any(a <= m.start() and m.end() <= b for a, b in spans):
                    continue
                curie = self.theme.replace("{1}", m.group(1)) if "{1}" in self.theme else self.theme
                found.append((expand_curie(curie), m.group(0)))
        return found


@dataclass(frozen=True)
class ThemeAssignment:
    source: str
    event_id: str
    session_id: str | None  # None: the workshop itself
    theme: URIRef
    how: str  # stated | curated | inferred
    rule: str | None = None
    evidence: str | None = field(default=None, compare=False, hash=False)


@cache
def load_theme_rules(path: Path | None = None) -> tuple[ThemeRule, ...]:
    """Rules from theme-rules.yml; a rule naming a theme the vocabularies lack is an error."""
    path = path or REFERENCE_DIR / "theme-rules.yml"
    known = theme_iris()
    rules = []
    for raw in read_yaml(path)["rules"]:
        rule = ThemeRule(
            raw["id"],
            raw["theme"],
            frozenset(raw["scope"]),
            tuple(re.compile(p) for p in raw["patterns"]),
            tuple(re.compile(p) for p in raw.get("unless") or ()),
        )
        if "{1}" not in rule.theme and expand_curie(rule.theme) not in known:
            raise ValueError(f"{path}: rule {rule.id}: theme {rule.theme} is not in ontology/themes/")
        rules.append(rule)
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path}: duplicate rule ids")
    return tuple(rules)


def load_theme_curation(path: Path | None = None) -> list[dict]:
    """Reviewed theme changes of sessions; a malformed file stops the build with its line."""
    from .yamlfile import YamlError, load_yaml_lines

    path = path or curation_dir() / "session-themes.yml"
    if not path.exists():
        return []
    try:
        data, lines = load_yaml_lines(path)
    except YamlError as exc:
        raise AgendaError(str(path), exc.line, exc.message) from exc
    data = data or {}
    rows = data.get("sessions") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(rows or [], list):
        raise AgendaError(str(path), 1, "expected a mapping with a list 'sessions'")
    for i, row in enumerate(rows or []):
        line = lines.get(("sessions", i))
        if not isinstance(row, dict):
            raise AgendaError(str(path), line, "an entry is a mapping with source, session, add and remove")
        missing = {"source", "session"} - set(row)
        if missing:
            raise AgendaError(str(path), line, f"the entry lacks {', '.join(sorted(missing))}")
        for key in ("add", "remove"):
            if not isinstance(row.get(key) or [], list):
                raise AgendaError(
                    str(path), lines.get(("sessions", i, key), line), f"'{key}' is a list of themes"
                )
            for curie in row.get(key) or []:
                try:
                    known = isinstance(curie, str) and expand_curie(curie) in theme_iris()
                except ValueError:
                    known = False
                if not known:
                    raise AgendaError(
                        str(path), lines.get(("sessions", i, key), line), f"unknown theme {curie!r}"
                    )
    return rows or []


def assign_themes(
    agendas: list[Agenda],
    stated: dict[str, list[str]] | None = None,
    curation: list[dict] | None = None,
    rules: tuple[ThemeRule, ...] | None = None,
) -> list[ThemeAssignment]:
    """Every theme assignment for the agendas, sorted; curated removals suppress inferences."""
    rules = load_theme_rules() if rules is None else rules
    curation = load_theme_curation() if curation is None else curation
    stated = stated or {}
    known = theme_iris()
    out: dict[ThemeAssignment, ThemeAssignment] = {}  # first evidence kept
    removed = {
        (row["source"], row["session"], expand_curie(c)) for row in curation for c in row.get("remove") or []
    }
    matched: dict[tuple[str, str], list[tuple[str, URIRef, str]]] = {}  # (scope, text) -> what rules find
    for agenda in agendas:
        ev = agenda.event.id
        for curie in stated.get(agenda.source, []):
            a = ThemeAssignment(agenda.source, ev, None, expand_curie(curie), "stated")
            out.setdefault(a, a)
        targets: list[tuple[str | None, str, str]] = [(None, "workshop", agenda.context)]
        targets += [
            (s.id, "session", f"{s.title}\n{s.description}" if s.description else s.title)
            for s in agenda.sessions
            if s.kind != "break"
        ]
        for session_id, scope, text in targets:
            # titles recur ("Opening session", a series' panels): the rules read each text once
            found = matched.get((scope, text))
            if found is None:
                folded = fold(text).replace("œ", "oe").replace("æ", "ae")  # main-d'œuvre as main-d'oeuvre
                found = matched[scope, text] = [
                    (rule.id, theme, evidence)
                    for rule in rules
                    if scope in rule.scope
                    for theme, evidence in rule.themes_in(folded)
                ]
            for rule_id, theme, evidence in found:
                if theme not in known or (agenda.source, session_id, theme) in removed:
                    continue
                a = ThemeAssignment(agenda.source, ev, session_id, theme, "inferred", rule_id, evidence)
                out.setdefault(a, a)
        for row in curation:
            if row["source"] != agenda.source:
                continue
            ids = {s.id for s in agenda.sessions}
            if row["session"] not in ids:
                raise AgendaError(
                    str(curation_dir() / "session-themes.yml"),
                    None,
                    f"{agenda.source} has no session {row['session']}",
                )
            for curie in row.get("add") or []:
                a = ThemeAssignment(agenda.source, ev, row["session"], expand_curie(curie), "curated")
                out.setdefault(a, a)
    return sorted(out.values(), key=assignment_order)


def assignment_order(a: ThemeAssignment) -> tuple:
    """Where an assignment comes in ``assign_themes``'s list: by source, session, theme, how, rule."""
    return (a.source, a.session_id or "", str(a.theme), a.how, a.rule or "")


def assignment_row(a: ThemeAssignment) -> list:
    """An assignment as plain values (JSON), every field in order; ``assignment_of`` reads it back."""
    return [a.source, a.event_id, a.session_id, str(a.theme), a.how, a.rule, a.evidence]


def assignment_of(row: list) -> ThemeAssignment:
    source, event_id, session_id, theme, how, rule, evidence = row
    return ThemeAssignment(source, event_id, session_id, URIRef(theme), how, rule, evidence)


# How a session reaches a theme; the first three are the session's own themes.
ROUTES = ("stated", "curated", "keyword-rule", "mapping", "narrower", "mapping-narrower", "event")
DIRECT_ROUTES = ("stated", "curated", "keyword-rule")
_ROUTE_OF = {"stated": "stated", "curated": "curated", "inferred": "keyword-rule"}

# The one rule every theme query, page and view applies to the links (each .rq file holds it
# verbatim; a test checks): a session's own themes always; a mapped theme unless only direct
# tags are asked for (?reach "direct..."); a broader theme when asked (?reach "...-broader");
# a theme of the whole meeting when asked (?scope "event").
ROUTE_FILTER = """FILTER (?route IN (route:stated, route:curated, route:keyword-rule)
          || (?route = route:mapping && STRSTARTS(?reach, "mapped"))
          || (?route = route:narrower && STRENDS(?reach, "-broader"))
          || (?route = route:mapping-narrower && ?reach = "mapped-broader")
          || (?route = route:event && ?scope = "event"))"""


def reach_of(direct: bool = False, broader: bool = False) -> str:
    """The value of ?reach for a theme query: direct or mapped, with or without broader themes."""
    return ("direct" if direct else "mapped") + ("-broader" if broader else "")


@dataclass(frozen=True, order=True)
class ThemeLink:
    """A session (``session_id``) or a workshop (None) reaches ``theme`` by ``via``, through one of
    its own themes (``through``) where the route is a mapping, a narrower theme or the event."""

    event_id: str
    session_id: str | None
    theme: str  # IRI
    via: str
    through: str | None = None


@cache
def _theme_relations() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """(broader ancestors, mapped themes) of every theme: skos:broader transitively; the editorial
    mappings one hop, in both directions (exact, close, related, broad and narrow matches)."""
    triples = _theme_iri_triples(include_mappings=True)
    broader: dict[str, set[str]] = {}
    mapped: dict[str, set[str]] = {}
    matching = (SKOS.exactMatch, SKOS.closeMatch, SKOS.relatedMatch, SKOS.broadMatch, SKOS.narrowMatch)
    matches, broader_of = {str(m) for m in matching}, str(SKOS.broader)
    for s, p, o in triples:
        if p == broader_of:
            broader.setdefault(s, set()).add(o)
        elif p in matches:
            mapped.setdefault(s, set()).add(o)
            mapped.setdefault(o, set()).add(s)
    ancestors: dict[str, frozenset[str]] = {}
    for concept in map(str, theme_iris()):
        seen: set[str] = set()
        todo = list(broader.get(concept, ()))
        while todo:
            b = todo.pop()
            if b not in seen:
                seen.add(b)
                todo.extend(broader.get(b, ()))
        ancestors[concept] = frozenset(seen - {concept})
    return ancestors, {k: frozenset(v) for k, v in mapped.items()}


def theme_links(assignments: list[ThemeAssignment], agendas: list[Agenda]) -> list[ThemeLink]:
    """Every way each session and workshop reaches a theme: the one definition every theme query,
    page and view reads (materialised in the derived graph as idm:ThemeLink).

    - its own themes: stated by the source, added by a curator, inferred by a keyword rule;
    - ``mapping``: a theme an editorial mapping ties to one of its own (one hop, both directions);
    - ``narrower``: a broader theme of one of its own (SDG 10 through target 10.7);
    - ``mapping-narrower``: a broader theme of a mapped one (both steps must be asked for);
    - ``event``: for a session, a theme of its whole workshop (asked for with scope=event).
    """
    ancestors, mapped = _theme_relations()
    own: dict[tuple[str, str | None], set[str]] = {}
    links: set[ThemeLink] = set()
    for a in assignments:
        key = (a.event_id, a.session_id)
        own.setdefault(key, set()).add(str(a.theme))
        links.add(ThemeLink(a.event_id, a.session_id, str(a.theme), _ROUTE_OF[a.how]))
    for (event_id, session_id), themes in own.items():
        for t in themes:
            for m in mapped.get(t, ()):
                if m not in themes:
                    links.add(ThemeLink(event_id, session_id, m, "mapping", t))
                for b in ancestors.get(m, ()):
                    if b not in themes:
                        links.add(ThemeLink(event_id, session_id, b, "mapping-narrower", t))
            for b in ancestors.get(t, ()):
                if b not in themes:
                    links.add(ThemeLink(event_id, session_id, b, "narrower", t))
    for agenda in agendas:
        for t in sorted(own.get((agenda.event.id, None), ())):
            for s in agenda.sessions:
                if s.kind not in ("break", "event"):
                    links.add(ThemeLink(agenda.event.id, s.id, t, "event", t))
    return sorted(links, key=lambda x: (x.event_id, x.session_id or "", x.theme, x.via, x.through or ""))


@cache
def theme_labels(lang: str = "en") -> dict[URIRef, str]:
    """Theme IRI -> preferred label in a language."""
    out = {}
    for concept, label in load_theme_graph(False).subject_objects(SKOS.prefLabel):
        if getattr(label, "language", None) == lang:
            out[concept] = str(label)
    return out


def speakers_by_theme(
    assignments: list[ThemeAssignment], agendas: list[Agenda]
) -> list[tuple[URIRef, list[tuple[str, list[str]]]]]:
    """For each theme given to sessions: (theme, [(session label, [names, moderators marked])])."""
    sessions = {(a.event.id, s.id): s for a in agendas for s in a.sessions}
    by_theme: dict[URIRef, list[tuple[str, list[str]]]] = {}
    for a in assignments:
        if a.session_id is None:
            continue
        s = sessions[(a.event_id, a.session_id)]
        names = [f"{p.name} (moderator)" for p in s.moderators] + [p.name for p in s.speakers]
        entry = (s.label, names)
        if entry not in by_theme.setdefault(a.theme, []):
            by_theme[a.theme].append(entry)
    labels = theme_labels("en")
    return sorted(by_theme.items(), key=lambda kv: labels.get(kv[0], str(kv[0])))


@dataclass(frozen=True)
class TaggingScore:
    """Precision and recall of the keyword rules against a reviewed gold standard, counted in
    (session, theme) pairs; the misses and false alarms are listed for review."""

    sessions: int
    gold: int
    found: int
    correct: int
    missed: tuple[tuple[str, str, str], ...]
    wrong: tuple[tuple[str, str, str], ...]

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0


def score_tagging(gold: dict[str, dict[str, list[str]]], agendas: dict[str, Agenda]) -> TaggingScore:
    """Score the keyword rules: ``gold`` maps an agenda's key to {session id: [theme CURIEs]},
    ``agendas`` the same key to the agenda read. Only rules count (no stated or curated themes).
    A session of the gold missing from the agenda, or of the agenda missing from the gold, is
    a ValueError: the gold must cover every session."""
    want: set[tuple[str, str, str]] = set()
    got: set[tuple[str, str, str]] = set()
    sessions = 0
    for key, by_session in gold.items():
        agenda = agendas[key]
        ids = {s.id for s in agenda.sessions if s.kind != "break"}
        if set(by_session) != ids:
            raise ValueError(
                f"{key}: the gold lists {sorted(set(by_session) - ids)} the agenda lacks, "
                f"and lacks {sorted(ids - set(by_session))}"
            )
        sessions += len(ids)
        for session_id, curies in by_session.items():
            want.update((key, session_id, str(expand_curie(c))) for c in curies or ())
        for a in assign_themes([agenda], {}, []):
            if a.session_id is not None and a.how == "inferred":
                got.add((key, a.session_id, str(a.theme)))
    return TaggingScore(
        sessions, len(want), len(got), len(want & got), tuple(sorted(want - got)), tuple(sorted(got - want))
    )


def score_gold_file(path: Path, part: str = "agendas", root: Path | None = None) -> TaggingScore:
    """Score the rules against one part (``agendas`` or ``heldout``) of a gold file such as
    tests/golden/session-themes.yml; agenda paths in it are relative to ``root`` (the folder
    that holds the file's repository: its parent's parent by default)."""
    from .agenda import parse_agenda

    root = root or path.resolve().parent.parent.parent
    gold = read_yaml(path)[part]
    agendas = {key: parse_agenda(root / key) for key in gold}
    return score_tagging(gold, agendas)
