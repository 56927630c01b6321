"""Stage 4: RDF -> checks. SHACL shapes (pyshacl-turbo; pySHACL is the reference) and SPARQL
checks that must return no rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from .checks_of_change import change_form, patterns_of, run_checks_of_change
from .paths import bundled
from .quads import Quads, joined_statements, names_blank_node
from .store import select, store_from_dataset, store_of

__all__ = [
    "ValidationReport",
    "validate_dataset",
    "validate_store",
    "validate_union",
    "start_validation",
    "run_checks",
    "shacl_results",
    "shacl_results_of_change",
    "nodes_to_revalidate",
    "shape_reach",
    "predicates_read_by",
    "SHAPES_PATH",
    "CHECKS_DIR",
]

ONTOLOGY_DIR = bundled("ontology")
SHAPES_PATH = ONTOLOGY_DIR / "shapes.ttl"
CHECKS_DIR = ONTOLOGY_DIR / "checks"


@dataclass(frozen=True)
class ShapeResult:
    focus: str
    path: str | None
    constraint: str
    message: str

    def __str__(self) -> str:
        return f"{self.focus} {self.path or ''} {self.constraint.rsplit('#', 1)[-1]}: {self.message}"


@dataclass
class ValidationReport:
    shapes: list[ShapeResult] = field(default_factory=list)
    checks: dict[str, list[tuple]] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        return not self.shapes and not any(self.checks.values())

    def lines(self) -> list[str]:
        out = [f"SHACL: {r}" for r in self.shapes]
        for name, rows in sorted(self.checks.items()):
            out.extend(f"check {name}: {' '.join(str(t) for t in row)}" for row in rows)
        return out


def shacl_results(
    data, shapes: Graph | None = None, engine: str | None = None, focus: list[str] | None = None
) -> list[ShapeResult]:
    """Violations of the shapes on a data graph (an rdflib Graph, a pyoxigraph Store whose
    default graph holds the data, N-Triples text, or a list of N-Triples statements without
    their closing " ." as ``Quads.union_statements`` gives), sorted (focus, path, constraint).

    ``engine``: "turbo" (pyshacl-turbo, a Rust SHACL engine with pySHACL's API: about three times
    faster on a build of 356k triples, and it reads a pyoxigraph store without copying it into
    rdflib) or "pyshacl" (the reference, kept in the tests: both find the same violations on every
    shape fixture). The default is turbo where it is installed. ``focus``: the IRIs of the only
    nodes to validate (each against the shapes that target it)."""
    engine = engine or ("turbo" if _has_turbo() else "pyshacl")
    shapes = shapes or Graph().parse(SHAPES_PATH, format="turtle")
    if isinstance(data, (str, list)):  # N-Triples: the engine reads only the lines the shapes can see
        data = lines_read_by(shapes, data)
        data = _turbo_input(data) if engine == "turbo" else Graph().parse(data=data, format="nt")
    if engine == "turbo":
        import pyshacl_turbo as validator
    else:
        import pyshacl as validator  # imported here: it is slow to import and only the build needs it

        if not isinstance(data, Graph):
            data = _graph_of(data)
    if engine == "turbo" and isinstance(data, ox.Store):
        # the shapes in the same kind of store as the data: pyshacl-turbo 0.6.5 compares an rdflib
        # simple literal of sh:in ("agenda") unequal to the same xsd:string literal of a store
        shapes = _store_of(shapes)
    focus_nodes = None if focus is None else [URIRef(node) for node in focus]
    if focus_nodes == []:
        return []  # nothing to validate (an engine given no focus node validates every node)
    _, results, _ = validator.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=False, focus_nodes=focus_nodes
    )
    out = set()
    # top-level results only: sh:node failures also carry nested sh:detail results
    for r in results.objects(None, SH.result):
        if results.value(r, SH.resultSeverity) != SH.Violation:
            continue
        path = results.value(r, SH.resultPath)
        out.add(
            ShapeResult(
                str(results.value(r, SH.focusNode)),
                str(path) if path is not None else None,
                str(results.value(r, SH.sourceConstraintComponent)),
                str(results.value(r, SH.resultMessage)),
            )
        )
    return sorted(out, key=lambda r: (r.focus, r.path or "", r.constraint))


# The SHACL terms whose constraints read the data only through the predicates that the shapes
# name (paths, predicate targets, property-pair constraints) and rdf:type / rdfs:subClassOf
# (class targets, sh:class). A shapes graph with any other SHACL term (sh:closed, SPARQL-based
# constraints or targets, rules) may read any triple.
_READS_NAMED_PREDICATES = frozenset(
    SH[term]
    for term in (
        "path targetClass targetNode targetSubjectsOf targetObjectsOf property node class datatype "
        "nodeKind minCount maxCount minLength maxLength pattern flags languageIn uniqueLang in "
        "hasValue or and not xone minInclusive maxInclusive minExclusive maxExclusive lessThan "
        "lessThanOrEquals equals disjoint qualifiedValueShape qualifiedMinCount qualifiedMaxCount "
        "qualifiedValueShapesDisjoint name description message severity deactivated order group "
        "defaultValue inversePath alternativePath zeroOrMorePath oneOrMorePath zeroOrOnePath"
    ).split()
)
_PREDICATE_PARAMETERS = (
    SH.path,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.equals,
    SH.disjoint,
    SH.lessThan,
    SH.lessThanOrEquals,
)


def predicates_read_by(shapes: Graph) -> frozenset[str] | None:
    """The predicates (as N-Triples terms, ``<iri>``) whose triples can change what the shapes
    find, or None when the shapes use a SHACL term that may read any triple. Every other triple
    of the data can be left out and the shapes find exactly the same results."""
    used = {p for p in shapes.predicates() if str(p).startswith(str(SH))}
    if not used <= _READS_NAMED_PREDICATES:
        return None
    read = {RDF.type, RDFS.subClassOf}
    for parameter in _PREDICATE_PARAMETERS:
        for value in shapes.objects(None, parameter):
            if isinstance(value, URIRef):
                read.add(value)
            else:  # a complex path (sequence, inverse, alternative, ...): every IRI in it
                read.update(n for n in shapes.transitiveClosure(_nodes_in, value) if isinstance(n, URIRef))
    return frozenset(f"<{p}>" for p in read)


_VALUE_SHAPES = (SH.node, SH["or"], SH["and"], SH["not"], SH.xone, SH.qualifiedValueShape)
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def shape_reach(shapes: Graph) -> int | None:
    """How far from a focus node the shapes read: 1 when they read only the node's own triples
    (its types, the values of its paths), one more for each step to a value's triples (sh:class
    reads a value's types, sh:node a value's own properties). None when a shape refers back to
    itself or a path is more than one predicate: then any node may depend on any other."""
    if predicates_read_by(shapes) is None:
        return None

    def members(node) -> list:
        """The shapes a constraint names: one (sh:node), or a list (sh:or, sh:and, sh:xone)."""
        if (node, RDF.first, None) in shapes or node == RDF.nil:
            return list(shapes.items(node))
        return [node]

    def reach(shape, seen: frozenset) -> int | None:
        """Steps a shape reads from the node it is applied to (1: that node's own triples)."""
        if shape in seen:
            return None
        seen = seen | {shape}
        steps = 1
        path = shapes.value(shape, SH.path)
        if path is not None and not isinstance(path, URIRef):
            return None  # a sequence, inverse or repeated path
        values = 1 if path is not None else 0  # a property shape's constraints apply one step on
        if path is not None and (shape, SH["class"], None) in shapes:
            steps = max(steps, values + 1)  # the types of the values
        # a property shape applies to the same node; sh:node, sh:or, ... to the values (of a
        # property shape) or to the node itself (of a node shape)
        nested = [(0, inner) for inner in shapes.objects(shape, SH.property)]
        nested += [(values, m) for p in _VALUE_SHAPES for o in shapes.objects(shape, p) for m in members(o)]
        for offset, inner in nested:
            found = reach(inner, seen)
            if found is None:
                return None
            steps = max(steps, offset + found)
        return steps

    top = {s for kind in (SH.NodeShape, SH.PropertyShape) for s in shapes.subjects(RDF.type, kind)}
    top |= {s for target in _TARGETS for s in shapes.subjects(target, None)}
    deepest = 1
    for shape in top:
        found = reach(shape, frozenset())
        if found is None:
            return None
        deepest = max(deepest, found)
    return deepest


def _iri_of(term_text: str) -> str | None:
    """The IRI of an N-Triples term, None for a literal or a blank node."""
    return term_text[1:-1] if term_text.startswith("<") else None


def _neighbours(store: ox.Store, nodes: set, predicates: set, forward: bool) -> Iterator[ox.Quad]:
    """The statements of the store's default graph, along the given predicates, from the nodes
    (``forward``) or to them."""
    for node in nodes:
        pattern = (node, None, None) if forward else (None, None, node)
        for q in store.quads_for_pattern(*pattern, ox.DefaultGraph()):
            if q.predicate in predicates:
                yield q


def _reading(shapes: Graph) -> tuple[frozenset[str], set[ox.NamedNode], int] | None:
    """What the shapes read (``predicates_read_by``, as N-Triples terms and as pyoxigraph
    IRIs) and how far (``shape_reach``); None when that is not bounded."""
    read, reach = predicates_read_by(shapes), shape_reach(shapes)
    if read is None or reach is None:
        return None
    return read, {ox.NamedNode(p[1:-1]) for p in read}, reach


def nodes_to_revalidate(store: ox.Store, changed: list[str], shapes: Graph) -> set[str] | None:
    """The nodes whose results under the shapes may differ between two graphs that differ by
    the ``changed`` statements (N-Triples without the closing " ."), read in the new graph (a
    store whose default graph holds it); every other node's results are those of the old graph.
    None when that cannot be bounded (a change to the class hierarchy, a blank node, shapes that
    may read any triple): then everything is validated again.

    A node depends on the triples of the nodes within ``shape_reach - 1`` steps of it along the
    predicates the shapes read; a target by the objects of a predicate (sh:targetObjectsOf) also
    on the triples that point to it."""
    reading = _reading(shapes)
    return None if reading is None else _nodes_to_revalidate(store, changed, shapes, *reading)


def _nodes_to_revalidate(
    store: ox.Store, changed: list[str], shapes: Graph, read: frozenset[str], predicates: set, reach: int
) -> set[str] | None:
    by_objects = {f"<{o}>" for o in shapes.objects(None, SH.targetObjectsOf)}
    subclass = f"<{RDFS.subClassOf}>"
    seeds: set[str] = set()
    for statement in changed:
        s, p, o = statement.split(" ", 2)
        if p not in read:
            continue  # the shapes cannot see it
        if p == subclass or names_blank_node(statement):
            return None
        seeds.add(s[1:-1])
        if p in by_objects and (node := _iri_of(o)) is not None:
            seeds.add(node)
    found, frontier = set(seeds), seeds
    for _ in range(reach - 1):  # the nodes that reach a changed one in a step more
        step = set()
        for q in _neighbours(store, {ox.NamedNode(n) for n in frontier}, predicates, forward=False):
            if not isinstance(q.subject, ox.NamedNode):
                return None
            step.add(q.subject.value)
        frontier = step - found
        found |= frontier
    return found


def shacl_results_of_change(
    store: ox.Store, changed: list[str], shapes: Graph | None = None, engine: str | None = None
) -> list[ShapeResult] | None:
    """The violations of the shapes in a graph (a store whose default graph holds it) that
    differs by the ``changed`` statements from a graph that had none, found by validating only
    the nodes the change can reach (``nodes_to_revalidate``) on the triples they can read;
    None when the change cannot be bounded (then validate the whole graph)."""
    shapes = shapes or Graph().parse(SHAPES_PATH, format="turtle")
    reading = _reading(shapes)
    focus = None if reading is None else _nodes_to_revalidate(store, changed, shapes, *reading)
    if focus is None:
        return None
    _, predicates, reach = reading
    lines: set[str] = set()
    seen, frontier = set(), {ox.NamedNode(n) for n in focus}
    for _ in range(reach):  # the triples of the nodes within reach of a focus node
        step = set()
        for q in _neighbours(store, frontier, predicates, forward=True):
            lines.add(f"{q.subject} {q.predicate} {q.object}")
            if not isinstance(q.object, ox.Literal):
                step.add(q.object)
        seen |= frontier
        frontier = step - seen
    for q in store.quads_for_pattern(None, ox.NamedNode(str(RDFS.subClassOf)), None, ox.DefaultGraph()):
        lines.add(f"{q.subject} {q.predicate} {q.object}")
    return shacl_results(sorted(lines), shapes, engine, focus=sorted(focus))


def _nodes_in(node, shapes: Graph):
    return (o for _, o in shapes.predicate_objects(node))


def lines_read_by(shapes: Graph, data: str | list[str]) -> str:
    """The N-Triples text of the statements whose predicate the shapes read
    (``predicates_read_by``), from N-Triples text or a list of statements without their closing
    " .": at a build's scale two thirds of the lines, and the shapes engine spends most of its
    time reading its input. A list is filtered without a copy of its strings."""
    read = predicates_read_by(shapes)
    # an N-Triples statement is "<subject> <predicate> object": neither the subject nor the
    # predicate holds a space
    if isinstance(data, list):
        return joined_statements(data if read is None else [t for t in data if t.split(" ", 2)[1] in read])
    if read is None:
        return data
    return "".join(line for line in data.splitlines(keepends=True) if line.split(" ", 2)[1] in read)


def _turbo_input(text: str):
    """N-Triples text as pyshacl-turbo reads it without a store (its own input record, which
    its engine parses in Rust); a store of the text where that record is not there as known."""
    try:
        from pyshacl_turbo.rdf import Input

        return Input(text, "nt", None, {}, preserve_ids=True)
    except (ImportError, TypeError):
        return store_of(text)


def _has_turbo() -> bool:
    from importlib.util import find_spec

    return find_spec("pyshacl_turbo") is not None


def _graph_of(store) -> Graph:
    """A pyoxigraph store's default graph as an rdflib Graph (for pySHACL, the reference)."""
    g = Graph()
    g.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")
    return g


def _store_of(graph: Graph) -> ox.Store:
    return store_of(graph.serialize(format="nt", encoding="utf-8"))


def union_store(store: ox.Store) -> ox.Store:
    """The union of a store's graphs in the default graph of a new store: what the shapes read."""
    union = ox.Store()
    union.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in store)
    return union


def validate_dataset(ds: Dataset | Quads, engine: str | None = None) -> ValidationReport:
    """Validate the union of every graph against the shapes, then run every check query on it:
    the dataset as one pyoxigraph store whose default graph holds the union of its graphs."""
    if isinstance(ds, Quads):
        return validate_union(ds.ntriples(), engine)
    return validate_store(store_from_dataset(ds), engine)


def validate_store(store: ox.Store, engine: str | None = None) -> ValidationReport:
    """``validate_dataset`` on a store that holds the build's named graphs."""
    return validate_union(union_store(store), engine)


def validate_union(union: ox.Store | str, engine: str | None = None) -> ValidationReport:
    """The shapes and the checks on the union of the graphs: a store whose default graph holds
    it, or its N-Triples text (no check reads a named graph)."""
    return start_validation(union, engine).report()


class start_validation:  # noqa: N801 (it reads as the call it is: the validation, started)
    """The shapes and the checks, started on the union of the graphs: a store whose default
    graph holds it, its N-Triples text, or a function that gives such a store (called in a
    thread). They run in threads (the Rust engines give the interpreter back while they work)
    while the caller goes on; ``report()`` waits for them. The store must not change until then.

    ``changed``: the statements by which the graph differs from one that passed its shapes (or
    a Future of them, or of None when too much changed): then the shapes validate only the
    nodes the change reaches (looked up in the store), and ``whole`` says afterwards whether
    the whole graph's shapes were validated after all. ``patterns``: a file that keeps the
    checks' triple patterns between builds (``checks_of_change.patterns_of``)."""

    def __init__(
        self,
        union: ox.Store | str | Callable[[], ox.Store],
        engine: str | None = None,
        statements: list[str] | None = None,
        changed: list[str] | Future | None = None,
        patterns: Path | None = None,
    ):
        import threading

        self._patterns = patterns
        # the shapes read the union's statements where the caller has them (no second copy)
        shapes_data = statements if statements is not None else union if not callable(union) else None
        self._shapes, self._checks, self._error = [], {}, None
        self.whole = changed is None  # False: only the nodes a change can reach were validated
        self._whole_shapes: threading.Thread | None = None
        if changed is None and shapes_data is not None:
            self._start_whole_shapes(shapes_data, engine)
        self._thread = threading.Thread(
            target=self._run, args=(union, shapes_data, engine, changed), daemon=True
        )
        self._thread.start()

    def _start_whole_shapes(self, data: ox.Store | str | list[str] | None, engine: str | None) -> None:
        import threading

        self._whole_shapes = threading.Thread(target=self._run_shapes, args=(data, engine), daemon=True)
        self._whole_shapes.start()

    def _run_shapes(self, data: ox.Store | str | list[str], engine: str | None) -> None:
        try:
            self._shapes = shacl_results(data, engine=engine)
        except BaseException as exc:  # raised again in report(), in the caller's thread
            self._error = exc

    def _run(
        self,
        union: ox.Store | str | Callable[[], ox.Store],
        data: ox.Store | str | list[str] | None,
        engine: str | None,
        changed: list[str] | Future | None,
    ) -> None:
        try:
            store = union if isinstance(union, ox.Store) else union() if callable(union) else store_of(union)
            if changed is None and self._whole_shapes is None:  # the shapes read the store made here
                self._start_whole_shapes(store, engine)
            elif changed is not None:
                changes = changed.result() if isinstance(changed, Future) else changed
                # the graph that passed gave no rows: the checks run where the change is, in a
                # thread beside the shapes (Oxigraph gives the interpreter back while it queries)
                checks = None if changes is None else self._start_checks_of_change(store, changes)
                found = None if changes is None else shacl_results_of_change(store, changes, engine=engine)
                if checks is not None:
                    checks.join()
                if found is not None:
                    self._shapes = found
                    return
                # too much changed to bound: the whole graph's shapes, beside the whole checks
                self.whole = True
                self._start_whole_shapes(data if data is not None else store, engine)
            self._checks = run_checks(store, union=False)
            if self._patterns is not None:  # read by the next build's checks of its change
                for path in check_files():
                    patterns_of(change_form(path), self._patterns)
        except BaseException as exc:  # raised again in report(), in the caller's thread
            self._error = exc

    def _start_checks_of_change(self, store: ox.Store, changes: list[str]):
        import threading

        def run() -> None:
            try:
                self._checks = run_checks_of_change(store, changes, check_files(), self._patterns)
            except BaseException as exc:  # raised again in report(), in the caller's thread
                self._error = exc

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def join(self) -> None:
        """Wait for the threads to end (their errors are left to ``report()``)."""
        self._thread.join()
        if self._whole_shapes is not None:
            self._whole_shapes.join()

    def report(self) -> ValidationReport:
        self.join()
        if self._error is not None:
            raise self._error
        return ValidationReport(shapes=self._shapes, checks=self._checks)


def check_files() -> list[Path]:
    """The check queries (each must return no row), in order."""
    return sorted(CHECKS_DIR.glob("*-violation.rq"))


def run_checks(store: ox.Store, union: bool = True) -> dict[str, list[tuple]]:
    """The rows of every check query (each must return none), by the check's name; ``union``:
    read the union of the store's graphs (False: its default graph, which holds the union)."""
    checks = {}
    for path in check_files():
        _, rows = select(store, path.read_text(encoding="utf-8"), union=union)
        checks[path.stem] = [tuple(str(t) for t in row) for row in rows]
    return checks
