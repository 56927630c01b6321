"""Typed records produced by the agenda parser (stage: agenda text -> records)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["Event", "Person", "Session", "Agenda", "Citation", "Warning_", "AgendaError", "moved"]


class AgendaError(Exception):
    """Bad or ambiguous input; carries the file and line it was found at (exit code 2)."""

    def __init__(self, path: str, line: int | None, message: str, page: int | None = None):
        self.path, self.line, self.message, self.page = path, line, message, page
        where = f"{path}:{line}" if line else path
        if line and page:
            where += f" (page {page})"
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # as it was made (a parse in another process raises it here)
        return type(self), (self.path, self.line, self.message, self.page)


@dataclass(frozen=True)
class Warning_:
    """Something a curator should look at; never silently dropped."""

    source: str
    line: int | None
    code: str
    message: str
    page: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        if self.line and self.page:
            where += f" (page {self.page})"
        return f"{where}: [{self.code}] {self.message}"


@dataclass(frozen=True)
class Person:
    """One person as an agenda entry states them, split into parts; ``text`` is verbatim.

    ``state`` is the state the person speaks for (a member of its government, parliament,
    mission or public service, or someone said to speak on its behalf); ``country`` the country
    named for the person or their organisation, for everyone. ``on_behalf_of_person`` is the
    author of a contribution this person delivered ("X, ..., delivered by Y": Y's entry holds X),
    and ``delivered_by`` on that author names Y.
    """

    name: str
    honorific: str | None
    posts: tuple[str, ...]
    organizations: tuple[str, ...]
    state: str | None  # ISO 3166-1 alpha-3 of the state spoken for
    contribution: str | None
    text: str
    line: int
    # post -> index into organizations (the organisation the post is in), or None
    post_organizations: tuple[int | None, ...] = ()
    role: str = "speaker"
    country: str | None = None
    contribution_label: str | None = None
    delivery: str | None = None
    delivered_by: str | None = None
    on_behalf_of_person: Person | None = None
    talk_title: str | None = None
    page: int | None = None
    citations: tuple[str, ...] = ()  # a curated record's citation keys (Agenda.citations)

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "honorific": self.honorific,
            "role": self.role,
            "posts": list(self.posts),
            "organizations": list(self.organizations),
            "state": self.state,
            "country": self.country,
            "contribution": self.contribution,
            "contribution_label": self.contribution_label,
            "delivery": self.delivery,
            "delivered_by": self.delivered_by,
            "on_behalf_of_person": self.on_behalf_of_person.to_json() if self.on_behalf_of_person else None,
            "talk_title": self.talk_title,
            "text": self.text,
            "line": self.line,
            "page": self.page,
        }


@dataclass(frozen=True)
class Session:
    """A session as the agenda gives it. ``id`` is stable within the event: the day and start time
    (``2017-04-18T11:30``), or the day and the session's place in it when the agenda gives no
    times (``2018-12-10-s3``); ``kind`` "event" marks people the source names for the whole event,
    in no session."""

    id: str
    day: str | None
    start: str | None
    end: str | None
    kind: str  # opening | panel | break | closing | other | event
    number: int | None
    title: str
    label: str  # verbatim header (after the time slot)
    line: int
    moderators: tuple[Person, ...] = ()
    speakers: tuple[Person, ...] = ()
    description: str | None = None
    page: int | None = None
    citations: tuple[str, ...] = ()  # a curated record's citation keys (Agenda.citations)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "day": self.day,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "number": self.number,
            "title": self.title,
            "description": self.description,
            "line": self.line,
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
    series: str = "idm"  # an event series of data/reference/series.yml
    venue: str | None = None

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
class Citation:
    """A public page a curated record's facts were read from: where, when, and what it is
    (agenda, press-release, video-page, report, mirror: a copy on a third-party site)."""

    url: str
    read: str  # YYYY-MM-DD
    shows: str
    line: int = 0


@dataclass(frozen=True)
class Agenda:
    source: str  # source id
    path: str
    event: Event
    sessions: tuple[Session, ...]
    warnings: tuple[Warning_, ...] = field(default=())
    context: str = ""  # the text before the agenda proper (context, overview); themes read it
    format: str = "text"  # text | html | pdf | docx: how the source was published; record: curated
    # a curated record's citations (key -> Citation) and those of its event
    citations: dict = field(default_factory=dict)
    event_citations: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {
            "source": self.source,
            "format": self.format,
            "event": self.event.to_json(),
            "sessions": [s.to_json() for s in self.sessions],
            "warnings": [asdict(w) for w in self.warnings],
        }


def moved(record, **changes):
    """A copy of a frozen record with some fields changed: ``dataclasses.replace`` without its cost
    (the reader re-places a person read before at every line that names them again)."""
    copy = object.__new__(type(record))
    copy.__dict__.update(record.__dict__)
    copy.__dict__.update(changes)
    return copy
