"""The parse cache (idmgraph.parse_cache) and the parsing of many sources: a rebuild parses only
what changed and writes the same bytes as a clean build; a curation change, a damaged entry or
--clean parse again; a pool of processes gives what a parse in order gives."""

import json
import shutil

import pytest

from conftest import AGENDAS, LAYOUTS, SOURCE_2017, layout_corpus
from idmgraph import build as build_module
from idmgraph.agenda import parse_agenda
from idmgraph.build import run_build
from idmgraph.parse_cache import THEMES, AgendaCache, cache_folder, decode, encode
from idmgraph.paths import set_project
from idmgraph.records import AgendaError
from idmgraph.sources import find_sources

FILES = ("idm.trig", "idm.ttl", "participations.csv", "report.json", "dataset.ttl")


@pytest.fixture
def corpus(tmp_path):
    return layout_corpus(tmp_path, "*.txt", 8)


@pytest.mark.parametrize("path", [SOURCE_2017, *sorted(LAYOUTS.glob("*.txt")), *sorted(AGENDAS.glob("*.txt"))])
def test_an_agenda_comes_back_from_the_cache_as_it_was_parsed(path):
    agenda = parse_agenda(path)
    again = decode(json.loads(json.dumps(encode(agenda))))
    assert again == agenda
    assert again.to_json() == agenda.to_json()


def test_only_record_types_come_back():
    with pytest.raises(KeyError):
        decode({"r": "Path", "f": []})


def _entries(out):
    """The parse cache's entries of a build folder (its agendas and records)."""
    return [p for p in cache_folder(out).glob("*.json") if p.name != THEMES]


def test_a_rebuild_parses_only_the_changed_agenda_and_writes_what_a_clean_build_writes(corpus, tmp_path):
    first = run_build([corpus], tmp_path / "out")
    assert first.counts_cached == 0 and len(first.sources) == 8
    assert len(_entries(tmp_path / "out")) == 8
    again = run_build([corpus], tmp_path / "out")
    assert again.counts_cached == 8
    changed = sorted(corpus.glob("*.txt"))[2]
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text + "\n", encoding="utf-8")  # the same agenda, one byte more
    third = run_build([corpus], tmp_path / "out")
    assert third.counts_cached == 7
    clean = run_build([corpus], tmp_path / "clean", clean=True)
    assert clean.counts_cached == 0
    for name in FILES:
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "clean" / name).read_bytes(), name
    # the entry of the agenda as it was is gone: the cache holds what the last build used
    assert len(_entries(tmp_path / "out")) == 8


def test_a_changed_agenda_is_read_anew_not_from_the_cache(corpus, tmp_path):
    run_build([corpus], tmp_path / "out")
    path = sorted(corpus.glob("*.txt"))[0]
    before = parse_agenda(path)
    person = next(p for s in before.sessions for p in (*s.moderators, *s.speakers))
    path.write_text(path.read_text(encoding="utf-8").replace(person.name, "Zora Quillfeather"), encoding="utf-8")
    result = run_build([corpus], tmp_path / "out")
    names = {res.name for res in result.resolution.persons.values()}
    assert "Zora Quillfeather" in names and person.name not in names


def test_a_damaged_entry_is_parsed_again(corpus, tmp_path):
    run_build([corpus], tmp_path / "out")
    for entry in cache_folder(tmp_path / "out").glob("*.json"):
        entry.write_text('{"r": "Agenda", "f": [1]}', encoding="utf-8")
    result = run_build([corpus], tmp_path / "out")
    assert result.counts_cached == 0 and result.report.conforms


def test_a_curation_change_parses_every_source_again(tmp_path):
    project = tmp_path / "project"
    (project / "data" / "curation").mkdir(parents=True)
    shutil.copytree(SOURCE_2017.parent, project / "data" / "sources" / SOURCE_2017.parent.name)
    set_project(project)
    try:
        first = run_build(None, tmp_path / "out")
        hussen = next(p for p in first.resolution.participations if p.entry.name == "Ahmed Hussen")
        assert hussen.entry.contribution != "keynote"
        line = hussen.entry.line
        (project / "data" / "curation" / "corrections.yml").write_text(
            f"corrections:\n  - {{source: idm-2017-new-york-fr, line: {line}, entry: Ahmed Hussen, "
            "set: {contribution: keynote}}\n",
            encoding="utf-8",
        )
        second = run_build(None, tmp_path / "out")
    finally:
        set_project(None)
    assert second.counts_cached == 0
    hussen = next(p for p in second.resolution.participations if p.entry.name == "Ahmed Hussen")
    assert hussen.entry.contribution == "keynote"


def test_clean_empties_the_cache_first(corpus, tmp_path):
    run_build([corpus], tmp_path / "out")
    stray = cache_folder(tmp_path / "out") / "stray.json"
    stray.write_text("{}", encoding="utf-8")
    result = run_build([corpus], tmp_path / "out", clean=True)
    assert result.counts_cached == 0 and not stray.exists()


def test_no_cache_without_an_output_folder(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_build([corpus], None)
    assert result.counts_cached == 0 and not list(tmp_path.glob(".*.cache"))


def _pool_of_two(monkeypatch, threads: int) -> list[str]:
    """Parse a handful of sources in a pool of two processes, in a process running ``threads``
    threads (1: the pool forks; more: its workers come from a fork server); the start methods of
    the pools made, so that a test sees a pool parsed and not a loop in order."""
    import concurrent.futures

    made = []

    class Pool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, mp_context=None, **kwargs):
            made.append(mp_context.get_start_method())
            super().__init__(*args, mp_context=mp_context, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(build_module, "PARALLEL_FROM", 2)
    monkeypatch.setattr(build_module.threading, "active_count", lambda: threads)
    monkeypatch.setattr(build_module.os, "cpu_count", lambda: 2)
    return made


@pytest.mark.parametrize("threads, start", [(1, "fork"), (3, "forkserver")])
def test_a_pool_of_processes_parses_as_a_parse_in_order_does(corpus, monkeypatch, threads, start):
    """A process alone forks its workers; one that runs threads (a progress bar, a server, a
    notebook) takes them from a clean fork server, reading the curation of the same project."""
    sources = find_sources([corpus])
    in_order = list(build_module._parse_many(sources))
    pools = _pool_of_two(monkeypatch, threads=threads)
    assert list(build_module._parse_many(sources)) == in_order
    assert pools == [start]


def test_a_rebuild_that_parses_every_source_again_forks_its_pool_once_its_own_threads_end(
    corpus, tmp_path, monkeypatch
):
    """A rebuild reads the last build and checks its units in threads while the sources are
    read: where every source must be parsed again (its parse cache emptied), those threads are
    waited for, and the pool forks (a fork server's workers would read the reference data anew),
    here while the check of the units takes half a second."""
    import concurrent.futures
    import re
    import time

    from idmgraph import rdf_units

    out = tmp_path / "out"
    first = run_build([corpus], out)
    made = []

    class Pool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, mp_context=None, **kwargs):
            made.append(mp_context.get_start_method())
            super().__init__(*args, mp_context=mp_context, **kwargs)

    checked = rdf_units._whole_units
    monkeypatch.setattr(rdf_units, "_whole_units", lambda *a: time.sleep(0.5) or checked(*a))
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(build_module, "PARALLEL_FROM", 2)
    monkeypatch.setattr(build_module.os, "cpu_count", lambda: 2)
    for entry in cache_folder(out).iterdir():
        if re.fullmatch(r"[0-9a-f]{64}\.json", entry.name):
            entry.unlink()
    again = run_build([corpus], out)
    assert made == ["fork"]
    assert again.units_kept == len(first.agendas) and again.counts == first.counts


def test_a_pool_raises_the_first_bad_source_with_its_file_and_line(corpus, monkeypatch):
    bad = corpus / "zz-bad.txt"
    bad.write_text("10:00 - 11:00 Opening\n25:99 - 26:00 Panel\n", encoding="utf-8")
    sources = find_sources([corpus])
    with pytest.raises(AgendaError) as in_order:
        list(build_module._parse_many(sources))
    pools = _pool_of_two(monkeypatch, threads=1)
    with pytest.raises(AgendaError) as pooled:
        list(build_module._parse_many(sources))
    assert pools == ["fork"]
    assert str(pooled.value) == str(in_order.value) and "zz-bad.txt" in str(pooled.value)
    assert pooled.value.line == in_order.value.line


def test_the_cache_key_follows_the_source_bytes(corpus, tmp_path):
    cache = AgendaCache(tmp_path / "cache")
    source = find_sources([corpus])[0]
    key = cache.key(source)
    assert cache.key(source) == key
    source.path.write_bytes(source.path.read_bytes() + b" ")
    assert cache.key(source) != key


def test_the_reference_yaml_a_build_reads_is_kept_as_json_and_read_back_the_same(tmp_path, monkeypatch):
    """Every reference file: read through the folder a build keeps its reads in, the data is the
    YAML's; read again, it comes from the JSON without parsing YAML; a file edited is parsed
    anew; data JSON would not give back as it is (a date) is not kept."""
    import idmgraph.lexicon as lexicon
    from idmgraph.lexicon import REFERENCE_DIR, keep_reads_in, read_yaml

    files = sorted(REFERENCE_DIR.glob("*.yml"))
    plain = {path.name: read_yaml(path) for path in files}
    kept = tmp_path / "reference"
    keep_reads_in(kept)
    try:
        assert {path.name: read_yaml(path) for path in files} == plain
        assert len(list(kept.glob("*.json"))) == len(files)
        parsed = []
        real = lexicon._parse_yaml
        monkeypatch.setattr(lexicon, "_parse_yaml", lambda *a: parsed.append(a[0]) or real(*a))
        assert {path.name: read_yaml(path) for path in files} == plain and parsed == []
        edited = tmp_path / "states.yml"
        edited.write_text((REFERENCE_DIR / "states.yml").read_text(encoding="utf-8") + "\nextra: 1\n")
        assert read_yaml(edited)["extra"] == 1 and parsed == [edited]
        dated = tmp_path / "dated.yml"
        dated.write_text("when: 2026-12-02\n")
        assert str(read_yaml(dated)["when"]) == "2026-12-02"
        assert len(list(kept.glob("*.json"))) == len(files) + 1  # the edited file, not the dated one
    finally:
        keep_reads_in(None)


def test_yaml_files_read_with_their_lines_are_kept_as_json_dates_and_all(tmp_path, monkeypatch):
    """What ``load_yaml_lines`` reads (a source.yml, a record, the curation) is kept as JSON in
    the reads folder, dates included: read again (in a new process: the memo emptied), it is
    the same data and lines without PyYAML parsing it; a mapping JSON would give back as
    something else is read from YAML every time; prune removes the kept reads not used since."""
    import idmgraph.yamlfile as yamlfile
    from idmgraph.lexicon import keep_reads_in, prune_kept_lines

    meta = tmp_path / "source.yml"
    meta.write_text("url: https://example.org/a\nretrieved: 2026-12-02\nat: 2026-12-02 10:30:00\nthemes:\n  - sdg:10.7\n")
    odd = tmp_path / "odd.yml"
    odd.write_text('"\\0date": "2026-12-02"\n')  # a key that is the tag a kept date is written with
    plain = {path: yamlfile.load_yaml_lines(path) for path in (meta, odd)}
    kept = tmp_path / "reads"
    keep_reads_in(kept)
    try:
        monkeypatch.setattr(yamlfile, "_READ", {})
        assert {path: yamlfile.load_yaml_lines(path) for path in (meta, odd)} == plain
        assert len(list(kept.glob("lines-*.json"))) == 1  # the odd one is not kept
        parsed = []
        real = yamlfile._read
        monkeypatch.setattr(yamlfile, "_read", lambda path, raw: parsed.append(path) or real(path, raw))
        monkeypatch.setattr(yamlfile, "_READ", {})
        data, lines = yamlfile.load_yaml_lines(meta)
        assert (data, lines) == plain[meta] and parsed == []
        assert type(data["retrieved"]).__name__ == "date" and type(data["at"]).__name__ == "datetime"
        assert lines[("themes", 0)] == 5
        assert yamlfile.load_yaml_lines(odd) == plain[odd] and parsed == [odd]
        (kept / "lines-stale.json").write_text("{}")
        prune_kept_lines()
        assert [p.name for p in kept.glob("lines-*.json")] != [] and not (kept / "lines-stale.json").exists()
    finally:
        keep_reads_in(None)


def test_a_rebuild_whose_yaml_files_did_not_change_does_not_import_pyyaml(corpus, tmp_path):
    """In a new process, ``idmgraph build`` after one agenda changed reads the curation and the
    sources' YAML from the JSON the last build kept (and imports no module that imports PyYAML
    for its own sake)."""
    import subprocess
    import sys

    out = tmp_path / "out"
    run = [
        sys.executable,
        "-c",
        "import sys; from idmgraph.cli import main; "
        f"main(['build', {str(corpus)!r}, '--out', {str(out)!r}, '--quiet']); print('yaml' in sys.modules)",
    ]
    assert subprocess.run(run, capture_output=True, text=True, check=True).stdout.split()[-1] == "True"
    agenda = next(corpus.rglob("*.txt"))
    agenda.write_text(agenda.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert subprocess.run(run, capture_output=True, text=True, check=True).stdout.split()[-1] == "False"


def test_a_rebuild_assigns_themes_only_to_the_changed_agenda(corpus, tmp_path, monkeypatch):
    """The theme assignments of a source are kept under its key: a rebuild after one agenda
    changed assigns that agenda's alone, and gives the assignments a clean build gives; a
    curation edit (part of every key) assigns every source's anew."""
    import idmgraph.build as build

    first = run_build([corpus], tmp_path / "out")
    assert first.themes
    called = []
    real = build.assign_themes
    monkeypatch.setattr(build, "assign_themes", lambda agendas, *a: called.append(agendas) or real(agendas, *a))
    changed = sorted(corpus.glob("*.txt"))[2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = run_build([corpus], tmp_path / "out")
    assert [[a.source for a in agendas] for agendas in called] == [[changed.stem]]
    clean = run_build([corpus], tmp_path / "clean", clean=True)
    assert again.themes == clean.themes
    assert [a.evidence for a in again.themes] == [a.evidence for a in clean.themes]
    called.clear()
    project = tmp_path / "project"
    shutil.copytree(SOURCE_2017.parent.parent.parent / "curation", project / "data" / "curation")
    (project / "data" / "sources").mkdir()
    (project / "data" / "curation" / "corrections.yml").write_text("corrections: []\n", encoding="utf-8")
    set_project(project)
    try:
        run_build([corpus], tmp_path / "out")
    finally:
        set_project(None)
    assert len(called) == 1 and len(called[0]) == len(first.sources)
