"""Across meetings and over time: the trend queries, the tables and charts idmgraph analyze writes
beside its report (PNG and SVG, drawn from the graph), on the bundled workshop and the two test
agendas (three meetings, 2017-2019)."""

import io
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from conftest import AGENDAS, SOURCES
from idmgraph.build import run_build
from idmgraph.cli import main
from idmgraph.query import IDMGraph, iso_frame
from idmgraph.store import open_store
from idmgraph.trends import trend_charts, trend_tables


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    out = tmp_path_factory.mktemp("three") / "build"
    run_build([SOURCES, AGENDAS], out)
    return out


@pytest.fixture(scope="module")
def tables(three):
    return trend_tables(open_store(three))


def test_states_first_and_last_meeting(tables):
    df = tables["states-over-time"].set_index("iso3")
    # the meetings' dates are datetimes (xsd:date in the graph), written back as the graph has them
    assert str(df["first_meeting"].dtype).startswith("datetime64")
    assert (df.loc["MEX", "first_meeting"], df.loc["MEX", "last_meeting"], df.loc["MEX", "meetings"]) == (
        pd.Timestamp("2017-04-18"),
        pd.Timestamp("2019-04-02"),
        2,
    )
    assert iso_frame(df).loc["MEX", "first_meeting"] == "2017-04-18"
    assert df.loc["ALB", "meetings"] == 1 and list(df.index[:3]) == ["CAN", "CHE", "MEX"]


def test_the_people_who_return_most(tables):
    df = tables["people-who-return"]
    assert (df.name.iloc[0], df.events.iloc[0]) == ("Laura Thompson", 3)


def test_participations_per_meeting_by_actor_type_region_and_level(tables):
    actors = tables["participations-by-actor-type"]
    by_year = actors.groupby("year").participations.sum().to_dict()
    assert set(by_year) == {"2017", "2018", "2019"}
    national = actors[(actors.year == "2017") & (actors.actor_type == "national-government")]
    assert national.participations.sum() == 19
    regions = tables["participations-by-region"]
    assert regions[regions.year == "2017"].states.sum() == 19
    levels = tables["participations-by-level"]
    assert set(levels.level_key) >= {"minister", "head-of-international-organization"}


def test_share_of_sessions_per_theme_per_year(tables):
    df = tables["theme-share-by-year"]
    row = df[(df.year == "2017") & (df.notation == "10.7")].iloc[0]
    assert (row.sessions, row.sessions_in_year, row.share) == (4, 8, 0.5)
    assert df.share.between(0, 1).all()


def test_charts_are_images_drawn_from_the_graph_the_same_each_time(tables):
    from PIL import Image

    charts = trend_charts(tables)
    names = {
        "participations-by-actor-type",
        "participations-by-region",
        "participations-by-level",
        "theme-share-by-year",
    }
    assert set(charts) == {f"{n}.{ext}" for n in names for ext in ("png", "svg")}
    for name, data in charts.items():
        if name.endswith(".png"):
            image = Image.open(io.BytesIO(data))
            assert image.size[0] > 600 and len(image.convert("RGB").getcolors(1 << 20)) > 20
        else:
            ET.fromstring(data)  # well-formed SVG
    assert trend_charts(tables) == charts


def test_analyze_writes_the_charts_into_its_report(three, tmp_path):
    assert main(["analyze", "--build", str(three), "--out", str(tmp_path / "analysis")]) == 0
    report = (tmp_path / "analysis" / "report.md").read_text(encoding="utf-8")
    assert "![Participations per meeting by kind of actor](participations-by-actor-type.png)" in report
    assert (tmp_path / "analysis" / "theme-share-by-year.svg").exists()
    assert "| Laura Thompson | 3 | 2017-04-18 | 2019-04-02 |" in report


def test_a_graph_of_one_meeting_still_charts(store_2017):
    tables = trend_tables(store_2017)
    charts = trend_charts(tables)
    assert "participations-by-level.png" in charts
    assert IDMGraph(store_2017).query("states-over-time").meetings.max() == 1
