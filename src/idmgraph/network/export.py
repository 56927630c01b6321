"""Networks and measures -> files: GEXF and GraphML for Gephi, node-link JSON, CSV tables and a
Markdown report (``idmgraph analyze``).

Gephi and NetworkX's writers trip on list, set and None attributes, and on keys whose values
mix types (a file that cannot be read back). ``clean_for_export`` makes every attribute a
scalar: lists and sets are joined with ``; ``, None becomes "", and a key that holds more than
one type becomes text everywhere.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from ..files import write_folder_atomically
from ..query import iso_frame
from ..text import spreadsheet_safe, spreadsheet_safe_frame
from .graphs import (
    NetworkData,
    actor_type_theme_graph,
    co_panel_graph,
    full_graph,
    organization_graph,
    state_graph,
    state_theme_graph,
    two_mode_graph,
)
from .measures import (
    BROKERAGE_ROLES,
    brokerage_roles,
    centrality_table,
    communities,
    persistence,
    pivots,
    theme_bridges,
    two_mode_centrality,
)

__all__ = ["clean_for_export", "analyze", "Analysis", "write_analysis"]

_RESERVED = {"id", "label_", "pid"}  # GEXF/GraphML writers reserve these keys


def _scalar(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(sorted(str(v) for v in value))
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float, str)):
        return value
    return str(value)


def clean_for_export(g: nx.Graph) -> nx.Graph:
    """A copy of g whose node and edge attributes Gephi, GEXF and GraphML all accept.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("a", roles=["speaker", "moderator"], state=None, n=1)
    >>> g.add_node("b", n="two")
    >>> h = clean_for_export(g)
    >>> h.nodes["a"]["roles"], h.nodes["a"]["state"], h.nodes["a"]["n"], h.nodes["b"]["n"]
    ('moderator; speaker', '', '1', 'two')
    """
    h = nx.Graph() if not g.is_directed() else nx.DiGraph()
    h.graph.update({k: _scalar(v) for k, v in g.graph.items()})
    for n in sorted(g.nodes):
        h.add_node(n, **{k: _scalar(v) for k, v in g.nodes[n].items() if k not in _RESERVED})
    for u, v, d in sorted(g.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        h.add_edge(u, v, **{k: _scalar(x) for k, x in d.items() if k not in _RESERVED})
    for items in (lambda: (d for _, d in h.nodes(data=True)), lambda: (d for *_, d in h.edges(data=True))):
        types: dict[str, set[type]] = {}
        for d in items():
            for k, v in d.items():
                types.setdefault(k, set()).add(type(v))
        mixed = {k for k, ts in types.items() if len(ts) > 1 and ts != {int, float}}
        floats = {k for k, ts in types.items() if ts == {int, float}}
        keys = set(types)
        for d in items():
            for k in keys:
                if k not in d:
                    d[k] = "" if k in mixed or str in types[k] else 0
            for k in mixed:
                d[k] = str(d[k])
            for k in floats:
                d[k] = float(d[k])
    return h


@dataclass
class Analysis:
    graphs: dict[str, nx.Graph] = field(default_factory=dict)
    tables: dict[str, list[dict]] = field(default_factory=dict)
    summary: dict[str, object] = field(default_factory=dict)
    # across meetings and over time (idmgraph.trends): tables as DataFrames, charts as files
    trends: dict[str, object] = field(default_factory=dict)
    charts: dict[str, bytes] = field(default_factory=dict)


def analyze(data: NetworkData, seed: int = 42) -> Analysis:
    """Every network and measure idmgraph reports, deterministic for a given graph and seed."""
    a = Analysis()
    b = two_mode_graph(data)
    co = co_panel_graph(b, "count")
    # one co-panel graph carries the three weightings, so Gephi users pick one as the weight
    for name in ("newman", "jaccard"):
        for u, v, d in co_panel_graph(b, name).edges(data=True):
            co[u][v][f"weight_{name}"] = d["weight"]
    a.graphs = {
        "participation": full_graph(data),
        "person-session": b,
        "co-panel": co,
        "state-state": state_graph(data),
        "organization-organization": organization_graph(data),
        "state-theme": state_theme_graph(data),
        "actor-type-theme": actor_type_theme_graph(data),
    }
    comm = communities(co, seed=seed)
    for n in co.nodes:
        co.nodes[n]["community"] = comm.get(n, -1)
    brokers = brokerage_roles(co, "actor_type")
    person_rows = []
    centrality = {r["node"]: r for r in centrality_table(co)}
    two_mode = {r["node"]: r for r in two_mode_centrality(b)}
    for n in sorted(co.nodes):
        d = co.nodes[n]
        person_rows.append(
            {
                "person": n,
                "name": d["label"],
                "state": d.get("state", ""),
                "actor_type": d.get("actor_type", ""),
                "sessions": b.degree(n),
                "events": len(d.get("events") or ()),
                "two_mode_degree": two_mode[n]["degree"],
                "two_mode_betweenness": two_mode[n]["betweenness"],
                "co_panel_degree": centrality[n]["degree"],
                "co_panel_strength": centrality[n]["strength"],
                "betweenness": centrality[n]["betweenness"],
                "eigenvector": centrality[n]["eigenvector"],
                "community": comm.get(n, -1),
                **{f"brokerage_{r}": brokers[n][r] for r in (*BROKERAGE_ROLES, "total")},
            }
        )
    a.tables["people"] = person_rows
    a.tables["sessions"] = [
        {
            "session": r["node"],
            "label": r["label"],
            "participants": r["raw_degree"],
            "two_mode_degree": r["degree"],
            "two_mode_betweenness": r["betweenness"],
        }
        for r in two_mode_centrality(b)
        if r["type"] == "session"
    ]
    for name in ("state-state", "organization-organization"):
        g = a.graphs[name]
        comm_g = communities(g, seed=seed)
        a.tables[name] = [dict(r, community=comm_g.get(r["node"], -1)) for r in centrality_table(g)]
    a.tables["state-theme"] = two_mode_centrality(a.graphs["state-theme"])
    a.tables["actor-type-theme"] = two_mode_centrality(a.graphs["actor-type-theme"])
    a.tables["people-bridging-themes"] = [
        {k: v for k, v in r.items() if k != "theme_iris"}
        | {"themes_list": "; ".join(data.label(t) for t in r["theme_iris"])}
        for r in theme_bridges(b, "person")
    ]
    states_themes = nx.Graph()
    for n, d in a.graphs["state-theme"].nodes(data=True):
        if d["type"] == "state":
            states_themes.add_node(
                n, type="state", label=d["label"], themes=set(a.graphs["state-theme"].neighbors(n))
            )
    a.tables["states-bridging-themes"] = [
        {k: v for k, v in r.items() if k != "theme_iris"}
        | {"themes_list": "; ".join(data.label(t) for t in r["theme_iris"])}
        for r in theme_bridges(states_themes, "state")
    ]
    a.tables["people-bridging-series"] = series_bridges(b, data)
    pers = persistence(b)
    a.tables["persistence-people"] = pers["people"]
    a.tables["persistence-event-pairs"] = pers["event_pairs"]
    a.summary = {
        "people": sum(1 for _, d in b.nodes(data=True) if d["type"] == "person"),
        "sessions": sum(1 for _, d in b.nodes(data=True) if d["type"] == "session"),
        "co_panel_edges": co.number_of_edges(),
        "co_panel_components": nx.number_connected_components(co),
        "communities": len(set(comm.values())),
        "share_at_several_events": pers["share_at_several_events"],
        "seed": seed,
        "betweenness": "exact" if pivots(co) is None else f"estimated from {pivots(co)} seeded pivots",
        "two_mode_betweenness": "exact" if pivots(b) is None else "not computed (graph too large)",
    }
    return a


def series_bridges(two_mode: nx.Graph, data: NetworkData) -> list[dict]:
    """People who took part in meetings of two event series or more, most series first: the
    brokers between the IDM, the Global Compact's process, the GFMD, the Human Rights Council ...

    ``two_mode`` is the person-session graph (sessions carry their ``event``); a meeting's series
    comes from ``data`` (the build's schema:superEvent chain)."""
    rows = []
    for n, d in two_mode.nodes(data=True):
        if d.get("type") != "person":
            continue
        meetings = {two_mode.nodes[s].get("event") for s in two_mode.neighbors(n)} - {None}
        series = {data.labels.get(e, {}).get("series") for e in meetings} - {None}
        if len(series) > 1:
            names = sorted(data.label(s) for s in series)
            rows.append(
                {
                    "node": n,
                    "label": d.get("label", n),
                    "series": len(series),
                    "meetings": len(meetings),
                    "series_list": "; ".join(names),
                }  # fmt: skip
            )
    return sorted(rows, key=lambda r: (-r["series"], -r["meetings"], r["label"], r["node"]))


def _workbook(a: Analysis) -> bytes:
    """Every table of an analysis in one workbook, a sheet each (names cut to Excel's 31)."""
    import pandas as pd

    frames = {name: pd.DataFrame([{k: _scalar(v) for k, v in r.items()} for r in rows])
              for name, rows in a.tables.items()}  # fmt: skip
    frames |= dict(a.trends)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as book:
        for name, frame in sorted(frames.items()):
            spreadsheet_safe_frame(frame).to_excel(book, index=False, sheet_name=name[:31])
    return buf.getvalue()


def _csv(rows: list[dict]) -> bytes:
    if not rows:
        return b""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows({k: spreadsheet_safe(_scalar(v)) for k, v in r.items()} for r in rows)  # no formulas
    return buf.getvalue().encode("utf-8")


def _markdown(a: Analysis) -> str:
    s = a.summary
    lines = [
        "# idmgraph network report",
        "",
        f"{s['people']} people in {s['sessions']} sessions; the co-panel network has "
        f"{s['co_panel_edges']} ties in {s['co_panel_components']} components and "
        f"{s['communities']} Louvain communities (seed {s['seed']}). "
        f"{s['share_at_several_events']:.0%} of people took part in more than one event.",
        "",
        "Tie strengths are shared sessions; betweenness is computed on 1/strength (NetworkX reads "
        "weights as lengths); eigenvector centrality per component; brokerage roles after Gould and "
        "Fernandez, with actor type as the group.",
        "",
    ]

    def table(title: str, rows: list[dict], cols: list[str], n: int = 10) -> None:
        lines.extend([f"## {title}", ""])
        if not rows:
            lines.extend(["(none)", ""])
            return
        lines.append("| " + " | ".join(cols) + " |")
        lines.append("|" + "---|" * len(cols))
        for r in rows[:n]:
            cells = [f"{r[c]:.3f}" if isinstance(r[c], float) else str(r[c]).replace("|", "/") for c in cols]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")

    people = a.tables["people"]
    table(
        "Most central people (co-panel degree: the people they shared a session with; ties by betweenness)",
        sorted(
            people, key=lambda r: (-r["co_panel_degree"], -r["betweenness"], -r["eigenvector"], r["name"])
        ),
        [
            "name",
            "state",
            "actor_type",
            "co_panel_degree",
            "betweenness",
            "eigenvector",
            "sessions",
            "events",
            "community",
        ],
    )
    table(
        "Brokers (Gould-Fernandez, by actor type)",
        sorted((r for r in people if r["brokerage_total"]), key=lambda r: (-r["brokerage_total"], r["name"])),
        ["name", "actor_type", *[f"brokerage_{r}" for r in BROKERAGE_ROLES], "brokerage_total"],
    )
    table("People who bridge themes", a.tables["people-bridging-themes"], ["label", "themes", "themes_list"])
    table("States who bridge themes", a.tables["states-bridging-themes"], ["label", "themes", "themes_list"])
    table(
        "People who bridge series (meetings of several series: IDM, the Global Compact's process, GFMD, ...)",
        a.tables["people-bridging-series"],
        ["label", "series", "meetings", "series_list"],
    )
    table(
        "States (state-state network)",
        sorted(a.tables["state-state"], key=lambda r: (-r["degree"], r["label"])),
        ["label", "degree", "strength", "betweenness", "community"],
    )
    table("Persistence across events", a.tables["persistence-people"], ["label", "events"])
    if a.trends:
        _trend_sections(a, lines)
    lines.extend(
        [
            "## Files",
            "",
            "CSV tables of every measure, and each network as GEXF and GraphML "
            "(Gephi) and node-link JSON, beside this report.",
            "",
        ]
    )
    return "\n".join(lines)


def _trend_sections(a: Analysis, lines: list[str]) -> None:
    """Across meetings and over time: each chart, then the head of its table."""
    lines.extend(["## Across meetings and over time", ""])
    charts = {
        "participations-by-actor-type": "Participations per meeting by kind of actor",
        "participations-by-region": "Participations per meeting by M49 region",
        "participations-by-level": "Participations per meeting by level of representation",
        "theme-share-by-year": "Share of sessions per theme per year",
    }
    for name, title in charts.items():
        if f"{name}.png" in a.charts:
            lines.extend(
                [f"### {title}", "", f"![{title}]({name}.png) ([SVG]({name}.svg), [CSV]({name}.csv))", ""]
            )
    for name, title, cols in (
        (
            "states-over-time",
            "States: first and last meeting",
            ["iso3", "state_label", "first_meeting", "last_meeting", "meetings", "people"],
        ),
        ("people-who-return", "The people who return most", ["name", "events", "first_event", "last_event"]),
    ):
        df = a.trends.get(name)
        if df is None:
            continue
        df = iso_frame(df)
        lines.extend([f"### {title}", ""])
        if df.empty:
            lines.extend(["(none)", ""])
            continue
        present = [c for c in cols if c in df.columns]
        lines.append("| " + " | ".join(present) + " |")
        lines.append("|" + "---|" * len(present))
        for r in df.head(10).itertuples(index=False):
            row = r._asdict()
            lines.append(
                "| "
                + " | ".join("" if row[c] is None or row[c] != row[c] else str(row[c]) for c in present)
                + " |"
            )
        lines.append("")


def write_analysis(
    a: Analysis, out_dir: Path, excel: bool = False, workbook: bool = False
) -> dict[str, Path]:
    """Write the report, tables and exports to out_dir atomically (temporary folder, then rename).
    ``excel``: the CSV files start with a byte-order mark (Excel then reads their accents);
    ``workbook``: the tables also as one Excel workbook, ``tables.xlsx``, a sheet each, dates as
    dates and numbers as numbers. Neither carries a formula."""
    files: dict[str, bytes] = {
        "report.md": _markdown(a).encode("utf-8"),
        "summary.json": (json.dumps(a.summary, indent=2, sort_keys=True) + "\n").encode(),
    }
    bom = "\ufeff".encode() if excel else b""
    for name, rows in sorted(a.tables.items()):
        files[f"{name}.csv"] = bom + _csv(rows) if rows else b""
    for name, frame in sorted(a.trends.items()):
        files[f"{name}.csv"] = bom + spreadsheet_safe_frame(iso_frame(frame)).to_csv(index=False).encode(
            "utf-8"
        )
    if workbook:
        files["tables.xlsx"] = _workbook(a)
    files.update(a.charts)
    for name, g in sorted(a.graphs.items()):
        clean = clean_for_export(g)
        for ext, writer in (("gexf", nx.write_gexf), ("graphml", nx.write_graphml)):
            buf = io.BytesIO()
            writer(clean, buf)
            files[f"{name}.{ext}"] = buf.getvalue()
        files[f"{name}.json"] = (
            json.dumps(nx.node_link_data(clean, edges="edges"), indent=1, sort_keys=True, ensure_ascii=False)
            + "\n"
        ).encode("utf-8")
    return write_folder_atomically(out_dir, files)
