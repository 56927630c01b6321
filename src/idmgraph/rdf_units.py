"""The statements each source gave the last good build (its graph, and what its participations
state in the entities and derived graphs), kept between builds of one output folder, so that a
rebuild makes anew only those of the sources that changed.

A source's statements are made by ``rdf._add_source`` from its agenda and the views of its
participations (``rdf.ParticipationView``: the keys the resolution gave each participation and
the names, posts and organisations it names, as resolved across all sources) and from nothing
else. They are kept under a fingerprint of exactly that: the source's key in the parse cache
(its bytes and source.yml, the curation, the reference data and idmgraph's code, of which the
agenda is made) and the views. A person's name resolved anew from another source, or a post's
first wording, changes the fingerprint of every source that names them.

The units live in one file, ``rdf/units.pack`` in the parse cache's folder, written whole by a
build that succeeds (the units it used, and no others) and read whole by the next: one file, not
one a source, because making and opening hundreds of files cost more than their statements. It
holds the units' statements (three blocks of lines each), then an index of where each unit is,
then a line with the index's length and the SHA-256 of all that comes before. A pack that cannot
be read, or whose bytes do not match that digest (a pack cut short, a byte changed), is no pack:
every source is made anew, never an error. ``build --clean`` empties it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .rdf import ParticipationView
    from .records import Agenda

__all__ = ["SourceUnits", "Unit", "FOLDER", "PACK"]

FOLDER = "rdf"
PACK = "units.pack"
FORMAT = 1  # of the pack and of what the fingerprint holds; a change misses every unit
_HEAD = f"idmgraph rdf units {FORMAT}\n".encode("ascii")
_TAIL = 16 + 64 + 2  # "\n", the index's length (16 hex digits), the SHA-256 of the rest (64), "\n"


class Unit(NamedTuple):
    """The statements one source gave, by graph (N-Triples, without the closing " .")."""

    source: list[str]
    entities: list[str]
    derived: list[str]


class SourceUnits:
    """The kept statements of one build folder's sources, by fingerprint."""

    def __init__(self, folder: Path, keys: dict[str, str | None]):
        self.path = Path(folder) / PACK
        self.keys = keys  # each source's key in the parse cache, by source id (None: none)
        self.hits = 0
        self._used: dict[str, bytes | tuple[int, int, int, int, int]] = {}  # new bytes, or a kept place
        self._data: bytes | None = None  # the pack read, once asked
        self._index: dict[str, list[int]] = {}
        self._organizations: dict[str, str] = {}  # each organisation's record as text, made once

    def fingerprint(self, agenda: Agenda, views: list[ParticipationView]) -> str | None:
        """What the source's statements are made from, digested; None for a source the parse
        cache has no key for (nothing of it is kept)."""
        key = self.keys.get(agenda.source)
        if key is None:
            return None
        digest = hashlib.sha256(f"idmgraph rdf unit {FORMAT}\0{key}\0{agenda.source}\0".encode())
        rows, organizations, texts = [], {}, self._organizations
        for view in views:
            p = view.part
            rows.append(
                (
                    p.session.id,
                    p.entry.line,
                    p.role,
                    p.order,
                    p.person,
                    p.holdings,
                    p.posts,
                    p.organizations,
                    p.on_behalf_of,
                    p.author,
                    view.name,
                    view.author_name,
                    view.posts,
                )
            )
            for org in view.organizations:
                if org.key not in organizations:
                    text = texts.get(org.key)
                    if text is None:
                        text = texts[org.key] = repr(org)  # a frozen record: each of its fields
                    organizations[org.key] = text
        digest.update(repr(rows).encode("utf-8"))
        digest.update(repr(sorted(organizations.items())).encode("utf-8"))
        return digest.hexdigest()

    def _read(self) -> None:
        """The pack and its index, read once; none that can be trusted: empty."""
        self._data, self._index = b"", {}
        try:
            data = self.path.read_bytes()
            tail = data[-_TAIL:].decode("ascii")
            size, sha256 = int(tail[1:17], 16), tail[17:81]
            body = memoryview(data)[: len(data) - _TAIL]
            if not data.startswith(_HEAD) or size > len(body) - len(_HEAD):
                return
            if hashlib.sha256(body).hexdigest() != sha256:
                return
            index = json.loads(bytes(body[len(body) - size :]))
        except (OSError, ValueError, UnicodeDecodeError):
            return
        if isinstance(index, dict):
            self._data, self._index = data, index

    def get(self, fingerprint: str) -> Unit | None:
        """The statements kept under a fingerprint, or None."""
        if self._data is None:
            self._read()
        place = self._index.get(fingerprint)
        if place is None:
            return None
        try:
            offset, length, a, b, c = (int(n) for n in place)
            lines = self._data[offset : offset + length].decode("ascii").split("\n") if length else []
        except (TypeError, ValueError):
            return None
        if min(offset, a, b, c) < 0 or offset + length > len(self._data) or len(lines) != a + b + c:
            return None
        self._used[fingerprint] = (offset, length, a, b, c)
        self.hits += 1
        return Unit(lines[:a], lines[a : a + b], lines[a + b :])

    def put(self, fingerprint: str, source: set[str], entities: set[str], derived: set[str]) -> None:
        """Keep a source's statements under their fingerprint, for the pack of this build."""
        text = "\n".join(line for block in (source, entities, derived) for line in block)
        self._used[fingerprint] = (text.encode("ascii"), len(source), len(entities), len(derived))

    def commit(self) -> None:
        """The build is in place: the pack holds the units it used (written whole or not at
        all; a pack that cannot be written is left out, for the next build to make anew)."""
        if self._data is None:
            self._read()
        made = any(isinstance(place[0], bytes) for place in self._used.values())
        if not made and self._used.keys() == self._index.keys():
            return  # the pack holds these units and no others already
        blocks, index, offset = [_HEAD], {}, len(_HEAD)
        for fingerprint in sorted(self._used):
            place = self._used[fingerprint]
            if isinstance(place[0], bytes):
                data, a, b, c = place
            else:
                start, length, a, b, c = place
                data = self._data[start : start + length]
            blocks.append(data)
            index[fingerprint] = [offset, len(data), a, b, c]
            offset += len(data)
        raw = json.dumps(index, separators=(",", ":")).encode("ascii")
        blocks.append(raw)
        digest = hashlib.sha256()
        for block in blocks:
            digest.update(block)
        blocks.append(f"\n{len(raw):016x}{digest.hexdigest()}\n".encode("ascii"))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".units-", dir=self.path.parent)
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as out:
                out.writelines(blocks)
            os.replace(tmp, self.path)
        except BaseException as exc:
            Path(tmp).unlink(missing_ok=True)
            if not isinstance(exc, OSError):
                raise
        self._data = None  # the next asks read the pack written
