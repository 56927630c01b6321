"""What the last good build of a folder leaves for the next one: the statements of its graph
(the union of its graphs, sorted N-Triples), so that a rebuild finds what changed and validates
only the nodes the change can reach (``validate.shacl_results_of_change``), and the segments of
its idm.trig and idm.ttl, so that it writes again only the segments that changed
(``idmgraph.segments``).

The statements live in the build's cache folder (``idmgraph.parse_cache.cache_folder``), under a
key that changes with idmgraph itself (its version and code), its reference data and its
ontology folder (shapes, checks): statements kept by another version of the shapes are not read.
They are written beside the build's files and put in place only once the build has succeeded,
so they always are those of the build in the output folder; ``idmgraph build --clean`` removes
them with the rest of the cache. A file that cannot be read is no state, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path

from .parse_cache import _digest_files, _tool_digest
from .paths import bundled

__all__ = ["LastBuild", "changed_statements"]

FOLDER = "last-build"
# past this share of the graph changed, the whole graph is validated again (the shapes engine
# then reads every statement anyway)
MOST_CHANGED = 0.25


@cache
def _key() -> str:
    digest = hashlib.sha256(_tool_digest().encode())
    _digest_files(digest, bundled("ontology"))
    try:
        from importlib.metadata import version

        digest.update(f"\0pyshacl-turbo {version('pyshacl-turbo')}".encode())
    except Exception:  # noqa: BLE001 (not installed: pySHACL validates, its version is in the code digest's reach)
        pass
    return digest.hexdigest()


class LastBuild:
    """The kept statements of the last good build of one output folder."""

    def __init__(self, cache_folder: Path):
        self.folder = Path(cache_folder) / FOLDER
        self._pending: Path | None = None
        self.segments: dict[str, dict] = {}  # the segment index of each file the build writes

    def previous_files(self, out_dir: Path) -> dict[str, tuple[bytes, dict]]:
        """The last good build's files that are as it wrote them (size and time of change), each
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
                stat = path.stat()
                if [stat.st_size, stat.st_mtime_ns] != entry["stat"]:
                    continue  # changed since: not the bytes the index describes
                out[name] = (path.read_bytes(), entry["index"])
            except (OSError, KeyError, TypeError):
                continue
        return out

    @property
    def _path(self) -> Path:
        return self.folder / "union.nt"

    def statements(self) -> list[str] | None:
        """The last good build's statements (N-Triples lines without their closing " ."), or
        None when there are none kept under this idmgraph's key."""
        try:
            if (self.folder / "key").read_text(encoding="ascii") != _key():
                return None
            text = self._path.read_text(encoding="ascii")
        except (OSError, ValueError):
            return None
        return [line[:-2] for line in text.splitlines()]

    def prepare(self, union: str) -> None:
        """Write the statements of the build under way (``Quads.ntriples`` text) beside the kept
        ones; ``commit`` puts them in place once the build has succeeded, ``discard`` drops them."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".union-", dir=self.folder)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(union)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._pending = Path(tmp)

    def commit(self, files: dict[str, Path]) -> None:
        """Put the build's statements in place, with the segment index of its ``files`` (by
        name, as written in the output folder)."""
        if self._pending is None:
            return
        (self.folder / "key").unlink(missing_ok=True)  # no key while the state is replaced
        os.replace(self._pending, self._path)
        kept = {}
        for name, index in self.segments.items():
            if name in files:
                stat = Path(files[name]).stat()
                kept[name] = {"stat": [stat.st_size, stat.st_mtime_ns], "index": index}
        (self.folder / "segments.json").write_text(json.dumps(kept), encoding="utf-8")
        (self.folder / "key").write_text(_key(), encoding="ascii")
        self._pending = None

    def discard(self) -> None:
        if self._pending is not None:
            self._pending.unlink(missing_ok=True)
            self._pending = None


def changed_statements(old: list[str], new: list[str]) -> list[str] | None:
    """The statements in one graph and not the other, sorted; None when they are so many that
    validating the whole graph again costs no more."""
    changed = set(old).symmetric_difference(new)
    if len(changed) > MOST_CHANGED * max(len(new), 1):
        return None
    return sorted(changed)
