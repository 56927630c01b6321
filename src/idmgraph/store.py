"""The query engine: the built graph in a pyoxigraph store, queried with bound parameters."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

__all__ = ["open_store", "store_of", "store_from_dataset", "select", "solution_rows", "to_term"]


def store_of(data: str | bytes, format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> ox.Store:
    """A new in-memory Oxigraph store holding RDF text (N-Triples unless told)."""
    store = ox.Store()
    store.load(data, format=format)
    return store


def store_from_dataset(ds) -> ox.Store:
    """Copy a dataset (the build's ``Quads``, or an rdflib Dataset) with all its named graphs
    into an in-memory Oxigraph store."""
    from .quads import Quads

    if isinstance(ds, Quads):
        return ds.store()
    return store_of(ds.serialize(format="nquads", encoding="utf-8"), ox.RdfFormat.N_QUADS)


def open_store(path: str | Path) -> ox.Store:
    """Load a built ``idm.trig`` (or a build folder holding one) into an in-memory store."""
    path = Path(path)
    if path.is_dir():
        path = path / "idm.trig"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no built graph; run 'idmgraph build' first")
    store = ox.Store()
    # load, not bulk_load: measured on 1M triples, 2.4 s and 381 MB against 2.9 s and 592 MB
    store.load(path=str(path), format=ox.RdfFormat.TRIG)
    return store


def to_term(value) -> ox.NamedNode | ox.Literal:
    """A pyoxigraph term for a parameter: IRIs stay IRIs, everything else is a plain literal."""
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    text = str(value)
    if text.startswith(("http://", "https://")) and not any(c in text for c in ' <>"{}|\\^`'):
        return ox.NamedNode(text)
    return ox.Literal(text)


def select(
    store: ox.Store, query: str, bindings: Mapping[str, object] | None = None, union: bool = True
) -> tuple[list[str], list[tuple]]:
    """Run a SELECT with parameters bound as values (never pasted into the text).

    Returns the column names and the rows as tuples of pyoxigraph terms (None if unbound).
    """
    subs = {ox.Variable(k): to_term(v) for k, v in (bindings or {}).items()}
    result = store.query(query, use_default_graph_as_union=union, substitutions=subs or None)
    return solution_rows(result)


def solution_rows(result) -> tuple[list[str], list[tuple]]:
    """(columns, rows) of a SELECT's solutions: Oxigraph's give their values in the columns'
    order (None where unbound), read as tuples; a remote endpoint's are read by name."""
    columns = [v.value for v in result.variables]
    if isinstance(result, ox.QuerySolutions):
        return columns, [tuple(sol) for sol in result]
    return columns, [tuple(sol[c] for c in columns) for sol in result]
