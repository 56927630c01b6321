"""SHACL shapes with paired fixtures: valid.ttl gives no result; invalid.ttl gives exactly the
(focus node, path, constraint) triples its '# expect:' comments list. Every fixture runs on both
engines: pyshacl-turbo, which the build uses, and pySHACL, the reference: they must agree."""

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


ENGINES = ["turbo", "pyshacl"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", CASES)
def test_valid(case, engine):
    assert shacl_results(_load(SHAPES_DIR / case / "valid.ttl"), engine=engine) == []


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", CASES)
def test_invalid(case, engine):
    path = SHAPES_DIR / case / "invalid.ttl"
    results = shacl_results(_load(path), engine=engine)
    got = sorted((r.focus, r.path, r.constraint.rsplit("#", 1)[-1]) for r in results)
    assert got == _expected(path)


def test_both_engines_find_the_same_violations_in_a_broken_build(build_2017):
    """A whole build with a hundred faults of several shapes: the two engines report the same
    (focus, path, constraint) for each."""
    import pyoxigraph as ox

    from idmgraph.validate import union_store

    store = ox.Store()
    store.load(path=str(build_2017.files["idm.trig"]), format=ox.RdfFormat.TRIG)
    idm, schema = "https://w3id.org/idmgraph/ontology#", "https://schema.org/"
    broken = []
    for i, q in enumerate(store.quads_for_pattern(None, ox.NamedNode(idm + "sourceLine"), None, None)):
        if i % 3 == 0:  # a second line, a second position: maxCount faults on participations
            broken.append(
                ox.Quad(
                    q.subject,
                    q.predicate,
                    ox.Literal(str(10_000 + i), datatype=q.object.datatype),
                    q.graph_name,
                )
            )
            broken.append(
                ox.Quad(q.subject, ox.NamedNode(schema + "position"), ox.Literal("99"), q.graph_name)
            )
    store.extend(broken)
    union = union_store(store)
    turbo = [(r.focus, r.path, r.constraint) for r in shacl_results(union, engine="turbo")]
    reference = [(r.focus, r.path, r.constraint) for r in shacl_results(union, engine="pyshacl")]
    assert turbo == reference and len(turbo) >= 20


def test_a_literal_in_a_list_of_allowed_values_passes_on_a_store():
    """pyshacl-turbo 0.6.5 compared an rdflib simple literal of sh:in unequal to the same
    xsd:string literal read from a pyoxigraph store: every citation's kind failed its shape."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(
        b"""@prefix idm: <https://w3id.org/idmgraph/ontology#> . @prefix schema: <https://schema.org/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <https://example.org/c> a idm:Citation ; schema:url <https://example.org/page> ;
            idm:readOn "2026-12-01"^^xsd:date ; idm:pageKind "agenda" .
        <https://example.org/d> a idm:Citation ; schema:url <https://example.org/page> ;
            idm:readOn "2026-12-01"^^xsd:date ; idm:pageKind "blog" .""",
        format=ox.RdfFormat.TURTLE,
    )
    for engine in ENGINES:
        found = [(r.focus, r.constraint.rsplit("#", 1)[-1]) for r in shacl_results(store, engine=engine)]
        assert found == [("https://example.org/d", "InConstraintComponent")], engine


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", CASES)
def test_the_lines_the_shapes_do_not_read_change_no_result(case, engine):
    """N-Triples text reaches the engine without the triples of predicates no shape reads: on
    every fixture, valid and broken, it finds what it finds on the whole graph."""
    for name in ("valid.ttl", "invalid.ttl"):
        graph = _load(SHAPES_DIR / case / name)
        text = graph.serialize(format="nt")
        # the same (focus, path, constraint); a message may name a node by the graph's prefixes
        found = [(r.focus, r.path, r.constraint) for r in shacl_results(text, engine=engine)]
        whole = [(r.focus, r.path, r.constraint) for r in shacl_results(graph, engine=engine)]
        assert found == whole, name
        # the same from the statements a build holds (each without its closing " .")
        statements = sorted(line.removesuffix(" .") for line in text.splitlines() if line)
        assert [(r.focus, r.path, r.constraint) for r in shacl_results(statements, engine=engine)] == whole
        assert (name == "valid.ttl") == (found == [])


SHAPES_HEAD = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def test_the_predicates_the_shapes_read():
    from idmgraph.validate import SHAPES_PATH, predicates_read_by

    read = predicates_read_by(Graph().parse(SHAPES_PATH, format="turtle"))
    assert {
        "<http://xmlns.com/foaf/0.1/name>",  # a path
        "<https://w3id.org/idmgraph/ontology#citation>",  # a predicate target
        "<http://www.w3.org/2004/02/skos/core#hasTopConcept>",
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",  # class targets, sh:class
        "<http://www.w3.org/2000/01/rdf-schema#subClassOf>",
    } <= read
    assert "<http://www.w3.org/2000/01/rdf-schema#label>" not in read

    complex_path = Graph().parse(
        data=SHAPES_HEAD
        + """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ( ex:a [ sh:inversePath ex:b ]
        [ sh:alternativePath ( ex:c [ sh:zeroOrMorePath ex:d ] ) ] ) ; sh:minCount 1 ] ;
        sh:property [ sh:path ex:e ; sh:lessThan ex:f ] .""",
        format="turtle",
    )
    read = predicates_read_by(complex_path)
    assert {f"<https://example.org/{p}>" for p in "abcdef"} <= read


@pytest.mark.parametrize(
    "shape",
    [
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ; sh:property [ sh:path ex:a ] .",
        'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE { }" ] .',
        'ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { }" ] .',
    ],
)
def test_shapes_that_may_read_any_triple_read_every_line(shape):
    """sh:closed looks at every predicate of a node; SPARQL constraints and targets may read any
    triple: with them the engine is given the whole text."""
    from idmgraph.validate import lines_read_by, predicates_read_by

    shapes = Graph().parse(data=SHAPES_HEAD + shape, format="turtle")
    text = "<https://example.org/x> <https://example.org/unread> <https://example.org/y> .\n"
    assert predicates_read_by(shapes) is None
    assert lines_read_by(shapes, text) == text


def test_a_closed_shape_still_sees_an_unread_predicate():
    text = (
        "<https://example.org/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/C> .\n"
        "<https://example.org/x> <https://example.org/a> \"1\" .\n"
        "<https://example.org/x> <https://example.org/stray> \"2\" .\n"
    )
    shapes = Graph().parse(
        data=SHAPES_HEAD
        + "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ; sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) ; sh:property [ sh:path ex:a ] .",
        format="turtle",
    )
    for engine in ENGINES:
        found = [r.constraint.rsplit("#", 1)[-1] for r in shacl_results(text, shapes=shapes, engine=engine)]
        assert found == ["ClosedConstraintComponent"], engine
