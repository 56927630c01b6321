"""Stage 4: RDF -> checks. SHACL shapes (pyshacl-turbo; pySHACL is the reference) and SPARQL
checks that must return no rows."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from .paths import bundled
from .quads import Quads, joined_statements
from .store import select, store_from_dataset, store_of

__all__ = [
    "ValidationReport",
    "validate_dataset",
    "validate_store",
    "validate_union",
    "start_validation",
    "run_checks",
    "shacl_results",
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


def shacl_results(data, shapes: Graph | None = None, engine: str | None = None) -> list[ShapeResult]:
    """Violations of the shapes on a data graph (an rdflib Graph, a pyoxigraph Store whose
    default graph holds the data, N-Triples text, or a list of N-Triples statements without
    their closing " ." as ``Quads.union_statements`` gives), sorted (focus, path, constraint).

    ``engine``: "turbo" (pyshacl-turbo, a Rust SHACL engine with pySHACL's API: about three times
    faster on a build of 356k triples, and it reads a pyoxigraph store without copying it into
    rdflib) or "pyshacl" (the reference, kept in the tests: both find the same violations on every
    shape fixture). The default is turbo where it is installed."""
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
    _, results, _ = validator.validate(data, shacl_graph=shapes, inference="none", allow_warnings=False)
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
    """The shapes and the checks, started on the union of the graphs (a store whose default
    graph holds it, or its N-Triples text): the shapes run in a thread (the Rust engine gives
    the interpreter back while it works, and reads the text itself) while the checks, then the
    caller, go on; ``report()`` waits for the shapes. The store must not change until then."""

    def __init__(self, union: ox.Store | str, engine: str | None = None, statements: list[str] | None = None):
        import threading

        # the shapes read the union's statements where the caller has them (no second copy)
        shapes_data = union if statements is None else statements
        self._shapes, self._error = [], None
        self._thread = threading.Thread(target=self._run_shapes, args=(shapes_data, engine), daemon=True)
        self._thread.start()
        if isinstance(union, str):
            union = store_of(union)
        self._checks = run_checks(union, union=False)

    def _run_shapes(self, data: ox.Store | str | list[str], engine: str | None) -> None:
        try:
            self._shapes = shacl_results(data, engine=engine)
        except BaseException as exc:  # raised again in report(), in the caller's thread
            self._error = exc

    def report(self) -> ValidationReport:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return ValidationReport(shapes=self._shapes, checks=self._checks)


def run_checks(store: ox.Store, union: bool = True) -> dict[str, list[tuple]]:
    """The rows of every check query (each must return none), by the check's name; ``union``:
    read the union of the store's graphs (False: its default graph, which holds the union)."""
    checks = {}
    for path in sorted(CHECKS_DIR.glob("*-violation.rq")):
        _, rows = select(store, path.read_text(encoding="utf-8"), union=union)
        checks[path.stem] = [tuple(str(t) for t in row) for row in rows]
    return checks
