"""Splitting run-together speakers and reading each entry's parts: names, honorifics, posts,
organisations, whom a person speaks for and where they are based, contributions and delivery."""

import pytest

from idmgraph.agenda.people import PeopleReader
from idmgraph.lexicon import load_lexicon
from idmgraph.organizations import load_organizations
from idmgraph.states import load_states

READER = PeopleReader(load_lexicon(), load_states(), load_organizations())


def read(text, **kw):
    r = READER.read(text, 1, "t", **kw)
    return r.people, r.warnings, r.rejected


def parse(text):
    people, warnings, _ = read(text)
    return people, warnings


def test_state_name_followed_by_a_name_ends_an_entry():
    people, warnings = parse(
        "Isata Kabia, Deuxième Ministre d’Etat, Ministère des affaires étrangères, "
        "Sierra Leone Juan José Gómez Camacho, Représentant permanent du Mexique "
        "auprès des Nations Unies (Discours)"
    )
    assert [(p.name, p.state, p.contribution) for p in people] == [
        ("Isata Kabia", "SLE", None),
        ("Juan José Gómez Camacho", "MEX", "statement"),
    ]
    assert warnings == []


def test_a_two_word_state_before_a_name_stays_whole():
    people, _ = parse(
        "Mr. Marco de la Fuente, Vice Minister of Public Security, Costa Rica Firudin Nabiyev, "
        "Head of the State Migration Service, Azerbaijan (Statement)"
    )
    assert [(p.name, p.state) for p in people] == [("Marco de la Fuente", "CRI"), ("Firudin Nabiyev", "AZE")]


def test_parenthesis_followed_by_a_name_ends_an_entry():
    people, _ = parse(
        "Thomas Gass, Sous-Secrétaire général, Département des affaires économiques "
        "et sociales des Nations Unies (DAES) Maria Pia Belloni Mignatti, Présidente du "
        "NGO Committee on Migration (Discours)"
    )
    assert [p.name for p in people] == ["Thomas Gass", "Maria Pia Belloni Mignatti"]
    assert people[1].organizations == ("NGO Committee on Migration",)


def test_state_represented_is_the_one_after_of_not_after_to():
    (p,), _ = parse("M. Riaz Hamidullah, Haut-Commissaire du Bangladesh au Sri Lanka (Discours)")
    assert (p.name, p.honorific, p.state) == ("Riaz Hamidullah", "M.", "BGD")
    (q,), _ = parse(
        "H.E. Mr. Jürg Lauber, Permanent Representative of Switzerland to the United Nations (Statement)"
    )
    assert (q.name, q.honorific, q.state, q.contribution) == ("Jürg Lauber", "H.E. Mr.", "CHE", "statement")
    (r,), _ = parse("Emb. Ana Solís, Embajadora de Costa Rica ante las Naciones Unidas en Ginebra.")
    assert (r.name, r.honorific, r.state) == ("Ana Solís", "Emb.", "CRI")


def test_honorifics_in_every_form():
    cases = {
        "H.E.Mr. Paul Roe,President of the Council": ("H.E. Mr.", "Paul Roe", ("President of the Council",)),
        "Mr. H.E. Tariq Aziz Khan, Federal Minister": ("Mr. H.E.", "Tariq Aziz Khan", ("Federal Minister",)),
        "His Excellency Paul Roe, President of the Conference": (
            "His Excellency",
            "Paul Roe",
            ("President of the Conference",),
        ),
        "Excmo. Sr. Andrés Felipe Gómez, Ministro de Trabajo": (
            "Excmo. Sr.",
            "Andrés Felipe Gómez",
            ("Ministro de Trabajo",),
        ),
        "Sra. Eva Luna Márquez, Presidenta de Fundación X": (
            "Sra.",
            "Eva Luna Márquez",
            ("Presidenta de Fundación X",),
        ),
        "S.E. Mme Aminata Touré-Ndiaye, Ministre": ("S.E. Mme", "Aminata Touré-Ndiaye", ("Ministre",)),
        "Ambassador Karim Haddad, Permanent Representative": (
            "Ambassador",
            "Karim Haddad",
            ("Permanent Representative",),
        ),
    }
    for text, (hon, name, posts) in cases.items():
        (p,), _ = parse(text)
        assert (p.honorific, p.name, p.posts) == (hon, name, posts), text


def test_honorific_after_the_name():
    (p,), _ = parse(
        "Robert J. Vitillo, Mgr, Secrétaire général de la Commission internationale "
        "catholique pour les migrations (Discours)"
    )
    assert (p.name, p.honorific) == ("Robert J. Vitillo", "Mgr")
    assert p.organizations == ("Commission internationale catholique pour les migrations",)


def test_name_particles_and_suffixes():
    people, _ = parse(
        "El Habib Nadir, Secrétaire général, Ministère chargé des affaires de la migration, "
        "Maroc (Discours) Austin T. Fragomen Jr., Président, Business Mechanism (Discours)"
    )
    assert [p.name for p in people] == ["El Habib Nadir", "Austin T. Fragomen Jr."]


def test_english_title_with_capitalised_portfolios():
    (p,), _ = parse("Maria Gonzalez, Minister of Labour, Social Security and Migration, Spain (Statement)")
    assert p.posts == ("Minister of Labour, Social Security and Migration",)
    assert (p.organizations, p.state) == ((), "ESP")
    (q,), _ = parse(
        "Rajiv Menon, Minister for Employment, Productivity and Industrial Relations, Fiji (Statement)"
    )
    assert (q.name, q.posts, q.state) == (
        "Rajiv Menon",
        ("Minister for Employment, Productivity and Industrial Relations",),
        "FJI",
    )
    (r,), _ = parse(
        "Ms. Tanvi Rao, Joint Secretary, Ministry of Environment, Forest and Climate Change, India"
    )
    assert r.organizations == ("Ministry of Environment, Forest and Climate Change",) and r.state == "IND"


def test_a_department_is_never_a_person():
    people, _, rejected = read(
        "Dr. Aisha Bello, Director, Department of Immigration Services, Nigeria (Presentation)"
    )
    assert [(p.name, p.posts, p.organizations, p.state) for p in people] == [
        ("Aisha Bello", ("Director",), ("Department of Immigration Services",), "NGA")
    ]
    assert rejected == []


def test_post_in_its_organisation():
    (p,), _ = parse("Sarah Cliffe, Directrice, Center on International Cooperation, Université de New York")
    assert p.posts == ("Directrice",)
    assert p.organizations == ("Center on International Cooperation", "Université de New York")
    assert p.post_organizations == (0,)
    (q,), _ = parse(
        "James Cockayne, Chef du Bureau de l’Université des Nations Unies auprès des Nations "
        "Unies, Représentant du Président du Groupe mondial sur la migration (GMG), New York (Discours)"
    )
    assert q.organizations == (
        "Bureau de l’Université des Nations Unies",
        "Groupe mondial sur la migration (GMG)",
    )
    assert q.post_organizations == (0, 1)
    assert q.state is None  # New York is a place, not a state


def test_posts_whose_head_word_comes_last():
    (p,), _ = parse(
        "Ms. Fatoumata Traoré, Civil Society Coordinator, Migration and Development Civil Society Network"
    )
    assert p.posts == ("Civil Society Coordinator",)
    assert p.organizations == ("Migration and Development Civil Society Network",)
    (q,), _ = parse("Mr. Gustavo Peña Rojas, Prosecutor General, Office of the Attorney General, Paraguay")
    assert (q.posts, q.organizations, q.state) == (
        ("Prosecutor General",),
        ("Office of the Attorney General",),
        "PRY",
    )


def test_whom_a_person_speaks_for_and_where_they_are_based():
    cases = [
        # NGO coordinator: based in Mexico, speaks for no state
        (
            "Berenice Valdez Rivera, Coordonnatrice des politiques publiques, Instituto para las Mujeres en la "
            "Migración (IMUMI), Mexique (Discours)",
            None,
            "MEX",
        ),
        # a mayor speaks for no state
        ("Bart Somers, Maire de Malines, Belgique (Discours)", None, "BEL"),
        ("Pierre-Yves Lambert, Mayor of Lyon, France", None, "FRA"),
        # academia, civil society, an NGO named after a country
        ("Prof. Hélène Dubois-Martin, Professor, Université de Montréal, Canada", None, "CAN"),
        ("Mr. Joseph Kariuki, Head of Disaster Risk Reduction, Kenya Red Cross Society, Kenya", None, "KEN"),
        ("Fatou Diallo, Présidente, Réseau des jeunes migrants, Sénégal (Présentation)", None, "SEN"),
        # a location in parentheses
        ("Mr. Abdou Karim Sall, Researcher, Cheikh Anta Diop University (Dakar, Senegal)", None, "SEN"),
        # government, parliament, mission, public service
        (
            "Ahmed Hussen, Ministre de l’immigration, des réfugiés et de la citoyenneté, Canada (Discours)",
            "CAN",
            "CAN",
        ),
        ("Mr. Duarte Pacheco, Member of Parliament, Portugal", "PRT", "PRT"),
        (
            "Mr. Henrik Dahl, Counsellor, Permanent Mission of Norway to the United Nations Office at Geneva",
            "NOR",
            "NOR",
        ),
        ("His Excellency Rui Tavares Almeida, Minister of Foreign Affairs of Portugal", "PRT", "PRT"),
        ("H.E. Mr. Ben Oyelaran, Director General, Ministry of Justice of Nigeria", "NGA", "NGA"),
        ("Dr. Carla Mendes, National Director of Public Health, Ministry of Health, Brazil", "BRA", "BRA"),
        # the country of an organisation inside a post is not the person's state
        (
            "Ms. Ada Kowalczyk, Chairperson of the Board, Northern Rights Foundation and President of the Red Cross of Poland",
            None,
            "POL",
        ),
        # said to speak on a state's behalf
        ("Mr. John Kamau, Director, on behalf of the Government of Kenya", "KEN", "KEN"),
        # an international civil servant has neither
        (
            "William Lacy Swing, Directeur général de l’Organisation internationale pour les migrations",
            None,
            None,
        ),
    ]
    for text, state, country in cases:
        (p,), _ = parse(text)
        assert (p.state, p.country) == (state, country), text


def test_delivered_by():
    (p,), warnings = parse(
        "Jane Roe, Deputy Director General, International Organization for Migration, delivered by "
        "John Doe, Chief of Staff, International Organization for Migration (Statement)"
    )
    assert (p.name, p.posts, p.contribution) == ("John Doe", ("Chief of Staff",), "statement")
    author = p.on_behalf_of_person
    assert (author.name, author.posts, author.delivered_by) == (
        "Jane Roe",
        ("Deputy Director General",),
        "John Doe",
    )
    assert warnings == []


@pytest.mark.parametrize(
    "text, names",
    [
        ("Ann Lee, Senior Fellow, X Center; and Bob Ray, Director, Y Institute", ["Ann Lee", "Bob Ray"]),
        (
            "H.E. Ms. A. Sol, Permanent Representative of Spain and H.E. Mr. B. Luna, Deputy Permanent Representative "
            "of Chile",
            ["A. Sol", "B. Luna"],
        ),
        ("Ms. Sue Hill, Some University and Mr. Dan Oak, Some Federation", ["Sue Hill", "Dan Oak"]),
        (
            "Mr. Habib El Malki, the Speaker of the House of Representatives, and Mr. Hakim Benchamach, President of "
            "the House of Councillors",
            ["Habib El Malki", "Hakim Benchamach"],
        ),
        (
            "Ambassador Juan Carlos Mendoza, Co-chair, Migration Policy Forum, and Dr. Kathleen Brandt, Co-chair, "
            "Migration Policy Forum",
            ["Juan Carlos Mendoza", "Kathleen Brandt"],
        ),
        ("Ann Lee and Bob Ray", ["Ann Lee", "Bob Ray"]),
        (
            "Ms. Aisha Jumwa Katana, Member of the National Assembly, Kenya; Mr. Jaime Arroyo Gómez, Senator, Mexico",
            ["Aisha Jumwa Katana", "Jaime Arroyo Gómez"],
        ),
    ],
)
def test_people_joined_by_and_or_semicolons(text, names):
    people, _ = parse(text)
    assert [p.name for p in people] == names


def test_and_inside_a_post_or_a_spanish_name_does_not_split():
    (p,), _ = parse("Tom Bergström, Minister of Labour and Social Inclusion, Norway (Remarks)")
    assert p.posts == ("Minister of Labour and Social Inclusion",)
    (q,), _ = parse(
        "Sra. Valentina Herrera y Herrera, Coordinadora, Red Regional de Organizaciones Civiles, Honduras"
    )
    assert (q.name, q.state, q.country) == ("Valentina Herrera y Herrera", None, "HND")


def test_contribution_labels_delivery_and_link_labels():
    (p,), _ = parse("H.E. Ms. Jane Roe, President, Republic of Mauritius (Keynote address | Video)")
    assert (p.contribution, p.contribution_label, p.delivery, p.role) == (
        "keynote",
        "Keynote address",
        "video",
        "keynote-speaker",
    )
    (q,), _ = parse("Ms. Eve Kaminski, Special Representative (by video message)")
    assert (q.contribution, q.delivery) == (None, "video-message")
    (r,), _ = parse("Md. Sam Lee, Director, Department of Outreach, IOM (Bio)")
    assert (r.name, r.contribution, r.text) == (
        "Md. Sam Lee",
        None,
        "Md. Sam Lee, Director, Department of Outreach, IOM",
    )
    (s,), _ = parse("Ms. Isabel Quispe, Special Envoy, Peru, by video conference")
    assert (s.delivery, s.state) == ("video-conference", "PER")
    (t,), _ = parse(
        "Sr. Jorge Ibarra, Investigador, Universidad de Buenos Aires, Argentina (mensaje en video)"
    )
    assert (t.contribution, t.delivery) == ("video-message", "video-message")


def test_talk_titles():
    (p,), _ = parse("Jane Whitcombe, Special Adviser. Priorities for the year ahead (watch video)")
    assert (p.posts, p.talk_title) == (("Special Adviser",), "Priorities for the year ahead")
    (q,), _ = parse(
        "Keynote on smuggling routes – Ms. Hanna Virtanen, Mayor of Tampere, Finland (video message)"
    )
    assert (q.name, q.talk_title, q.contribution, q.delivery, q.role) == (
        "Hanna Virtanen",
        "Keynote on smuggling routes",
        "keynote",
        "video-message",
        "keynote-speaker",
    )


def test_affiliation_in_parentheses_after_the_name():
    (p,), _ = parse("Dr. Amit Kapoor (Director, Institute for Global Mobility)")
    assert (p.name, p.posts, p.organizations) == (
        "Amit Kapoor",
        ("Director",),
        ("Institute for Global Mobility",),
    )


def test_guessed_split_is_a_warning():
    people, warnings = parse(
        "Juan José Gómez Camacho, Co-facilitateur des consultations sur le Pacte Mondial "
        "sur la Migration Robert J. Vitillo, Mgr, Secrétaire général (Discours)"
    )
    assert [p.name for p in people] == ["Juan José Gómez Camacho", "Robert J. Vitillo"]
    assert [w.code for w in warnings] == ["boundary-guessed"]


def test_an_honorific_keeps_a_person_whose_name_is_also_a_word():
    (p,), warnings, _ = read("Mr. Federico Mayor, Former Director-General, UNESCO")
    assert p.name == "Federico Mayor" and [w.code for w in warnings] == ["name-shape"]


def test_texts_that_are_no_one_come_back_as_rejected():
    people, _, rejected = read("Group photo")
    assert people == [] and rejected == ["Group photo"]
    people, _, rejected = read(
        "Embajador y Director General de Asuntos Consulares, Ministerio de Relaciones Exteriores"
    )
    assert people == [] and len(rejected) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Sarah Cliffe, Directrice, Center on International Cooperation, Université de New York",
        "Ashley William Gois, Coordonnateur régional, Migrant Forum in Asia",
        "Gregory Maniatis, Codirecteur, International Migration Project, Conseiller principal des fondations Open Society",
    ],
)
def test_institution_names_are_not_split_as_people(text):
    people, warnings = parse(text)
    assert len(people) == 1 and warnings == []


@pytest.mark.parametrize(
    "text, organization",
    [
        ("Hélène Rousseau, Déléguée générale, Fondation Terre d’Asile, France", "Fondation Terre d’Asile"),
        ("Giorgos Papadakis, Chief, Hellenic Coast Guard, Greece", "Hellenic Coast Guard"),
        ("Javier Montes, Director, Fundación Remesas Justas, Colombia", "Fundación Remesas Justas"),
    ],
)
def test_a_lone_word_before_a_name_shape_keeps_the_organisation_whole(text, organization):
    people, warnings = parse(text)
    assert [p.organizations for p in people] == [(organization,)]
    assert [w.code for w in warnings] == ["boundary-doubted"]  # said, never silent


def test_a_courtesy_title_keeps_a_surname_that_is_also_an_institution_word():
    (p,), warnings, _ = read("Mme Fatoumata Camara, Directrice, Centre d’information, Mali")
    assert p.name == "Fatoumata Camara" and p.honorific == "Mme"
    assert [w.code for w in warnings] == ["name-shape"]


def test_military_ranks_are_titles():
    (p,), _, _ = read("Admiral Giorgos Papadakis, Chief, Hellenic Coast Guard, Greece")
    assert p.name == "Giorgos Papadakis" and p.honorific == "Admiral"
    (p,), _, _ = read("Coronel Ana Beltrán, Jefa, Policía Nacional, Colombia")
    assert p.name == "Ana Beltrán" and p.honorific == "Coronel"


def test_separators_inside_parentheses_are_not_top_level():
    """_top_level keeps a match only outside parentheses; held to the plain reading (the depth
    before each character, a stray ')' never below zero) on many random texts."""
    import random
    import re

    from idmgraph.agenda.people import _top_level

    comma = re.compile(r",| and ")

    def reference(text):
        depth, depth_at = 0, []
        for ch in text:
            depth_at.append(depth)
            depth = depth + 1 if ch == "(" else max(0, depth - 1) if ch == ")" else depth
        return [m.span() for m in comma.finditer(text) if depth_at[m.start()] == 0]

    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(rng.choice(["(", ")", ",", "a", " ", " and ", "Bo"]) for _ in range(rng.randint(0, 30)))
        assert [m.span() for m in _top_level(text, comma)] == reference(text), text
    assert [m.start() for m in _top_level("A (x, y), B) , C", comma)] == [8, 13]


def test_typographic_quotes_and_dashes_become_ascii():
    from idmgraph.text import normalise_quotes

    assert normalise_quotes("l\u2019OIM \u2013 10h\u00a0`x`") == "l'OIM - 10h 'x'"
    assert normalise_quotes("plain ASCII, untouched") == "plain ASCII, untouched"
