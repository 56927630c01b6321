"""What the last good build of a folder leaves for the next one: the index of the segments of
its idm.trig and idm.ttl (``idmgraph.segments``: each segment's digest and place), so that a
rebuild copies the segments that did not change, and finds what did: the statements of the
idm.ttl segments whose digests are not in both builds, read back from the last file. From
them the shapes validate only the nodes the change can reach
(``validate.shacl_results_of_change``).

The index lives in the build's cache folder (``idmgraph.parse_cache.cache_folder``), under a
key that changes with idmgraph itself (its version and code), its reference data and its
ontology folder (shapes, checks): an index kept by another version is not read. It is written
once the build's files are in place, with their size and SHA-256: a file changed since (by
hand, or by another build beside this one) is not read from. ``idmgraph build --clean`` removes
it with the rest of the cache. An index that cannot be read is no index, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from .parse_cache import digest_files, tool_digest
from .paths import bundled
from .quads import statement_of

__all__ = ["LastBuild", "changed_statements", "MOST_CHANGED"]

FOLDER = "last-build"
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


class LastBuild:
    """The segment index of the last good build of one output folder."""

    def __init__(self, cache_folder: Path):
        self.folder = Path(cache_folder) / FOLDER
        self.segments: dict[str, dict] = {}  # the index of each file the build under way writes

    def previous_files(self, out_dir: Path) -> dict[str, tuple[bytes, dict]]:
        """The last good build's files that are as it wrote them (their size and SHA-256), each
        with its segment index (``idmgraph.segments``), by name; none kept: {}."""
        try:
            if (self.folder / "key").read_text(encoding="ascii") != _key():
                return {}
            kept = json.loads((self.folder / "segments.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        out = {}
        for name, entry in kept.items() if isinstance(kept, dict) else ():
            path = Path(out_dir) / name
            try:
                if path.stat().st_size != entry["size"]:
                    continue  # changed since: not the bytes the index describes
                data = path.read_bytes()
                if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                    continue  # the same size, other bytes (an edit, a build that ran beside)
                out[name] = (data, entry["index"])
            except (OSError, KeyError, TypeError):
                continue
        return out

    def commit(self, written: dict[str, bytes]) -> None:
        """Keep the segment index of the files the build wrote (their bytes by name), once they
        are in place in the output folder."""
        kept = {}
        for name, index in self.segments.items():
            if name in written:
                data = written[name]
                kept[name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "index": index}
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "key").unlink(missing_ok=True)  # no key while the index is replaced
        fd, tmp = tempfile.mkstemp(prefix=".segments-", dir=self.folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(kept, out)
            os.replace(tmp, self.folder / "segments.json")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        (self.folder / "key").write_text(_key(), encoding="ascii")


def _statements_of(turtle: bytes) -> list[str]:
    """The statements of Turtle text as the build holds them (N-Triples in ASCII, no " .")."""
    return [statement_of(t) for t in ox.parse(turtle, format=ox.RdfFormat.TURTLE)]


def changed_statements(
    previous: tuple[bytes, dict] | None, statements: list[str], digests: list[tuple[str, int, int]]
) -> list[str] | None:
    """The statements in the graph of the last good build or in this one but not in both,
    sorted, from the segments of idm.ttl: ``previous`` is the last file with its index,
    ``digests`` this build's segments of ``statements`` as (digest, first, end). None when there
    is no last file, or so much changed that validating the whole graph costs no more."""
    if previous is None:
        return None
    old, index = previous
    head = index["prefixes"].encode("utf-8")
    now = {digest for digest, _, _ in digests}
    before = {digest for digest, _, _ in index["segments"]}
    gone = [_statements_of(head + old[a:b]) for digest, a, b in index["segments"] if digest not in now]
    came = [statements[a:b] for digest, a, b in digests if digest not in before]
    changed = {t for part in gone for t in part}.symmetric_difference(t for part in came for t in part)
    if len(changed) > MOST_CHANGED * max(len(statements), 1):
        return None
    return sorted(changed)
