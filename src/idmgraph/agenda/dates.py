"""Dates and times as agendas write them, in every language of the lexicon.

Dates: ``18 Avril 2017``, ``Friday, 6October 2017``, ``19 Jun 2017``, ``October 15th, 2020``,
``10 de diciembre de 2018``, ranges ``11 - 12 October 2016``, ``10 y 11 de diciembre de 2018``,
``29 February – 1 March 2016``, ``October 11-12, 2016``, and ISO ``2017-04-18``. A date without a
year keeps its day and month; the caller gives the year the agenda's other dates show.

Times: ``10h – 11h30``, ``9h00 – 10h00``, ``10:00-10:15``, ``10.00 – 13.00``, ``10 a. m. - 1 p. m.``,
``9:00 am``, ``2:00 - 3:30 pm`` (the end's pm reaches the start), ``de 10h à 11h30``, several
ranges on one line (``10 a. m. - 1 p. m. / 3 p. m. - 6 p. m.``: from the first start to the last end).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from ..lexicon import Lexicon
from ..text import fold_aligned, normalise_quotes

__all__ = ["DateFound", "Slot", "find_dates", "parse_slot", "looks_like_time", "resolve_date"]


@dataclass(frozen=True)
class DateFound:
    """A date or a date range found in a line; offsets are into the line as written."""

    start: int
    end: int
    first: tuple[int, int, int | None]  # (day, month, year or None)
    last: tuple[int, int, int | None]  # equal to first for a single date
    weekday: int | None  # the weekday written before it (0 = Monday), if any

    @property
    def is_range(self) -> bool:
        return self.first != self.last

    @property
    def has_year(self) -> bool:
        return self.last[2] is not None


def resolve_date(dmy: tuple[int, int, int | None], year: int | None) -> date | None:
    """A date from (day, month, year), the year taken from *year* when the text gave none."""
    d, m, y = dmy
    y = y if y is not None else year
    if y is None:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


@cache
def _date_patterns(months: tuple[str, ...], weekdays: tuple[str, ...], connectors: tuple[str, ...]):
    month = "(?:" + "|".join(re.escape(m) for m in months) + r")\.?(?![a-z])"
    weekday = "(?:" + "|".join(re.escape(w) for w in weekdays) + r")\.?(?![a-z])"
    conn = r"\s*(?:" + "|".join(re.escape(c) for c in connectors) + r"|/|&)\s*"
    day = r"(\d{1,2})(?:er|re|st|nd|rd|th|º|°|o)?(?!\d)"
    de = r"(?:\s*(?:de|del)\s+|\s*)"
    year = r"(?:,?\s*(?:de\s+|del\s+)?(\d{4})(?!\d))?"
    lead = rf"(?:({weekday}),?\s*(?:le\s+|el\s+|the\s+)?)?"
    return [
        # 29 February – 1 March 2016
        ("dm-dm", re.compile(rf"{lead}\b{day}\s*({month}){year}{conn}{day}\s*(?:de\s+)?({month}){year}")),
        # 11 - 12 October 2016, 10 y 11 de diciembre de 2018
        ("dd-m", re.compile(rf"{lead}\b{day}{conn}{day}{de}({month}){year}")),
        # October 11-12, 2016
        ("m-dd", re.compile(rf"{lead}\b({month})\s+{day}{conn}{day}{year}")),
        # 18 Avril 2017, 6October 2017, 10 de diciembre de 2018
        ("d-m", re.compile(rf"{lead}\b{day}{de}({month}){year}")),
        # October 15th, 2020
        ("m-d", re.compile(rf"{lead}\b({month})\s+{day}{year}")),
        # 2017-04-18
        ("iso", re.compile(r"()\b(\d{4})-(\d{2})-(\d{2})\b")),
    ]


def find_dates(text: str, lex: Lexicon) -> list[DateFound]:
    """Every date or date range written out in *text*, left to right, without overlaps.

    >>> from idmgraph.lexicon import load_lexicon
    >>> lex = load_lexicon()
    >>> [(d.first, d.last) for d in find_dates("11 - 12 October 2016, Geneva", lex)]
    [((11, 10, 2016), (12, 10, 2016))]
    >>> [(d.first, d.weekday) for d in find_dates("Friday, 6October 2017", lex)]
    [((6, 10, 2017), 4)]
    >>> [d.last for d in find_dates("10 y 11 de diciembre de 2018", lex)]
    [(11, 12, 2018)]
    >>> [d.first for d in find_dates("Day One October 15th, 2020", lex)]
    [(15, 10, 2020)]
    """
    months = lex.number_map("months")
    weekdays = lex.number_map("weekdays")
    folded = fold_aligned(text)
    if not _DIGIT.search(folded) or not _month_word(lex).search(folded):
        return []  # no number beside a month and no ISO date: no date
    patterns = _patterns_for(lex)
    found: list[DateFound] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in patterns:
        for m in pattern.finditer(folded):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            g = m.groups()
            wd = weekdays.get(g[0].rstrip(".")) if g[0] else None
            try:
                if kind == "dm-dm":
                    first = (int(g[1]), months[g[2].rstrip(".")], _year(g[3]) or _year(g[6]))
                    last = (int(g[4]), months[g[5].rstrip(".")], _year(g[6]))
                elif kind == "dd-m":
                    y = _year(g[4])
                    first, last = (
                        (int(g[1]), months[g[3].rstrip(".")], y),
                        (int(g[2]), months[g[3].rstrip(".")], y),
                    )
                elif kind == "m-dd":
                    y = _year(g[4])
                    first, last = (
                        (int(g[2]), months[g[1].rstrip(".")], y),
                        (int(g[3]), months[g[1].rstrip(".")], y),
                    )
                elif kind == "d-m":
                    first = last = (int(g[1]), months[g[2].rstrip(".")], _year(g[3]))
                elif kind == "m-d":
                    first = last = (int(g[2]), months[g[1].rstrip(".")], _year(g[3]))
                else:
                    first = last = (int(g[3]), int(g[2]), int(g[1]))
            except KeyError:
                continue
            if not (1 <= first[0] <= 31 and 1 <= last[0] <= 31 and 1 <= first[1] <= 12):
                continue
            found.append(DateFound(a, b, first, last, wd))
            taken.append((a, b))
    return sorted(found, key=lambda d: d.start)


_DIGIT = re.compile(r"\d")


def _patterns_for(lex: Lexicon):
    key = id(lex)
    if key not in _LEX_PATTERNS:
        months = lex.number_map("months")
        weekdays = lex.number_map("weekdays")
        connectors = {c for c in lex.all("date_connectors") if c != "-"} | {"-", "to"}
        _LEX_PATTERNS[key] = _date_patterns(
            tuple(sorted(months, key=len, reverse=True)),
            tuple(sorted(weekdays, key=len, reverse=True)),
            tuple(sorted(connectors, key=len, reverse=True)),
        )
    return _LEX_PATTERNS[key]


_LEX_PATTERNS: dict[int, list] = {}
_MONTH_WORDS: dict[int, re.Pattern] = {}


def _month_word(lex: Lexicon) -> re.Pattern:
    key = id(lex)
    if key not in _MONTH_WORDS:
        months = "|".join(re.escape(m) for m in sorted(lex.number_map("months"), key=len, reverse=True))
        # a number just before a month ("6October", "10 de diciembre", "1er mars"), a month just
        # before a number ("October 15th"), or an ISO date
        _MONTH_WORDS[key] = re.compile(
            rf"\d\s*(?:\w{{1,3}}\s+)?(?:de\s+)?(?:{months})(?![a-z])|\b(?:{months})\.?\s+\d|\d{{4}}-\d\d-\d\d"
        )
    return _MONTH_WORDS[key]


def _year(text: str | None) -> int | None:
    return int(text) if text else None


# ------------------------------------------------------------------------------------ times
_T = re.compile(
    r"(?P<h>\d{1,2})"
    r"(?:\s?(?P<sep>[:h.])\s?(?P<m>\d{2})(?![\d./]\d)|\s?(?P<hh>h)(?![a-z]))?"
    r"(?:\s*(?P<ap>[ap])\.?\s?m\.?(?![a-z]))?",
    re.IGNORECASE,
)
_LEAD = re.compile(r"(?:from|de|desde|du|entre|between)\s+", re.IGNORECASE)
_CONNECT = re.compile(r"\s*(?:-|to|à|a|al|au|hasta|and|et|y)\s*", re.IGNORECASE)
_MORE = re.compile(r"\s*(?:/|,|;|y|and|et)\s*", re.IGNORECASE)
_SUFFIX = re.compile(r"\s*(?:hrs?\.?|heures|horas|hours|h\.?)(?![a-z])", re.IGNORECASE)
_AFTER = re.compile(r"\s*(?:[:|.\-]\s*)?")
_TIME_LIKE = re.compile(
    r"^\d{1,2}\s?(?:[h:.]\s?\d{2}|[ap]\.?\s?m\b|h\b|-\s?\d{1,2}\s*(?:h\b|[ap]\.?\s?m\b|:))", re.IGNORECASE
)


@dataclass(frozen=True)
class Slot:
    start: str
    end: str | None
    title: str  # the rest of the line, as written


@dataclass(frozen=True)
class _Time:
    hour: int
    minute: int
    ampm: str | None
    marked: bool  # written with minutes, "h" or am/pm: a bare number is not a time
    end: int


def _time_at(s: str, pos: int) -> _Time | None:
    m = _T.match(s, pos)
    if not m:
        return None
    marked = bool(m.group("m") or m.group("hh") or m.group("ap") or m.group("sep") == "h")
    return _Time(
        int(m.group("h")), int(m.group("m") or 0), (m.group("ap") or "").lower() or None, marked, m.end()
    )


def _hhmm(t: _Time, ampm: str | None) -> str:
    hour = t.hour
    if ampm:
        if hour > 12:
            raise ValueError(f"{t.hour} {ampm}m is not a time of day")
        hour = hour % 12 + (12 if ampm == "p" else 0)
    if hour > 23 or t.minute > 59:
        raise ValueError(f"{t.hour}:{t.minute:02d} is not a time of day")
    return f"{hour:02d}:{t.minute:02d}"


def _range_ampm(a: _Time, b: _Time) -> tuple[str | None, str | None]:
    """The end's am/pm reaches an unmarked start when that keeps the start first:
    "2:00 - 3:30 pm" is 14:00-15:30, "10:00 - 1:00 pm" is 10:00-13:00."""
    if a.ampm or not b.ampm or a.hour > 12:
        return a.ampm, b.ampm
    end = b.hour % 12 + (12 if b.ampm == "p" else 0)
    same = a.hour % 12 + (12 if b.ampm == "p" else 0)
    return (b.ampm if same <= end else ("a" if b.ampm == "p" else None)), b.ampm


def parse_slot(text: str) -> Slot | None:
    """The time slot a line opens with, or None; ValueError for a time of day that cannot be.

    >>> parse_slot("10h \u2013 11h30      Session d\u2019ouverture")
    Slot(start='10:00', end='11:30', title='Session d\u2019ouverture')
    >>> parse_slot("10 a. m. - 1 p. m. / 3 p. m. - 6 p. m.")
    Slot(start='10:00', end='18:00', title='')
    >>> parse_slot("2:00 - 3:30 pm Panel 2")
    Slot(start='14:00', end='15:30', title='Panel 2')
    >>> parse_slot("9:00 am Registration")
    Slot(start='09:00', end=None, title='Registration')
    >>> parse_slot("10.00 \u2013 13.00 Plenary")
    Slot(start='10:00', end='13:00', title='Plenary')
    >>> parse_slot("2017 \u2013 2018 co-chairs") is None
    True
    """
    s = normalise_quotes(text)
    pos = 0
    lead = _LEAD.match(s)
    if lead:
        pos = lead.end()
    first = _time_at(s, pos)
    if first is None or (
        first.end < len(s) and s[first.end].isalnum() and not first.ampm and s[first.end - 1].isdigit()
    ):
        return None
    pos = first.end
    second = None
    conn = _CONNECT.match(s, pos)
    if conn and conn.end() > pos:
        second = _time_at(s, conn.end())
        if second is not None and (second.marked or first.marked):
            pos = second.end
        else:
            second = None
    if second is None and not first.marked:
        return None
    if second is None and not (first.ampm or first.minute or ":" in s[:pos] or "h" in s[:pos].lower()):
        return None
    start_ap, end_ap = _range_ampm(first, second) if second else (first.ampm, None)
    start = _hhmm(first, start_ap)
    end = _hhmm(second, end_ap) if second else None
    # further ranges on the same line: the session runs to the last end
    while second is not None:
        more = _MORE.match(s, pos)
        if not more:
            break
        a = _time_at(s, more.end())
        c = _CONNECT.match(s, a.end) if a else None
        b = _time_at(s, c.end()) if c and c.end() > a.end else None  # type: ignore[union-attr]
        if not (a and b and (a.marked or b.marked)):
            break
        _, b_ap = _range_ampm(a, b)
        end = _hhmm(b, b_ap)
        pos = b.end
    suffix = _SUFFIX.match(s, pos)
    if suffix:
        pos = suffix.end()
    after = _AFTER.match(s, pos)
    rest = text[after.end() if after else pos :].strip()
    if rest[:1].isdigit():  # "2017 - 2018 ...": numbers, not a slot
        return None
    return Slot(start, end, rest)


def looks_like_time(text: str) -> bool:
    """Whether a line starts like a time slot (so that one we cannot read is an error, not text)."""
    return bool(_TIME_LIKE.match(normalise_quotes(text).strip()))
