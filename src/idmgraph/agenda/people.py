"""Speaker paragraphs -> Person records: split run-together entries, then split each entry.

Agendas of this genre run several speakers together in one paragraph:
``Name, post, post, organisation, State (Marker) Name, post, ...``. A contribution marker
such as ``(Discours)`` ends an entry. Where it is missing, the next entry is found by the
shape of the text: a state name, or a parenthesis, followed by a person's name and a comma
(``... Sierra Leone Juan José Gómez Camacho, Ambassadeur ...``). A split found by the
shape of the name alone is reported as a warning, so a curator sees every guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from ..lexicon import Lexicon
from ..organizations import OrganizationIndex
from ..records import Person, Warning_
from ..states import StateIndex
from ..text import clean, fold, normalise_quotes

__all__ = ["parse_people", "split_fields"]

_MARKER = re.compile(r"\(([^()]*)\)")
_TOKEN = re.compile(r"\S+")
_INITIAL = re.compile(r"^[A-Z]\.(?:-?[A-Z]\.)*$")


def fold_aligned(text: str) -> str:
    """Fold character by character so that offsets in the result match *text*.

    >>> fold_aligned("Équateur") == "equateur"
    True
    """
    out = []
    for ch in normalise_quotes(text):
        f = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        f = f.casefold()
        out.append(f if len(f) == 1 else ch.lower()[:1] or ch)
    return "".join(out)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def split_fields(text: str, offset: int = 0) -> list[Span]:
    """Split at commas outside parentheses, keeping offsets.

    >>> [s.text for s in split_fields("Général de division (retraité), Directeur (a, b), Kenya")]
    ['Général de division (retraité)', 'Directeur (a, b)', 'Kenya']
    """
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        raw = text[a:b]
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        if stripped:
            out.append(Span(offset + a + lead, offset + a + lead + len(stripped), stripped))
    return out


class _Parser:
    def __init__(self, lex: Lexicon, states: StateIndex, orgs: OrganizationIndex, source: str, line: int):
        self.lex, self.states, self.orgs = lex, states, orgs
        self.source, self.line = source, line
        self.warnings: list[Warning_] = []
        self.of_preps = lex.all("of_prepositions")
        self.link_preps = lex.all("link_prepositions")

    def warn(self, code: str, message: str) -> None:
        self.warnings.append(Warning_(self.source, self.line, code, message))

    # ---- names -------------------------------------------------------------------------
    def _is_name_token(self, tok: str, first: bool, last: bool) -> bool:
        folded = fold(tok)
        if folded in self.lex.name_particles and tok[:1].islower():
            return not first and not last
        if last and folded in self.lex.name_suffixes:
            return not first
        if _INITIAL.match(tok):
            return True
        if any(part in self.lex.non_name_words for part in re.split(r"[-']", folded) if part):
            return False
        core = tok[2:] if folded.startswith("d'") else tok
        if not core or not core[0].isupper() or not core[0].isalpha():
            return False
        # all-capital words are acronyms (GMG, IMUMI), not names
        letters = [c for c in core if c.isalpha()]
        if len(letters) > 1 and all(c.isupper() for c in letters):
            return False
        return all(c.isalpha() or c in "-'." for c in core)

    def is_name(self, tokens: list[str]) -> bool:
        """Whether tokens form a person's name, honorifics allowed in front."""
        i = 0
        while i < len(tokens) and fold(tokens[i]) in self.lex.honorifics:
            i += 1
        name = tokens[i:]
        if not 2 <= len(name) <= 6:
            return False
        return all(self._is_name_token(t, k == 0, k == len(name) - 1) for k, t in enumerate(name))

    def ends_with_state(self, tokens: list[str]) -> bool:
        for n in range(min(len(tokens), self.states.max_tokens), 0, -1):
            if self.states.lookup(" ".join(tokens[-n:])):
                return True
        return False

    # ---- splitting run-together entries ------------------------------------------------
    def _boundary(self, field: Span) -> int | None:
        """Offset in the field where the next person's name starts, or None."""
        toks = list(_TOKEN.finditer(field.text))
        words = [t.group() for t in toks]
        weak = None
        for k in range(1, len(words) - 1):
            left, right = words[:k], words[k:]
            if not self.is_name(right):
                continue
            if self.ends_with_state(left) or left[-1].endswith(")"):
                return toks[k].start()
            if weak is None:
                weak = k
        if weak is not None:
            k = weak
            self.warn(
                "boundary-guessed",
                f"speaker entry with no contribution marker; split before "
                f"'{' '.join(words[k:])}' after '{' '.join(words[max(0, k - 3) : k])}' "
                "by the shape of the name: check it",
            )
            return toks[k].start()
        return None

    def iter_entries(self, text: str) -> Iterator[tuple[str, str | None]]:
        """Yield (entry text, contribution kind) for each person in a paragraph."""
        chunks: list[tuple[int, int, str | None]] = []
        start = 0
        for m in _MARKER.finditer(text):
            kind = self.lex.contribution_markers.get(fold(m.group(1)))
            if kind:
                chunks.append((start, m.start(), kind))
                start = m.end()
        if text[start:].strip():
            chunks.append((start, len(text), None))
        for a, b, kind in chunks:
            chunk = text[a:b]
            fields = split_fields(chunk)
            cuts = [0]
            # field 0 starts with a name; a later field may hold the end of one entry and the
            # name of the next, but only if another field follows it (a name is followed by ",").
            for field in fields[1:-1]:
                cut = self._boundary(field)
                if cut is not None:
                    cuts.append(field.start + cut)
            cuts.append(len(chunk))
            pieces = [chunk[x:y].strip().rstrip(",").strip() for x, y in zip(cuts, cuts[1:])]
            for i, piece in enumerate(pieces):
                if piece:
                    yield piece, (kind if i == len(pieces) - 1 else None)

    # ---- one entry ---------------------------------------------------------------------
    def _starts_with(self, folded: str, heads: tuple[str, ...]) -> str | None:
        for head in heads:
            if folded.startswith(head) and (len(folded) == len(head) or not folded[len(head)].isalnum()):
                return head
        return None

    def _after_prep(self, folded: str, pos: int) -> int | None:
        """If a link preposition starts at pos, the offset after it."""
        for prep in self.link_preps:
            end = pos + len(prep)
            if folded.startswith(prep, pos) and (
                prep.endswith("'") or end == len(folded) or folded[end] == " "
            ):
                return end if prep.endswith("'") else end + 1
        return None

    def _state_at(self, text: str, pos: int) -> str | None:
        tail = text[pos:].split()
        for n in range(min(len(tail), self.states.max_tokens), 0, -1):
            st = self.states.lookup(" ".join(tail[:n]).rstrip(",;"))
            if st:
                return st.alpha_3
        return None

    def embedded(self, post: str) -> tuple[str | None, str | None]:
        """(organisation, state) a post names after its head: ``Directeur général de l'OIM``.

        Follows chains of posts (``Représentant du Président du Groupe ...``) and stops at the
        first complement that is neither a post, an organisation nor a state.
        """
        folded = fold_aligned(post)
        pos = 0
        for _ in range(6):
            # find the next link preposition at a word start
            m = None
            for w in re.finditer(r"(?:(?<=\s)|^)\S", folded[pos:]):
                at = pos + w.start()
                if at == 0:
                    continue
                after = self._after_prep(folded, at)
                if after is not None:
                    m = after
                    break
            if m is None:
                return None, None
            rest = folded[m:]
            state = self._state_at(post, m)
            if state:
                return None, state
            if self._starts_with(rest, self.lex.post_heads):
                pos = m
                continue
            if self._starts_with(rest, self.lex.org_heads) or self.orgs.starts_with_known(rest):
                org = post[m:]
                cut = re.search(r"\s(aupres d|to the |at the )", fold_aligned(org))
                if cut:
                    org = org[: cut.start()]
                return clean(org), None
            return None, None
        return None, None

    def represented_state(self, text: str) -> str | None:
        """First state named after an 'of' preposition: ``Représentant permanent du Mexique``."""
        folded = fold_aligned(text)
        for w in re.finditer(r"(?:(?<=\s)|(?<=')|^)\S", folded):
            for prep in self.of_preps:
                at = w.start()
                if folded.startswith(prep, at) and (at == 0 or folded[at - 1] == " "):
                    after = at + len(prep) + (0 if prep.endswith("'") else 1)
                    if not prep.endswith("'") and folded[at + len(prep) : at + len(prep) + 1] != " ":
                        continue
                    state = self._state_at(text, after)
                    if state:
                        return state
        return None

    def parse_entry(self, entry: str, contribution: str | None) -> Person:
        fields = split_fields(entry)
        # a field starting in lower case continues the previous one: titles hold commas
        # ("Ministre de l'immigration, des réfugiés et de la citoyenneté").
        merged: list[str] = []
        for f in fields:
            if merged and f.text[:1].islower():
                merged[-1] = f"{merged[-1]}, {f.text}"
            else:
                merged.append(f.text)
        name_tokens = merged[0].split()
        honorifics = []
        while len(name_tokens) > 1 and fold(name_tokens[0]) in self.lex.honorifics:
            honorifics.append(name_tokens.pop(0))
        name = " ".join(name_tokens)
        if not self.is_name(name_tokens):
            self.warn("name-shape", f"'{name}' does not look like a person's name: check the entry '{entry}'")
        posts: list[str] = []
        orgs: list[str] = []
        post_org: list[int | str | None] = []  # index into orgs, "next", or None
        bare_state = None
        last = "name"  # kind of the previous field
        for field in merged[1:]:
            folded = fold(field)
            last, was = "other", last
            if folded in self.lex.honorifics:
                honorifics.append(field)
                continue
            st = self.states.lookup(field)
            if st:
                bare_state = st.alpha_3
                continue
            if folded in self.lex.places:
                continue
            if self._starts_with(folded, self.lex.post_heads):
                posts.append(field)
                org, _ = self.embedded(field)
                if org is None:
                    known = self.orgs.by_pattern(field)
                    org = (
                        known.name_fr
                        if known and self._lang_fr(field)
                        else (known.name_en if known else None)
                    )
                if org is not None:
                    if org not in orgs:
                        orgs.append(org)
                    post_org.append(orgs.index(org))
                else:
                    post_org.append("next")
                last = "post"
                continue
            if (
                was == "post"
                and not self._starts_with(folded, self.lex.org_heads)
                and not self.orgs.lookup(field)
                and re.search(r"\b(and|et|&)\b", folded)
            ):
                # an English title lists portfolios after a comma, capitalised:
                # "Minister of Labour, Social Security and Migration"
                posts[-1] = f"{posts[-1]}, {field}"
                last = "post"
                continue
            if field not in orgs:
                orgs.append(field)
        # a post without its own organisation is in the next organisation field, else the previous
        resolved: list[int | None] = []
        for post, link in zip(posts, post_org):
            resolved.append(self._neighbour_org(entry, post, orgs) if link == "next" else link)  # type: ignore[arg-type]
        state = bare_state
        if state is None:
            for field in merged[1:]:
                state = self.represented_state(field)
                if state:
                    break
        return Person(
            name=name,
            honorific=" ".join(honorifics) or None,
            posts=tuple(posts),
            organizations=tuple(orgs),
            state=state,
            contribution=contribution,
            text=entry,
            line=self.line,
            post_organizations=tuple(resolved),
        )

    @staticmethod
    def _lang_fr(text: str) -> bool:
        return bool(re.search(r"\b(du|des|de la|de l'|aupres)\b", fold(text)))

    @staticmethod
    def _neighbour_org(entry: str, post: str, orgs: list[str]) -> int | None:
        if not orgs:
            return None
        p = entry.find(post)
        positions = [(entry.find(o), i) for i, o in enumerate(orgs)]
        later = [i for pos, i in sorted(positions) if pos > p]
        earlier = [i for pos, i in sorted(positions) if 0 <= pos < p]
        if later:
            return later[0]
        if earlier:
            return earlier[-1]
        return None


def parse_people(
    text: str, line: int, lex: Lexicon, states: StateIndex, orgs: OrganizationIndex, source: str
) -> tuple[list[Person], list[Warning_]]:
    """Parse a paragraph of one or more speaker entries.

    Returns the people in order and the warnings raised while splitting them.
    """
    parser = _Parser(lex, states, orgs, source, line)
    # parse the text as written, so that every string kept (name, posts, verbatim entry) is
    # the agenda's own; matching folds on the fly (fold_aligned keeps offsets).
    text = text.strip()
    people = [parser.parse_entry(entry, kind) for entry, kind in parser.iter_entries(text)]
    return people, parser.warnings
