"""Classified lines -> an Agenda: blocks put back in order, headerless blocks placed, event read.

Agenda pages are often captured column by column, so blocks come out of order and a block
can lose its session header. Sessions are ordered by day and time; a moderator or speakers
block with no header joins the one session of the same day that lacks what the block holds.
When that session is not unique, the build stops and says how to settle it in curation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..lexicon import Lexicon
from ..organizations import OrganizationIndex
from ..records import Agenda, AgendaError, Event, Person, Session, Warning_
from ..states import StateIndex
from ..text import fold, slug
from .people import parse_people
from .segment import Line, classify_lines

__all__ = ["assemble_agenda", "EventHints"]


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
class _Block:
    line: int
    day: str | None
    header: Line | None = None
    kind: str = "other"
    moderators: list[Person] = field(default_factory=list)
    speakers: list[Person] = field(default_factory=list)
    expect: str | None = None

    @property
    def takes_people(self) -> bool:
        return self.kind != "break"


def _session_kind(label: str, lex: Lexicon) -> tuple[str, int | None, str]:
    """(kind, number, title) for a slot's label."""
    folded = fold(label)
    words = "|".join(re.escape(w) for w in lex.all("numbered_session_words"))
    m = re.match(rf"^(?:{words})\s+(\d+)\s*(?:[-:]\s*)?(.*)$", folded)
    if m:
        title = label[len(label) - len(m.group(2)) :] if m.group(2) else label
        return "panel", int(m.group(1)), normalise_title(title)
    for kind, attr in (
        ("break", "break_titles"),
        ("opening", "opening_titles"),
        ("closing", "closing_titles"),
    ):
        if any(folded == t or folded.startswith(t + " ") for t in lex.all(attr)):
            return kind, None, label
    return "other", None, label


def normalise_title(title: str) -> str:
    return title.strip().lstrip("-\u2013\u2014: ").strip()


def _detect_language(lines: list[Line], lex: Lexicon) -> str:
    scores = dict.fromkeys(lex.languages, 0)
    for line in lines:
        words = set(re.findall(r"[a-z']+", fold(line.text)))
        for code, lang in lex.languages.items():
            scores[code] += len(words & set(lang.months))
            scores[code] += sum(1 for w in lang.moderator_labels + lang.speaker_labels if w in words)
    common = {"fr": {"le", "la", "les", "des", "du", "et", "pour"}, "en": {"the", "of", "and", "for", "to"}}
    for line in lines:
        words = re.findall(r"[a-z']+", fold(line.text))
        for code, stop in common.items():
            if code in scores:
                scores[code] += sum(1 for w in words if w in stop) / 50
    return max(sorted(scores), key=lambda c: scores[c])


class _Assembler:
    def __init__(
        self,
        path: str,
        source: str,
        lex: Lexicon,
        states: StateIndex,
        orgs: OrganizationIndex,
        assignments: dict[int, str],
    ):
        self.path, self.source, self.lex = path, source, lex
        self.states, self.orgs = states, orgs
        self.assignments = assignments
        self.warnings: list[Warning_] = []

    def warn(self, line: int | None, code: str, message: str) -> None:
        self.warnings.append(Warning_(self.source, line, code, message))

    def people(self, text: str, line: int) -> list[Person]:
        found, warnings = parse_people(text, line, self.lex, self.states, self.orgs, self.source)
        self.warnings.extend(warnings)
        return found

    def blocks(self, lines: list[Line]) -> list[_Block]:
        blocks: list[_Block] = []
        current: _Block | None = None
        day: str | None = None

        def open_block(line: Line) -> _Block:
            block = _Block(line=line.number, day=day)
            blocks.append(block)
            return block

        for line in lines:
            if line.kind == "footer":
                break
            if line.kind == "day":
                day, current = line.value.isoformat(), None  # type: ignore[attr-defined]
            elif line.kind == "slot":
                current = open_block(line)
                current.header = line
                current.kind = _session_kind(line.value[2], self.lex)[0]  # type: ignore[index]
            elif line.kind in ("moderator", "speakers"):
                # a label after the block already has its speakers starts a block whose
                # session header was lost
                if current is None or not current.takes_people or current.speakers:
                    current = open_block(line)
                if line.value:
                    target = current.moderators if line.kind == "moderator" else current.speakers
                    target.extend(self.people(str(line.value), line.number))
                    current.expect = None
                else:
                    current.expect = line.kind
            elif line.kind == "text":
                if current is None or not current.takes_people:
                    self.warn(
                        line.number, "unplaced-text", f"text outside any session, ignored: '{line.text[:60]}'"
                    )
                    continue
                found = self.people(line.text, line.number)
                if current.expect == "moderator":
                    current.moderators.extend(found)
                else:
                    current.speakers.extend(found)
                current.expect = None
            elif line.kind in ("end", "section"):
                current = None
        return blocks

    def place_orphans(self, blocks: list[_Block]) -> list[_Block]:
        sessions = [b for b in blocks if b.header is not None]
        ids = {id(b): _session_id(b) for b in sessions}
        for orphan in (b for b in blocks if b.header is None):
            if not orphan.moderators and not orphan.speakers:
                continue
            what = " and ".join(
                w for w, xs in (("moderator", orphan.moderators), ("speakers", orphan.speakers)) if xs
            )
            if orphan.line in self.assignments:
                wanted = self.assignments[orphan.line]
                chosen = [s for s in sessions if ids[id(s)] == wanted]
                if not chosen:
                    raise AgendaError(
                        self.path,
                        orphan.line,
                        f"curation assigns this block to session {wanted}, "
                        f"which the agenda does not have; sessions: "
                        f"{', '.join(ids[id(s)] for s in sessions)}",
                    )
                reason = "by the reviewed assignment in data/curation/block-assignments.yml"
            else:
                chosen = [
                    s
                    for s in sessions
                    if s.day == orphan.day
                    and s.takes_people
                    and not (orphan.speakers and s.speakers)
                    and not (orphan.moderators and s.moderators)
                ]
                reason = f"the only session of {orphan.day or 'the agenda'} without {what}"
            if len(chosen) != 1:
                listing = "; ".join(f"{ids[id(s)]} ({s.header.value[2]})" for s in chosen)  # type: ignore[union-attr,index]
                raise AgendaError(
                    self.path,
                    orphan.line,
                    f"a {what} block has no session header and "
                    + (
                        f"{len(chosen)} sessions of {orphan.day or 'the agenda'} could take it: {listing}"
                        if chosen
                        else "no session could take it"
                    )
                    + ". Settle it in data/curation/block-assignments.yml with "
                    f"'- {{source: {self.source}, line: {orphan.line}, session: <session id>}}'",
                )
            target = chosen[0]
            target.moderators.extend(orphan.moderators)
            target.speakers.extend(orphan.speakers)
            self.warn(
                orphan.line,
                "block-placed",
                f"{what} block without a session header placed in "
                f"{target.header.value[2]} ({ids[id(target)]}): {reason}",
            )  # type: ignore[union-attr,index]
        return sessions

    def sessions(self, blocks: list[_Block]) -> list[Session]:
        out = []
        seen: dict[str, int] = {}
        for b in blocks:
            start, end, label = b.header.value  # type: ignore[union-attr,misc]
            kind, number, title = _session_kind(label, self.lex)
            sid = _session_id(b)
            if sid in seen:
                raise AgendaError(
                    self.path,
                    b.line,
                    f"two sessions start at {start} on {b.day or 'the same day'} "
                    f"(lines {seen[sid]} and {b.line}): which is which?",
                )
            seen[sid] = b.line
            if kind == "break" and (b.moderators or b.speakers):
                raise AgendaError(self.path, b.line, f"break '{label}' has people")
            out.append(
                Session(
                    id=sid,
                    day=b.day,
                    start=start,
                    end=end,
                    kind=kind,
                    number=number,
                    title=title,
                    label=label,
                    line=b.line,
                    moderators=tuple(b.moderators),
                    speakers=tuple(b.speakers),
                )
            )
        return sorted(out, key=lambda s: (s.day or "", s.start, s.end))


def _session_id(block: _Block) -> str:
    return f"{block.day or 'undated'}T{block.header.value[0]}"  # type: ignore[union-attr,index]


def _find_city(lines: list[Line], lex: Lexicon) -> str | None:
    preps = "|".join(re.escape(p) for p in lex.all("venue_prepositions"))
    places = "|".join(re.escape(p) for p in sorted(lex.places, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{preps}) ({places})\b")
    for line in lines:
        m = pattern.search(fold(line.text))
        if m:
            return lex.places[m.group(1)]
    # a header line such as "Geneva, 8 October 2018" names the venue first
    for line in lines:
        head = fold(line.text).split(",", 1)[0].strip()
        if line.kind == "day" and head in lex.places:
            return lex.places[head]
    return None


def assemble_agenda(
    text: str,
    path: Path,
    source: str,
    lex: Lexicon,
    states: StateIndex,
    orgs: OrganizationIndex,
    hints: EventHints | None = None,
    assignments: dict[int, str] | None = None,
) -> Agenda:
    """Turn agenda text into an Agenda record (sessions ordered, orphan blocks placed)."""
    hints = hints or EventHints()
    lines = classify_lines(text, lex, str(path))
    asm = _Assembler(str(path), source, lex, states, orgs, assignments or {})
    agenda_headings = lex.all("agenda_headings")
    start = next(
        (i + 1 for i, ln in enumerate(lines) if ln.kind == "section" and ln.value in agenda_headings), None
    )
    if start is None:
        start = next(
            (i for i, ln in enumerate(lines) if ln.kind in ("day", "slot", "moderator", "speakers")),
            len(lines),
        )
    header, body = lines[:start], lines[start:]
    blocks = asm.blocks(body)
    if not any(b.header for b in blocks):
        if any(b.moderators or b.speakers for b in blocks):
            first = next(b for b in blocks if b.moderators or b.speakers)
            raise AgendaError(
                str(path),
                first.line,
                "people listed but no session anywhere: an agenda needs time "
                "slots such as '10h - 11h30 Panel 1 - ...'",
            )
        raise AgendaError(str(path), None, "no session found: not an agenda of this genre")
    sessions = asm.sessions(asm.place_orphans(blocks))

    language = hints.language or _detect_language(lines, lex)
    days = sorted({s.day for s in sessions if s.day})
    start_date = hints.start_date or (days[0] if days else None)
    end_date = hints.end_date or (days[-1] if days else None)
    city = hints.city or _find_city(header, lex)
    if city is None:
        asm.warn(None, "no-city", "no venue found in the agenda's header; give 'city' in source.yml")
    title = hints.title
    if title is None:
        first = header[0] if header and header[0].kind == "text" else None
        if first is not None:
            title = first.text
        else:
            year = start_date[:4] if start_date else "?"
            title = lex.languages[language].title_template.format(year=year, city=city or "?")
            asm.warn(None, "no-title", f"no title line in the agenda; using '{title}'")
    event_id = hints.event_id or slug(f"idm {start_date or 'undated'} {city or source}")
    event = Event(
        id=event_id, title=title, city=city, start_date=start_date, end_date=end_date, language=language
    )
    return Agenda(
        source=source,
        path=str(path),
        event=event,
        sessions=tuple(sessions),
        warnings=tuple(asm.warnings),
        context="\n".join(ln.text for ln in header),
    )
