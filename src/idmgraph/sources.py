"""Source folders -> (agenda path, metadata): ``data/sources/<id>/`` with an optional source.yml."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .records import AgendaError
from .yamlfile import YamlError, load_yaml_lines

if TYPE_CHECKING:  # the reader imports this module: its hints are imported where they are made
    from .agenda.assemble import EventHints

__all__ = ["Source", "find_sources", "read_source", "AGENDA_SUFFIXES"]

# files a folder of sources is searched for; a file named on the command line is read whatever
# its name (the reader tells the format by the content)
AGENDA_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")


@dataclass(frozen=True)
class Source:
    """One agenda file and what its source.yml (if any) says of it."""

    id: str
    path: Path
    meta: dict = field(default_factory=dict)
    expected: dict = field(default_factory=dict)

    @property
    def themes(self) -> tuple[str, ...]:
        """Themes the source states for its workshop (CURIEs in source.yml, reviewed)."""
        return tuple((self.meta.get("event") or {}).get("themes") or ())

    @property
    def hints(self) -> EventHints:
        from .agenda.assemble import EventHints

        ev = self.meta.get("event") or {}
        return EventHints(
            event_id=ev.get("id"),
            title=ev.get("title"),
            city=ev.get("city"),
            language=self.meta.get("language"),
            start_date=_iso(ev.get("start_date")),
            end_date=_iso(ev.get("end_date")),
        )


def _iso(value) -> str | None:
    return None if value is None else str(value)


def read_source(path: Path) -> Source:
    """A Source for an agenda file; its folder's source.yml is read when present."""
    meta_path = path.parent / "source.yml"
    if not meta_path.exists():
        return Source(id=path.stem, path=path)
    try:
        meta, lines = load_yaml_lines(meta_path)
    except YamlError as exc:
        raise AgendaError(str(meta_path), exc.line, exc.message) from exc
    meta = meta or {}
    if not isinstance(meta, dict):
        raise AgendaError(str(meta_path), 1, "source.yml must be a mapping")
    _check_meta(meta, lines, meta_path)
    agenda_name = meta.get("file")
    if agenda_name and Path(agenda_name).name != path.name:
        return Source(id=path.stem, path=path)  # another file in the same folder
    return Source(
        id=str(meta.get("id", path.parent.name)),
        path=path,
        meta=meta,
        expected=dict(meta.get("expected") or {}),
    )


_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2})?Z?)?$")
_EXPECTED = (
    "sessions",
    "sessions_with_people",
    "people",
    "participations",
    "moderators",
    "states",
    "organizations",
)
# what a source.yml may say: each field's kind (a nested mapping for event and expected)
SOURCE_FIELDS: dict[str, object] = {
    "id": "slug", "file": "text", "title": "text", "language": "language", "publisher": "text",
    "url": "url", "counterpart_url": "url", "requested_url": "url", "retrieved": "date", "licence": "text",
    "note": "text", "content_type": "text", "format": "text", "bytes": "count", "sha256": "text",
    "event": {
        "id": "slug", "series_edition": "count", "workshop": "count", "title": "text", "city": "text",
        "venue": "text", "start_date": "date", "end_date": "date", "themes": "themes",
    },
    "expected": {**{k: "count" for k in _EXPECTED}, "people": "count-or-names"},
}  # fmt: skip


def _kind_error(kind: str, value) -> str | None:
    """What is wrong with a value for a field of this kind, or None."""
    from urllib.parse import urlsplit

    if kind == "text":
        return None if isinstance(value, str) else "must be text"
    if kind == "slug":
        ok = isinstance(value, str) and _SLUG.match(value)
        return None if ok else "must be lower-case letters, digits and -"
    if kind == "language":
        return None if value in ("en", "fr", "es") else "must be en, fr or es"
    if kind == "count":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return None if ok else "must be a whole number"
    if kind == "count-or-names":
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return None
        return _kind_error("count", value) and "must be a whole number or a list of names"
    if kind == "date":
        text = value.isoformat() if hasattr(value, "isoformat") else value
        m = _DATE.match(text) if isinstance(text, str) else None
        try:
            if m:
                date.fromisoformat(m.group(1))
        except ValueError:
            m = None
        return None if m else "must be a date, YYYY-MM-DD"
    if kind == "url":
        parts = urlsplit(value) if isinstance(value, str) else None
        ok = parts is not None and parts.scheme in ("http", "https") and bool(parts.netloc)
        return (
            None if ok and not any(c in value for c in ' <>"\n') else "must be an http:// or https:// address"
        )
    if kind == "themes":
        from .themes import expand_curie, theme_iris

        if not isinstance(value, list):
            return "must be a list of themes (sdg:10.7, gcm:objective-21, topic:...)"
        for curie in value:
            try:
                known = isinstance(curie, str) and expand_curie(curie) in theme_iris()
            except ValueError:
                known = False
            if not known:
                return f"has {curie!r}, which is no theme of ontology/themes/"
        return None
    raise ValueError(f"unknown kind {kind}")


def _check_meta(meta: dict, lines: dict, meta_path: Path, schema: dict | None = None, at: tuple = ()) -> None:
    """Every field of a source.yml known and of its kind; an error names the file, line and field."""
    schema = SOURCE_FIELDS if schema is None else schema
    for key, value in meta.items():
        where = ".".join(str(k) for k in (*at, key))
        line = lines.get((*at, key))
        if key not in schema:
            raise AgendaError(
                str(meta_path), line, f"unknown field '{where}' (known here: {', '.join(schema)})"
            )
        kind = schema[key]
        if isinstance(kind, dict):
            if not isinstance(value, dict):
                raise AgendaError(str(meta_path), line, f"'{where}' must be a mapping of {', '.join(kind)}")
            _check_meta(value, lines, meta_path, kind, (*at, key))
            continue
        problem = None if value is None else _kind_error(kind, value)
        if problem:
            raise AgendaError(str(meta_path), line, f"'{where}' {problem}, not {value!r}")


def find_sources(paths: list[Path], read_record: Callable[[Path], Source] | None = None) -> list[Source]:
    """Every agenda under the given files or folders, in a stable order; ``read_record``
    reads a curated record's Source (default: ``curated.read_record_source``; a build's parse
    cache gives one that keeps them)."""
    from .curated import is_record, read_record_source

    read_record = read_record or read_record_source

    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found.extend(
                sorted(
                    q
                    for q in p.rglob("*")
                    if q.is_file()
                    and (
                        (q.suffix.lower() in AGENDA_SUFFIXES and q.name.lower() != "readme.md")
                        # curated records: the YAML files of a folder named records/
                        or (is_record(q) and q.parent.name == "records")
                    )
                )
            )
        elif p.exists():
            found.append(p)
        else:
            raise AgendaError(str(p), None, "no such file or folder")
    sources = [read_record(p) if is_record(p) else read_source(p) for p in found]
    ids: dict[str, Path] = {}
    for s in sources:
        if s.id in ids:
            raise AgendaError(str(s.path), None, f"source id '{s.id}' is also used by {ids[s.id]}")
        ids[s.id] = s.path
    return sources
