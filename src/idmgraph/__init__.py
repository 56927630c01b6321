"""idmgraph: a knowledge graph of migration-governance actors.

``idmgraph.open_graph()`` opens a built graph for Python and notebooks (see ``IDMGraph``).
"""

__version__ = "0.1.0"
__all__ = ["__version__", "open_graph"]


def __getattr__(name: str):
    # the query stack (pyoxigraph, pandas) loads on first use, not when the package is imported
    if name == "open_graph":
        from .query import open_graph

        return open_graph
    raise AttributeError(f"module 'idmgraph' has no attribute {name!r}")
