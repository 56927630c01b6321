"""Splitting run-together speakers and reading each entry's parts."""

import pytest

from idmgraph.agenda.people import parse_people
from idmgraph.lexicon import load_lexicon
from idmgraph.organizations import load_organizations
from idmgraph.states import load_states


def parse(text):
    return parse_people(text, 1, load_lexicon(), load_states(), load_organizations(), "t")


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


def test_guessed_split_is_a_warning():
    people, warnings = parse(
        "Juan José Gómez Camacho, Co-facilitateur des consultations sur le Pacte Mondial "
        "sur la Migration Robert J. Vitillo, Mgr, Secrétaire général (Discours)"
    )
    assert [p.name for p in people] == ["Juan José Gómez Camacho", "Robert J. Vitillo"]
    assert [w.code for w in warnings] == ["boundary-guessed"]


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
