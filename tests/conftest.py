"""Shared fixtures: the bundled 2017 source and the small test agendas, built once per run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from idmgraph.agenda import parse_agenda
from idmgraph.build import run_build
from idmgraph.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
SOURCE_2017 = SOURCES / "idm-2017-new-york-fr" / "idm-2017-new-york-fr.txt"
TEST_DATA = Path(__file__).resolve().parent / "data"
AGENDAS = TEST_DATA / "agendas"
LAYOUTS = TEST_DATA / "layouts"
BAD = TEST_DATA / "bad"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden files from the current output (review the diff!)",
    )


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def agenda_2017():
    return parse_agenda(SOURCE_2017)


@pytest.fixture(scope="session")
def build_2017(tmp_path_factory):
    return run_build([SOURCES], tmp_path_factory.mktemp("b2017") / "build")


@pytest.fixture(scope="session")
def store_2017(build_2017):
    return open_store(build_2017.out_dir)


@pytest.fixture(scope="session")
def build_all(tmp_path_factory):
    """The 2017 source with the English (2018) and French (2019) test agendas."""
    return run_build([SOURCES, AGENDAS], tmp_path_factory.mktemp("ball") / "build")


@pytest.fixture(scope="session")
def store_all(build_all):
    return open_store(build_all.out_dir)


def layout_corpus(tmp_path: Path, pattern: str, count: int) -> Path:
    """A sources folder holding copies of the first ``count`` test layouts matching ``pattern``
    (a corpus a test may change)."""
    folder = tmp_path / "sources"
    folder.mkdir()
    for path in sorted(LAYOUTS.glob(pattern))[:count]:
        shutil.copy(path, folder / path.name)
    return folder


def people(session, role="speakers"):
    return [p.name for p in getattr(session, role)]


def session_by_label(agenda, prefix):
    matches = [s for s in agenda.sessions if s.label.startswith(prefix)]
    assert len(matches) == 1, f"{prefix}: {[s.label for s in agenda.sessions]}"
    return matches[0]
