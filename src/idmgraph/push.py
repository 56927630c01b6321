"""Stage 8: the built graph -> another SPARQL 1.1 store, through the Graph Store HTTP Protocol.

Every named graph is sent with PUT to ``{store}?graph=<name>`` (replacing what the store held
under that name) and the default graph to ``{store}?default``, as N-Triples, so the store ends up
with the same graphs as the build.

Stores differ in two ways this handles:

- writing needs a login on most stores (Virtuoso's ``/sparql-graph-crud-auth``, Fuseki with a
  password file, GraphDB with security on): ``user``/``password`` answer whichever challenge the
  store sends, HTTP Basic or Digest;
- some stores keep no default graph (Virtuoso: its default graph is the union of all graphs):
  ``default_graph`` names the graph that receives the build's default graph (the description of
  the sources). A store that refuses ``?default`` stops the push with that advice, rather than
  the push dropping those triples.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pyoxigraph as ox

from .remote import USER_AGENT, PushError

__all__ = ["push_graphs", "PushError", "StoreAuth"]


class StoreAuth(httpx.Auth):
    """HTTP Basic or Digest, whichever the store's challenge asks for.

    The first request goes without credentials; a 401 says which scheme the store wants, and
    that scheme is kept for the following requests.
    """

    requires_request_body = True

    def __init__(self, user: str, password: str):
        self._schemes = {"basic": httpx.BasicAuth(user, password), "digest": httpx.DigestAuth(user, password)}
        self._chosen: httpx.Auth | None = None

    def auth_flow(self, request):
        if self._chosen is not None:
            yield from self._chosen.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        scheme = response.headers.get("WWW-Authenticate", "").split(" ", 1)[0].lower()
        if scheme not in self._schemes:
            return  # a scheme we do not speak: the 401 stands and the push reports it
        self._chosen = self._schemes[scheme]
        yield from self._chosen.auth_flow(request)


def _graphs(store: ox.Store) -> list[ox.NamedNode | ox.DefaultGraph]:
    named = sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)
    # the default graph first: a store that keeps none refuses it before anything is replaced
    return [ox.DefaultGraph(), *named]


def push_graphs(
    trig: Path,
    store_url: str,
    timeout: float = 120.0,
    user: str | None = None,
    password: str | None = None,
    default_graph: str | None = None,
) -> dict[str, int]:
    """PUT every graph of a built ``idm.trig`` into the store; returns triples sent per graph
    (the default graph under ``"default"``, or under ``default_graph`` when that is given)."""
    store = ox.Store()
    # a build's idm.trig, or any dataset file (N-Quads for the synthetic benchmark graphs)
    store.load(
        path=str(trig), format=ox.RdfFormat.from_extension(trig.suffix.lstrip(".")) or ox.RdfFormat.TRIG
    )
    if default_graph is not None:
        try:
            target = ox.NamedNode(default_graph)
        except ValueError as exc:
            raise PushError(f"--default-graph {default_graph!r} is not an IRI: {exc}") from exc
        if target in set(store.named_graphs()):
            raise PushError(f"--default-graph {default_graph} is already a named graph of the build")
    auth = StoreAuth(user, password or "") if user else None
    sent: dict[str, int] = {}
    with httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT}, auth=auth) as client:
        for g in _graphs(store):
            triples = [
                ox.Triple(q.subject, q.predicate, q.object)
                for q in store.quads_for_pattern(None, None, None, g)
            ]
            if isinstance(g, ox.NamedNode):
                params = {"graph": g.value}
            elif default_graph is not None:
                params = {"graph": default_graph}
            else:
                params = {"default": ""}
            name = params.get("graph", "default")
            try:
                r = client.put(
                    store_url,
                    params=params,
                    content=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
                    headers={"Content-Type": "application/n-triples"},
                )
            except httpx.HTTPError as exc:
                raise PushError(f"{store_url}: {exc}") from exc
            if r.status_code not in (200, 201, 204):
                raise PushError(_refusal(store_url, name, r, user))
            sent[name] = len(triples)
    return sent


def _refusal(store_url: str, name: str, r: httpx.Response, user: str | None) -> str:
    text = r.text
    if "html" in r.headers.get("Content-Type", "") or text.lstrip().startswith("<"):
        text = re.sub(r"<[^>]*>", " ", text)
    text = " ".join(text.split())[:300]
    message = f"{store_url}: {r.status_code} for graph {name}: {text}"
    if r.status_code == 401:
        message += "\nthe store asks for a login: give --user (password in IDMGRAPH_STORE_PASSWORD)"
        if user:
            message = f"{store_url}: 401 for graph {name}: the store refused the login of user '{user}'"
    elif r.status_code == 403 and not user:
        message += "\nthe store does not let anonymous clients write: give --user"
    elif name == "default" and "default" in text.lower():
        message += (
            "\nthe store keeps no default graph (Virtuoso, for one): give --default-graph IRI to send "
            "the build's default graph (the description of the sources) to that named graph"
        )
    return message
