"""Measures on participation networks: centralities, communities, brokerage, bridges, persistence.

Conventions, so that results can be compared and reproduced:

- tie strengths (``weight``: shared sessions, Newman or Jaccard) are *strengths*; NetworkX reads
  a weight as a *length* in shortest-path measures, so betweenness runs on ``distance = 1/weight``;
- eigenvector centrality is computed per connected component (it is undefined across
  components) and normalised within each;
- communities are Louvain's with a fixed seed on a graph whose nodes were added in sorted order;
- betweenness is exact while nodes x edges stays under ``EXACT_WORK`` (one million); beyond,
  it is estimated from ``max(50, EXACT_WORK / edges)`` source nodes drawn with a fixed seed
  (Brandes and Pich), and the two-mode betweenness and closeness, which have no sampled form in
  NetworkX, are left out (NaN); the report says which was done;
- every table is sorted, so the same graph gives the same rows.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import networkx as nx
from networkx.algorithms import bipartite

__all__ = [
    "centrality_table",
    "two_mode_centrality",
    "communities",
    "brokerage_roles",
    "theme_bridges",
    "persistence",
    "BROKERAGE_ROLES",
]

BROKERAGE_ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")
EXACT_WORK = 1_000_000
MIN_PIVOTS = 50


def pivots(g: nx.Graph) -> int | None:
    """None when exact betweenness is affordable, else the number of seeded pivots to use."""
    work = g.number_of_nodes() * max(g.number_of_edges(), 1)
    if work <= EXACT_WORK:
        return None
    return min(g.number_of_nodes(), max(MIN_PIVOTS, EXACT_WORK // max(g.number_of_edges(), 1)))


def betweenness(g: nx.Graph, weight: str | None = "weight", seed: int = 42) -> dict:
    """Betweenness on distances 1/weight; exact, or estimated from seeded pivots (see ``pivots``)."""
    dist = _with_distance(g, weight)
    return nx.betweenness_centrality(dist, k=pivots(g), weight="distance", normalized=True, seed=seed)


def _with_distance(g: nx.Graph, weight: str | None) -> nx.Graph:
    h = g.copy()
    for _, _, d in h.edges(data=True):
        w = float(d.get(weight, 1.0)) if weight else 1.0
        d["distance"] = 1.0 / w if w > 0 else math.inf
    return h


def _eigenvector(g: nx.Graph, weight: str | None) -> dict:
    out: dict = {}
    for comp in sorted(nx.connected_components(g), key=lambda c: sorted(c)[0]):
        nodes = sorted(comp)
        if len(nodes) == 1:
            out[nodes[0]] = 0.0
            continue
        sub = g.subgraph(nodes)
        try:
            out.update(nx.eigenvector_centrality(sub, weight=weight, max_iter=1000, tol=1e-6))
        except nx.PowerIterationFailedConvergence:
            out.update(dict.fromkeys(nodes, float("nan")))
    return out


def centrality_table(g: nx.Graph, weight: str | None = "weight") -> list[dict]:
    """Degree, strength, betweenness (on 1/weight) and eigenvector centrality of every node.

    Examples
    --------
    >>> g = nx.path_graph(["a", "b", "c"])
    >>> [(r["node"], r["degree"], r["betweenness"]) for r in centrality_table(g, None)]
    [('a', 1, 0.0), ('b', 2, 1.0), ('c', 1, 0.0)]
    """
    if g.number_of_nodes() == 0:
        return []
    btw = betweenness(g, weight)
    eig = _eigenvector(g, weight)
    rows = []
    for n in sorted(g.nodes):
        rows.append(
            {
                "node": n,
                "label": g.nodes[n].get("label", n),
                "type": g.nodes[n].get("type", ""),
                "degree": g.degree(n),
                "strength": float(
                    sum(d.get(weight, 1.0) if weight else 1.0 for _, _, d in g.edges(n, data=True))
                ),
                "betweenness": btw[n],
                "eigenvector": eig[n],
            }
        )
    return rows


def two_mode_centrality(b: nx.Graph) -> list[dict]:
    """Degree, betweenness and closeness of a two-mode graph, normalised by the two set sizes
    (Borgatti and Halgin) with NetworkX's bipartite functions; nodes need ``bipartite`` 0/1.

    Examples
    --------
    >>> b = nx.Graph([("p1", "s1"), ("p2", "s1"), ("p2", "s2")])
    >>> nx.set_node_attributes(b, {"p1": 0, "p2": 0, "s1": 1, "s2": 1}, "bipartite")
    >>> [(r["node"], r["degree"]) for r in two_mode_centrality(b)]
    [('p1', 0.5), ('p2', 1.0), ('s1', 1.0), ('s2', 0.5)]
    >>> one = nx.Graph([("p1", "s1"), ("p2", "s1")])  # one session: no path runs through anyone
    >>> nx.set_node_attributes(one, {"p1": 0, "p2": 0, "s1": 1}, "bipartite")
    >>> {r["node"]: r["betweenness"] for r in two_mode_centrality(one)}
    {'p1': 0.0, 'p2': 0.0, 's1': 0.0}
    """
    if b.number_of_nodes() == 0:
        return []
    top = sorted(n for n, d in b.nodes(data=True) if d.get("bipartite") == 0)
    deg = bipartite.degree_centrality(b, top)
    if pivots(b) is None:
        try:
            btw = bipartite.betweenness_centrality(b, top)
        except ZeroDivisionError:  # NetworkX divides by the largest possible betweenness: 0 for one session
            btw = dict.fromkeys(b.nodes, 0.0)
        clo = bipartite.closeness_centrality(b, top)
    else:
        btw = clo = dict.fromkeys(b.nodes, float("nan"))
    return [
        {
            "node": n,
            "label": b.nodes[n].get("label", n),
            "type": b.nodes[n].get("type", ""),
            "raw_degree": b.degree(n),
            "degree": deg[n],
            "betweenness": btw[n],
            "closeness": clo[n],
        }
        for n in sorted(b.nodes)
    ]


def communities(g: nx.Graph, weight: str | None = "weight", seed: int = 42, resolution: float = 1.0) -> dict:
    """Louvain communities, numbered from 0 by decreasing size (ties: smallest node first).

    Examples
    --------
    >>> g = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> c = communities(g, None)
    >>> c[1] == c[2] == c[3] and c[4] == c[5] == c[6] and c[1] != c[4]
    True
    """
    if g.number_of_nodes() == 0:
        return {}
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(g.nodes))
    ordered.add_edges_from(sorted((min(u, v), max(u, v), d) for u, v, d in g.edges(data=True)))
    found = nx.community.louvain_communities(ordered, weight=weight, resolution=resolution, seed=seed)
    found = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    return {n: i for i, c in enumerate(found) for n in c}


def brokerage_roles(g: nx.Graph | nx.DiGraph, group: str) -> dict:
    """Gould-Fernandez brokerage: for every node, how often it brokers each kind of two-step path.

    For each path a -> b -> c with no tie a -> c, broker b's role depends on the groups
    (node attribute ``group``, e.g. actor type) of a, b and c:

    - coordinator: all three in one group;
    - itinerant (consultant): a and c in one group, b in another;
    - gatekeeper: b and c in one group, a outside (b controls access into its group);
    - representative: a and b in one group, c outside (b speaks for its group);
    - liaison: three different groups.

    An undirected graph is read as ties in both directions, so each open triad counts twice
    (coordinator, itinerant, liaison) or once as gatekeeper and once as representative.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(g, {"a": "x", "b": "x", "c": "y"}, "group")
    >>> brokerage_roles(g, "group")["b"]["representative"]
    1
    """
    if not g.is_directed():
        return _brokerage_undirected(g, group)
    d = g
    groups = nx.get_node_attributes(d, group)
    out = {n: dict.fromkeys(BROKERAGE_ROLES, 0) for n in sorted(d.nodes)}
    for b in sorted(d.nodes):
        gb = groups.get(b)
        for a in sorted(d.predecessors(b)):
            for c in sorted(d.successors(b)):
                if a == c or d.has_edge(a, c):
                    continue
                out[b][_role(groups.get(a), gb, groups.get(c))] += 1
    for counts in out.values():
        counts["total"] = sum(counts[r] for r in BROKERAGE_ROLES)
    return out


def _role(ga, gb, gc) -> str:
    if ga == gb == gc:
        return "coordinator"
    if ga == gc:
        return "itinerant"
    if gb == gc:
        return "gatekeeper"
    if ga == gb:
        return "representative"
    return "liaison"


def _brokerage_undirected(g: nx.Graph, group: str) -> dict:
    """Same counts as the directed definition on both directions of every tie, without listing
    pairs: per broker, all ordered pairs of its neighbours by group, minus the tied ones (found
    from the smaller side of each tie)."""
    groups = nx.get_node_attributes(g, group)
    adj = {n: set(g.adj[n]) - {n} for n in g.nodes}
    out = {}
    for b in sorted(g.nodes):
        nb = adj[b]
        count: Counter = Counter(groups.get(a) for a in nb)
        tied: Counter = Counter()
        for a in nb:
            small, large = (adj[a], nb) if len(adj[a]) < len(nb) else (nb, adj[a])
            ga = groups.get(a)
            for c in small:
                if c != a and c in large:  # c is a neighbour of both a and b
                    tied[(ga, groups.get(c))] += 1
        roles = dict.fromkeys(BROKERAGE_ROLES, 0)
        gb = groups.get(b)
        for ga, na in count.items():
            for gc, nc in count.items():
                pairs = na * nc - (na if ga == gc else 0) - tied[(ga, gc)]
                if pairs:
                    roles[_role(ga, gb, gc)] += pairs
        roles["total"] = sum(roles[r] for r in BROKERAGE_ROLES)
        out[b] = roles
    return out


def theme_bridges(g: nx.Graph, kind: str, theme_attr: str = "themes") -> list[dict]:
    """Nodes of a type (person, state, ...) whose sessions span two or more themes, most first.

    ``g`` is a graph whose nodes of that type carry a set of theme IRIs in ``theme_attr``.
    """
    rows = []
    for n, d in g.nodes(data=True):
        if d.get("type") != kind:
            continue
        themes = sorted(d.get(theme_attr) or ())
        if len(themes) >= 2:
            rows.append({"node": n, "label": d.get("label", n), "themes": len(themes), "theme_iris": themes})
    return sorted(rows, key=lambda r: (-r["themes"], r["label"], r["node"]))


def persistence(two_mode: nx.Graph) -> dict:
    """Who comes back: events per person, the share of people at several events, and the
    overlap (Jaccard) of the participants of every pair of events."""
    events: dict[str, set[str]] = defaultdict(set)
    for n, d in two_mode.nodes(data=True):
        if d.get("type") == "person":
            for e in d.get("events") or ():
                events[e].add(n)
    per_person = Counter(p for people in events.values() for p in people)
    people = [
        {"node": p, "label": two_mode.nodes[p].get("label", p), "events": k}
        for p, k in sorted(per_person.items(), key=lambda x: (-x[1], x[0]))
    ]
    pairs = []
    keys = sorted(events)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            inter = len(events[a] & events[b])
            if inter:
                pairs.append(
                    {
                        "event_a": a,
                        "event_b": b,
                        "shared_people": inter,
                        "jaccard": inter / len(events[a] | events[b]),
                    }
                )
    total = len(per_person)
    return {
        "people": people,
        "event_pairs": pairs,
        "share_at_several_events": (sum(1 for k in per_person.values() if k > 1) / total) if total else 0.0,
    }
