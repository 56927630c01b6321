"""Stage 1: agenda files -> records. ``parse_agenda`` is the entry point.

``readers`` turn each published format into the same numbered lines; ``segment`` classifies
lines with the lexicon; ``people`` reads speaker entries; ``assemble`` builds days and sessions.
Format knowledge never leaves the readers, language knowledge never leaves the lexicon.
"""

from __future__ import annotations

from pathlib import Path

from ..curation import load_assignments, load_corrections
from ..lexicon import load_lexicon
from ..organizations import load_organizations
from ..records import Agenda
from ..sources import Source, read_source
from ..states import load_states
from .assemble import assemble_agenda
from .readers import read_document

__all__ = ["parse_agenda", "parse_source", "read_document"]


def parse_source(source: Source) -> Agenda:
    """Parse one source's agenda with its source.yml hints and reviewed curation (a curated
    record: its checked data, see ``idmgraph.curated``)."""
    if source.meta.get("kind") == "record":
        from ..curated import parse_record

        return parse_record(source)
    doc = read_document(source.path)
    return assemble_agenda(
        doc,
        source.id,
        load_lexicon(),
        load_states(),
        load_organizations(),
        source.hints,
        load_assignments(source.id),
        load_corrections(),
    )


def parse_agenda(path: str | Path) -> Agenda:
    """Parse the agenda file at *path* (its folder's source.yml is used when present), or the
    curated record at *path*."""
    from ..curated import is_record, read_record_source

    path = Path(path)
    return parse_source(read_record_source(path) if is_record(path) else read_source(path))
