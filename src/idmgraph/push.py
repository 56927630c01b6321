"""Stage 8: the built graph -> another SPARQL 1.1 store, through the Graph Store HTTP Protocol.

Every named graph is sent with PUT to ``{store}?graph=<name>`` (replacing what the store held
under that name) and the default graph to ``{store}?default``, as N-Triples, so the store ends up
with the same graphs as the build.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .remote import USER_AGENT

__all__ = ["push_graphs", "PushError"]


class PushError(Exception):
    """The store refused a graph (exit code 2: the store or its URL is wrong)."""


def push_graphs(trig: Path, store_url: str, timeout: float = 120.0) -> dict[str, int]:
    """PUT every graph of a built ``idm.trig`` into the store; returns triples sent per graph."""
    import httpx

    store = ox.Store()
    store.load(path=str(trig), format=ox.RdfFormat.TRIG)
    graphs: list[ox.NamedNode | ox.DefaultGraph] = sorted(
        (g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value
    )
    graphs.append(ox.DefaultGraph())
    sent: dict[str, int] = {}
    with httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT}) as client:
        for g in graphs:
            triples = [
                ox.Triple(q.subject, q.predicate, q.object)
                for q in store.quads_for_pattern(None, None, None, g)
            ]
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            params = {"default": ""} if isinstance(g, ox.DefaultGraph) else {"graph": g.value}
            r = client.put(
                store_url, params=params, content=body, headers={"Content-Type": "application/n-triples"}
            )
            if r.status_code not in (200, 201, 204):
                raise PushError(
                    f"{store_url}: {r.status_code} for graph {params.get('graph', 'default')}: {r.text[:200]}"
                )
            sent[params.get("graph", "default")] = len(triples)
    return sent
