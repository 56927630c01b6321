"""idm.trig and idm.ttl written by segments, so that a rebuild writes again only the segments
that changed and copies the others from the last good build's files.

The sorted statements are cut into segments before the subjects whose CRC-32 falls on a
multiple of ``CUT_EVERY`` (a cut depends on the subject alone, so a change moves no cut but its
own): there the serialiser starts a subject afresh. Oxigraph serialises each segment; a
segment's text is the same whether it is serialised alone or within the whole file, once the
``@prefix`` lines it opens with are taken off and, in TriG, where the segment before ends in the
same named graph as this one begins, the line that opens that graph's ``{`` block (and the
``}`` that closes the segment before): within the whole file the block goes on across the cut
(``tests/test_incremental.py`` holds this with a cut before one subject in two), so the file is
the prefixes and the segments' texts in order: the bytes of one serialisation.

A Turtle segment is known by the SHA-256 digest of its statements' N-Triples text; a TriG
segment, of the same statements, by that digest, a digest of the graphs of their lines and
whether the block goes on across either end (its N-Quads lines are made only when it is
serialised); the last good build's files, with the digest and place of each of their segments,
are what a rebuild copies from.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable

import pyoxigraph as ox

from .quads import GraphEnds, joined_statements

__all__ = [
    "CUT_EVERY",
    "Written",
    "write_segmented",
    "statement_digests",
    "statement_cuts",
    "trig_segments",
    "cut_before",
    "digest_of",
    "serialised",
    "split_prefixes",
    "trimmed",
]

Segments = list[tuple[str, int, int]]  # (digest, first, end) of each segment, in order

CUT_EVERY = 32  # about one subject in this many opens a segment


def cut_before(subject: str) -> bool:
    return zlib.crc32(subject.encode("ascii")) % CUT_EVERY == 0


def statement_cuts(statements: list[str]) -> list[int]:
    """Where the sorted statements are cut: 0, the index of each statement that opens a segment,
    and the length."""
    cuts, previous = [0], None
    for i, statement in enumerate(statements):
        subject = statement[: statement.index(" ")]
        if subject != previous:
            if i and cut_before(subject):
                cuts.append(i)
            previous = subject
    cuts.append(len(statements))
    return cuts


_DEFAULT_GRAPH = " .\n"  # the end of a line in the default graph, which has no { } block

Trim = tuple[bool, bool]  # (the first line goes, the last line goes)


def trig_segments(statements: list[str], ends: GraphEnds, digests: Segments) -> tuple[Segments, list[Trim]]:
    """The segments of the TriG: those of the Turtle (``digests``, of the same sorted
    statements), each known by its digest, the ends of its lines (their graphs) and how it
    trims; and how each is trimmed: (whether its first line, a named graph's opening, goes
    because the segment before ends in that graph; whether its last line, that graph's closing
    ``}``, goes because the segment after goes on in it)."""
    joins = [
        a > 0 and ends.last(statements[a - 1]) == ends.first(statements[a]) != _DEFAULT_GRAPH
        for _, a, _ in digests
    ]
    trims = [(joins[i], i + 1 < len(joins) and joins[i + 1]) for i in range(len(joins))]
    out = []
    for (digest, a, b), trim in zip(digests, trims):
        h = hashlib.sha256(bytes.fromhex(digest))
        h.update(ends.joined(statements[a:b]).encode("ascii"))
        h.update(bytes(trim))
        out.append((h.hexdigest()[:32], a, b))
    return out, trims


def trimmed(body: bytes, trim: Trim) -> bytes:
    """A TriG segment's text without the opening of the graph block the segment before leaves
    open, and without the closing of the block the segment after goes on in."""
    first, last = trim
    if first:
        body = body[body.index(b"\n") + 1 :]
    if last:
        assert body.endswith(b"}\n"), "a TriG segment that goes on in its graph ends that graph's block"
        body = body[:-2]
    return body


def serialised(text: str, source: ox.RdfFormat, syntax: ox.RdfFormat, prefixes: dict) -> tuple[bytes, bytes]:
    """(prefix lines, the rest) of RDF text in ``source`` syntax written in ``syntax``: a
    segment made anew."""
    return split_prefixes(ox.serialize(ox.parse(text, format=source), format=syntax, prefixes=prefixes))


def split_prefixes(text: bytes) -> tuple[bytes, bytes]:
    end = 0
    while text.startswith(b"@prefix", end):
        end = text.index(b"\n", end) + 1
    return text[:end], text[end:]


class Written:
    """A file written by segments: its bytes, its prefix lines, and each segment's digest and
    place in it (what the next build reuses); ``described``: what else its index says of each
    segment (idm.ttl: the subject it opens with; idm.trig: its trims and the ends of its first
    and last lines), from which ``idmgraph.patch`` patches the file.

    Its bytes may be given as their pieces in order (a patched file: the last file's segments,
    as views of its bytes, and the segments made again): joined once ``data`` is asked for, or
    by whoever writes them (``chunks``), so that the copy is not made where it is not needed."""

    def __init__(
        self,
        data: bytes | list,
        prefixes: bytes = b"",
        segments: Segments | None = None,
        reused: int = 0,
        described: dict | None = None,
    ):
        self._chunks = [data] if isinstance(data, bytes) else list(data)
        self.prefixes = prefixes
        self.segments = [] if segments is None else segments
        self.reused = reused
        self.described = {} if described is None else described

    @property
    def data(self) -> bytes:
        """The file's bytes (its pieces joined, once)."""
        if len(self._chunks) != 1 or type(self._chunks[0]) is not bytes:
            self._chunks = [b"".join(self._chunks)]
        return self._chunks[0]

    def chunks(self) -> list:
        """The file's bytes in pieces, in order (bytes, or views of the last file's bytes)."""
        return list(self._chunks)

    def index(self) -> dict:
        return {"prefixes": self.prefixes.decode("utf-8"), "segments": self.segments, **self.described}


def statement_digests(statements: list[str], cuts: list[int]) -> Segments:
    """Each segment of the sorted statements cut at ``cuts``, as (SHA-256 digest of its
    N-Triples text, first, end): the segments of the Turtle."""
    return [(digest_of(joined_statements(statements[a:b])), a, b) for a, b in zip(cuts, cuts[1:]) if a < b]


def digest_of(text: str) -> str:
    # SHA-256 (cut to 128 bits, what a segment's identity needs): with the processors' SHA
    # instructions it hashes the text of the statements about twice as fast as BLAKE2
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:32]


def write_segmented(
    segments: Segments,
    text_of: Callable[[int, int], str],
    source: ox.RdfFormat,
    syntax: ox.RdfFormat,
    prefixes: dict[str, str],
    previous: tuple[bytes, dict] | None = None,
    trims: list[Trim] | None = None,
) -> Written:
    """The file of ``segments`` (digest, first, end), each copied from ``previous`` (the last
    file's bytes and its ``Written.index()``) where its digest is there, else serialised from
    ``text_of(first, end)`` (RDF in the ``source`` syntax) into ``syntax`` (and trimmed as
    ``trims`` say, for TriG)."""
    known: dict[str, tuple[int, int]] = {}
    old, head = b"", None
    if previous is not None:
        old, index = previous
        head = index["prefixes"].encode("utf-8")
        known = {digest: (start, end) for digest, start, end in index["segments"]}
    parts, placed, reused, place = [], [], 0, 0
    for i, (digest, a, b) in enumerate(segments):
        found = known.get(digest)
        if found is not None:
            body = old[found[0] : found[1]]
            reused += 1
        else:
            opening, body = serialised(text_of(a, b), source, syntax, prefixes)
            if head is None:
                head = opening
            elif opening != head:  # the prefixes written differ from the last file's: none reused
                return write_segmented(segments, text_of, source, syntax, prefixes, None, trims)
            if trims is not None:
                body = trimmed(body, trims[i])
        parts.append(body)
        placed.append((digest, place, place + len(body)))
        place += len(body)
    head = head or b""
    placed = [(d, start + len(head), end + len(head)) for d, start, end in placed]
    return Written(b"".join([head, *parts]), head, placed, reused)
