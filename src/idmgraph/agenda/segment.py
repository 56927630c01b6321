"""Agenda file -> classified lines (day headings, time slots, labels, paragraphs).

The reader refuses what is not an agenda text (empty, binary, not UTF-8) with the file and
line; the classifier knows the genre's words only through the lexicon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..lexicon import Lexicon
from ..records import AgendaError
from ..text import clean, fold, normalise_quotes

__all__ = ["Line", "read_agenda_text", "classify_lines", "parse_time_slot", "parse_date"]

_TIME = r"(\d{1,2})(?:\s?h\s?(\d{2})?|:(\d{2}))(?:\s?([ap])\.?m\.?)?"
_SLOT = re.compile(rf"^{_TIME}\s*-\s*{_TIME}(?:\s+(.*))?$", re.IGNORECASE)
# Anything that starts like a time ("10.00", "10am", "10 - 11") but is not a slot we read.
_TIME_LIKE = re.compile(r"^\d{1,2}\s?(?:[h:.]|[ap]\.?m\b|-\s?\d)", re.IGNORECASE)
_DATE_DMY = re.compile(r"\b(\d{1,2})(?:er|st|nd|rd|th)?\s+([a-z]+)\s+(\d{4})\b")
_DATE_MDY = re.compile(r"\b([a-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")


@dataclass(frozen=True)
class Line:
    number: int
    kind: str  # day | slot | moderator | speakers | section | footer | end | text
    text: str  # the line as written, white space collapsed
    value: object = None  # kind-specific payload


def read_agenda_text(path: Path) -> str:
    """Read an agenda file as UTF-8 text, or raise AgendaError naming the file and line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AgendaError(str(path), None, f"cannot read: {exc.strerror}") from exc
    if not data.strip():
        raise AgendaError(str(path), None, "empty file: no agenda text")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise AgendaError(str(path), line, "binary file (NUL byte): not an agenda text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise AgendaError(
            str(path), line, f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the agenda as UTF-8"
        ) from exc
    return text.lstrip("\ufeff")


def _hhmm(h: str, m1: str | None, m2: str | None, ampm: str | None) -> str:
    hour, minute = int(h), int(m1 or m2 or 0)
    if ampm:
        hour = hour % 12 + (12 if ampm.lower() == "p" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"{h}:{m1 or m2} is not a time of day")
    return f"{hour:02d}:{minute:02d}"


def parse_time_slot(text: str) -> tuple[str, str, str] | None:
    """(start, end, title) of a time-slot line, or None if the line is not one.

    >>> parse_time_slot("10h \u2013 11h30      Session d\u2019ouverture")
    ('10:00', '11:30', 'Session d\u2019ouverture')
    >>> parse_time_slot("9:00 \u2013 09:30 Opening")
    ('09:00', '09:30', 'Opening')
    >>> parse_time_slot("10:00-10:15 Welcome")
    ('10:00', '10:15', 'Welcome')
    """
    m = _SLOT.match(normalise_quotes(text).strip())
    if not m:
        return None
    g = m.groups()
    start = _hhmm(g[0], g[1], g[2], g[3])
    end = _hhmm(g[4], g[5], g[6], g[7])
    # the title keeps the agenda's own characters: take it from the original text
    title = text.strip()[m.start(9) :] if g[8] else ""
    return start, end, clean(title)


def parse_date(text: str, lex: Lexicon) -> date | None:
    """The first date written out in *text* in any lexicon language, or None.

    >>> from idmgraph.lexicon import load_lexicon
    >>> parse_date("PREMIERE JOURNEE \u2013 18 Avril 2017", load_lexicon())
    datetime.date(2017, 4, 18)
    >>> parse_date("Day One October 15th, 2020", load_lexicon())
    datetime.date(2020, 10, 15)
    """
    folded = fold(text)
    months = {m: n for lang in lex.languages.values() for m, n in lang.months.items()}
    m = _DATE_DMY.search(folded)
    if m and m.group(2) in months:
        return date(int(m.group(3)), months[m.group(2)], int(m.group(1)))
    m = _DATE_MDY.search(folded)
    if m and m.group(1) in months:
        return date(int(m.group(3)), months[m.group(1)], int(m.group(2)))
    return None


def _label(folded: str, labels: tuple[str, ...]) -> str | None:
    """If the line starts with one of the labels followed by ':' (or ends there), the rest."""
    for label in labels:
        if folded.startswith(label):
            rest = folded[len(label) :].lstrip()
            if rest.startswith(":"):
                return rest
            if not rest:
                return ""
    return None


def _matches(folded: str, phrases: tuple[str, ...]) -> bool:
    return folded.rstrip(" :.") in phrases


def classify_lines(text: str, lex: Lexicon, path: str) -> list[Line]:
    """Classify every non-blank line; raise AgendaError on a time we cannot read."""
    day_words = lex.all("day_words")
    out: list[Line] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = clean(raw)
        if not line:
            continue
        folded = fold(line)
        slot = None
        try:
            slot = parse_time_slot(line)
        except ValueError as exc:
            raise AgendaError(path, number, f"unreadable time slot '{line[:40]}': {exc}") from exc
        if slot:
            out.append(Line(number, "slot", line, slot))
            continue
        day = parse_date(line, lex)
        if day and (any(re.search(rf"\b{w}\b", folded) for w in day_words) or len(folded.split()) <= 5):
            out.append(Line(number, "day", line, day))
            continue
        if _TIME_LIKE.match(folded):
            raise AgendaError(
                path,
                number,
                f"unrecognised time format in '{line[:40]}': write slots as "
                "'10h - 11h30', '10:00 - 11:30' or '9:00 am - 10:30 am'",
            )
        rest = _label(folded, lex.all("moderator_labels"))
        if rest is not None:
            out.append(Line(number, "moderator", line, _after_colon(line)))
            continue
        rest = _label(folded, lex.all("speaker_labels"))
        if rest is not None:
            out.append(Line(number, "speakers", line, _after_colon(line)))
            continue
        if _matches(folded, lex.all("footer_headings")):
            out.append(Line(number, "footer", line))
        elif _matches(folded, lex.all("section_headings")):
            out.append(Line(number, "section", line, folded.rstrip(" :.")))
        elif _matches(folded, lex.all("end_markers")):
            out.append(Line(number, "end", line))
        else:
            out.append(Line(number, "text", line))
    return out


def _after_colon(line: str) -> str:
    return line.split(":", 1)[1].strip() if ":" in line else ""
