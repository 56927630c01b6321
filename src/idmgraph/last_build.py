"""What the last good build of a folder leaves for the next one: the index of the segments of
its idm.trig and idm.ttl (``idmgraph.segments``: each segment's digest and place), so that a
rebuild copies the segments that did not change, and finds what did: the statements of the
idm.ttl segments whose digests are not in both builds, read back from the last file. From
them the shapes validate only the nodes the change can reach
(``validate.shacl_results_of_change``).

Beside the index, the union of that build's graphs in an on-disk Oxigraph store
(``KeptStore``): the next build patches it with what changed and runs its SPARQL checks on it,
where loading the whole union into a new store took a second at 400 agendas. A mark names it
and the SHA-256 of the idm.ttl whose triples it holds, and is written only once it holds them:
a build that patches it takes the mark away until the build is committed (the new file's mark)
or the patch is undone (the old one), so a store left half-patched (a build killed) is never
read, only loaded anew.

The index lives in the build's cache folder (``idmgraph.parse_cache.cache_folder``), under a
key that changes with idmgraph itself (its version and code), its reference data and its
ontology folder (shapes, checks): an index kept by another version is not read. It is written
once the build's files are in place, with their size and SHA-256: a file changed since (by
hand, or by another build beside this one) is not read from. ``idmgraph build --clean`` removes
it with the rest of the cache. An index that cannot be read is no index, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from .files import temporary_file, write_file_atomically
from .parse_cache import digest_files, tool_digest
from .paths import bundled
from .quads import joined_statements, names_blank_node, statement_of

__all__ = [
    "Change",
    "KeptStore",
    "LastBuild",
    "Made",
    "changed_statements",
    "statements_of_turtle",
    "MOST_CHANGED",
]

FOLDER = "last-build"
MADE = "made.lines"  # what the last good build's dataset was made of (``Made``)
# past this share of the graph changed, the whole graph is validated again (the shapes engine
# then reads every statement anyway)
MOST_CHANGED = 0.25


@cache
def _key() -> str:
    digest = hashlib.sha256(tool_digest().encode())
    digest_files(digest, bundled("ontology"))
    try:
        from importlib.metadata import version

        digest.update(f"\0pyshacl-turbo {version('pyshacl-turbo')}".encode())
    except Exception:  # noqa: BLE001 (not installed: pySHACL validates)
        pass
    return digest.hexdigest()


@dataclass
class Made:
    """What a build's dataset was made of: each source's unit fingerprint
    (``idmgraph.rdf_units``), and the statements each graph holds that no unit gave, by the
    graph's name in N-Triples ("" for the default graph)."""

    units: dict[str, str]
    shared: dict[str, set[str]]


class LastBuild:
    """The segment index of the last good build of one output folder, and what its dataset
    was made of."""

    def __init__(self, cache_folder: Path):
        self.folder = Path(cache_folder) / FOLDER
        self.segments: dict[str, dict] = {}  # the index of each file the build under way writes
        self.sha256: dict[str, str] = {}  # the SHA-256 of each last file found as it was written
        self.made: Made | None = None  # what the build under way was made of, to keep
        self._ready: dict[str, Path] = {}  # the files ``prepare`` wrote, by the name they take
        self._read: dict[str, Future] = {}  # what ``read_ahead`` reads, by what it is
        self._reader: ThreadPoolExecutor | None = None  # the thread that reads it

    def read_ahead(self, out_dir: Path) -> None:
        """Read the last good build's files and what its dataset was made of in a thread, while
        the build parses and resolves (reading and hashing give the interpreter back):
        ``previous_files`` and ``previous_made`` then give what it read."""
        pool = ThreadPoolExecutor(1, thread_name_prefix="idmgraph-last-build")
        self._read = {
            "files": pool.submit(self._previous_files, Path(out_dir)),
            "made": pool.submit(self._previous_made),
        }
        pool.shutdown(wait=False)  # its thread ends once both are read
        self._reader = pool

    def settle(self) -> None:
        """Wait until the thread of ``read_ahead`` has ended (a pool of processes is forked only
        from a process that runs no other thread)."""
        if self._reader is not None:
            self._reader.shutdown(wait=True)

    def previous_files(self, out_dir: Path) -> dict[str, tuple[bytes, dict]]:
        """The last good build's files that are as it wrote them (their size and SHA-256), each
        with its segment index (``idmgraph.segments``), by name; none kept: {}."""
        read = self._read.get("files")
        found, sha256 = read.result() if read is not None else self._previous_files(Path(out_dir))
        self.sha256.update(sha256)
        return found

    def _previous_files(self, out_dir: Path) -> tuple[dict[str, tuple[bytes, dict]], dict[str, str]]:
        """``previous_files``, and the SHA-256 of each file it gives."""
        sha256s: dict[str, str] = {}
        try:
            if (self.folder / "key").read_text(encoding="ascii") != _key():
                return {}, sha256s
            kept = json.loads((self.folder / "segments.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}, sha256s
        out = {}
        for name, entry in kept.items() if isinstance(kept, dict) else ():
            path = Path(out_dir) / name
            try:
                found = path.stat()
                if found.st_size != entry["size"]:
                    continue  # changed since: not the bytes the index describes
                data = path.read_bytes()
                # the same file (inode) unchanged since it was written (a write or a change of
                # its times sets its ctime, which no one can set back): not hashed again; else
                # its bytes are compared by their SHA-256
                same = _identity(found) == entry.get("stat")
                if not same and hashlib.sha256(data).hexdigest() != entry["sha256"]:
                    continue  # the same size, other bytes (an edit, a build that ran beside)
                out[name] = (data, entry["index"])
                sha256s[name] = entry["sha256"]
            except (OSError, KeyError, TypeError):
                continue
        return out, sha256s

    def previous_made(self) -> Made | None:
        """What the last good build's dataset was made of, or None (none kept, or its bytes
        not those it was written with)."""
        read = self._read.get("made")
        return read.result() if read is not None else self._previous_made()

    def _previous_made(self) -> Made | None:
        try:
            if (self.folder / "key").read_text(encoding="ascii") != _key():
                return None
            raw = (self.folder / MADE).read_bytes()
            digest, _, rest = raw.partition(b"\n")
            if hashlib.sha256(rest).hexdigest().encode("ascii") != digest:
                return None
            head, _, body = rest.partition(b"\n")
            described = json.loads(head)
            lines = body.decode("ascii").split("\n")
            shared, at = {}, 0
            for name, count in described["graphs"]:
                shared[name] = set(lines[at : at + count])
                at += count
            if at != len(lines) - 1 or not isinstance(described["units"], dict):
                return None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return Made(described["units"], shared)

    def _made_bytes(self) -> bytes:
        graphs = sorted(self.made.shared.items())
        counts = [[name, len(lines)] for name, lines in graphs]
        head = json.dumps({"units": self.made.units, "graphs": counts})
        body = "".join(line + "\n" for _, lines in graphs for line in lines)
        rest = head.encode("ascii") + b"\n" + body.encode("ascii")
        return hashlib.sha256(rest).hexdigest().encode("ascii") + b"\n" + rest

    def prepare(self, sums: dict[str, str], sizes: dict[str, int], files: Path | None = None) -> None:
        """What ``commit`` keeps, written beside it (while the build's checks still run): the
        segment index of the files the build writes (by name, their SHA-256 and size) and what
        its dataset was made of. ``files``: the folder the files are written in (the output
        folder's, or the one swapped in for it): the identity of each file there is kept too."""
        kept = {}
        for name, index in self.segments.items():
            if name in sums:
                kept[name] = {"size": sizes[name], "sha256": sums[name], "index": index}
                if files is not None:
                    kept[name]["stat"] = _identity((files / name).stat())
        stale = self._ready.pop("segments.json", None)  # one prepared before: replaced
        if stale is not None:
            stale.unlink(missing_ok=True)
        index = json.dumps(kept).encode("utf-8")
        self._ready["segments.json"] = temporary_file(self.folder, "segments", index)
        self.prepare_made()

    def prepare_made(self) -> None:
        """What the build's dataset was made of (``made``), written beside where ``commit`` puts
        it, once: a build writes it while its files are still being written and hashed."""
        if self.made is not None and MADE not in self._ready:
            self._ready[MADE] = temporary_file(self.folder, "made", self._made_bytes())

    def commit(self) -> None:
        """Keep what ``prepare`` wrote (or, if it was not, what this build made of its dataset and
        no segment index), once the files are in place in the output folder."""
        if "segments.json" not in self._ready:
            self.prepare({}, {})
        (self.folder / "key").unlink(missing_ok=True)  # no key while the index is replaced
        ready, self._ready = self._ready, {}
        try:
            for name, tmp in ready.items():
                os.replace(tmp, self.folder / name)
            if MADE not in ready:
                (self.folder / MADE).unlink(missing_ok=True)
        except BaseException:
            for tmp in ready.values():
                tmp.unlink(missing_ok=True)
            raise
        (self.folder / "key").write_text(_key(), encoding="ascii")

    def discard(self) -> None:
        """What ``prepare`` wrote, removed (a build that failed)."""
        for tmp in self._ready.values():
            tmp.unlink(missing_ok=True)
        self._ready = {}


def _identity(found: os.stat_result) -> list[int]:
    """A file's identity as a rebuild checks it: its device and inode, size, and times of
    change in nanoseconds."""
    return [found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns]


def statements_of_turtle(turtle: bytes) -> list[str]:
    """The statements of Turtle text as the build holds them (N-Triples in ASCII, no " .")."""
    return [statement_of(t) for t in ox.parse(turtle, format=ox.RdfFormat.TURTLE)]


@dataclass(frozen=True)
class Change:
    """How this build's union differs from the last good build's: statements (N-Triples, no
    " .") that went and statements that came, each list sorted."""

    removed: list[str]
    added: list[str]

    @property
    def statements(self) -> list[str]:
        """Every statement in one graph and not the other, sorted."""
        return sorted(self.removed + self.added)


def changed_statements(
    previous: tuple[bytes, dict] | None, statements: list[str], digests: list[tuple[str, int, int]]
) -> Change | None:
    """How the union of the last good build differs from this one's, from the segments of
    idm.ttl: ``previous`` is the last file with its index, ``digests`` this build's segments of
    ``statements`` as (digest, first, end). None when there is no last file, or so much changed
    that validating the whole graph costs no more."""
    if previous is None:
        return None
    old, index = previous
    head = index["prefixes"].encode("utf-8")
    now = {digest for digest, _, _ in digests}
    before = {digest for digest, _, _ in index["segments"]}
    gone = {
        t
        for digest, a, b in index["segments"]
        if digest not in now
        for t in statements_of_turtle(head + old[a:b])
    }
    came = {t for digest, a, b in digests if digest not in before for t in statements[a:b]}
    if len(gone ^ came) > MOST_CHANGED * max(len(statements), 1):
        return None
    return Change(sorted(gone - came), sorted(came - gone))


MARK = "store.mark"  # "<folder of the store> <SHA-256 of the idm.ttl whose union it holds>"
# the union goes into a new store this many statements at a time (Oxigraph's bulk loader holds
# what it loads in memory: the whole of a million triples would add 0.7 GB to a build's peak)
LOAD_CHUNK = 100_000


class KeptStore:
    """The on-disk store of the last good build's union, in a folder of the cache folder's
    ``last-build`` that its mark names, for this build's checks: patched where the mark says it
    holds the last build's union, else loaded anew in a folder of its own (the mark names that
    one once the build is committed).

    A mark is written only by a build that holds the store (Oxigraph locks it) and has just
    made it hold the union the mark names, so two builds of one folder at once never leave a
    mark that lies: the one that finds the store taken loads its own."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.store: ox.Store | None = None  # the store this build holds, until committed or undone
        self._name: str | None = None
        self._undo: tuple[str, Change] | None = None  # for a patched store: its mark, the change

    def open(
        self,
        marked: str | None,
        change: Callable[[], Change | None],
        statements: list[str] | Callable[[], list[str]],
    ) -> ox.Store:
        """A store whose default graph holds ``statements`` (this build's union, or a function
        that makes it): the kept one patched with ``change()`` (what changed; it may wait for
        it, the store is taken first) where its mark is ``marked`` (the last idm.ttl's
        SHA-256), else a new one (in memory where none can be made on disk)."""
        taken = None if marked is None else self._take(marked)
        found = change()
        if taken is not None:
            if found is not None and not any(map(names_blank_node, found.removed + found.added)):
                self.store, self._undo = taken, (marked, found)
                _apply(taken, found.removed, found.added)
                return taken
            self._mark(marked)  # too much changed, or a blank node (none to name): left as it was
            del taken
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = Path(tempfile.mkdtemp(prefix="store-", dir=self.folder))
            store, self._name = ox.Store(str(path)), path.name
        except OSError:  # a file system a store cannot live on: one in memory, not kept
            store, self._name = ox.Store(), None
        if callable(statements):  # made only now that they are needed
            statements = statements()
        for first in range(0, len(statements), LOAD_CHUNK):
            text = joined_statements(statements[first : first + LOAD_CHUNK])
            store.bulk_load(text, format=ox.RdfFormat.N_TRIPLES)
        if self._name is not None:
            store.optimize()  # one file a level: the next build opens and reads it faster
            self.store = store
        return store

    def _read_mark(self) -> tuple[str, str] | None:
        try:
            name, sha256 = (self.folder / MARK).read_text(encoding="ascii").split()
        except (OSError, ValueError):
            return None
        return name, sha256

    def _take(self, marked: str) -> ox.Store | None:
        """The kept store, held and unmarked, where its mark is ``marked``; else None."""
        mark = self._read_mark()
        if mark is None or mark[1] != marked or not (self.folder / mark[0] / "CURRENT").is_file():
            return None
        try:
            store = ox.Store(str(self.folder / mark[0]))  # held by another build: OSError
            if self._read_mark() != mark:
                return None  # marked anew meanwhile
            (self.folder / MARK).unlink()  # unmarked until committed or undone
        except (OSError, RuntimeError):  # RuntimeError: a damaged store (loaded anew, then removed)
            return None
        self._name = mark[0]
        return store

    def commit(self, sha256: str) -> None:
        """The build is in place: mark the store as holding the union of its idm.ttl (by the
        file's SHA-256), and remove the stores no build holds that the mark does not name."""
        store, self.store = self.store, None
        if store is None:
            return
        try:
            store.flush()
        except OSError:  # left unmarked, for the next build to load anew: this build is in place
            pass
        else:
            self._mark(sha256)
        del store  # closed: nothing else holds it
        for path in self.folder.glob("store-*"):
            if path.name != self._name:
                _remove_unless_held(path)
        self._undo = None

    def undo(self) -> None:
        """The build failed: the kept store back as the last good build left it (a new one is
        removed). A store that cannot be put back stays unmarked: the next build loads anew."""
        store, self.store = self.store, None
        if store is None:
            return
        if self._undo is None:
            del store
            shutil.rmtree(self.folder / self._name, ignore_errors=True)
            return
        marked, change = self._undo
        self._undo = None
        try:
            _apply(store, change.added, change.removed)
            store.flush()
        except (OSError, SyntaxError, ValueError):  # left unmarked: the build's own error is the one told
            return
        self._mark(marked)

    def _mark(self, sha256: str) -> None:
        """Mark the store this build holds as holding the union of the idm.ttl of ``sha256``. A
        mark that cannot be written (a full disk) is no error: the store stays unmarked, and
        the next build loads its own (a build in place is not failed, nor a failed build's own
        error hidden)."""
        with contextlib.suppress(OSError):
            write_file_atomically(self.folder / MARK, f"{self._name} {sha256}".encode("ascii"), "mark")


def _remove_unless_held(path: Path) -> None:
    """Remove a store folder, holding it while its files go (a build that holds it keeps it).

    A folder Oxigraph cannot open for a file gone or damaged (a removal cut short) is no store
    any build holds: it goes too (Oxigraph says a held store's lock with a bare OSError). The
    files the store writes as it is opened and closed (a compaction that opening begins, in
    threads of its own) may land while the folder goes: the folder is removed again once the
    store is closed, else such a folder stays, damaged."""
    try:
        held = ox.Store(str(path))
    except (FileNotFoundError, RuntimeError):  # RuntimeError: Oxigraph's "Corruption"
        held = None
    except OSError:
        return
    shutil.rmtree(path, ignore_errors=True)
    del held  # closed: its threads are done
    shutil.rmtree(path, ignore_errors=True)


def _apply(store: ox.Store, removed: list[str], added: list[str]) -> None:
    """Take ``removed`` from the store's default graph and put ``added`` in (N-Triples
    statements without " .")."""
    # one update, not a call a statement: a thread beside the build's waits for the interpreter
    # at each call (an N-Triples statement is a triple of SPARQL's DELETE DATA; ``removed``
    # and ``added`` hold no blank node, which a new parse could not name as the store does)
    if removed:
        store.update(f"DELETE DATA {{\n{joined_statements(removed)}}}")
    store.load(joined_statements(added), format=ox.RdfFormat.N_TRIPLES)
