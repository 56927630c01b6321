"""Facts of the IDM 2017 New York agenda (French), as a reader of the page establishes them."""

from conftest import people, session_by_label


def test_sessions_in_day_and_time_order(agenda_2017):
    got = [(s.day, s.start, s.end, s.kind, s.number) for s in agenda_2017.sessions]
    assert got == [
        ("2017-04-18", "10:00", "11:30", "opening", None),
        ("2017-04-18", "11:30", "13:00", "panel", 1),
        ("2017-04-18", "13:00", "15:00", "break", None),
        ("2017-04-18", "15:00", "16:30", "panel", 2),
        ("2017-04-18", "16:30", "18:00", "panel", 3),
        ("2017-04-19", "10:00", "11:30", "panel", 4),
        ("2017-04-19", "11:30", "13:00", "panel", 5),
        ("2017-04-19", "13:00", "15:00", "break", None),
        ("2017-04-19", "15:00", "16:30", "panel", 6),
        ("2017-04-19", "16:30", "17:00", "closing", None),
    ]


def test_eight_sessions_with_people_and_35_people(agenda_2017):
    with_people = [s for s in agenda_2017.sessions if s.moderators or s.speakers]
    assert len(with_people) == 8
    names = {p.name for s in agenda_2017.sessions for p in s.moderators + s.speakers}
    assert len(names) == 35


def test_event_from_source_yml(agenda_2017):
    ev = agenda_2017.event
    assert (ev.city, ev.start_date, ev.end_date, ev.language) == (
        "New York",
        "2017-04-18",
        "2017-04-19",
        "fr",
    )
    assert ev.title.startswith("Renforcer la coopération internationale")


def test_opening(agenda_2017):
    s = session_by_label(agenda_2017, "Session d’ouverture")
    assert people(s, "moderators") == []
    assert people(s) == ["William Lacy Swing", "Louise Arbour"]
    assert {p.contribution for p in s.speakers} == {"opening-remarks"}


def test_panel_1(agenda_2017):
    s = session_by_label(agenda_2017, "Panel 1")
    assert people(s, "moderators") == ["William Lacy Swing"]
    assert people(s) == [
        "Ahmed Hussen",
        "Isata Kabia",
        "Juan José Gómez Camacho",
        "Robert J. Vitillo",
        "Gregory Maniatis",
    ]
    assert [p.contribution for p in s.speakers] == ["statement", None, None, "statement", "statement"]


def test_panel_2_gets_the_headerless_speakers_block(agenda_2017):
    s = session_by_label(agenda_2017, "Panel 2")
    assert people(s, "moderators") == ["El Habib Nadir"]
    assert people(s) == ["Luigi Maria Vignali", "Paddy Torsney", "Ildegarde Niyonzima", "Alex Zalami"]
    placed = [w for w in agenda_2017.warnings if w.code == "block-placed"]
    assert [w.line for w in placed] == [38, 76]


def test_panel_3(agenda_2017):
    s = session_by_label(agenda_2017, "Panel 3")
    assert people(s, "moderators") == ["Sarah Cliffe"]
    assert people(s) == ["Elona Gjebrea Hoxha", "Francisco Hagó", "Berhane Gebre-Christos", "Bart Somers"]


def test_panel_4(agenda_2017):
    s = session_by_label(agenda_2017, "Panel 4")
    assert people(s, "moderators") == ["Ashley William Gois"]
    assert people(s) == ["Carmen Muñoz Quesada", "Firudin Nabiyev", "Hisham Badr", "Gordon Kihalangwa"]


def test_panel_5(agenda_2017):
    s = session_by_label(agenda_2017, "Panel 5")
    assert people(s, "moderators") == ["Götz Schmidt-Bremme"]
    assert people(s) == ["Mehmet Samsar", "James Cockayne", "Thomas Gass", "Maria Pia Belloni Mignatti"]


def test_panel_6_gets_the_headerless_moderator_and_speakers(agenda_2017):
    s = session_by_label(agenda_2017, "Panel 6")
    assert people(s, "moderators") == ["Laura Thompson"]
    assert people(s) == [
        "Jürg Lauber",
        "Riaz Hamidullah",
        "Margaret Pollack",
        "Berenice Valdez Rivera",
        "Austin T. Fragomen Jr.",
    ]


def test_closing(agenda_2017):
    s = session_by_label(agenda_2017, "Session de clôture")
    assert people(s, "moderators") == []
    assert people(s) == ["Peter Thomson", "Amina J. Mohammed", "Laura Thompson"]
    assert [p.contribution for p in s.speakers] == ["conclusions", "conclusions", "summary-and-conclusions"]


def _person(agenda, name):
    found = {p for s in agenda.sessions for p in s.moderators + s.speakers if p.name == name}
    assert found, name
    return sorted(found, key=lambda p: p.line)[0]


def test_states_read_from_state_names_and_posts(agenda_2017):
    states = {
        n: _person(agenda_2017, n).state
        for n in (
            "Juan José Gómez Camacho",
            "Jürg Lauber",
            "Riaz Hamidullah",
            "Margaret Pollack",
            "Berenice Valdez Rivera",
            "Firudin Nabiyev",
            "Alex Zalami",
            "Francisco Hagó",
            "Berhane Gebre-Christos",
            "Mehmet Samsar",
            "William Lacy Swing",
            "James Cockayne",
        )
    }
    assert states == {
        "Juan José Gómez Camacho": "MEX",
        "Jürg Lauber": "CHE",
        "Riaz Hamidullah": "BGD",
        "Margaret Pollack": "USA",
        "Berenice Valdez Rivera": None,
        "Firudin Nabiyev": "AZE",
        "Alex Zalami": "ARE",
        "Francisco Hagó": "ECU",
        "Berhane Gebre-Christos": "ETH",
        "Mehmet Samsar": "TUR",
        "William Lacy Swing": None,
        "James Cockayne": None,
    }


def test_country_is_not_whom_a_person_speaks_for(agenda_2017):
    """An NGO coordinator and a mayor are based in a country and speak for no state; a
    permanent representative and a minister speak for theirs."""
    got = {
        n: (_person(agenda_2017, n).state, _person(agenda_2017, n).country)
        for n in (
            "Berenice Valdez Rivera",
            "Bart Somers",
            "Juan José Gómez Camacho",
            "Ahmed Hussen",
            "Sarah Cliffe",
        )
    }
    assert got == {
        "Berenice Valdez Rivera": (None, "MEX"),
        "Bart Somers": (None, "BEL"),
        "Juan José Gómez Camacho": ("MEX", "MEX"),
        "Ahmed Hussen": ("CAN", "CAN"),
        "Sarah Cliffe": (None, None),  # New York is a city, not a state
    }


def test_roles_as_labelled(agenda_2017):
    roles = {(p.name, p.role) for s in agenda_2017.sessions for p in s.moderators}
    assert {r for _, r in roles} == {"moderator"} and len(roles) == 6
    speakers = {p.role for s in agenda_2017.sessions for p in s.speakers}
    assert speakers == {"speaker"}


def test_honorifics_kept_apart_before_and_after_the_name(agenda_2017):
    vitillo = _person(agenda_2017, "Robert J. Vitillo")
    assert vitillo.honorific == "Mgr"
    assert vitillo.posts == (
        "Secrétaire général de la Commission internationale catholique pour les migrations",
    )
    hamidullah = _person(agenda_2017, "Riaz Hamidullah")
    assert hamidullah.honorific == "M."


def test_several_posts_of_one_person(agenda_2017):
    gc = _person(agenda_2017, "Juan José Gómez Camacho")
    assert gc.posts == (
        "Ambassadeur extraordinaire et plénipotentiaire",
        "Représentant permanent du Mexique auprès des Nations Unies",
        "Co-facilitateur des consultations et négociations intergouvernementales sur le Pacte Mondial sur la Migration",
    )


def test_titles_with_commas_and_parentheses(agenda_2017):
    assert _person(agenda_2017, "Ahmed Hussen").posts == (
        "Ministre de l’immigration, des réfugiés et de la citoyenneté",
    )
    k = _person(agenda_2017, "Gordon Kihalangwa")
    assert k.posts[0] == "Général de division (retraité)"
    assert k.contribution == "presentation"
    assert _person(agenda_2017, "Paddy Torsney").organizations == ("Union interparlementaire (UIP)",)


def test_verbatim_text_is_the_agenda_entry(agenda_2017):
    kabia = _person(agenda_2017, "Isata Kabia")
    assert kabia.text == (
        "Isata Kabia, Deuxième Ministre d’Etat, Ministère des affaires étrangères "
        "et de la coopération internationale, Sierra Leone"
    )
    gass = _person(agenda_2017, "Thomas Gass")
    assert gass.text.endswith("Département des affaires économiques et sociales des Nations Unies (DAES)")


def test_guessed_boundary_is_reported(agenda_2017):
    guessed = [w for w in agenda_2017.warnings if w.code == "boundary-guessed"]
    assert len(guessed) == 1 and guessed[0].line == 54 and "Robert J. Vitillo" in guessed[0].message
