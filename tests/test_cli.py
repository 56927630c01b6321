"""The command line: documented exit codes, bad input named by file and line, builds kept."""

import json
import subprocess
import sys

import pytest

from conftest import AGENDAS, BAD, SOURCE_2017, SOURCES
from idmgraph.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "idmgraph.cli", *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "name, line, words",
    [
        ("empty.txt", None, "empty file"),
        ("binary.txt", 3, "binary file"),
        ("prose.txt", None, "no session and no person found"),
        ("bad-time.txt", 3, "is not a time of day"),
        ("latin1.txt", 7, "not UTF-8"),
        ("ambiguous.txt", 19, "3 sessions of 2018-10-08 could take it"),
    ],
)
def test_bad_input_exit_2_names_file_and_line(name, line, words, tmp_path):
    out = tmp_path / "build"
    good = run("build", str(SOURCES), "--out", str(out), "--quiet")
    assert good.returncode == 0, good.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    for cmd in (["ingest", str(BAD / name)], ["build", str(SOURCES), str(BAD / name), "--out", str(out)]):
        proc = run(*cmd)
        assert proc.returncode == 2, (cmd, proc.stdout, proc.stderr)
        where = f"{BAD / name}:{line}:" if line else f"{BAD / name}:"
        assert where in proc.stderr and words in proc.stderr, proc.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # last good build intact


def test_ingest_json_is_the_documented_shape(capsys):
    assert main(["ingest", str(SOURCE_2017), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"source", "format", "event", "sessions", "warnings"}
    assert data["format"] == "text"
    assert set(data["event"]) == {"id", "title", "city", "start_date", "end_date", "language"}
    s = data["sessions"][1]
    assert set(s) == {
        "id",
        "day",
        "start",
        "end",
        "kind",
        "number",
        "title",
        "description",
        "line",
        "moderators",
        "speakers",
    }
    assert (s["day"], s["start"], s["end"], s["kind"], s["number"]) == (
        "2017-04-18",
        "11:30",
        "13:00",
        "panel",
        1,
    )
    p = s["speakers"][2]
    assert set(p) == {
        "name",
        "honorific",
        "role",
        "posts",
        "organizations",
        "state",
        "country",
        "contribution",
        "contribution_label",
        "delivery",
        "delivered_by",
        "on_behalf_of_person",
        "talk_title",
        "text",
        "line",
        "page",
    }
    assert (p["name"], p["role"], p["state"], p["country"], p["contribution"]) == (
        "Juan José Gómez Camacho",
        "speaker",
        "MEX",
        "MEX",
        None,
    )
    mod = s["moderators"][0]
    assert (mod["name"], mod["role"], mod["line"]) == ("William Lacy Swing", "moderator", 50)


def test_bare_english_agenda_without_source_yml(capsys):
    assert main(["ingest", str(AGENDAS / "idm-2018-geneva-en.txt"), "--format", "json"]) == 0
    ev = json.loads(capsys.readouterr().out)["event"]
    assert ev == {
        "id": "idm-2018-10-08-geneva",
        "title": "International Dialogue on Migration 2018: Inclusion and social cohesion",
        "city": "Geneva",
        "start_date": "2018-10-08",
        "end_date": "2018-10-08",
        "language": "en",
    }


def test_build_prints_headline_and_outputs(tmp_path):
    proc = run("build", str(SOURCES), "--out", str(tmp_path / "b"))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "1 event(s), 10 sessions (8 with people), 35 people" in out
    assert "37 participations" in out
    assert "Jürg Lauber (CHE), Riaz Hamidullah (BGD), Margaret Pollack (USA)" in out
    assert "near-miss" in out and "idm.trig" in out and "participations.csv" in out


def test_failed_expectations_exit_1_and_keep_build(tmp_path):
    out = tmp_path / "b"
    assert main(["build", str(SOURCES), "--out", str(out), "--quiet"]) == 0
    before = (out / "idm.trig").read_bytes()
    src = tmp_path / "src" / "x"
    src.mkdir(parents=True)
    (src / "x.txt").write_bytes(SOURCE_2017.read_bytes())
    (src / "source.yml").write_text("id: x\nfile: x.txt\nexpected:\n  people: 34\n", encoding="utf-8")
    assert main(["build", str(src), "--out", str(out)]) == 1
    assert (out / "idm.trig").read_bytes() == before


def test_failed_expectations_name_the_missing_and_extra_people(tmp_path, capsys):
    src = tmp_path / "src" / "x"
    src.mkdir(parents=True)
    agenda = SOURCE_2017.read_text(encoding="utf-8")
    (src / "x.txt").write_text(agenda, encoding="utf-8")
    (src / "source.yml").write_text("id: x\nfile: x.txt\n", encoding="utf-8")
    out = tmp_path / "b"
    assert main(["build", str(src), "--out", str(out), "--quiet"]) == 0
    # an edit drops a speaker: the count fails and says who went, against the last good build
    (src / "x.txt").write_text(
        agenda.replace("Bart Somers, Maire de Malines, Belgique (Discours)", ""), encoding="utf-8"
    )
    (src / "source.yml").write_text("id: x\nfile: x.txt\nexpected:\n  people: 35\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["build", str(src), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "expected 35 people, found 34" in err and "missing: Bart Somers; extra: none" in err
    # a source may list its people: every missing and extra one is named
    (src / "source.yml").write_text(
        "id: x\nfile: x.txt\nexpected:\n  people: [Bart Somers, Jürg Lauber, Laura Thompson, Nobody Else]\n",
        encoding="utf-8",
    )
    assert main(["build", str(src), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "missing: Bart Somers, Nobody Else; extra: Ahmed Hussen" in err


def test_query_and_sparql_commands(tmp_path, capsys):
    out = tmp_path / "b"
    assert main(["build", str(SOURCES), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    assert (
        main(["query", "people-by-state", "--param", "state=Suisse", "--format", "json", "--build", str(out)])
        == 0
    )
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == ["Jürg Lauber"]
    assert main(["query", "no-such-query", "--build", str(out)]) == 2
    assert main(["query", "people-by-state", "--param", "state=Atlantis", "--build", str(out)]) == 2
    assert main(["query", "person-participations", "--build", str(out)]) == 2  # required param
    assert (
        main(["query", "person-participations", "--param", "person=} DROP ALL {", "--build", str(out)]) == 2
    )
    assert (
        main(
            [
                "sparql",
                "SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://w3id.org/idmgraph/ontology#Participation> }",
                "--format",
                "csv",
                "--build",
                str(out),
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.splitlines() == ["n", "37"]
    assert main(["sparql", "SELECT WHERE {", "--build", str(out)]) == 2
    assert main(["query", "who-spoke-on-theme", "--param", "theme=no such theme", "--build", str(out)]) == 2
    assert main(["query", "who-spoke-on-theme", "--param", "theme=} DROP ALL {", "--build", str(out)]) == 2
    capsys.readouterr()
    assert (
        main(
            [
                "query",
                "who-spoke-on-theme",
                "--param",
                "theme=whole-of-society",
                "--format",
                "json",
                "--build",
                str(out),
            ]
        )
        == 0
    )
    assert {r["name"] for r in json.loads(capsys.readouterr().out)} == {
        "Ashley William Gois",
        "Carmen Muñoz Quesada",
        "Firudin Nabiyev",
        "Hisham Badr",
        "Gordon Kihalangwa",
    }
    assert main(["validate", "--build", str(out)]) == 0


def test_usage_errors_exit_2():
    assert run("frobnicate").returncode == 2
    assert run("query", "--param").returncode == 2
    assert run("build", "/no/such/folder").returncode == 2


def test_every_command_has_help():
    for cmd in ("ingest", "build", "validate", "query", "sparql"):
        proc = run(cmd, "--help")
        assert proc.returncode == 0 and "exit codes" in proc.stdout


def test_a_person_not_found_gets_a_did_you_mean(build_2017, capsys):
    out = str(build_2017.out_dir)
    assert main(["query", "person-participations", "--param", "person=Swing", "--build", out]) == 2
    assert "did you mean 'William Lacy Swing'?" in capsys.readouterr().err
    assert main(["query", "person-participations", "--param", "person=Laura Tompson", "--build", out]) == 2
    assert "did you mean 'Laura Thompson'?" in capsys.readouterr().err


def test_the_table_shows_labels_not_iris(build_2017, capsys):
    out = str(build_2017.out_dir)
    assert main(["query", "who-spoke-on-theme", "--param", "theme=GCM 23", "--build", out]) == 0
    text = capsys.readouterr().out
    assert "https://w3id.org/idmgraph/id/person/" not in text and "Laura Thompson" in text
    assert "IRI columns left out: session, person" in text.replace("\n", " ")


def test_param_has_help(capsys):
    import pytest

    with pytest.raises(SystemExit):
        main(["query", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--param KEY=VALUE a parameter of the query, such as theme=10.7" in text
    assert "--direct" in text and "--scope {session,event}" in text


def test_control_characters_from_an_agenda_never_reach_the_terminal(tmp_path, capsys):
    path = tmp_path / "esc-en.txt"
    path.write_text(
        "Dialogue\nGeneva, 4 May 2021\n\n10:00 - 11:00 Panel 1: Data \x1b]0;pwned\x07\x1b[2J\u202e\n"
        "- Jane Roe, Minister of Labour, Spain\n",
        encoding="utf-8",
    )
    assert main(["ingest", str(path), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "\\x1b" in out


@pytest.mark.parametrize(
    "arg", ["--workers=0", "--max-rows=-1", "--timeout-s=-5", "--port=70000", "--timeout-s=nan"]
)
def test_serve_settings_out_of_range_are_usage_errors(arg, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["serve", arg])
    assert exit_.value.code == 2 and "out of range" in capsys.readouterr().err


def test_the_build_tells_its_progress_stage_by_stage_with_counts(tmp_path):
    """The progress bar's feed: the sources parsed so far out of all, then each later stage
    ending 1 of 1, in the order the build runs them."""
    from idmgraph.build import run_build

    heard = []
    run_build([SOURCES, AGENDAS], tmp_path / "b", progress=lambda *call: heard.append(call))
    parsing = [(done, total) for stage, done, total in heard if stage == "parsing"]
    assert parsing[0] == (0, 3) and parsing[-1] == (3, 3)
    ended = [stage for stage, done, total in heard if (done, total) == (1, 1)]
    assert ended == ["reading", "resolving", "linking", "building", "validating", "writing"]


def test_the_time_of_parsing_is_counted_as_parsing(tmp_path, monkeypatch):
    """Parsing each of three agendas takes a third of a second more: the build's timings put it
    under parsing, the first agenda's too (it used to fall under reading)."""
    import time

    import idmgraph.build as build

    slow, parse = 0.3, build.parse_source

    def slow_parse(source):
        time.sleep(slow)
        return parse(source)

    monkeypatch.setattr(build, "parse_source", slow_parse)
    result = build.run_build([SOURCES, AGENDAS], tmp_path / "b")
    assert result.timings["parsing"] >= 3 * slow
    assert result.timings["reading"] < slow


def test_a_corpus_lists_its_latest_meetings_and_says_how_many_more():
    """Past MEETINGS_LISTED meetings the build's table keeps the latest, by date, and says how
    many earlier ones report.json lists."""
    from rich.console import Console

    from idmgraph.report import MEETINGS_LISTED, render_meetings
    from idmgraph.synthetic import synthetic_agendas

    agendas = synthetic_agendas(MEETINGS_LISTED + 5)
    console = Console(record=True, width=200)
    render_meetings(console, agendas)
    text = console.export_text()
    dates = sorted(a.event.start_date for a in agendas)
    assert f"{len(agendas)} meetings, the latest {MEETINGS_LISTED}" in text
    assert dates[-1] in text and dates[5] in text and dates[4] not in text
    assert "... and 5 earlier meeting(s): report.json lists every source" in text
    few = Console(record=True, width=200)
    render_meetings(few, agendas[:4])
    assert few.export_text().startswith("4 meetings ") and "earlier" not in few.export_text()


def test_the_command_pauses_the_cycle_collector_for_a_build_only(tmp_path, monkeypatch):
    """``command`` (the console script's) imports with Python's cycle collector paused; a build
    leaves it paused (its process ends with it) and keeps its result to the end; any other
    command has it on again before it runs (a server runs for hours)."""
    import gc

    import idmgraph.cli as cli

    monkeypatch.setattr(cli, "_ONE_COMMAND", False)
    monkeypatch.setattr(cli, "_KEPT", [])
    try:
        out = tmp_path / "b"
        assert cli.command(["build", str(SOURCES), "--out", str(out), "--quiet"]) == 0
        assert not gc.isenabled() and len(cli._KEPT) == 1
        assert cli.command(["query", "people-by-state", "--param", "state=Suisse", "--build", str(out)]) == 0
        assert gc.isenabled()
    finally:
        gc.enable()
