"""The Python API researchers use in notebooks (issue 13, point 4): ``idmgraph.open_graph()`` with
typed DataFrames, NetworkX graphs, the analysis and views drawn inline; the spreadsheet files of
``idmgraph analyze``."""

import html
import io

import networkx as nx
import pandas as pd
import pytest

import idmgraph
from idmgraph.cli import main


@pytest.fixture(scope="module")
def g(build_2017):
    return idmgraph.open_graph(build_2017.out_dir)


def test_the_research_queries_as_a_table(g):
    queries = g.queries().set_index("name")
    assert "who-spoke-on-theme" in queries.index
    assert queries.loc["who-spoke-on-theme", "parameters"].startswith("theme: ")
    assert "state?" in queries.loc["people-by-state", "parameters"]  # optional, marked so


def test_dates_are_datetimes_and_numbers_numbers(g, build_2017, capsys):
    df = g.query("person-participations", person="Laura Thompson")
    assert str(df["start"].dtype).startswith("datetime64")
    assert pd.Timestamp("2017-04-19 16:30") in set(df["start"])  # the closing session
    counts = g.query("people-by-state", state="MEX")
    assert counts["sessions"].dtype.kind == "i"
    # files and the terminal still say the dates as the graph does (ISO 8601)
    assert main(["query", "person-participations", "--param", "person=Laura Thompson", "--format", "csv",
                 "--build", str(build_2017.out_dir)]) == 0  # fmt: skip
    assert "2017-04-19T16:30:00" in capsys.readouterr().out


def test_networks_are_networkx_graphs(g):
    co = g.network("co-panel")
    assert isinstance(co, nx.Graph)
    assert (co.number_of_nodes(), co.number_of_edges(), nx.number_connected_components(co)) == (35, 74, 6)
    assert all("community" in d for _, d in co.nodes(data=True))
    with pytest.raises(ValueError, match="one of participation"):
        g.network("nothing")


def test_the_analysis_as_dataframes(g):
    a = g.analyze()
    people = a.tables["people"]
    assert isinstance(people, pd.DataFrame) and len(people) == 35
    assert "Laura Thompson" in set(people["name"])
    assert isinstance(a.tables["states-over-time"], pd.DataFrame)
    assert a.summary["co_panel_edges"] == 74
    assert "<code>people</code>: 35 rows" in a._repr_html_()


def test_a_view_draws_inline_in_its_own_frame(g, tmp_path):
    view = g.view("co-panel")
    shown = view._repr_html_()
    assert shown.startswith("<iframe") and 'sandbox="allow-scripts"' in shown
    assert "<script" not in shown  # the page is inside srcdoc, escaped
    assert "Laura Thompson" in html.unescape(shown)
    saved = view.save(tmp_path / "co-panel.html")
    assert saved.read_text(encoding="utf-8") == view.html and "<script" in view.html


def test_analyze_writes_a_workbook_and_excel_csv(build_2017, tmp_path):
    out = tmp_path / "analysis"
    build = str(build_2017.out_dir)
    assert main(["analyze", "--build", build, "--out", str(out), "--format", "xlsx", "--excel"]) == 0
    assert (out / "people.csv").read_bytes().startswith("\ufeff".encode())
    sheets = pd.read_excel(io.BytesIO((out / "tables.xlsx").read_bytes()), sheet_name=None)
    assert {"people", "sessions", "state-state", "states-over-time"} <= set(sheets)
    assert len(sheets["people"]) == 35
    # the meetings' dates stay dates in the workbook
    assert str(sheets["states-over-time"]["first_meeting"].dtype).startswith("datetime64")
