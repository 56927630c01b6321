"""Speaker text -> Person records: split run-together entries, then read each entry's parts.

Agendas of this genre run several people together: ``Name, post, organisation, State (Marker)
Name, post ...``; separate them with ``;`` or ``, and``; join two moderators with ``and``; put a
talk title before a person (``Keynote on ... – Ms. X, Mayor of Y``) or after their post
(``Jane Roe, Special Adviser. Priorities for next year``); say ``X, ..., delivered by Y, ...``.
An entry ends at a contribution marker (``(Discours)``, ``(Keynote address | Video)``), at ``;``,
at ``and`` before a new name, or where a state, a closing parenthesis or a known organisation is
followed by a name. A split found by the shape of a name alone is reported as a warning, so a
curator sees every guess; a split that would make a person out of the words of a post, an
organisation or a place is refused (see ``names``).

Who speaks for a state: ``state`` is set only for a member of a government, parliament, mission
or public service (by the organisation's type or the post's words), or someone said to speak on
a state's behalf; ``country`` is the country named for the person or their organisation, for
everyone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ..lexicon import Lexicon
from ..organizations import OrganizationIndex
from ..records import Person, Warning_, moved
from ..states import StateIndex
from ..text import clean, fold, fold_aligned
from .names import NameModel, NameShape, repair_spacing

__all__ = ["PeopleReader", "Reading", "split_fields"]

_PAREN = re.compile(r"\(([^()]*)\)")
_TOKEN = re.compile(r"\S+")
_SENTENCE = re.compile(r"(?<=[a-z\u00e0-\u00ff)\]])\.\s+(?=[A-Z\u00c0-\u00de\u00ab\"'\u201c])")
_ARTICLE = re.compile(r"^(?:the|le|la|les|el|los|las|l')\s*", re.IGNORECASE)
_DASH_SPLIT = re.compile(r"\s+[-\u2013\u2014]\s+|\s*:\s+")


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
    if "(" not in text:
        out, start = [], 0
        for part in text.split(","):
            stripped = part.strip()
            if stripped:
                lead = len(part) - len(part.lstrip())
                out.append(Span(offset + start + lead, offset + start + lead + len(stripped), stripped))
            start += len(part) + 1
        return out
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


_PARENTHESIS = re.compile(r"[()]")
_MARKER_PARTS = re.compile(r"[|/;]")


def _top_level(text: str, pattern: re.Pattern) -> Iterator[re.Match]:
    """Matches of pattern outside parentheses."""
    if "(" not in text:
        yield from pattern.finditer(text)
        return
    # the depth before each match, from the parentheses before it (a stray ")" never goes below 0)
    parens = [(m.start(), m.group()) for m in _PARENTHESIS.finditer(text)]
    depth, seen = 0, 0
    for m in pattern.finditer(text):
        while seen < len(parens) and parens[seen][0] < m.start():
            depth = depth + 1 if parens[seen][1] == "(" else max(0, depth - 1)
            seen += 1
        if depth == 0:
            yield m


_TWO_PARTS = re.compile(r"\s+(?:and|et|y|&)\s+(?=[A-ZÀ-Þ])")
_CONJ = re.compile(r"\b(?:and|et|y|&)\b")
_LOCATION = re.compile(r"(.*?)\s*\(([^()]*)\)")


@dataclass(frozen=True)
class _Facts:
    """One field of an entry, read on its own: what it is and what it names."""

    text: str
    talk: str | None = None  # a talk title after the field's first sentence
    kind: str = "other"  # honorific | delivery | behalf | state | place | other
    value: str | None = None  # the delivery mode or the state
    head: str = ""  # the field without a second post joined to it by "and"
    rest: str | None = None  # that second post
    conj: bool = False
    is_post: bool = False
    post_org: str | None = None  # the organisation a post names
    served: str | None = None  # the state a post serves
    orgish: bool = False
    location: tuple[str, ...] = ()  # states of a "(Bonn, Germany)" location
    unlocated: str = ""  # the field without that location


@dataclass
class Reading:
    """What a speaker text gave: people in order, texts that are not people, warnings."""

    people: list[Person] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)


@dataclass
class _Markers:
    contribution: str | None = None
    label: str | None = None
    delivery: str | None = None


def _memo(method):
    """Keep a method's answer per argument: posts, organisations and places recur in every agenda."""
    name = f"_memo_{method.__name__}"

    def wrapper(self, text: str):
        table = self.__dict__.setdefault(name, {})
        if text not in table:
            if len(table) > 100_000:
                table.clear()
            table[text] = method(self, text)
        return table[text]

    wrapper.__doc__, wrapper.__name__ = method.__doc__, method.__name__
    return wrapper


class PeopleReader:
    """Reads speaker texts with the lexicon, the states and the known organisations."""

    def __init__(
        self, lex: Lexicon, states: StateIndex, orgs: OrganizationIndex, names: NameModel | None = None
    ):
        self.lex, self.states, self.orgs = lex, states, orgs
        self.names = names or NameModel(lex, states, orgs)
        self.contributions = lex.phrase_map("contributions")
        self.delivery = lex.phrase_map("delivery")
        self.links = frozenset(lex.all("link_labels"))
        self.of_preps = lex.all("of_prepositions")
        self.link_preps = lex.all("link_prepositions")
        self.to_preps = lex.all("to_prepositions")
        self.conjunctions = lex.all("conjunctions")
        words = "|".join(re.escape(c) for c in self.conjunctions if c != "&")
        self._conj = re.compile(rf"(,\s*|\s+)(?:{words}|&)\s+", re.IGNORECASE)
        self._delivered = re.compile(
            r",?\s+(?:" + "|".join(re.escape(p) for p in lex.all("delivered_by")) + r")\s+", re.IGNORECASE
        )
        self._behalf = tuple(lex.all("on_behalf_of"))
        self._function = frozenset(
            {
                "of",
                "the",
                "and",
                "for",
                "on",
                "in",
                "to",
                "at",
                "with",
                "de",
                "du",
                "des",
                "la",
                "le",
                "les",
                "l'",
                "d'",
                "et",
                "pour",
                "sur",
                "en",
                "a",
                "au",
                "aux",
                "y",
                "del",
                "los",
                "las",
                "el",
                "para",
                "sobre",
                "con",
                "por",
                "ante",
                "&",
            }
        )
        self.state_posts = lex.state_posts
        self.non_state_posts = lex.non_state_posts
        self._notes: list[tuple[str, str]] = []  # warnings raised inside entry(), collected by read()
        self._head_patterns: dict[int, re.Pattern] = {}
        self._entries: dict[tuple, tuple[Person | str, tuple]] = {}
        self._readings: dict[tuple, tuple] = {}
        self._link_prep = self._prep_pattern(self.link_preps)
        self._leading_conj = re.compile(
            rf"^(?:{'|'.join(re.escape(c) for c in self.conjunctions)})\s+", re.IGNORECASE
        )
        self._to_prep = re.compile(
            r"\s(?:" + "|".join(re.escape(p) for p in self.to_preps if len(p) > 2) + r")\s"
        )
        phrases = "|".join(re.escape(h) for h in lex.org_heads if " " in h)
        self._org_phrase = re.compile(rf"(?:^|\s)(?:{phrases})(?:$|\s)")
        self._mayor = re.compile(r"\b(?:mayor|maire|alcalde|alcaldesa)\b")
        self._state_post = re.compile(
            r"(?:^|[\s-])(?:" + "|".join(re.escape(h) for h in self.state_posts) + r")(?:$|[\s,.-])"
        )
        links = "|".join(re.escape(x) for x in sorted(self.links, key=len, reverse=True))
        self._link_prefix = re.compile(rf"(?:{links})\s*[-:\u2013]\s+")
        self._contribution_phrases = sorted(lex.phrase_map("contributions").items(), key=lambda t: -len(t[0]))
        self._org_words = frozenset(h for h in lex.org_heads if " " not in h) | {
            "division",
            "section",
            "unit",
            "branch",
            "team",
            "board",
            "bureau",
            "secretariat",
            "directorate",
            "society",
            "centre",
            "center",
            "council",
            "network",
            "foundation",
            "institute",
            "university",
        }
        self._post_words = frozenset(h for h in lex.post_heads if " " not in h and len(h) > 3) - {
            "general",
            "generale",
            "premier",
            "premiere",
            "senior",
            "junior",
            "acting",
            "former",
            "interim",
            "deuxieme",
            "first",
            "vice",
            "deputy",
            "assistant",
            "executive",
            "honorary",
            "alternate",
            "lead",
        }

    # ================================================================== markers
    def _marker(self, inner: str) -> _Markers | None:
        """What a parenthesis says if it only holds contribution, delivery or link words, else None.

        ``(Statement)``, ``(Keynote address | Video)``, ``(by video message)``, ``(Bio)``."""
        parts = [p.strip() for p in _MARKER_PARTS.split(inner) if p.strip()]
        if not parts:
            return None
        found = _Markers()
        for part in parts:
            key = fold(part).strip(" .:")
            if key in self.contributions and found.contribution is None:
                found.contribution, found.label = self.contributions[key], part
                if key in self.delivery:
                    found.delivery = self.delivery[key]  # "(video message)": what and how
            elif key in self.delivery or (
                key.startswith(("by ", "par ", "por ", "via ")) and key.split(" ", 1)[1] in self.delivery
            ):
                found.delivery = self.delivery.get(key) or self.delivery[key.split(" ", 1)[1]]
            elif key in self.links:
                continue
            else:
                return None
        return found

    def _chunks(self, text: str) -> list[tuple[str, _Markers]]:
        """Cut the text after each marker parenthesis; link labels go, markers stay with their entry."""
        chunks: list[tuple[str, _Markers]] = []
        start, pending = 0, _Markers()
        last_end = 0
        pieces: list[str] = []
        for m in _PAREN.finditer(text):
            markers = self._marker(m.group(1))
            if markers is None:
                continue
            pieces.append(text[last_end : m.start()])
            last_end = m.end()
            if markers.contribution is None and markers.delivery is None:
                continue  # a link label: drop it, the entry goes on
            pending = _Markers(
                markers.contribution or pending.contribution,
                markers.label or pending.label,
                markers.delivery or pending.delivery,
            )
            chunks.append((" ".join(pieces), pending))
            pieces, pending = [], _Markers()
            start = m.end()
        tail = " ".join(pieces + [text[last_end:]])
        if clean(tail):
            chunks.append((tail, pending))
        del start
        return [(clean(c), mk) for c, mk in chunks if clean(c) or mk.contribution or mk.delivery]

    # ================================================================== splitting
    def _strip_links(self, text: str) -> str:
        """Link labels at the start of an entry (``biografía - Emb. Ana Sol``) or as a last word."""
        m = self._link_prefix.match(fold_aligned(text))
        return text[m.end() :].strip() if m else text

    def _name_start(self, text: str, strict: bool = True) -> int | None:
        """Length of the name (with honorifics) text starts with, when a comma or the end follows it."""
        first = split_fields(text)
        if not first:
            return None
        head = first[0].text
        if self.names.shape(head, strict=strict):
            return first[0].end
        return None

    def _split_conjunctions(self, text: str) -> list[str]:
        """``A, post, and B, post`` / ``H.E. A ... and H.E. B ...`` / ``Ann Lee and Bob Ray``."""
        out, start = [], 0
        for m in _top_level(text, self._conj):
            left, right = text[start : m.start()], text[m.end() :]
            if not left.strip() or not right.strip():
                continue
            tokens = right.split()
            hons, rest = self.names.take_honorifics(tokens)
            right_field = split_fields(right)[0].text
            if hons and rest and self.names.shape(right_field, strict=False):
                pass
            elif self.names.shape(right_field, strict=True):
                left_fields = split_fields(left)
                if not (len(left_fields) > 1 or self.names.shape(left.strip(), strict=True)):
                    continue
                if fold(left.split()[-1]) in self._function:
                    continue
            else:
                continue
            out.append(text[start : m.start()])
            start = m.end()
        out.append(text[start:])
        return [clean(x) for x in out if clean(x)]

    def _ends_with_state(self, words: list[str]) -> bool:
        for n in range(min(len(words), self.states.max_tokens), 0, -1):
            if self.states.lookup(" ".join(words[-n:]).strip(",;.")):
                return True
        return False

    def _ends_with_known(self, words: list[str]) -> bool:
        """The words end with a known organisation's acronym or name, or a place."""
        for n in range(min(len(words), 8), 0, -1):
            tail = " ".join(words[-n:]).strip(",;.")
            if self.orgs.lookup(tail) or fold(tail) in self.lex.places:
                return True
        return False

    def _next_field_is_entry_part(self, fields: list, i: int) -> bool:
        """The field after a candidate name reads as the rest of an entry: a post, an honorific,
        an organisation or a state."""
        if i + 1 >= len(fields):
            return False
        nxt = fields[i + 1].text
        folded = fold(_ARTICLE.sub("", nxt))
        return bool(
            self.is_post(nxt)
            or self.names.is_honorific(nxt)
            or self._starts_with(folded, self.lex.org_heads)
            or self.orgs.lookup(nxt)
            or self.states.lookup(nxt)
        )

    def _can_close_entry(self, left: list[str]) -> bool:
        """The words of a field before a guessed name can end the previous entry: not a lone word
        that may open a longer name ("Fondation" of "Fondation Terre d'Asile", "Hellenic" of
        "Hellenic Coast Guard"), unless it is an acronym."""
        return len(left) >= 2 or (left[0].isupper() and len(left[0]) >= 2)

    def _boundaries(self, text: str, warnings: list[tuple[str, str]]) -> list[str]:
        """Cut an entry where a field holds the end of one person and the name of the next."""
        fields = split_fields(text)
        cuts = [0]
        for i, fld in enumerate(fields):
            if i == 0:
                continue
            toks = list(_TOKEN.finditer(fld.text))
            words = [t.group() for t in toks]
            if len(words) < 2 or not self.names.can_end_name(words[-1]):
                continue
            follows = self._next_field_is_entry_part(fields, i)
            strong = weak = doubted = None
            # a name has at most seven words, after at most a few of honorifics
            for k in range(max(1, len(words) - 11), len(words)):
                right = words[k:]
                hons, rest = self.names.take_honorifics(right)
                if not rest:
                    continue
                strict = self.names.is_name(rest, strict=True)
                if not (strict or (follows and self.names.is_name(rest, strict=False))):
                    continue
                left = words[:k]
                if left[-1].endswith(")") or self._ends_with_state(left) or self._ends_with_known(left):
                    strong = k
                    break
                if (
                    weak is None
                    and follows
                    and strict
                    and (hons or len(rest) >= 2)
                    and fold(left[-1]) not in self._function
                ):
                    if self._can_close_entry(left):
                        weak = k
                    elif doubted is None:
                        doubted = k
            k = strong if strong is not None else weak
            if k is None:
                if doubted is not None:
                    warnings.append(
                        (
                            "boundary-doubted",
                            f"kept '{fld.text}' as one field; '{' '.join(words[doubted:])}' may be the "
                            "name of another person: check it",
                        )
                    )
                continue
            if strong is None:
                warnings.append(
                    (
                        "boundary-guessed",
                        f"speaker entry with no contribution marker; split before "
                        f"'{' '.join(words[k:])}' after '{' '.join(words[max(0, k - 3) : k])}' "
                        "by the shape of the name: check it",
                    )
                )
            cuts.append(fld.start + toks[k].start())
        cuts.append(len(text))
        return [clean(text[a:b]).rstrip(",").strip() for a, b in zip(cuts, cuts[1:]) if clean(text[a:b])]

    # ================================================================== one entry
    def _starts_with(self, folded: str, heads: tuple[str, ...]) -> str | None:
        """The head (a phrase of the list, longest first) folded text starts with, as whole words."""
        pattern = self._head_patterns.get(id(heads))
        if pattern is None:
            alts = "|".join(re.escape(h) + ("" if h.endswith(("'", "-")) else r"(?![^\W_])") for h in heads)
            pattern = self._head_patterns[id(heads)] = re.compile(f"(?:{alts})")
        m = pattern.match(folded)
        return m.group(0) if m else None

    @staticmethod
    def _prep_pattern(preps: tuple[str, ...]) -> re.Pattern:
        """Prepositions at a word start, followed by a space (or ending in an apostrophe)."""
        alts = "|".join(re.escape(p) + ("" if p.endswith("'") else " ") for p in preps)
        return re.compile(rf"(?<=\s)(?:{alts})")

    def _after_prep(self, folded: str, pos: int, preps: tuple[str, ...]) -> int | None:
        for prep in preps:
            end = pos + len(prep)
            if folded.startswith(prep, pos) and (
                prep.endswith("'") or end == len(folded) or folded[end] == " "
            ):
                return end if prep.endswith("'") else end + 1
        return None

    def _state_at(self, text: str, pos: int, whole: bool = True) -> str | None:
        """The state named at pos; with ``whole``, only if what follows ends the phrase (so the
        Kenya of "Kenya Red Cross" is not a state)."""
        tail = text[pos:].split()
        for n in range(min(len(tail), self.states.max_tokens), 0, -1):
            st = self.states.lookup(" ".join(tail[:n]).rstrip(",;.)"))
            if not st:
                continue
            if whole and n < len(tail):
                after = fold(" ".join(tail[n:]))
                if not (
                    tail[n - 1].endswith((",", ";", ")"))
                    or after.startswith(("(", "-", "\u2013", ","))
                    or self._after_prep(after, 0, self.to_preps + self.link_preps + ("for", "pour", "para"))
                    or after.split()[0] in self.conjunctions
                ):
                    continue
            return st.alpha_3
        return None

    @_memo
    def embedded(self, post: str) -> tuple[str | None, str | None]:
        """(organisation, state) a post names after its head: ``Directeur général de l'OIM``,
        ``Représentant permanent du Mexique``. Follows chains of posts (``Représentant du Président
        du Groupe ...``) and stops at the first complement that is neither a post, an organisation
        nor a state."""
        folded = fold_aligned(post)
        pos = 0
        for _ in range(8):
            # the next link preposition at a word start after pos ("de l'", "of the", "auprès du")
            m = self._link_prep.search(folded, pos + 1)
            if m is None:
                return None, None
            after = m.end()
            rest = folded[after:]
            state = self._state_at(post, after)
            if state:
                return None, state
            if self._starts_with(_ARTICLE.sub("", rest), self.lex.post_heads):
                pos = after
                continue
            if self._starts_with(rest, self.lex.org_heads) or self.orgs.starts_with_known(rest):
                org = post[after:]
                cut = self._to_prep.search(fold_aligned(org))
                if cut:
                    org = org[: cut.start()]
                org = clean(org)
                if len(org.split()) == 1 and not self.orgs.lookup(org):
                    return None, self._trailing_state(
                        post
                    )  # "President of the Union": no name, no organisation
                return org, None
            return None, self._trailing_state(post)
        return None, None

    @_memo
    def _trailing_state(self, post: str) -> str | None:
        """The state a post ends with after "of" when nothing between names an organisation:
        "Minister of Foreign Affairs of Portugal" (not "President of the Red Cross of Poland")."""
        state = self._org_country(post)
        if state is None:
            return None
        folded = fold_aligned(post)
        cut = (
            max(m.start() for m in re.finditer(r"\s(?:of|de|du|des|del)\s", " " + folded))
            if re.search(r"\s(?:of|de|du|des|del)\s", " " + folded)
            else 0
        )
        middle = folded[:cut]
        if any(
            re.search(rf"(?:^|\s){re.escape(h)}(?:$|\s)", middle) for h in self.lex.org_heads if " " in h
        ) or any(w in self._org_words for w in re.findall(r"[a-z]+", middle)):
            return None
        return state

    @_memo
    def _org_country(self, org: str) -> str | None:
        """The country an organisation's name ends with: ``Ministry of Justice of Kenya``,
        ``Département d'Etat des Etats-Unis d'Amérique``, ``Immigration, Réfugiés et Citoyenneté Canada``."""
        folded = fold_aligned(org)
        words = org.replace(",", " ").split()
        for n in range(min(len(words) - 1, self.states.max_tokens), 0, -1):
            st = self.states.lookup(" ".join(words[-n:]).strip(".)"))
            if st and len(words) > n:
                return st.alpha_3
        best = None
        for w in re.finditer(r"(?:(?<=\s)|(?<=')|^)\S", folded):
            after = self._after_prep(folded, w.start(), self.of_preps) if w.start() else None
            if after is None:
                continue
            state = self._state_at(org, after)
            if state:
                best = state
        return best

    @_memo
    def _post_class(self, post: str) -> str | None:
        """state | non-state | None: what a post's words say of whom its holder speaks for."""
        folded = fold(post)
        if self._starts_with(folded, self.non_state_posts) or self._mayor.search(folded):
            return "non-state"
        return "state" if self._state_post.search(folded) else None

    @_memo
    def is_post(self, text: str) -> bool:
        """A post: it starts with a post word ("Director of ...", "Minister for ..."), or one of its
        first words is one and no organisation word comes first ("National Director of Public
        Health", "Joint Secretary", "Federal Minister for ...").

        >>> from idmgraph.lexicon import load_lexicon
        >>> from idmgraph.states import load_states
        >>> from idmgraph.organizations import load_organizations
        >>> r = PeopleReader(load_lexicon(), load_states(), load_organizations())
        >>> r.is_post("National Director of Public Health"), r.is_post("National Institute of Statistics")
        (True, False)
        """
        folded = fold(_ARTICLE.sub("", text))
        if self._starts_with(folded, self.lex.post_heads):
            return True
        if self._starts_with(folded, self.lex.org_heads):
            return False
        # the leading noun phrase's last word is its head in English: "Civil Society Coordinator"
        # is a post, "Civil Society Network" an organisation
        phrase = re.split(
            r"\s+(?:of|for|to|at|on|in|with|de|du|des|pour|para|del|en|y|and|et|&)\s+|,", folded
        )[0].split()
        if phrase and len(phrase) <= 5:
            if phrase[-1] in self._post_words:
                return True
            if self._starts_with(phrase[-1], self.lex.org_heads):
                return False
        for word in re.split(r"[\s,]+", folded)[:3]:
            if self._starts_with(word, self.lex.org_heads):
                return False
            if word in self._post_words:
                return True
        return False

    def _split_sentence(self, text: str) -> tuple[str, str | None]:
        """``Special Adviser. Priorities for next year`` -> (post, talk title)."""
        for m in _SENTENCE.finditer(text):
            before = text[: m.start()].split()[-1] if text[: m.start()].split() else ""
            if len(before) <= 3 and before[:1].isupper():
                continue  # an abbreviation: "Dept.", "St."
            return text[: m.start()].strip(), text[m.end() :].strip()
        return text, None

    def _talk_prefix(self, text: str) -> tuple[str | None, str]:
        """``Keynote on ... – Ms. X, Mayor of Y`` -> (talk title, person entry)."""
        for m in _top_level(text, _DASH_SPLIT):
            left, right = text[: m.start()].strip(), text[m.end() :].strip()
            if not left or not right:
                continue
            if self.names.shape(left, strict=False) or split_fields(left)[1:]:
                return None, text  # the left part is a person or an entry already
            if self._name_start(right, strict=True) is not None or (
                self.names.take_honorifics(right.split())[0] and self._name_start(right, strict=False)
            ):
                return left, right
        return None, text

    def entry(
        self, text: str, markers: _Markers, role: str, line: int, page: int | None, force: bool = False
    ) -> Person | str:
        """One entry -> a Person, or the text back when it is not a person (``force``: a curator
        says it is one, so its first field is the name whatever its shape).

        Entries recur (a moderator who speaks again, a director at every workshop): the reading
        of a text is kept and only its place (line, page) changes."""
        key = (text, markers.contribution, markers.label, markers.delivery, role, force)
        hit = self._entries.get(key)
        if hit is None:
            notes_before = len(self._notes)
            hit = self._entries[key] = (
                self._entry(text, markers, role, force),
                tuple(self._notes[notes_before:]),
            )
            if len(self._entries) > 50_000:
                self._entries.clear()
        else:
            self._notes.extend(hit[1])
        person = hit[0]
        return moved(person, line=line, page=page) if isinstance(person, Person) else person

    def _entry(self, text: str, markers: _Markers, role: str, force: bool) -> Person | str:
        talk, text = self._talk_prefix(text)
        fields = [f.text for f in split_fields(text)]
        # "Dr. A (post, org)": a parenthesis after the name holds the entry's fields
        m = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", fields[0]) if fields else None
        if m and self.names.shape(m.group(1), strict=False) and not self.states.lookup(m.group(2)):
            inner = [f.text for f in split_fields(m.group(2))]
            if not (len(inner) == 1 and re.fullmatch(r"[A-Z][A-Za-z.\-]{1,10}", inner[0])):
                fields = [m.group(1)] + inner + fields[1:]
        merged: list[str] = []
        for f in fields:
            stripped = _ARTICLE.sub("", f)
            starts_post = self.is_post(stripped)
            if merged and f[:1].islower() and not starts_post and not self._is_delivery(f):
                merged[-1] = f"{merged[-1]}, {f}"
            else:
                merged.append(stripped if starts_post and stripped != f else f)
        if not merged:
            return text
        name_field = merged[0]
        tokens = name_field.split()
        hons, rest = self.names.take_honorifics(tokens)
        supported = len(merged) > 1 and (
            self.is_post(merged[1]) or self.names.is_honorific(merged[1]) or bool(hons)
        )
        shape = self.names.shape(name_field, strict=True) or (
            self.names.shape(name_field, strict=False) if supported else None
        )
        doubted = None
        if shape is None and hons and rest and self.names.plausible(rest, self.names.courtesy(hons)):
            # an honorific says a person follows, even where the words are also post or place words
            shape = NameShape(tuple(hons), tuple(rest))
            doubted = (
                f"'{' '.join(rest)}' is read as a name after '{' '.join(hons)}', "
                "though its words are unusual for one"
            )
        if shape is None and not force:
            return text
        name = " ".join(shape.tokens) if shape else " ".join(rest or tokens)
        honorifics = list(shape.honorifics) if shape else hons
        posts: list[str] = []
        orgs: list[str] = []
        post_org: list[int | str | None] = []
        countries: list[str] = []
        behalf_state = None
        delivery = markers.delivery
        contribution, contribution_label = markers.contribution, markers.label
        if talk:
            # "Keynote on ... – Ms. X": the talk title names the contribution
            kind = next(
                (k for ph, k in self._contribution_phrases if re.match(rf"{re.escape(ph)}\b", fold(talk))),
                None,
            )
            if kind and contribution in (None, "video-message"):
                contribution, contribution_label = kind, talk
        last = "name"
        chained = None  # the state a post names as the one it serves
        queue = list(merged[1:])
        while queue:
            f = self._facts(queue.pop(0))
            if f.talk:
                # "Director, Population Division. Migration trends and data gaps": a talk title
                # ends the entry, commas and all
                talk = talk or ", ".join([f.talk, *queue]).rstrip(".")
                queue.clear()
            if not f.text:
                continue
            was, last = last, "other"
            if f.kind == "honorific":
                honorifics.append(f.text)
                continue
            if f.kind == "delivery":
                delivery = f.value
                continue
            if f.kind == "behalf":
                behalf_state = f.value
                continue
            if f.kind == "state":
                countries.append(f.value)  # type: ignore[arg-type]
                continue
            if f.kind == "place":
                continue
            if f.rest:
                queue.insert(0, f.rest)  # "Some Foundation and President of the Red Cross"
            fld = f.head
            if f.is_post:
                posts.append(fld)
                chained = chained or f.served
                org = f.post_org
                if org is not None:
                    if org not in orgs:
                        orgs.append(org)
                    post_org.append(orgs.index(org))
                else:
                    post_org.append("next")
                last = "post"
                continue
            if f.conj and was in ("post", "org") and not f.orgish and fld[:1].isupper():
                # a title or a ministry lists portfolios after a comma, capitalised:
                # "Minister of Labour, Social Security and Migration", "Ministry of Environment,
                # Forest and Climate Change"
                if was == "post":
                    posts[-1] = f"{posts[-1]}, {fld}"
                else:
                    orgs[-1] = f"{orgs[-1]}, {fld}"
                last = was
                continue
            if f.location:
                countries.extend(f.location)
                fld = f.unlocated
            if not f.orgish and queue and self._orgish(queue[0]):
                # "Prosecutor General, Office of the Attorney General": an unknown part before an
                # organisation is the post held in it
                posts.append(fld)
                post_org.append("next")
                last = "post"
                continue
            if fld and fld not in orgs:
                orgs.append(fld)
            last = "org"
        resolved: list[int | None] = []
        for post, link in zip(posts, post_org):
            resolved.append(self._neighbour_org(text, post, orgs) if link == "next" else link)  # type: ignore[arg-type]
        country, state = self._country_and_state(posts, orgs, countries, behalf_state, chained)
        if doubted:
            self._notes.append(("name-shape", doubted))
        return Person(
            name=name,
            honorific=" ".join(honorifics) or None,
            posts=tuple(posts),
            organizations=tuple(orgs),
            state=state,
            country=country,
            contribution=contribution,
            contribution_label=contribution_label,
            delivery=delivery,
            role=role,
            talk_title=talk,
            text=text,
            line=0,
            page=None,
            post_organizations=tuple(resolved),
        )

    @_memo
    def _orgish(self, text: str) -> bool:
        """Text that names an organisation: it starts with an organisation word, holds one
        ("Refugee Studies Centre"), or is a known name or acronym."""
        folded = fold(text)
        if (
            self._starts_with(folded, self.lex.org_heads)
            or self.orgs.lookup(text)
            or self.orgs.starts_with_known(folded)
        ):
            return True
        return any(w in self._org_words for w in re.findall(r"[a-z]+", folded))

    @_memo
    def _facts(self, raw: str) -> _Facts:
        """What one field of an entry is, apart from its neighbours (fields recur: a ministry, a
        post, a state are read once)."""
        raw = raw.strip()
        text = raw if raw.endswith(("Jr.", "Sr.")) else raw.rstrip(".").strip()
        text, talk = self._split_sentence(text)
        if not text:
            return _Facts(text, talk)
        folded = fold(text)
        if self.names.is_honorific(text):
            return _Facts(text, talk, "honorific")
        if self._is_delivery(text):
            return _Facts(text, talk, "delivery", self._delivery_of(text))
        behalf = self._behalf_of(text)
        if behalf:
            return _Facts(text, talk, "behalf", behalf)
        st = self.states.lookup(text)
        if st:
            return _Facts(text, talk, "state", st.alpha_3)
        if folded in self.lex.places:
            return _Facts(text, talk, "place")
        # one field, two parts: "Some Foundation and President of the Red Cross", "Embajador y
        # Director General de Asuntos X"
        head, rest = text, None
        two = _TWO_PARTS.split(text, maxsplit=1)
        if len(two) == 2 and self.is_post(two[1]):
            head, rest = two
        facts = _Facts(text, talk, "other", head=head, rest=rest, conj=bool(_CONJ.search(fold(head))))
        if self.is_post(head):
            org, served = self.embedded(head)
            if org is None:
                known = self.orgs.by_pattern(head)
                org = (known.name_fr if _lang_fr(head) else known.name_en) if known else None
            return replace(facts, is_post=True, post_org=org, served=served)
        inner = _LOCATION.fullmatch(head)
        location = tuple(self._location(inner.group(2))) if inner else ()
        unlocated = inner.group(1) if location else head
        return replace(facts, orgish=self._orgish(head), location=location, unlocated=unlocated)

    def _location(self, inner: str) -> list[str]:
        """``(Bonn, Germany)``: the states a parenthesised location names (empty if it is not one)."""
        parts = [p.strip() for p in inner.split(",") if p.strip()]
        found = [self.states.lookup(p) for p in parts]
        places = [fold(p) in self.lex.places for p in parts]
        if parts and all(f or pl for f, pl in zip(found, places)) and any(found):
            return [f.alpha_3 for f in found if f]
        return []

    def _is_delivery(self, text: str) -> bool:
        return self._delivery_of(text) is not None

    def _delivery_of(self, text: str) -> str | None:
        key = fold(text).strip(" .()")
        if key in self.delivery:
            return self.delivery[key]
        for lead in ("by ", "par ", "por ", "via ", "en "):
            if key.startswith(lead) and key[len(lead) :] in self.delivery:
                return self.delivery[key[len(lead) :]]
        return None

    def _behalf_of(self, text: str) -> str | None:
        folded = fold_aligned(text)
        for phrase in self._behalf:
            if folded.startswith(phrase + " "):
                rest = text[len(phrase) + 1 :]
                rest_f = fold(rest)
                for article in (
                    "the government of ",
                    "the ",
                    "el gobierno de ",
                    "le gouvernement de ",
                    "gouvernement de ",
                    "gobierno de ",
                    "la ",
                    "le ",
                    "l'",
                    "el ",
                ):
                    if rest_f.startswith(article):
                        rest = rest[len(article) :]
                        rest_f = rest_f[len(article) :]
                st = self.states.lookup(rest.strip())
                return st.alpha_3 if st else None
        return None

    def _org_type(self, org: str) -> str | None:
        known = self.orgs.lookup(org) or self.orgs.by_pattern(org)
        if known:
            return known.type
        return self.orgs.type_of(org)

    def _country_and_state(
        self,
        posts: list[str],
        orgs: list[str],
        countries: list[str],
        behalf: str | None,
        chained: str | None = None,
    ) -> tuple[str | None, str | None]:
        """(country, state): the country named for the person or their organisation, and the state
        they speak for, which is that country only for state actors. ``chained`` is the state the
        first post names as the one it serves ("Représentant permanent du Mexique")."""
        org_countries = []
        typed: list[str] = []
        for org in orgs:
            known = self.orgs.lookup(org) or self.orgs.by_pattern(org)
            c = (known.state or known.country) if known else self._org_country(org)
            if c:
                org_countries.append(c)
            t = known.type if known else self.orgs.type_of(org)
            if t:
                typed.append(t)
        country = (
            (countries[0] if countries else None) or chained or (org_countries[0] if org_countries else None)
        )
        if behalf:
            return country or behalf, behalf
        if country is None:
            return None, None
        classes = [self._post_class(p) for p in posts]
        # a post that names the state it serves: "Représentant permanent du Mexique", "Minister of
        # Foreign Affairs of Kenya" (a mayor's or a goodwill ambassador's post does not)
        if chained and "non-state" not in classes:
            return country, chained
        if any(t in ("national-government", "parliamentary") for t in typed):
            return country, country
        if typed:
            return country, None
        if "non-state" in classes and "state" not in classes:
            return country, None
        if "state" in classes:
            return country, country
        if orgs:
            return country, None  # an organisation we cannot type: its country is where it is
        return country, country

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

    # ================================================================== the whole text
    def read(
        self,
        text: str,
        line: int,
        source: str,
        role: str = "speaker",
        contribution: str | None = None,
        contribution_label: str | None = None,
        page: int | None = None,
    ) -> Reading:
        """Read a speaker text (one line or paragraph) into people, texts that are no one, warnings.

        A text read before (the same line in another session or agenda) is read again from memory,
        with this line's place."""
        key = (text, role, contribution, contribution_label)
        known = self._readings.get(key)
        if known is None:
            known = self._readings[key] = self._read(text, role, contribution, contribution_label)
            if len(self._readings) > 50_000:
                self._readings.clear()
        people, rejected, notes = known
        return Reading(
            [_placed(p, line, page) for p in people],
            list(rejected),
            [Warning_(source, line, code, message, page) for code, message in notes],
        )

    def _read(
        self, text: str, role: str, contribution: str | None, contribution_label: str | None
    ) -> tuple[tuple[Person, ...], tuple[str, ...], tuple[tuple[str, str], ...]]:
        line, page = 0, None
        reading = Reading()

        def warn(code: str, message: str) -> None:
            reading.warnings.append(Warning_("", None, code, message))

        text = repair_spacing(clean(text), self.lex.honorifics)
        contribution_label = contribution_label if contribution else None  # a role label is no contribution
        for chunk, markers in self._chunks(text):
            if contribution and markers.contribution is None:
                markers.contribution, markers.label = contribution, contribution_label
            pieces: list[tuple[str, str | None]] = []  # (entry, author of what it delivered)
            for part in chunk.split(";") if ";" in chunk else (chunk,):
                part = self._leading_conj.sub("", part.strip())  # "; and Bob Ray, ..."
                if not part:
                    continue
                m = next(_top_level(part, self._delivered), None)
                if m:
                    # "X, post, delivered by Y, post": one contribution, Y speaks, X wrote it
                    pieces.append((part[m.end() :], part[: m.start()]))
                    continue
                for piece in self._split_conjunctions(part):
                    notes: list[tuple[str, str]] = []
                    pieces.extend((p, None) for p in self._boundaries(piece, notes))
                    for code, note in notes:
                        warn(code, note)
            for i, (piece, author_text) in enumerate(pieces):
                mk = markers if i == len(pieces) - 1 else _Markers(contribution, contribution_label)
                piece = self._strip_links(piece)
                person = self.entry(piece, mk, role, line, page)
                if isinstance(person, str):
                    reading.rejected.append(person)
                    continue
                if author_text is not None:
                    author = self.entry(
                        self._strip_links(author_text), _Markers(mk.contribution, mk.label), role, line, page
                    )
                    if isinstance(author, Person):
                        person = replace(
                            person, on_behalf_of_person=replace(author, delivered_by=person.name)
                        )
                    else:
                        warn("not-a-person", f"'{author_text}' before 'delivered by' is not read as a person")
                if (
                    person.role == "speaker"
                    and person.contribution in self.lex.contribution_roles
                    and role == "speaker"
                ):
                    person = replace(person, role=self.lex.contribution_roles[person.contribution])
                reading.people.append(person)
        for code, message in self._notes:
            warn(code, message)
        self._notes.clear()
        return (
            tuple(reading.people),
            tuple(reading.rejected),
            tuple((w.code, w.message) for w in reading.warnings),
        )


def _placed(person: Person, line: int, page: int | None) -> Person:
    """A person read before, at this line and page (and so is the author they spoke for)."""
    author = person.on_behalf_of_person
    if author is None:
        return moved(person, line=line, page=page)
    return moved(person, line=line, page=page, on_behalf_of_person=moved(author, line=line, page=page))


def _lang_fr(text: str) -> bool:
    return bool(re.search(r"\b(du|des|de la|de l'|aupres)\b", fold(text)))
