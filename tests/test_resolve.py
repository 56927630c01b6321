"""Resolution across sources: people by folded names, organisations by name and state."""

from idmgraph.resolve import near_misses
from idmgraph.states import load_states


def test_states_in_french_english_without_accents_and_long_forms():
    idx = load_states()
    for name, code in [
        ("Emirats arabes unis", "ARE"),
        ("Émirats arabes unis", "ARE"),
        ("Etats-Unis d’Amérique", "USA"),
        ("République d’Azerbaïdjan", "AZE"),
        ("Equateur", "ECU"),
        ("Turquie", "TUR"),
        ("Türkiye", "TUR"),
        ("Switzerland", "CHE"),
        ("Suisse", "CHE"),
        ("United Kingdom", "GBR"),
        ("Republic of Korea", "KOR"),
        ("Kosovo", "XKX"),
    ]:
        assert idx.lookup(name).alpha_3 == code, name
    assert idx.lookup("New York") is None and idx.lookup("Nations Unies") is None


def test_people_resolved_across_events_by_folded_names(build_all):
    res = build_all.resolution
    assert "antonio-vitorino" in res.persons
    assert res.persons["antonio-vitorino"].names == {"António Vitorino", "Antonio Vitorino"}
    sources = {p.source for p in res.participations if p.person == "antonio-vitorino"}
    assert sources == {"idm-2018-geneva-en", "idm-2019-geneve-fr"}
    thompson = {p.source for p in res.participations if p.person == "laura-thompson"}
    assert len(thompson) == 3


def test_organisations_keyed_by_name_and_state(build_all):
    orgs = build_all.resolution.organizations
    mfa = sorted(
        k for k in orgs if k[:-4] in ("ministere-des-affaires-etrangeres", "ministry-of-foreign-affairs")
    )
    assert mfa == [
        "ministere-des-affaires-etrangeres-egy",
        "ministere-des-affaires-etrangeres-ita",
        "ministere-des-affaires-etrangeres-tur",
        "ministry-of-foreign-affairs-gbr",
    ]
    # OIM (French) and IOM (English) are one organisation
    iom = [p for p in build_all.resolution.participations if "iom" in p.organizations]
    assert {p.source for p in iom} == {"idm-2017-new-york-fr", "idm-2018-geneva-en", "idm-2019-geneve-fr"}


def test_near_misses_are_reported_not_merged():
    assert near_misses({"a": "Laura Thompson", "b": "Peter Thomson"})
    assert near_misses({"a": "Jürg Lauber", "b": "Jurg Lauberr"})
    assert near_misses({"a": "Ahmed Hussen", "b": "Amina J. Mohammed"}) == []
    assert near_misses({}) == []


def test_empty_and_single():
    assert near_misses({"a": "Ahmed Hussen"}) == []
