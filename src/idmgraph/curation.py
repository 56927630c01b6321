"""Reviewed curation files in ``data/curation/``: decisions a person took, read by the pipeline.

- ``block-assignments.yml``: where a block that lost its session header goes.
- ``corrections.yml``: corrections of single entries, by source and line: split a paragraph
  before a name, join two entries, say a text is (or is not) a person, set whom a person speaks
  for, their country, role or contribution. Each correction is applied and reported at every
  build; one that matches nothing stops the build with its own line in the file, so a stale
  correction is never silently ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .iris import person_key
from .lexicon import CONTRIBUTIONS, DELIVERY_MODES, ROLES, read_yaml
from .paths import curation_dir
from .records import AgendaError

__all__ = ["load_assignments", "Correction", "load_corrections", "SETTABLE"]


# fields a correction may set on an entry, and the values each accepts (None: any text)
SETTABLE: dict[str, tuple[str, ...] | None] = {
    "state": None,  # ISO alpha-3 or null (speaks for no state)
    "country": None,
    "role": ROLES,
    "contribution": CONTRIBUTIONS,
    "delivery": DELIVERY_MODES,
    "name": None,
    "honorific": None,
}
ACTIONS = ("split_before", "join", "person", "not_a_person", "set")


def load_assignments(source_id: str, path: Path | None = None) -> dict[int, str]:
    """Reviewed placements of header-less blocks for one source: first line -> session id."""
    path = path or curation_dir() / "block-assignments.yml"
    if not path.exists():
        return {}
    data = read_yaml(path)
    out: dict[int, str] = {}
    for i, row in enumerate(data.get("assignments") or [], start=1):
        missing = {"source", "line", "session"} - set(row)
        if missing:
            raise AgendaError(str(path), None, f"assignment {i} lacks {', '.join(sorted(missing))}")
        if row["source"] == source_id:
            out[int(row["line"])] = str(row["session"])
    return out


@dataclass
class Correction:
    """One reviewed correction of an entry; ``used`` counts how often it applied in this build."""

    path: str
    at: int  # its line in the curation file
    source: str
    line: int
    action: str
    match: str  # the name or the start of the text it applies to
    values: dict = field(default_factory=dict)
    note: str | None = None
    used: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.at}: {self.action} {self.match!r}"


def _rows_with_lines(path: Path) -> list[tuple[int, dict]]:
    from .yamlfile import YamlError, load_yaml_lines

    try:
        data, lines = load_yaml_lines(path)  # no aliases, a size cap, the line of every item
    except YamlError as exc:
        raise AgendaError(str(path), exc.line, exc.message) from exc
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("corrections", []), list):
        raise AgendaError(str(path), 1, "expected a mapping with a list 'corrections'")
    rows = data.get("corrections") or []
    return [(lines.get(("corrections", i), 1), row) for i, row in enumerate(rows)]


def load_corrections(path: Path | None = None) -> list[Correction]:
    """Every correction of ``corrections.yml``, checked: unknown actions, fields or values stop
    the build with the file and line."""
    path = path or curation_dir() / "corrections.yml"
    if not path.exists():
        return []
    out = []
    for at, row in _rows_with_lines(path):
        where = (str(path), at)
        if not isinstance(row, dict):
            raise AgendaError(*where, "a correction is a mapping with source, line and one action")
        for key in ("source", "line"):
            if key not in row:
                raise AgendaError(*where, f"a correction needs '{key}'")
        actions = [a for a in ACTIONS if a in row]
        if len(actions) != 1:
            raise AgendaError(*where, f"a correction takes exactly one of {', '.join(ACTIONS)}")
        action = actions[0]
        try:
            line = int(row["line"])
        except (TypeError, ValueError):
            raise AgendaError(*where, f"line must be a number, not {row['line']!r}") from None
        values: dict = {}
        if action == "set":
            values = row["set"]
            if not isinstance(values, dict) or not values or "entry" not in row:
                raise AgendaError(
                    *where, "'set' needs a mapping of fields and 'entry' (the name it applies to)"
                )
            for key, value in values.items():
                if key not in SETTABLE:
                    raise AgendaError(*where, f"cannot set '{key}' (settable: {', '.join(SETTABLE)})")
                allowed = SETTABLE[key]
                if value is not None and allowed is not None and value not in allowed:
                    raise AgendaError(*where, f"{key} must be one of {', '.join(allowed)}, not {value!r}")
                if (
                    key in ("state", "country")
                    and value is not None
                    and not (isinstance(value, str) and len(value) == 3 and value.isupper())
                ):
                    raise AgendaError(*where, f"{key} is an ISO 3166-1 alpha-3 code or null, not {value!r}")
            match = str(row["entry"])
        else:
            match = row[action]
            if not isinstance(match, str) or not match.strip():
                raise AgendaError(*where, f"'{action}' takes the text it applies to")
        out.append(
            Correction(
                str(path), at, str(row["source"]), line, action, match.strip(), values, row.get("note")
            )
        )
    return out


@dataclass(frozen=True)
class PeopleDecisions:
    """Reviewed decisions on who is who (``people.yml``): names that are one person, and a
    person who shares a name with another in one source. Resolution applies them; nothing
    else ever merges two names or splits one."""

    same: dict[str, str] = field(default_factory=dict)  # folded variant -> the kept person's key
    kept_names: dict[str, str] = field(default_factory=dict)  # kept key -> the name the graph shows
    distinct: dict[tuple[str, str], str] = field(default_factory=dict)  # (folded name, source) -> key

    def key(self, name: str, source: str) -> str:
        folded = person_key(name)
        return self.distinct.get((folded, source)) or self.same.get(folded, folded)


def load_people_decisions(path: Path | None = None) -> PeopleDecisions:
    """``data/curation/people.yml``, checked: every decision names its people, says why and
    cites a page that shows it; a name in two decisions stops the build with its line."""
    from .yamlfile import YamlError, load_yaml_lines

    path = path or curation_dir() / "people.yml"
    if not path.exists():
        return PeopleDecisions()
    try:
        data, lines = load_yaml_lines(path)
    except YamlError as exc:
        raise AgendaError(str(path), exc.line, exc.message) from exc
    data = data or {}
    if not isinstance(data, dict) or set(data) - {"same_person", "distinct_people"}:
        raise AgendaError(
            str(path), 1, "expected a mapping with the lists 'same_person' and 'distinct_people'"
        )
    decisions = PeopleDecisions()

    def checked(kind: str, i: int, row, needed: tuple[str, ...]) -> dict:
        where = (str(path), lines.get((kind, i), 1))
        if not isinstance(row, dict):
            raise AgendaError(*where, f"a {kind} decision is a mapping")
        for key in (*needed, "reason", "cite"):
            if not row.get(key):
                raise AgendaError(
                    *where, f"a {kind} decision needs '{key}' (every decision says why, with a page)"
                )
        cites = row["cite"] if isinstance(row["cite"], list) else [row["cite"]]
        if not all(isinstance(c, str) and c.startswith(("https://", "http://")) for c in cites):
            raise AgendaError(*where, "'cite' takes the http(s) addresses of pages that show the decision")
        return row

    for i, row in enumerate(data.get("same_person") or []):
        row = checked("same_person", i, row, ("names",))
        names = row["names"]
        if not isinstance(names, list) or len(names) < 2:
            raise AgendaError(str(path), lines.get(("same_person", i), 1), "'names' lists two names or more")
        kept = person_key(names[0])
        for name in names:
            folded = person_key(name)
            if folded in decisions.same and decisions.same[folded] != kept:
                raise AgendaError(
                    str(path), lines.get(("same_person", i), 1), f"'{name}' is in two decisions"
                )
            decisions.same[folded] = kept
        decisions.kept_names[kept] = names[0]
    for i, row in enumerate(data.get("distinct_people") or []):
        row = checked("distinct_people", i, row, ("name", "source", "key"))
        decisions.distinct[(person_key(row["name"]), str(row["source"]))] = person_key(row["key"])
    return decisions
