"""Never a person that is not one, never a person cut short.

``data/names/not-people.txt`` holds more than 200 real posts and organisations (English, French,
Spanish) that must never come out as a person; ``data/names/people.txt`` more than 100 person
names in several scripts and naming traditions that must come out whole. Each is tried in the
places an agenda puts it: alone on a line, after a name, inside a run-together paragraph, after
a state, after an honorific. The reader knows none of these names: it reads shapes and the
lexicon, so a failure here is a defect of the reader, never fixed by adding a name anywhere.
"""

from pathlib import Path

import pytest

from idmgraph.agenda.people import PeopleReader
from idmgraph.lexicon import load_lexicon
from idmgraph.organizations import load_organizations
from idmgraph.states import load_states

NAMES = Path(__file__).parent / "data" / "names"
READER = PeopleReader(load_lexicon(), load_states(), load_organizations())


def _load(name: str) -> list[str]:
    lines = (NAMES / name).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


NOT_PEOPLE = _load("not-people.txt")
PEOPLE = _load("people.txt")


def names_in(text: str) -> list[str]:
    return [p.name for p in READER.read(text, 1, "t").people]


def test_the_sets_are_large_enough():
    assert len(NOT_PEOPLE) >= 200 and len(set(NOT_PEOPLE)) == len(NOT_PEOPLE)
    assert len(PEOPLE) >= 100 and len(set(PEOPLE)) == len(PEOPLE)


@pytest.mark.parametrize("text", NOT_PEOPLE)
def test_a_post_or_organisation_is_never_a_person(text):
    assert names_in(text) == [], "alone on a line"
    assert names_in(f"Jane Roe, {text}, Kenya (Statement)") == ["Jane Roe"], "after a name"
    assert names_in(f"Jane Roe, Director, {text}, Kenya (Statement) John Doe, Minister, {text}") == [
        "Jane Roe",
        "John Doe",
    ], "inside a run-together paragraph"
    assert names_in(f"Ms. Ann Lee, Adviser, {text}; and Mr. Bob Ray, Director, {text}") == [
        "Ann Lee",
        "Bob Ray",
    ]


@pytest.mark.parametrize("name", PEOPLE)
def test_a_name_comes_out_whole(name):
    assert names_in(f"{name}, Minister of Labour, Kenya (Statement)") == [name], "first on a line"
    assert names_in(f"Jane Roe, Director, Ghana {name}, Minister of Labour, Kenya (Statement)") == [
        "Jane Roe",
        name,
    ], "after a state, with no marker between"
    assert names_in(f"Jane Roe, Director, X Institute (Statement) {name}, Minister of Labour, Kenya") == [
        "Jane Roe",
        name,
    ], "after a contribution marker"
    assert names_in(f"Jane Roe, Director, X Institute; {name}, Professor, Y University") == ["Jane Roe", name]
    (p,) = READER.read(f"H.E. {name}, Ambassador, Kenya", 1, "t").people
    assert (p.honorific, p.name) == ("H.E.", name), "after an honorific"
