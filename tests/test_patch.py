"""idm.trig and idm.ttl patched from the last good build's (issue 14): the bytes and the index a
whole serialisation gives, on graphs changed at random where cuts, graph blocks and trims move,
and in rebuilds of agenda folders."""

import random

import pytest

from conftest import layout_corpus
from idmgraph import segments
from idmgraph.build import BASE, FILE_PREFIXES, _serialise, run_build
from idmgraph.last_build import LastBuild, Made
from idmgraph.parse_cache import cache_folder
from idmgraph.patch import patch_files, touched_statements
from idmgraph.quads import Pending, Quads, subject_code

E = "https://example.org/"
# graph names whose N-Quads ends sort unlike the names: "<.../g/x> ." before "<.../g> ."
GRAPHS = [None, f"{E}g", f"{E}g/x", f"{E}h", f"{E}h2"]


def _random_quads(rng: random.Random, subjects: int, size: int) -> set[tuple[str, str | None]]:
    quads = set()
    while len(quads) < size:
        quads.add(_random_quad(rng, subjects))
    return quads


def _random_quad(rng: random.Random, subjects: int) -> tuple[str, str | None]:
    s = f"<{E}s{rng.randrange(subjects):03d}>"
    p = f"<{E}p{rng.randrange(3)}>"
    o = rng.choice([f"<{E}o{rng.randrange(5)}>", f'"v{rng.randrange(5)}"', f'"é{rng.randrange(3)}"@fr'])
    o = o.replace("é", "\\u00E9")  # the statements are ASCII, as the build holds them
    return f"{s} {p} {o}", rng.choice(GRAPHS)


def _dataset(quads: set[tuple[str, str | None]]) -> Quads:
    ds = Quads()
    for statement, graph in quads:
        (ds.default_graph if graph is None else ds.graph(graph)).triples.add(statement)
    return ds


def _dataset_in_lots(rng: random.Random, quads: set[tuple[str, str | None]], read: list) -> Quads:
    """The quads with those of the named graphs dealt at random into lots the dataset holds
    without reading them (as a rebuild holds the units of the sources that did not change): a
    quad may be in two lots, or in a lot and read; ``read`` says which lots were read."""
    ds = Quads()
    lots: list[dict[str, list[str]]] = [{} for _ in range(rng.randint(1, 12))]
    home = {}  # most of a subject's statements are in one lot, as a source's are in its unit
    for statement, graph in sorted(quads, key=str):
        if graph is None or rng.random() < 0.2:
            (ds.default_graph if graph is None else ds.graph(graph)).triples.add(statement)
        if graph is not None:
            subject = statement.split(" ")[0]
            lot = home.setdefault(subject, rng.randrange(len(lots)))
            lots[lot].setdefault(graph, []).append(statement)
            if rng.random() < 0.1:  # and in another lot too (as a person named by two sources)
                rng.choice(lots).setdefault(graph, []).append(statement)
    pending = []
    for n, lot in enumerate(lots):
        graphs = tuple(sorted(lot))
        statements = [lot[g] for g in graphs]
        subjects = sorted({subject_code(t.split(" ")[0]) for block in statements for t in block})
        pending.append(
            Pending(graphs, tuple(map(len, statements)), subjects, lambda n=n, s=statements: read.append(n) or s)
        )
    ds.defer(pending)
    return ds


def _mutated(rng: random.Random, quads: set, subjects: int) -> set:
    out = set(quads)
    for _ in range(rng.randint(1, 8)):
        kind = rng.random()
        if kind < 0.3 and out:  # a quad taken away
            out.discard(rng.choice(sorted(out, key=str)))
        elif kind < 0.5 and out:  # a statement put in one more graph (its graphs change only)
            statement, _ = rng.choice(sorted(out, key=str))
            out.add((statement, rng.choice(GRAPHS)))
        elif kind < 0.65 and out:  # every statement of a subject taken away (a cut may go)
            subject = rng.choice(sorted(out, key=str))[0].split(" ")[0]
            out = {q for q in out if not q[0].startswith(subject + " ")}
        elif kind < 0.75:  # a subject before or after every other
            edge = rng.choice(["!first", "~last"])
            out.add((f"<{E}{edge}{rng.randrange(3)}> <{E}p0> <{E}o1>", rng.choice(GRAPHS)))
        else:  # a new quad, maybe of a new subject (a new cut may come)
            out.add(_random_quad(rng, subjects + 10))
    return out


def _files(ds: Quads):
    trig, ttl = _serialise(ds, BASE)
    return (trig.data, trig.index()), (ttl.data, ttl.index())


@pytest.mark.parametrize("cut_every", [1, 2, 3, 7])
def test_patched_files_are_those_a_whole_serialisation_writes(monkeypatch, cut_every):
    """A few hundred random graphs, each changed by a few quads: the patched idm.trig and
    idm.ttl are the bytes, and their index the index, that serialising the changed graph whole
    gives; and the change is the statements that went from the union and came into it."""
    monkeypatch.setattr(segments, "CUT_EVERY", cut_every)
    rng = random.Random(cut_every)
    patched_any = written_anew = left_unread = 0
    for n in range(80):
        subjects = rng.randint(3, 40)
        before = _random_quads(rng, subjects, rng.randint(subjects, 6 * subjects))
        after = _mutated(rng, before, subjects)
        old_trig, old_ttl = _files(_dataset(before))
        new = _dataset(after)
        touched = {statement for statement, _ in before ^ after}
        if rng.random() < 0.3:  # statements touched that did not change: made again, the same
            touched |= {statement for statement, _ in rng.sample(sorted(after, key=str), 2)}
        told = []  # the change, told before the segments are written
        read: list[int] = []
        side = random.Random(f"{cut_every}-{n}")  # apart: the graphs drawn stay those drawn before
        lots = _dataset_in_lots(side, after, read) if side.random() < 0.5 else None
        patched = patch_files(new if lots is None else lots, touched, old_ttl, old_trig, FILE_PREFIXES, told.append)
        if patched is None:  # more changed than a patch is worth (of the last build's quads)
            assert len(touched) > 0.25 * len(before) and told == []
            continue
        assert told == [patched.change]
        if lots is not None:  # only the lots that may hold a statement of a touched subject read
            codes = {subject_code(t.split(" ")[0]) for t in touched}
            assert all(codes.isdisjoint(p.subjects) for p in lots._pending)
            assert len(set(read)) == len(read)  # each read once
            left_unread += len(lots._pending)
            assert set(lots.union_statements()) == {statement for statement, _ in after}
            assert len(lots) == len(new)
        assert patched.quads == len(new)
        (trig, trig_index), (ttl, ttl_index) = _files(new)
        # in pieces (the kept segments views of the last file's bytes), joined where written
        assert b"".join(patched.ttl.chunks()) == ttl and b"".join(patched.trig.chunks()) == trig
        assert patched.ttl.data == ttl and patched.trig.data == trig
        assert patched.ttl.index() == ttl_index and patched.trig.index() == trig_index
        union_before = {statement for statement, _ in before}
        union_after = {statement for statement, _ in after}
        assert patched.change.removed == sorted(union_before - union_after)
        assert patched.change.added == sorted(union_after - union_before)
        patched_any += 1
        written_anew += len(patched.ttl.segments) - patched.ttl.reused
    assert patched_any > 40
    assert left_unread > 0  # the lots that hold no touched subject were not read
    if cut_every > 1:
        assert written_anew < patched_any * 4  # most segments copied, not made again


def test_what_cannot_be_patched_is_none(monkeypatch):
    """An index without the subjects, trims and ends of its segments (an older build), a blank
    node, or too much change: None (the build writes the files whole)."""
    monkeypatch.setattr(segments, "CUT_EVERY", 2)
    rng = random.Random(5)
    before = _random_quads(rng, 20, 80)
    old_trig, old_ttl = _files(_dataset(before))
    one = {min(before, key=str)[0]}
    ds = _dataset(before)
    assert patch_files(ds, one, old_ttl, old_trig, FILE_PREFIXES) is not None
    bare_ttl = (old_ttl[0], {k: v for k, v in old_ttl[1].items() if k != "subjects"})
    assert patch_files(ds, one, bare_ttl, old_trig, FILE_PREFIXES) is None
    assert patch_files(ds, {f"_:b <{E}p0> <{E}o1>"}, old_ttl, old_trig, FILE_PREFIXES) is None
    assert patch_files(ds, {s for s, _ in before}, old_ttl, old_trig, FILE_PREFIXES) is None


def test_the_statements_touched_are_those_of_the_changed_units_and_graphs():
    units = {"u1": ([f"<{E}a> <{E}p> <{E}b>"], [f"<{E}a> <{E}name> \"A\""], []), "u2": ([], [], [])}
    units["u1b"] = ([f"<{E}a> <{E}p> <{E}c>"], units["u1"][1], [])
    before = Made({"one": "u1", "two": "u2"}, {"": {f"<{E}x> <{E}p> <{E}y>"}})
    now = Made({"one": "u1b", "three": "u2"}, {"": {f"<{E}x> <{E}p> <{E}z>"}})
    touched = touched_statements(before, now, units.get)
    assert touched == {
        f"<{E}a> <{E}p> <{E}b>",
        f"<{E}a> <{E}p> <{E}c>",
        f"<{E}x> <{E}p> <{E}y>",
        f"<{E}x> <{E}p> <{E}z>",
    }
    # a unit the last build used that is not kept any more: nothing can be told
    assert touched_statements(before, now, {"u1b": units["u1b"], "u2": units["u2"]}.get) is None


def test_what_the_last_build_was_made_of_is_read_back_or_not_at_all(tmp_path):
    last = LastBuild(tmp_path)
    last.made = Made({"a": "f1"}, {"": {"<x> <p> <y>"}, "<https://e/g>": {"<x> <p> \"1\"", "<y> <p> <z>"}, "<h>": set()})
    last.segments = {}
    last.commit()
    again = LastBuild(tmp_path).previous_made()
    assert again == last.made
    made = tmp_path / "last-build" / "made.lines"
    data = made.read_bytes()
    made.write_bytes(data.replace(b"<y> <p> <z>", b"<y> <p> <w>"))
    assert LastBuild(tmp_path).previous_made() is None
    made.write_bytes(data[:-5])
    assert LastBuild(tmp_path).previous_made() is None


@pytest.fixture
def corpus(tmp_path):
    return layout_corpus(tmp_path, "*-en.txt", 6)


def _same_as_clean(corpus, out, tmp_path):
    run_build([corpus], tmp_path / "clean", clean=True)
    for name in ("idm.trig", "idm.ttl", "participations.csv", "report.json", "dataset.ttl"):
        assert (out / name).read_bytes() == (tmp_path / "clean" / name).read_bytes(), name


def test_a_rebuild_patches_the_files_and_writes_what_a_clean_build_writes(corpus, tmp_path):
    """A speaker added, an agenda taken away, an agenda added back: each rebuild patches
    idm.trig and idm.ttl and writes the bytes of a clean build; without what the last build was
    made of, the rebuild writes them by segments, the same bytes."""
    out = tmp_path / "out"
    first = run_build([corpus], out)
    assert not first.files_patched
    path = sorted(corpus.glob("*.txt"))[1]
    lines = path.read_text(encoding="utf-8").splitlines()
    last = max(i for i, line in enumerate(lines) if line.lstrip().startswith(("•", "-", "*")))
    lines.insert(last + 1, lines[last].split(",")[0].rstrip() + "x Quillfeather, Director, Ministry of Labour, Ghana")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    again = run_build([corpus], out)
    assert again.files_patched and again.report.conforms and not again.validated_whole
    assert "Quillfeather" in (out / "idm.ttl").read_text(encoding="utf-8")
    _same_as_clean(corpus, out, tmp_path)
    gone = sorted(corpus.glob("*.txt"))[-1]
    text = gone.read_text(encoding="utf-8")
    gone.unlink()
    assert run_build([corpus], out).files_patched
    _same_as_clean(corpus, out, tmp_path)
    gone.write_text(text, encoding="utf-8")
    assert run_build([corpus], out).files_patched
    _same_as_clean(corpus, out, tmp_path)
    (LastBuild(cache_folder(out)).folder / "made.lines").unlink()
    path.write_text(path.read_text(encoding="utf-8").replace("Quillfeather", "Quillfeathers"), encoding="utf-8")
    unpatched = run_build([corpus], out)
    assert not unpatched.files_patched and unpatched.segments_kept[0] > 0
    _same_as_clean(corpus, out, tmp_path)


def test_a_change_told_by_a_patch_that_then_cannot_be_made_is_the_one_checked(corpus, tmp_path, monkeypatch):
    """The checks are told the change as soon as the patch knows it, before it writes the
    segments; a patch that then cannot be made (other prefixes than the last files') leaves
    the files to be written by segments: the change told stands, the graph is still checked
    only where it changed, and the files are those of a clean build."""
    import idmgraph.build as build_module
    import idmgraph.validate as validate

    out = tmp_path / "out"
    run_build([corpus], out)
    patched = build_module._patched

    def told_then_failed(*args):
        assert patched(*args) is not None
        return None

    seen = []
    checks = validate.run_checks_of_change

    def spied(store, changed, files, kept=None):
        seen.append(sorted(changed))
        return checks(store, changed, files, kept)

    monkeypatch.setattr(build_module, "_patched", told_then_failed)
    monkeypatch.setattr(validate, "run_checks_of_change", spied)
    path = sorted(corpus.glob("*.txt"))[1]
    added = "\n• Mr. Ode Quillfeather, Director, Ministry of Labour, Ghana\n"
    path.write_text(path.read_text(encoding="utf-8") + added, encoding="utf-8")
    again = run_build([corpus], out)
    assert not again.files_patched and again.report.conforms and not again.validated_whole
    assert len(seen) == 1 and any("Quillfeather" in s for s in seen[0])
    _same_as_clean(corpus, out, tmp_path)
