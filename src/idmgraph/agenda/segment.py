"""Lines -> items: day headings, time slots, session headings, role labels, text.

One line may give several items: a date and a session title (``19 Jun 2017 - Opening segment``),
a session heading and a label (``Session II Panelists: A; and B``), several labels
(``Welcome remarks: Dr. A (...). Speaker: Dr. B (...)``). Labels come in every form the genre
uses: ``Moderator:``, ``Moderator(s):``, ``Co-presidentes:-``, ``• Chair: X``, a verb
(``Moderated by X``), a contribution before "by" (``Opening Remarks by X``, ``Présentation de
M. X``), a contribution as a label (``Opening statement: X``, ``Discurso:- Sra. Y``). Every word
comes from the lexicon; nothing here is specific to a language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ..lexicon import Lexicon
from ..records import AgendaError, moved
from ..text import clean, fold, fold_aligned, normalise_quotes
from .dates import DateFound, Slot, find_dates, looks_like_time, parse_slot
from .lines import Line
from .names import NameModel

_PLACE_WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*")  # Yaoundé, Bobo-Dioulasso
_PLURAL_MARK = re.compile(r"\s*\((?:s|es|as|os|e|e?s)\)$")  # "Moderator(s)", "Orateur(s)"

__all__ = ["Item", "Label", "Heading", "Classifier", "ROMAN"]

ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
    "xi": 11,
    "xii": 12,
    "xiii": 13,
    "xiv": 14,
    "xv": 15,
    "xvi": 16,
    "xvii": 17,
    "xviii": 18,
    "xix": 19,
    "xx": 20,
}


@dataclass(frozen=True)
class Label:
    """A role or contribution label and the text after it (``rest``, as written, may be empty)."""

    role: str | None
    contribution: str | None
    label: str  # the label as written: "Moderator", "Opening Remarks"
    rest: str
    by: bool = False  # "X by Y": the rest may be a group ("the co-facilitators"), not people


@dataclass(frozen=True)
class Heading:
    title: str  # as written
    kind: str  # opening | panel | break | closing | other
    number: int | None
    strong: bool  # numbered, a heading level, a session word: surely a session


@dataclass(frozen=True)
class Item:
    kind: str  # day | dates | slot | heading | label | text | section | end | footer | blank
    line: Line
    text: str = ""
    dates: DateFound | None = None
    day_number: int | None = None
    slot: Slot | None = None
    label: Label | None = None
    heading: Heading | None = None


class Classifier:
    def __init__(self, lex: Lexicon, names: NameModel):
        self.lex, self.names = lex, names
        self._classified: dict[tuple, list[Item]] = {}

    # ------------------------------------------------------------------ vocabulary
    @cached_property
    def _label_phrases(self) -> list[tuple[str, str | None, str | None]]:
        """(folded phrase, role, contribution), longest first."""
        out = [(p, role, None) for p, role in self.lex.phrase_map("role_labels").items()]
        out += [(p, None, kind) for p, kind in self.lex.phrase_map("contributions").items()]
        return sorted(out, key=lambda t: -len(t[0]))

    @cached_property
    def _label_table(self) -> dict[str, tuple[str | None, str | None]]:
        """folded phrase -> (role, contribution); roles win where a phrase is both."""
        table: dict[str, tuple[str | None, str | None]] = {}
        for p, role, contribution in reversed(self._label_phrases):
            if p not in table or role is not None:
                table[p] = (role, contribution)
        return table

    @cached_property
    def _label_start(self) -> re.Pattern:
        words = "|".join(re.escape(p) for p, _, _ in self._label_phrases)
        return re.compile(rf"(?:{words})(?:\s*\((?:s|es|as|os|e|e?s)\))?\s*(?::-?|：|-(?=\s))\s*")

    @cached_property
    def _numbered(self) -> re.Pattern:
        words = "|".join(re.escape(w) for w in self.lex.all("session_words"))
        roman = "|".join(sorted(ROMAN, key=len, reverse=True))
        return re.compile(
            rf"^(?:{words})\s+(?:n[o°º]\.?\s*)?(\d{{1,2}}(?:\.\d{{1,2}})?|(?:{roman})(?![a-z]))(?![\d])(?:\s*[-:.)]\s*|\s+|$)"
        )

    @cached_property
    def _session_title(self) -> re.Pattern:
        titles = "|".join(re.escape(t) for t in self.lex.all("session_titles"))
        return re.compile(rf"(?:{titles})(?:$|:| -)")

    @cached_property
    def _filler(self) -> frozenset[str]:
        return frozenset(self.lex.all("day_words")) | {
            "le",
            "the",
            "el",
            "du",
            "del",
            "les",
            "los",
            "on",
            "de",
            "of",
        }

    @cached_property
    def _place_words(self) -> frozenset[str]:
        return frozenset(w for p in self.lex.places for w in re.split(r"[\s,]+", p) if w)

    @cached_property
    def _kind_start(self) -> re.Pattern:
        """A title that is, or starts with, a break, opening or closing title ("Opening Ceremony")."""
        groups = []
        for kind, attr in (
            ("break", "break_titles"),
            ("opening", "opening_titles"),
            ("closing", "closing_titles"),
        ):
            alts = "|".join(re.escape(t) for t in self.lex.all(attr))
            groups.append(f"(?P<{kind}>(?:{alts})(?=$|[ :]))")
        return re.compile("|".join(groups))

    @cached_property
    def _day_number(self) -> re.Pattern:
        """ "Day 2", "Première journée", "Segundo día": a day given by its number."""
        day_words = "|".join(re.escape(w) for w in self.lex.all("day_words"))
        ords = "|".join(re.escape(o) for o in sorted(self.lex.number_map("ordinals"), key=len, reverse=True))
        return re.compile(
            rf"\b(?:{day_words})\s+(?:n[o°º]\.?\s*)?(\d{{1,3}}|{ords})\b|\b({ords})\s+(?:{day_words})\b"
        )

    @cached_property
    def _session_topic(self) -> re.Pattern:
        words = "|".join(re.escape(w) for w in self.lex.all("session_words"))
        return re.compile(rf"^(?:{words})\s*(?:[:\-]|on |sur |sobre |about |de la |del |de )")

    # ------------------------------------------------------------------ labels
    def _label_at(self, text: str, folded: str, pos: int) -> tuple[Label, int] | None:
        """A label starting at pos (a role or contribution word and a colon), and where its rest starts."""
        m = self._label_start.match(folded, pos)
        if m:
            phrase = folded[pos : m.end()].rstrip(" :-：")
            phrase = re.sub(r"\s*\(\w+\)$", "", phrase)
            for p, role, contribution in self._label_phrases:
                if phrase == p:
                    return Label(role, contribution, text[pos : pos + len(p)], "", False), m.end()
        return None

    @cached_property
    def _verb_start(self) -> re.Pattern:
        verbs = sorted(self.lex.phrase_map("role_verbs"), key=len, reverse=True)
        return re.compile("(?:" + "|".join(re.escape(v) for v in verbs) + r")(?=$|[ :])")

    @cached_property
    def _by_start(self) -> re.Pattern:
        """A contribution phrase, then a "by" word: "Opening remarks by", "Présentation de"."""
        phrases = sorted((p for p, _, c in self._label_phrases if c), key=len, reverse=True)
        by = "|".join(re.escape(b) for b in sorted(self.lex.all("by_words"), key=len, reverse=True))
        return re.compile(
            "(" + "|".join(re.escape(p) for p in phrases) + rf")\s+(?P<by>{by})(?:\s+|(?<=')|$)"
        )

    def _by_label(self, text: str, folded: str) -> Label | None:
        """``Moderated by X``, ``Opening Remarks by X``, ``Présentation de M. X``."""
        m = self._verb_start.match(folded)
        if m:
            phrase = m.group(0)
            rest = text[len(phrase) :].lstrip(" :-").strip()
            return Label(self.lex.phrase_map("role_verbs")[phrase], None, text[: len(phrase)], rest, True)
        m = self._by_start.match(folded)
        if not m:
            return None
        phrase = m.group(1)
        rest = text[m.end() :].strip()
        weak_by = m.group("by") not in ("by", "par", "por")
        if weak_by and not (self.names.take_honorifics(rest.split())[0] or self._starts_like_name(rest)):
            return None  # "Présentation de la stratégie": de is not "by" here
        return Label(None, self.lex.phrase_map("contributions")[phrase], text[: len(phrase)], rest, True)

    def _starts_like_name(self, text: str) -> bool:
        head = re.split(r"[,(;]", text, maxsplit=1)[0]
        return self.names.shape(head.strip(), strict=True) is not None

    def labels(self, text: str) -> list[Label]:
        """Every label of a line, with the text each governs; empty if the line has none."""
        folded = fold_aligned(text)
        by = self._by_label(text, folded)
        if by is not None:
            return [by]
        first = self._label_at(text, folded, 0)
        if first is None:
            # a label alone on its line: "Speakers", "Moderator(s):", "Opening remarks:"
            bare = _PLURAL_MARK.sub("", folded.rstrip(" :."))
            found = self._label_table.get(bare)
            if found and (found[0] is not None or text.rstrip().endswith(":")):
                return [Label(found[0], found[1], text.rstrip(" :"), "", False)]
            return []
        out: list[Label] = []
        label, start = first
        # further labels after ". " or "; ": "Welcome remarks: Dr. A (...). Speaker: Dr. B (...)"
        for m in re.finditer(r"(?<=[.;)])\s+(?=\S)", folded):
            if m.end() <= start:
                continue
            found = self._label_at(text, folded, m.end())
            if found:
                out.append(
                    Label(label.role, label.contribution, label.label, text[start : m.start()].strip(" .;"))
                )
                label, start = found
        out.append(Label(label.role, label.contribution, label.label, text[start:].strip()))
        return out

    # ------------------------------------------------------------------ headings
    def session_kind(self, title: str) -> tuple[str, int | None, str]:
        """(kind, number, title) of a session title: numbered panels, opening, closing, break, other.
        A numbered title loses its number word: "Panel 2 – Mobility" is panel 2 "Mobility"."""
        folded = fold(title).strip(" -:.")
        m = self._numbered.match(fold_aligned(title).strip(" -:.")) if folded else None
        number = None
        rest = title
        if m:
            num = m.group(1)
            number = int(num) if num.isdigit() else ROMAN.get(num)
            lead = len(title) - len(title.lstrip(" -:."))
            rest = title[lead + m.end() :].strip(" -\u2013\u2014:.") or title
        numbered = m is not None  # "Roundtable 1.1" is numbered too, though 1.1 is no integer
        m = self._kind_start.match(folded)
        if m:
            return m.lastgroup, number, rest  # type: ignore[return-value]
        return ("panel" if numbered else "other"), number, rest

    def heading(self, line: Line, text: str) -> Heading | None:
        folded = fold(text).strip(" -:.")
        if not folded:
            return None
        kind, number, _ = self.session_kind(text)
        if number is not None:
            return Heading(text, kind, number, True)
        if kind != "other" and len(folded.split()) <= 12:
            return Heading(text, kind, None, True)
        if self._session_title.match(folded):
            return Heading(text, kind, None, True)
        if self._session_topic.match(folded) and len(folded.split()) <= 20:
            return Heading(text, kind, None, True)
        if line.level is not None and self.names.shape(text, strict=True) is None:
            return Heading(text, kind, None, True)  # a name set as a heading stays a name
        letters = [c for c in text if c.isalpha()]
        if (
            len(letters) >= 6
            and all(not c.islower() for c in letters)
            and len(text.split()) >= 2
            and "," not in text
        ):
            return Heading(text, kind, None, True)  # "EXPERTS EN MIGRATION"
        return None

    # ------------------------------------------------------------------ days
    def day(self, text: str) -> tuple[DateFound | None, int | None, str] | None:
        """(date, day number, title after it) if the line is a day heading or a date line."""
        folded = fold_aligned(text)
        dates = find_dates(text, self.lex)
        ordinals = self.lex.number_map("ordinals")
        number = None
        m = self._day_number.search(folded)
        if m:
            word = m.group(1) or m.group(2)
            number = int(word) if word.isdigit() else ordinals.get(word)
        if not dates and number is None:
            return None
        if len(dates) > 1:
            return None
        # what is left once the date, weekday, day words and separators are taken out
        residue = folded
        spans = [(d.start, d.end) for d in dates] + ([m.span()] if m else [])
        for a, b in sorted(spans, reverse=True):
            residue = residue[:a] + " " * (b - a) + residue[b:]
        tail_start = max((b for _, b in spans), default=0)
        words = [w for w in re.split(r"[\s|,:;()\-\u2013\u2014/]+", residue) if w]
        rest = [w for w in words if w not in self._filler and w not in ordinals]
        place_free = [w for w in rest if w not in self._place_words]
        if not place_free:
            return (dates[0] if dates else None), number, ""
        if dates and dates[0].is_range and self._venue_before(text, residue, spans):
            return dates[0], number, ""  # "Yaoundé (Cameroun), 4 et 5 juin 2025": a place no list holds
        # a date at the start and a title after a separator: "19 Jun 2017 - Opening segment"
        head = residue[: min((a for a, _ in spans), default=0)]
        after = text[tail_start:]
        sep = re.match(r"\s*(?:[|\-\u2013\u2014:]|\s{2,})\s*", after)
        if not head.strip(" ,|") and sep and (dates or number is not None):
            title = clean(after[sep.end() :])
            if title:
                return (dates[0] if dates else None), number, title
        return None

    def _venue_before(self, text: str, residue: str, spans: list[tuple[int, int]]) -> bool:
        """Whether what precedes a range of dates is a venue's name alone: one to three
        capitalised words (and a parenthesis) before a comma, nothing but filler after the dates."""
        first, last = min(a for a, _ in spans), max(b for _, b in spans)
        tail = [w for w in re.split(r"[\s|,:;()\-\u2013\u2014/.]+", residue[last:]) if w]
        if any(w not in self._filler for w in tail):
            return False
        head = text[:first].rstrip(" ,")
        if not text[:first].rstrip().endswith(","):
            return False
        name = re.sub(r"\([^()]*\)", " ", head).split()
        return 1 <= len(name) <= 3 and all(w[:1].isupper() and _PLACE_WORD.fullmatch(w) for w in name)

    # ------------------------------------------------------------------ lines
    def classify(self, line: Line, path: str) -> list[Item]:
        """The items of a line. Lines recur ("Speakers:", "Coffee break", a person's entry): a line
        classified before is classified again from memory, at this line's place."""
        key = (line.text, line.bullet, line.level)
        known = self._classified.get(key)
        if known is None:
            known = self._classify(line, path)
            if len(self._classified) > 50_000:
                self._classified.clear()
            self._classified[key] = known
            return known
        return [moved(it, line=line) for it in known]

    def _classify(self, line: Line, path: str) -> list[Item]:
        text = line.text
        if line.bullet and not re.search(r"[^\W_]", text):
            return [Item("blank", line, text)]
        if not text:
            return []
        if self._is_person_line(text) and not self.labels(text):
            return [Item("text", line, text)]  # "Jane Roe, Minister ...": most lines, said at once
        folded = fold(text)
        day = self.day(text) if not looks_like_time(text) else None
        if day is not None:
            found, number, title = day
            if found is not None and found.is_range and not title:
                return [Item("dates", line, text, dates=found, day_number=number)]
            items = [Item("day", line, text, dates=found, day_number=number)]
            if title:
                items += self._after_day(line, title)
            return items
        try:
            slot = parse_slot(text)
        except ValueError as exc:
            raise AgendaError(
                path, line.number, f"unreadable time slot '{text[:40]}': {exc}", line.page
            ) from exc
        if slot is None and looks_like_time(text):
            raise AgendaError(
                path,
                line.number,
                f"unrecognised time format in '{text[:40]}': write slots as "
                "'10h - 11h30', '10:00 - 11:30', '10.00 - 11.30' or '9:00 am - 10:30 am'",
                line.page,
            )
        if slot is not None:
            return [Item("slot", line, text, slot=slot)]
        bare = folded.rstrip(" :.")
        if bare in self.lex.all("footer_headings"):
            return [Item("footer", line, text)]
        if bare in self.lex.all("section_headings") and not line.bullet:
            return [Item("section", line, text, heading=Heading(text, "other", None, False))]
        if bare in self.lex.all("end_markers"):
            return [Item("end", line, text)]
        labels = self.labels(text)
        if labels:
            return [Item("label", line, lb.rest, label=lb) for lb in labels]
        # "Session II Panelists: A; and B": a heading and a label on one line
        m = self._numbered.match(folded)
        if m:
            cut = m.end()
            rest = fold_aligned(text)
            for pos in range(cut, len(text)):
                if pos == cut or rest[pos - 1] == " ":
                    found = self._label_at(text, rest, pos)
                    if found:
                        head = text[:pos].strip(" -:.")
                        labels = self.labels(text[pos:])
                        kind, number, _ = self.session_kind(head)
                        return [Item("heading", line, head, heading=Heading(head, kind, number, True))] + [
                            Item("label", line, lb.rest, label=lb) for lb in labels
                        ]
        heading = self.heading(line, text)
        if heading is not None and not self._is_person_line(text):
            return [Item("heading", line, text, heading=heading)]
        return [Item("text", line, text)]

    def _after_day(self, line: Line, title: str) -> list[Item]:
        kind, number, _ = self.session_kind(title)
        return [Item("heading", line, title, heading=Heading(title, kind, number, True))]

    def _is_person_line(self, text: str) -> bool:
        """A line that opens with a name and a comma (a person entry under a heading-like shape)."""
        head = normalise_quotes(text).split(",", 1)
        if len(head) != 2 or self.names.shape(head[0].strip(), strict=True) is None:
            return False
        # "San Pedro Sula, 4 y 5 de junio de 2025": a place before a range of dates, not a person
        rest = head[1]
        if not any(c.isdigit() for c in rest):
            return True
        found = self.day(rest)
        return not (found and found[0] and found[0].is_range)
