"""The statements of each source kept between builds (idmgraph.rdf_units, issue 14): a rebuild
takes those of the sources that did not change, makes anew those of a source whose people or
posts the resolution now sees otherwise, and writes the bytes a clean build writes."""

import dataclasses
import os
import shutil

import pytest

from idmgraph import build as build_module
from idmgraph.build import BuildFailed, run_build
from idmgraph.parse_cache import cache_folder
from idmgraph.rdf import ParticipationView, PostView, participation_views
from idmgraph.rdf_units import CSV_ROWS, FOLDER, PACK, SourceUnits, _read_csv_rows
from idmgraph.resolve import ResolvedOrganization

FILES = ("idm.trig", "idm.ttl", "participations.csv", "report.json", "dataset.ttl")

AGENDA = """International Dialogue on Migration {year}: {title}
11 October {year}, Geneva

Agenda

10:00-11:30 Panel 1: {title}

Moderator: Ana Ruiz, Senior Adviser, International Organization for Migration
Speakers:
• Mr. {name}, {post}, Costa Rica (Statement)
• Dr. Aisha Bello, Director, Department of Immigration Services, Nigeria (Presentation)
"""


def _write(folder, stem, year, name="José Ramírez Ortega", post="Minister of Labour", title="Youth"):
    text = AGENDA.format(year=year, name=name, post=post, title=title)
    (folder / f"{stem}.txt").write_text(text, encoding="utf-8")


@pytest.fixture
def corpus(tmp_path):
    """Two meetings that name the same minister, and a third that does not."""
    folder = tmp_path / "sources"
    folder.mkdir()
    _write(folder, "a-2019", 2019)
    _write(folder, "b-2020", 2020, title="Cities")
    _write(folder, "c-2021", 2021, name="Pedro Alvarado", post="Vice Minister of Security", title="Health")
    return folder


def _same_as_clean(corpus, out, tmp_path):
    clean = tmp_path / "clean"
    run_build([corpus], clean, clean=True)
    for name in FILES:
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name


def _pack(out):
    return cache_folder(out) / FOLDER / PACK


def test_a_rebuild_takes_the_statements_of_the_sources_that_did_not_change(corpus, tmp_path):
    out = tmp_path / "out"
    first = run_build([corpus], out)
    assert first.units_kept == 0 and _pack(out).is_file()
    written = _pack(out).stat().st_mtime_ns
    again = run_build([corpus], out)
    assert again.units_kept == 3
    assert _pack(out).stat().st_mtime_ns == written  # nothing changed: the pack is not written again
    text = (corpus / "c-2021.txt").read_text(encoding="utf-8")
    (corpus / "c-2021.txt").write_text(
        text + "• Ms. Wilhelmina Quarshie, Director, Ministry of Labour, Ghana (Statement)\n", encoding="utf-8"
    )
    third = run_build([corpus], out)
    assert third.units_kept == 2  # the meetings of 2019 and 2020
    assert "Wilhelmina Quarshie" in {p.name for p in third.resolution.persons.values()}
    _same_as_clean(corpus, out, tmp_path)


def test_a_rebuild_reads_a_kept_unit_only_where_the_change_touches_its_subjects(
    corpus, tmp_path, monkeypatch
):
    """The units taken are not read: the patch reads the old unit of the meeting that changed,
    and a unit taken only where it may state something about a subject whose statements the
    change touched. A speaker added in 2021 names no one the other meetings name; a speaker
    of all three meetings taken out of 2021 has statements the 2019 and 2020 units also give."""
    out = tmp_path / "out"
    run_build([corpus], out)
    read = []
    kept = SourceUnits._kept
    monkeypatch.setattr(SourceUnits, "_kept", lambda self, fp: read.append(fp) or kept(self, fp))
    path = corpus / "c-2021.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "• Ms. Wilhelmina Quarshie, Director, Ministry of Labour, Ghana (Statement)\n", "utf-8")
    added = run_build([corpus], out)
    assert added.files_patched and added.units_kept == 2
    assert len(read) == 1  # the last unit of 2021, to know what changed
    read.clear()
    bello = "• Dr. Aisha Bello, Director, Department of Immigration Services, Nigeria (Presentation)\n"
    path.write_text(text.replace(bello, ""), encoding="utf-8")
    taken_out = run_build([corpus], out)
    assert taken_out.files_patched and taken_out.units_kept == 2
    assert len(set(read)) == 3  # 2021's last unit, and those of 2019 and 2020, which name her
    assert "Aisha Bello" in (out / "idm.ttl").read_text(encoding="utf-8")
    _same_as_clean(corpus, out, tmp_path)
    # the dataset of the rebuild reads the rest where it is asked for: the clean build's
    clean = run_build([corpus], tmp_path / "clean")
    assert taken_out.dataset.union_statements() == clean.dataset.union_statements()
    assert len(taken_out.dataset) == len(clean.dataset) == taken_out.counts["triples"]
    # a unit that cannot be read by then (a pack damaged or removed since) is made anew
    _write(corpus, "b-2020", 2020, title="Cities", name="Jose Ramirez Ortega")
    again = run_build([corpus], out)
    assert again.units_kept == 2 and again.dataset._pending  # 2021's at least, not read
    monkeypatch.setattr(SourceUnits, "unit", lambda self, fp: None)
    clean = run_build([corpus], tmp_path / "clean-again", clean=True)
    assert again.dataset.union_statements() == clean.dataset.union_statements()


def test_a_name_resolved_anew_makes_anew_the_sources_that_name_the_person(corpus, tmp_path):
    """The minister's name is the first spelling met (2019's). Spelt without accents there, the
    2020 meeting, unchanged, names a person whose name changed: its statements (the person's
    name, the participation's label) are made anew, not taken."""
    out = tmp_path / "out"
    run_build([corpus], out)
    _write(corpus, "a-2019", 2019, name="Jose Ramirez Ortega")
    result = run_build([corpus], out)
    assert result.units_kept == 1  # 2021's, which does not name him
    minister = next(p for p in result.resolution.persons.values() if "Ortega" in p.name)
    assert minister.name == "Jose Ramirez Ortega"
    turtle = (out / "idm.ttl").read_text(encoding="utf-8")
    assert '"José Ramírez Ortega — speaker' not in turtle  # 2020's label names him as resolved
    _same_as_clean(corpus, out, tmp_path)


def test_a_post_worded_anew_makes_anew_the_sources_that_name_the_post(corpus, tmp_path):
    """A post's title is its first wording met: worded otherwise in 2019 (the same post), the
    2020 meeting's holding of it is labelled anew."""
    out = tmp_path / "out"
    run_build([corpus], out)
    _write(corpus, "a-2019", 2019, post="Minister of labour")
    result = run_build([corpus], out)
    assert result.units_kept == 1
    assert {p.title for p in result.resolution.posts.values()} >= {"Minister of labour"}
    assert "Minister of Labour" not in {p.title for p in result.resolution.posts.values()}
    _same_as_clean(corpus, out, tmp_path)


@pytest.mark.parametrize(
    "damage, kept", [("a byte of a unit", 2), ("a byte of the index", 0), ("cut short", 0), ("emptied", 0)]
)
@pytest.mark.parametrize("pread", [True, False], ids=["checked in a thread", "checked in place"])
def test_a_damaged_pack_is_no_pack_and_a_damaged_unit_no_unit(corpus, tmp_path, monkeypatch, damage, kept, pread):
    """A unit whose bytes do not match its checksum is made anew (the others are taken); a pack
    whose index does not match its digest, or that is cut short, is no pack. Either way the
    rebuild writes a clean build's bytes. The units are checked in a thread that reads the pack
    at offsets, or, on a system without ``os.pread``, where the build takes them."""
    if not pread:
        monkeypatch.delattr(os, "pread", raising=False)
    out = tmp_path / "out"
    run_build([corpus], out)
    data = bytearray(_pack(out).read_bytes())
    index = SourceUnits(cache_folder(out) / FOLDER, {})
    index.fingerprints()
    first = min(place[0] for place in index._index.values())
    index._close()
    if damage == "a byte of a unit":
        data[first + 10] ^= 0x01
    elif damage == "a byte of the index":
        data[-100] ^= 0x01
    elif damage == "cut short":
        del data[len(data) // 3 :]
    else:
        data.clear()
    _pack(out).write_bytes(bytes(data))
    result = run_build([corpus], out)
    assert result.units_kept == kept and result.report.conforms
    _same_as_clean(corpus, out, tmp_path)


@pytest.mark.parametrize("damage", ["a byte of a row", "cut short", "not the format"])
def test_damaged_csv_rows_are_made_anew(corpus, tmp_path, damage):
    """The CSV rows kept for each source are checked against their CRC-32: a file damaged or cut
    short keeps none, and the rebuild writes the rows a clean build writes."""
    out = tmp_path / "out"
    run_build([corpus], out)
    kept = cache_folder(out) / FOLDER / CSV_ROWS
    data = bytearray(kept.read_bytes())
    if damage == "a byte of a row":  # in the rows of every source
        data = bytearray(bytes(data).replace(b"Ana Ruiz", b"Ana Ruix"))
    elif damage == "cut short":
        del data[len(data) - 20 :]
    else:
        data[:0] = b"{}"
    kept.write_bytes(bytes(data))
    clean_csv = (out / "participations.csv").read_bytes()
    (corpus / "c-2021.txt").write_text(
        (corpus / "c-2021.txt").read_text(encoding="utf-8").replace("Youth", "Health"), encoding="utf-8"
    )
    run_build([corpus], out)
    assert b"Ana Ruix" not in (out / "participations.csv").read_bytes()
    assert b"Ana Ruiz" in clean_csv
    _same_as_clean(corpus, out, tmp_path)
    assert _read_csv_rows(kept.read_bytes())  # written whole again


def test_a_rebuild_adds_to_the_pack_and_writes_it_anew_once_it_holds_more_old_units_than_live(
    corpus, tmp_path, monkeypatch
):
    """A rebuild that makes one unit adds it and a new index to the end of the pack (the same
    file, its bytes before kept as they were), rather than copying the units it took; once the
    units no index names outweigh those it names (and a megabyte), the pack is written anew."""
    from idmgraph import rdf_units

    out = tmp_path / "out"
    run_build([corpus], out)
    pack = _pack(out)
    old = pack.read_bytes()
    _write(corpus, "b-2020", 2020, title="Cities and towns")
    assert run_build([corpus], out).units_kept == 2
    added = pack.read_bytes()
    assert len(added) > len(old) and added[: len(old)] == old  # the units taken not rewritten
    assert len(_fingerprints(out)) == 3
    monkeypatch.setattr(rdf_units, "_GARBAGE_SLACK", 0)  # no unit the index does not name is borne
    monkeypatch.setattr(rdf_units, "_GARBAGE_SHARE", 0.0)
    _write(corpus, "b-2020", 2020, title="Cities")
    assert run_build([corpus], out).units_kept == 2
    anew = pack.read_bytes()
    assert len(anew) < len(added) and anew[: len(old) - 200] != old[: len(old) - 200]
    assert len(_fingerprints(out)) == 3
    _same_as_clean(corpus, out, tmp_path)


def _fingerprints(out):
    return SourceUnits(cache_folder(out) / FOLDER, {}).fingerprints()


def test_the_pack_holds_the_units_of_the_last_good_build_only(corpus, tmp_path, monkeypatch):
    """A change and its undoing leave the pack with the units it had (the unit of the changed
    source is not kept beside them); a build that fails leaves the pack of the last good one,
    and nothing of the pack it began."""
    out = tmp_path / "out"
    run_build([corpus], out)
    first = _fingerprints(out)
    assert len(first) == 3
    original = (corpus / "b-2020.txt").read_text(encoding="utf-8")
    _write(corpus, "b-2020", 2020, title="Cities and towns")
    run_build([corpus], out)
    changed = _fingerprints(out)
    assert len(changed) == 3 and len(changed & first) == 2
    (corpus / "b-2020.txt").write_text(original, encoding="utf-8")
    assert run_build([corpus], out).units_kept == 2
    assert _fingerprints(out) == first
    last_good = _pack(out).read_bytes()
    _write(corpus, "c-2021", 2021, name="Pedro Alvarado", post="Vice Minister of Security", title="Water")
    monkeypatch.setattr(build_module, "_check_expected", lambda *_args: ["a miss the test makes"])
    with pytest.raises(BuildFailed):
        run_build([corpus], out)
    assert _pack(out).read_bytes() == last_good
    assert sorted(p.name for p in _pack(out).parent.iterdir()) == sorted([PACK, CSV_ROWS])  # nothing begun


def test_clean_builds_every_source_anew(corpus, tmp_path):
    out = tmp_path / "out"
    run_build([corpus], out)
    assert run_build([corpus], out, clean=True).units_kept == 0
    assert run_build([corpus], out).units_kept == 3


def test_no_pack_without_an_output_folder(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_build([corpus], None)
    assert result.units_kept == 0
    assert not list(tmp_path.rglob(PACK))
    shutil.rmtree(corpus)


# what a participation holds that its agenda gives (and the source's key covers)
FROM_THE_AGENDA = {"source", "event_id", "session", "entry"}


def _other(value):
    """A value of the same kind, not equal."""
    if isinstance(value, ResolvedOrganization):
        return dataclasses.replace(value, name=value.name + " (other)")
    if isinstance(value, PostView):
        return value._replace(title=value.title + " (other)")
    if isinstance(value, tuple):
        return (_other(value[0]), *value[1:]) if value and not isinstance(value[0], str) else (*value, "x")
    if isinstance(value, int):
        return value + 1
    return "x" if value is None else value + " (other)"


def test_every_value_a_source_s_statements_are_made_from_is_in_its_fingerprint(corpus, tmp_path):
    """Each field of a participation's view, and each field of the participation the
    resolution gives (not its agenda's records), changes the fingerprint: a field added to
    either and read by the RDF, but left out of the fingerprint, fails here."""
    result = run_build([corpus], None)
    res = result.resolution
    agenda = res.agendas[0]
    views = participation_views(res, [p for p in res.participations if p.source == agenda.source])
    view = next(v for v in views if v.organizations and v.posts and v.level)
    at = views.index(view)
    units = SourceUnits(tmp_path, {agenda.source: "a key"})
    before = units.fingerprint(agenda, views)
    assert SourceUnits(tmp_path, {agenda.source: "another key"}).fingerprint(agenda, views) != before

    def fingerprint_with(changed):
        return units.fingerprint(agenda, [*views[:at], changed, *views[at + 1 :]])

    checked = []
    for name in ParticipationView._fields:
        if name != "part":
            checked.append(name)
            assert fingerprint_with(view._replace(**{name: _other(getattr(view, name))})) != before, name
    for field in dataclasses.fields(view.part):
        if field.name not in FROM_THE_AGENDA:
            checked.append(field.name)
            part = dataclasses.replace(view.part, **{field.name: _other(getattr(view.part, field.name))})
            assert fingerprint_with(view._replace(part=part)) != before, field.name
    assert {"name", "posts", "level", "themes", "person", "on_behalf_of", "author"} <= set(checked)


def test_the_csv_rows_of_a_source_are_made_anew_when_an_organisation_they_name_is(corpus, tmp_path):
    """A source's rows of participations.csv are kept under its unit's fingerprint and the
    organisations its rows name: the organisation of a post (which the unit's views hold by key
    only) named otherwise, or of another kind, makes the rows anew, as a build of every row
    writes them; otherwise they are taken."""
    from idmgraph.build import _csv_bytes, _participations_csv, participation_rows

    third = corpus / "c-2021.txt"  # its second speaker from another organisation
    text = third.read_text(encoding="utf-8")
    third.write_text(text.replace("Department of Immigration Services, Nigeria", "Migration Office, Ghana"))
    result = run_build([corpus], tmp_path / "out")
    res = result.resolution

    class Units:  # a unit's fingerprint for each source, and the rows kept
        sources = {a.source: f"unit of {a.source}" for a in res.agendas}
        kept: dict[str, bytes] = {}
        made = 0

        def csv_rows(self, key):
            return self.kept.get(key)

        def keep_csv_rows(self, key, rows):
            self.kept[key], self.made = rows, self.made + 1

    units = Units()
    assert _participations_csv(res, build_module.BASE, units) == _csv_bytes(participation_rows(res))
    assert units.made == 3
    assert _participations_csv(res, build_module.BASE, units) == _csv_bytes(participation_rows(res))
    assert units.made == 3  # all taken
    by_source: dict[str, set] = {}
    for p in res.participations:
        by_source.setdefault(p.source, set()).update(res.posts[k].organization for k in p.posts)
    post_org = next(iter(sorted(by_source["a-2019"] - by_source["c-2021"] - {None})))
    named = dataclasses.replace(res.organizations[post_org], name="Ministerio de Trabajo", type="ngo")
    res.organizations[post_org] = named
    remade = _participations_csv(res, build_module.BASE, units)
    assert remade == _csv_bytes(participation_rows(res)) and b"Ministerio de Trabajo" in remade
    naming = {p.source for p in res.participations if post_org in {res.posts[k].organization for k in p.posts}}
    assert units.made == 3 + len(naming) and 0 < len(naming) < 3  # only the sources that name it


RECORD = """record: 1
id: {id}
event:
  id: test-summit-2022-05-10-rabat
  title: Test Summit on Mobility
  series: gfmd
  start_date: 2022-05-10
  city: Rabat
  language: en
  cite: [programme]
citations:
  programme: {{url: "https://example.org/test-summit/{id}", read: 2026-12-01, shows: agenda}}
sessions:
  - title: "{title}"
    day: 2022-05-10
    time: "{time}"
    people:
      - {{text: "Ms. Nadia Benali, Director, Ministry of Labour, Morocco", role: moderator}}
"""


def test_a_source_whose_event_reaches_other_themes_is_made_anew(corpus, tmp_path):
    """Each source's unit holds the theme links of its event, so two records of one meeting
    hold each other's sessions' links: when one record's session comes to reach a theme, the
    other record (unchanged) is made anew too, and the rebuild writes what a clean build writes."""
    records = corpus / "records"
    records.mkdir()

    def write(stem, title, time):
        (records / f"{stem}.yml").write_text(RECORD.format(id=stem, title=title, time=time), encoding="utf-8")

    write("summit-a", "Panel 1: Fair recruitment", "10:00-11:00")
    write("summit-b", "Panel 2: Youth", "11:30-12:30")
    out = tmp_path / "out"
    first = run_build([corpus], out)
    assert first.units_kept == 0
    write("summit-b", "Panel 2: Legal identity and travel documents", "11:30-12:30")
    again = run_build([corpus], out)
    assert again.units_kept == 3  # the three agendas: both records' units made anew
    reached = {str(a.theme) for a in again.themes if a.session_id and a.source == "summit-b"}
    assert "https://w3id.org/idmgraph/vocab/gcm/objective-4" in reached, reached  # legal identity
    _same_as_clean(corpus, out, tmp_path)


def test_the_theme_links_of_a_source_s_event_are_in_its_fingerprint(corpus, tmp_path):
    """Each field of each theme link a unit states changes the unit's fingerprint."""
    from idmgraph.themes import ThemeLink

    result = run_build([corpus], None)
    res = result.resolution
    agenda = res.agendas[0]
    views = participation_views(res, [p for p in res.participations if p.source == agenda.source])
    units = SourceUnits(tmp_path, {agenda.source: "a key"})
    link = ThemeLink(agenda.event.id, agenda.sessions[0].id, "https://w3id.org/idmgraph/vocab/gcm/6", "mapping", "x")
    before = units.fingerprint(agenda, views, [link])
    assert units.fingerprint(agenda, views, []) != before
    for field in dataclasses.fields(ThemeLink):
        changed = dataclasses.replace(link, **{field.name: _other(getattr(link, field.name))})
        assert units.fingerprint(agenda, views, [changed]) != before, field.name


def test_a_fingerprint_reads_values_not_objects():
    """Equal values give equal bytes to digest whichever objects hold them (a text met twice as
    one object or as two, interned or not), different values different bytes; a value marshal
    cannot write (a subclass of text) is digested by its repr, never an error."""
    import sys

    from idmgraph.quads import Term
    from idmgraph.rdf_units import _packed

    text = "".join(["panel", "-", "1"])  # made at run time: not the interned constant
    shared = sys.intern("panel-1")
    assert _packed([(shared, shared, 1, None)]) == _packed([(text, "".join(["panel-", "1"]), 1, None)])
    assert _packed([("panel-1", 1)]) != _packed([("panel-1", 2)]) != _packed([("panel-1", "1")])
    assert _packed([("a", ("b", "c"))]) != _packed([("a", ["b", "c"])])
    assert _packed([Term("<x>")]).startswith(b"r") and _packed(["<x>"]).startswith(b"m")
