"""SELECT rows from the local store or any SPARQL 1.1 endpoint, as plain Python values.

The network and view builders read the graph through this one function, so they work the same
on a local build and on a remote endpoint (SPARQLWrapper: POST, a descriptive User-Agent, a
timeout, and retries on 429/503 that honour Retry-After).
"""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox

from . import __version__

__all__ = ["select_rows", "endpoint_rows", "USER_AGENT"]

USER_AGENT = f"idmgraph/{__version__} (+https://w3id.org/idmgraph; research use)"


def _value(term) -> str | None:
    return None if term is None else term.value


def select_rows(
    query: str,
    store: ox.Store | None = None,
    endpoint: str | None = None,
    build_dir: Path | None = None,
    timeout: float = 60.0,
) -> list[dict[str, str | None]]:
    """Rows of a SELECT as dicts of strings (None when unbound), from a store or an endpoint."""
    if endpoint:
        return endpoint_rows(endpoint, query, timeout=timeout)
    if store is None:
        from .build import DEFAULT_OUT
        from .store import open_store

        store = open_store(build_dir or DEFAULT_OUT)
    result = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: _value(sol[n]) for n in names} for sol in result]


def endpoint_rows(
    url: str, query: str, timeout: float = 60.0, retries: int = 3
) -> list[dict[str, str | None]]:
    """Rows of a SELECT run on a remote SPARQL 1.1 endpoint."""
    from urllib.error import HTTPError

    from SPARQLWrapper import JSON, POST, POSTDIRECTLY, SPARQLWrapper

    client = SPARQLWrapper(url, agent=USER_AGENT)
    client.setQuery(query)
    client.setMethod(POST)
    client.setRequestMethod(POSTDIRECTLY)
    client.setReturnFormat(JSON)
    client.setOnlyConneg(True)  # no vendor format= parameters: pure content negotiation
    client.setTimeout(int(timeout))
    for attempt in range(retries + 1):
        try:
            data = client.queryAndConvert()
            break
        except HTTPError as exc:
            if exc.code not in (429, 503) or attempt == retries:
                raise
            wait = exc.headers.get("Retry-After") if exc.headers else None
            time.sleep(min(float(wait) if wait and wait.isdigit() else 2.0**attempt, 30.0))
    names = data["head"]["vars"]
    return [{n: (b[n]["value"] if n in b else None) for n in names} for b in data["results"]["bindings"]]
