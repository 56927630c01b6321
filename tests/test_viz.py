"""The HTML views, opened from disk in headless Chromium: offline, complete, drawn, escaped."""

import io
import re

import pytest

from browser import browser_page, needs_chromium
from conftest import BAD
from idmgraph.build import run_build
from idmgraph.network import read_network_data
from idmgraph.store import open_store
from idmgraph.viz import render_view, write_views


@pytest.fixture(scope="module")
def views(build_2017, tmp_path_factory):
    return write_views(read_network_data(build_dir=build_2017.out_dir), tmp_path_factory.mktemp("views"))


def _open(page, path):
    page.goto(path.as_uri())
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=60_000)


def test_views_are_self_contained(views):
    for path in views.values():
        html = path.read_text(encoding="utf-8")
        assert "<script src" not in html and "<link" not in html
        # no resource named by URL: no src= or href= pointing outside the file
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
        assert "default-src 'none'" in html


@needs_chromium
@pytest.mark.parametrize("name, nodes", [("participation", 97), ("co-panel", 35), ("state-theme", 25)])
def test_view_draws_every_node_offline(views, name, nodes):
    from PIL import Image

    with browser_page() as (page, requests):
        _open(page, views[f"{name}.html"])
        assert page.evaluate("document.body.dataset.drawnNodes") == str(nodes)
        assert page.evaluate("document.body.dataset.graphNodes") == str(nodes)
        png = page.screenshot()
    assert [u for u in requests if not u.startswith("file://")] == []
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert len(colours) > 50  # not blank: nodes, edges and labels in many shades


@needs_chromium
def test_filter_by_type_and_search(views):
    with browser_page() as (page, _):
        _open(page, views["participation.html"])
        page.select_option("#f-type", "person")
        page.wait_for_function("document.body.dataset.drawnNodes === '35'")
        page.select_option("#f-type", "")
        page.select_option("#f-state", "https://w3id.org/idmgraph/id/state/MEX")
        page.wait_for_function("Number(document.body.dataset.drawnNodes) < 97")
        page.select_option("#f-state", "")
        page.fill("#search", "Thompson")
        page.press("#search", "Enter")
        selected = page.evaluate("window.idmView.network.getSelectedNodes()")
    assert selected == ["https://w3id.org/idmgraph/id/person/laura-thompson"]


@needs_chromium
def test_hostile_names_stay_text(tmp_path):
    result = run_build([BAD / "hostile.txt"], tmp_path / "build")
    data = read_network_data(store=open_store(result.out_dir))
    files = write_views(data, tmp_path / "views")
    html = files["participation.html"].read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    with browser_page() as (page, _):
        _open(page, files["participation.html"])
        assert page.evaluate("document.querySelectorAll('script').length") == 3
        assert page.evaluate("window.__xss") is None
        node = "https://w3id.org/idmgraph/id/person/jane-o-roe"
        pos = page.evaluate(
            "(node) => { const n = window.idmView.network; return n.canvasToDOM(n.getPosition(node)); }", node
        )
        box = page.locator("#graph").bounding_box()
        page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
        page.wait_for_selector(".vis-tooltip", state="visible", timeout=10_000)
        tooltip = page.evaluate("document.querySelector('.vis-tooltip').textContent")
        assert "Jane O'Roe" in tooltip and "Minister of <script>alert(1)</script> Labour" in tooltip
        assert page.evaluate("document.querySelectorAll('.vis-tooltip script, .vis-tooltip img').length") == 0
        assert page.evaluate("window.__xss") is None


def test_render_rejects_unknown_size_measure(views):
    import networkx as nx

    with pytest.raises(ValueError):
        render_view(nx.Graph(), "x", size_by="pagerank")


def _payload(path):
    import json

    html = path.read_text(encoding="utf-8")
    return json.loads(
        re.search(r'<script id="view-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    )


def test_co_panel_view_colours_its_communities(views, build_2017):
    from idmgraph.network import co_panel_graph, communities, two_mode_graph

    data = _payload(views["co-panel.html"])
    colour = {n["id"]: n["color"] for n in data["nodes"]}
    found = communities(
        co_panel_graph(two_mode_graph(read_network_data(build_dir=build_2017.out_dir)), "count")
    )
    groups: dict[int, set[str]] = {}
    for node, c in found.items():
        groups.setdefault(c, set()).add(colour[node])
    assert all(len(c) == 1 for c in groups.values())  # one colour a community
    assert len({next(iter(c)) for c in groups.values()}) == len(groups)  # a colour each
    assert [item["label"] for item in data["legend"]][:2] == ["community 1", "community 2"]


def test_event_filter_shows_dates_and_titles_and_theme_filter_every_theme(views):
    data = _payload(views["participation.html"])
    (event,) = data["facets"]["event"]
    assert event[1].startswith("2017-04-18 — Renforcer la coopération internationale")
    themes = {iri for iri, _ in data["facets"]["theme"]}
    assert "http://metadata.un.org/sdg/10.7" in themes  # through the editorial mappings
    assert any("/gcm/objective-" in t for t in themes)


@needs_chromium
def test_the_views_filter_by_series_and_year(tmp_path):
    """The 2017 IDM agenda and an invented GFMD record: the co-panel view offers both series and
    both years, and drawing one series or one year shows that meeting's people only."""
    from conftest import ROOT, SOURCES

    forum = ROOT / "tests" / "data" / "records" / "records" / "test-forum-2019.yml"
    built = run_build([SOURCES, forum], tmp_path / "build")
    views = write_views(read_network_data(build_dir=built.out_dir), tmp_path / "views")
    data = _payload(views["co-panel.html"])
    assert [label for _, label in data["facets"]["series"]] == [
        "Global Forum on Migration and Development",
        "International Dialogue on Migration",
    ]
    assert [year for year, _ in data["facets"]["year"]] == ["2017", "2019"]
    with browser_page() as (page, _):
        _open(page, views["co-panel.html"])
        page.select_option("#f-series", "https://w3id.org/idmgraph/id/series/gfmd")
        page.wait_for_function("document.body.dataset.drawnNodes === '6'")  # the forum's six people
        page.select_option("#f-series", "")
        page.select_option("#f-year", "2017")
        page.wait_for_function("document.body.dataset.drawnNodes === '35'")  # the workshop's 35


@needs_chromium
def test_a_large_view_comes_laid_out_and_is_drawn_at_once(tmp_path):
    """Past 1,000 nodes the positions are computed before the page (the browser's own layout
    took 14 s at 4,746 nodes and left a ring around a knot): every node has them, the page runs
    no physics and is drawn with every node; linked nodes are nearer each other than the rest."""
    import networkx as nx
    import numpy as np

    from idmgraph.viz import LAID_OUT_FROM

    g = nx.planted_partition_graph(6, 220, 0.05, 0.001, seed=4)
    assert g.number_of_nodes() > LAID_OUT_FROM
    for n in g:
        g.nodes[n].update(type="person", label=f"Person {n}")
    path = tmp_path / "large.html"
    path.write_text(render_view(g, "a large view"), encoding="utf-8")
    data = _payload(path)
    assert data["options"]["physics"] == {"enabled": False}
    at = {node["id"]: np.array([node["x"], node["y"]]) for node in data["nodes"]}
    assert len(at) == g.number_of_nodes()
    linked = np.mean([np.linalg.norm(at[str(u)] - at[str(v)]) for u, v in g.edges])
    rng = np.random.default_rng(0)
    anyhow = np.mean([np.linalg.norm(at[str(a)] - at[str(b)]) for a, b in rng.integers(0, len(at), (2000, 2))])
    assert linked < anyhow / 3
    with browser_page() as (page, _):
        _open(page, path)
        assert page.evaluate("document.body.dataset.drawnNodes") == str(g.number_of_nodes())
        # the positions were drawn as given (vis-network reports them to the pixel): nothing moved
        drawn = page.evaluate("window.idmView.network.getPositions()")
        assert all(np.abs(np.array([p["x"], p["y"]]) - at[n]).max() <= 1 for n, p in drawn.items())
