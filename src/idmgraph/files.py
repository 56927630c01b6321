"""Writing output folders so that a failure never destroys the last good one, and idmgraph never
deletes what it did not write.

Every folder idmgraph writes holds a marker file (``.idmgraph-output``). A folder that exists, is
not empty and has no marker is refused: ``idmgraph build --out ~/thesis`` does not empty a
thesis. Subfolders the new output does not hold (``analysis/`` and ``views/`` inside a build) are
kept. Leftovers of a killed run (``.NAME.tmp-*``, ``.NAME.old-PID``) are cleaned on the next.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "write_folder_atomically",
    "write_file_atomically",
    "temporary_file",
    "FolderWrite",
    "write_pieces",
    "sha256_of_file",
    "check_output_folder",
    "OutputRefused",
    "MARKER",
]

MARKER = ".idmgraph-output"
_STALE_S = 3600  # a temporary folder this old belongs to no running write
# what a build, an analysis or the views wrote before the marker existed (idmgraph 0.1.0)
_LEGACY = ("idm.trig", "report.md", "participation.html")


class OutputRefused(Exception):
    """The output folder holds files idmgraph did not write (exit code 2)."""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_leftovers(out_dir: Path) -> None:
    """Remove what a killed write left beside out_dir."""
    for path in out_dir.parent.glob(f".{out_dir.name}.old-*"):
        pid = path.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _pid_alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
    for path in out_dir.parent.glob(f".{out_dir.name}.tmp-*"):
        try:
            if time.time() - path.stat().st_mtime > _STALE_S:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass


def check_output_folder(out_dir: Path) -> None:
    """Refuse a folder that exists, is not empty and was not written by idmgraph."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputRefused(f"{out_dir}: not a folder; give a new or empty folder for the output")
    ours = (out_dir / MARKER).exists() or any((out_dir / f).exists() for f in _LEGACY)
    if out_dir.is_dir() and any(out_dir.iterdir()) and not ours:
        raise OutputRefused(
            f"{out_dir}: this folder holds files idmgraph did not write, and writing there would "
            "replace them; give a new or empty folder (or one an earlier idmgraph run wrote)"
        )


def write_folder_atomically(
    out_dir: Path, files: dict[str, bytes], made_by: str = "idmgraph"
) -> dict[str, Path]:
    """Write files into a temporary folder beside out_dir, then swap it in by renames.

    Until the swap, out_dir is untouched; if anything fails, the temporary folder is removed.
    Subfolders of the old out_dir that the new files do not hold are moved into the new one.
    """
    return FolderWrite(out_dir, files, made_by).commit()


class FolderWrite:
    """``write_folder_atomically`` in two steps: the files written into a temporary folder beside
    out_dir now (a build writes them while its checks still run), and swapped in by ``commit``,
    or removed by ``discard``; out_dir is untouched until the swap."""

    def __init__(self, out_dir: Path, files: dict[str, bytes], made_by: str = "idmgraph"):
        self.out_dir = out_dir = Path(out_dir).resolve()
        self.names = list(files)
        check_output_folder(out_dir)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        _clean_leftovers(out_dir)
        self.tmp: Path | None = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
        try:
            for name, data in files.items():
                (self.tmp / name).write_bytes(data)
            (self.tmp / MARKER).write_text(
                f"written by {made_by}; idmgraph may replace this folder\n", encoding="utf-8"
            )
        except BaseException:
            self.discard()
            raise

    def add(self, name: str, data: bytes | Sequence) -> None:
        """One more file, written into the folder to be swapped in: its bytes, or their pieces in
        order (``write_pieces``)."""
        if self.tmp is None:
            raise RuntimeError("a folder write that was discarded or committed already")
        if isinstance(data, (bytes, bytearray, memoryview)):
            (self.tmp / name).write_bytes(data)
        else:
            write_pieces(self.tmp / name, data)
        if name not in self.names:
            self.names.append(name)

    def commit(self) -> dict[str, Path]:
        """The written folder swapped in for out_dir; the path of each file by name."""
        out_dir, tmp = self.out_dir, self.tmp
        if tmp is None:
            raise RuntimeError("a folder write that was discarded or committed already")
        try:
            check_output_folder(out_dir)
            old = None
            if out_dir.exists():
                for sub in sorted(out_dir.iterdir()):
                    if sub.is_dir() and not sub.is_symlink() and not (tmp / sub.name).exists():
                        os.replace(sub, tmp / sub.name)  # analysis/, views/: not the build's to delete
                old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
                os.replace(out_dir, old)
            os.replace(tmp, out_dir)
            self.tmp = None
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            # subfolders moved over before a failure go back where they were
            if out_dir.exists():
                for sub in sorted(tmp.iterdir()) if tmp.exists() else ():
                    if sub.is_dir() and not (out_dir / sub.name).exists():
                        os.replace(sub, out_dir / sub.name)
            self.discard()
            raise
        return {name: out_dir / name for name in self.names}

    def discard(self) -> None:
        """The written folder removed (a build that failed); out_dir as it was."""
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None


_IOV_MAX = 1024  # pieces a writev takes at once (POSIX's least IOV_MAX)


def write_pieces(path: Path, pieces: Sequence) -> None:
    """A file whose bytes are given in pieces (bytes, or views of a larger buffer), written without
    joining them first: the system call takes a thousand pieces at a time and copies them into
    the file itself (a patched idm.trig is some thousand views of the last one: joining them
    made a copy of the whole file in memory first)."""
    views = [memoryview(p).cast("B") for p in pieces if len(p)]
    if not hasattr(os, "writev"):  # not a POSIX system
        with open(path, "wb") as out:
            out.writelines(views)
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        first = 0
        while first < len(views):
            done = os.writev(fd, views[first : first + _IOV_MAX])
            while done and first < len(views):  # a write may stop short: what is left goes again
                if done >= len(views[first]):
                    done -= len(views[first])
                    first += 1
                else:
                    views[first], done = views[first][done:], 0
    finally:
        os.close(fd)


def sha256_of_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, read through a map of the file (one call, which gives the
    interpreter back while it hashes)."""
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            return hashlib.sha256(b"").hexdigest()
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return hashlib.sha256(mapped).hexdigest()


def temporary_file(folder: Path, stem: str, data: bytes) -> Path:
    """A file of ``data`` in ``folder`` (made if missing) under a temporary name beginning
    ``.{stem}-``, to be renamed into place; nothing is left of it if it cannot be written."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{stem}-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_file_atomically(path: Path, data: bytes, stem: str | None = None) -> None:
    """``data`` written at ``path`` whole or not at all: a temporary file beside it (named
    ``.{stem}-...``, by default the file's own stem), then renamed over it."""
    tmp = temporary_file(path.parent, stem or path.stem, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
