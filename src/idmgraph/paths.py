"""Where idmgraph finds its files: its own (bundled with the package) and the project's.

**Bundled**: the ontology, shapes, checks, research queries, theme vocabularies and reference
data. In the repository they live at ``ontology/`` and ``data/reference/``; a wheel carries
copies under ``idmgraph/_data/`` (setup.py puts them there), read through
``importlib.resources``. An editable install reads the repository's own.

**The project**: the folder whose ``data/sources/`` holds the agendas and records to build,
``data/curation/`` the curator's decisions and ``data/build/`` the build. It is the folder given
with ``--project`` (or ``IDMGRAPH_PROJECT``), else the current folder or the nearest folder
above it that has a ``data/sources/`` (as git finds its repository), else the current folder.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

__all__ = [
    "bundled",
    "project_dir",
    "set_project",
    "default_sources",
    "default_records",
    "default_inputs",
    "default_out",
    "curation_dir",
    "in_checkout",
]

_REPOSITORY = Path(__file__).resolve().parent.parent.parent
# the repository's folder for each bundled part, and its place in a wheel
_PARTS = {"ontology": ("ontology",), "reference": ("data", "reference")}
_project: Path | None = None


def _wheel_data() -> Path | None:
    data = resources.files("idmgraph") / "_data"
    return Path(str(data)) if data.is_dir() else None


def in_checkout() -> bool:
    """Whether the bundled files are read from a source checkout (an editable install)."""
    return _wheel_data() is None


def bundled(part: str, *rest: str) -> Path:
    """A bundled file or folder: ``bundled("ontology", "queries")``, ``bundled("reference",
    "lexicon.yml")``."""
    if part not in _PARTS:
        raise KeyError(f"no bundled part {part!r}; one of {', '.join(_PARTS)}")
    data = _wheel_data()
    base = data / part if data is not None else _REPOSITORY.joinpath(*_PARTS[part])
    return base.joinpath(*rest)


def set_project(folder: Path | str | None) -> None:
    """Use this project folder from now on (None: find it again from the current folder)."""
    global _project
    _project = Path(folder).resolve() if folder is not None else None


def project_dir() -> Path:
    if _project is not None:
        return _project
    if os.environ.get("IDMGRAPH_PROJECT"):
        return Path(os.environ["IDMGRAPH_PROJECT"]).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "sources").is_dir():
            return folder
    return here


def default_sources() -> Path:
    return project_dir() / "data" / "sources"


def default_records() -> Path:
    """The project's curated records (``data/records/``): meetings compiled by hand from public pages."""
    return project_dir() / "data" / "records"


def default_inputs() -> list[Path]:
    """What a plain ``idmgraph build`` reads: the agendas and, where the project has them, the records."""
    return [default_sources()] + ([default_records()] if default_records().is_dir() else [])


def default_out() -> Path:
    return project_dir() / "data" / "build"


def curation_dir() -> Path:
    return project_dir() / "data" / "curation"
