"""Line classification: time slots, dates and day headings, role labels and session headings,
in every form the genre uses, in English, French and Spanish."""

from datetime import date

import pytest

from idmgraph.agenda.dates import find_dates, parse_slot, resolve_date
from idmgraph.agenda.lines import Line, split_bullet
from idmgraph.agenda.names import NameModel
from idmgraph.agenda.segment import Classifier
from idmgraph.lexicon import load_lexicon
from idmgraph.organizations import load_organizations
from idmgraph.records import AgendaError
from idmgraph.states import load_states


@pytest.fixture(scope="module")
def classifier():
    lex = load_lexicon()
    return Classifier(lex, NameModel(lex, load_states(), load_organizations()))


def kinds(classifier, text, **line):
    return [(it.kind, it.text) for it in classifier.classify(Line(1, text, **line), "x.txt")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10h – 11h30      Session d’ouverture", ("10:00", "11:30", "Session d’ouverture")),
        ("9h00 – 10h00 Enregistrement", ("09:00", "10:00", "Enregistrement")),
        ("10:00-10:15 Welcome", ("10:00", "10:15", "Welcome")),
        ("9:00 – 09:30 Opening", ("09:00", "09:30", "Opening")),
        ("10.00 – 13.00 Plenary", ("10:00", "13:00", "Plenary")),
        ("10 a. m. - 1 p. m.", ("10:00", "13:00", "")),
        ("10 a. m. - 1 p. m. / 3 p. m. - 6 p. m.", ("10:00", "18:00", "")),
        ("9:00 am – 10:30 am Keynote", ("09:00", "10:30", "Keynote")),
        ("2:00 - 3:30 pm Panel 2", ("14:00", "15:30", "Panel 2")),
        ("10:00 - 1:00 pm Plenary", ("10:00", "13:00", "Plenary")),
        ("10am – 11am Panel 1", ("10:00", "11:00", "Panel 1")),
        ("9:00 am Registration", ("09:00", None, "Registration")),
        ("10.50 Coffee", ("10:50", None, "Coffee")),
        ("de 10h à 11h30 Table ronde", ("10:00", "11:30", "Table ronde")),
        ("de 10:00 a 11:30 Mesa redonda", ("10:00", "11:30", "Mesa redonda")),
        ("15:00 - 15:30 hrs Keynote Address", ("15:00", "15:30", "Keynote Address")),
        ("16h30 – 18h Panel 3 – Vers une approche", ("16:30", "18:00", "Panel 3 – Vers une approche")),
    ],
)
def test_time_slots(text, expected):
    slot = parse_slot(text)
    assert (slot.start, slot.end, slot.title) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Modérateur : Sarah Cliffe",
        "11 - 12 October 2016, Geneva",
        "2017 – 2018 co-chairs",
        "3.5 million migrants",
        "18 Avril 2017",
        "10 y 11 de diciembre de 2018",
    ],
)
def test_not_a_slot(text):
    assert parse_slot(text) is None


@pytest.mark.parametrize(
    "text, first, last, weekday",
    [
        ("PREMIERE JOURNEE – 18 Avril 2017", (18, 4, 2017), (18, 4, 2017), None),
        ("Day One October 15th, 2020", (15, 10, 2020), (15, 10, 2020), None),
        ("1er décembre 2019", (1, 12, 2019), (1, 12, 2019), None),
        ("24 April 2012|Day 1", (24, 4, 2012), (24, 4, 2012), None),
        ("Friday, 6October 2017", (6, 10, 2017), (6, 10, 2017), 4),
        ("19 Jun 2017 -  Opening segment", (19, 6, 2017), (19, 6, 2017), None),
        ("11 - 12 October 2016, Geneva", (11, 10, 2016), (12, 10, 2016), None),
        ("10 y 11 de diciembre de 2018", (10, 12, 2018), (11, 12, 2018), None),
        ("29 February – 1 March 2016", (29, 2, 2016), (1, 3, 2016), None),
        ("October 11-12, 2016", (11, 10, 2016), (12, 10, 2016), None),
        ("Lunes, 10 de diciembre", (10, 12, None), (10, 12, None), 0),
        ("Première journée – 1er mars 2016", (1, 3, 2016), (1, 3, 2016), None),
        ("2017-04-18", (18, 4, 2017), (18, 4, 2017), None),
    ],
)
def test_dates_in_every_form(text, first, last, weekday):
    (found,) = find_dates(text, load_lexicon())
    assert (found.first, found.last, found.weekday) == (first, last, weekday)


def test_a_date_without_year_takes_the_agendas_year():
    (found,) = find_dates("Martes, 11 de diciembre", load_lexicon())
    assert resolve_date(found.first, 2018) == date(2018, 12, 11)
    assert resolve_date(found.first, None) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("PREMIERE JOURNEE – 18 Avril 2017", [("day", "PREMIERE JOURNEE – 18 Avril 2017")]),
        ("Day 2", [("day", "Day 2")]),
        ("24 April 2012|Day 1", [("day", "24 April 2012|Day 1")]),
        ("Geneva, 8 October 2018", [("day", "Geneva, 8 October 2018")]),
        ("11 - 12 October 2016, Geneva", [("dates", "11 - 12 October 2016, Geneva")]),
        (
            "19 Jun 2017 -  Opening segment",
            [("day", "19 Jun 2017 -  Opening segment"), ("heading", "Opening segment")],
        ),
        (
            "The workshop was held on 8 October 2018 in Geneva.",
            [("text", "The workshop was held on 8 October 2018 in Geneva.")],
        ),
        ("Final agenda – version of 2 March 2016", [("text", "Final agenda – version of 2 March 2016")]),
    ],
)
def test_day_headings_and_dates_in_prose(classifier, text, expected):
    assert kinds(classifier, text) == expected


@pytest.mark.parametrize(
    "text, role, contribution, rest",
    [
        ("Moderator: Ana Ruiz, Senior Adviser", "moderator", None, "Ana Ruiz, Senior Adviser"),
        ("Moderator(s): A B", "moderator", None, "A B"),
        ("Modérateur : Sarah Cliffe", "moderator", None, "Sarah Cliffe"),
        ("Moderadora: Sra. María Ortega", "moderator", None, "Sra. María Ortega"),
        (
            "Moderated by H.E. Mr. Ben Poe, Director General",
            "moderator",
            None,
            "H.E. Mr. Ben Poe, Director General",
        ),
        ("Chair: H.E. Mr. Paul Roe", "chair", None, "H.E. Mr. Paul Roe"),
        ("Presider: Dr. C Dee", "chair", None, "Dr. C Dee"),
        ("Président de séance : M. X Y", "chair", None, "M. X Y"),
        ("Co-chairs: A B and C D", "co-chair", None, "A B and C D"),
        ("Co-presidentes:- Emb. Paul Roe", "co-chair", None, "Emb. Paul Roe"),
        ("Facilitator: Jane Roe", "moderator", None, "Jane Roe"),
        ("Speakers:", "speaker", None, ""),
        ("Orateurs :", "speaker", None, ""),
        ("Panellists:", "panellist", None, ""),
        ("Panelistas:", "panellist", None, ""),
        ("Discussant(s): Dr. C Dee", "discussant", None, "Dr. C Dee"),
        ("Respondent: Ms. E Eff", "respondent", None, "Ms. E Eff"),
        ("Keynote speaker: Ms. Eve Poe", "keynote-speaker", None, "Ms. Eve Poe"),
        ("Rapporteur: Ms. Ann Lee", "rapporteur", None, "Ms. Ann Lee"),
        ("Keynote Address", "keynote-speaker", None, ""),
        ("Relatora: Sra. Ana Gil", "rapporteur", None, "Sra. Ana Gil"),
        ("Introductory Speaker: Ms. D Dee", "speaker", None, "Ms. D Dee"),
        ("Opening statement: Ms. Ann Lee", None, "opening-remarks", "Ms. Ann Lee"),
        ("Discurso:- Sra. Eva Luna", None, "statement", "Sra. Eva Luna"),
        (
            "Opening Remarks by Jane Roe, Director General, IOM",
            None,
            "opening-remarks",
            "Jane Roe, Director General, IOM",
        ),
        ("Speeches by Mr. A Bee, and Mr. C Dee", None, "statement", "Mr. A Bee, and Mr. C Dee"),
        ("Présentation de M. Paul ROE, Président", None, "presentation", "M. Paul ROE, Président"),
        ("Welcoming remarks by the co-facilitators", None, "opening-remarks", "the co-facilitators"),
    ],
)
def test_labels_in_every_form(classifier, text, role, contribution, rest):
    (item,) = classifier.classify(Line(1, text), "x.txt")
    assert item.kind == "label"
    assert (item.label.role, item.label.contribution, item.label.rest) == (role, contribution, rest)


def test_a_bulleted_label_is_a_label(classifier):
    bullet, text = split_bullet("• Moderator: John Doe, Assistant Secretary-General")
    (item,) = classifier.classify(Line(1, text, bullet=bullet), "x.txt")
    assert (item.kind, item.label.role, item.text) == (
        "label",
        "moderator",
        "John Doe, Assistant Secretary-General",
    )


def test_several_labels_on_one_line(classifier):
    items = classifier.classify(
        Line(
            1,
            "Welcome remarks: Dr. A Bee (Director, X Institute). Speaker: Dr. B Cee (Y University). "
            "Discussant: Dr. C Dee (Z Center)",
        ),
        "x.txt",
    )
    got = [(it.label.role, it.label.contribution, it.text) for it in items]
    assert got == [
        (None, "opening-remarks", "Dr. A Bee (Director, X Institute)"),
        ("speaker", None, "Dr. B Cee (Y University)"),
        ("discussant", None, "Dr. C Dee (Z Center)"),
    ]


def test_a_heading_and_a_label_on_one_line(classifier):
    items = classifier.classify(
        Line(1, "Session II Panelists: Ann Lee, Senior Fellow; and Bob Ray, Director"), "x.txt"
    )
    assert [(it.kind, it.text) for it in items] == [
        ("heading", "Session II"),
        ("label", "Ann Lee, Senior Fellow; and Bob Ray, Director"),
    ]
    assert items[0].heading.number == 2


@pytest.mark.parametrize(
    "text, kind, number",
    [
        ("Panel 1: The impact of migration on host communities", "panel", 1),
        ("Session II", "panel", 2),
        ("Table ronde 3 – Les villes", "panel", 3),
        ("Mesa redonda 1: Migración laboral", "panel", 1),
        ("Opening remarks", "opening", None),
        ("- Opening Ceremony", "opening", None),
        ("Closing session", "closing", None),
        ("Lunch break", "break", None),
        ("Panel discussion: Migrants in a changing society", "other", None),
        ("EXPERTS EN MIGRATION", "other", None),
    ],
)
def test_session_headings_without_times(classifier, text, kind, number):
    bullet, rest = split_bullet(text)
    (item,) = classifier.classify(Line(1, rest, bullet=bullet), "x.txt")
    assert (item.kind, item.heading.kind, item.heading.number) == ("heading", kind, number)


def test_a_person_line_is_not_a_heading(classifier):
    assert kinds(classifier, "Jane Roe, Minister of Labour, Spain (Statement)")[0][0] == "text"
    assert kinds(classifier, "Ann Lee", level=3)[0][0] == "text"  # a name set as a heading


def test_sections_footers_and_ends(classifier):
    assert kinds(classifier, "Ordre du jour")[0][0] == "section"
    assert kinds(classifier, "Programa")[0][0] == "section"
    assert kinds(classifier, "Documents et photos de l'événement")[0][0] == "footer"
    assert kinds(classifier, "Fin de l’atelier")[0][0] == "end"
    assert kinds(classifier, ".", bullet="•")[0][0] == "blank"


@pytest.mark.parametrize("line", ["25:00 – 26:00 Panel", "10.75 – 11.30 Panel 1", "13 pm – 14 pm Panel"])
def test_unreadable_times_are_errors_with_the_line(classifier, line):
    with pytest.raises(AgendaError) as err:
        classifier.classify(Line(3, line, page=2), "x.pdf")
    assert err.value.line == 3 and err.value.path == "x.pdf" and "(page 2)" in str(err.value)


def test_lexicon_words_come_from_data():
    lex = load_lexicon()
    assert lex.contribution_markers["discours"] == "statement"
    assert lex.contribution_markers["opening remarks"] == "opening-remarks"
    assert lex.contribution_markers["palabras de clausura"] == "closing-remarks"
    assert lex.phrase_map("role_labels")["panelistas"] == "panellist"
    assert set(lex.languages) == {"en", "fr", "es"}
    assert lex.contribution_roles == {"keynote": "keynote-speaker"}
