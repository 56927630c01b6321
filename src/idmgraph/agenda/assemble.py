"""Items -> an Agenda: days and sessions, people placed in them, the event read from the header.

Sessions open at a time slot, a session heading (with or without a time) or a date line that
carries a title. Sessions with times are put in time order within their day (agenda pages are
often captured column by column, so blocks come out of order); sessions without times keep the
agenda's order. A block of people that lost its session header (a second speakers list, a
moderator followed by speakers) joins the one session of the same day that lacks what the
block holds; when that is not one session, the build stops and says how to settle it in
curation. People the source names for no session (a press release) are kept in one session of
kind "event", marked as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from ..curation import Correction
from ..lexicon import Lexicon
from ..organizations import OrganizationIndex
from ..records import Agenda, AgendaError, Event, Person, Session, Warning_
from ..states import StateIndex
from ..text import clean, fold, slug
from .dates import resolve_date
from .lines import Document, Line
from .names import NameModel
from .people import PeopleReader, Reading
from .segment import Classifier, Item

__all__ = ["assemble_agenda", "EventHints", "forget_readings"]

_LISTING_ROLES = ("speaker", "panellist")
_PROSE = re.compile(
    r"[.!?]$|\b(?:the|is|are|was|will|les|est|sont|sera|los|las|es|son|será)\b", re.IGNORECASE
)
_DANGLING = re.compile(
    r"(?:,|\(|\b(?:of|the|and|de|du|des|la|le|et|y|del|for|pour|para|to|at|in|en|à|a|aupres|ante))\s*$",
    re.IGNORECASE,
)
_STALE_WORDS = re.compile(
    r"\b(?:updated?|version|revised|as of|draft|mise a jour|revise|actualizad[oa]|borrador)\b"
)


@dataclass(frozen=True)
class EventHints:
    """What a source.yml says of its event; every field optional (a bare file has none)."""

    event_id: str | None = None
    title: str | None = None
    city: str | None = None
    language: str | None = None
    start_date: str | None = None
    end_date: str | None = None


@dataclass
class _Day:
    item: Item
    date: date | None = None
    number: int | None = None
    key: str = "undated"


@dataclass
class _Block:
    line: Line
    day: _Day | None
    position: int
    header: Item | None = None  # the slot or heading that opened it; None for a block that lost it
    start: str | None = None
    end: str | None = None
    title: str = ""  # without its number word ("Mobility and cities")
    label: str = ""  # as written ("Panel 2: Mobility and cities")
    kind: str = "other"
    number: int | None = None
    awaiting_title: bool = False
    fresh: bool = False  # opened by a slot with a title, nothing under it yet
    moderators: list[Person] = field(default_factory=list)
    speakers: list[Person] = field(default_factory=list)
    listed: bool = False  # holds a list of speakers (unlabelled or under a speakers label)
    description: list[str] = field(default_factory=list)
    event_level: bool = False  # people named before any session: the source gives them to the whole event

    @property
    def takes_people(self) -> bool:
        return self.kind != "break"

    def add(self, people: list[Person], moderating: frozenset[str], listing: bool) -> None:
        for p in people:
            (self.moderators if p.role in moderating else self.speakers).append(p)
        if people:
            self.fresh = False
            self.listed = self.listed or listing


@dataclass
class _Context:
    """The label that governs the lines under it until the next label or session."""

    role: str = "speaker"
    contribution: str | None = None
    label: str | None = None
    explicit: bool = False  # set by a label (not the default)


_TOOLS: dict[tuple[int, int, int], tuple[NameModel, PeopleReader, Classifier]] = {}


def _tools(
    lex: Lexicon, states: StateIndex, orgs: OrganizationIndex
) -> tuple[NameModel, PeopleReader, Classifier]:
    """The name model, people reader and line classifier for these reference data, made once:
    a build of many agendas reuses them (and the entries they have read)."""
    key = (id(lex), id(states), id(orgs))
    if key not in _TOOLS:
        names = NameModel(lex, states, orgs)
        reader = PeopleReader(lex, states, orgs, names)
        _TOOLS.clear()
        _TOOLS[key] = (names, reader, Classifier(lex, names))
    return _TOOLS[key]


def forget_readings() -> None:
    """Drop the lines, entries and names read so far (a benchmark's cold start; tests)."""
    _TOOLS.clear()
    fold.cache_clear()


_WORD = re.compile(r"[a-z']+")


def _detect_language(lines: list[Line], lex: Lexicon) -> str:
    """The language whose words the first pages use most: a point for each distinct month,
    weekday and one-word role label of a line, a twentieth for each of its stopwords."""
    scores = dict.fromkeys(lex.languages, 0)  # in twentieths: exact
    cues = _language_cues(lex)
    for line in lines[:400]:  # the first pages say it
        words = _WORD.findall(fold(line.text))
        distinct = set(words)
        for code, (points, stopwords) in cues.items():
            scores[code] += 20 * sum(points.get(w, 0) for w in distinct)
            scores[code] += sum(1 for w in words if w in stopwords)
    return max(sorted(scores), key=lambda c: scores[c])


@lru_cache(maxsize=4)  # a lexicon compares by identity
def _language_cues(lex: Lexicon) -> dict[str, tuple[dict[str, int], frozenset[str]]]:
    """Per language, the points a word of a line scores (a month, a weekday, each role label it
    is) and its stopwords, made once for a lexicon."""
    cues = {}
    for code, lang in lex.languages.items():
        points: dict[str, int] = {}
        for word in [*set(lang.months), *set(lang.weekdays)]:
            points[word] = points.get(word, 0) + 1
        for phrases in lang.role_labels.values():
            for phrase in phrases:
                points[phrase] = points.get(phrase, 0) + 1
        cues[code] = (points, frozenset(lang.stopwords))
    return cues


class _Assembler:
    def __init__(
        self,
        doc: Document,
        source: str,
        lex: Lexicon,
        states: StateIndex,
        orgs: OrganizationIndex,
        assignments: dict[int, str],
        corrections: list[Correction],
    ):
        self.doc, self.path, self.source, self.lex = doc, doc.path, source, lex
        self.names, self.reader, self.classifier = _tools(lex, states, orgs)
        self.assignments = assignments
        self.corrections = [c for c in corrections if c.source == source]
        self.warnings: list[Warning_] = []
        self.blocks: list[_Block] = []
        self.days: list[_Day] = []
        self.event_dates: list[tuple[int, Item]] = []  # (score, item) of dated header or body lines
        self._pending_talk: str | None = None  # a talk title waiting for the person on the next line
        self.preamble: list[str] = []  # body text before the first session: kept with the header

    def warn(self, line: Line | None, code: str, message: str) -> None:
        self.warnings.append(
            Warning_(self.source, line.number if line else None, code, message, line.page if line else None)
        )

    # ------------------------------------------------------------------ people, with corrections
    def read_people(self, text: str, line: Line, ctx: _Context) -> Reading:
        here = [c for c in self.corrections if c.line == line.number]
        for c in here:
            if c.action == "split_before":
                at = text.find(c.match)
                if at > 0:
                    text = text[:at].rstrip(" ,") + "; " + text[at:]
                    c.used += 1
                    self.warn(line, "corrected", f"split before '{c.match}' ({c})")
        reading = self.reader.read(
            text, line.number, self.source, ctx.role, ctx.contribution, ctx.label, line.page
        )
        people = reading.people
        for c in here:
            if c.action == "join":
                for i, p in enumerate(people):
                    if i and (p.name == c.match or p.text.startswith(c.match)):
                        joined = self.reader.entry(
                            f"{people[i - 1].text}, {p.text}",
                            _markers(p),
                            people[i - 1].role,
                            line.number,
                            line.page,
                        )
                        if isinstance(joined, Person):
                            people[i - 1 : i + 1] = [joined]
                            c.used += 1
                            self.warn(line, "corrected", f"'{c.match}' joined to the entry before it ({c})")
                        break
            elif c.action == "not_a_person":
                kept = [p for p in people if not (p.name == c.match or p.text.startswith(c.match))]
                if len(kept) != len(people):
                    c.used += 1
                    self.warn(line, "corrected", f"'{c.match}' is not a person ({c})")
                people = kept
            elif c.action == "person":
                for t in list(reading.rejected):
                    if t.startswith(c.match):
                        forced = self.reader.entry(
                            t, _markers_of(ctx), ctx.role, line.number, line.page, force=True
                        )
                        if isinstance(forced, Person):
                            people.append(forced)
                            reading.rejected.remove(t)
                            c.used += 1
                            self.warn(line, "corrected", f"'{c.match}' read as a person ({c})")
            elif c.action == "set":
                for i, p in enumerate(people):
                    if p.name == c.match or p.text.startswith(c.match):
                        people[i] = replace(p, **c.values)
                        c.used += 1
                        self.warn(line, "corrected", f"{p.name}: {c.values} ({c})")
        reading.people = people
        self.warnings.extend(reading.warnings)
        return reading

    # ------------------------------------------------------------------ blocks
    def open_block(self, line: Line, day: _Day | None, header: Item | None) -> _Block:
        block = _Block(line=line, day=day, position=len(self.blocks), header=header)
        # people before the first session: the agenda names them for the whole meeting
        block.event_level = header is None and not any(b.header is not None for b in self.blocks)
        self.blocks.append(block)
        return block

    def _set_title(self, block: _Block, title: str) -> None:
        kind, number, short = self.classifier.session_kind(title)
        block.label, block.title, block.kind, block.number = title, short, kind, number
        block.awaiting_title = False

    def walk(self, items: list[Item]) -> None:
        current: _Block | None = None
        day: _Day | None = None
        ctx = _Context()
        skip: set[int] = set()
        last_text = max((i for i, it in enumerate(items) if it.kind == "text"), default=-1)
        for i, item in enumerate(items):
            if i in skip:
                continue
            kind, line = item.kind, item.line
            if kind == "footer":
                break
            if kind == "blank":
                self.warn(line, "blank-bullet", "an empty list item, skipped")
                continue
            if kind == "dates":
                self.event_dates.append((self._date_score(item), item))
                continue
            if kind == "day":
                day = _Day(item)
                self.days.append(day)
                if item.dates is not None:
                    self.event_dates.append((self._date_score(item), item))
                current, ctx = None, _Context()
                continue
            if kind in ("section", "end"):
                current, ctx = None, _Context()
                continue
            if kind == "slot":
                slot = item.slot
                current = self.open_block(line, day, item)
                current.start, current.end = slot.start, slot.end  # type: ignore[union-attr]
                ctx = _Context()
                title = slot.title  # type: ignore[union-attr]
                if not title:
                    current.awaiting_title = True
                    continue
                labels = self.classifier.labels(title)
                if labels and labels[0].by and labels[0].rest:
                    # "10:00 - 10:15 Opening remarks by Jane Roe, Director General"
                    lb = labels[0]
                    self._set_title(current, lb.label)
                    found = self.read_people(
                        lb.rest, line, _Context(lb.role or "speaker", lb.contribution, lb.label, True)
                    )
                    current.add(found.people, self.lex.moderating_roles, listing=False)
                else:
                    self._set_title(current, title)
                    current.fresh = True
                continue
            if kind == "heading":
                h = item.heading
                if current is not None and current.awaiting_title:
                    self._set_title(current, h.title)  # type: ignore[union-attr]
                    current.fresh = True
                    continue
                if current is not None and current.title and fold(current.title) == fold(h.title):  # type: ignore[union-attr]
                    continue  # "Session II Moderator: ..." after "Session II Panelists: ..."
                if current is not None and current.fresh and h.number is None and line.level is None:  # type: ignore[union-attr]
                    # an unnumbered heading right under a titled slot is a sub-label of it
                    contribution = self.lex.contribution_markers.get(fold(h.title).strip(" :."))  # type: ignore[union-attr]
                    if contribution:
                        ctx = _Context("speaker", contribution, h.title, True)  # type: ignore[union-attr]
                    else:
                        current.description.append(h.title)  # type: ignore[union-attr]
                    continue
                current = self.open_block(line, day, item)
                self._set_title(current, h.title)  # type: ignore[union-attr]
                ctx = _Context()
                continue
            if kind == "label":
                current, ctx = self._label(item, items, i, current, day, ctx)
                continue
            # text
            current, ctx = self._text(item, items, i, current, day, ctx, skip, i == last_text)

    def _label(self, item: Item, items: list[Item], i: int, current: _Block | None, day, ctx: _Context):
        lb = item.label
        line = item.line
        moderating = lb.role in self.lex.moderating_roles  # type: ignore[union-attr]
        listing = lb.role in _LISTING_ROLES  # type: ignore[union-attr]
        if current is not None and not current.takes_people:
            # "13:00 Lunch" then "Keynote speaker: X": a lunch with a speaker is a session
            self.warn(line, "people-in-break", f"people listed under '{current.title}': read as a session")
            current.kind = "other"
        new = current is None
        if current is not None and not new:
            if listing and current.listed:
                new = True  # a second speakers list: its session header was lost
            elif (
                moderating and current.listed and current.speakers and self._speakers_label_follows(items, i)
            ):
                new = True  # a moderator then speakers after a full session: a block that lost its header
        if new:
            if current is not None and current.awaiting_title:
                self.warn(current.line, "untitled-session", "a time slot with no title")
            current = self.open_block(line, day, None)
        role = lb.role or "speaker"  # type: ignore[union-attr]
        if lb.rest:  # type: ignore[union-attr]
            reading = self.read_people(lb.rest, line, _Context(role, lb.contribution, lb.label, True))  # type: ignore[union-attr]
            current.add(reading.people, self.lex.moderating_roles, listing)
            if not reading.people and lb.by:  # type: ignore[union-attr]
                # "Welcoming remarks by the co-facilitators": the people are in the lines below
                return current, _Context(role, lb.contribution, lb.label, True)  # type: ignore[union-attr]
            for text in reading.rejected:
                self._not_a_person(current, line, text)
            if lb.role and _plural(lb.label):  # type: ignore[union-attr]
                # "Co-presidentes:- A" then "B" on the next line: a plural label goes on
                return current, _Context(role, lb.contribution, lb.label, True)  # type: ignore[union-attr]
            return current, _Context()
        return current, _Context(role, lb.contribution, lb.label, True)  # type: ignore[union-attr]

    def _speakers_label_follows(self, items: list[Item], i: int) -> bool:
        for it in items[i + 1 :]:
            if it.kind in ("slot", "heading", "day", "section", "end", "footer"):
                return False
            if it.kind == "label" and it.label.role in _LISTING_ROLES:  # type: ignore[union-attr]
                return True
        return False

    def _text(
        self,
        item: Item,
        items: list[Item],
        i: int,
        current,
        day,
        ctx: _Context,
        skip: set[int],
        is_last: bool,
    ):
        line, text = item.line, item.text
        if current is not None and current.awaiting_title:
            reading = self.reader.read(text, line.number, self.source, page=line.page)
            if not reading.people:
                self._set_title(current, text)
                current.fresh = True
                return current, ctx
        nxt = items[i + 1] if i + 1 < len(items) else None
        # a name alone on its line, its post on the next: "Ann Lee" / "Coordinator, X Coalition"
        if (
            nxt is not None
            and nxt.kind == "text"
            and self.names.shape(text, strict=True)
            and "," not in text
            and self._post_line(nxt.text)
        ):
            text = f"{text}, {nxt.text}"
            skip.add(i + 1)
        reading = self.read_people(text, line, ctx)
        if is_last and reading.people and _DANGLING.search(text):
            cut = reading.people.pop()
            self.warn(
                line, "truncated", f"the last line ends mid-entry; '{cut.text}' dropped: check the source"
            )
        if reading.people:
            if current is None or not current.takes_people:
                if current is not None and not current.takes_people:
                    self.warn(
                        line, "people-in-break", f"people listed under '{current.title}': read as a session"
                    )
                    current.kind = "other"
                else:
                    current = self.open_block(line, day, None)
            talk = self._pending_talk
            if talk:
                reading.people[0] = replace(
                    reading.people[0], talk_title=reading.people[0].talk_title or talk
                )
                self._pending_talk = None
            current.add(
                reading.people,
                self.lex.moderating_roles,
                listing=ctx.role in _LISTING_ROLES or not ctx.explicit,
            )
        for rejected in reading.rejected:
            nxt_people = (
                nxt is not None
                and nxt.kind == "text"
                and i + 1 not in skip
                and self.reader.read(nxt.text, nxt.line.number, self.source, page=nxt.line.page).people
            )
            if rejected.rstrip().endswith(":") and not reading.people:
                # "Remarks will be made by high level guests including:" introduces a list
                contribution = next(
                    (
                        k
                        for p, k in self.lex.phrase_map("contributions").items()
                        if re.search(rf"\b{re.escape(p)}\b", fold(rejected))
                    ),
                    None,
                )
                ctx = _Context("speaker", contribution, rejected.rstrip(" :"), contribution is not None)
                if current is not None:
                    current.description.append(rejected.rstrip(" :"))
            elif (
                nxt_people
                and len(rejected.split()) <= 25
                and not line.bullet
                and not self._looks_like_entry(rejected)
            ):
                self._pending_talk = (
                    rejected  # a talk title: "Measuring remittance costs" / "Jane Roe, World Bank"
                )
            elif current is None:
                if self.blocks or self._looks_like_entry(rejected):
                    self.warn(line, "unplaced-text", f"text outside any session, ignored: '{rejected[:60]}'")
                else:
                    self.preamble.append(rejected)  # a subtitle or a note before the first session
                    self.header_dates([item])
            else:
                self._not_a_person(current, line, rejected)
        return current, ctx

    def _looks_like_entry(self, text: str) -> bool:
        """A text with the parts of a person's entry (a post, a state, an honorific) even though its
        first part did not read as a name: never taken for a talk title."""
        from .people import split_fields

        if text.rstrip().endswith((".", "!", "?")) and len(text.split()) >= 10:
            return False  # prose
        fields = [f.text for f in split_fields(text)]
        if self.names.take_honorifics(fields[0].split())[0] if fields else False:
            return True
        return any(self._post_line(f) or self.reader.states.lookup(f) for f in fields[1:])

    def _post_line(self, text: str) -> bool:
        from .people import split_fields

        first = split_fields(text)
        return bool(first) and (self.reader.is_post(first[0].text) or self.reader._orgish(first[0].text))

    def _not_a_person(self, block: _Block, line: Line, text: str) -> None:
        """Text in a session that is no one: a description when it reads as prose, else a warning
        (always a warning when it has the parts of an entry: an honorific, a post, a state)."""
        if _PROSE.search(text) and len(text.split()) >= 6 and not self._looks_like_entry(text):
            block.description.append(text)
        else:
            self.warn(
                line, "not-a-person", f"'{text[:80]}' is not read as a person (its first part is not a name)"
            )

    # ------------------------------------------------------------------ dates
    def _date_score(self, item: Item) -> int:
        folded = fold(item.text)
        score = 0
        if item.dates is not None and item.dates.is_range:
            score += 2
        if any(p in folded for p in self.lex.places):
            score += 2
        if _STALE_WORDS.search(folded):
            score -= 5
        return score

    def default_year(self, hints: EventHints) -> int | None:
        if hints.start_date:
            return int(hints.start_date[:4])
        years = [it.dates.last[2] for _, it in self.event_dates if it.dates is not None and it.dates.last[2]]
        if not years:
            return None
        return max(set(years), key=lambda y: (years.count(y), y))

    def resolve_days(self, hints: EventHints) -> None:
        year = self.default_year(hints)
        start = date.fromisoformat(hints.start_date) if hints.start_date else None
        if start is None:
            header = [it for _, it in sorted(self.event_dates, key=lambda t: -t[0]) if it.kind == "dates"]
            if header and header[0].dates is not None:
                start = resolve_date(header[0].dates.first, year)
        for d in self.days:
            found = d.item.dates
            d.number = d.item.day_number
            if found is not None:
                d.date = resolve_date(found.first, year)
                if d.date is None:
                    self.warn(d.item.line, "no-year", f"'{d.item.text}' gives no year and no other date does")
                elif found.weekday is not None and found.weekday != d.date.weekday():
                    self.warn(
                        d.item.line,
                        "weekday-mismatch",
                        f"'{d.item.text}': {d.date.isoformat()} is a {d.date.strftime('%A')}; "
                        "the date is kept",
                    )
            elif d.number is not None and start is not None:
                d.date = date.fromordinal(start.toordinal() + d.number - 1)
            d.key = d.date.isoformat() if d.date else (f"day{d.number}" if d.number else "undated")
        undated = [b for b in self.blocks if b.day is None]
        if undated and not self.days:
            # no day headings: a header that dates the meeting to one day dates its sessions
            header = [it for _, it in sorted(self.event_dates, key=lambda t: -t[0]) if it.dates is not None]
            one = None
            if hints.start_date and hints.start_date == (hints.end_date or hints.start_date):
                one = date.fromisoformat(hints.start_date)
            elif (
                header
                and header[0].dates.first == header[0].dates.last
                or header
                and resolve_date(header[0].dates.first, year) == resolve_date(header[0].dates.last, year)
            ):  # type: ignore[union-attr]
                one = resolve_date(header[0].dates.first, year)  # type: ignore[union-attr]
            if one is not None:
                day = _Day(
                    header[0] if header else undated[0].header or Item("day", undated[0].line),
                    one,
                    None,
                    one.isoformat(),
                )
                self.days.append(day)
                for b in undated:
                    b.day = day
                undated = []
        if hints.start_date and hints.end_date:
            lo, hi = date.fromisoformat(hints.start_date), date.fromisoformat(hints.end_date)
            for d in self.days:
                if d.date and not lo <= d.date <= hi:
                    self.warn(
                        d.item.line,
                        "day-outside-event",
                        f"day heading {d.date.isoformat()} is outside the event's dates {lo} to {hi} "
                        "(source.yml)",
                    )

    # ------------------------------------------------------------------ orphans and sessions
    def session_ids(self, blocks: list[_Block]) -> dict[int, str]:
        """Stable ids: day and start time, or day and place in the day for sessions without times."""
        ids: dict[int, str] = {}
        by_day: dict[str, list[_Block]] = {}
        for b in blocks:
            by_day.setdefault(b.day.key if b.day else "undated", []).append(b)
        for key, group in by_day.items():
            taken: dict[str, int] = {}
            for n, b in enumerate(group, start=1):
                if b.start:
                    sid = f"{key}T{b.start}"
                    taken[sid] = taken.get(sid, 0) + 1
                    if taken[sid] > 1:
                        sid = f"{sid}-{taken[sid]}"  # parallel sessions starting together
                else:
                    sid = f"{key}-s{n}"
                ids[id(b)] = sid
        return ids

    def order(self, blocks: list[_Block]) -> list[_Block]:
        """Days in date (or appearance) order; in a day, by time where the agenda gives one, sessions
        without a time staying after the session they follow."""
        day_rank: dict[int, tuple] = {}
        for d in self.days:
            day_rank[id(d)] = (0, d.date.toordinal(), 0) if d.date else (1, d.number or 0, self.days.index(d))
        out = []
        effective = ""
        for b in sorted(blocks, key=lambda b: b.position):
            effective = b.start or effective
            out.append(
                (day_rank.get(id(b.day), (-1, 0, 0)) if b.day else (-1, 0, 0), effective, b.position, b)
            )
        return [b for *_, b in sorted(out, key=lambda t: t[:3])]

    def header_dates(self, items: list[Item]) -> None:
        """Dates written anywhere in the header ("Order of the day: Wednesday, 6 March 2019") are
        candidates for the meeting's dates, below the dedicated date lines."""
        from .dates import find_dates

        for it in items:
            if it.kind in ("text", "heading"):
                for found in find_dates(it.text, self.lex):
                    self.event_dates.append((self._date_score(it) - 1, replace(it, dates=found)))

    def place_orphans(self) -> list[_Block]:
        sessions = [b for b in self.blocks if b.header is not None]
        orphans = [b for b in self.blocks if b.header is None and (b.moderators or b.speakers)]
        whole = [b for b in orphans if b.event_level or not sessions]
        orphans = [b for b in orphans if b not in whole]
        if whole:
            # no session holds them: the source names these people for the whole event
            first = whole[0]
            event = _Block(line=first.line, day=None, position=-1, kind="event", title="")
            for o in whole:
                event.moderators.extend(o.moderators)
                event.speakers.extend(o.speakers)
                event.description.extend(o.description)
            self.warn(
                first.line,
                "no-session",
                "people listed outside any session: kept as taking part in the whole event",
            )
            sessions = [event, *sessions]
        if not orphans:
            return sessions
        ordered = self.order([b for b in sessions if b.kind != "event"])
        ids = self.session_ids(ordered)
        for orphan in orphans:
            what = " and ".join(
                w for w, xs in (("moderator", orphan.moderators), ("speakers", orphan.speakers)) if xs
            )
            if orphan.line.number in self.assignments:
                wanted = self.assignments[orphan.line.number]
                chosen = [s for s in sessions if ids[id(s)] == wanted]
                if not chosen:
                    raise AgendaError(
                        self.path,
                        orphan.line.number,
                        f"curation assigns this block to session {wanted}, which the agenda does not have; "
                        f"sessions: {', '.join(ids[id(s)] for s in ordered)}",
                        orphan.line.page,
                    )
                reason = "by the reviewed assignment in data/curation/block-assignments.yml"
            else:
                chosen = [
                    s
                    for s in ordered
                    if s.day is orphan.day
                    and s.takes_people
                    and not (orphan.speakers and s.speakers)
                    and not (orphan.moderators and s.moderators)
                ]
                day_name = orphan.day.key if orphan.day else "the agenda"
                reason = f"the only session of {day_name} without {what}"
            if len(chosen) != 1:
                day_name = orphan.day.key if orphan.day else "the agenda"
                listing = "; ".join(f"{ids[id(s)]} ({s.label or s.title})" for s in chosen)
                raise AgendaError(
                    self.path,
                    orphan.line.number,
                    f"a {what} block has no session header and "
                    + (
                        f"{len(chosen)} sessions of {day_name} could take it: {listing}"
                        if chosen
                        else "no session could take it"
                    )
                    + ". Settle it in data/curation/block-assignments.yml with "
                    f"'- {{source: {self.source}, line: {orphan.line.number}, session: <session id>}}'",
                    orphan.line.page,
                )
            target = chosen[0]
            target.moderators.extend(orphan.moderators)
            target.speakers.extend(orphan.speakers)
            target.description.extend(orphan.description)
            self.warn(
                orphan.line,
                "block-placed",
                f"{what} block without a session header placed in {target.label or target.title} "
                f"({ids[id(target)]}): {reason}",
            )
        return sessions

    def sessions(self, blocks: list[_Block]) -> list[Session]:
        ordered = self.order(blocks)
        ids = self.session_ids(ordered)
        out = []
        for b in ordered:
            if b.kind == "break" and (b.moderators or b.speakers):
                self.warn(b.line, "people-in-break", f"people listed under '{b.title}': read as a session")
                b.kind = "other"
            label = b.label or b.title
            title = _normalise_title(b.title)
            sid = ids[id(b)] if b.kind != "event" else "event"
            out.append(
                Session(
                    id=sid,
                    day=b.day.date.isoformat() if b.day and b.day.date else None,
                    start=b.start,
                    end=b.end,
                    kind=b.kind,
                    number=b.number,
                    title=title,
                    label=label,
                    line=b.line.number,
                    page=b.line.page,
                    moderators=tuple(b.moderators),
                    speakers=tuple(b.speakers),
                    description=" ".join(b.description) or None,
                )
            )
        return out


def _plural(label: str) -> bool:
    """A plural label ("Panellists", "Co-presidentes", "Moderator(s)") governs the lines after it."""
    last = fold(label).split()[-1] if label.split() else ""
    return last.endswith(("s", "(s)", "(es)"))


def _markers(p: Person):
    from .people import _Markers

    return _Markers(p.contribution, p.contribution_label, p.delivery)


def _markers_of(ctx: _Context):
    from .people import _Markers

    return _Markers(ctx.contribution, ctx.label)


def _normalise_title(title: str) -> str:
    """The session's title without its leading number word: "Panel 2 – Mobility" -> "Mobility"
    is not done: the number is kept apart in ``number`` and the title stays as written, without
    stray separators."""
    return title.strip().strip("-\u2013\u2014:").strip()


def _find_city(lines: list[Line], items: list[Item], lex: Lexicon) -> str | None:
    preps = "|".join(re.escape(p) for p in lex.all("venue_prepositions"))
    places = "|".join(re.escape(p) for p in sorted(lex.places, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{preps}) ({places})\b")
    for line in lines:
        m = pattern.search(fold(line.text))
        if m:
            return lex.places[m.group(1)]
    # a header line such as "Geneva, 8 October 2018", "Palais des Nations, Geneva" names the venue
    for item in items:
        for part in re.split(r"[,|\u2013\u2014(): ]{2,}|[,|\u2013\u2014():]", fold(item.text)):
            if part.strip() in lex.places:
                return lex.places[part.strip()]
    # "Yaoundé (Cameroun), 4 et 5 juin 2025": a place no list holds, by its position, the
    # capitalised words before the date on the header's date line
    calendar = set(lex.number_map("weekdays")) | set(lex.number_map("months"))
    for item in items:
        if item.kind != "dates" or item.dates is None:
            continue
        head = re.split(r"[,(|\u2013\u2014]", item.text, maxsplit=1)[0].strip()
        words = head.split()
        if (
            head != item.text.strip()
            and 1 <= len(words) <= 3
            and all(w[:1].isupper() for w in words)
            and not any(c.isdigit() for c in head)
            and not calendar & {fold(w).strip(".") for w in words}
        ):
            return head
    return None


def assemble_agenda(
    doc: Document,
    source: str,
    lex: Lexicon,
    states: StateIndex,
    orgs: OrganizationIndex,
    hints: EventHints | None = None,
    assignments: dict[int, str] | None = None,
    corrections: list[Correction] | None = None,
) -> Agenda:
    """Turn a read document into an Agenda record (days, sessions in order, people placed)."""
    hints = hints or EventHints()
    asm = _Assembler(doc, source, lex, states, orgs, assignments or {}, corrections or [])
    items: list[Item] = []
    for line in doc.lines:
        items.extend(asm.classifier.classify(line, doc.path))
    agenda_headings = lex.all("agenda_headings")
    start = next(
        (
            i + 1
            for i, it in enumerate(items)
            if it.kind == "section" and fold(it.text).rstrip(" :.") in agenda_headings
        ),
        None,
    )
    if start is None:
        # the first line is the document's title whatever its words ("Workshop on ..."), unless
        # it is a day, a time slot or a label
        first = 1 if items and items[0].kind in ("heading", "text") else 0
        start = next(
            (
                i
                for i, it in enumerate(items)
                if i >= first
                if it.kind in ("day", "slot", "label")
                or (it.kind == "heading" and it.heading.strong and it.line.level != 1)  # type: ignore[union-attr]
            ),
            None,
        )
        if start is None:
            # no structure at all (a press release): people may still be listed after a title
            start = 1 if len(items) > 1 else 0
    header, body = items[:start], items[start:]
    for it in header:
        if it.kind in ("dates", "day") and it.dates is not None:
            asm.event_dates.append((asm._date_score(it), it))
    asm.header_dates(header)
    asm.walk(body)
    asm.resolve_days(hints)
    blocks = asm.place_orphans()
    if not blocks:
        raise AgendaError(doc.path, None, "no session and no person found: not an agenda of this genre")
    sessions = asm.sessions(blocks)
    for c in asm.corrections:
        if c.used == 0:
            raise AgendaError(
                c.path,
                c.at,
                f"this correction matches nothing in {source} line {c.line}: '{c.match}' (stale curation?)",
            )

    language = hints.language or _detect_language([it.line for it in items], lex)
    days = sorted({s.day for s in sessions if s.day})
    header_dates = sorted(
        (it for _, it in asm.event_dates if it.dates is not None), key=lambda it: -asm._date_score(it)
    )
    year = asm.default_year(hints)
    first_last = None
    if header_dates:
        best = header_dates[0].dates
        first_last = (resolve_date(best.first, year), resolve_date(best.last, year))  # type: ignore[union-attr]
    span = sorted(filter(None, first_last or ()))
    if days and span and not all(span[0].isoformat() <= d <= span[-1].isoformat() for d in days):
        span = []  # the header's dates are not the sessions' days: a stray date
    start_date = hints.start_date or (span[0].isoformat() if span else (days[0] if days else None))
    end_date = hints.end_date or (span[-1].isoformat() if span else (days[-1] if days else None))
    header_lines = [it.line for it in header]
    city = hints.city or _find_city(
        header_lines, header + [it for it in body if it.kind in ("day", "dates")], lex
    )
    if city is None:
        asm.warn(None, "no-city", "no venue found in the agenda's header; give 'city' in source.yml")
    title = hints.title or doc.title
    if title is None:
        first = next((it for it in header if it.kind in ("text", "heading") and it.text), None)
        if first is not None:
            title = first.text
        else:
            year_s = start_date[:4] if start_date else "?"
            title = lex.languages[language].title_template.format(year=year_s, city=city or "?")
            asm.warn(None, "no-title", f"no title line in the agenda; using '{title}'")
    event_id = hints.event_id or slug(f"idm {start_date or 'undated'} {city or source}")
    sessions = [
        replace(s, title=s.title or title, label=s.label or title) if s.kind == "event" else s
        for s in sessions
    ]
    event = Event(
        id=event_id,
        title=clean(title),
        city=city,
        start_date=start_date,
        end_date=end_date,
        language=language,
    )
    return Agenda(
        source=source,
        path=str(doc.path),
        event=event,
        sessions=tuple(sessions),
        warnings=tuple(asm.warnings),
        context="\n".join([*(it.line.text for it in header), *asm.preamble]),
        format=doc.format,
    )
