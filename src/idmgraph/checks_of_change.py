"""The SPARQL checks of a graph that differs by a few statements from one that passed them,
run only where the change can have made a violation.

A check returns the rows that break a rule, and the last good build's graph gave none; so every
row the changed graph gives must use a changed statement. A check's graph pattern (its triple
patterns, UNIONs and FILTERs, the patterns of its EXISTS and NOT EXISTS) is read from the
query; for each changed statement that fits one of its triple patterns, the
check runs once with the variables that fit bound to the statement's terms (Oxigraph's
substitutions: nothing is pasted into the query but ``*`` for its list of selected variables,
since Oxigraph binds only what a query selects): a row that uses the statement is found by
that run, and every row a run finds is a row of the whole check. A statement that fits a
pattern inside EXISTS or NOT EXISTS binds only the variables the check's own patterns share
(the others are the pattern's own). A statement that binds none, a blank node, a check whose
pattern holds anything else (OPTIONAL, MINUS, GRAPH, a property path, a subquery, a grouping)
or a change that fits too often: the whole check. (A grouping subquery could be bound by what it
selects, but a run for a common predicate then groups all of that predicate's statements: for
the check of undeclared terms twenty such runs cost more than the whole check.)
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import re
from functools import cache
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from .files import write_file_atomically
from .quads import joined_statements, names_blank_node
from .store import select, solution_rows

__all__ = ["check_patterns", "bindings_of_change", "run_checks_of_change", "change_form", "PatternTerm"]

# past this many runs a check is run once on the whole graph
MOST_RUNS = 200


class PatternTerm(NamedTuple):
    """A term of a triple pattern: a variable (its name), an IRI or a literal (its text)."""

    kind: str  # "var", "iri" or "literal"
    value: str


Pattern = tuple[PatternTerm, PatternTerm, PatternTerm]
Patterns = tuple[tuple[Pattern, ...], tuple[Pattern, ...], frozenset[str]]
# what the patterns kept on disk are made by: a change misses them all
PATTERNS_FORMAT = 1


@cache
def check_patterns(query: str) -> Patterns | None:
    """A check's triple patterns: (its own, those inside its EXISTS and NOT EXISTS, the names of
    the variables its own patterns bind); None when its pattern holds what a change cannot
    bound (then it runs whole)."""
    # imported here: rdflib's SPARQL parser takes a tenth of a second to import, and a rebuild
    # reads the patterns it kept instead (``patterns_of``)
    from rdflib import Literal, URIRef, Variable
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    own: list[Pattern] = []
    inner: list[Pattern] = []
    kinds = ((Variable, "var"), (URIRef, "iri"), (Literal, "literal"))

    def triples(found, into: list) -> bool:
        for s, p, o in found:
            terms = []
            for t in (s, p, o):
                kind = next((name for cls, name in kinds if isinstance(t, cls)), None)
                if kind is None:
                    return False  # a property path, a blank node
                terms.append(PatternTerm(kind, str(t)))
            into.append(tuple(terms))
        return True

    def pattern(node, into: list) -> bool:
        """A graph pattern, as the query's algebra or (inside EXISTS) as parsed."""
        name = getattr(node, "name", None)
        if name in ("SelectQuery", "Project", "Distinct", "Reduced"):
            return pattern(node.p, into)
        if name in ("Filter", "Extend"):  # a parsed FILTER has no pattern of its own
            return (node.get("p") is None or pattern(node.p, into)) and expression(node.expr)
        if name in ("Join", "Union"):
            return pattern(node.p1, into) and pattern(node.p2, into)
        if name == "BGP":
            return triples(node.triples, into)
        if name == "TriplesBlock":
            return all(triples(zip(t[0::3], t[1::3], t[2::3]), into) for t in node.triples)
        if name == "GroupGraphPatternSub":
            return all(pattern(part, into) for part in node.part or ())
        if name == "GroupOrUnionGraphPattern":
            return all(pattern(g, into) for g in node.graph)
        return False

    def expression(node) -> bool:
        if isinstance(node, CompValue):
            if node.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
                return pattern(node.graph, inner)
            return all(expression(v) for v in node.values())
        if isinstance(node, (list, tuple)):
            return all(expression(v) for v in node)
        return True

    if not pattern(prepareQuery(query).algebra, own):
        return None
    bound = frozenset(t.value for pattern in own for t in pattern if t.kind == "var")
    return tuple(own), tuple(inner), bound


def patterns_of(query: str, kept: Path | None) -> Patterns | None:
    """``check_patterns(query)``, read from the JSON file ``kept`` (the patterns of the checks a
    build met before, by the SHA-256 of their text) and added to it when it lacks them; a file
    that cannot be read or written is none."""
    if kept is None:
        return check_patterns(query)
    key = hashlib.sha256(f"{PATTERNS_FORMAT}\0{query}".encode()).hexdigest()
    try:
        known = json.loads(kept.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    known = known if isinstance(known, dict) else {}
    if key in known:
        entry = known[key]
        if entry is None:
            return None
        try:
            own, inner = (tuple(map(_pattern, entry[part])) for part in ("own", "inner"))
            return own, inner, frozenset(map(str, entry["bound"]))
        except (KeyError, TypeError, ValueError):
            pass  # not as this version keeps them: made again
    found = check_patterns(query)
    known[key] = None if found is None else {"own": found[0], "inner": found[1], "bound": sorted(found[2])}
    with contextlib.suppress(OSError):
        write_file_atomically(kept, json.dumps(known).encode("utf-8"), "patterns")
    return found


def _pattern(kept: list) -> Pattern:
    """A triple pattern as ``patterns_of`` keeps it ([kind, value] three times)."""
    terms = tuple(PatternTerm(str(kind), str(value)) for kind, value in kept)
    if len(terms) != 3 or any(t.kind not in ("var", "iri", "literal") for t in terms):
        raise ValueError("not a triple pattern")
    return terms


def _fits(pattern: Pattern, triple: ox.Triple) -> dict[str, object] | None:
    """The variables of a triple pattern bound by a statement that fits it, or None."""
    binding: dict[str, object] = {}
    for want, have in zip(pattern, (triple.subject, triple.predicate, triple.object)):
        if want.kind == "var":
            if binding.setdefault(want.value, have) != have:
                return None
        elif want.kind == "iri":
            if not (isinstance(have, ox.NamedNode) and have.value == want.value):
                return None
        elif not (isinstance(have, ox.Literal) and have.value == want.value):
            return None  # a literal is told apart by its text only: a fit too many is a run more
    return binding


def bindings_of_change(
    query: str, changed: list[str], patterns: Patterns | None | bool = True
) -> list[dict[str, object]] | None:
    """The runs of a check that find every row a change can have made (each a binding of
    variables to terms; an empty one runs the whole check), or None: run it whole.
    ``patterns``: the check's (``check_patterns``), where the caller has them."""
    if patterns is True:
        patterns = check_patterns(query)
    if patterns is None or any(names_blank_node(s) for s in changed):
        return None
    own, inner, bound = patterns
    runs: dict[tuple, dict[str, object]] = {}
    for triple in ox.parse(joined_statements(changed), format=ox.RdfFormat.N_TRIPLES):
        for pattern, shared in [(p, None) for p in own] + [(p, bound) for p in inner]:
            binding = _fits(pattern, triple)
            if binding is None:
                continue
            if shared is not None:
                binding = {k: v for k, v in binding.items() if k in shared}
            if not binding:
                return None
            runs.setdefault(tuple(sorted((k, str(v)) for k, v in binding.items())), binding)
            if len(runs) > MOST_RUNS:
                return None
    return list(runs.values())


# "SELECT [DISTINCT] ?a ?b WHERE": Oxigraph substitutes only variables a query selects, so a
# bounded run selects them all (*) and keeps the check's own columns
_PROJECTION = re.compile(r"\bSELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?((?:\?\w+\s+)+)WHERE\b", re.IGNORECASE)


def _selecting_all(query: str) -> tuple[str, list[str]] | None:
    """The query selecting every variable in scope, and the variables it selected; None when
    its projection is not a plain list of variables."""
    text = "\n".join(line for line in query.splitlines() if not line.lstrip().startswith("#"))
    found = list(_PROJECTION.finditer(text))
    if len(found) != 1:
        return None
    match = found[0]
    columns = [v[1:] for v in match.group(1).split()]
    return text[: match.start(1)] + "* " + text[match.end(1) :], columns


def change_form(check: Path) -> str:
    """The text of a check as a change bounds it: its form for runs bounded by a change
    (``NAME.change.rq`` beside ``NAME.rq``: the same rows from a pattern a change can bound,
    where the check itself is written to run fast whole, as a grouping subquery), else the check."""
    bounded = check.with_name(f"{check.stem}.change.rq")
    return (bounded if bounded.is_file() else check).read_text(encoding="utf-8")


def run_checks_of_change(
    store: ox.Store, changed: list[str], checks: list[Path], kept: Path | None = None
) -> dict[str, list[tuple]]:
    """The rows of each check (a file of ``checks``), each once, sorted, on a store whose
    default graph holds a graph that differs by the ``changed`` statements from one on which
    every check gave none: each check run only where the change can have made a row
    (``bindings_of_change``, on its ``change_form``), or else whole. ``kept``: a file that keeps
    the checks' patterns between builds (``patterns_of``)."""
    out = {}
    for path in checks:
        query = change_form(path)
        runs = bindings_of_change(query, changed, patterns_of(query, kept))
        every = _selecting_all(query) if runs else None
        rows: set[tuple] = set()
        if runs is None or (runs and every is None):  # the whole check, as it is written
            _, found = select(store, path.read_text(encoding="utf-8"), union=False)
            rows.update(tuple(str(t) for t in row) for row in found)
        for binding in runs if every is not None else ():  # none when nothing fits
            text, columns = every
            subs = {ox.Variable(k): v for k, v in binding.items()}
            names, found = solution_rows(store.query(text, substitutions=subs))
            at = [names.index(c) for c in columns]
            rows.update(tuple(str(row[i]) for i in at) for row in found)
        out[path.stem] = sorted(rows)
    return out
