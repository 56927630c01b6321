"""idm.trig and idm.ttl written by segments, so that a rebuild writes again only the segments
that changed and copies the others from the last good build's files.

The sorted statements are cut into segments before the subjects whose CRC-32 falls on a
multiple of ``CUT_EVERY`` (a cut depends on the subject alone, so a change moves no cut but its
own), where the serialiser starts a subject afresh: in Turtle at any new subject, in TriG at a
new subject that is also in another graph than the line before (a subject of the same graph
would go on in the same ``{ }`` block). Oxigraph serialises each segment; a segment's text is
the same whether it is serialised alone or within the whole file, once the ``@prefix`` lines it
opens with are taken off (``tests/test_segments.py`` holds this on every cut of a build), so the
file is the prefixes and the segments' texts in order, the same bytes as one serialisation.

A segment is known by the BLAKE2 digest of its N-Quads or N-Triples text; the last good build's
files and the digest and place of each of their segments are the ``Segments`` a rebuild reuses.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field

import pyoxigraph as ox

from .quads import joined_statements

__all__ = ["CUT_EVERY", "Written", "write_segmented", "segment_digests", "statement_cuts", "trig_cuts"]

CUT_EVERY = 128  # about one subject in this many opens a segment


def _cut_before(subject: str) -> bool:
    return zlib.crc32(subject.encode("ascii")) % CUT_EVERY == 0


def _subject(statement: str) -> str:
    return statement[: statement.index(" ")]


def statement_cuts(statements: list[str]) -> list[int]:
    """Where the sorted statements are cut: 0, the index of each statement that opens a segment,
    and the length."""
    cuts, previous = [0], None
    for i, statement in enumerate(statements):
        subject = statement[: statement.index(" ")]
        if subject != previous:
            if i and _cut_before(subject):
                cuts.append(i)
            previous = subject
    cuts.append(len(statements))
    return cuts


def trig_cuts(statements: list[str], lines: list[str], starts: list[int], cuts: list[int]) -> list[int]:
    """The statements' cuts as cuts of the N-Quads lines (``starts``: the first line of each
    statement): each moved on to the first new subject, at it or after it, whose first line is in
    another graph than the line before (there the serialiser closes one graph and opens the next)."""
    out, i, n = [0], 0, len(statements)
    for cut in cuts[1:-1]:
        i = max(i, cut)
        while i < n:
            j = starts[i]
            new_subject = j > out[-1] and _subject(statements[i]) != _subject(statements[i - 1])
            if new_subject and lines[j][len(statements[i]) :] != lines[j - 1][len(statements[i - 1]) :]:
                out.append(j)  # the first line of a subject in another graph than the line before
                break
            i += 1
    out.append(len(lines))
    return out


def _split_prefixes(text: bytes) -> tuple[bytes, bytes]:
    end = 0
    while text.startswith(b"@prefix", end):
        end = text.index(b"\n", end) + 1
    return text[:end], text[end:]


@dataclass
class Written:
    """A file written by segments: its bytes, its prefix lines, and each segment's digest and
    place in it (what the next build reuses)."""

    data: bytes
    prefixes: bytes = b""
    segments: list[tuple[str, int, int]] = field(default_factory=list)
    reused: int = 0

    def index(self) -> dict:
        return {"prefixes": self.prefixes.decode("utf-8"), "segments": self.segments}


def _text(pieces: list[str], a: int, b: int, quads: bool) -> str:
    return "".join(pieces[a:b]) if quads else joined_statements(pieces[a:b])


def segment_digests(pieces: list[str], cuts: list[int], quads: bool = False) -> list[tuple[str, int, int]]:
    """Each segment of the sorted lines ``pieces`` (N-Quads lines, or N-Triples statements
    without " .") cut at ``cuts``, as (BLAKE2 digest of its text, first, end)."""
    return [
        (hashlib.blake2b(_text(pieces, a, b, quads).encode("ascii"), digest_size=16).hexdigest(), a, b)
        for a, b in zip(cuts, cuts[1:])
        if a < b
    ]


def write_segmented(
    pieces: list[str],
    cuts: list[int],
    syntax: ox.RdfFormat,
    prefixes: dict[str, str],
    previous: tuple[bytes, dict] | None = None,
    digests: list[tuple[str, int, int]] | None = None,
) -> Written:
    """The file of the sorted lines ``pieces`` (N-Quads lines for TriG, N-Triples statements
    without " ." for Turtle) cut at ``cuts``, each segment copied from ``previous`` (the last
    file's bytes and its ``Written.index()``) where its digest is there, else serialised.
    ``digests``: ``segment_digests`` of the same, when the caller has them."""
    quads = syntax == ox.RdfFormat.TRIG
    known: dict[str, tuple[int, int]] = {}
    old, head = b"", None
    if previous is not None:
        old, index = previous
        head = index["prefixes"].encode("utf-8")
        known = {digest: (start, end) for digest, start, end in index["segments"]}
    parts, segments, reused, place = [], [], 0, 0
    for digest, a, b in segment_digests(pieces, cuts, quads) if digests is None else digests:
        found = known.get(digest)
        if found is not None:
            body = old[found[0] : found[1]]
            reused += 1
        else:
            source = ox.RdfFormat.N_QUADS if quads else ox.RdfFormat.N_TRIPLES
            text = _text(pieces, a, b, quads)
            made = ox.serialize(ox.parse(text, format=source), format=syntax, prefixes=prefixes)
            opening, body = _split_prefixes(made)
            if head is None:
                head = opening
            elif opening != head:  # the prefixes written differ from the last file's: none reused
                return write_segmented(pieces, cuts, syntax, prefixes, None, digests)
        parts.append(body)
        segments.append((digest, place, place + len(body)))
        place += len(body)
    head = head or b""
    segments = [(d, start + len(head), end + len(head)) for d, start, end in segments]
    return Written(head + b"".join(parts), head, segments, reused)
