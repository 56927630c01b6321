"""The build's dataset as N-Triples lines (idmgraph.quads): terms written as Oxigraph writes
them, each triple once per graph, IRIs N-Triples cannot hold refused, and the stores and files
made from it hold what was added."""

import pyoxigraph as ox
import pytest
from rdflib import XSD, Literal, URIRef
from rdflib.namespace import RDFS

from idmgraph.quads import GraphEnds, Quads, iri, lit, term
from idmgraph.validate import start_validation

TRICKY = ['plain', 'a "quoted" word', "back\\slash", "line\nbreak\r\n", "tab\there", "\b\f\x01\x7f", "é ü 中文 \u2028"]


def _read(term_text: str):
    return next(ox.parse(f"<a:s> <a:p> {term_text} .", format=ox.RdfFormat.N_TRIPLES)).object


@pytest.mark.parametrize("text", [*TRICKY, "emoji \U0001f600 and ñ"])
def test_a_literal_is_written_in_ascii_and_read_back_whole(text):
    assert lit(text).isascii() and _read(lit(text)) == ox.Literal(text)
    assert _read(lit(text, "fr")) == ox.Literal(text, language="fr")
    assert _read(term(Literal(text, lang="es"))) == ox.Literal(text, language="es")
    assert term(ox.Literal(text)) == lit(text)


@pytest.mark.parametrize("text", [t for t in TRICKY if t.isascii()])
def test_an_ascii_literal_is_written_as_oxigraph_writes_it(text):
    assert lit(text) == str(ox.Literal(text))


def test_typed_literals():
    assert lit(7) == str(ox.Literal("7", datatype=ox.NamedNode(str(XSD.integer))))
    assert lit(True) == str(ox.Literal("true", datatype=ox.NamedNode(str(XSD.boolean))))
    assert lit("2017-10-06", datatype=XSD.date) == '"2017-10-06"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert lit("x", datatype=XSD.string) == '"x"'  # xsd:string is the simple literal
    assert term(Literal(5)) == lit(5)


def test_an_iri_beyond_ascii_is_escaped():
    assert iri("https://example.org/café") == "<https://example.org/caf\\u00E9>"
    line = f"{iri('https://example.org/café')} <a:p> <a:o> ."
    assert next(ox.parse(line, format=ox.RdfFormat.N_TRIPLES)).subject == ox.NamedNode("https://example.org/café")


@pytest.mark.parametrize("bad", ["http://example.org/a b", "http://example.org/<x>", "no-scheme", ""])
def test_an_iri_ntriples_cannot_hold_is_refused(bad):
    with pytest.raises(ValueError, match="not an IRI"):
        iri(bad)


def test_each_triple_once_per_graph_and_the_union_once():
    ds = Quads()
    a, b = URIRef("https://example.org/a"), URIRef("https://example.org/b")
    for _ in range(3):
        ds.graph("https://example.org/g1").add((a, RDFS.label, Literal("A", lang="en")))
    ds.graph("https://example.org/g2").add((a, RDFS.label, Literal("A", lang="en")))
    ds.default_graph.add((b, RDFS.label, lit("B")))
    assert len(ds) == 3 and ds.ntriples().count(" .\n") == 2
    assert (a, RDFS.label, Literal("A", lang="en")) in ds.graph("https://example.org/g1")
    assert [g.iri for g in ds.graphs()] == ["https://example.org/g1", "https://example.org/g2"]
    store = ds.store()
    assert len(store) == 3 and len(list(store.named_graphs())) == 2
    union = ds.union_store()
    assert len(union) == 2 and all(q.graph_name == ox.DefaultGraph() for q in union)
    assert ds.nquads() == sorted(str(q) + " .\n" for q in store)  # the order the files use
    rdflib_copy = ds.to_rdflib()
    assert len(rdflib_copy.graph(URIRef("https://example.org/g2"))) == 1


def test_the_lines_in_the_order_of_the_sorted_union_are_the_sorted_lines():
    """GraphEnds.lines follows the sorted union instead of sorting again: the same lines in
    the same order, where a triple is in several graphs (the default one among them) and where
    one triple's text begins another's (a plain literal and the same text with a language or a
    datatype, an IRI and a longer one)."""
    ds = Quads()
    s, longer = URIRef("https://example.org/s"), URIRef("https://example.org/s2")
    objects = [
        Literal("x"),
        Literal("x", lang="en"),
        Literal("x", datatype=XSD.token),
        Literal("x y"),
        Literal('x"'),
        URIRef("https://example.org/o"),
        URIRef("https://example.org/o/1"),
    ]
    graphs = [None, "https://example.org/g1", "https://example.org/g10", "https://example.org/g2"]
    for i, obj in enumerate(objects):
        for j, name in enumerate(graphs):
            if (i + j) % 3:  # some triples in one graph, others in two or three
                g = ds.default_graph if name is None else ds.graph(name)
                g.add((s, RDFS.label, obj))
                g.add((longer, RDFS.label, obj))
    assert GraphEnds(ds).lines(ds.union_statements()) == ds.nquads()
    assert ds.nquads() == sorted(str(q) + " .\n" for q in ds.store())


def test_the_shapes_thread_hands_its_error_to_the_caller(monkeypatch):
    """A shapes engine that fails does not leave a build believing its graph valid."""
    import idmgraph.validate as validate

    def broken(*_args, **_kwargs):
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(validate, "shacl_results", broken)
    running = start_validation(ox.Store())
    with pytest.raises(RuntimeError, match="the engine broke"):
        running.report()


def test_the_shapes_and_the_checks_both_report():
    """A person with no name (a shape) and no participation (a check): both found."""
    person = "<https://example.org/p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Person> .\n"
    report = start_validation(person).report()
    assert [r.focus for r in report.shapes] == ["https://example.org/p"]
    assert report.checks["person-without-participation-violation"] == [("<https://example.org/p>",)]
    assert not report.conforms


def test_the_ends_of_a_triples_lines_name_its_graphs_in_order():
    ds = Quads()
    a = URIRef("https://example.org/a")
    ds.graph("https://example.org/g2").add((a, RDFS.label, lit("A")))
    ds.default_graph.add((a, RDFS.label, lit("A")))
    ds.graph("https://example.org/g1").add((a, RDFS.label, lit("A")))
    ds.graph("https://example.org/g1").add((a, RDFS.comment, lit("B")))
    ends = GraphEnds(ds)
    statements = ds.union_statements()
    label = next(t for t in statements if "label" in t)
    assert ends.first(label) == " .\n" and ends.last(label) == " <https://example.org/g2> .\n"
    assert ends.joined([label]) == " .\n <https://example.org/g1> .\n <https://example.org/g2> .\n"
    assert ends.lines(statements) == ds.nquads() and len(ends.lines(statements)) == 4
