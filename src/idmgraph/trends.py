"""Across meetings and over time: the research queries that follow participation from meeting to
meeting (by kind of actor, region and level of representation), states' first and last meeting,
the people who return, the share of sessions per theme per year; and charts of them
(matplotlib, PNG and SVG) drawn from the graph, so they grow with it.

Used by ``idmgraph analyze`` (tables and charts beside the network report) and by notebook 3.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

__all__ = ["Trends", "trend_tables", "trend_charts", "TREND_QUERIES"]

# table name -> (research query, parameters)
TREND_QUERIES: dict[str, tuple[str, dict[str, str]]] = {
    "participations-by-actor-type": ("actor-types-by-event", {}),
    "participations-by-region": ("participation-by-region", {"by": "region"}),
    "participations-by-level": ("representation-level", {"per": "event"}),
    "states-over-time": ("states-over-time", {}),
    "people-who-return": ("people-at-several-events", {}),
    "theme-share-by-year": ("theme-share-by-year", {}),
}


@dataclass
class Trends:
    tables: dict[str, object] = field(default_factory=dict)  # name -> pandas DataFrame
    charts: dict[str, bytes] = field(default_factory=dict)  # file name -> PNG or SVG bytes


def trend_tables(store) -> dict[str, object]:
    """Each trend query's answer on a store (a local Oxigraph store or a RemoteStore)."""
    from .query import run_query

    return {
        name: run_query(query, dict(params), store=store) for name, (query, params) in TREND_QUERIES.items()
    }


def _day(value) -> str:
    """A meeting's date as ``YYYY-MM-DD`` (a datetime, or text where the graph mixes date types)."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "(no date)"
    return value[:10] if isinstance(value, str) else value.date().isoformat()


def _event_order(tables: dict) -> list[tuple[str, str]]:
    """(event IRI, axis label) in the order of their dates."""
    df = tables["participations-by-actor-type"]
    if df.empty:
        return []
    first = df.groupby("event").agg(date=("date", "min"), label=("event_label", "min")).reset_index()
    first = first.sort_values(["date", "event"], na_position="last")
    out = []
    for r in first.itertuples():
        title = r.label if len(r.label) <= 28 else r.label[:27] + "…"
        out.append((r.event, f"{_day(r.date)}\n{title}"))
    return out


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _save(fig, stem: str, out: dict[str, bytes]) -> None:
    for fmt in ("png", "svg"):
        buf = io.BytesIO()
        # no date nor random ids in the files: the same graph draws the same bytes
        fig.savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else {"Software": None})
        out[f"{stem}.{fmt}"] = buf.getvalue()


# past this many meetings, the bar charts add meetings up per year (one bar a meeting would not read)
MAX_BARS = 24


def _stacked(
    tables: dict, name: str, column: str, label_column: str, title: str, order: list[str] | None = None
):
    df = tables[name]
    events = _event_order(tables)
    if df.empty or not events:
        return None
    labels = dict(zip(df[column], df[label_column].fillna(df[column]))) if label_column in df else {}
    index = "event" if "event" in df.columns else "unit"  # representation-level per event names it unit
    pivot = df.pivot_table(index=index, columns=column, values="participations", aggfunc="sum", fill_value=0)
    pivot = pivot.reindex([e for e, _ in events]).fillna(0)
    bars = [label for _, label in events]
    if len(events) > MAX_BARS:
        years = [label.split("-", 1)[0] if label[:4].isdigit() else "(no date)" for label in bars]
        pivot = pivot.groupby(years, sort=True).sum()
        bars = list(pivot.index)
        title += ", per year"
    else:
        title += ", per meeting"
    keys = [k for k in (order or sorted(pivot.columns)) if k in pivot.columns]
    fig = _figure(max(8.0, (1.6 if len(bars) <= 8 else 0.5) * len(bars) + 4), 4.5)
    ax = fig.add_subplot()
    bottom = [0.0] * len(bars)
    colours = _palette(len(keys))
    for key, colour in zip(keys, colours):
        values = [float(v) for v in pivot[key]]
        ax.bar(range(len(bars)), values, bottom=bottom, label=str(labels.get(key, key)), color=colour)
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_xticks(range(len(bars)), bars, fontsize=7)
    ax.set_ylabel("participations")
    ax.set_title(title)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return fig


def _palette(n: int) -> list[str]:
    from .viz import COMMUNITY_COLOURS  # the views' colours, told apart with colour-blind vision

    return [COMMUNITY_COLOURS[i % len(COMMUNITY_COLOURS)] for i in range(n)]


def trend_charts(tables: dict, top_themes: int = 8) -> dict[str, bytes]:
    """Charts of the trend tables, as PNG and SVG files (name -> bytes); none for an empty table."""
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "idmgraph"  # stable ids in the SVG
    out: dict[str, bytes] = {}
    specs = [
        (
            "participations-by-actor-type",
            "actor_type",
            "actor_type_label",
            "Participations by kind of actor",
            None,
        ),
        (
            "participations-by-region",
            "area_code",
            "area_label",
            "Participations by M49 region (states spoken for)",
            None,
        ),
        (
            "participations-by-level",
            "level_key",
            "level_label",
            "Participations by level of representation",
            _level_order(tables["participations-by-level"]),
        ),
    ]
    for name, column, label_column, title, order in specs:
        fig = _stacked(tables, name, column, label_column, title, order)
        if fig is not None:
            _save(fig, name, out)
    shares = tables["theme-share-by-year"]
    if not shares.empty:
        mean = shares.groupby("theme").share.mean().sort_values(ascending=False)
        keep = list(mean.index[:top_themes])
        years = sorted(shares.year.dropna().unique())
        fig = _figure(10, 4.5)
        ax = fig.add_subplot()
        for theme, colour in zip(keep, _palette(len(keep))):
            rows = shares[shares.theme == theme].set_index("year")
            label = rows.theme_label.dropna().iloc[0] if rows.theme_label.notna().any() else theme
            ax.plot(
                years,
                [float(rows.share.get(y, 0.0)) for y in years],
                marker="o",
                color=colour,
                label=label if len(label) <= 50 else label[:49] + "…",
            )
        ax.set_ylim(0, 1)
        ax.set_ylabel("share of the year's sessions")
        ax.set_title(f"Share of each year's sessions, {len(keep)} most frequent themes")
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        _save(fig, "theme-share-by-year", out)
    return out


def _level_order(df) -> list[str]:
    if df.empty:
        return []
    return list(df.sort_values("rank").level_key.drop_duplicates())
