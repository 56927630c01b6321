"""Stage 4: RDF -> checks. SHACL shapes (pySHACL) and SPARQL checks that must return no rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Dataset, Graph
from rdflib.namespace import SH

from .paths import bundled
from .store import select, store_from_dataset

__all__ = ["ValidationReport", "validate_dataset", "shacl_results", "SHAPES_PATH", "CHECKS_DIR"]

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


def shacl_results(data: Graph, shapes: Graph | None = None) -> list[ShapeResult]:
    """Violations of the shapes on a data graph, sorted (focus, path, constraint)."""
    import pyshacl  # imported here: it is slow to import and only the build needs it

    shapes = shapes or Graph().parse(SHAPES_PATH, format="turtle")
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=False)
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


def validate_dataset(ds: Dataset) -> ValidationReport:
    """Validate the union of every graph against the shapes, then run every check query."""
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    report = ValidationReport(shapes=shacl_results(union))
    store = store_from_dataset(ds)
    for path in sorted(CHECKS_DIR.glob("*-violation.rq")):
        _, rows = select(store, path.read_text(encoding="utf-8"))
        report.checks[path.stem] = [tuple(str(t) for t in row) for row in rows]
    return report
