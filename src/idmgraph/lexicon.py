"""Reference data loaders: the genre's words per language, honorifics, post and organisation heads."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from .text import fold

__all__ = ["REFERENCE_DIR", "Lexicon", "load_lexicon", "read_yaml"]

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
REFERENCE_DIR = PROJECT_DIR / "data" / "reference"


def read_yaml(path: Path) -> dict:
    """Read a YAML mapping, raising ValueError naming the file when it is not one."""
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a YAML mapping at the top level")
    return data


def _folded(values) -> tuple[str, ...]:
    return tuple(fold(v) for v in values)


@dataclass(frozen=True)
class Language:
    code: str
    months: dict[str, int]
    day_words: tuple[str, ...]
    section_headings: tuple[str, ...]
    agenda_headings: tuple[str, ...]
    footer_headings: tuple[str, ...]
    moderator_labels: tuple[str, ...]
    speaker_labels: tuple[str, ...]
    break_titles: tuple[str, ...]
    opening_titles: tuple[str, ...]
    closing_titles: tuple[str, ...]
    end_markers: tuple[str, ...]
    numbered_session_words: tuple[str, ...]
    venue_prepositions: tuple[str, ...]
    of_prepositions: tuple[str, ...]
    link_prepositions: tuple[str, ...]
    title_template: str


@dataclass(frozen=True)
class Lexicon:
    languages: dict[str, Language]
    contribution_markers: dict[str, str]  # folded marker -> contribution kind
    contribution_roles: dict[str, str]  # contribution kind -> participation role
    honorifics: frozenset[str]
    post_heads: tuple[str, ...]
    org_heads: tuple[str, ...]
    non_name_words: frozenset[str]
    places: dict[str, str]  # folded variant -> English place name
    name_particles: frozenset[str]
    name_suffixes: frozenset[str]
    _unions: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def all(self, attribute: str) -> tuple[str, ...]:
        """Union of one word list over every language, longest first (computed once per list:
        the line classifier asks for it on every line)."""
        if attribute not in self._unions:
            words = {w for lang in self.languages.values() for w in getattr(lang, attribute)}
            self._unions[attribute] = tuple(sorted(words, key=lambda w: (-len(w), w)))
        return self._unions[attribute]


@cache
def load_lexicon(path: Path | None = None) -> Lexicon:
    """Load ``data/reference/lexicon.yml`` (folded, ready for matching)."""
    data = read_yaml(path or REFERENCE_DIR / "lexicon.yml")
    languages = {}
    for code, raw in data["languages"].items():
        raw = dict(raw)
        languages[code] = Language(
            code=code,
            months={fold(k): int(v) for k, v in raw.pop("months").items()},
            title_template=raw.pop("title_template"),
            **{k: _folded(v) for k, v in raw.items()},
        )
    markers: dict[str, str] = {}
    roles: dict[str, str] = {}
    for kind, spec in data["contributions"].items():
        roles[kind] = spec["role"]
        for marker in spec["markers"]:
            markers[fold(marker)] = kind
    return Lexicon(
        languages=languages,
        contribution_markers=markers,
        contribution_roles=roles,
        honorifics=frozenset(_folded(data["honorifics"])),
        post_heads=tuple(sorted(set(_folded(data["post_heads"])), key=lambda w: (-len(w), w))),
        org_heads=tuple(sorted(set(_folded(data["org_heads"])), key=lambda w: (-len(w), w))),
        non_name_words=frozenset(_folded(data["non_name_words"])),
        places={fold(v): name for name, vs in data["places"].items() for v in vs},
        name_particles=frozenset(_folded(data["name_particles"])),
        name_suffixes=frozenset(_folded(data["name_suffixes"])),
    )
