"""Stage 1: agenda text -> records. ``parse_agenda`` is the entry point."""

from __future__ import annotations

from pathlib import Path

from ..curation import load_assignments
from ..lexicon import load_lexicon
from ..organizations import load_organizations
from ..records import Agenda
from ..sources import Source, read_source
from ..states import load_states
from .assemble import assemble_agenda
from .segment import read_agenda_text

__all__ = ["parse_agenda", "parse_source"]


def parse_source(source: Source) -> Agenda:
    """Parse one source's agenda with its source.yml hints and reviewed curation."""
    text = read_agenda_text(source.path)
    return assemble_agenda(
        text,
        source.path,
        source.id,
        load_lexicon(),
        load_states(),
        load_organizations(),
        source.hints,
        load_assignments(source.id),
    )


def parse_agenda(path: str | Path) -> Agenda:
    """Parse the agenda file at *path* (its folder's source.yml is used when present)."""
    return parse_source(read_source(Path(path)))
