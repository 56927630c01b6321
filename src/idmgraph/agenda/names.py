"""Whether words are a person's name: by their shape and the genre's vocabulary, never by a list of people.

A name is two to seven tokens: capitalised words (``Okonjo-Iweala``, ``O'Neil``, ``ROE`` beside a
capitalised given name), initials (``J.``, ``J.-P.``), abbreviated given names (``Md.``),
lower-case particles inside it (``van der``, ``de la``, ``bin``), capitalised particles
(``El Habib Nadir``, ``Ould``) and suffixes at its end (``Jr.``); or words of a script without
capitals (Arabic, Chinese, Devanagari ...), where one token may be a whole name. Honorifics
(``H.E. Mr.``, ``Sra.``, ``His Excellency``) stand before it and are kept apart.

What makes words *not* a name is the vocabulary of posts, organisations and agenda headings
in the lexicon (``Department``, ``Immigration``, ``Services``, ``Relations``): a strict name has
none of those words; a lenient one (used where an entry's other fields show a person: a post
follows) may have some, but not as its first word and not as half of it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..lexicon import Lexicon
from ..organizations import OrganizationIndex
from ..states import StateIndex
from ..text import fold

__all__ = ["NameModel", "repair_spacing"]

_INITIAL = re.compile(r"^(?:[A-Z]\.)(?:-?[A-Z]\.)*$|^[A-Z]$")
_ABBREVIATED = re.compile(r"^[A-Z][a-z]{1,3}\.$")  # Md., Mohd., Wm.
_STUCK = re.compile(r"\.[^\W\d_]{2}|\)[^\W\d_]")  # "H.E.Mr.", "Dr.Jane": a dot straight before a word
_COURTESY = frozenset(
    {"m", "mm", "mme", "mmes", "mlle", "mr", "mrs", "ms", "mx", "dr", "dra", "sra", "srta", "pr"}
)
_WORDS = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?", re.UNICODE)


def _uncased(token: str) -> bool:
    """A token of a script without capitals (Arabic, Han, Devanagari ...)."""
    letters = [c for c in token if c.isalpha()]
    if not letters:
        return False
    if not all(c.isalpha() or unicodedata.category(c).startswith("M") for c in token):
        return False
    return all(not c.isupper() and not c.islower() for c in letters)


class _Folded:
    """The folded forms of a list of tokens, each folded when first read (``folded[i : i + n]``)."""

    __slots__ = ("_tokens", "_done")

    def __init__(self, tokens: list[str]):
        self._tokens, self._done = tokens, []

    def __len__(self) -> int:
        return len(self._tokens)

    def __getitem__(self, part: slice) -> list[str]:
        done, tokens = self._done, self._tokens
        stop = len(tokens) if part.stop is None else min(part.stop, len(tokens))
        while len(done) < stop:
            done.append(fold(tokens[len(done)]))
        return done[part]


_STUCK_PUNCTUATION = re.compile(r"(?<=[^\W\d_])([,;])(?=[^\W\d_])")
_STUCK_PARENTHESIS = re.compile(r"\)(?=[^\W\d_])")


def repair_spacing(text: str, honorifics: tuple[str, ...]) -> str:
    """Put back the spaces agendas lose: ``H.E.Mr.Paul`` -> ``H.E. Mr. Paul``, ``Roe,President`` ->
    ``Roe, President``, ``(UIP)Jane`` -> ``(UIP) Jane``.

    >>> from idmgraph.lexicon import load_lexicon
    >>> repair_spacing("H.E.Mr. Paul Roe,President of the Council", load_lexicon().honorifics)
    'H.E. Mr. Paul Roe, President of the Council'
    """
    if "," in text or ";" in text:
        text = _STUCK_PUNCTUATION.sub(r"\1 ", text)
    if not _STUCK.search(text):
        return text
    text = _STUCK_PARENTHESIS.sub(") ", text)
    dotted = sorted((h for h in honorifics if h.endswith(".") and " " not in h), key=len, reverse=True)

    def split_token(m: re.Match) -> str:
        token, parts = m.group(0), []
        rest = token
        while True:
            low = fold(rest)
            head = next((h for h in dotted if low.startswith(h) and len(rest) > len(h)), None)
            if head is None:
                break
            parts.append(rest[: len(head)])
            rest = rest[len(head) :]
        # "M.J." stays initials: only a word or a further honorific is cut off
        if not parts or (rest and (not rest[0].isupper() or len(rest) <= 2)):
            return token
        return " ".join(parts + ([rest] if rest else []))

    return re.sub(r"\S+", split_token, text)


@dataclass(frozen=True)
class NameShape:
    honorifics: tuple[str, ...]  # as written, in order
    tokens: tuple[str, ...]  # the name's tokens as written


class NameModel:
    """Tells names from other words with the lexicon, the states and the known organisations."""

    def __init__(self, lex: Lexicon, states: StateIndex, orgs: OrganizationIndex):
        self.lex, self.states, self.orgs = lex, states, orgs
        self.honorifics = lex.honorifics
        self.prefixes = lex.name_prefixes
        self.particles = lex.name_particles
        self.suffixes = lex.name_suffixes
        vocab = set(lex.non_name_words)
        # the one-word heads of posts and organisations and one-word agenda phrases (labels,
        # contributions, headings); the words of longer phrases only through non_name_words:
        # "marco de la discusion" must not make Marco, nor "media luna roja" Luna, a non-name
        for source in (
            lex.post_heads,
            lex.org_heads,
            lex.all("section_headings"),
            lex.all("session_words"),
            lex.all("break_titles"),
            lex.all("opening_titles"),
            lex.all("closing_titles"),
            lex.all("session_titles"),
            lex.phrases("role_labels"),
            lex.phrases("contributions"),
        ):
            vocab.update(p for p in source if " " not in p and len(p) > 1)
        vocab.update(lex.number_map("weekdays"))
        # months stay possible names (April, June, May); particles are name words
        vocab -= set(lex.number_map("months")) - {"sept", "oct", "nov", "dec", "janv", "fevr", "juil"}
        vocab -= set(self.particles)
        vocab -= {"m", "y", "e"}
        self.vocab = frozenset(vocab)
        self._honorifics_by_n = self._by_length(self.honorifics)
        self._prefixes_by_n = self._by_length(self.prefixes)
        self._kinds: dict[str, str] = {}
        self._shapes: dict[tuple[str, bool], NameShape | None] = {}
        self._names: dict[tuple[tuple[str, ...], bool], bool] = {}
        self._taken: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self.org_words = frozenset(h for h in lex.org_heads if " " not in h)

    # ------------------------------------------------------------------ honorifics
    @staticmethod
    def _by_length(phrases: tuple[str, ...]) -> dict[int, frozenset[str]]:
        out: dict[int, set[str]] = {}
        for p in phrases:
            out.setdefault(p.count(" ") + 1, set()).add(p)
        return {n: frozenset(ps) for n, ps in sorted(out.items(), reverse=True)}

    def _match_at(self, folded: list[str], i: int, table: dict[int, frozenset[str]]) -> int:
        """How many tokens from i make one of the phrases (longest first), or 0."""
        for n, phrases in table.items():
            if i + n <= len(folded) and " ".join(folded[i : i + n]) in phrases:
                return n
        return 0

    def take_honorifics(self, tokens: list[str]) -> tuple[list[str], list[str]]:
        """(honorifics, rest) from the front of tokens; several may follow each other.
        (Kept: a reader tries the same words again at every place a name may start.)"""
        key = tuple(tokens)
        known = self._taken.get(key)
        if known is None:
            if len(self._taken) > 50_000:
                self._taken.clear()
            taken, rest = self._take_honorifics(tokens)
            known = self._taken[key] = (tuple(taken), tuple(rest))
        return list(known[0]), list(known[1])

    def _take_honorifics(self, tokens: list[str]) -> tuple[list[str], list[str]]:
        folded = _Folded(tokens)  # folded as far as the phrases reach, not the whole entry
        i = 0
        while i < len(tokens):
            n = self._match_at(folded, i, self._honorifics_by_n)
            if not n:
                break
            i += n
        taken, rest = list(tokens[:i]), list(tokens[i:])
        # "M. Cheikh Ndiaye": after a courtesy title, a title that is also a given name, with one
        # word left, is the given name
        if len(rest) == 1 and len(taken) >= 2 and self.courtesy(taken[:-1]) and not self.courtesy(taken[-1:]):
            taken, rest = taken[:-1], taken[-1:] + rest
            i -= 1
        # "Ambassador Jürg Lauber", "Pol. Col. Somchai Rattanakorn": forms of address, only if a
        # name follows them
        while True:
            n = self._match_at(folded, i, self._prefixes_by_n)
            if not (n and len(rest) > n and self.is_name(rest[n:], strict=True)):
                break
            taken.extend(rest[:n])
            rest = rest[n:]
            i += n
        return taken, rest

    def is_honorific(self, text: str) -> bool:
        folded = fold(text)
        return (
            folded in self.honorifics
            or all(w in self.honorifics for w in folded.split())
            and bool(folded.split())
        )

    # ------------------------------------------------------------------ tokens
    def _token_kind(self, tok: str) -> str:
        """particle | suffix | initial | word | caps | uncased | vocab | bad"""
        kind = self._kinds.get(tok)
        if kind is None:
            kind = self._kinds[tok] = self._classify_token(tok)
        return kind

    def _classify_token(self, tok: str) -> str:
        folded = fold(tok)
        if folded in self.particles or folded.rstrip("-") in self.particles:
            return "particle"
        if folded in self.suffixes:
            return "suffix"
        if _INITIAL.match(tok) or (_ABBREVIATED.match(tok) and folded not in self.honorifics):
            return "initial"
        if _uncased(tok):
            return "uncased"
        core = tok[2:] if folded.startswith(("d'", "l'")) and len(tok) > 2 else tok
        if not core or not core[0].isalpha() or not core[0].isupper():
            return "bad"
        if not all(c.isalpha() or c in "-'.\u2019" or unicodedata.category(c).startswith("M") for c in core):
            return "bad"
        if core.endswith(".") and len(core) > 2:
            return "bad"  # a word with a full stop ends a sentence, it is not a name
        parts = [p for p in re.split(r"[-'\u2019]", folded) if p]
        if folded in self.vocab or (parts and all(p in self.vocab for p in parts)):
            return "vocab"
        letters = [c for c in core if c.isalpha()]
        if len(letters) > 1 and all(c.isupper() for c in letters):
            return "caps"
        return "word"

    def is_name(self, tokens: list[str] | tuple[str, ...], strict: bool = True) -> bool:
        """Whether tokens (honorifics already taken off) are a person's name.

        >>> from idmgraph.lexicon import load_lexicon
        >>> from idmgraph.states import load_states
        >>> from idmgraph.organizations import load_organizations
        >>> m = NameModel(load_lexicon(), load_states(), load_organizations())
        >>> m.is_name("Juan José Gómez Camacho".split()), m.is_name("Immigration Services".split())
        (True, False)
        >>> m.is_name("Md. Shahidul Haque".split()), m.is_name("Costa Rica".split())
        (True, False)
        >>> m.is_name(["王伟"]), m.is_name("Jan van der Berg".split()), m.is_name("Paul ROE".split())
        (True, True, True)
        """
        key = (tuple(tokens), strict)
        if key not in self._names:
            if len(self._names) > 100_000:
                self._names.clear()
            self._names[key] = self._is_name(list(tokens), strict)
        return self._names[key]

    def _is_name(self, tokens: list[str], strict: bool) -> bool:
        tokens = [t.strip(",;:") for t in tokens if t.strip(",;:")]
        if not 1 <= len(tokens) <= 7:
            return False
        kinds = [self._token_kind(t) for t in tokens]
        if "bad" in kinds:
            return False
        if all(k == "uncased" for k in kinds):
            return 1 <= len(tokens) <= 4
        core = [k for k in kinds if k not in ("particle", "suffix")]
        if not 2 <= len(tokens) <= (5 if strict else 7) or len(core) < 2:
            return False
        if kinds[0] == "suffix" or kinds[-1] == "particle":
            return False
        if kinds[0] == "particle" and (tokens[0][:1].islower() or len(core) < 2 or len(tokens) < 3):
            return False
        if all(k in ("caps", "initial") for k in core):
            return False  # GMG, IMUMI, "UN DESA": acronyms, not names
        if kinds.count("initial") == len(core):
            return False
        vocab = kinds.count("vocab")
        if strict and vocab:
            return False
        if not strict:
            first = next(k for k in kinds if k != "particle")
            if first == "vocab" or vocab * 2 >= len(core):
                return False
        whole = " ".join(tokens)
        if self.states.lookup(whole) or fold(whole) in self.lex.places or self.orgs.lookup(whole):
            return False
        # "Solidar Suisse": a strict name does not end with a state (a post may still support one)
        ends_with_state = any(self.states.lookup(" ".join(tokens[-n:])) for n in (1, 2, 3) if n < len(tokens))
        return not (strict and ends_with_state)

    def can_end_name(self, token: str) -> bool:
        """Whether a name may end with this word (a quick test before trying every split)."""
        return self._token_kind(token.strip(",;:")) in ("word", "caps", "uncased", "suffix", "initial")

    def plausible(self, tokens: list[str], courtesy: bool = False) -> bool:
        """Capitalised words with no digits or symbols: what may follow an honorific as a name
        even when the vocabulary doubts it ("Mr. Federico Mayor"). After a courtesy title
        ("Mme Fatoumata Camara") only a first word that opens an organisation's name rules it
        out; after a title that is also a given name, any such word ("Cheikh Anta Diop
        University")."""
        kinds = [self._token_kind(t.strip(",;:")) for t in tokens if t.strip(",;:")]
        words = tokens[:1] if courtesy else tokens
        org_word = any(fold(t) in self.org_words for t in words)
        return bool(kinds) and len(kinds) <= 7 and "bad" not in kinds and kinds[0] != "vocab" and not org_word

    @staticmethod
    def courtesy(hons: list[str] | tuple[str, ...]) -> bool:
        """Whether the honorifics hold a courtesy title (Mr., Mme, Sra., Dr., H.E.), which no one
        bears as a name, unlike Sheikh or Dato'."""
        return any(fold(h).endswith(".") or fold(h) in _COURTESY for h in hons)

    def shape(self, text: str, strict: bool = True) -> NameShape | None:
        """Honorifics and name of a name field, or None when it is not a name."""
        key = (text, strict)
        if key not in self._shapes:
            if len(self._shapes) > 100_000:
                self._shapes.clear()
            self._shapes[key] = self._shape(text, strict)
        return self._shapes[key]

    def _shape(self, text: str, strict: bool) -> NameShape | None:
        tokens = text.split()
        hons, rest = self.take_honorifics(tokens)
        if not rest:
            return None
        if len(rest) == 1 and (hons and not strict) and self._token_kind(rest[0]) in ("word", "caps"):
            return NameShape(tuple(hons), tuple(rest))  # "Sheikh Hasina", "Mr. Sukarno"
        if self.is_name(rest, strict=strict):
            return NameShape(tuple(hons), tuple(rest))
        return None

    def words(self, text: str) -> list[str]:
        return _WORDS.findall(text)
