"""Stage 5: the built graph -> answers. Named research queries (``ontology/queries/*.rq``) and
free SPARQL, returning pandas DataFrames; parameters are bound, never pasted into the text.

A query file opens with comment lines saying what it answers, then one line per parameter::

    # param ?person (required, person): a person IRI, or a name

Parameters are bound by Oxigraph's substitution (SEP-0007), which needs each parameter
variable in the SELECT projection (and GROUP BY); the language column is dropped from the
answer. The kind in brackets says how a value given by a user becomes an RDF term (a name is
turned into the person's IRI the way the build mints it; a state name or code into the
state's IRI). A value that names nothing in the graph is an error, not an empty table.

SPARQL leaves the order of the items a ``GROUP_CONCAT`` joins to the engine; the answer sorts
them, so a query gives the same table from Oxigraph, Virtuoso or any other store.

A research query must answer the same on every store (``tests/test_backends.py`` runs each on
Oxigraph, ``idmgraph serve``, the oxigraph server and Virtuoso). On an endpoint its parameters
are bound by a VALUES block at the top of the WHERE clause, so:

- use a parameter only where the outer group's bindings reach: in a triple pattern or FILTER of
  the outer group, or in the FILTER of a top-level ``OPTIONAL`` (the join condition), never inside
  a nested group or ``OPTIONAL`` within an ``OPTIONAL``;
- make ``ORDER BY`` total and compare strings: ``STR(?label)``, then ``STR(?iri)`` to break ties;
- keep each ``OPTIONAL`` to one or two patterns (Oxigraph joins larger ones over the whole graph),
  and write every ``OPTIONAL`` after the required patterns: Oxigraph evaluates in written order, and
  an early ``OPTIONAL { ?session schema:startDate ?start }`` took session-speakers from 0.1 s to
  10 s at a million triples (person-participations from 0.4 s to 90 s).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import iris
from .namespace import BASE, LEVEL, ORG_TYPE, rebase
from .paths import bundled, default_out
from .store import open_store, select, solution_rows
from .text import fold
from .themes import reach_of

__all__ = [
    "QuerySpec",
    "iri_base",
    "QueryError",
    "list_queries",
    "load_query",
    "run_query",
    "run_sparql",
    "run_sparql_guarded",
    "IDMGraph",
    "open_graph",
    "QUERIES_DIR",
]

QUERIES_DIR = bundled("ontology", "queries")
_PARAM = re.compile(r"^#\s*param\s+\?(\w+)\s+\((required|optional),\s*([\w-]+)\)\s*:\s*(.*)$")
LANGS = ("en", "fr")
# GROUP_CONCAT(... SEPARATOR="x") AS ?v, with at most one level of brackets inside
_CONCAT = re.compile(
    r'GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*?SEPARATOR\s*=\s*"([^"]*)"\s*\)\s+AS\s+\?(\w+)', re.IGNORECASE
)


class QueryError(ValueError):
    """A query name, parameter or value that cannot be used (exit code 2)."""


@dataclass(frozen=True)
class Param:
    name: str
    required: bool
    kind: str
    help: str


@dataclass(frozen=True)
class QuerySpec:
    name: str
    path: Path
    description: str
    params: tuple[Param, ...]
    text: str

    @property
    def joined(self) -> dict[str, str]:
        """The columns a GROUP_CONCAT fills, with their separators."""
        return {m.group(2): m.group(1) for m in _CONCAT.finditer(self.text)}


def sort_joined(value, separator: str):
    """The items of a GROUP_CONCAT in sorted order (engines join them in any order); nothing
    joined is no value (Virtuoso answers "", Oxigraph leaves it unbound), and empty items (from
    ``COALESCE(?x, "")``: Oxigraph leaves the whole GROUP_CONCAT unbound when one row lacks ?x)
    are dropped.

    >>> sort_joined("b; a; c", "; ")
    'a; b; c'
    >>> sort_joined(" GCM", " ")
    'GCM'
    >>> sort_joined("", "; ") is None
    True
    """
    if not isinstance(value, str):
        return value
    if separator not in value:  # one item (most rows)
        return value or None
    items = sorted(item for item in value.split(separator) if item)
    return separator.join(items) if items else None


def _parse_spec(path: Path) -> QuerySpec:
    text = path.read_text(encoding="utf-8")
    description, params = [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _PARAM.match(line)
        if m:
            params.append(Param(m.group(1), m.group(2) == "required", m.group(3), m.group(4)))
        else:
            description.append(line.lstrip("# ").rstrip())
    return QuerySpec(path.stem, path, " ".join(d for d in description if d), tuple(params), text)


def list_queries(folder: Path = QUERIES_DIR) -> list[QuerySpec]:
    """Every research query shipped in ``ontology/queries/``, by name."""
    return [_parse_spec(p) for p in sorted(folder.glob("*.rq"))]


def load_query(name: str, folder: Path = QUERIES_DIR) -> QuerySpec:
    path = folder / f"{name}.rq"
    if not re.fullmatch(r"[a-z0-9-]+", name) or not path.exists():
        known = ", ".join(q.name for q in list_queries(folder))
        raise QueryError(f"no query named '{name}'; known queries: {known}")
    return _parse_spec(path)


def _exists(store: ox.Store, node: ox.NamedNode, cls: str) -> bool:
    ask = f"ASK {{ ?x a <{cls}> }}"  # the class is ours; the node is bound, not pasted
    return bool(store.query(ask, use_default_graph_as_union=True, substitutions={ox.Variable("x"): node}))


_BASE_QUERY = """SELECT ?space WHERE {
  ?dataset <http://rdfs.org/ns/void#uriSpace> ?space .
  FILTER (STR(?dataset) = CONCAT(STR(?space), "dataset"))
} LIMIT 1"""


def iri_base(store) -> str:
    """The base the build minted its instance IRIs under (``idmgraph build --base``), read from
    the dataset's own void:uriSpace; the default base for a graph that does not say."""
    for row in store.query(_BASE_QUERY, use_default_graph_as_union=True):
        space = row["space"].value
        if space.endswith("/id/"):
            return space[: -len("id/")]
    return BASE


def _minted(store, iri) -> ox.NamedNode:
    """An IRI minted as the build mints it, under the store's own base."""
    return ox.NamedNode(rebase(str(iri), iri_base(store)))


def _close_names(store: ox.Store, value: str, n: int = 5) -> list[str]:
    """People whose name holds the words given ("Swing": William Lacy Swing) or is spelled close
    to it, for the error that names no one."""
    import difflib

    names = sorted(
        {sol["n"].value for sol in store.query(_NAMES_QUERY, use_default_graph_as_union=True)}, key=fold
    )
    wanted = fold(value).split()
    by_words = [name for name in names if wanted and all(w in fold(name).split() for w in wanted)]
    folded = {fold(name): name for name in names}
    by_spelling = [folded[f] for f in difflib.get_close_matches(fold(value), list(folded), n=n, cutoff=0.75)]
    return list(dict.fromkeys(by_words + by_spelling))[:n]


_NAMES_QUERY = (
    "SELECT DISTINCT ?n WHERE { "
    "?p a <http://xmlns.com/foaf/0.1/Person> ; <http://xmlns.com/foaf/0.1/name> ?n }"
)


def _resolve_value(store: ox.Store, param: Param, value: str) -> ox.NamedNode | ox.Literal:
    """Turn a user's value into the RDF term the query expects, or raise QueryError."""
    value = value.strip()
    is_iri = value.startswith(("http://", "https://"))
    if is_iri:
        try:
            ox.NamedNode(value)
        except ValueError as exc:
            raise QueryError(f"'{value}' is not a valid IRI: {exc}") from exc
    if param.kind == "lang":
        if value not in LANGS:
            raise QueryError(f"--lang must be one of {', '.join(LANGS)}, not '{value}'")
        return ox.Literal(value)
    if param.kind == "person":
        node = ox.NamedNode(value) if is_iri else _minted(store, iris.person(iris.person_key(value)))
        if not _exists(store, node, "http://xmlns.com/foaf/0.1/Person"):
            close = [] if is_iri else _close_names(store, value)
            hint = f"; did you mean {', '.join(repr(n) for n in close)}?" if close else ""
            raise QueryError(f"no person '{value}' in the graph{hint}")
        return node
    if param.kind == "state":
        if is_iri:
            node = ox.NamedNode(value)
        else:
            from .states import load_states

            state = load_states().lookup(value)
            if state is None and len(value) == 3 and value.isalpha():
                node = _minted(store, iris.state(value.upper()))
            elif state is None:
                raise QueryError(f"'{value}' is not a state name or ISO 3166-1 alpha-3 code")
            else:
                node = _minted(store, iris.state(state.alpha_3))
        if not _exists(store, node, "https://w3id.org/idmgraph/ontology#State"):
            raise QueryError(f"no state '{value}' in the graph")
        return node
    if param.kind == "organization-type":
        key = fold(value).replace(" ", "-")
        if not is_iri and not re.fullmatch(r"[a-z0-9-]+", key):
            raise QueryError(f"no organisation type '{value}'")
        node = ox.NamedNode(value if is_iri else str(ORG_TYPE[key]))
        if not _exists(store, node, "http://www.w3.org/2004/02/skos/core#Concept"):
            raise QueryError(f"no organisation type '{value}'")
        return node
    if param.kind == "session":
        if not is_iri:
            raise QueryError(f"give the session as its IRI, not '{value}'")
        node = ox.NamedNode(value)
        if not _exists(store, node, "https://w3id.org/idmgraph/ontology#Session"):
            raise QueryError(f"no session '{value}' in the graph")
        return node
    if param.kind == "series":
        from .curated import load_series

        if is_iri:
            node = ox.NamedNode(value)
        else:
            names = {fold(n): sid for sid, by_lang in load_series().items() for n in (sid, *by_lang.values())}
            sid = names.get(fold(value))
            if sid is None:
                raise QueryError(f"no event series '{value}'; the series: {', '.join(load_series())}")
            node = _minted(store, iris.event_series(sid))
        if not _exists(store, node, "https://schema.org/EventSeries") and node != _minted(
            store, iris.series()
        ):
            raise QueryError(f"no meeting of the series '{value}' in the graph")
        return node
    if param.kind == "theme":
        return find_theme(store, value)
    if param.kind in CHOICES:
        if value.lower() not in CHOICES[param.kind]:
            raise QueryError(f"parameter {param.name} takes {', '.join(CHOICES[param.kind])}, not '{value}'")
        return ox.Literal(value.lower())
    if param.kind == "level":
        key = fold(value).replace(" ", "-")
        known = is_iri or re.fullmatch(r"[a-z0-9-]+", key)
        node = ox.NamedNode(value if is_iri else str(LEVEL[key])) if known else None
        if node is None or not _exists(store, node, "http://www.w3.org/2004/02/skos/core#Concept"):
            from .posts import level_order

            raise QueryError(f"no level of representation '{value}'; the levels: {', '.join(level_order())}")
        return node
    if param.kind == "scope":
        if value.lower() not in SCOPES:
            raise QueryError(f"parameter {param.name} takes {' or '.join(SCOPES)}, not '{value}'")
        return ox.Literal(value.lower())
    if param.kind in ("bool", "broader", "direct"):
        truth = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
        if value.lower() not in truth:
            raise QueryError(f"parameter {param.name} takes true or false, not '{value}'")
        return ox.Literal("true" if truth[value.lower()] else "false", datatype=XSD_BOOLEAN)
    if param.kind == "iri":
        if not is_iri:
            raise QueryError(f"parameter {param.name} takes an IRI, not '{value}'")
        return ox.NamedNode(value)
    return ox.Literal(value)


SCOPES = ("session", "event")
# settings that take one of a few words, the first the default
CHOICES = {"per": ("state", "event", "session"), "by": ("region", "subregion", "group")}
# settings of a theme query, not answers: bound, then dropped from the table (Virtuoso echoes a
# bound boolean back as the integer 1)
SETTING_KINDS = ("lang", "broader", "direct", "scope", "per", "by")
XSD_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
THEME_SCHEMES = {
    "sdg": "https://w3id.org/idmgraph/vocab/theme/sdg",
    "gcm": "https://w3id.org/idmgraph/vocab/theme/gcm",
    "topic": "https://w3id.org/idmgraph/vocab/theme/idm-topics",
}
_SCHEME_WORDS = {
    "sdg": "sdg",
    "odd": "sdg",
    "goal": "sdg",
    "target": "sdg",
    "cible": "sdg",
    "objectif": None,
    "gcm": "gcm",
    "pmm": "gcm",
    "objective": "gcm",
    "topic": "topic",
}
_THEMES_QUERY = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?c ?scheme ?notation ?label WHERE {
  ?c a skos:Concept ; skos:inScheme ?scheme .
  OPTIONAL { ?c skos:notation ?notation }
  OPTIONAL { ?c skos:prefLabel|skos:altLabel ?label }
}"""


def find_theme(store: ox.Store, value: str) -> ox.NamedNode:
    """The theme concept a user names: IRI, notation ("10.7", "SDG 10", "GCM 21", "gcm:21") or
    a label in English or French. Ambiguity and absence are errors (QueryError)."""
    schemes = {v: k for k, v in THEME_SCHEMES.items()}
    concepts: dict[str, dict] = {}
    for sol in store.query(_THEMES_QUERY, use_default_graph_as_union=True):
        scheme = schemes.get(sol["scheme"].value)
        if scheme is None:
            continue
        c = concepts.setdefault(sol["c"].value, {"scheme": scheme, "notation": None, "labels": set()})
        if sol["notation"] is not None:
            c["notation"] = sol["notation"].value.lower()
        if sol["label"] is not None:
            label = fold(sol["label"].value)
            c["labels"].add(label)
            if ":" in label:
                c["labels"].add(label.split(":", 1)[1].strip())
    if value.startswith(("http://", "https://")):
        if value not in concepts:
            raise QueryError(f"no theme <{value}> in the graph")
        return ox.NamedNode(value)
    folded = fold(value)
    exact = sorted(iri for iri, c in concepts.items() if c["notation"] == folded)
    if len(exact) == 1:
        return ox.NamedNode(exact[0])
    m = re.fullmatch(r"([a-z]+)\s*[: -]?\s*([0-9]+(?:\.[0-9a-z]+)?|[a-z][a-z-]*)", folded)
    wanted_scheme, notation = None, folded
    if m and m.group(1) in _SCHEME_WORDS and m.group(1) != folded:
        wanted_scheme, notation = _SCHEME_WORDS[m.group(1)], m.group(2)
    matches = sorted(
        iri
        for iri, c in concepts.items()
        if c["notation"] == notation and wanted_scheme in (None, c["scheme"])
    )
    if not matches:
        matches = sorted(iri for iri, c in concepts.items() if folded in c["labels"])
    if not matches:
        raise QueryError(
            f"no theme '{value}': give an IRI, a notation such as 10.7, 'SDG 10' or "
            f"'GCM 21', a topic such as whole-of-society, or a label"
        )
    if len(matches) > 1:
        listing = ", ".join(
            f"{concepts[i]['scheme'].upper()} {concepts[i]['notation']} <{i}>" for i in matches
        )
        raise QueryError(f"theme '{value}' is ambiguous: {listing}; say 'SDG {value}' or 'GCM {value}'")
    return ox.NamedNode(matches[0])


_XSD = "http://www.w3.org/2001/XMLSchema#"
_CONVERT = {
    **{_XSD + t: int for t in ("integer", "int", "long")},
    **{_XSD + t: float for t in ("decimal", "double", "float")},
    _XSD + "boolean": lambda v: v == "true",
}
_LITERAL = ox.Literal


def _python(term):
    if term is None:
        return None
    if type(term) is _LITERAL:
        convert = _CONVERT.get(term.datatype.value)
        return convert(term.value) if convert else term.value
    return term.value


_PLAIN = {_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


def _column(terms: list) -> list:
    """The Python values of a column of terms: a column of IRIs or of strings (most of them)
    read at once, others term by term."""
    if all(type(t) is not _LITERAL for t in terms):
        return [None if t is None else t.value for t in terms]
    if {t.datatype.value for t in terms if type(t) is _LITERAL} <= _PLAIN:
        return [None if t is None else t.value for t in terms]
    return [_python(t) for t in terms]


# the XSD date types a column of datetimes is made from, and how it is written back as text
_DATES = {_XSD + "date": "date", _XSD + "dateTime": "dateTime"}


def _frame(columns: list[str], rows: list[tuple], hidden: set[str] = frozenset()):
    """A DataFrame of an answer with typed columns: numbers as numbers, booleans as booleans,
    and a column whose values are all ``xsd:date`` or all ``xsd:dateTime`` as pandas datetimes
    (``frame.attrs["xsd"]`` says which, for writing them back as ISO 8601; see ``iso_frame``).
    The ``hidden`` columns are left out."""
    import pandas as pd  # imported here: the build does not need pandas

    # column by column: a large answer (10,000 rows) converts in a third of the time row by row takes
    data, kinds = {}, {}
    shown = [c for c in columns if c not in hidden]
    for i, c in enumerate(columns):
        if c in hidden:
            continue
        terms = [row[i] for row in rows]
        data[c] = _column(terms)
        # a column of dates: its first value is one (most columns stop here), and so are all
        first = next((t for t in terms if t is not None), None)
        if type(first) is not _LITERAL or first.datatype.value not in _DATES:
            continue
        types = {t.datatype.value if type(t) is _LITERAL else None for t in terms if t is not None}
        if len(types) == 1 and (kind := _DATES.get(types.pop())):
            try:
                data[c] = pd.to_datetime(pd.Series(data[c], dtype=object), format="ISO8601")
                kinds[c] = kind
            except (ValueError, TypeError):  # time zones mixed with none: the text stays
                pass
    frame = pd.DataFrame(data, columns=shown)
    frame.attrs["xsd"] = kinds
    return frame


def iso_frame(frame):
    """The frame with its datetime columns written as ISO 8601 text (``2017-04-18``,
    ``2017-04-18T10:00:00``), as the graph states them: for CSV, JSON and the terminal."""
    import pandas as pd

    kinds = frame.attrs.get("xsd", {})
    dated = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    if not dated:
        return frame
    out = frame.copy()
    for c in dated:
        midnight = (out[c].dropna().dt.normalize() == out[c].dropna()).all()
        as_date = kinds.get(c) == "date" or (c not in kinds and midnight)
        out[c] = [
            None if pd.isna(v) else (v.date().isoformat() if as_date else v.isoformat()) for v in out[c]
        ]
    return out


def query_bindings(spec: QuerySpec, params: dict[str, str], store: ox.Store) -> dict:
    """The RDF terms a query's variables are bound to, from a user's parameter values."""
    name = spec.name
    declared = {p.name: p for p in spec.params}
    unknown = set(params) - set(declared)
    if unknown:
        raise QueryError(
            f"query '{name}' has no parameter {', '.join(sorted(unknown))}; "
            f"it takes: {', '.join(declared) or 'none'}"
        )
    bindings = {}
    for p in spec.params:
        if p.name in params and params[p.name] is not None:
            bindings[p.name] = _resolve_value(store, p, str(params[p.name]))
        elif p.required:
            raise QueryError(f"query '{name}' needs --param {p.name}=VALUE ({p.help})")
    for p in spec.params:
        if p.kind in CHOICES and p.name not in bindings:
            bindings[p.name] = ox.Literal(CHOICES[p.kind][0])
    if any(p.kind == "broader" for p in spec.params):
        # how far a theme query reaches (themes.ROUTE_FILTER reads ?reach and ?scope)
        bindings.update(theme_settings(spec, bindings))
    return bindings


def theme_settings(spec: QuerySpec | None, bindings: dict) -> dict:
    """?reach and ?scope of a theme query from its direct, broader and scope parameters."""

    def true(name: str) -> bool:
        return bindings.get(name) is not None and bindings[name].value == "true"

    scope = bindings.get("scope")
    return {
        "reach": ox.Literal(reach_of(direct=true("direct"), broader=true("broader"))),
        "scope": scope if scope is not None else ox.Literal("session"),
    }


def run_query(
    name: str,
    params: dict[str, str] | None = None,
    store: ox.Store | None = None,
    build_dir: Path | None = None,
    lang: str | None = None,
):
    """Run a named research query and return a pandas DataFrame.

    Values are bound to the query's variables (SEP-0007 substitution in Oxigraph): a value
    such as ``} DROP ALL {`` is just a string that matches nothing.
    """
    spec = load_query(name)
    params = dict(params or {})
    if lang is not None:
        params["lang"] = lang
    store = store or open_store(build_dir or default_out())
    bindings = query_bindings(spec, params, store)
    columns, rows = select(store, spec.text, bindings)
    hidden = {p.name for p in spec.params if p.kind in SETTING_KINDS} | {"reach"}
    frame = _frame(columns, rows, hidden)
    for column, separator in spec.joined.items():
        if column in frame.columns:
            frame[column] = frame[column].map(lambda v, sep=separator: sort_joined(v, sep))
    return frame


def _nesting(text: str) -> None:
    from .serve.federation import check_nesting
    from .serve.protocol import ProtocolError

    try:
        check_nesting(text)
    except ProtocolError as exc:
        raise QueryError(exc.message) from exc


def _sparql_child(build_dir: str, text: str, conn) -> None:
    """In a child process: run the query on the build, send back its answer as SPARQL JSON or
    N-Triples (the engine may abort on some queries: only this process dies then)."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # an engine abort prints a Rust backtrace: the parent says what happened
    store = open_store(Path(build_dir))
    try:
        result = store.query(text, use_default_graph_as_union=True)
        if isinstance(result, (bool, ox.QueryBoolean)):
            conn.send(("ask", bool(result)))
        elif hasattr(result, "variables"):
            conn.send(("select", result.serialize(format=ox.QueryResultsFormat.JSON)))
        else:
            conn.send(("graph", result.serialize(format=ox.RdfFormat.N_TRIPLES)))
    except SyntaxError as exc:
        conn.send(("syntax", str(exc)))


def run_sparql_guarded(text: str, build_dir: Path | None = None):
    """run_sparql on a build, in a child process: a query the engine aborts on (pyoxigraph 0.5.13
    panics on ORDER BY over values of mixed kinds) becomes a QueryError, not a dead command."""
    import multiprocessing as mp

    _nesting(text)
    build_dir = Path(build_dir or default_out())
    if not (build_dir / "idm.trig").exists():
        raise FileNotFoundError(f"{Path(build_dir) / 'idm.trig'}: no built graph; run 'idmgraph build' first")
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_sparql_child, args=(str(build_dir), text, child), daemon=True)
    process.start()
    child.close()
    try:
        kind, value = parent.recv()
    except EOFError:
        process.join()
        raise QueryError(
            f"the query engine crashed on this query (exit code {process.exitcode}); ORDER BY over "
            "values of mixed kinds (IRIs, numbers, strings, dates) is a known cause: order by STR(?x)"
        ) from None
    process.join()
    if kind == "syntax":
        raise QueryError(f"SPARQL syntax error: {value}")
    if kind == "ask":
        return _frame(["ask"], [(ox.Literal("true" if value else "false", datatype=XSD_BOOLEAN),)])
    if kind == "select":
        return _frame(*solution_rows(ox.parse_query_results(value, format=ox.QueryResultsFormat.JSON)))
    triples = [(t.subject, t.predicate, t.object) for t in ox.parse(value, format=ox.RdfFormat.N_TRIPLES)]
    return _frame(["subject", "predicate", "object"], triples)


def run_sparql(text: str, store: ox.Store | None = None, build_dir: Path | None = None):
    """Run free SPARQL (SELECT) on the built graph; a syntax error raises QueryError."""
    _nesting(text)
    store = store or open_store(build_dir or default_out())
    try:
        result = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    if isinstance(result, (bool, ox.QueryBoolean)):
        return _frame(["ask"], [(ox.Literal("true" if bool(result) else "false", datatype=XSD_BOOLEAN),)])
    if hasattr(result, "variables"):  # SELECT, local or remote
        return _frame(*solution_rows(result))
    triples = [(t.subject, t.predicate, t.object) for t in result]
    return _frame(["subject", "predicate", "object"], triples)


class IDMGraph:
    """The built graph, opened once, for Python and notebooks: answers as DataFrames (numbers as
    numbers, dates as datetimes), networks as NetworkX graphs, views drawn inline in Jupyter::

        g = open_graph()                          # data/build/ by default
        g.queries()                               # the research queries and their parameters
        g.query("who-spoke-on-theme", theme="10.7")
        g.network("co-panel")                     # a networkx.Graph
        g.analyze().tables["people"]              # every measure idmgraph analyze writes
        g.view("co-panel")                        # the interactive view, in the notebook
    """

    def __init__(self, store: ox.Store):
        self.store = store
        self._network_data = None

    def queries(self):
        """The research queries: name, what each answers, and its parameters."""
        return _frame_of_dicts(
            [
                {
                    "name": q.name,
                    "description": q.description,
                    "parameters": ", ".join(
                        f"{p.name}{'' if p.required else '?'}: {p.help}" for p in q.params
                    ),
                }
                for q in list_queries()
            ],
            ["name", "description", "parameters"],
        )

    def query(self, name: str, lang: str | None = None, **params: str):
        return run_query(name, params, store=self.store, lang=lang)

    def sparql(self, text: str):
        return run_sparql(text, store=self.store)

    def network_data(self):
        """The participations, themes and labels the networks are made of (read once)."""
        from .network import read_network_data

        if self._network_data is None:
            self._network_data = read_network_data(store=self.store)
        return self._network_data

    def network(self, name: str = "co-panel", seed: int = 42):
        """One of the networks ``idmgraph analyze`` writes, as a NetworkX graph: participation,
        person-session, co-panel (with Louvain communities), state-state,
        organization-organization, state-theme, actor-type-theme."""
        graphs = self.analyze(seed=seed, trends=False).graphs
        if name not in graphs:
            raise ValueError(f"no network {name!r}; one of {', '.join(graphs)}")
        return graphs[name]

    def analyze(self, seed: int = 42, trends: bool = True) -> Analyzed:
        """Every network and measure of ``idmgraph analyze``: ``graphs`` (NetworkX), ``tables``
        (DataFrames: people, states, ... and, with ``trends``, the tables over time) and
        ``summary``."""
        from .network.export import analyze

        result = analyze(self.network_data(), seed=seed)
        tables = {name: _frame_of_dicts(rows) for name, rows in result.tables.items()}
        if trends:
            from .trends import trend_tables

            tables |= trend_tables(self.store)
        return Analyzed(graphs=result.graphs, tables=tables, summary=result.summary)

    def view(self, name: str = "co-panel", size_by: str = "degree", seed: int = 42) -> View:
        """An interactive view (``participation``, ``co-panel``, ``state-theme``), as
        ``idmgraph viz`` draws it; Jupyter shows it inline, ``.save(path)`` writes the page."""
        from .viz import build_views, render_view

        views = build_views(self.network_data(), seed=seed)
        if name not in views:
            raise ValueError(f"no view {name!r}; one of {', '.join(views)}")
        g, title = views[name]
        return View(title, render_view(g, title, self.network_data(), size_by, seed))


@dataclass
class Analyzed:
    """What ``IDMGraph.analyze`` returns: networks, tables and the headline figures."""

    graphs: dict
    tables: dict
    summary: dict

    def _repr_html_(self) -> str:
        import html

        items = "".join(
            f"<li><code>{html.escape(name)}</code>: {len(frame)} rows</li>"
            for name, frame in self.tables.items()
        )
        graphs = ", ".join(f"<code>{html.escape(n)}</code>" for n in self.graphs)
        return f"<p>Networks: {graphs}</p><p>Tables:</p><ul>{items}</ul>"


@dataclass
class View:
    """A self-contained HTML view. In Jupyter it is drawn in a frame of its own (its scripts
    and styles never touch the notebook's); ``save`` writes it as a page."""

    title: str
    html: str
    height_px: int = 640

    def _repr_html_(self) -> str:
        import html

        return (
            f'<iframe title="{html.escape(self.title)}" srcdoc="{html.escape(self.html, quote=True)}" '
            f'style="width:100%;height:{self.height_px}px;border:1px solid #ddd" '
            'sandbox="allow-scripts"></iframe>'
        )

    def save(self, path: Path | str) -> Path:
        path = Path(path)
        path.write_text(self.html, encoding="utf-8")
        return path


def _frame_of_dicts(rows: list[dict], columns: list[str] | None = None):
    import pandas as pd

    return pd.DataFrame(rows, columns=columns or (list(rows[0]) if rows else None))


def open_graph(build_dir: Path | str | None = None) -> IDMGraph:
    """Open a built graph (``data/build/`` by default) for querying from Python."""
    return IDMGraph(open_store(build_dir or default_out()))
