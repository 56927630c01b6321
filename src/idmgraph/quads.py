"""The build's dataset, held once: named graphs of triples, each triple an N-Triples line.

``build_dataset`` writes into a ``Quads``. Its triples are text from the start: a set of lines
is deduplicated and sorted at the speed of Python strings, and Oxigraph reads the text straight
into the store the checks and shapes query and into the TriG and Turtle it writes. Nothing
copies it into rdflib but a caller that asks (``to_rdflib``). A graph holds each triple once, as
rdflib's graphs did: the people of the entities graph are stated by every participation that
names them.

A rebuild's dataset may hold statements not read yet (``Pending``): the units of the sources
that did not change (``idmgraph.rdf_units``), each read where something asks for its graphs'
contents (``complete``). Every method that reads the dataset completes it first; a patch reads
only the units that may hold statements about the subjects it asks for.

The lines are ASCII: a character beyond it is written as its N-Triples escape (``\\u00E9``).
Python keeps an ASCII string in a byte a character, and hands it to Oxigraph without a copy; a
single "é" would make the whole text of a million triples take two or four bytes a character,
and a UTF-8 copy besides. The files Oxigraph writes from them hold the characters themselves.
"""

from __future__ import annotations

import re
import threading
import zlib
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from .store import store_of

__all__ = [
    "Quads",
    "GraphQuads",
    "Pending",
    "GraphEnds",
    "Term",
    "TermSpace",
    "lit",
    "iri",
    "term",
    "ascii_nt",
    "statement_of",
    "joined_statements",
]

_XSD = "http://www.w3.org/2001/XMLSchema#"
# what N-Triples does not allow raw in an IRI
_NOT_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# the escapes of a literal's text, as Oxigraph writes them
_ESCAPES = {c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F]}
_ESCAPES.update({ord("\\"): "\\\\", ord('"'): '\\"', 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r"})
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_IRIS: dict[str, Term] = {}  # IRIs met before, in their N-Triples form


class Term(str):
    """An RDF term in its N-Triples form (``<iri>``, ``"text"@en``, ``"5"^^<...integer>``)."""

    __slots__ = ()


def iri(value: str) -> Term:
    """An IRI in N-Triples form; a text N-Triples cannot hold as an IRI is a ValueError."""
    text = str(value)  # a plain str: rdflib's IRIs hash and compare unlike strings
    found = _IRIS.get(text)
    if found is None:
        if not text or _NOT_IRI.search(text) or ":" not in text:
            raise ValueError(f"not an IRI: {text!r}")
        found = Term(f"<{ascii_nt(text)}>")
        if len(_IRIS) < 50_000:  # the vocabulary and the people met first, not every participation
            _IRIS[text] = found
    return found


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def ascii_nt(text: str) -> str:
    """N-Triples text with every character beyond ASCII written as its escape."""
    return text if text.isascii() else _NON_ASCII.sub(_escape, text)


def _quoted(text: str) -> str:
    if _NEEDS_ESCAPE.search(text):
        text = text.translate(_ESCAPES)
    return f'"{ascii_nt(text)}"'


def lit(value: object, lang: str | None = None, datatype: str | None = None) -> Term:
    """A literal: a string (with its language, or a datatype IRI), an integer, a boolean, a date."""
    if type(value) is str and datatype is None:  # most literals: a text, with or without a language
        return Term(f"{_quoted(value)}@{lang.lower()}" if lang else _quoted(value))
    if isinstance(value, bool):
        return Term(f'"{"true" if value else "false"}"^^<{_XSD}boolean>')
    if isinstance(value, int):
        return Term(f'"{value}"^^<{_XSD}integer>')
    if isinstance(value, datetime):
        return Term(f'"{value.isoformat()}"^^<{_XSD}dateTime>')
    if isinstance(value, date):
        return Term(f'"{value.isoformat()}"^^<{_XSD}date>')
    if lang:
        return Term(f"{_quoted(str(value))}@{lang.lower()}")
    if datatype and str(datatype) not in (_XSD + "string", f"<{_XSD}string>"):
        kind = datatype if type(datatype) is Term else iri(str(datatype))
        return Term(f"{_quoted(str(value))}^^{kind}")
    return Term(_quoted(str(value)))


def term(value: object) -> Term:
    """The N-Triples form of a term: one of ours, an rdflib term or a pyoxigraph one."""
    kind = type(value)
    if kind is Term:
        return value  # type: ignore[return-value]
    if kind is URIRef:
        return iri(value)  # type: ignore[arg-type]
    if isinstance(value, Literal):
        return lit(str(value), value.language, value.datatype)
    if isinstance(value, URIRef):
        return iri(str(value))
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return Term(ascii_nt(str(value)))
    if isinstance(value, BNode):
        return Term(f"_:{value}")
    raise TypeError(f"not an RDF term: {value!r}")


class TermSpace:
    """A namespace (rdflib's, or one of idmgraph's) whose members are N-Triples terms, each made
    once: ``TermSpace(RDF).type``, ``TermSpace(ROLE)["moderator"]``. A build states rdf:type and
    its dozen properties hundreds of thousands of times."""

    def __init__(self, namespace):
        self._namespace, self._made = namespace, {}

    def __getitem__(self, name: str) -> Term:
        made = self._made.get(name)
        if made is None:
            made = self._made[name] = iri(str(self._namespace[name]))
        return made

    def __getattr__(self, name: str) -> Term:  # only for a name not met before: kept after
        if name.startswith("_"):
            raise AttributeError(name)
        made = self[name]
        setattr(self, name, made)
        return made


class GraphQuads:
    """One graph of a ``Quads``: ``add((s, p, o))`` with our terms, rdflib's or pyoxigraph's."""

    __slots__ = ("name", "triples")

    def __init__(self, name: Term | None):
        self.name = name  # None: the default graph
        self.triples: set[str] = set()  # "s p o", each term in N-Triples form

    def add(self, triple: tuple[object, object, object]) -> None:
        s, p, o = triple
        # most terms are ours already (the vocabularies, nodes made once): no call for them
        if type(s) is not Term:
            s = term(s)
        if type(p) is not Term:
            p = term(p)
        if type(o) is not Term:
            o = term(o)
        self.triples.add(f"{s} {p} {o}")

    def __contains__(self, triple: tuple[object, object, object]) -> bool:
        s, p, o = triple
        return f"{term(s)} {term(p)} {term(o)}" in self.triples

    def __len__(self) -> int:
        return len(self.triples)

    @property
    def iri(self) -> str | None:
        """The graph's IRI (None for the default graph)."""
        return self.name[1:-1] if self.name else None

    def subjects_with(self, predicate: object) -> set[Term]:
        """The subjects of the triples with this predicate (an IRI subject has no space)."""
        middle = f" {term(predicate)} "
        return {Term(t.split(" ", 1)[0]) for t in self.triples if middle in t}

    def parse(self, path: Path, format: ox.RdfFormat = ox.RdfFormat.TURTLE) -> None:
        """The triples of an RDF file."""
        self.triples.update(map(statement_of, ox.parse(path=str(path), format=format)))


def statement_of(triple: ox.Triple | ox.Quad) -> str:
    """A pyoxigraph triple (or a quad's triple) as the statement a graph holds: N-Triples in
    ASCII, without the closing " ."."""
    return ascii_nt(f"{triple.subject} {triple.predicate} {triple.object}")


def names_blank_node(statement: str) -> bool:
    """Whether a statement's subject or object is a blank node (its predicate is an IRI)."""
    subject, _, rest = statement.partition(" ")
    return subject.startswith("_:") or rest.partition(" ")[2].startswith("_:")


def joined_statements(statements: list[str]) -> str:
    """N-Triples text of statements without their closing " .": joined, not suffixed one by one,
    in the same order (" ." sorts below anything that can follow a whole triple), without a
    second string for each triple."""
    return " .\n".join(statements) + " .\n" if statements else ""


class GraphEnds:
    """How each triple of a dataset ends its N-Quads lines: " .\n" in the default graph,
    " <graph> .\n" in a named one; a triple in several graphs has a line for each, in order.

    The sorted lines are the sorted triples, each with its graphs in order (the default graph's
    " .", then "<graph>" by name): where one triple's text begins another's, the longer goes on
    with "@", "^^" or a term, all above the " " its graph's part opens with. So the lines are
    made in the order of the sorted statements, without sorting them.

    ``only``: the ends of these statements alone (those no graph holds left out), each graph's
    set met through them (a rebuild's patch asks for a few thousand of a dataset's statements)."""

    def __init__(self, ds: Quads, only: set[str] | None = None):
        # the statements not read yet that may be about these statements' subjects, read
        ds.complete(None if only is None else {t[: t.index(" ")] for t in only})

        def held(g: GraphQuads) -> set[str]:
            return g.triples if only is None else only & g.triples  # a set's & walks the smaller

        self.one: dict[str, str] = dict.fromkeys(held(ds.default_graph), " .\n")
        several: dict[str, list[str]] = {}
        for g in ds._graphs.values():
            tail = f" {g.name} .\n"
            triples = held(g)
            for t in [t for t in triples if t in self.one]:  # a triple in graphs met before
                several.setdefault(t, [self.one[t]]).append(tail)
            self.one.update(dict.fromkeys(triples, tail))
        for found in several.values():
            found.sort()
        self.several = several

    def __contains__(self, statement: str) -> bool:
        """Whether a graph holds the statement."""
        return statement in self.one

    def with_untouched(self, ends: dict[str, list[str]], touched: set[str]) -> GraphEnds:
        """These ends, and ``ends`` (each statement's, in any order) of the statements not in
        ``touched``: the lines of a rebuild's statements, those no change touched as the last
        build wrote them."""
        out = GraphEnds.__new__(GraphEnds)
        out.one, out.several = dict(self.one), dict(self.several)
        for t, found in ends.items():
            if t in touched:
                continue
            if len(found) == 1:
                out.one[t] = found[0]
            else:
                out.several[t] = sorted(found)
                out.one[t] = out.several[t][-1]
        return out

    def lines(self, statements: list[str]) -> list[str]:
        """The N-Quads lines of sorted statements, in order."""
        one, several = self.one, self.several
        if not several:
            return [t + one[t] for t in statements]
        return [t + end for t in statements for end in (several[t] if t in several else (one[t],))]

    def first(self, statement: str) -> str:
        """The end of the statement's first line (its first graph)."""
        found = self.several.get(statement)
        return found[0] if found else self.one[statement]

    def last(self, statement: str) -> str:
        """The end of the statement's last line (its last graph)."""
        found = self.several.get(statement)
        return found[-1] if found else self.one[statement]

    def count(self, statements: list[str]) -> int:
        """How many lines the statements have (one a graph that holds each)."""
        several = self.several
        if not several:
            return len(statements)
        return len(statements) + sum(len(several[t]) - 1 for t in statements if t in several)

    def joined(self, statements: list[str]) -> str:
        """The ends of the statements' lines, one after the other (what, with the statements,
        makes their lines)."""
        one, several = self.one, self.several
        if not several:
            return "".join([one[t] for t in statements])
        return "".join([("".join(several[t]) if t in several else one[t]) for t in statements])


class Pending(NamedTuple):
    """Statements of named graphs a dataset holds but has not read yet: ``read()`` gives them,
    a list for each graph of ``graphs`` (by name, as ``Quads.graph`` takes it); ``counts``: how
    many each list holds; ``subjects``: the CRC-32 of each subject they name (``subject_code``)."""

    graphs: tuple[str, ...]
    counts: tuple[int, ...]
    subjects: list[int]
    read: Callable[[], tuple[list[str], ...]]


def subject_code(subject: str) -> int:
    """The CRC-32 a subject (in N-Triples form) is known by among pending statements."""
    return zlib.crc32(subject.encode("utf-8"))


class Quads:
    """Named graphs and the default graph, each a set of triples."""

    def __init__(self) -> None:
        self._graphs: dict[str, GraphQuads] = {}
        self.default_graph = GraphQuads(None)
        self._pending: list[Pending] = []  # statements held, not read yet
        self._reading = threading.Lock()  # one thread reads them (the checks' may ask too)

    def defer(self, pending: list[Pending]) -> None:
        """Hold statements read only where they are asked for (``complete``); their graphs are
        made here, so the dataset lists them as it will once they are read."""
        for found in pending:
            for key in found.graphs:
                self._graph(key)
        self._pending.extend(pending)

    def complete(self, subjects: set[str] | None = None) -> None:
        """The pending statements read into their graphs: all, or (``subjects``) those of the
        pending lots that may name one of these subjects, so that every statement the dataset
        holds about them is in its graphs."""
        if not self._pending:
            return
        with self._reading:
            if subjects is None:
                due, self._pending = self._pending, []
            else:
                codes = {subject_code(s) for s in subjects}
                due = [p for p in self._pending if not codes.isdisjoint(p.subjects)]
                if not due:
                    return
                self._pending = [p for p in self._pending if codes.isdisjoint(p.subjects)]
            for found in due:
                for key, statements in zip(found.graphs, found.read()):
                    self._graphs[key].triples.update(statements)

    def graph(self, name: object) -> GraphQuads:
        self.complete()
        return self._graph(name)

    def _graph(self, name: object) -> GraphQuads:
        key = str(name)
        found = self._graphs.get(key)
        if found is None:
            found = self._graphs[key] = GraphQuads(iri(key))
        return found

    def graphs(self) -> list[GraphQuads]:
        """The named graphs that hold a triple, by name."""
        self.complete()
        return self.held_graphs()

    def held_graphs(self) -> list[GraphQuads]:
        """The named graphs that hold a triple, by name, those that hold only statements not
        read yet among them (none read here)."""
        held = {key for found in self._pending for key, n in zip(found.graphs, found.counts) if n}
        return [self._graphs[k] for k in sorted(self._graphs) if self._graphs[k].triples or k in held]

    def __len__(self) -> int:
        self.complete()
        return len(self.default_graph) + sum(len(g) for g in self._graphs.values())

    def nquads(self) -> list[str]:
        """Each quad as an N-Quads line (with its end of line), sorted: the order the files are
        written in, so the same graph gives the same bytes (``GraphEnds.lines`` makes the same
        lines from the sorted statements, without sorting them)."""
        self.complete()
        lines = [t + " .\n" for t in self.default_graph.triples]
        for g in self._graphs.values():
            tail = f" {g.name} .\n"
            lines.extend(t + tail for t in g.triples)
        lines.sort()
        return lines

    def union_statements(self) -> list[str]:
        """The triples of every graph, each once, sorted: N-Triples statements without their
        closing " ." (the strings the graphs hold, not copies)."""
        self.complete()
        union = set(self.default_graph.triples)
        for g in self._graphs.values():
            union |= g.triples
        return sorted(union)

    def ntriples(self, statements: list[str] | None = None) -> str:
        """The triples of every graph, each once (the union the shapes read), as N-Triples text
        in the order of its sorted lines (the order idm.ttl is written in); ``statements``: the
        ``union_statements()`` when the caller has them."""
        return joined_statements(self.union_statements() if statements is None else statements)

    def __iter__(self) -> Iterator[ox.Quad]:
        return ox.parse("".join(self.nquads()), format=ox.RdfFormat.N_QUADS)

    def store(self) -> ox.Store:
        """A pyoxigraph store holding the graphs."""
        return store_of("".join(self.nquads()), ox.RdfFormat.N_QUADS)

    def union_store(self) -> ox.Store:
        """A pyoxigraph store whose default graph holds the union of the graphs."""
        return store_of(self.ntriples())

    def to_rdflib(self):
        """The dataset as an rdflib Dataset (a copy, for callers that need rdflib's API)."""
        from rdflib import Dataset

        ds = Dataset()
        ds.parse(data="".join(self.nquads()), format="nquads")
        return ds
