"""Typed records produced by the agenda parser (stage: agenda text -> records)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["Event", "Person", "Session", "Agenda", "Warning_", "AgendaError"]


class AgendaError(Exception):
    """Bad or ambiguous input; carries the file and line it was found at (exit code 2)."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Warning_:
    """Something a curator should look at; never silently dropped."""

    source: str
    line: int | None
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: [{self.code}] {self.message}"


@dataclass(frozen=True)
class Person:
    """One person as an agenda entry states them, split into parts; ``text`` is verbatim."""

    name: str
    honorific: str | None
    posts: tuple[str, ...]
    organizations: tuple[str, ...]
    state: str | None  # ISO 3166-1 alpha-3 of the state represented
    contribution: str | None
    text: str
    line: int
    # post -> index into organizations (the organisation the post is in), or None
    post_organizations: tuple[int | None, ...] = ()

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "honorific": self.honorific,
            "posts": list(self.posts),
            "organizations": list(self.organizations),
            "state": self.state,
            "contribution": self.contribution,
            "text": self.text,
        }


@dataclass(frozen=True)
class Session:
    id: str  # stable within the event: day + start time, e.g. "2017-04-18T11:30"
    day: str | None
    start: str
    end: str
    kind: str  # opening | panel | break | closing | other
    number: int | None
    title: str
    label: str  # verbatim header after the time slot
    line: int
    moderators: tuple[Person, ...] = ()
    speakers: tuple[Person, ...] = ()

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "day": self.day,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "number": self.number,
            "title": self.title,
            "moderators": [p.to_json() for p in self.moderators],
            "speakers": [p.to_json() for p in self.speakers],
        }


@dataclass(frozen=True)
class Event:
    id: str
    title: str
    city: str | None
    start_date: str | None
    end_date: str | None
    language: str

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "city": self.city,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "language": self.language,
        }


@dataclass(frozen=True)
class Agenda:
    source: str  # source id
    path: str
    event: Event
    sessions: tuple[Session, ...]
    warnings: tuple[Warning_, ...] = field(default=())
    context: str = ""  # the text before the agenda proper (context, overview); themes read it

    def to_json(self) -> dict:
        return {
            "source": self.source,
            "event": self.event.to_json(),
            "sessions": [s.to_json() for s in self.sessions],
            "warnings": [asdict(w) for w in self.warnings],
        }
