"""Output folders (issue 11, point 7): idmgraph never deletes what it did not write."""

import hashlib
import os

import pytest

from conftest import SOURCES
from idmgraph.cli import main
from idmgraph.files import MARKER, OutputRefused, sha256_of_file, write_folder_atomically, write_pieces


def test_a_folder_idmgraph_did_not_write_is_refused(tmp_path, capsys):
    thesis = tmp_path / "thesis"
    thesis.mkdir()
    (thesis / "chapter1.tex").write_text("precious", encoding="utf-8")
    assert main(["build", str(SOURCES), "--out", str(thesis)]) == 2
    assert "holds files idmgraph did not write" in capsys.readouterr().err
    assert (thesis / "chapter1.tex").read_text(encoding="utf-8") == "precious"
    with pytest.raises(OutputRefused):
        write_folder_atomically(thesis, {"a.txt": b"x"})


def test_a_new_or_empty_folder_is_written_and_marked(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    files = write_folder_atomically(empty, {"a.txt": b"x"})
    assert files["a.txt"].read_bytes() == b"x" and (empty / MARKER).exists()
    write_folder_atomically(empty, {"b.txt": b"y"})  # its own folder: replaced
    assert not (empty / "a.txt").exists() and (empty / "b.txt").exists()


def test_a_rebuild_keeps_the_analysis_and_views_inside_the_build(tmp_path):
    out = tmp_path / "build"
    assert main(["build", str(SOURCES), "--out", str(out)]) == 0
    assert main(["viz", "--build", str(out)]) == 0
    assert (out / "views" / "co-panel.html").exists()
    assert main(["build", str(SOURCES), "--out", str(out)]) == 0
    assert (out / "views" / "co-panel.html").exists() and (out / "idm.trig").exists()


def test_leftovers_of_a_killed_write_are_cleaned(tmp_path):
    out = tmp_path / "build"
    dead = tmp_path / ".build.old-999999"  # a process that no longer runs
    dead.mkdir()
    stale = tmp_path / ".build.tmp-abc"
    stale.mkdir()
    os.utime(stale, (0, 0))
    fresh = tmp_path / ".build.tmp-now"  # maybe a write running now: left alone
    fresh.mkdir()
    write_folder_atomically(out, {"a.txt": b"x"})
    assert not dead.exists() and not stale.exists() and fresh.exists()


def test_a_file_given_in_pieces_is_written_as_their_bytes_in_order(tmp_path, monkeypatch):
    """More pieces than one system call takes, views of one buffer among bytes and empty pieces,
    and a write that stops short (as a full pipe or a signal can make it): the file holds the
    pieces joined, and its SHA-256 read from the disk is theirs."""
    last = bytes(range(256)) * 40
    view = memoryview(last)
    pieces = [view[i : i + 7] if i % 3 else bytes([i % 256]) * (i % 5) for i in range(0, 2600)]
    wanted = b"".join(pieces)
    write_pieces(tmp_path / "a", pieces)
    assert (tmp_path / "a").read_bytes() == wanted
    assert sha256_of_file(tmp_path / "a") == hashlib.sha256(wanted).hexdigest()
    if hasattr(os, "writev"):
        real = os.writev

        def short(fd, buffers):  # writes at most 1000 bytes a call, cutting a piece in two
            taken, left = [], 1000
            for b in buffers:
                taken.append(bytes(b)[:left])
                left -= len(taken[-1])
                if not left:
                    break
            return real(fd, taken)

        monkeypatch.setattr(os, "writev", short)
        write_pieces(tmp_path / "b", pieces)
        assert (tmp_path / "b").read_bytes() == wanted
    write_pieces(tmp_path / "empty", [b"", view[:0]])
    assert (tmp_path / "empty").read_bytes() == b""
    assert sha256_of_file(tmp_path / "empty") == hashlib.sha256(b"").hexdigest()
