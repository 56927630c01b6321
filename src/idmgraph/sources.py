"""Source folders -> (agenda path, metadata): ``data/sources/<id>/`` with an optional source.yml."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .agenda.assemble import EventHints
from .records import AgendaError

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
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise AgendaError(str(meta_path), mark.line + 1 if mark else None, f"invalid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise AgendaError(str(meta_path), 1, "source.yml must be a mapping")
    _check_url(meta, meta_path)
    agenda_name = meta.get("file")
    if agenda_name and Path(agenda_name).name != path.name:
        return Source(id=path.stem, path=path)  # another file in the same folder
    return Source(
        id=str(meta.get("id", path.parent.name)),
        path=path,
        meta=meta,
        expected=dict(meta.get("expected") or {}),
    )


def _line_of(path: Path, key: str) -> int | None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.lstrip().startswith(f"{key}:"):
            return number
    return None


def _check_url(meta: dict, meta_path: Path) -> None:
    """The page a source was taken from: an http(s) address, published as a link."""
    from urllib.parse import urlsplit

    url = meta.get("url")
    if url is None:
        return
    parts = urlsplit(str(url)) if isinstance(url, str) else None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or any(c in str(url) for c in ' <>"\n')
    ):
        raise AgendaError(
            str(meta_path),
            _line_of(meta_path, "url"),
            f"url must be an http:// or https:// address, not {url!r}",
        )


def find_sources(paths: list[Path]) -> list[Source]:
    """Every agenda under the given files or folders, in a stable order."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found.extend(
                sorted(
                    q
                    for q in p.rglob("*")
                    if q.is_file() and q.suffix.lower() in AGENDA_SUFFIXES and q.name.lower() != "readme.md"
                )
            )
        elif p.exists():
            found.append(p)
        else:
            raise AgendaError(str(p), None, "no such file or folder")
    sources = [read_source(p) for p in found]
    ids: dict[str, Path] = {}
    for s in sources:
        if s.id in ids:
            raise AgendaError(str(s.path), None, f"source id '{s.id}' is also used by {ids[s.id]}")
        ids[s.id] = s.path
    return sources
