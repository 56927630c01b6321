"""Stage 6: results -> text for people: the build's headline, agendas and query tables (rich)."""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .build import BuildResult
from .records import Agenda
from .text import printable


def _text(content, *args, **kwargs) -> Text:
    """Rich text of data from agendas, control characters shown as escapes (never run)."""
    return Text(printable(str(content)), *args, **kwargs)


__all__ = ["render_headline", "render_agenda", "render_frame"]


def _person(p) -> str:
    state = f" ({p.state})" if p.state else ""
    return f"{p.name}{state}"


def _rel(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def render_agenda(console: Console, agenda: Agenda) -> None:
    """Each session with its moderator(s) and speakers, in day and time order."""
    ev = agenda.event
    console.print(_text(f"{ev.title}", style="bold"))
    console.print(
        f"{ev.city or '?'}, {ev.start_date or '?'} to {ev.end_date or '?'} "
        f"({ev.language}) - source {agenda.source}"
    )
    table = Table(show_lines=False, pad_edge=False)
    for col in ("day", "time", "session", "moderator", "speakers"):
        table.add_column(col, overflow="fold")
    for s in agenda.sessions:
        label = s.label if len(s.label) <= 50 else s.label[:47] + "..."
        time = (
            f"{s.start or ''}-{s.end or ''}"
            if s.start or s.end
            else ("(whole event)" if s.kind == "event" else "")
        )
        table.add_row(
            s.day or "",
            time,
            _text(label),
            _text(", ".join(_person(p) for p in s.moderators)),
            _text(", ".join(_person(p) for p in s.speakers)),
        )
    console.print(table)


def render_headline(console: Console, result: BuildResult) -> None:
    """Counts, every session's people, the warnings and where the outputs are."""
    c = result.counts
    console.print(_text("idmgraph build", style="bold green"))
    console.print(
        f"{c['events']} event(s), {c['sessions']} sessions ({c['sessions_with_people']} with people), "
        f"{c['people']} people, {c['states']} states, {c['organizations']} organisations, "
        f"{c['posts']} posts, {c['participations']} participations, {c['triples']} triples"
    )
    console.print(
        "validation: SHACL shapes and SPARQL checks "
        + ("[green]passed[/green]" if result.report.conforms else "[red]FAILED[/red]")
    )
    if len(result.agendas) <= MEETINGS_SHOWN_WHOLE:
        for agenda in result.agendas:
            console.print()
            render_agenda(console, agenda)
    else:
        console.print()
        render_meetings(console, result.agendas)
    render_themes(console, result)
    warnings = result.resolution.warnings
    console.print()
    console.print(_text(f"{len(warnings)} warning(s) for curation:", style="bold yellow"))
    for line in warning_lines(warnings):
        console.print(_text(f"  {line}"))
    if result.files:
        console.print()
        console.print(_text("outputs:", style="bold"))
        for path in result.files.values():
            console.print(_text(f"  {_rel(path)}"))
    if result.timings:
        spent = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in result.timings.items())
        cached = result.counts_cached
        kept = [f"{cached} of {len(result.sources)} sources read from the parse cache"] if cached else []
        if result.units_kept:
            kept.append(f"the statements of {result.units_kept} sources kept")
        if not result.validated_whole:
            kept.append("shapes validated on what changed")
        if result.segments_kept[0]:
            kept.append(f"{result.segments_kept[0]} of {result.segments_kept[1]} file segments kept")
        if result.files_patched:
            kept.append("files patched where the change is")
        kept = f" ({'; '.join(kept)})" if kept else ""
        console.print(_text(f"took {sum(result.timings.values()):.1f} s{kept}: {spent}", style="dim"))


WARNINGS_SHOWN_PER_KIND = 20
# past this many meetings the build lists them a line each (idmgraph ingest FILE shows one whole)
MEETINGS_SHOWN_WHOLE = 3
# past this many meetings the list keeps the latest (a terminal table of a corpus is not read,
# and drawing one costs a second at 400 meetings); report.json lists every source
MEETINGS_LISTED = 60
SESSIONS_SHOWN_PER_THEME = 6


def render_meetings(console: Console, agendas: list[Agenda]) -> None:
    """One line a meeting, in the order of their dates: series, title, sessions, people, source."""
    shown = sorted(agendas, key=lambda a: (a.event.start_date or "", a.source))[-MEETINGS_LISTED:]
    earlier = len(agendas) - len(shown)
    title = f"{len(agendas)} meetings" + (f", the latest {len(shown)}" if earlier else "")
    table = Table(title=title, box=None, padding=(0, 1), title_justify="left")
    for col in ("date", "series", "meeting", "sessions", "people", "source"):
        table.add_column(col, no_wrap=col != "meeting", overflow="ellipsis" if col == "meeting" else "fold")
    rows = []
    for a in shown:
        people = {p.name for s in a.sessions for p in (*s.moderators, *s.speakers)}
        sessions = sum(1 for s in a.sessions if s.kind not in ("event", "break"))
        title = a.event.title if len(a.event.title) <= 70 else a.event.title[:69] + "…"
        rows.append((a.event.start_date or "undated", a.event.series, title, str(sessions), str(len(people)),
                     f"{a.source} ({a.format})"))  # fmt: skip
    for row in sorted(rows):
        table.add_row(*(printable(v) for v in row))
    console.print(table)
    if earlier:
        console.print(_text(f"  ... and {earlier} earlier meeting(s): report.json lists every source"))
    console.print(_text("  idmgraph ingest FILE shows one meeting's sessions and people", style="dim"))


def warning_lines(warnings: list, shown: int = WARNINGS_SHOWN_PER_KIND) -> list[str]:
    """The warnings for the terminal: at most ``shown`` of each kind, in their order, and a
    line that says how many more of it the build report holds (report.json lists them all)."""
    counts: dict[str, int] = {}
    lines = []
    for w in warnings:
        counts[w.code] = counts.get(w.code, 0) + 1
        if counts[w.code] <= shown:
            lines.append(str(w))
    lines += [
        f"... and {n - shown} more [{code}] warning(s): all of them are in report.json"
        for code, n in sorted(counts.items())
        if n > shown
    ]
    return lines


def render_themes(console: Console, result: BuildResult) -> None:
    """Who spoke on which theme: each session theme with its sessions and people."""
    from .themes import speakers_by_theme, theme_labels

    labels = theme_labels("en")
    rows = speakers_by_theme(result.themes, result.agendas)
    console.print()
    console.print(
        _text("who spoke on which theme (session themes from keyword rules and curation):", style="bold")
    )
    for theme, sessions in rows:
        console.print(_text(f"  {labels.get(theme, str(theme))}", style="bold"))
        for label, names in sessions[:SESSIONS_SHOWN_PER_THEME]:
            short = label if len(label) <= 40 else label[:37] + "..."
            console.print(_text(f"    {short}: {', '.join(names)}"))
        if len(sessions) > SESSIONS_SHOWN_PER_THEME:
            more = len(sessions) - SESSIONS_SHOWN_PER_THEME
            console.print(_text(f"    ... and {more} more session(s): idmgraph query who-spoke-on-theme"))


def _is_iri_column(frame, col) -> bool:
    values = [v for v in frame[col] if isinstance(v, str) and v]
    return bool(values) and all(v.startswith(("http://", "https://")) for v in values)


def _short_iri(value):
    """An IRI as a reader scans it: the path after the graph's own /id/ or /vocab/, or the last part."""
    if not isinstance(value, str):
        return value
    for marker in ("/id/", "/vocab/"):
        if marker in value:
            return value.split(marker, 1)[1]
    return value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def render_frame(console: Console, frame, title: str | None = None) -> None:
    """A table for the terminal: an IRI column with a label beside it (person and name, session
    and session_label) is left out, other IRIs are shortened; CSV and JSON keep them whole."""
    columns = list(frame.columns)
    hidden = [
        c
        for c in columns
        if _is_iri_column(frame, c)
        and ({f"{c}_label", f"{c}_key"} & set(columns) or (c == "person" and "name" in columns))
    ]
    shown = [c for c in columns if c not in hidden]
    short = {c for c in shown if _is_iri_column(frame, c)}
    table = Table(title=title)
    for col in shown:
        table.add_column(str(col), overflow="fold")
    for row in frame[shown].itertuples(index=False):
        cells = [_short_iri(v) if c in short else v for c, v in zip(shown, row)]
        table.add_row(*[_text("" if v is None or v != v else str(v)) for v in cells])
    console.print(table)
    note = f"; IRI columns left out: {', '.join(hidden)} (--format csv or json gives them)" if hidden else ""
    console.print(f"{len(frame)} row(s){note}")
