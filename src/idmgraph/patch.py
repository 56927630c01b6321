"""idm.trig and idm.ttl of a rebuild, patched: the last good build's files, with anew only the
segments (``idmgraph.segments``) that hold a statement the change touched, found without
sorting, cutting or digesting the whole union again.

What changed is known from what the dataset is made of (``Made``): each source's unit of
statements (``idmgraph.rdf_units``), by fingerprint, and what each graph holds that no unit
gave (the ontology, reference data, posts, theme links, provenance). A quad can come or go only
where a source's unit or a graph's own statements changed, so the statements of the units whose
fingerprint changed and of the graphs' own statements that changed hold every statement whose
graphs are not those of the last build (and maybe some whose are: they are made again, and
come out the same).

A segment covers the subjects from its first to the next segment's first, so the segments
those statements' subjects fall in are the ones to make again: their statements are those the
last file's segments held (read back from its TriG, with the graphs of their lines) and the
touched ones, each kept if a graph holds it now, in the graphs that do. A statement no change
touched is in the graphs it was in; for a touched one the dataset is asked, and reads of the
units it holds unread (``quads.Pending``) those that may name the touched subjects alone.

Cuts depend on subjects alone: within a stretch made again they fall where a clean build puts
them, and a stretch whose first subject is gone (or no longer opens a segment) takes in the
segment before. A TriG segment's ends (whether the block of a graph goes on across a cut)
depend on its neighbours: a neighbour whose trim changes is made again too.

Anything the files' index does not describe, a blank node, or more change than
``last_build.MOST_CHANGED`` allows gives None: the build writes the files whole.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from .last_build import MOST_CHANGED, Change, Made
from .quads import GraphEnds, Quads, ascii_nt, joined_statements, statement_of
from .segments import Written, cut_before, digest_of, serialised, statement_cuts, trimmed

__all__ = ["Made", "Patched", "touched_statements", "patch_files"]

_DEFAULT_GRAPH = " .\n"  # the end of a line in the default graph


@dataclass
class Patched:
    """The files patched, and how the union changed."""

    trig: Written
    ttl: Written
    change: Change
    quads: int  # how many the dataset holds (the lines of the N-Quads the TriG is written from)


def touched_statements(
    before: Made, now: Made, unit: Callable[[str], tuple[list[str], ...] | None]
) -> set[str] | None:
    """Every statement whose graphs may differ between the build ``before`` and this one
    (``now``); ``unit(fingerprint)`` gives a unit's statements (None: not kept, then None)."""
    touched: set[str] = set()
    for name in before.shared.keys() | now.shared.keys():
        touched |= before.shared.get(name, set()) ^ now.shared.get(name, set())
    for source in before.units.keys() | now.units.keys():
        old, new = before.units.get(source), now.units.get(source)
        if old == new:
            continue
        parts = []
        for fingerprint in (old, new):
            found = unit(fingerprint) if fingerprint else ([], [], [])
            if found is None:
                return None
            parts.append(found)
        for a, b in zip(*parts):
            touched |= set(a).symmetric_difference(b)
    return touched


class _BlankNode(Exception):
    """A statement read back names a blank node."""


def _blank_node_in(statements) -> bool:
    """Whether a statement may name a blank node (one text searched: a literal that holds
    "_:" says yes too, and the files are then written whole)."""
    return "_:" in "\n".join(statements)


def _trig_lines(
    head: bytes, trig: bytes, segment: tuple, trim: tuple[bool, bool], first_end: str
) -> list[tuple[str, str]]:
    """(statement, the end of its line) of each quad a segment of the last TriG holds: read
    with the opening of the graph block it goes on in and the closing it leaves to the segment
    after, where its trims took them off."""
    _, c, d = segment
    text = head
    if trim[0]:  # goes on in the graph its first line ends with
        text += first_end.strip()[:-1].strip().encode("ascii") + b" {\n"
    text += trig[c:d]
    if trim[1]:
        text += b"}\n"
    out = []
    for quad in ox.parse(text, format=ox.RdfFormat.TRIG):
        graph = quad.graph_name
        end = " .\n" if isinstance(graph, ox.DefaultGraph) else f" {ascii_nt(str(graph))} .\n"
        out.append((statement_of(quad), end))
    return out


def _subject(statement: str) -> str:
    return statement[: statement.index(" ")]


def _runs(indices: set[int]) -> list[tuple[int, int]]:
    """The runs of consecutive indices, as (first, last)."""
    runs: list[tuple[int, int]] = []
    for i in sorted(indices):
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def patch_files(
    ds: Quads,
    touched: set[str],
    ttl_before: tuple[bytes, dict],
    trig_before: tuple[bytes, dict],
    prefixes: dict[str, str],
    found: Callable[[Change], None] | None = None,
) -> Patched | None:
    """idm.ttl and idm.trig of ``ds``, from the last good build's (each its bytes and index)
    and the statements ``touched`` since; None where they cannot be patched. ``found`` is told
    how the union changed as soon as that is known, before the segments are written (the
    change is the union's, whether or not the files can then be patched)."""
    ttl_old, ttl_index = ttl_before
    trig_old, trig_index = trig_before
    try:
        segments, trig_segments = ttl_index["segments"], trig_index["segments"]
        subjects, trims, ends = ttl_index["subjects"], trig_index["trims"], trig_index["ends"]
        quads = trig_index["quads"]
        ttl_head = ttl_index["prefixes"].encode("utf-8")
        trig_head = trig_index["prefixes"].encode("utf-8")
    except (KeyError, TypeError, AttributeError):
        return None  # an index from before segments said their subjects, trims and ends
    n = len(segments)
    if not n or not len(trig_segments) == len(subjects) == len(trims) == len(ends) == len(quads) == n:
        return None
    # the last build's quads: the dataset's, but for a change that is not the greater part of it
    if len(touched) > MOST_CHANGED * max(sum(quads), 1) or _blank_node_in(touched):
        return None
    trims = [tuple(t) for t in trims]
    segment_of = {t: max(bisect_right(subjects, _subject(t)) - 1, 0) for t in touched}
    dirty = set(segment_of.values())
    read: dict[int, set[str]] = {}  # the statements of a last segment, read back once
    ends_before: dict[str, list[str]] = {}  # the ends of their lines in the last TriG
    # the touched statements' lines now (the dataset reads the statements it has not read yet
    # that may be about their subjects): all other lines of a segment are the last build's
    touched_ends = GraphEnds(ds, touched)

    def old_statements(i: int) -> set[str]:
        if i not in read:
            lines = _trig_lines(trig_head, trig_old, trig_segments[i], trims[i], ends[i][0])
            read[i] = {t for t, _ in lines}
            if _blank_node_in(read[i]):
                raise _BlankNode
            for t, end in lines:
                ends_before.setdefault(t, []).append(end)
        return read[i]

    while True:
        regions = _runs(dirty)
        try:
            before = {(i, j): {t for k in range(i, j + 1) for t in old_statements(k)} for i, j in regions}
        except _BlankNode:
            return None  # a blank node read back is not the one the graph holds
        # the ends of their lines now, each graph's: those of a statement no change touched are
        # the last build's
        graphs = touched_ends.with_untouched(ends_before, touched)
        # each region's statements now: those it held that a graph still holds, and the
        # touched ones that fall in it
        made = {region: [t for t in found if t in graphs] for region, found in before.items()}
        starts = [i for i, _ in regions]
        for t, k in segment_of.items():
            if t in graphs:
                region = regions[bisect_right(starts, k) - 1]
                if t not in before[region]:
                    made[region].append(t)
        grow = set()
        # the segments in order: each ("kept", i) or ("made", statements of it)
        sequence: list[tuple[str, object]] = []
        k = 0
        for i, j in regions:
            sequence.extend(("kept", m) for m in range(k, i))
            statements = sorted(made[(i, j)])
            if i > 0 and (not statements or not cut_before(_subject(statements[0]))):
                grow.add(i - 1)  # its first subject no longer opens a segment: one with the one before
            cuts = statement_cuts(statements)  # on the stretch alone: it opens a segment
            sequence.extend(("made", statements[a:b]) for a, b in zip(cuts, cuts[1:]) if a < b)
            k = j + 1
        sequence.extend(("kept", m) for m in range(k, n))
        if grow - dirty:
            dirty |= grow
            continue
        first_ends = [ends[m][0] if kind == "kept" else graphs.first(m[0]) for kind, m in sequence]
        last_ends = [ends[m][1] if kind == "kept" else graphs.last(m[-1]) for kind, m in sequence]
        joins = [
            p > 0 and last_ends[p - 1] == first_ends[p] != _DEFAULT_GRAPH for p in range(len(sequence))
        ]
        new_trims = [(joins[p], p + 1 < len(joins) and joins[p + 1]) for p in range(len(sequence))]
        for p, (kind, m) in enumerate(sequence):
            if kind == "kept" and new_trims[p] != trims[m]:
                grow.add(m)  # the graph block around it opens or closes elsewhere now
        if not grow:
            break
        dirty |= grow

    old = set().union(*before.values())
    new = {t for statements in made.values() for t in statements}
    change = Change(sorted(old - new), sorted(new - old))
    if found is not None:
        found(change)
    # the segments kept are views of the last files' bytes: copied once, where the file is written
    ttl_view, trig_view = memoryview(ttl_old), memoryview(trig_old)
    ttl_parts, trig_parts = [ttl_head], [trig_head]
    ttl_placed, trig_placed, subjects_now, ends_now, quads_now = [], [], [], [], []
    ttl_at, trig_at, reused = len(ttl_head), len(trig_head), 0
    for p, (kind, m) in enumerate(sequence):
        if kind == "kept":
            digest, a, b = segments[m]
            trig_digest, c, d = trig_segments[m]
            body, trig_body = ttl_view[a:b], trig_view[c:d]
            subjects_now.append(subjects[m])
            ends_now.append(list(ends[m]))
            quads_now.append(quads[m])
            reused += 1
        else:
            text = joined_statements(m)
            digest = digest_of(text)
            head, body = serialised(text, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE, prefixes)
            line_ends = graphs.joined(m)
            lines = "".join(graphs.lines(m))
            trig_head_now, trig_body = serialised(lines, ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, prefixes)
            if head != ttl_head or trig_head_now != trig_head:
                return None  # other prefixes than the last files': written whole
            trig_body = trimmed(trig_body, new_trims[p])
            h = hashlib.sha256(bytes.fromhex(digest))
            h.update(line_ends.encode("ascii"))
            h.update(bytes(new_trims[p]))
            trig_digest = h.hexdigest()[:32]
            subjects_now.append(_subject(m[0]))
            ends_now.append([graphs.first(m[0]), graphs.last(m[-1])])
            quads_now.append(graphs.count(m))
        ttl_parts.append(body)
        trig_parts.append(trig_body)
        ttl_placed.append((digest, ttl_at, ttl_at + len(body)))
        trig_placed.append((trig_digest, trig_at, trig_at + len(trig_body)))
        ttl_at += len(body)
        trig_at += len(trig_body)
    ttl = Written(ttl_parts, ttl_head, ttl_placed, reused, {"subjects": subjects_now})
    trig = Written(
        trig_parts,
        trig_head,
        trig_placed,
        reused,
        {"trims": [list(t) for t in new_trims], "ends": ends_now, "quads": quads_now},
    )
    return Patched(trig, ttl, change, sum(quads_now))

