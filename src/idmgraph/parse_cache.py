"""Parsed agendas kept between builds, one file per source, so a rebuild after one agenda
changed parses that agenda only.

An entry is found by a key that changes whenever anything the parse reads changes: the
source's bytes, its source.yml (as read), its id and path, the files of ``data/curation/``
(corrections, assignments), the bundled reference data (lexicon, states, organisations, series)
and idmgraph itself (its version and the digest of its code). An entry is the agenda's records
as JSON, read back only into the record types of ``idmgraph.records`` (never pickle: a cache
folder is data). An entry that cannot be read is a miss, never an error.

The cache lives beside the build folder (``data/.build.cache/`` for ``data/build/``): entries
are written as sources are parsed and never touch the last good build; a build that succeeds
removes the entries it did not use; ``idmgraph build --clean`` empties it first.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import stat
from dataclasses import fields, is_dataclass
from functools import cache
from pathlib import Path

from . import __version__
from .files import write_file_atomically
from .paths import bundled, curation_dir
from .records import Agenda, Citation, Event, Person, Session, Warning_
from .sources import Source

__all__ = ["AgendaCache", "cache_folder", "encode", "decode", "read_entry", "digest_files", "tool_digest"]

FORMAT = 2  # of the entries; a change of it misses every entry
THEMES = "themes.json"  # each source's theme assignments, by its key
_RECORDS = {cls.__name__: cls for cls in (Agenda, Citation, Event, Person, Session, Warning_)}


def cache_folder(out_dir: Path) -> Path:
    """Where the cache of a build folder lives: a hidden folder beside it."""
    out_dir = Path(out_dir).resolve()
    return out_dir.parent / f".{out_dir.name}.cache"


def encode(value: object) -> object:
    """A record (and what it holds) as JSON data in which every object is a tag: a record is
    ``{"r": type, "f": [its fields' values in order]}``, a tuple ``{"t": [...]}``, a mapping
    ``{"d": [[key, value], ...]}``; so reading an entry back makes each tagged object as the
    JSON parser meets it (``decode``), and no key of a mapping can pass for a tag."""
    if is_dataclass(value) and not isinstance(value, type):
        return {"r": type(value).__name__, "f": [encode(getattr(value, f.name)) for f in fields(value)]}
    if isinstance(value, tuple):
        return {"t": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"d": [[str(k), encode(v)] for k, v in value.items()]}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot keep {type(value).__name__} in the cache")


def _tagged(data: dict) -> object:
    """One tagged object of an entry, made as the JSON parser reads it (its contents made
    before); only the record types of ``idmgraph.records`` are made, anything else a KeyError."""
    if "r" in data:
        return _RECORDS[data["r"]](*data["f"])  # the fields in order: the code is in the key
    if "t" in data:
        return tuple(data["t"])
    return dict(data["d"])


def read_entry(text: str) -> object:
    """An entry's JSON text read back into records."""
    return json.loads(text, object_hook=_tagged)


def decode(data: object) -> object:
    """``encode`` read back; only the record types of ``idmgraph.records`` are made."""
    return read_entry(json.dumps(data))


def _canonical(value: object) -> object:
    """A source's metadata as JSON data that is the same for the same metadata (mappings sorted
    by their keys, whatever the keys are)."""
    if isinstance(value, dict):
        return sorted([repr(k), _canonical(v)] for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return value if value is None or isinstance(value, (str, int, float, bool)) else repr(value)


def digest_files(digest, folder: Path, pattern: str = "*") -> None:
    """Feed a hashlib digest the names and bytes of a folder's files (matching ``pattern``), in
    order: the same folder, the same digest."""
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")


@cache
def tool_digest() -> str:
    """idmgraph's version, its code and its bundled reference data."""
    digest = hashlib.sha256(f"idmgraph {__version__} cache {FORMAT}\0".encode())
    digest_files(digest, Path(__file__).resolve().parent, "*.py")
    digest_files(digest, bundled("reference"))
    return digest.hexdigest()


class AgendaCache:
    """The parsed agendas of one build folder's sources."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        digest = hashlib.sha256(tool_digest().encode())
        digest_files(digest, curation_dir())  # read once a build: a curator may change it between builds
        self._inputs = digest.hexdigest()
        self.used: set[str] = set()
        self.hits = 0
        self._themes: dict[str, list] | None = None  # the themes kept by the last build, once read
        self._themes_used: dict[str, list] = {}

    def key(self, source: Source) -> str | None:
        """The source's key; None for what is not a regular file (a device, a pipe) or is larger
        than an agenda may be: the reader refuses it with its own error, nothing is read here.
        A build asks once a source, and gives the key to ``get`` and ``put``."""
        from .agenda.readers import MAX_AGENDA_BYTES

        try:
            found = source.path.stat()
        except OSError:
            return None
        if not stat.S_ISREG(found.st_mode) or found.st_size > MAX_AGENDA_BYTES:
            return None
        digest = hashlib.sha256(self._inputs.encode())
        meta = json.dumps(_canonical(source.meta))
        digest.update(f"\0{source.id}\0{source.path}\0{meta}\0".encode())
        digest.update(source.path.read_bytes())  # no larger than an agenda may be
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str | None) -> Agenda | None:
        """The agenda kept under a source's key, or None."""
        if key is None:
            return None
        self.used.add(key)
        try:
            agenda = read_entry(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not isinstance(agenda, Agenda):
            return None
        self.hits += 1
        return agenda

    def put(self, key: str | None, agenda: Agenda) -> None:
        """Keep a parsed agenda under its source's key (written whole or not at all)."""
        if key is None:
            return
        self.used.add(key)
        self._write(key, encode(agenda))

    def record_source(self, path: Path) -> Source:
        """The Source of a curated record (``curated.read_record_source``), kept under the
        SHA-256 of its bytes and of idmgraph's code and reference data: a record that did not
        change is not parsed and checked against its schema again (YAML and jsonschema took a
        tenth of a second for 40 records). A record that cannot be read is read as always, and
        raises its error."""
        from .curated import read_record_source
        from .yamlfile import MAX_YAML_BYTES

        try:
            if not path.is_file() or path.stat().st_size > MAX_YAML_BYTES:
                return read_record_source(path)
            raw = path.read_bytes()
        except OSError:
            return read_record_source(path)
        digest = hashlib.sha256(f"{tool_digest()}\0record\0{path}\0".encode())
        digest.update(raw)
        key = "record-" + digest.hexdigest()
        self.used.add(key)
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
            meta = dict(entry["meta"])
            meta["lines"] = {tuple(at): int(line) for at, line in entry["lines"]}
            return Source(id=str(entry["id"]), path=path, meta=meta, expected=dict(entry["expected"]))
        except (OSError, ValueError, KeyError, TypeError):
            pass
        source = read_record_source(path)
        meta = {k: v for k, v in source.meta.items() if k != "lines"}
        entry = {
            "id": source.id,
            "meta": meta,
            "lines": [[list(at), line] for at, line in source.meta.get("lines", {}).items()],
            "expected": source.expected,
        }
        with contextlib.suppress(OSError, TypeError, ValueError):  # not kept: read again next time
            self._write(key, entry)
        return source

    def _write(self, key: str, data: object) -> None:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        write_file_atomically(self._path(key), text.encode("utf-8"), "entry")

    def themes(self, key: str | None) -> list | None:
        """The theme assignments kept for a source's key (rows of ``themes.assignment_row``): they
        are made from the agenda and what its key digests alone (its source.yml's themes, the
        curation, the rules in the reference data); None where none are kept."""
        if key is None:
            return None
        if self._themes is None:
            try:
                kept = json.loads((self.folder / THEMES).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                kept = {}
            self._themes = kept if isinstance(kept, dict) else {}
        found = self._themes.get(key)
        if not isinstance(found, list) or not all(isinstance(row, list) and len(row) == 7 for row in found):
            return None
        self._themes_used[key] = found
        return found

    def keep_themes(self, key: str | None, rows: list) -> None:
        """Keep a source's theme assignments for the next build (written by ``prune``)."""
        if key is not None:
            self._themes_used[key] = rows

    def prune(self) -> int:
        """Remove the entries this build did not use; how many. The theme assignments kept are
        those this build used."""
        if self._themes_used != (self._themes or {}) and (self._themes_used or self._themes):
            with contextlib.suppress(OSError):
                text = json.dumps(self._themes_used, ensure_ascii=False, separators=(",", ":"))
                write_file_atomically(self.folder / THEMES, text.encode("utf-8"), "entry")
        removed = 0
        for path in self.folder.glob("*.json") if self.folder.is_dir() else ():
            if path.name != THEMES and path.stem not in self.used:
                path.unlink(missing_ok=True)
                removed += 1
        for path in self.folder.glob(".entry-*") if self.folder.is_dir() else ():
            path.unlink(missing_ok=True)  # left by a build that was killed
        return removed

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
