"""Line classification: time slots, day headings and the genre's labels, French and English."""

from datetime import date
from pathlib import Path

import pytest

from idmgraph.agenda.segment import classify_lines, parse_date, parse_time_slot
from idmgraph.lexicon import load_lexicon
from idmgraph.records import AgendaError


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10h – 11h30      Session d’ouverture", ("10:00", "11:30", "Session d’ouverture")),
        ("10:00 – 11:30 Panel 1", ("10:00", "11:30", "Panel 1")),
        ("10:00-10:15 Welcome", ("10:00", "10:15", "Welcome")),
        ("9:00 – 09:30 Opening", ("09:00", "09:30", "Opening")),
        ("16h30 – 18h Panel 3 – Vers une approche", ("16:30", "18:00", "Panel 3 – Vers une approche")),
        ("9:00 am – 10:30 am Keynote", ("09:00", "10:30", "Keynote")),
        ("2:00 pm - 3:30 pm Panel 2", ("14:00", "15:30", "Panel 2")),
    ],
)
def test_time_slots(text, expected):
    assert parse_time_slot(text) == expected


def test_not_a_slot():
    assert parse_time_slot("Modérateur : Sarah Cliffe") is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("PREMIERE JOURNEE – 18 Avril 2017", date(2017, 4, 18)),
        ("DAY ONE – 8 October 2018", date(2018, 10, 8)),
        ("Day One October 15th, 2020", date(2020, 10, 15)),
        ("DEUXIEME JOURNEE – 19 Avril 2017", date(2017, 4, 19)),
        ("1er décembre 2019", date(2019, 12, 1)),
    ],
)
def test_day_headings(text, expected):
    assert parse_date(text, load_lexicon()) == expected


def test_classification_of_the_genre_words():
    text = "\n".join(
        [
            "Ordre du jour",
            "PREMIERE JOURNEE – 18 Avril 2017",
            "10h – 11h30 Panel 1 – X",
            "Modérateur : A B, Directeur",
            "Orateurs:",
            "Speakers:",
            "Moderator: C D, Director",
            "Fin de l’atelier",
            "Documents et photos de l'événement",
            "Some prose.",
        ]
    )
    kinds = [ln.kind for ln in classify_lines(text, load_lexicon(), "x.txt")]
    assert kinds == [
        "section",
        "day",
        "slot",
        "moderator",
        "speakers",
        "speakers",
        "moderator",
        "end",
        "footer",
        "text",
    ]


@pytest.mark.parametrize("line", ["10.00 – 11.30 Panel 1", "10am – 11am Panel 1", "25:00 – 26:00 Panel"])
def test_unreadable_times_are_errors_with_the_line(line):
    with pytest.raises(AgendaError) as err:
        classify_lines(f"Agenda\n\n{line}\n", load_lexicon(), "x.txt")
    assert err.value.line == 3 and err.value.path == "x.txt"


def test_lexicon_words_come_from_data():
    lex = load_lexicon()
    assert Path(__file__).parent.parent.joinpath("data/reference/lexicon.yml").exists()
    assert lex.contribution_markers["discours"] == "statement"
    assert lex.contribution_markers["opening remarks"] == "opening-remarks"
    assert lex.contribution_roles["summary-and-conclusions"] == "conclusions"
