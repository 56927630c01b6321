"""Reference data loaders: the genre's words per language, honorifics, post and organisation heads."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .paths import bundled
from .text import fold

__all__ = [
    "REFERENCE_DIR",
    "Lexicon",
    "Language",
    "load_lexicon",
    "read_yaml",
    "keep_reads_in",
    "ROLES",
    "CONTRIBUTIONS",
    "DELIVERY_MODES",
]

PACKAGE_DIR = Path(__file__).resolve().parent
REFERENCE_DIR = bundled("reference")

# The controlled values the reader writes; the ontology's SKOS schemes hold their labels and a
# test keeps the two in step.
ROLES = (
    "moderator",
    "chair",
    "co-chair",
    "speaker",
    "panellist",
    "keynote-speaker",
    "discussant",
    "respondent",
    "rapporteur",
)
CONTRIBUTIONS = (
    "opening-remarks",
    "closing-remarks",
    "keynote",
    "statement",
    "presentation",
    "remarks",
    "setting-the-scene",
    "video-message",
    "conclusions",
    "summary-and-conclusions",
)
DELIVERY_MODES = ("in-person", "video-message", "video-conference", "video")


# a folder where the data of the YAML files read are kept as JSON, by the SHA-256 of each file
# (``keep_reads_in``: a build's cache folder); None: none kept
_KEPT_READS: Path | None = None


# the files of kept reads of ``yamlfile.load_yaml_lines`` used since ``keep_reads_in``
_KEPT_LINES_USED: set[str] = set()


def keep_reads_in(folder: Path | None) -> None:
    """Keep the data of the YAML files ``read_yaml`` reads in ``folder`` as JSON, by the SHA-256
    of each file's bytes, and read them from there: libyaml's loader resolves every scalar in
    Python (the reference files took 40 ms a process; their JSON 4 ms). Data JSON does not hold
    as it is (dates, keys that are not text) is not kept. The files ``yamlfile.load_yaml_lines``
    reads (sources' source.yml, records, curation) are kept there too, with their lines."""
    global _KEPT_READS
    _KEPT_READS = None if folder is None else Path(folder)
    _KEPT_LINES_USED.clear()


def kept_lines(digest: str) -> Path | None:
    """Where the read of a YAML file with its lines (``yamlfile.load_yaml_lines``) is kept, by
    ``digest`` (the SHA-256 of its bytes, in hex, after the format of the read); None where reads
    are not kept. The file is counted as used (not removed by ``prune_kept_lines``)."""
    if _KEPT_READS is None:
        return None
    path = _KEPT_READS / f"lines-{digest}.json"
    _KEPT_LINES_USED.add(path.name)
    return path


def prune_kept_lines() -> None:
    """Remove the kept reads of ``load_yaml_lines`` not used since ``keep_reads_in`` (those of
    files since changed or gone: one is kept for each version of a file ever read)."""
    if _KEPT_READS is None or not _KEPT_READS.is_dir():
        return
    for path in _KEPT_READS.glob("lines-*.json"):
        if path.name not in _KEPT_LINES_USED:
            path.unlink(missing_ok=True)


def read_yaml(path: Path) -> dict:
    """Read a YAML mapping, raising ValueError naming the file when it is not one; aliases and
    files past 5 MB are refused (an alias can expand without bound)."""
    from .yamlfile import MAX_YAML_BYTES, YamlError

    if path.stat().st_size > MAX_YAML_BYTES:
        raise YamlError(path, None, f"larger than {MAX_YAML_BYTES:,} bytes")
    raw = path.read_bytes()
    kept = None if _KEPT_READS is None else _KEPT_READS / f"{hashlib.sha256(raw).hexdigest()}.json"
    if kept is not None:
        try:
            data = json.loads(kept.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return data
        except (OSError, ValueError):
            pass
    data = _parse_yaml(path, raw.decode("utf-8"))
    if kept is not None:
        _keep_json(kept, data)
    return data


def _keep_json(path: Path, data: dict) -> None:
    """``data`` written as JSON at ``path`` (whole or not at all), if JSON gives it back as it is."""
    from .files import write_file_atomically

    try:
        text = json.dumps(data, ensure_ascii=False)
        if json.loads(text) == data:
            write_file_atomically(path, text.encode("utf-8"), "yaml")
    except (TypeError, ValueError, OSError):
        pass


def _parse_yaml(path: Path, text: str) -> dict:
    from .yamlfile import YamlError, _yaml

    # libyaml's loader where PyYAML was built with it (ten times faster), else the Python one;
    # both safe: plain data, no Python objects
    yaml, loader = _yaml()
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                raise YamlError(path, event.start_mark.line + 1, "YAML aliases (*name) are not allowed here")
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise YamlError(path, mark.line + 1 if mark else None, f"invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a YAML mapping at the top level")
    return data


def _folded(values) -> tuple[str, ...]:
    return tuple(fold(str(v)) for v in values)


def _longest_first(words) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


_WORD_LISTS = (
    "day_words",
    "section_headings",
    "agenda_headings",
    "footer_headings",
    "end_markers",
    "break_titles",
    "opening_titles",
    "closing_titles",
    "session_words",
    "session_titles",
    "by_words",
    "delivered_by",
    "on_behalf_of",
    "link_labels",
    "conjunctions",
    "date_connectors",
    "venue_prepositions",
    "of_prepositions",
    "link_prepositions",
    "to_prepositions",
    "stopwords",
)
_NUMBER_MAPS = ("months", "weekdays", "ordinals")
_KEYED_LISTS = ("role_labels", "role_verbs", "contributions", "delivery")


@dataclass(frozen=True, eq=False)
class Language:
    code: str
    title_template: str
    words: dict[str, tuple[str, ...]]  # list name -> folded words
    numbers: dict[str, dict[str, int]]  # months / weekdays / ordinals: folded word -> number
    keyed: dict[str, dict[str, tuple[str, ...]]]  # role_labels etc.: value -> folded phrases

    def __getattr__(self, name: str):
        # lang.opening_titles, lang.months, lang.role_labels ... read as attributes
        for table in ("words", "numbers", "keyed"):
            values = self.__dict__.get(table, {})
            if name in values:
                # kept as the attribute it reads as: the next read finds it without this search
                object.__setattr__(self, name, values[name])
                return values[name]
        raise AttributeError(name)


@dataclass(frozen=True, eq=False)
class Lexicon:
    languages: dict[str, Language]
    honorifics: tuple[str, ...]  # longest first, folded; may hold several words ("his excellency")
    name_prefixes: tuple[str, ...]
    post_heads: tuple[str, ...]
    org_heads: tuple[str, ...]
    non_name_words: frozenset[str]
    places: dict[str, str]  # folded variant -> English place name
    name_particles: frozenset[str]
    name_suffixes: frozenset[str]
    state_posts: tuple[str, ...]
    non_state_posts: tuple[str, ...]
    moderating_roles: frozenset[str]
    contribution_roles: dict[str, str]  # contribution kind -> the role it implies when no label says one
    _unions: dict[str, object] = field(default_factory=dict, repr=False)

    def all(self, attribute: str) -> tuple[str, ...]:
        """Union of one word list over every language, longest first (computed once per list:
        the line classifier asks for it on every line)."""
        key = f"list:{attribute}"
        if key not in self._unions:
            words = {w for lang in self.languages.values() for w in getattr(lang, attribute)}
            self._unions[key] = _longest_first(words)
        return self._unions[key]  # type: ignore[return-value]

    def number_map(self, attribute: str) -> dict[str, int]:
        """months / weekdays / ordinals of every language in one mapping (folded word -> number)."""
        key = f"num:{attribute}"
        if key not in self._unions:
            merged: dict[str, int] = {}
            for lang in self.languages.values():
                merged.update(getattr(lang, attribute))
            self._unions[key] = merged
        return self._unions[key]  # type: ignore[return-value]

    def phrase_map(self, attribute: str) -> dict[str, str]:
        """role_labels / role_verbs / contributions / delivery of every language: folded phrase ->
        value (a role, a contribution kind, a delivery mode)."""
        key = f"map:{attribute}"
        if key not in self._unions:
            merged: dict[str, str] = {}
            for lang in self.languages.values():
                for value, phrases in getattr(lang, attribute).items():
                    for phrase in phrases:
                        merged.setdefault(phrase, value)
            self._unions[key] = merged
        return self._unions[key]  # type: ignore[return-value]

    def phrases(self, attribute: str) -> tuple[str, ...]:
        """The phrases of a phrase map, longest first, for matching at a position."""
        key = f"phr:{attribute}"
        if key not in self._unions:
            self._unions[key] = _longest_first(self.phrase_map(attribute))
        return self._unions[key]  # type: ignore[return-value]

    @property
    def contribution_markers(self) -> dict[str, str]:
        """Folded contribution phrase -> kind (the parenthesised markers that close an entry)."""
        return self.phrase_map("contributions")


def _language(code: str, raw: dict) -> Language:
    raw = dict(raw)
    template = raw.pop("title_template")
    numbers = {k: {fold(w): int(n) for w, n in (raw.pop(k) or {}).items()} for k in _NUMBER_MAPS}
    keyed = {k: {v: _folded(ps) for v, ps in (raw.pop(k) or {}).items()} for k in _KEYED_LISTS}
    words = {k: _folded(raw.pop(k) or ()) for k in _WORD_LISTS}
    if raw:
        raise ValueError(f"lexicon.yml: language {code}: unknown keys {', '.join(sorted(raw))}")
    for value in keyed["role_labels"]:
        if value not in ROLES:
            raise ValueError(f"lexicon.yml: language {code}: unknown role {value}")
    for value in keyed["contributions"]:
        if value not in CONTRIBUTIONS:
            raise ValueError(f"lexicon.yml: language {code}: unknown contribution {value}")
    for value in keyed["delivery"]:
        if value not in DELIVERY_MODES:
            raise ValueError(f"lexicon.yml: language {code}: unknown delivery mode {value}")
    return Language(code=code, title_template=template, words=words, numbers=numbers, keyed=keyed)


@cache
def load_lexicon(path: Path | None = None) -> Lexicon:
    """Load ``data/reference/lexicon.yml`` (folded, ready for matching)."""
    data = read_yaml(path or REFERENCE_DIR / "lexicon.yml")
    languages = {code: _language(code, raw) for code, raw in data["languages"].items()}
    return Lexicon(
        languages=languages,
        honorifics=_longest_first(_folded(data["honorifics"])),
        name_prefixes=_longest_first(_folded(data["name_prefixes"])),
        post_heads=_longest_first(_folded(data["post_heads"])),
        org_heads=_longest_first(_folded(data["org_heads"])),
        non_name_words=frozenset(_folded(data["non_name_words"])),
        places={fold(v): name for name, vs in data["places"].items() for v in vs},
        name_particles=frozenset(_folded(data["name_particles"])),
        name_suffixes=frozenset(_folded(data["name_suffixes"])),
        state_posts=_longest_first(_folded(data["state_posts"])),
        non_state_posts=_longest_first(_folded(data["non_state_posts"])),
        moderating_roles=frozenset(data["moderating_roles"]),
        contribution_roles=dict(data["contribution_roles"]),
    )
