"""The statements each source gave the last good build (its graph, and what its participations
state in the entities and derived graphs), kept between builds of one output folder, so that a
rebuild makes anew only those of the sources that changed.

A source's statements are made by ``rdf._add_source`` from its agenda and the views of its
participations (``rdf.ParticipationView``: the keys the resolution gave each participation, the
names, posts and organisations it names as resolved across all sources, its level of
representation, the kind of actor it spoke as and its session's themes) and the theme links
of its event (``rdf._add_theme_links``), and from nothing else. They are kept under a
fingerprint of exactly that: the source's key in the parse cache (its bytes and source.yml, the
curation, the reference data and idmgraph's code, of which the agenda is made), the views and
the links. A person's name resolved anew from another source, or a post's first
wording, changes the fingerprint of every source that names them; a theme mapped anew, that of
every source whose sessions reach it.

The units live in one file, ``rdf/units.pack`` in the parse cache's folder: one file, not one
a source, because making and opening hundreds of files cost more than their statements. It holds
the units' statements (three blocks of lines each, each unit with its CRC-32 in the index),
then an index of where each unit is and the subjects it names (their CRC-32), then a line with
the index's length and SHA-256. A rebuild takes a unit without reading it: the dataset holds it
pending (``quads.Pending``), read only where a patch touches a subject it may name, or where
the whole dataset is asked for; its bytes are checked against its checksum in a thread while
the sources are parsed (``check_ahead``). A build writes the units it makes beside the pack as
it makes them (none is held in memory); when it succeeds it adds them and a new index to the end
of the pack (the units it took stay where they are, and their bytes are not copied), or, once
the units no index names outweigh those it names, writes a new pack whole and puts it in place.
A pack an error leaves half added to is cut back. A unit whose bytes do not match its checksum
is no unit (its source is made anew); a pack that cannot be read, or whose index does not match
its digest (a pack cut short, emptied), is no pack: every source is made anew, never an error.
``build --clean`` empties it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import shutil
import tempfile
import zlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .files import temporary_file
from .quads import subject_code

if TYPE_CHECKING:
    from .rdf import ParticipationView
    from .records import Agenda
    from .themes import ThemeLink

__all__ = ["SourceUnits", "Unit", "FOLDER", "PACK"]

FOLDER = "rdf"
PACK = "units.pack"
CSV_ROWS = "csv-rows"  # each source's rows of participations.csv, by their key
_CSV_HEAD = b"idmgraph csv rows 1\n"  # then each entry: "KEY LENGTH CRC-32\n" and its bytes
FORMAT = 6  # of the pack and of what the fingerprint holds; a change misses every unit
_HEAD = f"idmgraph rdf units {FORMAT}\n".encode("ascii")
_TAIL = 16 + 64 + 2  # "\n", the index's length (16 hex digits), the SHA-256 of the index (64), "\n"
# past as many bytes of units no index names as of those it names, and a megabyte, a build
# writes the pack anew rather than adding to it
_GARBAGE_SHARE = 1.0
_GARBAGE_SLACK = 1 << 20


class Unit(NamedTuple):
    """The statements one source gave, by graph (N-Triples, without the closing " .")."""

    source: list[str]
    entities: list[str]
    derived: list[str]


class Taken(NamedTuple):
    """A unit of the last pack taken for this build, its statements not read yet: how many it
    has in each graph, and the subjects they name (``subject_codes``)."""

    counts: tuple[int, int, int]
    subjects: list[int]


def subject_codes(statements) -> list[int]:
    """The code of each subject the statements name (``quads.subject_code``), each once, in
    order: what a unit's entry in the index says of it, so that the statements about some
    subjects are found by reading only the units that may hold them (two subjects may share a
    code: a unit read in vain)."""
    return sorted({subject_code(t[: t.index(" ")]) for t in statements})


def _checksum(data: bytes) -> str:
    """A unit's checksum in the index: its CRC-32 and length. A unit's bytes are checked against
    it as they are read (accidental damage: a disk, a copy cut short); CRC-32 reads the 68 MB of
    units of 400 agendas in 16 ms where SHA-256 took 40 (the index, which says where each unit
    is, keeps its SHA-256)."""
    return f"{zlib.crc32(data):08x}{len(data):x}"


def _packed(value: object) -> bytes:
    """Plain values (texts, numbers, None, tuples and lists of them) as bytes to digest:
    marshal's version 0, which writes values alone (no references to objects met before, no
    mark of an interned text, unlike its later versions), three times faster than their repr;
    their repr where marshal takes a value it cannot write (a subclass)."""
    try:
        return b"m" + marshal.dumps(value, 0)
    except ValueError:
        return b"r" + repr(value).encode("utf-8")


def _place(place) -> tuple[int, int, int, int, int, str]:
    """(offset, length, and the counts of its three blocks, checksum) of a unit's entry in an
    index (followed by the list of its subject codes); a ValueError or TypeError for an entry
    that is not one."""
    if not isinstance(place, list) or len(place) != 7 or not isinstance(place[6], list):
        raise ValueError("not an entry")
    offset, length, a, b, c = (int(n) for n in place[:5])
    if min(offset, length, a, b, c) < 0 or not isinstance(place[5], str):
        raise ValueError("not an entry")
    return offset, length, a, b, c, place[5]


def _read_csv_rows(data: bytes) -> dict[str, bytes]:
    """The entries of a CSV rows file, each checked against its CRC-32; a ValueError for a
    file that is not one, or not whole."""
    if not data.startswith(_CSV_HEAD):
        raise ValueError("not a file of CSV rows")
    out, at = {}, len(_CSV_HEAD)
    while at < len(data):
        end = data.index(b"\n", at)
        key, length, checksum = data[at:end].decode("ascii").split(" ")
        at, stop = end + 1, end + 1 + int(length)
        rows = data[at:stop]
        if stop > len(data) or f"{zlib.crc32(rows):08x}" != checksum:
            raise ValueError("an entry cut short or damaged")
        out[key], at = rows, stop
    return out


def _whole_units(read: Callable[[int, int], bytes], index: dict) -> set[str]:
    """The fingerprints of the units of an index whose bytes, as ``read(offset, length)`` reads
    them from the pack, match their checksums."""
    whole = set()
    for fingerprint, place in index.items():
        try:
            offset, length, _, _, _, checksum = _place(place)
            data = read(offset, length)
        except (OSError, TypeError, ValueError):
            continue
        if len(data) == length and _checksum(data) == checksum:
            whole.add(fingerprint)
    return whole


def _tail(index: bytes) -> bytes:
    """The line that ends a pack: the index's length and SHA-256."""
    return f"\n{len(index):016x}{hashlib.sha256(index).hexdigest()}\n".encode("ascii")


class SourceUnits:
    """The kept statements of one build folder's sources, by fingerprint."""

    def __init__(self, folder: Path, keys: dict[str, str | None]):
        self.path = Path(folder) / PACK
        self.keys = keys  # each source's key in the parse cache, by source id (None: none)
        self.hits = 0
        # each unit used: (offset, length, counts) in the last pack, or (None, offset, length,
        # counts) in the pack this build writes
        self._used: dict[str, tuple] = {}
        self._pack = None  # the last pack's file, once opened (False: none to read)
        self._index: dict[str, list[int]] = {}
        self._out = None  # the pack this build writes, once it writes (False: it cannot)
        self._tmp: str | None = None
        self._offset = 0
        self._organizations: dict = {}  # each organisation's record as text, made once
        self._plain_posts: dict = {}  # each views' posts as plain tuples, made once
        self.sources: dict[str, str] = {}  # the fingerprint of each source's unit in this build
        self._made: dict[str, Unit] = {}  # the units made in this build
        # the statements of each graph no unit gave (by graph name, "" for the default graph),
        # once the dataset is made; None if a source had no unit
        self.shared: dict[str, set[str]] | None = None
        self._csv_kept: dict[str, bytes] | None = None  # the last build's CSV rows, once read
        self._csv_used: dict[str, bytes] = {}
        self._csv_tmp: Path | None = None  # the CSV rows written for commit to put in place
        self._prepared = False
        self._size = 0  # the last pack's size, when it was read
        self._append: bytes | None = None  # the index commit adds to the last pack, if it does
        self._whole: Future | None = None  # the units of the last pack found whole, once checked
        self._checker: ThreadPoolExecutor | None = None  # the thread that checks them

    def fingerprint(
        self, agenda: Agenda, views: list[ParticipationView], links: list[ThemeLink] = ()
    ) -> str | None:
        """What the source's statements are made from (its agenda, by its key; the views of its
        participations; the theme links of its event), digested; None for a source the parse
        cache has no key for (nothing of it is kept)."""
        key = self.keys.get(agenda.source)
        if key is None:
            return None
        digest = hashlib.sha256(f"idmgraph rdf unit {FORMAT}\0{key}\0{agenda.source}\0".encode())
        rows, organizations, texts, plain = [], {}, self._organizations, self._plain_posts
        for view in views:
            p = view.part
            posts = plain.get(view.posts)  # as plain tuples (marshal writes no named tuple), once
            if posts is None:
                posts = plain[view.posts] = [tuple(post) for post in view.posts]
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
                    posts,
                    view.level,
                    view.actor_type,
                    view.themes,
                )
            )
            for org in view.organizations:
                if org.key not in organizations:
                    text = texts.get(org)  # by the record itself (frozen), not by its key
                    if text is None:
                        text = texts[org] = repr(org)  # each of its fields
                    organizations[org.key] = text
        digest.update(_packed(rows))
        digest.update(repr(sorted(organizations.items())).encode("utf-8"))
        names = [f.name for f in fields(links[0])] if links else []  # each link's fields, all of them
        digest.update(_packed([tuple(getattr(link, name) for name in names) for link in links]))
        return digest.hexdigest()

    def _open(self) -> None:
        """The last pack opened and its index read, once; one whose index does not match its
        digest: none. It is read a unit at a time from the file opened here, each unit checked
        against its own checksum (a pack written meanwhile by another build replaces the file,
        not what is open)."""
        self._index = {}
        try:
            pack = self.path.open("rb")
        except OSError:
            self._pack = False
            return
        try:
            size = pack.seek(0, os.SEEK_END)
            pack.seek(max(size - _TAIL, 0))
            tail = pack.read(_TAIL).decode("ascii")
            length, sha256 = int(tail[1:17], 16), tail[17:81]
            if size < len(_HEAD) + length + _TAIL or len(tail) != _TAIL or tail[0] != "\n":
                raise ValueError("too short")
            pack.seek(size - _TAIL - length)
            raw = pack.read(length)
            pack.seek(0)
            if hashlib.sha256(raw).hexdigest() != sha256 or pack.read(len(_HEAD)) != _HEAD:
                raise ValueError("not the digest")
            index = json.loads(raw)
            if not isinstance(index, dict):
                raise ValueError("no index")
        except (OSError, ValueError, UnicodeDecodeError):
            pack.close()
            self._pack = False
            return
        self._pack, self._index, self._size = pack, index, size

    def check_ahead(self) -> None:
        """The last pack opened, and each of its units' bytes checked against its checksum in a
        thread (reading and CRC-32 give the interpreter back) while the build parses, or here
        where the system cannot read a file at an offset without moving it: ``take`` takes only
        the units found whole."""
        if self._pack is None:
            self._open()
        if not self._pack or self._whole is not None:
            return
        if not hasattr(os, "pread"):
            self._whole = Future()
            self._whole.set_result(_whole_units(self._read_unit, self._index))
            return
        fd = self._pack.fileno()
        pool = ThreadPoolExecutor(1, thread_name_prefix="idmgraph-units")
        self._whole = pool.submit(_whole_units, lambda offset, n: os.pread(fd, n, offset), dict(self._index))
        pool.shutdown(wait=False)  # its thread ends once they are checked
        self._checker = pool

    def settle(self) -> None:
        """Wait until the thread of ``check_ahead`` has ended (a pool of processes is forked
        only from a process that runs no other thread)."""
        if self._checker is not None:
            self._checker.shutdown(wait=True)

    def fingerprints(self) -> set[str]:
        """The fingerprints of the units the last pack holds (none: no pack that can be read)."""
        if self._pack is None:
            self._open()
        return set(self._index)

    def _read_unit(self, offset: int, length: int) -> bytes:
        self._pack.seek(offset)
        data = self._pack.read(length)
        if len(data) != length:
            raise ValueError("cut short")
        return data

    def unit(self, fingerprint: str) -> Unit | None:
        """The statements of a unit made in this build or kept by the last (without keeping it
        for the next), or None."""
        made = self._made.get(fingerprint)
        if made is not None:
            return made
        return self._kept(fingerprint)

    def _kept(self, fingerprint: str) -> Unit | None:
        """A unit the last pack holds, read and checked against its checksum, or None."""
        if self._pack is None:
            self._open()
        place = self._index.get(fingerprint)
        if place is None:
            return None
        try:
            offset, length, a, b, c, checksum = _place(place)
            data = self._read_unit(offset, length)
            if _checksum(data) != checksum:
                return None  # a damaged unit is no unit
            lines = data.decode("ascii").split("\n") if length else []
        except (OSError, TypeError, ValueError):
            return None
        if len(lines) != a + b + c:
            return None
        return Unit(lines[:a], lines[a : a + b], lines[a + b :])

    def take(self, fingerprint: str) -> Taken | None:
        """A unit of the last pack, kept for the next build, without reading its statements
        (``unit`` reads them where they are needed), or None. Its bytes are checked against its
        checksum (``check_ahead``): a damaged unit is no unit (its source is made anew)."""
        self.check_ahead()  # where the build did not ask for it before
        if self._whole is None or fingerprint not in self._whole.result():
            return None  # no pack, not in it, or damaged
        place = self._index[fingerprint]
        offset, length, a, b, c, checksum = _place(place)
        subjects = place[6]
        self._used[fingerprint] = (offset, length, a, b, c, checksum, subjects)
        self.hits += 1
        return Taken((a, b, c), subjects)

    def put(self, fingerprint: str, source: set[str], entities: set[str], derived: set[str]) -> None:
        """Keep a source's statements under their fingerprint: written at once into the pack
        this build will leave (nothing held in memory); a pack that cannot be written is left
        out, for the next build to make its sources anew."""
        unit = Unit(list(source), list(entities), list(derived))  # as they are now: the sets grow
        self._made[fingerprint] = unit
        data = "\n".join(line for block in unit for line in block).encode("ascii")
        if self._write(data):
            counts = (len(source), len(entities), len(derived))
            subjects = subject_codes(line for block in unit for line in block)
            self._used[fingerprint] = (
                None, self._offset - len(data), len(data), *counts, _checksum(data), subjects
            )

    def _write(self, data: bytes) -> bool:
        """Append to the pack being written (started at the first write); False if it cannot be."""
        if self._out is False:
            return False
        try:
            if self._out is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd, self._tmp = tempfile.mkstemp(prefix=".units-", dir=self.path.parent)
                self._out = os.fdopen(fd, "wb")
                self._out.write(_HEAD)
                self._offset = len(_HEAD)
            self._out.write(data)
        except OSError:
            self._drop_out()
            self._out = False
            return False
        self._offset += len(data)
        return True

    def csv_rows(self, key: str) -> bytes | None:
        """A source's rows of participations.csv kept by the last build under ``key`` (what
        ``build`` makes them from: the unit's fingerprint and what else they read), or None."""
        if self._csv_kept is None:
            try:
                self._csv_kept = _read_csv_rows((self.path.parent / CSV_ROWS).read_bytes())
            except (OSError, ValueError):
                self._csv_kept = {}  # none kept, or not whole: every source's rows made anew
        rows = self._csv_kept.get(key)
        if rows is not None:
            self._csv_used[key] = rows
        return rows

    def keep_csv_rows(self, key: str, rows: bytes) -> None:
        """Keep a source's rows of participations.csv for the next build (written by ``commit``)."""
        self._csv_used[key] = rows

    def _prepare_csv_rows(self) -> None:
        """The CSV rows this build used, written beside the file that keeps them (an entry is
        kept under a digest of what it is made from: the file left in place if this one cannot
        be written holds no wrong entry)."""
        if self._csv_used == (self._csv_kept or {}):
            return  # the file holds these rows and no others already (or none were made)
        entries = [_CSV_HEAD]
        for key, rows in sorted(self._csv_used.items()):
            entries.append(f"{key} {len(rows)} {zlib.crc32(rows):08x}\n".encode("ascii"))
            entries.append(rows)
        with contextlib.suppress(OSError):
            self._csv_tmp = temporary_file(self.path.parent, "csv-rows", b"".join(entries))

    def prepare(self) -> None:
        """What ``commit`` puts in place, written beside it (while the build's checks still
        run), and the CSV rows. Where the last pack can be read and holds no more units it
        names no longer than those it still names, the units made here and a new index are
        added to it by ``commit`` (``_append``); else a new pack is written whole, with the units
        taken from the last one. Nothing, where the last pack holds these units and no others.
        Prepared once; ``discard`` removes what it wrote."""
        if self._prepared:
            return
        self._prepared = True
        self._prepare_csv_rows()
        if self._pack is None:
            self._open()
        try:
            if self._out is None and self._used.keys() == self._index.keys():
                return  # the pack holds these units and no others already
            if not self._write(b""):  # the pack started, if no unit was made
                return
            made = self._offset - len(_HEAD)  # the bytes of the units made here
            live = sum(place[-6] for place in self._used.values())  # their lengths
            if self._pack and self._size + made - live <= _GARBAGE_SHARE * live + _GARBAGE_SLACK:
                index = {}
                for fingerprint in sorted(self._used):
                    place = self._used[fingerprint]
                    if place[0] is None:  # made here: placed after the last pack's end
                        place = (self._size + place[1] - len(_HEAD), *place[2:])
                    index[fingerprint] = list(place)
                self._append = json.dumps(index, separators=(",", ":")).encode("ascii")
                self._out.close()
                self._out = None
                return
            index = {}
            for fingerprint in sorted(self._used):
                place = self._used[fingerprint]
                if place[0] is not None:  # a unit of the last pack: copied
                    offset, length, *rest = place
                    place = (None, self._offset, length, *rest)
                    if not self._write(self._read_unit(offset, length)):
                        return
                index[fingerprint] = list(place[1:])
            raw = json.dumps(index, separators=(",", ":")).encode("ascii")
            if not self._write(raw):
                return
            self._out.write(_tail(raw))
            self._out.close()
            self._out = None  # written whole: self._tmp is the pack to put in place
        except (OSError, ValueError):
            self._drop_out()

    def _append_to_pack(self) -> None:
        """The units made here and the new index added to the end of the last pack, if it is
        still the file this build read (else left as it is); a pack an error leaves half
        written is cut back to what it was."""
        with open(self._tmp, "rb") as made, self.path.open("r+b") as pack:
            if os.fstat(pack.fileno()).st_ino != os.fstat(self._pack.fileno()).st_ino:
                return  # replaced by another build meanwhile
            if pack.seek(0, os.SEEK_END) != self._size:
                return
            try:
                made.seek(len(_HEAD))
                shutil.copyfileobj(made, pack)
                pack.write(self._append)
                pack.write(_tail(self._append))
                pack.flush()
            except OSError:
                pack.truncate(self._size)
                raise

    def commit(self) -> None:
        """The build is in place: the pack holds the units it used and an index of them (added
        to it, or put in place whole, never half), and the CSV rows file those it wrote; the
        files killed builds left are removed."""
        self.prepare()
        try:
            if self._csv_tmp is not None:
                os.replace(self._csv_tmp, self.path.parent / CSV_ROWS)
                self._csv_tmp = None
            if self._tmp is not None and self._out is None:
                if self._append is not None:
                    self._append_to_pack()
                else:
                    os.replace(self._tmp, self.path)
                    self._tmp = None
        except OSError:
            self._drop_out()  # the last pack stays: the next build makes the sources it lacks
        finally:
            self._close()
            (self.path.parent / "csv-rows.json").unlink(missing_ok=True)  # the form before this one
            for pattern in (".units-*", ".csv-rows-*"):
                for left in self.path.parent.glob(pattern):
                    left.unlink(missing_ok=True)

    def discard(self) -> None:
        """The pack being written and the CSV rows, given up (a build that failed), and the last
        pack closed."""
        self._drop_out()
        if self._csv_tmp is not None:
            Path(self._csv_tmp).unlink(missing_ok=True)
            self._csv_tmp = None
        self._close()

    def _drop_out(self) -> None:
        """The pack being written, closed and removed."""
        if self._out not in (None, False):
            self._out.close()
        if self._tmp is not None:
            Path(self._tmp).unlink(missing_ok=True)
        self._out, self._tmp = None, None

    def _close(self) -> None:
        if self._whole is not None:
            with contextlib.suppress(Exception):
                self._whole.result()  # the thread is done with the pack's file
            self._whole = None
        if self._pack not in (None, False):
            self._pack.close()
        self._pack = None
