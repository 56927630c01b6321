"""Curated records (issue 12): meetings compiled by hand from public pages, every fact cited,
read into the same records, resolution, ontology and checks as agendas."""

import shutil

import pytest

from conftest import ROOT, SOURCES
from idmgraph.build import run_build
from idmgraph.cli import main
from idmgraph.records import AgendaError
from idmgraph.store import open_store

RECORDS = ROOT / "tests" / "data" / "records" / "records"
FORUM = RECORDS / "test-forum-2019.yml"
IDM = "https://w3id.org/idmgraph/ontology#"


@pytest.fixture(scope="module")
def forum(tmp_path_factory):
    """The 2017 agenda and the invented test record, built together."""
    out = tmp_path_factory.mktemp("records") / "build"
    result = run_build([SOURCES, FORUM], out)
    return result, open_store(out)


def _rows(store, query):
    return [
        tuple(t.value if t is not None else None for t in r)
        for r in store.query(query, use_default_graph_as_union=True)
    ]


def test_a_record_gives_sessions_people_and_roles(forum):
    result, store = forum
    agenda = next(a for a in result.agendas if a.source == "test-forum-2019")
    assert [(s.id, s.kind) for s in agenda.sessions] == [
        ("2019-03-04T09:00", "opening"),
        ("2019-03-04T09:30", "panel"),
        ("2019-03-05-s1", "panel"),  # no time on the page: the page's order within its day
        ("event-test-forum-2019", "event"),  # named at the event, in no session
    ]
    panel = agenda.sessions[1]
    assert [p.name for p in panel.moderators] == ["Tomás Ibarra"]
    assert [(p.name, p.state) for p in panel.speakers] == [
        ("Kofi Mensah Adjei", None),
        ("Lena Vogt", "DEU"),  # read from the text, as an agenda line is read
        ("Rosa Quispe Mamani", None),  # the curator says: for no state
    ]
    chair = agenda.sessions[0].moderators[0]  # a chair leads the session, as a moderator does
    assert (chair.name, chair.state, chair.role) == ("Ana Ferreira Lobo", "PRT", "chair")
    assert result.counts["participations"] == 37 + 7


def test_every_fact_of_a_record_cites_its_page(forum):
    _, store = forum
    cited = _rows(
        store,
        f"""SELECT ?name ?url ?read ?kind WHERE {{
          ?p a <{IDM}Participation> ; <{IDM}participant>/<http://xmlns.com/foaf/0.1/name> ?name ;
             <{IDM}citation> ?c .
          ?c <https://schema.org/url> ?url ; <{IDM}readOn> ?read ; <{IDM}pageKind> ?kind .
          FILTER(STRSTARTS(STR(?url), "https://"))
          FILTER(CONTAINS(STR(?url), "example"))
        }} ORDER BY ?name ?url""",
    )
    by_name = {}
    for name, url, read, kind in cited:
        by_name.setdefault(name, []).append((url, read, kind))
    assert by_name["Kofi Mensah Adjei"] == [
        ("https://example.org/test-forum/programme", "2026-12-01", "agenda"),
        ("https://mirror.example.net/test-forum/programme", "2026-12-02", "mirror"),
    ]
    assert by_name["Jean-Paul Okafor"] == [
        ("https://example.org/test-forum/press-release", "2026-12-02", "press-release")
    ]
    assert len(by_name) == 6  # and nobody of the record without a page
    # the record's own document says it was compiled from its pages, and is a curated record
    assert _rows(
        store,
        f"""SELECT (COUNT(?page) AS ?n) WHERE {{ <https://w3id.org/idmgraph/id/source/test-forum-2019>
            a <{IDM}CuratedRecord> ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?page }}""",
    ) == [("3",)]


def test_a_meeting_of_another_series_belongs_to_its_series(forum):
    _, store = forum
    rows = _rows(
        store,
        """SELECT ?series ?name WHERE {
          <https://w3id.org/idmgraph/id/event/test-forum-2019-03-04-lisbon> <https://schema.org/superEvent> ?series .
          ?series a <https://schema.org/EventSeries> ; <https://schema.org/name> ?name FILTER(lang(?name) = "en") }""",
    )
    assert rows == [("https://w3id.org/idmgraph/id/series/gfmd", "Global Forum on Migration and Development")]


def test_cite_prints_the_pages_behind_a_person(forum, tmp_path, capsys):
    result, _ = forum
    assert main(["cite", "person/kofi-mensah-adjei", "--build", str(result.out_dir), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "https://example.org/test-forum/programme,2026-12-01,agenda" in out
    assert "https://mirror.example.net/test-forum/programme,2026-12-02,mirror" in out
    # a fact read from an agenda file cites the agenda's published address
    assert main(["cite", "person/laura-thompson", "--build", str(result.out_dir), "--format", "csv"]) == 0
    assert "https://www.iom.int/fr/renforcer-la-cooperation" in capsys.readouterr().out
    assert main(["cite", "person/nobody", "--build", str(result.out_dir)]) == 1


# (what the test record says, what a curator might have written instead, what the error says)
BAD = [
    ("read: 2026-12-01", "read: 2026-13-01", "not a valid date: month must be in 1..12"),
    ("cite: [programme]", "cite: [programme, minutes]", "event.cite.1: no citation 'minutes'"),
    ("series: gfmd", "series: gcm", "event.series: no series 'gcm'"),
    (
        'day: 2019-03-04\n    time: "09:00',
        'day: 2019-03-09\n    time: "09:00',
        "sessions.0.day: 2019-03-09 is not within",
    ),
    ('time: "09:00-09:30"', 'time: "10:00-09:00"', "sessions.0.time: ends (09:00) before it starts (10:00)"),
    ("state: null", "state: XXX", "'XXX' is not an ISO 3166-1 alpha-3 code"),
    ("role: chair", "role: host", "sessions.0.people.0.role: 'host' is not one of"),
    ("shows: agenda", "shows: blog", "citations.programme.shows: 'blog' is not one of"),
    (
        '"https://example.org/test-forum/programme"',
        '"javascript:alert(1)"',
        "'javascript:alert(1)' does not match",
    ),
    # a person twice in one session and role: the error is at the second entry
    (
        '{text: "Ms. Rosa Quispe Mamani, Coordinator, Andean Migrant Workers Network", state: null}',
        '{text: "Lena Vogt, Senior Advisor"}',
        "Lena Vogt is already speaker in Panel 1: Recruitment costs (line",
    ),
]


def _bad_record(tmp_path, old: str, new: str) -> tuple[str, int]:
    """The test record with its first ``old`` written as ``new``; (path, the line changed)."""
    text = FORUM.read_text(encoding="utf-8")
    at = text.index(old)
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "bad.yml").write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return str(folder / "bad.yml"), text.count("\n", 0, at) + 1


@pytest.mark.parametrize("old, new, message", BAD)
def test_a_bad_record_names_its_file_line_and_field(tmp_path, capsys, old, new, message):
    path, line = _bad_record(tmp_path, old, new)
    assert main(["build", path, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"{path}:{line}:" in err and message in err, err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_a_record_adds_to_an_agendas_meeting_and_never_gives_its_sessions_again(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    text = FORUM.read_text(encoding="utf-8").replace(
        "id: test-forum-2019-03-04-lisbon", "id: idm-2017-04-18-new-york"
    )
    text = (
        text.replace("series: gfmd", "series: idm")
        .replace("2019-03-04", "2017-04-18")
        .replace("2019-03-05", "2017-04-19")
    )
    (folder / "joins.yml").write_text(text, encoding="utf-8")
    result = run_build([SOURCES, folder], tmp_path / "out")
    events = {p.event_id for p in result.resolution.participations}
    assert events == {"idm-2017-04-18-new-york"}  # one meeting, from both sources
    # a record that gives a session the agenda gives too stops the build
    clash = text.replace('time: "09:00-09:30"', 'time: "10:00-10:30"')
    (folder / "joins.yml").write_text(clash, encoding="utf-8")
    with pytest.raises(AgendaError, match="both give the session"):
        run_build([SOURCES, folder], tmp_path / "out2")


def test_the_curated_dataset_builds_and_every_fact_cites_a_page(tmp_path):
    """data/records/: the dataset researchers get from make run."""
    folder = ROOT / "data" / "records"
    result = run_build([SOURCES, folder], tmp_path / "out")
    store = open_store(tmp_path / "out")
    uncited = _rows(
        store,
        f"""SELECT ?p WHERE {{ ?p a <{IDM}Participation> ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?doc .
              ?doc a <{IDM}CuratedRecord> FILTER NOT EXISTS {{ ?p <{IDM}citation> ?c }} }}""",
    )
    assert uncited == []
    records = [a for a in result.agendas if a.format == "record"]
    assert records and all(a.citations for a in records)
    for a in records:
        for c in a.citations.values():
            assert c.url.startswith(("https://", "http://")) and c.read and c.shows
    shutil.rmtree(tmp_path / "out")


def _people_file(tmp_path, text: str):
    folder = tmp_path / "curation"
    folder.mkdir(exist_ok=True)
    (folder / "people.yml").write_text(text, encoding="utf-8")
    return folder


def test_reviewed_decisions_merge_two_names_and_keep_two_namesakes_apart(tmp_path, monkeypatch):
    from idmgraph import paths

    folder = _people_file(
        tmp_path,
        """same_person:
  - names: [Lena Vogt, Lena M. Vogt]
    reason: the same post at the same ministry
    cite: [https://example.org/test-forum/programme]
distinct_people:
  - {name: Lena Vogt, source: test-forum-2019, key: lena-vogt-germany, reason: another person, cite: [https://example.org/x]}
""",
    )
    monkeypatch.setattr(paths, "curation_dir", lambda: folder)
    from idmgraph import curation

    monkeypatch.setattr(curation, "curation_dir", lambda: folder)
    decisions = curation.load_people_decisions()
    assert decisions.key("Lena M. Vogt", "any") == "lena-vogt"  # one person, the first name kept
    assert decisions.key("Lena Vogt", "test-forum-2019") == "lena-vogt-germany"  # apart in this source
    assert decisions.key("LENA VOGT", "other") == "lena-vogt"
    result = run_build([FORUM], tmp_path / "out")
    keys = {p.person for p in result.resolution.participations if p.entry.name == "Lena Vogt"}
    assert keys == {"lena-vogt-germany"}


@pytest.mark.parametrize(
    "text, message",
    [
        ("same_person:\n  - names: [A B, A C]\n    cite: [https://example.org/]\n", "needs 'reason'"),
        ("same_person:\n  - names: [A B, A C]\n    reason: r\n", "needs 'cite'"),
        ("same_person:\n  - names: [A B, A C]\n    reason: r\n    cite: [notaurl]\n", r"http\(s\) addresses"),
        ("same_person:\n  - names: [A B]\n    reason: r\n    cite: [https://e.org/]\n", "two names or more"),
    ],
)
def test_a_decision_without_reason_or_page_stops_the_build_at_its_line(tmp_path, monkeypatch, text, message):
    from idmgraph import curation

    folder = _people_file(tmp_path, text)
    monkeypatch.setattr(curation, "curation_dir", lambda: folder)
    with pytest.raises(AgendaError, match=message) as info:
        curation.load_people_decisions()
    assert info.value.line == 2 and info.value.path.endswith("people.yml")


def test_the_dataset_knows_the_actors_who_return():
    """The bundled records and agenda: the co-facilitators and the Secretary-General of the
    conference return across the Global Compact's process; the IOM Director-General written two
    ways is one person by a reviewed decision."""
    from idmgraph.paths import default_inputs

    assert ROOT / "data" / "records" in default_inputs()  # make run builds the records too
    result = run_build([SOURCES, ROOT / "data" / "records"], None)
    events: dict[str, set[str]] = {}
    for p in result.resolution.participations:
        events.setdefault(result.resolution.persons[p.person].name, set()).add(p.event_id)
    assert len(events["Louise Arbour"]) >= 7 and len(events["Juan José Gómez Camacho"]) >= 6
    assert len(events["William Lacy Swing"]) >= 4 and "William Swing" not in events
    # ten people or more return to three meetings or more
    assert sum(1 for e in events.values() if len(e) >= 3) >= 10


def test_a_returning_actors_participations_each_say_their_pages(tmp_path):
    from idmgraph.query import run_query

    run_build([SOURCES, ROOT / "data" / "records"], tmp_path / "out")
    df = run_query("person-participations", {"person": "Louise Arbour"}, build_dir=tmp_path / "out")
    assert df.event.nunique() >= 7
    assert all(isinstance(v, str) and v.startswith(("http://", "https://")) for v in df.pages)
    opening = df[df.session_label == "Opening Segment"]
    assert "https://refugeesmigrants.un.org/human-rights-all-migrants" in set(opening.pages)


def test_linked_data_pages_link_each_participation_to_its_pages(forum):
    from starlette.testclient import TestClient

    from idmgraph.serve import create_app

    _, store = forum
    client = TestClient(create_app(store))
    page = client.get("/id/person/kofi-mensah-adjei", headers={"Accept": "text/html"}).text
    assert (
        '<a href="https://example.org/test-forum/programme" rel="nofollow noopener">agenda, read 2026-12-01</a>'
        in page
    )
    assert "mirror, read 2026-12-02" in page
    # a participation read from an agenda links the agenda's published address
    page = client.get("/id/person/laura-thompson", headers={"Accept": "text/html"}).text
    assert "agenda, captured 2026-11-27" in page and 'href="https://www.iom.int/fr/renforcer' in page


def test_a_record_is_read_from_the_parse_cache_until_it_changes(tmp_path, monkeypatch, capsys):
    """A record a build read is not parsed and checked again by the next build of the same
    folder (the same Source comes back from the cache); once it changes it is, and an error in
    it still names its file and line."""
    import idmgraph.curated as curated
    from idmgraph.parse_cache import AgendaCache, cache_folder

    folder = tmp_path / "records"
    folder.mkdir()
    record = folder / "forum.yml"
    shutil.copy(FORUM, record)
    out = tmp_path / "out"
    first = run_build([folder], out)
    read = []
    real = curated.read_record_source
    monkeypatch.setattr(curated, "read_record_source", lambda path: read.append(path) or real(path))
    again = run_build([folder], out)
    assert read == [] and again.sources == first.sources
    assert AgendaCache(cache_folder(out)).record_source(record) == real(record)
    text = record.read_text(encoding="utf-8")
    line = text.count("\n", 0, text.index("role: chair")) + 1
    record.write_text(text.replace("role: chair", "role: host", 1), encoding="utf-8")
    assert main(["build", str(folder), "--out", str(out)]) == 2
    assert read == [record] and f"{record}:{line}:" in capsys.readouterr().err
