"""The query engine: the built graph in a pyoxigraph store, queried with bound parameters."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

__all__ = ["open_store", "store_from_dataset", "select", "to_term"]


def store_from_dataset(ds) -> ox.Store:
    """Copy a dataset (the build's ``Quads``, or an rdflib Dataset) with all its named graphs
    into an in-memory Oxigraph store."""
    from .quads import Quads

    if isinstance(ds, Quads):
        return ds.store()
    store = ox.Store()
    data = ds.serialize(format="nquads", encoding="utf-8")
    store.load(data, format=ox.RdfFormat.N_QUADS)
    return store


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
    columns = [v.value for v in result.variables]
    if isinstance(store, ox.Store):  # a solution's values, in the columns' order (None: unbound)
        rows = [tuple(sol) for sol in result]
    else:  # a remote endpoint's solutions are read by name
        rows = [tuple(sol[c] for c in columns) for sol in result]
    return columns, rows
