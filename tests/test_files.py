"""Output folders (issue 11, point 7): idmgraph never deletes what it did not write."""

import os

import pytest

from conftest import SOURCES
from idmgraph.cli import main
from idmgraph.files import MARKER, OutputRefused, write_folder_atomically


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
