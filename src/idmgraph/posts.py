"""Posts read from their words (``data/reference/posts.yml``), never from the person who holds
them: a language-independent key for posts that carry no portfolio, so that "Deputy Director
General" and "Directrice générale adjointe" in the same organisation are one post; and the level
of representation of a post, from its words and the kind of organisation it is in.

>>> post_key("Directrice générale adjointe"), post_key("Deputy Director-General")
('deputy-director-general', 'deputy-director-general')
>>> post_key("Minister of Labour") is None
True
>>> post_key("Directrice générale adjointe de l’Organisation internationale pour les migrations",
...          "Organisation internationale pour les migrations")
'deputy-director-general'
>>> level_of("Minister of Labour and Social Policy", "state"), level_of("Conseiller du Ministre", "state")
('minister', 'other-official')
>>> level_of("Director", "civil-society"), level_of("Director", None)
('civil-society', None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .lexicon import REFERENCE_DIR, read_yaml
from .text import fold

__all__ = ["post_key", "level_of", "level_order", "highest_level", "normalise_post"]

POSTS_FILE = REFERENCE_DIR / "posts.yml"


@dataclass(frozen=True)
class _LevelRule:
    level: str
    where: frozenset[str]
    posts: tuple[re.Pattern, ...]
    not_: tuple[re.Pattern, ...]


def normalise_post(title: str) -> str:
    """A post's words as the lexicon reads them: folded, hyphens and dots as spaces, one space."""
    return " ".join(re.sub(r"[-\u2010\u2011\u2012\u2013.,]", " ", fold(title)).split())


@cache
def _lexicon() -> tuple[dict[str, str], tuple[str, ...], tuple[_LevelRule, ...]]:
    data = read_yaml(POSTS_FILE)
    keys: dict[str, str] = {}
    for key, wordings in data["keys"].items():
        for lang in ("en", "fr", "es"):
            for wording in wordings.get(lang) or ():
                keys.setdefault(normalise_post(wording), key)
    order = tuple(data["level_order"])
    rules = []
    for i, raw in enumerate(data["levels"], start=1):
        if raw["id"] not in order:
            raise ValueError(f"{POSTS_FILE}: rule {i} names level '{raw['id']}', not in level_order")
        rules.append(
            _LevelRule(
                raw["id"],
                frozenset(raw["where"]),
                tuple(re.compile(p) for p in raw["posts"]),
                tuple(re.compile(p) for p in raw.get("not") or ()),
            )
        )
    return keys, order, tuple(rules)


_OF = re.compile(r"\s(?:of the|of|de la|de l'|de l|du|des|de|del|de los|de las)\s*$")


def post_key(title: str, organization: str | None = None) -> str | None:
    """The language-independent key of a post whose whole title is a known wording, else None;
    a title that ends with its own organisation is keyed without it ("Directrice générale
    adjointe de l'Organisation internationale pour les migrations")."""
    words = normalise_post(title)
    keys = _lexicon()[0]
    if words in keys:
        return keys[words]
    if organization:
        org = normalise_post(organization)
        if words.endswith(" " + org) or words.endswith("'" + org):
            head = _OF.sub("", words[: -len(org)].rstrip())
            return keys.get(head.strip())
    return None


def level_order() -> tuple[str, ...]:
    """The levels of representation, highest first."""
    return _lexicon()[1]


@cache
def level_of(title: str, where: str | None) -> str | None:
    """The level of representation of a post titled ``title`` in an organisation of kind
    ``where`` ("state" for a post of the state itself, an organisation type, or None when the
    organisation's kind is unknown). None when no rule reads it."""
    words = normalise_post(title)
    for rule in _lexicon()[2]:
        if "any" not in rule.where and where not in rule.where:
            continue
        if any(p.search(words) for p in rule.posts) and not any(p.search(words) for p in rule.not_):
            return rule.level
    return None


def highest_level(levels) -> str | None:
    """The highest of several levels (None ignored)."""
    known = [lv for lv in levels if lv is not None]
    return min(known, key=_rank().__getitem__) if known else None


@cache
def _rank() -> dict[str, int]:
    """Each level's rank, the highest first."""
    return {level: i for i, level in enumerate(level_order())}
