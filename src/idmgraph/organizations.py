"""Organisation reference: known organisations by name, acronym, alias or post pattern; type rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .lexicon import REFERENCE_DIR, read_yaml
from .text import fold

__all__ = ["KnownOrganization", "OrganizationIndex", "load_organizations", "strip_acronym"]

_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")


def strip_acronym(name: str) -> tuple[str, str | None]:
    """Split a trailing parenthesised acronym off an organisation name.

    >>> strip_acronym("Union interparlementaire (UIP)")
    ('Union interparlementaire', 'UIP')
    """
    m = _PAREN.search(name)
    if not m:
        return name.strip(), None
    return name[: m.start()].strip(), m.group(1).strip()


@dataclass(frozen=True)
class KnownOrganization:
    key: str
    name_en: str
    name_fr: str
    type: str
    state: str | None  # the state a public body belongs to
    parent: str | None
    collaboration: bool
    acronyms: tuple[str, ...]
    country: str | None = None  # where a body that is no state's is based


class OrganizationIndex:
    def __init__(self, data: dict):
        self.types: tuple[str, ...] = tuple(data["organization_types"])
        self.type_rules = [(r["type"], re.compile(r["pattern"])) for r in data["type_rules"]]
        self.known: dict[str, KnownOrganization] = {}
        self._names: dict[str, str] = {}
        self._acronyms: dict[str, str] = {}
        self._patterns: list[tuple[re.Pattern, str]] = []
        for raw in data["organizations"]:
            org = KnownOrganization(
                key=raw["key"],
                name_en=raw["name_en"],
                name_fr=raw["name_fr"],
                type=raw["type"],
                state=raw.get("state"),
                parent=raw.get("parent"),
                collaboration=bool(raw.get("collaboration")),
                acronyms=tuple(raw.get("acronyms", ())),
                country=raw.get("country"),
            )
            if org.type not in self.types:
                raise ValueError(f"organizations.yml: {org.key}: unknown type {org.type}")
            if org.key in self.known:
                raise ValueError(f"organizations.yml: duplicate key {org.key}")
            self.known[org.key] = org
            for name in (org.name_en, org.name_fr, *raw.get("aliases", ())):
                self._names[fold(name)] = org.key
            for acro in org.acronyms:
                self._acronyms[fold(acro)] = org.key
            for pattern in raw.get("patterns", ()):
                self._patterns.append((re.compile(pattern), org.key))
        for org in self.known.values():
            if org.parent and org.parent not in self.known:
                raise ValueError(f"organizations.yml: {org.key}: unknown parent {org.parent}")
        self._prefixes = sorted(self._names, key=len, reverse=True)
        self._looked_up: dict[str, KnownOrganization | None] = {}

    def lookup(self, name: str) -> KnownOrganization | None:
        """The known organisation *name* designates (by name, alias or acronym), or None.

        >>> idx = load_organizations()
        >>> idx.lookup("Union interparlementaire (UIP)").key
        'ipu'
        >>> idx.lookup("OIM").key
        'iom'
        >>> idx.lookup("Ministère des affaires étrangères") is None
        True
        """
        if name in self._looked_up:
            return self._looked_up[name]
        found = self._lookup(name)
        if len(self._looked_up) > 100_000:
            self._looked_up.clear()
        self._looked_up[name] = found
        return found

    def _lookup(self, name: str) -> KnownOrganization | None:
        base, acronym = strip_acronym(name)
        for candidate in (fold(name), fold(base)):
            if candidate in self._names:
                return self.known[self._names[candidate]]
        for candidate in (acronym, base):
            if candidate and fold(candidate) in self._acronyms:
                return self.known[self._acronyms[fold(candidate)]]
        return None

    def by_pattern(self, post: str) -> KnownOrganization | None:
        """The organisation a post names only implicitly (a reviewed pattern), or None."""
        folded = fold(post)
        for pattern, key in self._patterns:
            if pattern.search(folded):
                return self.known[key]
        return None

    def starts_with_known(self, folded: str) -> bool:
        """Whether folded text begins with a known organisation's name, alias or acronym."""
        for name in self._prefixes:
            if folded.startswith(name) and (len(folded) == len(name) or not folded[len(name)].isalnum()):
                return True
        first = folded.split(" ", 1)[0]
        return first in self._acronyms

    def type_of(self, name: str) -> str | None:
        """Type by the fallback rules for an organisation not listed, or None."""
        folded = fold(name)
        for org_type, pattern in self.type_rules:
            if pattern.search(folded):
                return org_type
        return None


@cache
def load_organizations(path: Path | None = None) -> OrganizationIndex:
    return OrganizationIndex(read_yaml(path or REFERENCE_DIR / "organizations.yml"))
