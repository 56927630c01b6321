"""State resolution: English and French names, accentless and long forms to ISO 3166-1 codes."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry

from .lexicon import REFERENCE_DIR, read_yaml
from .text import fold

__all__ = ["State", "StateIndex", "load_states"]


@dataclass(frozen=True)
class State:
    """A sovereign state (or territory) with its ISO 3166-1 codes and labels."""

    alpha_3: str
    alpha_2: str
    numeric: str | None
    name_en: str
    name_fr: str


class StateIndex:
    """Look up states by any of their names, folded for case and accents."""

    def __init__(self, states: dict[str, State], names: dict[str, str]):
        self.states = states
        self._names = names  # folded name -> alpha_3
        self.max_tokens = max(len(n.split()) for n in names)

    def lookup(self, text: str) -> State | None:
        """The state named exactly by *text* (folded), or None.

        >>> idx = load_states()
        >>> idx.lookup("Emirats arabes unis").alpha_3
        'ARE'
        >>> idx.lookup("République d'Azerbaïdjan").alpha_3
        'AZE'
        >>> idx.lookup("New York") is None
        True
        """
        code = self._names.get(fold(text))
        return self.states[code] if code else None

    def get(self, alpha_3: str) -> State:
        return self.states[alpha_3]

    def names(self) -> dict[str, str]:
        return dict(self._names)


@cache
def load_states(path: Path | None = None) -> StateIndex:
    """Build the index from pycountry (English, French via its gettext catalogue) and the aliases file."""
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])

    def fr(text: str | None) -> str | None:
        return french.gettext(text) if text else None  # gettext("") returns the catalogue header

    states: dict[str, State] = {}
    names: dict[str, str] = {}
    for c in pycountry.countries:
        en = getattr(c, "common_name", None) or c.name
        states[c.alpha_3] = State(c.alpha_3, c.alpha_2, c.numeric, en, fr(c.name) or en)
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if n:
                names.setdefault(fold(n), c.alpha_3)
                names.setdefault(fold(fr(n) or n), c.alpha_3)
    data = read_yaml(path or REFERENCE_DIR / "states.yml")
    for code, extra in (data.get("extra_codes") or {}).items():
        states[code] = State(code, extra["alpha_2"], extra.get("numeric"), extra["name_en"], extra["name_fr"])
    for code, aliases in (data.get("aliases") or {}).items():
        if code not in states:
            raise ValueError(f"states.yml: unknown code {code}")
        for alias in aliases:
            names[fold(alias)] = code  # reviewed aliases win over ISO forms
    return StateIndex(states, names)
