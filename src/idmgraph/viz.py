"""Stage 6b: networks -> interactive, self-contained HTML views (pyvis + vis-network, offline).

pyvis assembles the nodes, edges and vis-network options; the page is rendered from our own
template with vis-network's script and style inlined from the copy pyvis ships, so the file
opens from disk with no request anywhere (its Content-Security-Policy forbids any). Every label
and tooltip reaches the page as JSON data and is shown with textContent: a name containing
``<script>`` is displayed as text.

Layout: up to 1,000 nodes, vis-network's force layout with a fixed random seed, stabilised
once, then frozen (physics off); above, positions computed in Python by a seeded force layout
whose all-pairs repulsion runs on a grid (``idmgraph.network.layout``), which the page draws at
once. Either way a view opens the same way every time and stays still (use Gephi on the GEXF
export for publication plots).
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from .files import write_folder_atomically
from .network import NetworkData, co_panel_graph, full_graph, state_theme_graph, two_mode_graph

__all__ = ["render_view", "build_views", "write_views", "NODE_STYLE", "SIZE_MEASURES"]

TEMPLATE = Path(__file__).resolve().parent / "templates" / "view.html"

# colour-blind-safe palette (Okabe-Ito) and a shape per node type
NODE_STYLE = {
    "person": {"color": "#0072B2", "shape": "dot", "label": "person"},
    "session": {"color": "#E69F00", "shape": "square", "label": "session"},
    "theme": {"color": "#009E73", "shape": "diamond", "label": "theme"},
    "state": {"color": "#CC79A7", "shape": "triangle", "label": "state"},
    "organization": {"color": "#56B4E9", "shape": "hexagon", "label": "organisation"},
    "actor-type": {"color": "#D55E00", "shape": "star", "label": "actor type"},
}
SIZE_MEASURES = ("degree", "strength", "betweenness", "eigenvector")


def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib"
    folder = sorted(lib.glob("vis-9*"))[-1]
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    # nothing in an inline script may close the script element early
    return js.replace("</script", "<\\/script"), css.replace("</style", "<\\/style")


def _script_json(value) -> str:
    """JSON that is safe inside <script>: no '<', '>' or '&' survives unescaped."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _tooltip(d: dict, data: NetworkData | None) -> list[str]:
    lines = [str(d.get("label", ""))]
    kind = d.get("type", "")
    lines.append(NODE_STYLE.get(kind, {}).get("label", kind))
    label = data.label if data else (lambda iri: iri)
    if d.get("state"):
        lines.append(f"state: {d['state']}")
    if d.get("posts"):
        lines.append("posts: " + "; ".join(sorted(d["posts"])))
    if kind == "person" and d.get("session_labels"):
        shown = sorted(d["session_labels"])
        more = f" (+{len(shown) - 5} more)" if len(shown) > 5 else ""
        lines.append("sessions: " + "; ".join(shown[:5]) + more)
    if d.get("themes"):
        lines.append("themes: " + "; ".join(sorted(label(t) for t in d["themes"])))
    if d.get("org_type"):
        lines.append(f"type: {d['org_type']}")
    if d.get("community") is not None and d["community"] >= 0:
        lines.append(f"community: {d['community'] + 1}")
    return lines


# communities, largest first, in colours told apart with colour-blind vision (Okabe-Ito, then
# Tol's muted); communities past these share a grey and the legend says how many there are
COMMUNITY_COLOURS = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000",
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
)  # fmt: skip
OTHER_COMMUNITIES = "#BBBBBB"


def _community_colours(g: nx.Graph) -> dict[int, str]:
    """A colour for each community, numbered by size (0 the largest)."""
    ids = sorted({d["community"] for _, d in g.nodes(data=True) if d.get("community", -1) >= 0})
    return {c: COMMUNITY_COLOURS[c] if c < len(COMMUNITY_COLOURS) else OTHER_COMMUNITIES for c in ids}


def node_measure(g: nx.Graph, size_by: str) -> dict:
    """The centrality that sizes the nodes, and only that one (betweenness is the costly one)."""
    from .network.measures import _eigenvector, betweenness

    if size_by == "degree":
        return dict(g.degree)
    if size_by == "strength":
        return dict(g.degree(weight="weight"))
    if size_by == "betweenness":
        return betweenness(g, "weight") if g.number_of_nodes() else {}
    return _eigenvector(g, "weight")


# above this many nodes a view is laid out here (network.layout.force_layout), not by the browser
LAID_OUT_FROM = 1000
# layout units to the page's pixels: a typical edge about 60 px, beside nodes of 8-32 px
_PIXELS_PER_UNIT = 3.0


def _positions(g: nx.Graph, seed: int) -> dict[object, dict[str, float]]:
    """The page position (``x``, ``y`` in pixels) of each node of g."""
    from .network.layout import force_layout

    pos, scale = force_layout(g, seed=seed), _PIXELS_PER_UNIT
    return {n: {"x": round(x * scale, 1), "y": round(y * scale, 1)} for n, (x, y) in pos.items()}


def render_view(
    g: nx.Graph,
    title: str,
    data: NetworkData | None = None,
    size_by: str = "degree",
    seed: int = 42,
    physics: dict | None = None,
) -> str:
    """A self-contained HTML page drawing g; nodes need ``type`` and ``label`` attributes.

    ``physics``: vis-network's physics options, in place of the layout chosen by size (a large
    view is then laid out by the browser)."""
    from jinja2 import Environment
    from markupsafe import Markup
    from pyvis.network import Network

    if size_by not in SIZE_MEASURES:
        raise ValueError(f"size_by must be one of {', '.join(SIZE_MEASURES)}")
    measure = node_measure(g, size_by)
    top = max((v for v in measure.values() if v == v), default=0) or 1
    net = Network(directed=False)
    colours = _community_colours(g)  # a view with communities is coloured by them
    facets: dict[str, dict[str, str]] = {
        "type": {}, "theme": {}, "state": {}, "series": {}, "year": {}, "event": {}
    }  # fmt: skip
    label = data.label if data else (lambda iri: iri)
    big = g.number_of_nodes() > LAID_OUT_FROM
    # the browser's own layout of a large view did not settle in time: 80 Barnes-Hut steps took
    # 14.5 s at 4,746 nodes in headless Chromium and left a ring of nodes around a knot of
    # edges; the positions are computed here instead (1.6 s) and the page draws them
    positions = _positions(g, seed) if big and physics is None else {}
    # pyvis's add_node and add_edge look for duplicates by scanning lists (quadratic: minutes at
    # 5,000 nodes); the graph has no duplicates, so its lists are filled directly, same format.
    for n in sorted(g.nodes):
        d = g.nodes[n]
        kind = d.get("type", "other")
        style = NODE_STYLE.get(kind, {"color": "#999999", "shape": "dot"})
        value = measure.get(n, 0)
        # the theme filter finds a node by every theme it reaches (the rule of the theme queries)
        themes = sorted(d.get("reach") or d.get("themes") or ())
        states = sorted({d["state_iri"]} if d.get("state_iri") else ()) or ([n] if kind == "state" else [])
        events = sorted(d.get("events") or ({d["event"]} if d.get("event") else ()))
        facets["type"][kind] = NODE_STYLE.get(kind, {}).get("label", kind)
        for t in themes + ([n] if kind == "theme" else []):
            facets["theme"][t] = label(t)
        for s in states:
            facets["state"][s] = label(s)
        for e in events:
            facets["event"][e] = data.event_label(e) if data else e  # date and title, not an IRI
        # the series and years of the node's meetings (a meeting node: its own)
        meetings = events + ([n] if kind == "event" else [])
        series = sorted({data.labels.get(e, {}).get("series") for e in meetings} - {None}) if data else []
        years = (
            sorted({(data.labels.get(e, {}).get("start") or "")[:4] for e in meetings} - {""}) if data else []
        )
        for s in series:
            facets["series"][s] = label(s)
        for y in years:
            facets["year"][y] = y
        net.node_ids.append(str(n))
        net.nodes.append(
            {
                "id": str(n),
                "label": str(d.get("label", n)),
                "shape": style["shape"],
                "color": colours.get(d.get("community", -1), style["color"]) if colours else style["color"],
                "size": float(8 + 24 * (value / top if value == value else 0)),
                "kind": kind,
                "themes": themes,
                "states": states,
                "events": events,
                "series": series,
                "years": years,
                "tooltip": _tooltip(d, data),
                **positions.get(n, {}),
            }
        )
    for u, v, d in sorted(g.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        net.edges.append(
            {"from": str(u), "to": str(v), "value": float(d.get("weight", 1.0)), "color": "#bbbbbb"}
        )
    options = {
        "layout": {"randomSeed": seed, "improvedLayout": not big},
        "physics": {"enabled": False}
        if big
        else {
            "solver": "forceAtlas2Based",
            "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 50},
            "forceAtlas2Based": {"gravitationalConstant": -40, "springLength": 90},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big},
        "nodes": {"font": {"size": 12}},
        "edges": {"smooth": False, "scaling": {"min": 1, "max": 6}},
    }
    if physics is not None:
        options["physics"] = physics
    nodes, edges = net.nodes, net.edges
    present = {n["kind"] for n in nodes}
    payload = {
        "title": title,
        "size_by": size_by,
        "nodes": nodes,
        "edges": edges,
        "options": options,
        "legend": _legend(present, colours),
        "facets": {k: sorted(v.items(), key=lambda kv: kv[1].lower()) for k, v in facets.items()},
    }
    js, css = _vis_assets()
    env = Environment(autoescape=True)
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    return template.render(
        title=title,
        n_nodes=g.number_of_nodes(),
        vis_js=Markup(js),
        vis_css=Markup(css),
        data_json=Markup(_script_json(payload)),
    )


def _legend(present: set[str], colours: dict[int, str]) -> list[dict]:
    if not colours:
        return [dict(NODE_STYLE[k]) for k in NODE_STYLE if k in present]
    shown = [c for c in sorted(colours) if c < len(COMMUNITY_COLOURS)]
    items = [{"color": colours[c], "shape": "dot", "label": f"community {c + 1}"} for c in shown]
    if len(colours) > len(shown):
        items.append(
            {
                "color": OTHER_COMMUNITIES,
                "shape": "dot",
                "label": f"{len(colours) - len(shown)} smaller communities",
            }
        )
    return items


def build_views(data: NetworkData, seed: int = 42) -> dict[str, tuple[nx.Graph, str]]:
    """The three standard views: the whole participation graph, co-panel, states x themes."""
    two_mode = two_mode_graph(data)
    return {
        "participation": (
            full_graph(data),
            "Participation graph: people, sessions, themes, states, organisations",
        ),
        "co-panel": (
            _with_communities(co_panel_graph(two_mode, "count"), seed),
            "Co-panel network: people who shared a session, coloured by community",
        ),
        "state-theme": (state_theme_graph(data), "States x themes"),
    }


def _with_communities(g: nx.Graph, seed: int) -> nx.Graph:
    """Louvain communities (as idmgraph analyze finds them), numbered by size, largest first."""
    from .network.measures import communities

    found = communities(g, seed=seed)
    sizes: dict[int, int] = {}
    for c in found.values():
        sizes[c] = sizes.get(c, 0) + 1
    order = {c: i for i, c in enumerate(sorted(sizes, key=lambda c: (-sizes[c], c)))}
    for n in g.nodes:
        g.nodes[n]["community"] = order[found[n]] if n in found else -1
    return g


def write_views(data: NetworkData, out_dir: Path, size_by: str = "degree") -> dict[str, Path]:
    """Render every view into out_dir (atomically); returns the files written."""
    files = {
        f"{name}.html": render_view(g, title, data, size_by).encode("utf-8")
        for name, (g, title) in build_views(data).items()
    }
    return write_folder_atomically(out_dir, files)
