"""Themes that answer: a session reaches a theme it has, a theme the editorial mappings tie to one
of its own, a broader theme (asked for) or a theme of its whole meeting (asked for), and every
theme query, the theme pages and the views' theme filter read that one rule."""

import json
import re

import pytest

from idmgraph.build import dataset_from_agendas
from idmgraph.cli import main
from idmgraph.network import read_network_data
from idmgraph.query import IDMGraph, run_sparql
from idmgraph.serve.pages import render_page
from idmgraph.store import store_from_dataset
from idmgraph.synthetic import synthetic_agendas
from idmgraph.themes import ROUTE_FILTER, ROUTES
from idmgraph.viz import build_views, render_view

QUERIES = (
    "who-spoke-on-theme",
    "states-by-theme",
    "actor-types-by-theme",
    "themes-of-person",
    "sdg-coverage",
)
SDG_107 = "http://metadata.un.org/sdg/10.7"
GCM_23 = "https://w3id.org/idmgraph/vocab/gcm/objective-23"


@pytest.fixture(scope="module")
def g(store_2017):
    return IDMGraph(store_2017)


@pytest.fixture(scope="module")
def synthetic_store():
    _, ds = dataset_from_agendas(synthetic_agendas(6, seed=11), near_miss=False)
    return store_from_dataset(ds)


def _panels(df) -> set[str]:
    return {label.split(" ")[0] + " " + label.split(" ")[1] for label in df.session_label}


def test_sdg_10_7_finds_panel_1_through_the_mapping(g):
    df = g.query("who-spoke-on-theme", theme="10.7")
    panel1 = df[df.session_label.str.startswith("Panel 1 ")]
    assert set(panel1.name) >= {"William Lacy Swing", "Ahmed Hussen", "Gregory Maniatis"}
    assert set(panel1.via) == {"mapping"}
    assert "sdg-targets" in set(panel1.through.iloc[0].split())  # Panel 1's own topic
    assert set(df.via) == {"mapping"}  # no session of 2017 is tagged with 10.7 itself


def test_gcm_23_finds_panel_6_through_the_mapping(g):
    df = g.query("who-spoke-on-theme", theme="GCM 23")
    assert _panels(df) == {"Panel 6"}
    assert set(df.via) == {"mapping"} and set(df.through) == {"cooperation-and-follow-up"}
    assert {"Laura Thompson", "Jürg Lauber"} <= set(df.name)


@pytest.mark.parametrize("theme", ["10.7", "GCM 23"])
def test_direct_gives_only_sessions_tagged_with_the_theme(build_2017, capsys, theme):
    args = ["query", "who-spoke-on-theme", "--param", f"theme={theme}", "--build", str(build_2017.out_dir)]
    assert main([*args, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)
    assert main([*args, "--format", "json", "--direct"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_every_route_is_in_the_ontology_and_the_filter(store_2017):
    df = run_sparql(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX idm: <https://w3id.org/idmgraph/ontology#> "
        "SELECT ?n WHERE { ?r skos:inScheme idm:ThemeRoutes ; skos:notation ?n }",
        store=store_2017,
    )
    assert sorted(df.n) == sorted(ROUTES)
    assert {r for r in ROUTES} == set(re.findall(r"route:([\w-]+)", ROUTE_FILTER))


def test_every_theme_query_holds_the_one_rule():
    from idmgraph.query import QUERIES_DIR

    for name in (*QUERIES, "network/session-themes"):
        text = (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
        assert ROUTE_FILTER in text, name


def test_coverage_counts_sessions_and_meetings_apart(g):
    df = g.query("sdg-coverage").set_index("notation")
    assert df.loc["10.7", "sessions"] == 4 and df.loc["10.7", "events"] == 1
    assert df.loc["10.7", "direct_sessions"] == 0
    direct = g.query("sdg-coverage", direct="true")
    assert set(direct.sessions) == {0} and set(direct.events) == {0}


def test_scope_event_applies_the_meetings_themes_and_says_so(g):
    own = g.query("who-spoke-on-theme", theme="whole-of-society", direct="true")
    wide = g.query("who-spoke-on-theme", theme="whole-of-society", direct="true", scope="event")
    assert _panels(own) == {"Panel 4"}
    assert _panels(wide) >= {"Panel 1", "Panel 2", "Panel 3", "Panel 4", "Panel 5", "Panel 6"}
    others = wide[~wide.session_label.str.startswith("Panel 4 ")]
    assert set(others.via) == {"event"}
    assert set(wide[wide.session_label.str.startswith("Panel 4 ")].via) == {"event keyword-rule"}
    df = g.query("sdg-coverage", scope="event").set_index("notation")
    assert df.loc["10.7", "events"] == 1


def _rule_sessions(
    store, theme: str, reach: str = "mapped", scope: str = "session", with_people: bool = True
) -> set[str]:
    """The sessions that reach a theme, read from the links with the shared filter."""
    people = "?p idm:session ?session ." if with_people else ""
    text = (
        "PREFIX idm: <https://w3id.org/idmgraph/ontology#> "
        "PREFIX route: <https://w3id.org/idmgraph/vocab/theme-route/> "
        f'SELECT DISTINCT ?session WHERE {{ VALUES (?reach ?scope ?theme) {{ ("{reach}" "{scope}" <{theme}>) }} '
        "?link idm:linkTheme ?theme ; idm:linkSession ?session ; idm:linkVia ?route . "
        f"{ROUTE_FILTER} {people} }}"
    )
    return set(run_sparql(text, store=store).session)


def _themes_reached(store) -> list[str]:
    text = (
        "PREFIX idm: <https://w3id.org/idmgraph/ontology#> SELECT DISTINCT ?t WHERE { ?l idm:linkTheme ?t }"
    )
    return sorted(run_sparql(text, store=store).t)


def _agree(store):
    """Every theme query, the theme pages and the views give the same sessions for every theme."""
    g = IDMGraph(store)
    data = read_network_data(store=store)
    views = build_views(data)
    participation = views["participation"][0]
    checked = 0
    for theme in _themes_reached(store):
        sessions = _rule_sessions(store, theme)
        if not sessions:
            continue
        checked += 1
        who = g.query("who-spoke-on-theme", theme=theme)
        assert set(who.session) == sessions, theme
        actor = g.query("actor-types-by-theme", theme=theme)
        typed = {s for s in sessions if s in set(who.session)}
        assert actor.sessions.max() <= len(typed), theme
        states = g.query("states-by-theme", theme=theme)
        assert set(states.iso3) == set(who.state_iso3.dropna()), theme
        assert {s for s, themes in data.session_reach.items() if theme in themes} == sessions, theme
        in_view = {
            n for n, d in participation.nodes(data=True) if d.get("type") == "session" and theme in d["reach"]
        }
        assert in_view == sessions, theme
        page = render_page(store, theme, "https://w3id.org/idmgraph/")
        for s in sessions:
            assert s.rsplit("/", 1)[-1] in page, (theme, s)
        if "/sdg/" in theme and "." in theme.rsplit("/", 1)[-1]:  # a target: coverage counts the same
            cov = g.query("sdg-coverage").set_index("target")
            assert cov.loc[theme, "sessions"] == len(_rule_sessions(store, theme, with_people=False)), theme
    assert checked >= 5
    return checked


def test_all_theme_answers_agree_on_the_bundled_graph(store_2017):
    _agree(store_2017)


def test_all_theme_answers_agree_on_a_synthetic_graph(synthetic_store):
    assert _agree(synthetic_store) >= 10


def test_person_themes_reach_the_same_sessions(g):
    df = g.query("themes-of-person", person="Laura Thompson")
    row = df[df.notation == "23"].iloc[0]
    assert row.sessions == 1 and row.via == "mapping"


def test_views_theme_filter_offers_sdg_targets_and_gcm_objectives(store_2017, tmp_path):
    data = read_network_data(store=store_2017)
    graph, title = build_views(data)["participation"]
    page = render_view(graph, title, data=data)
    facets = json.loads(
        re.search(r'<script id="view-data" type="application/json">(.*?)</script>', page, re.S).group(1)
    )["facets"]["theme"]
    offered = {iri for iri, _ in facets}
    assert SDG_107 in offered and GCM_23 in offered
