"""UN M49 regions and the LDC, LLDC and SIDS groups (``data/reference/m49.yml``): where each
state is in the world, as the United Nations Statistics Division places it.

>>> m49 = load_m49()
>>> [m49.regions[c]["en"] for c in m49.chain("SLE")]
['Western Africa', 'Sub-Saharan Africa', 'Africa']
>>> sorted(m49.groups_of("NPL"))
['199', '432']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .lexicon import REFERENCE_DIR, read_yaml

__all__ = ["M49", "load_m49", "M49_FILE"]

M49_FILE = REFERENCE_DIR / "m49.yml"


@dataclass(frozen=True)
class M49:
    regions: dict[str, dict]  # code -> {en, fr, es, broader?}
    states: dict[str, str]  # ISO 3166-1 alpha-3 -> code of its smallest region
    groups: dict[str, dict]  # code -> {labels, members}
    as_of: str

    def chain(self, iso3: str) -> list[str]:
        """The state's regions, smallest first, up to a region of the world; [] when unplaced."""
        out, code = [], self.states.get(iso3)
        while code:
            out.append(code)
            code = self.regions[code].get("broader")
        return out

    def level(self, code: str) -> str:
        """region (Africa, Americas, ...), subregion (Sub-Saharan Africa, ...) or intermediate
        (Western Africa, ...): how far below a region of the world an area is."""
        depth, up = 0, self.regions[code].get("broader")
        while up:
            depth, up = depth + 1, self.regions[up].get("broader")
        return ("region", "subregion", "intermediate")[min(depth, 2)]

    def groups_of(self, iso3: str) -> set[str]:
        return {code for code, g in self.groups.items() if iso3 in g["members"]}


@cache
def load_m49() -> M49:
    data = read_yaml(M49_FILE)
    regions = {str(k): v for k, v in data["regions"].items()}
    states = {k: str(v) for k, v in data["states"].items()}
    for iso3, code in states.items():
        if code not in regions:
            raise ValueError(f"{M49_FILE}: {iso3} is placed in region {code}, which the file does not define")
    groups = {str(k): v for k, v in data["groups"].items()}
    for code, group in groups.items():
        for iso3 in group["members"]:
            if iso3 not in states:
                raise ValueError(f"{M49_FILE}: group {code} lists {iso3}, which is no state of the file")
    return M49(regions, states, groups, str(data["as_of"]))
