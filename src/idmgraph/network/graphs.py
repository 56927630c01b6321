"""The graph's participations -> typed NetworkX graphs.

Nodes are keyed by their IRI and keep ``type`` and ``label`` (and more per type); edges keep the
``predicate`` they stand for and a ``weight``. Nodes are added in sorted order so that every
algorithm sees the same graph in the same order (Louvain depends on node order, even seeded).

Projections of the two-mode person-session network (``co_panel_graph``), documented weights:

- ``count``: number of sessions two people shared;
- ``newman``: Newman's collaboration weight, each shared session of k people adds 1/(k-1), so
  that a large panel ties its members less than a small one;
- ``jaccard``: shared sessions over the sessions either attended.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from networkx.algorithms import bipartite

from ..paths import bundled
from ..remote import select_rows
from ..themes import DIRECT_ROUTES

__all__ = [
    "NetworkData",
    "read_network_data",
    "two_mode_graph",
    "co_panel_graph",
    "state_graph",
    "organization_graph",
    "state_theme_graph",
    "actor_type_theme_graph",
    "full_graph",
    "WEIGHTINGS",
]

QUERY_DIR = bundled("ontology", "queries", "network")
WEIGHTINGS = ("count", "newman", "jaccard")
P_PARTICIPANT = "https://w3id.org/idmgraph/ontology#participant"
P_SUBJECT = "http://purl.org/dc/terms/subject"
P_BEHALF = "https://w3id.org/idmgraph/ontology#onBehalfOf"
P_HOLDS = "http://www.w3.org/ns/org#holds"
P_CO_PANEL = "https://w3id.org/idmgraph/vocab/network/coPanel"
P_CO_SESSION = "https://w3id.org/idmgraph/vocab/network/sharedSession"


@dataclass
class NetworkData:
    """What the networks are built from: participation rows, session themes and labels."""

    participations: list[dict] = field(default_factory=list)
    session_themes: dict[str, set[str]] = field(default_factory=dict)  # its own themes
    session_reach: dict[str, set[str]] = field(default_factory=dict)  # with the mapped ones
    labels: dict[str, dict] = field(default_factory=dict)

    def label(self, iri: str | None, lang: str = "en") -> str:
        if not iri:
            return ""
        info = self.labels.get(iri, {})
        return (
            info.get(f"label_{lang}")
            or info.get("label_en")
            or info.get("label_fr")
            or info.get("title")
            or info.get("series_name")
            or iri.rsplit("/", 1)[-1]
        )

    def event_label(self, iri: str) -> str:
        """A meeting as a reader knows it: its first day and its title."""
        start = self.labels.get(iri, {}).get("start")
        return f"{start[:10]} — {self.label(iri)}" if start else self.label(iri)


def read_network_data(store=None, endpoint: str | None = None, build_dir: Path | None = None) -> NetworkData:
    """Read participations, session themes and labels from a store, a build or an endpoint."""

    if store is None and endpoint is None:
        from ..paths import default_out
        from ..store import open_store

        store = open_store(build_dir or default_out())  # once, not once per query

    def rows(name: str) -> list[dict]:
        text = (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")
        return select_rows(text, store=store, endpoint=endpoint, build_dir=build_dir)

    data = NetworkData()
    # a participation with several holdings comes several times: keep one row, collect posts
    by_part: dict[str, dict] = {}
    for r in sorted(
        rows("participations"), key=lambda r: (r["p"], r.get("organization") or "", r.get("post_label") or "")
    ):
        row = by_part.get(r["p"])
        if row is None:
            row = dict(r, organizations=[], posts=[])
            by_part[r["p"]] = row
        if r.get("organization") and r["organization"] not in row["organizations"]:
            row["organizations"].append(r["organization"])
        if r.get("post_label") and r["post_label"] not in row["posts"]:
            row["posts"].append(r["post_label"])
    data.participations = [by_part[k] for k in sorted(by_part)]
    for r in rows("session-themes"):
        data.session_reach.setdefault(r["session"], set()).add(r["theme"])
        if r["via"] in DIRECT_ROUTES:
            data.session_themes.setdefault(r["session"], set()).add(r["theme"])
    for r in rows("labels"):
        data.labels[r["node"]] = {k: v for k, v in r.items() if k != "node" and v is not None}
    return data


def _person_attrs(data: NetworkData) -> dict[str, dict]:
    people: dict[str, dict] = {}
    for r in data.participations:
        a = people.setdefault(
            r["person"],
            {
                "type": "person",
                "label": r["name"],
                "iri": r["person"],
                "states": set(),
                "actor_types": set(),
                "sessions": set(),
                "events": set(),
                "posts": set(),
                "themes": set(),
                "reach": set(),
            },
        )
        if r.get("state"):
            a["states"].add(r["state"])
        if r.get("actor_type"):
            a["actor_types"].add(r["actor_type"])
        a["sessions"].add(r["session"])
        a.setdefault("session_labels", set()).add(r["session_label"])
        a["events"].add(r["event"])
        a["posts"].update(r.get("posts") or [])
        a["themes"].update(data.session_themes.get(r["session"], ()))
        a["reach"].update(data.session_reach.get(r["session"], ()))
    for a in people.values():
        # one value per attribute for grouping (brokerage by actor type, colouring by state)
        state = sorted(a["states"])[0] if a["states"] else ""
        a["state_iri"] = state
        a["state"] = data.labels.get(state, {}).get("iso3", "") if state else ""
        a["actor_type"] = sorted(a["actor_types"])[0] if a["actor_types"] else "unknown"
    return people


def two_mode_graph(data: NetworkData) -> nx.Graph:
    """The two-mode network: people (bipartite=0) and the sessions they took part in (bipartite=1).

    An edge's ``roles`` lists the person's roles in that session (moderator, speaker, ...).
    """
    g = nx.Graph(name="person-session two-mode network")
    people = _person_attrs(data)
    sessions: dict[str, dict] = {}
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in data.participations:
        sessions.setdefault(
            r["session"],
            {
                "type": "session",
                "label": r["session_label"],
                "iri": r["session"],
                "kind": r["session_kind"],
                "event": r["event"],
                "start": r["start"],
                "themes": set(data.session_themes.get(r["session"], ())),
                "reach": set(data.session_reach.get(r["session"], ())),
            },
        )
        edges[(r["person"], r["session"])].add(r["role"])
    for iri in sorted(people):
        g.add_node(iri, bipartite=0, **people[iri])
    for iri in sorted(sessions):
        g.add_node(iri, bipartite=1, **sessions[iri])
    for person, session in sorted(edges):
        g.add_edge(person, session, predicate=P_PARTICIPANT, weight=1, roles=sorted(edges[(person, session)]))
    return g


def _nodes_of(g: nx.Graph, kind: str) -> list[str]:
    return sorted(n for n, d in g.nodes(data=True) if d.get("type") == kind)


def co_panel_graph(two_mode: nx.Graph, weight: str = "count") -> nx.Graph:
    """People tied by the sessions they shared, weighted as documented in the module."""
    if weight not in WEIGHTINGS:
        raise ValueError(f"weight must be one of {', '.join(WEIGHTINGS)}, not {weight!r}")
    people = _nodes_of(two_mode, "person")
    if weight == "count":
        p = bipartite.weighted_projected_graph(two_mode, people)
    elif weight == "newman":
        p = bipartite.collaboration_weighted_projected_graph(two_mode, people)
    else:
        p = bipartite.overlap_weighted_projected_graph(two_mode, people, jaccard=True)
    out = nx.Graph(name=f"co-panel network ({weight})")
    for n in sorted(p.nodes):
        out.add_node(n, **two_mode.nodes[n])
    for u, v, d in sorted(p.edges(data=True)):
        out.add_edge(u, v, weight=float(d["weight"]), predicate=P_CO_PANEL)
    return out


def _actor_session_projection(data: NetworkData, key: str, kind: str, name: str) -> nx.Graph:
    """Actors (states or organisations) tied by sessions in which people spoke for both."""
    b = nx.Graph()
    actors: set[str] = set()
    for r in data.participations:
        for actor in [r.get(key)] if key == "state" else r.get("organizations") or []:
            if actor:
                actors.add(actor)
                b.add_edge(actor, r["session"])
    p = bipartite.weighted_projected_graph(b, sorted(actors)) if actors else nx.Graph()
    out = nx.Graph(name=name)
    for n in sorted(actors):
        info = data.labels.get(n, {})
        out.add_node(
            n,
            type=kind,
            iri=n,
            label=data.label(n),
            iso3=info.get("iso3", ""),
            org_type=info.get("org_type", "national-government" if kind == "state" else "unknown"),
        )
    for u, v, d in sorted(p.edges(data=True)):
        out.add_edge(u, v, weight=float(d["weight"]), predicate=P_CO_SESSION)
    return out


def state_graph(data: NetworkData) -> nx.Graph:
    """States tied by sessions where people spoke for each; weight = shared sessions."""
    return _actor_session_projection(data, "state", "state", "state-state network")


def organization_graph(data: NetworkData) -> nx.Graph:
    """Organisations tied by sessions where people holding posts in each took part."""
    return _actor_session_projection(
        data, "organizations", "organization", "organisation-organisation network"
    )


def _actor_theme(data: NetworkData, actor_of, kind: str, name: str) -> nx.Graph:
    weights: dict[tuple[str, str], int] = defaultdict(int)
    for r in data.participations:
        actor = actor_of(r)
        if not actor:
            continue
        for theme in data.session_themes.get(r["session"], ()):
            weights[(actor, theme)] += 1
    g = nx.Graph(name=name)
    for actor in sorted({a for a, _ in weights}):
        g.add_node(
            actor,
            bipartite=0,
            type=kind,
            iri=actor if "://" in actor else "",
            label=data.label(actor) if "://" in actor else actor,
        )
    for theme in sorted({t for _, t in weights}):
        g.add_node(theme, bipartite=1, type="theme", iri=theme, label=data.label(theme))
    for (a, t), w in sorted(weights.items()):
        g.add_edge(a, t, weight=float(w), predicate=P_SUBJECT)
    return g


def state_theme_graph(data: NetworkData) -> nx.Graph:
    """Two-mode state-theme network; weight = participations of the state's people on the theme."""
    return _actor_theme(data, lambda r: r.get("state"), "state", "state-theme network")


def actor_type_theme_graph(data: NetworkData) -> nx.Graph:
    """Two-mode actor-type-theme network (national government, UN system, ... x themes)."""
    return _actor_theme(data, lambda r: r.get("actor_type"), "actor-type", "actor-type-theme network")


def full_graph(data: NetworkData) -> nx.Graph:
    """Everything in one graph: people, sessions, themes, states and organisations."""
    g = two_mode_graph(data)
    extra: list[tuple[str, dict]] = []
    edges: list[tuple[str, str, str]] = []
    for r in data.participations:
        if r.get("state"):
            extra.append((r["state"], {"type": "state", "label": data.label(r["state"]), "iri": r["state"]}))
            edges.append((r["person"], r["state"], P_BEHALF))
        for org in r.get("organizations") or []:
            info = data.labels.get(org, {})
            if info.get("iso3"):
                continue  # a post in a state itself: the state node already stands for it
            extra.append(
                (
                    org,
                    {
                        "type": "organization",
                        "label": data.label(org),
                        "iri": org,
                        "org_type": info.get("org_type", "unknown"),
                    },
                )
            )
            edges.append((r["person"], org, P_HOLDS))
    for session, themes in data.session_themes.items():
        if session not in g:
            continue
        for t in themes:
            extra.append((t, {"type": "theme", "label": data.label(t), "iri": t}))
            edges.append((session, t, P_SUBJECT))
    for n, attrs in sorted(extra, key=lambda x: x[0]):
        if n not in g:
            g.add_node(n, **attrs)
    for u, v, pred in sorted(set(edges)):
        g.add_edge(u, v, predicate=pred, weight=1)
    g.graph["name"] = "participation graph"
    return g
