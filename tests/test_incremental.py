"""A rebuild from the last good build of its output folder (issue 14): the shapes validate only
the nodes a change can reach, and idm.trig and idm.ttl are written by segments, the unchanged
ones copied. Either way the build finds what a whole validation finds and writes the bytes a
clean build writes."""

import hashlib
import os
import random
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from conftest import layout_corpus
from idmgraph import segments
from idmgraph.build import BASE, _serialise, run_build
from idmgraph.last_build import Change, KeptStore, LastBuild, changed_statements
from idmgraph.parse_cache import cache_folder
from idmgraph.quads import Quads, ascii_nt, joined_statements, statement_of
from idmgraph.segments import statement_cuts, statement_digests
from idmgraph.store import store_of
from idmgraph.validate import (
    SHAPES_PATH,
    nodes_to_revalidate,
    predicates_read_by,
    shacl_results,
    shacl_results_of_change,
    shape_reach,
)

FILES = ("idm.trig", "idm.ttl", "participations.csv", "report.json", "dataset.ttl")
SHAPES = Graph().parse(SHAPES_PATH, format="turtle")
NOTHING = "<https://example.org/nothing>"


def _mutations(statements: list[str], seed: int = 14) -> list[tuple[str, list[str]]]:
    """Changes of one statement that break a graph that passed: for each predicate the shapes
    read, statements taken away (a name, a type a sh:class looks up, a required link) and
    statements added (a second value, a value of the wrong kind, an untyped node)."""
    rng = random.Random(seed)
    by_predicate: dict[str, list[str]] = {}
    for t in statements:
        by_predicate.setdefault(t.split(" ", 2)[1], []).append(t)
    out = []
    for predicate in sorted(predicates_read_by(SHAPES) & set(by_predicate)):
        for t in rng.sample(by_predicate[predicate], min(2, len(by_predicate[predicate]))):
            out.append((f"without {t}", [x for x in statements if x != t]))
            s, p, o = t.split(" ", 2)
            added = f"{s} {p} {NOTHING if o.startswith('<') else chr(34) + 'x' + chr(34)}"
            out.append((f"with {added}", sorted({*statements, added})))
    return out


@pytest.mark.parametrize("engine", ["turbo", "pyshacl"])
def test_the_shapes_of_a_change_find_what_the_whole_graph_gives(build_2017, engine):
    """Every mutation of the 2017 graph: validating the nodes the change reaches finds exactly
    the violations a validation of the whole changed graph finds, and it finds some."""
    before = build_2017.dataset.union_statements()
    assert shacl_results(before, engine=engine) == []
    mutations = _mutations(before)
    assert len(mutations) > 60
    broken = 0
    for what, after in mutations[:: 2 if engine == "turbo" else 8]:  # pySHACL is slow: fewer
        changed = sorted(set(before).symmetric_difference(after))
        assert len(changed) == 1, what
        whole = shacl_results(after, engine=engine)
        part = shacl_results_of_change(store_of(joined_statements(after)), changed, engine=engine)
        if part is None:  # the class hierarchy changed: the build validates the whole graph
            assert "#subClassOf>" in changed[0], what
            continue
        assert part == whole, what
        broken += bool(whole)
    assert broken > (10 if engine == "turbo" else 3)


def test_a_type_taken_away_revalidates_the_nodes_that_point_to_it(build_2017):
    """A participation that loses its type: the contribution that points to it (sh:class) is
    validated again, and fails; the people and sessions it points to are not validated."""
    before = build_2017.dataset.union_statements()
    part_type = next(
        t
        for t in before
        if t.endswith(
            "> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            "<https://w3id.org/idmgraph/ontology#Participation>"
        )
        and t.startswith("<https://w3id.org/idmgraph/id/participation/")
        and any(x.endswith(" " + t.split(" ")[0]) and "#viaParticipation>" in x for x in before)
    )
    part = part_type.split(" ")[0]
    after = [t for t in before if t != part_type]
    store = store_of(joined_statements(after))
    nodes = nodes_to_revalidate(store, [part_type], SHAPES)
    contributions = {
        x.split(" ")[0][1:-1] for x in after if "#viaParticipation>" in x and x.endswith(" " + part)
    }
    assert contributions and contributions | {part[1:-1]} == nodes
    found = shacl_results_of_change(store, [part_type])
    assert {r.focus for r in found} == contributions
    assert all(r.constraint.endswith("ClassConstraintComponent") for r in found)


def test_what_cannot_be_bounded_is_validated_whole(build_2017):
    before = build_2017.dataset.union_statements()
    store = store_of(joined_statements(before))
    subclass = (
        "<https://example.org/A> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <https://example.org/B>"
    )
    assert nodes_to_revalidate(store, [subclass], SHAPES) is None
    assert shacl_results_of_change(store, ['_:b <http://xmlns.com/foaf/0.1/name> "x"']) is None
    recursive = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .\n"
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:S ] .",
        format="turtle",
    )
    assert shape_reach(recursive) is None and shape_reach(SHAPES) == 2
    unrelated = '<https://example.org/x> <https://example.org/unread> "y"'
    assert nodes_to_revalidate(store, [unrelated], SHAPES) == set()


def test_what_changed_is_read_from_the_segments_of_the_last_turtle(build_2017):
    """The statements a rebuild validates from: those of the idm.ttl segments that are not in
    both builds, read back from the last file; none to compare with, or half the graph
    changed: None (the whole graph is validated)."""
    before = build_2017.dataset.union_statements()
    _, ttl = _serialise(build_2017.dataset, BASE)
    gone = next(t for t in before if "#sourceLine>" in t)
    came = ascii_nt('<https://example.org/new> <http://www.w3.org/2000/01/rdf-schema#label> "Nouvelle entrée"@fr')
    after = sorted({*before, came} - {gone})
    digests = statement_digests(after, statement_cuts(after))
    change = changed_statements((ttl.data, ttl.index()), after, digests)
    assert (change.removed, change.added, change.statements) == ([gone], [came], sorted([gone, came]))
    assert changed_statements(None, after, digests) is None
    half = after[: len(after) // 2]
    assert changed_statements((ttl.data, ttl.index()), half, statement_digests(half, statement_cuts(half))) is None


@pytest.mark.parametrize("cut_every", [2, 7])
def test_segments_join_into_the_bytes_of_one_serialisation(build_all, monkeypatch, cut_every):
    """Cut before one subject in 2 (or 7), the segments of idm.trig and idm.ttl, each
    serialised alone, join into the bytes Oxigraph writes for the whole graph at once."""
    from idmgraph.namespace import PREFIXES

    monkeypatch.setattr(segments, "CUT_EVERY", cut_every)
    ds = build_all.dataset
    trig, ttl = _serialise(ds, BASE)
    assert len(trig.segments) > 10 and len(ttl.segments) > 100
    prefixes = {k: v for k, v in PREFIXES.items() if k not in ("id", "graph")}
    whole_trig = ox.serialize(
        ox.parse("".join(ds.nquads()), format=ox.RdfFormat.N_QUADS),
        format=ox.RdfFormat.TRIG,
        prefixes=prefixes,
    )
    whole_ttl = ox.serialize(
        ox.parse(ds.ntriples(), format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE, prefixes=prefixes
    )
    assert trig.data == whole_trig and ttl.data == whole_ttl
    # the next file copies every segment that did not change
    again_trig, again_ttl = _serialise(
        ds, BASE, previous={"idm.trig": (trig.data, trig.index()), "idm.ttl": (ttl.data, ttl.index())}
    )
    assert again_trig.data == whole_trig and again_trig.reused == len(trig.segments)
    assert again_ttl.data == whole_ttl and again_ttl.reused == len(ttl.segments)


def _three_subjects(first_graph: str) -> Quads:
    ds = Quads()
    for subject, graph in (("s1", first_graph), ("s2", "g"), ("s3", "g")):
        ds.graph(f"https://example.org/{graph}").triples.add(
            f'<https://example.org/{subject}> <https://example.org/p> "{subject}"'
        )
    return ds


def test_a_trig_segment_is_written_anew_when_the_block_it_opens_or_goes_on_in_changes(monkeypatch):
    """A segment's TriG text opens its graph's block unless the segment before ends in that
    graph: when only its neighbour moved to another graph, the segment is not copied as it
    was (with a cut before every subject, s2 and s3 stay the same statements in g)."""
    monkeypatch.setattr(segments, "CUT_EVERY", 1)
    trig, ttl = _serialise(_three_subjects("g"), BASE)
    moved = _three_subjects("h")
    previous = {"idm.trig": (trig.data, trig.index()), "idm.ttl": (ttl.data, ttl.index())}
    again, _ = _serialise(moved, BASE, previous=previous)
    assert again.data == _serialise(moved, BASE)[0].data  # what one serialisation writes
    assert again.data.count(b"<https://example.org/g> {\n") == 1
    assert again.reused == 1  # s3: still in the block s2 opens


@pytest.fixture
def corpus(tmp_path):
    return layout_corpus(tmp_path, "*-en.txt", 6)


def _same_as_clean(corpus, out, tmp_path):
    clean = run_build([corpus], tmp_path / "clean", clean=True)
    assert clean.validated_whole and clean.segments_kept[0] == 0
    for name in FILES:
        assert (out / name).read_bytes() == (tmp_path / "clean" / name).read_bytes(), name


def test_a_rebuild_after_a_person_is_added_and_one_renamed_writes_what_a_clean_build_writes(corpus, tmp_path):
    out = tmp_path / "out"
    first = run_build([corpus], out)
    assert first.validated_whole and first.report.conforms
    path = sorted(corpus.glob("*.txt"))[1]
    text = path.read_text(encoding="utf-8")
    person = next(p for a in [first.agendas[1]] for s in a.sessions for p in s.speakers)
    assert person.name in text
    path.write_text(text.replace(person.name, "Zora Quillfeather"), encoding="utf-8")
    second = run_build([corpus], out)
    assert not second.validated_whole and second.report.conforms
    kept, total = second.segments_kept
    assert 0 < kept < total
    assert "Zora Quillfeather" in (out / "idm.ttl").read_text(encoding="utf-8")
    _same_as_clean(corpus, out, tmp_path)


def test_a_rebuild_after_an_agenda_is_removed_writes_what_a_clean_build_writes(corpus, tmp_path):
    out = tmp_path / "out"
    run_build([corpus], out)
    sorted(corpus.glob("*.txt"))[-1].unlink()
    again = run_build([corpus], out)
    assert again.report.conforms and again.segments_kept[0] > 0
    _same_as_clean(corpus, out, tmp_path)


def test_a_file_changed_in_the_output_folder_is_not_copied_from(corpus, tmp_path, monkeypatch):
    """Someone edits idm.ttl after the build (the same size, the same time): the next build
    writes it whole, not from it. A file untouched since the build wrote it (its inode and
    times of change) is taken without hashing it again; the edited one is hashed, and refused."""
    import idmgraph.last_build as last_build

    out = tmp_path / "out"
    run_build([corpus], out)
    hashed = []
    real = last_build.hashlib.sha256

    class Hashlib:
        @staticmethod
        def sha256(data=b""):
            hashed.append(len(data))
            return real(data)

    monkeypatch.setattr(last_build, "hashlib", Hashlib)
    assert set(LastBuild(cache_folder(out)).previous_files(out)) == {"idm.trig", "idm.ttl"}
    assert hashed == []
    ttl = out / "idm.ttl"
    stat = ttl.stat()
    ttl.write_bytes(ttl.read_bytes().replace(b"schema:", b"schemx:"))  # the same size
    os.utime(ttl, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same time of change
    assert set(LastBuild(cache_folder(out)).previous_files(out)) == {"idm.trig"}
    assert hashed == [stat.st_size]  # idm.ttl's ctime moved: hashed, and not the bytes written
    ahead = LastBuild(cache_folder(out))
    ahead.read_ahead(out)  # what a build reads in a thread while it parses: the same
    assert set(ahead.previous_files(out)) == {"idm.trig"} and set(ahead.sha256) == {"idm.trig"}
    assert ahead.previous_made() == LastBuild(cache_folder(out)).previous_made() is not None
    monkeypatch.undo()
    path = sorted(corpus.glob("*.txt"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    run_build([corpus], out)
    _same_as_clean(corpus, out, tmp_path)


def test_a_failed_build_keeps_the_state_of_the_last_good_one(corpus, tmp_path):
    """A rebuild that fails leaves the kept statements those of the build in the folder."""
    from idmgraph.build import BuildFailed

    out = tmp_path / "out"
    path = sorted(corpus.glob("*.txt"))[0]
    for other in sorted(corpus.glob("*.txt"))[1:]:
        other.unlink()  # one source, whose source.yml comes to expect what it does not give
    run_build([corpus], out)
    state = LastBuild(cache_folder(out))
    kept = (state.folder / "segments.json").read_bytes()
    assert set(state.previous_files(out)) == {"idm.trig", "idm.ttl"}
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (corpus / "source.yml").write_text(f"id: {path.stem}\nfile: {path.name}\nexpected:\n  people: 1\n")
    with pytest.raises(BuildFailed):
        run_build([corpus], out)
    assert (state.folder / "segments.json").read_bytes() == kept
    assert set(state.previous_files(out)) == {"idm.trig", "idm.ttl"}
    # nothing of what the failed build wrote for the next one, nor of its files (made while its
    # checks ran)
    for folder in (state.folder, cache_folder(out) / "rdf"):
        assert not [p.name for p in folder.iterdir() if p.name.startswith(".")], folder
    assert not list(out.parent.glob(".out.tmp-*"))


def test_a_node_targeted_as_the_object_of_a_new_statement_is_validated(build_2017):
    """skos:hasTopConcept targets its objects: a scheme given a new top concept that has no
    label is a violation the change reaches through the statement's object."""
    before = build_2017.dataset.union_statements()
    scheme = next(t for t in before if "#hasTopConcept>" in t).split(" ")[0]
    added = f"{scheme} <http://www.w3.org/2004/02/skos/core#hasTopConcept> {NOTHING}"
    after = sorted({*before, added})
    store = store_of(joined_statements(after))
    assert NOTHING[1:-1] in nodes_to_revalidate(store, [added], SHAPES)
    found = shacl_results_of_change(store, [added])
    assert found == shacl_results(after) and {r.focus for r in found} == {NOTHING[1:-1]}


def test_a_rebuild_after_most_of_the_corpus_changed_validates_the_whole_graph(corpus, tmp_path):
    out = tmp_path / "out"
    run_build([corpus], out)
    for path in sorted(corpus.glob("*.txt"))[1:]:
        path.unlink()
    again = run_build([corpus], out)
    assert again.validated_whole and again.report.conforms
    _same_as_clean(corpus, out, tmp_path)


def _kept(out) -> tuple[str | None, set[str]]:
    """The kept store's mark (the SHA-256 it says its union is idm.ttl's) and its statements."""
    folder = LastBuild(cache_folder(out)).folder
    try:
        name, sha256 = (folder / "store.mark").read_text(encoding="ascii").split()
    except OSError:
        return None, set()
    store = ox.Store(str(folder / name))
    try:
        return sha256, {statement_of(q) for q in store}
    finally:
        del store  # Oxigraph holds a store's folder until it is closed


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rename_someone(corpus, result, name: str) -> None:
    path = sorted(corpus.glob("*.txt"))[1]
    person = next(p for s in result.agendas[1].sessions for p in s.speakers)
    path.write_text(path.read_text(encoding="utf-8").replace(person.name, name), encoding="utf-8")


def test_the_kept_store_holds_the_union_of_the_idm_ttl_its_mark_names(corpus, tmp_path):
    """After a build and after a rebuild (which patches it), the kept store holds the union of
    the graphs, marked with the SHA-256 of the idm.ttl beside it; one store folder is left."""
    out = tmp_path / "out"
    first = run_build([corpus], out)
    assert _kept(out) == (_sha256(out / "idm.ttl"), set(first.dataset.union_statements()))
    _rename_someone(corpus, first, "Zora Quillfeather")
    second = run_build([corpus], out)
    assert not second.validated_whole
    sha256, union = _kept(out)
    assert sha256 == _sha256(out / "idm.ttl") and union == set(second.dataset.union_statements())
    assert any("Zora Quillfeather" in t for t in union)
    assert len(list(LastBuild(cache_folder(out)).folder.glob("store-*"))) == 1


def test_a_rebuild_whose_checks_fail_puts_the_kept_store_back(corpus, tmp_path, monkeypatch):
    """The checks of a rebuild read the kept store patched with the change; when they fail,
    the store is put back and marked as the last good build's, and the next rebuild patches it
    again (not loading it anew) and writes what a clean build writes."""
    import idmgraph.validate as validate
    from idmgraph.build import BuildFailed

    out = tmp_path / "out"
    first = run_build([corpus], out)
    before = _kept(out)
    seen = []
    checks = validate.run_checks_of_change  # a rebuild's checks: those of the change

    def failing(store, changed, files, kept=None):
        seen.append(any("Zora Quillfeather" in str(q.object) for q in store))
        return {**checks(store, changed, files, kept), "made-up-violation": [("<https://example.org/x>",)]}

    monkeypatch.setattr(validate, "run_checks_of_change", failing)
    _rename_someone(corpus, first, "Zora Quillfeather")
    with pytest.raises(BuildFailed, match="made-up-violation"):
        run_build([corpus], out)
    assert seen == [True] and _kept(out) == before
    monkeypatch.setattr(validate, "run_checks_of_change", checks)
    opened = []
    monkeypatch.setattr(KeptStore, "_take", _spy(KeptStore._take, opened))
    again = run_build([corpus], out)
    assert opened == [True] and not again.validated_whole
    assert _kept(out) == (_sha256(out / "idm.ttl"), set(again.dataset.union_statements()))
    _same_as_clean(corpus, out, tmp_path)


def _spy(method, calls: list):
    def spied(self, *args):
        found = method(self, *args)
        calls.append(found is not None)
        return found

    return spied


def test_a_store_left_unmarked_or_held_by_another_build_is_not_patched(corpus, tmp_path, monkeypatch):
    """A build killed while it patched the store leaves it unmarked: the next build loads the
    union anew. A store another build holds is left to it: this build loads its own."""
    out = tmp_path / "out"
    first = run_build([corpus], out)
    folder = LastBuild(cache_folder(out)).folder
    (folder / "store.mark").unlink()
    _rename_someone(corpus, first, "Zora Quillfeather")
    opened = []
    monkeypatch.setattr(KeptStore, "_take", _spy(KeptStore._take, opened))
    second = run_build([corpus], out)
    assert opened == [False] and second.report.conforms
    assert _kept(out) == (_sha256(out / "idm.ttl"), set(second.dataset.union_statements()))
    name = (folder / "store.mark").read_text(encoding="ascii").split()[0]
    held = ox.Store(str(folder / name))
    try:
        _rename_someone(corpus, second, "Ysolde Marchbanks")
        third = run_build([corpus], out)
        assert opened == [False, False] and third.report.conforms
        assert (folder / name / "CURRENT").is_file()  # not removed from under the build that holds it
    finally:
        del held
    assert _kept(out) == (_sha256(out / "idm.ttl"), set(third.dataset.union_statements()))
    _same_as_clean(corpus, out, tmp_path)


def test_damaged_store_folders_are_loaded_anew_and_removed(corpus, tmp_path):
    """A store folder whose files are partly gone (a removal cut short by the store's own
    threads, a disk) neither fails a build nor stays: the kept store whose files were damaged
    is loaded anew, and every damaged folder is removed once the build is in place."""
    out = tmp_path / "out"
    first = run_build([corpus], out)
    folder = LastBuild(cache_folder(out)).folder
    name = (folder / "store.mark").read_text(encoding="ascii").split()[0]
    for damaged, gone in (("store-nomanifest", "MANIFEST-*"), ("store-nosst", "*.sst")):
        shutil.copytree(folder / name, folder / damaged)
        for path in (folder / damaged).glob(gone):
            path.unlink()
    for path in (folder / name).glob("*.sst"):  # the kept store itself damaged
        path.unlink()
    with pytest.raises((OSError, RuntimeError)):
        ox.Store(str(folder / "store-nosst"))
    opened = []
    _rename_someone(corpus, first, "Zora Quillfeather")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(KeptStore, "_take", _spy(KeptStore._take, opened))
        second = run_build([corpus], out)
    assert opened == [False] and second.report.conforms
    assert [p.name for p in folder.glob("store-*")] == [(folder / "store.mark").read_text().split()[0]]
    assert _kept(out) == (_sha256(out / "idm.ttl"), set(second.dataset.union_statements()))
    _same_as_clean(corpus, out, tmp_path)


def test_a_change_with_a_blank_node_is_not_patched_into_the_kept_store(tmp_path):
    """A blank node read anew is not the one the store holds: a change that has one loads the
    union anew (patched, the store would keep the statement that went)."""
    label = "<https://example.org/s> <http://www.w3.org/2000/01/rdf-schema#label>"
    before = sorted([f'{label} "a"', f'{label} _:b1'])
    after = [f'{label} "a"']
    first = KeptStore(tmp_path)
    store = first.open(None, lambda: None, before)
    assert len(store) == 2
    first.commit(hashlib.sha256(b"the first idm.ttl").hexdigest())
    del store
    marked = hashlib.sha256(b"the first idm.ttl").hexdigest()
    second = KeptStore(tmp_path)
    store = second.open(marked, lambda: Change(removed=[f"{label} _:b1"], added=[]), after)
    assert {statement_of(q) for q in store} == set(after)
    second.commit(hashlib.sha256(b"the second idm.ttl").hexdigest())
    del store
    assert len(list(tmp_path.glob("store-*"))) == 1


def test_a_mark_that_cannot_be_written_does_not_fail_a_build_already_in_place(corpus, tmp_path, monkeypatch):
    """The files are in place when the store is marked: a full disk there leaves the store
    unmarked (the next build loads its own), not a build that says it failed."""
    import idmgraph.last_build as last_build

    out = tmp_path / "out"
    replace = os.replace

    def full(src, dst):
        if Path(dst).name == "store.mark":
            raise OSError(28, "No space left on device")
        return replace(src, dst)

    monkeypatch.setattr(last_build.os, "replace", full)
    first = run_build([corpus], out)
    assert first.report.conforms and _kept(out) == (None, set())
    assert not list(LastBuild(cache_folder(out)).folder.glob(".mark-*"))  # nothing left behind
    monkeypatch.undo()
    _rename_someone(corpus, first, "Zora Quillfeather")
    second = run_build([corpus], out)
    assert _kept(out) == (_sha256(out / "idm.ttl"), set(second.dataset.union_statements()))
    _same_as_clean(corpus, out, tmp_path)
