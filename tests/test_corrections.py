"""Reviewed corrections of single entries (data/curation/corrections.yml): each applied and
reported, a stale or malformed one stopping the build with its own file and line."""

from pathlib import Path

import pytest

from idmgraph.agenda.assemble import assemble_agenda
from idmgraph.agenda.readers import read_document
from idmgraph.curation import load_corrections
from idmgraph.lexicon import load_lexicon
from idmgraph.organizations import load_organizations
from idmgraph.paths import curation_dir
from idmgraph.records import AgendaError
from idmgraph.states import load_states

AGENDA = Path(__file__).parent / "data" / "corrections" / "corrections-agenda.txt"
SOURCE = "corrections-agenda"


def read(corrections_yaml: str, tmp_path):
    path = tmp_path / "corrections.yml"
    path.write_text(corrections_yaml, encoding="utf-8")
    return assemble_agenda(
        read_document(AGENDA),
        SOURCE,
        load_lexicon(),
        load_states(),
        load_organizations(),
        corrections=load_corrections(path),
    )


def speakers(agenda):
    return {p.name: p for s in agenda.sessions for p in s.speakers}


def test_without_corrections_the_reader_warns_where_it_guessed(tmp_path):
    agenda = read("corrections: []\n", tmp_path)
    assert set(speakers(agenda)) == {"Samuel Hall", "Tom Berg", "John Doe", "Lisa Wong", "Mary Poe"}
    codes = {(w.line, w.code) for w in agenda.warnings}
    # "Migrant Hub Sukarno": a lone word before a name may open a longer name ("Hellenic Coast
    # Guard"), so the field is kept whole, and said so; the curation line settles it
    assert {(8, "not-a-person"), (9, "boundary-guessed"), (10, "boundary-doubted")} <= codes
    assert speakers(agenda)["Lisa Wong"].organizations == ("Migrant Hub Sukarno",)


def test_each_correction_applies_and_is_reported(tmp_path):
    agenda = read(
        f"""corrections:
  - {{source: {SOURCE}, line: 7, not_a_person: "Samuel Hall", note: a research company, not a person}}
  - {{source: {SOURCE}, line: 8, person: "bell hooks", note: she wrote her name in lower case}}
  - {{source: {SOURCE}, line: 10, split_before: "Sukarno"}}
  - {{source: {SOURCE}, line: 10, person: "Sukarno", note: one name}}
  - {{source: {SOURCE}, line: 9, join: "John Doe", note: one entry}}
  - {{source: {SOURCE}, line: 11, entry: "Mary Poe", set: {{state: null, role: keynote-speaker}}}}
""",
        tmp_path,
    )
    got = speakers(agenda)
    assert set(got) == {"bell hooks", "Tom Berg", "Lisa Wong", "Sukarno", "Mary Poe"}
    assert got["bell hooks"].posts == ("Professor",) and got["bell hooks"].organizations == ("Berea College",)
    assert (got["Sukarno"].posts, got["Sukarno"].state) == (("Adviser",), "IDN")
    assert got["Lisa Wong"].organizations == ("Migrant Hub",)
    assert got["Tom Berg"].text.endswith("Kallang Heritage Trust, Singapore")
    assert (got["Mary Poe"].state, got["Mary Poe"].country, got["Mary Poe"].role) == (
        None,
        "KEN",
        "keynote-speaker",
    )
    corrected = [w for w in agenda.warnings if w.code == "corrected"]
    assert len(corrected) == 6 and all("corrections.yml:" in w.message for w in corrected)


def test_a_stale_correction_stops_the_build_at_its_line(tmp_path):
    with pytest.raises(AgendaError) as err:
        read(f"corrections:\n  - {{source: {SOURCE}, line: 9, not_a_person: 'Nobody Here'}}\n", tmp_path)
    assert err.value.path.endswith("corrections.yml") and err.value.line == 2
    assert "matches nothing" in err.value.message


@pytest.mark.parametrize(
    "row, words",
    [
        ("{source: x, line: 3}", "exactly one of"),
        ("{source: x, line: 3, set: {colour: red}, entry: A}", "cannot set 'colour'"),
        ("{source: x, line: 3, set: {role: king}, entry: A}", "role must be one of"),
        ("{source: x, line: 3, set: {state: Switzerland}, entry: A}", "alpha-3"),
        ("{source: x, line: three, not_a_person: A}", "line must be a number"),
        ("{line: 3, not_a_person: A}", "needs 'source'"),
    ],
)
def test_a_malformed_correction_names_its_line(row, words, tmp_path):
    path = tmp_path / "c.yml"
    path.write_text(f"# corrections\ncorrections:\n  - {{source: x, line: 1, not_a_person: A}}\n  - {row}\n")
    with pytest.raises(AgendaError) as err:
        load_corrections(path)
    assert (err.value.line, words in err.value.message) == (4, True), err.value


def test_the_bundled_corrections_file_is_valid():
    assert (curation_dir() / "corrections.yml").exists()
    assert load_corrections() == []
