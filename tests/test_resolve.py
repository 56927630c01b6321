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


def _family_pairs_by_brute_force(names):
    """Every pair of people whose family names (4 letters or more) are one edit apart: the
    definition, pair by pair."""
    from idmgraph.resolve import _family, _one_edit

    keys = sorted(names)
    out = set()
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            fa, fb = _family(names[a]), _family(names[b])
            if fa != fb and min(len(fa), len(fb)) >= 4 and _one_edit(fa, fb):
                out.add(tuple(sorted((names[a], names[b]))))
    return out


def test_near_misses_by_deletion_keys_find_what_every_pair_would():
    import random

    rng = random.Random(7)
    stems = [
        "thompson",
        "nguyen",
        "garcia",
        "mohammed",
        "lauber",
        "okafor",
        "silva",
        "kim",
        "rossi",
        "haddad",
    ]

    def variant(stem):
        i = rng.randrange(len(stem))
        op = rng.choice("sid")
        letter = rng.choice("aeioulnrst")
        return {
            "s": stem[:i] + letter + stem[i + 1 :],
            "i": stem[:i] + letter + stem[i:],
            "d": stem[:i] + stem[i + 1 :],
        }[op]

    given = ["Ana", "Peter", "Laura", "Jürg", "Amina", "Ahmed", "Li", "Maria", "John", "Fatou"]
    names = {}
    for n in range(600):
        stem = rng.choice(stems)
        family = variant(stem) if rng.random() < 0.4 else stem
        names[f"p{n}"] = f"{rng.choice(given)} {family.title()} {n}"[: -len(str(n)) - 1]
    found = {(a, b) for a, b, why in near_misses(names) if why.startswith("family names")}
    expected = _family_pairs_by_brute_force(names)
    assert expected and expected <= {(a, b) for a, b, _ in near_misses(names)}
    assert found <= expected  # nothing reported that is not one edit apart


def test_the_terminal_shows_a_few_warnings_of_each_kind_and_says_how_many_more():
    from idmgraph.records import Warning_
    from idmgraph.report import warning_lines

    many = [
        Warning_("resolution", None, "near-miss", f"'A{i}' and 'B{i}' are kept as two people")
        for i in range(50)
    ]
    few = [
        Warning_("agenda-x", 3, "block-placed", "placed in Panel 2"),
        Warning_("agenda-x", 9, "boundary-guessed", "split"),
    ]
    lines = warning_lines(few + many, shown=20)
    assert len(lines) == 2 + 20 + 1
    assert lines[:2] == [str(w) for w in few]  # every kind shown, in order
    assert lines[-1] == "... and 30 more [near-miss] warning(s): all of them are in report.json"


def test_a_person_listed_twice_in_a_session_is_one_participation_and_a_warning(tmp_path):
    """An agenda that lists the same person twice in one panel keeps one participation and says
    where the second entry is (before, the graph got two positions and failed its shapes)."""
    from idmgraph.build import run_build

    agenda = tmp_path / "dup.txt"
    agenda.write_text(
        "Test workshop on duplicates\nGeneva, 4 March 2019\n\n10:00-11:00 Panel 1: Labour mobility\n"
        "Moderator: Ana Lima, Director, Ministry of Labour, Portugal\nSpeakers:\n"
        "• Kofi Mensah, Director, Ghana Employers Association\n"
        "• Kofi Mensah, Director, Ghana Employers Association (Statement)\n"
        "• Lena Vogt, Senior Advisor, Ministry of Labour and Social Affairs, Germany\n",
        encoding="utf-8",
    )
    result = run_build([agenda], tmp_path / "out")
    names = [p.entry.name for p in result.resolution.participations]
    assert sorted(names) == ["Ana Lima", "Kofi Mensah", "Lena Vogt"]
    (twice,) = [w for w in result.resolution.warnings if w.code == "listed-twice"]
    assert (twice.line, "Kofi Mensah is already speaker" in twice.message) == (8, True)
