"""Reviewed curation settles what the ingester refuses to guess."""

import pytest

from conftest import BAD
from idmgraph.agenda.assemble import assemble_agenda
from idmgraph.agenda.readers import read_document
from idmgraph.curation import load_assignments
from idmgraph.lexicon import load_lexicon
from idmgraph.organizations import load_organizations
from idmgraph.records import AgendaError
from idmgraph.states import load_states


def _assemble(assignments):
    path = BAD / "ambiguous.txt"
    return assemble_agenda(
        read_document(path),
        "ambiguous",
        load_lexicon(),
        load_states(),
        load_organizations(),
        None,
        assignments,
    )


def test_ambiguous_block_stops_with_candidates_and_the_fix():
    with pytest.raises(AgendaError) as err:
        _assemble({})
    msg = str(err.value)
    assert err.value.line == 19
    assert "2018-10-08T10:00 (Panel 1 – Data)" in msg and "2018-10-08T14:00 (Panel 3 – Return)" in msg
    assert "data/curation/block-assignments.yml" in msg


def test_a_reviewed_assignment_places_the_block():
    agenda = _assemble({19: "2018-10-08T14:00"})
    panel3 = next(s for s in agenda.sessions if s.number == 3)
    assert [p.name for p in panel3.speakers] == ["John Doe"]
    assert any(w.code == "block-placed" and "reviewed assignment" in w.message for w in agenda.warnings)


def test_an_assignment_to_a_missing_session_is_an_error():
    with pytest.raises(AgendaError, match="does not have"):
        _assemble({19: "2018-10-08T23:00"})


def test_load_assignments(tmp_path):
    path = tmp_path / "a.yml"
    path.write_text(
        "assignments:\n  - {source: s1, line: 19, session: '2018-10-08T14:00'}\n"
        "  - {source: s2, line: 5, session: '2018-10-08T10:00'}\n",
        encoding="utf-8",
    )
    assert load_assignments("s1", path) == {19: "2018-10-08T14:00"}
    path.write_text("assignments:\n  - {source: s1, line: 19}\n", encoding="utf-8")
    with pytest.raises(AgendaError, match="lacks session"):  # named by file, exit 2
        load_assignments("s1", path)
