"""Curated records stage: ``data/records/<id>.yml`` (one meeting compiled by hand from public
pages, every fact cited) -> the same Agenda records an agenda file gives, with their citations.

A record's people are written as the page names them (``text``: name, posts, organisations,
country) and read by the agenda reader's own entry reader, so that posts, organisations and the
state a person speaks for come out of a record exactly as out of an agenda; the curator states
the role and, where the text does not say it, the state. Every fact cites pages of the record's
``citations``: a person's ``cite`` defaults to its session's, a session's to its event's.

The file is checked against ``data/reference/record.schema.json`` (JSON Schema) and then for what
a schema cannot say (citation keys, series, dates, states); every error names the file, the line
and the field, and stops the build (exit 2).
"""

from __future__ import annotations

import datetime
import json
from functools import cache
from pathlib import Path

from .paths import bundled
from .records import Agenda, AgendaError, Citation, Event, Person, Session, moved
from .sources import Source
from .yamlfile import YamlError, load_yaml_lines

__all__ = ["is_record", "read_record_source", "parse_record", "load_series", "RECORD_SUFFIXES"]

RECORD_SUFFIXES = (".yml", ".yaml")
_KIND_ORDER = {"opening": 0, "panel": 1, "other": 1, "closing": 2}


def is_record(path: Path) -> bool:
    """A curated record: a YAML file that is not an agenda's source.yml."""
    return path.suffix.lower() in RECORD_SUFFIXES and path.name.lower() not in ("source.yml", "source.yaml")


@cache
def _schema() -> dict:
    return json.loads(bundled("reference", "record.schema.json").read_text(encoding="utf-8"))


@cache
def load_series() -> dict[str, dict[str, str]]:
    """The event series (``data/reference/series.yml``): id -> names by language."""
    data, _ = load_yaml_lines(bundled("reference", "series.yml"))
    return {str(k): {str(lg): str(n) for lg, n in v.items()} for k, v in data["series"].items()}


def _line(lines: dict[tuple, int], at: tuple) -> int | None:
    """The line of the deepest part of ``at`` the file has (a missing field: its parent's)."""
    for end in range(len(at), -1, -1):
        if at[:end] in lines:
            return lines[at[:end]]
    return None


def _field(at: tuple) -> str:
    return ".".join(str(p) for p in at) or "(the file)"


def read_record_source(path: Path) -> Source:
    """The Source of a record file, checked: its data rides in ``meta["record"]``."""
    import jsonschema

    try:
        data, lines = load_yaml_lines(path)
    except YamlError as exc:
        raise AgendaError(str(path), exc.line, exc.message) from exc
    # dates come from YAML as dates: the schema reads them as the text the curator wrote
    data = json.loads(json.dumps(data, default=str))
    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if errors:
        first = errors[0]
        at = tuple(first.absolute_path)
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise AgendaError(str(path), _line(lines, at), f"{_field(at)}: {first.message}{more}")
    _check(data, lines, path)
    event = data["event"]
    cited = [data["citations"][k] for k in event["cite"]]
    meta = {
        "id": data["id"],
        "title": event["title"],
        "language": event["language"],
        "url": cited[0]["url"],
        "retrieved": max(c["read"] for c in data["citations"].values()),
        "publisher": event.get("organiser"),
        "kind": "record",
        "event": {"id": event["id"], "title": event["title"], "themes": event.get("themes") or []},
        "record": data,
        "lines": lines,
    }
    return Source(id=data["id"], path=path, meta=meta, expected=dict(data.get("expected") or {}))


def _check(data: dict, lines: dict[tuple, int], path: Path) -> None:
    """What the schema cannot say: cited keys exist, the series is known, dates are dates and in
    order, states are ISO codes the graph knows."""
    from .states import load_states

    def fail(at: tuple, message: str) -> None:
        raise AgendaError(str(path), _line(lines, at), f"{_field(at)}: {message}")

    keys = set(data["citations"])
    for key, c in data["citations"].items():
        _date(c["read"], ("citations", key, "read"), fail)

    def cites(node: dict, at: tuple) -> None:
        for i, k in enumerate(node.get("cite") or ()):
            if k not in keys:
                fail(
                    (*at, "cite", i),
                    f"no citation '{k}'; the record's citations are {', '.join(sorted(keys))}",
                )

    event = data["event"]
    if event["series"] not in load_series():
        fail(("event", "series"), f"no series '{event['series']}'; one of {', '.join(load_series())}")
    start = _date(event.get("start_date"), ("event", "start_date"), fail)
    end = _date(event.get("end_date"), ("event", "end_date"), fail)
    if start and end and end < start:
        fail(("event", "end_date"), f"{end} is before the start date {start}")
    cites(event, ("event",))
    states = load_states()
    people = [(("sessions", i, "people", j), p) for i, s in enumerate(data.get("sessions") or [])
              for j, p in enumerate(s["people"])]  # fmt: skip
    people += [(("participants", j), p) for j, p in enumerate(data.get("participants") or [])]
    for i, s in enumerate(data.get("sessions") or []):
        at = ("sessions", i)
        cites(s, at)
        day = _date(s.get("day"), (*at, "day"), fail)
        if day and ((start and day < start) or (end and day > end)):
            fail((*at, "day"), f"{day} is not within the event's dates ({start} to {end})")
        if "-" in s.get("time", ""):
            begin, finish = s["time"].split("-")
            if finish <= begin:
                fail((*at, "time"), f"ends ({finish}) before it starts ({begin})")
    for at, p in people:
        cites(p, at)
        for field in ("state", "country"):
            code = p.get(field)
            if code and code not in states.states:
                fail((*at, field), f"'{code}' is not an ISO 3166-1 alpha-3 code of a state")


def _date(value, at: tuple, fail) -> str | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        fail(at, f"'{value}' is not a date (YYYY-MM-DD)")
    return None


def parse_record(source: Source) -> Agenda:
    """A checked record's Agenda: its sessions in the order of their day and time (the page's
    order where it gives none), its participants in a session of kind "event"."""
    from .agenda.assemble import _tools
    from .agenda.people import _Markers
    from .lexicon import load_lexicon
    from .organizations import load_organizations
    from .states import load_states

    data, lines = source.meta["record"], source.meta["lines"]
    path = str(source.path)
    _, reader, _ = _tools(load_lexicon(), load_states(), load_organizations())
    ev = data["event"]
    event_cite = tuple(ev["cite"])

    def person(p: dict, at: tuple, role_default: str, session_cite: tuple[str, ...]) -> Person:
        line = _line(lines, (*at, "text")) or 0
        role = p.get("role", role_default)
        markers = _Markers(contribution=p.get("contribution"), label=None)
        read = reader.entry(p["text"], markers, role, line, None, force=True)
        if not isinstance(read, Person):
            raise AgendaError(path, line, f"{_field((*at, 'text'))}: '{p['text']}' names no person")
        changes = {"role": role, "citations": tuple(p.get("cite") or session_cite)}
        if "contribution" in p:
            changes["contribution"] = p["contribution"]
        if "state" in p:  # the curator says whom the person speaks for (null: nobody)
            changes["state"] = p["state"]
        if p.get("country"):
            changes["country"] = p["country"]
        return moved(read, **changes)

    sessions: list[Session] = []
    numbered: dict[str, int] = {}
    raw = list(enumerate(data.get("sessions") or []))
    ordered = sorted(
        raw, key=lambda x: (x[1].get("day") or "", (x[1].get("time") or "").split("-")[0] or "~", x[0])
    )
    for i, s in ordered:
        at = ("sessions", i)
        day = s.get("day")
        start, _, end = (s.get("time") or "").partition("-")
        start, end = start or None, end or None
        if start:
            sid = f"{day}T{start}" if day else f"s-{start}"
        else:
            numbered[day or ""] = numbered.get(day or "", 0) + 1
            sid = f"{day}-s{numbered[day or '']}" if day else f"s{numbered['']}"
        while any(x.id == sid for x in sessions):  # two sessions at the same hour (parallel)
            sid += "b"
        cite = tuple(s.get("cite") or event_cite)
        people = [person(p, (*at, "people", j), "speaker", cite) for j, p in enumerate(s["people"])]
        _once(people, path, s["title"])
        moderating = load_lexicon().moderating_roles
        sessions.append(
            Session(
                id=sid,
                day=day,
                start=start,
                end=end,
                kind=s.get("kind", "panel"),
                number=None,
                title=s["title"],
                label=s["title"],
                line=_line(lines, at) or 0,
                moderators=tuple(p for p in people if p.role in moderating),
                speakers=tuple(p for p in people if p.role not in moderating),
                citations=cite,
            )
        )
    if data.get("participants"):
        people = [
            person(p, ("participants", j), "speaker", event_cite) for j, p in enumerate(data["participants"])
        ]
        _once(people, path, "participants")
        sessions.append(
            Session(
                id=f"event-{source.id}",  # apart from an agenda's own people of the event
                day=None,
                start=None,
                end=None,
                kind="event",
                number=None,
                title=ev["title"],
                label=ev["title"],
                line=_line(lines, ("participants",)) or 0,
                speakers=tuple(people),
                citations=event_cite,
            )
        )
    citations = {
        k: Citation(c["url"], c["read"], c["shows"], _line(lines, ("citations", k)) or 0)
        for k, c in data["citations"].items()
    }
    event = Event(
        id=ev["id"],
        title=ev["title"],
        city=ev.get("city"),
        start_date=ev.get("start_date"),
        end_date=ev.get("end_date"),
        language=ev["language"],
        series=ev["series"],
        venue=ev.get("venue"),
    )
    return Agenda(
        source=source.id,
        path=path,
        event=event,
        sessions=tuple(sessions),
        format="record",
        citations=citations,
        event_citations=event_cite,
    )


def _once(people: list[Person], path: str, where: str) -> None:
    """One participation per person and role in a session: a second entry stops the build (a
    person who spoke at the opening and at the closing of a meeting is in two sessions)."""
    from .iris import person_key

    seen: dict[tuple[str, str], int] = {}
    for p in people:
        key = (person_key(p.name), p.role)
        if key in seen:
            raise AgendaError(
                path,
                p.line,
                f"{p.name} is already {p.role} in {where} (line {seen[key]}): one entry per person and role "
                "in a session; a person who spoke at the opening and at the closing is in two sessions",
            )
        seen[key] = p.line
