"""SELECT rows from the local store or any SPARQL 1.1 endpoint, as plain Python values.

The network and view builders read the graph through this one function, so they work the same
on a local build and on a remote endpoint (httpx: an HTML-form POST, a descriptive User-Agent,
one deadline per answer, a size cap, no redirects, and retries on 429/503 that honour
Retry-After; every failure is a RemoteError, exit code 2).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pyoxigraph as ox

from . import __version__

__all__ = [
    "select_rows",
    "endpoint_rows",
    "RemoteStore",
    "bind_values",
    "TruncatedAnswer",
    "RemoteError",
    "PushError",
    "USER_AGENT",
]

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
        from .paths import default_out
        from .store import open_store

        store = open_store(build_dir or default_out())
    result = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: _value(sol[n]) for n in names} for sol in result]


class TruncatedAnswer(Exception):
    """The endpoint says it may have cut the answer at its row limit (exit code 2)."""


def _refuse_cut_answer(url: str, headers, data: dict) -> None:
    """Virtuoso cuts an answer at its ResultSetMaxRows with a 200 and only a header to say so
    (sent when the rows reach the limit, cut or not): an answer that may be partial is refused."""
    limit = next((v for k, v in headers.items() if k.lower() == "x-sparql-maxrows"), None)
    rows = data.get("results", {}).get("bindings", []) if isinstance(data, dict) else []
    if limit is not None and limit.strip().isdigit() and len(rows) >= int(limit):
        raise TruncatedAnswer(
            f"{url} stopped at its row limit ({limit} rows, X-SPARQL-MaxRows): the answer may be cut. "
            "Raise the store's limit (Virtuoso: [SPARQL] ResultSetMaxRows) or ask for less"
        )


class RemoteError(Exception):
    """A remote endpoint that could not be asked or whose answer cannot be used (exit code 2)."""


class PushError(Exception):
    """The store refused a graph (exit code 2: the store, its URL or the login is wrong).
    Defined here, not in ``idmgraph.push``, so that the command line can catch it without
    importing httpx (and the httpx command line's click and pygments) on every command."""


MAX_ANSWER_BYTES = 200 * 1024 * 1024  # a larger answer is refused, not read into memory


def _read_answer(r, url: str, timeout: float, deadline: float, max_bytes: int) -> dict:
    """The JSON results of one response, read within the deadline and the size cap."""
    import json

    if r.is_redirect:
        where = r.headers.get("location", "?")
        raise RemoteError(f"{url} redirected the query to {where}; give that address if you trust it")
    body = bytearray()
    for chunk in r.iter_bytes():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise RemoteError(f"{url}: the answer passed {max_bytes:,} bytes and was refused; ask for less")
        if time.monotonic() > deadline:
            raise RemoteError(f"{url}: no complete answer within {timeout:g} s")
    if r.status_code >= 400:
        detail = " ".join(bytes(body[:300]).decode("utf-8", "replace").split())
        raise RemoteError(f"{url} answered {r.status_code}: {detail}")
    try:
        data = json.loads(bytes(body))
    except ValueError as exc:
        raise RemoteError(f"{url}: the answer is not SPARQL JSON results: {exc}") from exc
    if not isinstance(data, dict) or not ("boolean" in data or "results" in data):
        raise RemoteError(f"{url}: the answer is not SPARQL JSON results")
    _refuse_cut_answer(url, r.headers, data)
    return data


def _endpoint_json(
    url: str, query: str, timeout: float = 60.0, retries: int = 3, max_bytes: int = MAX_ANSWER_BYTES
) -> dict:
    """The SPARQL JSON results of a query on a remote endpoint: an HTML-form POST (the one request
    form every store answers: Virtuoso 7.2 never answers a POST of application/sparql-query,
    openlink/virtuoso-opensource#842), content negotiation only, a descriptive User-Agent, one
    deadline for the whole answer (a server that drips it is cut off), a cap on its size, no
    redirect followed (an error says where it pointed), retries on 429 and 503 that honour
    Retry-After. Every failure is a RemoteError."""
    import httpx

    # full-line comments are for people; some stores read a comment's words
    text = "\n".join(line for line in query.splitlines() if not line.lstrip().startswith("#"))
    headers = {"Accept": "application/sparql-results+json", "User-Agent": USER_AGENT}
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            for attempt in range(retries + 1):
                deadline = time.monotonic() + timeout
                with client.stream("POST", url, data={"query": text}, headers=headers) as r:
                    if r.status_code in (429, 503) and attempt < retries:
                        wait = r.headers.get("retry-after", "")
                        time.sleep(min(float(wait) if wait.isdigit() else 2.0**attempt, 30.0))
                        continue
                    return _read_answer(r, url, timeout, deadline, max_bytes)
    except httpx.TimeoutException as exc:
        raise RemoteError(f"{url}: no answer within {timeout:g} s") from exc
    except httpx.HTTPError as exc:
        raise RemoteError(f"{url}: {exc.__class__.__name__}: {exc}") from exc
    raise RemoteError(f"{url} stayed busy after {retries} retries")


def endpoint_rows(
    url: str, query: str, timeout: float = 60.0, retries: int = 3
) -> list[dict[str, str | None]]:
    """Rows of a SELECT run on a remote SPARQL 1.1 endpoint."""
    data = _endpoint_json(url, query, timeout, retries)
    names = data["head"]["vars"]
    return [{n: (b[n]["value"] if n in b else None) for n in names} for b in data["results"]["bindings"]]


def _term(binding: dict):
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if "xml:lang" in binding:
        return ox.Literal(value, language=binding["xml:lang"])
    if "datatype" in binding:
        return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(value)


_WHERE = re.compile(r"\b(?:WHERE|ASK)\s*\{", re.IGNORECASE)


def bind_values(query: str, substitutions: dict) -> str:
    r"""The query with its parameters bound by a VALUES block at the start of its WHERE clause.

    A remote endpoint cannot take Oxigraph's substitutions; VALUES is SPARQL 1.1's own way to
    bind variables. Every value is an RDF term serialised by pyoxigraph (IRIs validated, literals
    escaped), so a parameter can never change the query's structure.

    >>> bind_values("SELECT ?x WHERE { ?x ?p ?o }", {ox.Variable("p"): ox.Literal('a" } DROP ALL {')})
    'SELECT ?x WHERE { VALUES (?p) { ("a\\" } DROP ALL {") } ?x ?p ?o }'
    """
    if not substitutions:
        return query
    m = _WHERE.search(query)
    if m is None:
        raise ValueError("cannot bind parameters: the query has no WHERE clause")
    names = " ".join(f"?{v.value}" for v in substitutions)
    values = " ".join(str(t) for t in substitutions.values())
    return f"{query[: m.end()]} VALUES ({names}) {{ ({values}) }}{query[m.end() :]}"


class _Row(dict):
    """A solution: an unbound variable reads as None, as in pyoxigraph."""

    def __missing__(self, key):
        return None


class _Solutions:
    def __init__(self, names: list[str], rows: list[dict]):
        self.variables = [ox.Variable(n) for n in names]
        self._rows = rows

    def __iter__(self):
        return iter(self._rows)


class RemoteStore:
    """A remote SPARQL 1.1 endpoint with the part of pyoxigraph's Store API that queries use,
    so named queries and free SPARQL run on it unchanged (``--endpoint``)."""

    def __init__(self, url: str, timeout: float = 60.0):
        self.url, self.timeout = url, timeout

    def query(self, query: str, use_default_graph_as_union: bool = True, substitutions: dict | None = None):
        # the endpoint decides its default graph (for oxigraph: serve --union-default-graph)
        data = _endpoint_json(self.url, bind_values(query, substitutions or {}), self.timeout)
        if "boolean" in data:
            return bool(data["boolean"])
        names = data["head"]["vars"]
        rows = [_Row({n: _term(b[n]) for n in names if n in b}) for b in data["results"]["bindings"]]
        return _Solutions(names, rows)
