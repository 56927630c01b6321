"""Days and sessions from agendas that bend the genre: cut short, parallel sessions, people under
a break, dates in the wrong places, people named for no session."""

from idmgraph.agenda.assemble import assemble_agenda
from idmgraph.agenda.lines import Document
from idmgraph.agenda.readers.text import text_lines
from idmgraph.lexicon import load_lexicon
from idmgraph.organizations import load_organizations
from idmgraph.states import load_states


def read(text: str, hints=None):
    doc = Document("t.txt", "text", "text/plain", tuple(text_lines(text)))
    return assemble_agenda(doc, "t", load_lexicon(), load_states(), load_organizations(), hints)


def names(session):
    return [p.name for p in session.moderators + session.speakers]


def codes(agenda):
    return [(w.line, w.code) for w in agenda.warnings]


def test_a_truncated_last_line_drops_its_last_entry_and_says_so():
    agenda = read(
        "Workshop\nGeneva, 3 May 2021\n\n10:00 - 11:00 Panel 1: Data\n"
        "• Jane Roe, Minister of Labour, Spain (Statement)\n• John Doe, Minister of"
    )
    assert names(agenda.sessions[0]) == ["Jane Roe"]
    assert (6, "truncated") in codes(agenda)


def test_parallel_sessions_keep_apart():
    agenda = read(
        "Forum\nBerlin, 4 May 2021\n\n11:00 - 12:30 Roundtable 1.1: Labour\nModerator: Ann Lee, Director, X Institute\n"
        "11:00 - 12:30 Roundtable 1.2: Data\nModerator: Bob Ray, Director, Y Institute\n"
    )
    assert [s.id for s in agenda.sessions] == ["2021-05-04T11:00", "2021-05-04T11:00-2"]
    assert [names(s) for s in agenda.sessions] == [["Ann Lee"], ["Bob Ray"]]
    assert [s.kind for s in agenda.sessions] == ["panel", "panel"]  # numbered 1.1 and 1.2


def test_people_under_a_break_make_it_a_session_with_a_warning():
    agenda = read(
        "Forum\nBerlin, 4 May 2021\n\n13:00 - 14:00 Lunch\nKeynote speaker: Ms. Eve Poe, Mayor of Bonn\n"
    )
    (s,) = agenda.sessions
    assert (s.kind, names(s)) == ("other", ["Eve Poe"])
    assert any(c == "people-in-break" for _, c in codes(agenda))


def test_a_day_without_year_and_a_contradicting_weekday():
    agenda = read(
        "Taller regional\nQuito, 10 y 11 de diciembre de 2018\n\nMartes, 10 de diciembre\n"
        "10:00 - 11:00 Mesa redonda 1: Datos\nModerador: Sr. Luis Pérez, Director, Instituto X\n"
    )
    assert agenda.sessions[0].day == "2018-12-10"
    assert (agenda.event.start_date, agenda.event.end_date) == ("2018-12-10", "2018-12-11")
    assert (4, "weekday-mismatch") in codes(agenda)  # 10 December 2018 was a Monday


def test_a_stale_date_in_the_header_is_not_the_meeting():
    agenda = read(
        "Final agenda – version of 2 March 2016\nInternational Dialogue on Migration\n"
        "29 February – 1 March 2016, New York\n\nDay 1\n10:00 - 11:00 Opening session\n"
        "• Jane Roe, Director General, International Organization for Migration (Opening remarks)\n"
        "Day 2\n10:00 - 11:00 Closing session\n"
        "• John Doe, Deputy Director General, International Organization for Migration (Closing remarks)\n"
    )
    assert (agenda.event.start_date, agenda.event.end_date, agenda.event.city) == (
        "2016-02-29",
        "2016-03-01",
        "New York",
    )
    assert [s.day for s in agenda.sessions] == ["2016-02-29", "2016-03-01"]


def test_people_named_for_no_session_are_kept_for_the_whole_event():
    agenda = read(
        "Ministers to meet on migration\nGeneva, 5 June 2022\n\n"
        "The meeting will discuss labour migration.\n\nRemarks will be made by:\n"
        "• Ann Lindqvist, Minister of Interior of Sweden\n• Mr. Carlos Batista, Secretary of State for Communities, Portugal\n"
    )
    (s,) = agenda.sessions
    assert (s.kind, s.id, s.day) == ("event", "event", None)
    assert [(p.name, p.state, p.contribution) for p in s.speakers] == [
        ("Ann Lindqvist", "SWE", "remarks"),
        ("Carlos Batista", "PRT", "remarks"),
    ]
    assert agenda.event.start_date == "2022-06-05"


def test_a_venue_no_list_holds_is_read_from_its_place_before_the_dates():
    for header, city in (
        ("Yaoundé (Cameroun), 4 et 5 juin 2025", "Yaoundé"),
        ("Bobo-Dioulasso, 4-5 June 2025", "Bobo-Dioulasso"),
        ("San Pedro Sula, 4 y 5 de junio de 2025", "San Pedro Sula"),
    ):
        agenda = read(
            f"Atelier\n{header}\n\n10:00 - 11:00 Panel 1: Data\n• Jane Roe, Minister of Labour, Spain\n"
        )
        assert (agenda.event.city, agenda.event.start_date, agenda.event.end_date) == (
            city,
            "2025-06-04",
            "2025-06-05",
        )
    # a weekday before the date is no venue
    agenda = read(
        "Forum\nThursday, 4 June 2025\n\n10:00 - 11:00 Panel 1: Data\n• Jane Roe, Minister of Labour, Spain\n"
    )
    assert agenda.event.city is None


def test_a_labelled_entry_that_reads_as_no_one_is_a_warning_never_a_description():
    agenda = read(
        "Dialogue\nGeneva, 4 May 2021\n\n10:00 - 11:00 Panel 1: Data\n"
        "Modératrice : Mme Directrice Claire Martin, Directrice générale adjointe, Organisation "
        "internationale pour les migrations\n"
    )
    (s,) = agenda.sessions
    assert s.description is None and (5, "not-a-person") in codes(agenda)
