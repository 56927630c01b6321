"""SHACL shapes with paired fixtures: valid.ttl gives no result; invalid.ttl gives exactly the
(focus node, path, constraint) triples its '# expect:' comments list."""

from pathlib import Path

import pytest
from rdflib import Graph

from idmgraph.rdf import ONTOLOGY_PATH
from idmgraph.validate import shacl_results

SHAPES_DIR = Path(__file__).parent / "shapes"
CASES = sorted(p.name for p in SHAPES_DIR.iterdir() if p.is_dir())


def _load(path: Path) -> Graph:
    g = Graph().parse(path, format="turtle")
    g.parse(ONTOLOGY_PATH, format="turtle")  # the vocabularies that sh:node checks look up
    return g


def _expected(path: Path) -> list[tuple[str, str, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            focus, prop, constraint = line.split(":", 1)[1].split()
            out.append((focus, prop, constraint))
    return sorted(out)


def test_every_shape_has_fixtures():
    assert {
        "PersonShape",
        "StateShape",
        "OrganizationShape",
        "SessionShape",
        "PostHoldingShape",
        "ParticipationShape",
    } <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_valid(case):
    assert shacl_results(_load(SHAPES_DIR / case / "valid.ttl")) == []


@pytest.mark.parametrize("case", CASES)
def test_invalid(case):
    path = SHAPES_DIR / case / "invalid.ttl"
    got = sorted((r.focus, r.path, r.constraint.rsplit("#", 1)[-1]) for r in shacl_results(_load(path)))
    assert got == _expected(path)
