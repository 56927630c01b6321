"""Reviewed curation files in ``data/curation/``: decisions a person took, read by the pipeline."""

from __future__ import annotations

from pathlib import Path

from .lexicon import PROJECT_DIR, read_yaml

__all__ = ["CURATION_DIR", "load_assignments"]

CURATION_DIR = PROJECT_DIR / "data" / "curation"


def load_assignments(source_id: str, path: Path | None = None) -> dict[int, str]:
    """Reviewed placements of header-less blocks for one source: first line -> session id."""
    path = path or CURATION_DIR / "block-assignments.yml"
    if not path.exists():
        return {}
    data = read_yaml(path)
    out: dict[int, str] = {}
    for i, row in enumerate(data.get("assignments") or [], start=1):
        missing = {"source", "line", "session"} - set(row)
        if missing:
            raise ValueError(f"{path}: assignment {i} lacks {', '.join(sorted(missing))}")
        if row["source"] == source_id:
            out[int(row["line"])] = str(row["session"])
    return out
