"""Stage orchestration: sources -> agendas -> resolution -> RDF -> checks -> files in data/build/.

Files are written to a temporary folder beside the build folder and swapped in only when
everything succeeded, so a failed build never destroys the last good one.
"""

from __future__ import annotations

import csv
import functools
import gc
import hashlib
import io
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import __version__, iris
from .agenda import parse_source
from .curation import load_corrections
from .dataset import Distribution, describe_dataset
from .files import FolderWrite, check_output_folder, sha256_of_file
from .last_build import Change, KeptStore, LastBuild, Made, changed_statements
from .lexicon import keep_reads_in, load_lexicon, prune_kept_lines
from .namespace import BASE, PREFIXES, VOID, check_base, rebase
from .ontology_docs import FILE_NAME as ONTOLOGY_DOCS
from .ontology_docs import render_ontology_docs
from .organizations import load_organizations
from .parse_cache import AgendaCache, cache_folder
from .patch import Patched, patch_files, touched_statements
from .paths import default_inputs, project_dir, set_project
from .quads import GraphEnds, Quads, joined_statements
from .rdf import build_dataset
from .rdf_units import FOLDER as UNITS_FOLDER
from .rdf_units import SourceUnits
from .records import Agenda, AgendaError
from .resolve import Resolution, ResolvedParticipation, resolve_agendas
from .segments import Written, statement_cuts, statement_digests, trig_segments, write_segmented
from .sources import Source, find_sources
from .states import load_states
from .text import spreadsheet_safe_cells
from .themes import ThemeAssignment, assign_themes, assignment_of, assignment_order, assignment_row
from .validate import ValidationReport, start_validation

__all__ = [
    "BuildResult",
    "BuildFailed",
    "run_build",
    "participation_rows",
    "source_counts",
    "CSV_COLUMNS",
]


CSV_COLUMNS = [
    "source",
    "event_id",
    "session_id",
    "session_kind",
    "session_number",
    "session_title",
    "day",
    "start",
    "end",
    "role",
    "order",
    "person_id",
    "person_name",
    "honorific",
    "post",
    "organization_id",
    "organization",
    "organization_type",
    "state_iso3",
    "country_iso3",
    "contribution",
    "delivery",
]


class BuildFailed(Exception):
    """The graph was built but did not pass its checks (exit code 1)."""

    def __init__(self, message: str, report: ValidationReport | None = None):
        super().__init__(message)
        self.report = report


@dataclass
class BuildResult:
    sources: list[Source]
    agendas: list[Agenda]
    resolution: Resolution
    dataset: Quads  # the graph, once, as N-Triples lines (``dataset.to_rdflib()`` for rdflib's API)
    report: ValidationReport
    out_dir: Path | None
    themes: list[ThemeAssignment] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    base: str = BASE  # where the written files' instance and graph IRIs live
    # seconds each stage took (shown by the CLI; never written: the files stay byte-identical)
    timings: dict[str, float] = field(default_factory=dict)
    counts_cached: int = 0  # sources read from the parse cache, not parsed again
    units_kept: int = 0  # sources whose statements were taken from the last good build
    # what a rebuild took from the last good build of its output folder: whether the shapes
    # validated the whole graph (False: only the nodes the change reached), and the segments of
    # idm.trig and idm.ttl copied, of all their segments, and whether they were patched where
    # the change is (idmgraph.patch) rather than cut and digested whole
    validated_whole: bool = True
    segments_kept: tuple[int, int] = (0, 0)
    files_patched: bool = False


def participation_rows(
    res: Resolution, parts: list[ResolvedParticipation] | None = None
) -> list[dict[str, object]]:
    """One row per participation (``parts``: of those only; default all), in the order of the
    CSV's columns."""
    rows = []
    for p in res.participations if parts is None else parts:
        org_key = _row_organization(res, p)
        org = res.organizations.get(org_key) if org_key else None
        rows.append(
            {
                "session_key": p.session.id,
                "source": p.source,
                "event_id": str(iris.workshop(p.event_id)),
                "session_id": str(iris.session(p.event_id, p.session.id)),
                "session_kind": p.session.kind,
                "session_number": p.session.number if p.session.number is not None else "",
                "session_title": p.session.title,
                "day": p.session.day or "",
                "start": p.session.start or "",
                "end": p.session.end or "",
                "role": p.role,
                "order": p.order,
                "person_id": str(iris.person(p.person)),
                "person_name": p.entry.name,
                "honorific": p.entry.honorific or "",
                "post": "; ".join(p.entry.posts),
                "organization_id": str(iris.organization(org_key)) if org_key else "",
                "organization": org.name if org else "",
                "organization_type": (org.type or "") if org else "",
                "state_iso3": p.entry.state or "",
                "country_iso3": p.entry.country or "",
                "contribution": p.entry.contribution or "",
                "delivery": p.entry.delivery or "",
            }
        )
    moderating = load_lexicon().moderating_roles
    sources = {r["source"] for r in rows}
    position = {
        (a.source, s.id): i for a in res.agendas if a.source in sources for i, s in enumerate(a.sessions)
    }
    rows.sort(
        key=lambda r: (
            r["source"],
            position[(r["source"], r["session_key"])],  # type: ignore[index]
            r["role"] not in moderating,
            r["order"],
        )
    )
    for r in rows:
        del r["session_key"]
    return rows


def _row_organization(res: Resolution, p: ResolvedParticipation) -> str | None:
    """The organisation a participation's row names: its first post's that has one, else the
    first it names."""
    return next(
        (res.posts[k].organization for k in p.posts if res.posts[k].organization),
        p.organizations[0] if p.organizations else None,
    )


def source_counts(
    res: Resolution,
    source: str,
    parts: list[ResolvedParticipation] | None = None,
    agenda: Agenda | None = None,
) -> dict[str, int]:
    """The counts a source.yml's ``expected`` block can state, for one source (``parts``: its
    participations, and ``agenda``, when the caller has them)."""
    if agenda is None:
        agenda = next(a for a in res.agendas if a.source == source)
    if parts is None:
        parts = [p for p in res.participations if p.source == source]
    states = {p.entry.state for p in parts if p.entry.state}
    orgs: set[str] = set()
    for p in parts:
        for key in p.organizations:
            while key:
                orgs.add(key)
                org = res.organizations[key]
                if org.state:
                    states.add(org.state)
                key = org.parent
    return {
        "sessions": len(agenda.sessions),
        "sessions_with_people": sum(1 for s in agenda.sessions if s.moderators or s.speakers),
        "people": len({p.person for p in parts}),
        "participations": len(parts),
        "moderators": sum(1 for p in parts if p.role == "moderator"),
        "states": len(states),
        "organizations": len(orgs),
    }


def source_people(
    res: Resolution, source: str, parts: list[ResolvedParticipation] | None = None
) -> list[str]:
    """The names of the people a source names, sorted (as the build report lists them)."""
    keys = {p.person for p in (res.participations if parts is None else parts) if p.source == source}
    return sorted(res.persons[k].name for k in keys)


def _people_diff(found: list[str], wanted: list[str]) -> str:
    from .text import fold

    have, want = {fold(n): n for n in found}, {fold(n): n for n in wanted}
    missing = [want[k] for k in sorted(want) if k not in have]
    extra = [have[k] for k in sorted(have) if k not in want]
    return f"missing: {', '.join(missing) or 'none'}; extra: {', '.join(extra) or 'none'}"


def _last_people(out_dir: Path | None) -> dict[str, list[str]]:
    """The people of each source in the last good build, to name who came or went."""
    try:
        report = json.loads((Path(out_dir) / "report.json").read_text(encoding="utf-8")) if out_dir else {}
    except (OSError, ValueError):
        return {}
    return {s["id"]: s["people"] for s in report.get("sources", []) if isinstance(s.get("people"), list)}


def _check_expected(res: Resolution, sources: list[Source], out_dir: Path | None = None) -> list[str]:
    """Misses of the counts (or the list of people) each source.yml expects; a miss of people
    names who is missing and who is extra, against the list or else against the last good build."""
    misses = []
    last = None
    for src in sources:
        if not src.expected:
            continue
        got = source_counts(res, src.id)
        for key, want in sorted(src.expected.items()):
            if key == "people" and isinstance(want, list):
                names = source_people(res, src.id)
                diff = _people_diff(names, [str(n) for n in want])
                if not diff.startswith("missing: none; extra: none"):
                    misses.append(f"{src.id}: expected people not met: {diff}")
            elif key not in got:
                misses.append(
                    f"{src.path.parent / 'source.yml'}: unknown expected count '{key}' "
                    f"(known: {', '.join(sorted(got))})"
                )
            elif got[key] != int(want):
                miss = f"{src.id}: expected {want} {key}, found {got[key]}"
                if key == "people":
                    last = _last_people(out_dir) if last is None else last
                    if src.id in last:
                        diff = _people_diff(source_people(res, src.id), last[src.id])
                        miss += f" ({diff}, against the last good build)"
                    else:
                        miss += f" ({', '.join(source_people(res, src.id))})"
                misses.append(miss)
    return misses


# the checks' triple patterns, kept between builds in the last build's folder
CHECK_PATTERNS = "check-patterns.json"
# the prefixes of the files written; "id:" and "graph:" are left out: their local names hold
# slashes, which Turtle escapes
FILE_PREFIXES = {k: v for k, v in PREFIXES.items() if k not in ("id", "graph")}


def _rebase_term(term, base: str):
    if isinstance(term, ox.NamedNode):
        moved = rebase(term.value, base)
        return term if moved == term.value else ox.NamedNode(moved)
    return term


def _rebase_quads(quads: list[ox.Quad], base: str) -> list[ox.Quad]:
    """Instance and graph IRIs moved from BASE to ``base``; so is the dataset's void:uriSpace."""
    space = ox.NamedNode(str(VOID.uriSpace))
    out = []
    for q in quads:
        obj = q.object
        if q.predicate == space and isinstance(obj, ox.Literal):
            obj = ox.Literal(rebase(obj.value, base))
        out.append(
            ox.Quad(
                _rebase_term(q.subject, base),
                q.predicate,
                _rebase_term(obj, base),
                _rebase_term(q.graph_name, base),
            )
        )
    return out


def _serialise(
    ds: Quads,
    base: str = BASE,
    statements: list[str] | None = None,
    previous: dict | None = None,
    ttl_segments: list[tuple[str, int, int]] | None = None,
) -> tuple[Written, Written]:
    """(TriG, Turtle) of the dataset, deterministic: quads (and the Turtle's triples, each once)
    are written in the order of their sorted N-Quads lines. IRIs are minted under BASE and moved
    to ``base`` here, after validation (a renaming). ``statements``: ``ds.union_statements()``
    when the caller has them; ``previous``: the last good build's files by name, each as its
    bytes and segment index (``idmgraph.segments``), whose unchanged segments are copied;
    ``ttl_segments``: the statements' segments, when the caller has them."""
    previous = previous or {}
    if base == BASE:
        statements = ds.union_statements() if statements is None else statements
        if ttl_segments is None:
            ttl_segments = statement_digests(statements, statement_cuts(statements))
        ends = GraphEnds(ds)
        trig_parts, trims = trig_segments(statements, ends, ttl_segments)
        trig = write_segmented(
            trig_parts,
            lambda a, b: "".join(ends.lines(statements[a:b])),
            ox.RdfFormat.N_QUADS,
            ox.RdfFormat.TRIG,
            FILE_PREFIXES,
            previous.get("idm.trig"),
            trims,
        )
        ttl = write_segmented(
            ttl_segments,
            lambda a, b: joined_statements(statements[a:b]),
            ox.RdfFormat.N_TRIPLES,
            ox.RdfFormat.TURTLE,
            FILE_PREFIXES,
            previous.get("idm.ttl"),
        )
        # what idmgraph.patch needs to patch the files in the next build
        ttl.described = {"subjects": [statements[a][: statements[a].index(" ")] for _, a, _ in ttl_segments]}
        trig.described = {
            "trims": [list(t) for t in trims],
            "ends": [[ends.first(statements[a]), ends.last(statements[b - 1])] for _, a, b in ttl_segments],
            "quads": [ends.count(statements[a:b]) for _, a, b in ttl_segments],
        }
        return trig, ttl
    quads = sorted(_rebase_quads(list(ds), base), key=str)
    union_triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    trig = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=FILE_PREFIXES)
    ttl = ox.serialize(union_triples, format=ox.RdfFormat.TURTLE, prefixes=FILE_PREFIXES)
    return Written(trig), Written(ttl)


def _patched(
    ds: Quads,
    units: SourceUnits | None,
    last: LastBuild,
    previous: dict,
    base: str,
    found: Callable[[Change], None] | None = None,
) -> Patched | None:
    """idm.trig and idm.ttl patched from the last good build's (``idmgraph.patch``), or None
    where they cannot be; ``found`` is told the change as soon as it is known."""
    if base != BASE or last.made is None or not {"idm.trig", "idm.ttl"} <= previous.keys():
        return None
    before = last.previous_made()
    if before is None:
        return None
    touched = touched_statements(before, last.made, units.unit)
    if touched is None:
        return None
    return patch_files(ds, touched, previous["idm.ttl"], previous["idm.trig"], FILE_PREFIXES, found)


def _csv_bytes(rows: list[dict[str, object]], base: str = BASE, header: bool = True) -> bytes:
    if base != BASE:
        rows = [
            {k: rebase(v, base) if isinstance(v, str) and k.endswith("_id") else v for k, v in r.items()}
            for r in rows
        ]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header:
        writer.writerow(CSV_COLUMNS)
    # each row's cells in the order of the columns, none that a spreadsheet would run
    writer.writerows(spreadsheet_safe_cells(map(r.__getitem__, CSV_COLUMNS)) for r in rows)
    return buf.getvalue().encode("utf-8")


def _participations_csv(res: Resolution, base: str, units: SourceUnits | None) -> bytes:
    """participations.csv: its rows source by source (the order of its rows), each source's
    kept with the statements of its unit (``SourceUnits.csv_rows``) under the unit's
    fingerprint and what the rows read beyond it (the names and kinds of the organisations they
    name): a source that did not change has its rows written again without making them."""
    if base != BASE or units is None:
        return _csv_bytes(participation_rows(res), base)
    out = [_csv_bytes([], base)]
    for source, parts in sorted(res.participations_by_source().items()):
        fingerprint = units.sources.get(source)
        key = None
        if fingerprint is not None:
            named = []
            for p in parts:
                org = res.organizations.get(_row_organization(res, p) or "")
                named.append((org.key, org.name, org.type) if org else None)
            key = hashlib.sha256(f"{fingerprint}\0{named!r}".encode()).hexdigest()
        text = units.csv_rows(key) if key else None
        if text is None:
            text = _csv_bytes(participation_rows(res, parts), base, header=False)
            if key:
                units.keep_csv_rows(key, text)
        out.append(text)
    return b"".join(out)


def _report_json(result: BuildResult) -> bytes:
    res = result.resolution
    by_source = res.participations_by_source()
    agendas = {a.source: a for a in res.agendas}
    project = project_dir()  # found once: it looks for data/sources/ up from the current folder
    inside = os.path.normcase(os.path.join(project, ""))  # a path in it begins so (as its parents say)
    data = {
        "tool": f"idmgraph {__version__}",
        "iri_base": result.base,
        "sources": [
            {
                "id": s.id,
                "path": os.path.relpath(s.path, project)
                if s.path.is_absolute() and os.path.normcase(s.path).startswith(inside)
                else str(s.path),
                "counts": source_counts(res, s.id, by_source.get(s.id, []), agendas.get(s.id)),
                "expected": s.expected,
                "people": source_people(res, s.id, by_source.get(s.id, [])),
            }
            for s in result.sources
        ],
        "counts": result.counts,
        "warnings": [str(w) for w in result.resolution.warnings],
        "validation": {"conforms": result.report.conforms, "violations": result.report.lines()},
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def graph_counts(res: Resolution) -> dict[str, int]:
    return {
        "events": len({a.event.id for a in res.agendas}),
        "sessions": sum(len(a.sessions) for a in res.agendas),
        "sessions_with_people": sum(1 for a in res.agendas for s in a.sessions if s.moderators or s.speakers),
        "people": len(res.persons),
        "states": len(res.states),
        "organizations": len(res.organizations),
        "posts": len(res.posts),
        "participations": len(res.participations),
        "warnings": len(res.warnings),
    }


def dataset_from_agendas(agendas: list[Agenda], near_miss: bool = True) -> tuple[Resolution, Quads]:
    """Resolution and graph for agenda records that have no source files (synthetic ones)."""
    res = resolve_agendas(agendas, near_miss=near_miss)
    sources = {a.source: Source(id=a.source, path=Path(a.path)) for a in agendas}
    return res, build_dataset(res, sources, assign_themes(agendas))


# the build's files a catalogue lists as the dataset's distributions
_DISTRIBUTED = {"idm.trig": "application/trig", "idm.ttl": "text/turtle", "participations.csv": "text/csv"}


def _dataset_description(
    sizes: dict[str, int], sources: list[Source], base: str, sums: dict[str, str]
) -> bytes:
    """DCAT and schema.org description of this build: its data files with their SHA-256 and size
    (by name), the public pages its sources were read from, and the day the newest was read."""
    urls = [str(u) for src in sources for u in (src.meta.get("url"), src.meta.get("counterpart_url")) if u]
    read = sorted(str(src.meta["retrieved"]) for src in sources if src.meta.get("retrieved"))
    distributions = [Distribution(name, kind, sums[name], sizes[name]) for name, kind in _DISTRIBUTED.items()]
    turtle = describe_dataset(base + "id/dataset", distributions, urls, modified=read[-1] if read else None)
    return turtle.encode("utf-8")


def _check_same_event(agenda: Agenda, src: Source, before: list[tuple[Source, Agenda]]) -> None:
    """Sources of one event: one agenda, and curated records that add to it (sessions the agenda
    lacks, people the pages name at the event). Two agendas of one event, or two sources that
    give the same session, stop the build."""
    record = src.meta.get("kind") == "record"
    for other, other_agenda in before:
        if not record and other.meta.get("kind") != "record":
            raise AgendaError(
                str(src.path),
                None,
                f"this source and {other.path} describe the same event ({agenda.event.id}); one build holds "
                "one agenda per event: give one of them its own 'event: id' in its source.yml",
            )
        shared = {s.id for s in agenda.sessions} & {s.id for s in other_agenda.sessions}
        if shared:
            raise AgendaError(
                str(src.path),
                None,
                f"this source and {other.path} both give the session(s) {', '.join(sorted(shared))} of "
                f"{agenda.event.id}: a record adds the sessions an agenda lacks, or the people a page names "
                "at the event (participants:)",
            )


# a pool of processes parses when this many sources are to be parsed (and there are cores)
PARALLEL_FROM = 24


def _assign_themes(
    agendas: list[Agenda],
    stated: dict[str, list[str]],
    cache: AgendaCache | None,
    keys: dict[str, str | None],
) -> list[ThemeAssignment]:
    """``assign_themes`` of the agendas, those of a source the cache kept them for taken from
    it (a source's assignments are made from its agenda and what its key digests alone) and
    the others made and kept."""
    if cache is None:
        return assign_themes(agendas, stated)
    kept: list[ThemeAssignment] = []
    missing = []
    for agenda in agendas:
        rows = cache.themes(keys.get(agenda.source))
        if rows is None:
            missing.append(agenda)
        else:
            kept.extend(map(assignment_of, rows))
    made = assign_themes(missing, stated) if missing else []
    by_source: dict[str, list] = {}
    for a in made:
        by_source.setdefault(a.source, []).append(assignment_row(a))
    for agenda in missing:
        cache.keep_themes(keys.get(agenda.source), by_source.get(agenda.source, []))
    return sorted(kept + made, key=assignment_order)


def _parse_sources(
    sources: list[Source], cache: AgendaCache | None, settle: Callable[[], None] | None = None
) -> Iterator[tuple[Source, str | None, Agenda]]:
    """Each source with its key in the cache (None without a cache) and its agenda, in the
    sources' order: from the cache where it holds the agenda, else parsed (by a pool of
    processes when there are many, on a machine of several cores) and kept. The first source
    that fails raises its error, as a parse in order would. ``settle``: waits for the build's
    own threads to end, before a pool is forked."""
    keys = [cache.key(src) for src in sources] if cache else [None] * len(sources)
    found = [cache.get(key) for key in keys] if cache else [None] * len(sources)
    missing = [src for src, agenda in zip(sources, found) if agenda is None]
    if settle is not None and len(missing) >= PARALLEL_FROM:
        settle()  # they read files for a few tens of milliseconds: then the pool forks
    parsed = iter(_parse_many(missing))
    for src, key, agenda in zip(sources, keys, found):
        if agenda is None:
            agenda = next(parsed)
            if cache is not None:
                cache.put(key, agenda)
        yield src, key, agenda


def _parse_many(sources: list[Source]) -> Iterator[Agenda]:
    workers = min(os.cpu_count() or 1, 4)
    if len(sources) < PARALLEL_FROM or workers < 2 or os.name != "posix":
        yield from map(parse_source, sources)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork shares what the parent has read (the lexicon, the reference data) but is not safe in
    # a process that runs other threads (a progress bar, a server, a notebook's kernel): there
    # the workers come from a fork server, a clean process, and read the reference data anew
    alone = threading.active_count() == 1
    if alone:
        load_lexicon(), load_states(), load_organizations(), load_corrections()
    context = multiprocessing.get_context("fork" if alone else "forkserver")
    # the workers read the curation of the same project as this process
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(project_dir(),)
    ) as pool:
        yield from pool.map(parse_source, sources, chunksize=max(1, len(sources) // (workers * 8)))


def _write_and_hash(
    writing: FolderWrite, files: dict[str, bytes | list]
) -> tuple[dict[str, str], dict[str, int]]:
    """``files`` (each its bytes, or their pieces in order: written as they are, never joined in
    memory) written into ``writing``; (their SHA-256, their sizes) by name. Writing and hashing
    give the interpreter back (a file written in pieces is hashed as it lies on disk)."""
    sums, sizes = {}, {}
    for name, data in files.items():
        writing.add(name, data)
        if isinstance(data, bytes):
            sums[name], sizes[name] = hashlib.sha256(data).hexdigest(), len(data)
        else:
            sums[name], sizes[name] = sha256_of_file(writing.tmp / name), sum(map(len, data))
    return sums, sizes


def _start_worker(project: Path) -> None:
    """A parsing worker: the project's curation, and the cycle collector on (a forked worker
    inherits the build's, paused)."""
    gc.enable()
    set_project(project)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a build runs. A build makes a few million objects
    that live until it ends and almost no cycles: each full collection walks them all, for
    nothing (a rebuild at 400 agendas ran four, 0.4 s of its 2.6, and freed 73 objects). What
    cycles it leaves are collected once it is on again."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def run_build(
    paths: list[Path] | None,
    out_dir: Path | None,
    step: Callable[[str], None] | None = None,
    base: str = BASE,
    progress: Callable[[str, int, int], None] | None = None,
    clean: bool = False,
) -> BuildResult:
    """Build the graph from agenda files or folders (default: the project's data/sources/) and,
    if out_dir is not None, write it there.

    ``step`` hears what the build does now (a sentence); ``progress`` hears each stage as
    (stage, done, total): the sources parsed so far out of all of them, and 1 of 1 when a stage
    without counts ends.

    ``base`` is where the instance and graph IRIs live in the files written (default
    ``https://w3id.org/idmgraph/``); a deployment on its own domain gives its own.

    With an ``out_dir``, parsed agendas are kept in a cache beside it (``idmgraph.parse_cache``)
    and a source that has not changed is not parsed again; the last good build's segments are
    kept there too (``idmgraph.last_build``), so the shapes validate only the nodes a change
    reaches and idm.trig and idm.ttl are patched where the change is (``idmgraph.patch``), or
    else their unchanged segments copied. ``clean`` empties the cache first. Either way the
    files are the same bytes.

    Raises AgendaError on bad input (exit 2) and BuildFailed when checks fail (exit 1);
    in both cases nothing in out_dir changes. A malformed base is a ValueError, before any work.
    """
    with _collector_paused():
        try:
            return _run_build(paths, out_dir, step, base, progress, clean)
        finally:
            keep_reads_in(None)


def _run_build(
    paths: list[Path] | None,
    out_dir: Path | None,
    step: Callable[[str], None] | None,
    base: str,
    progress: Callable[[str, int, int], None] | None,
    clean: bool,
) -> BuildResult:
    base = check_base(base)
    if out_dir is not None:
        check_output_folder(out_dir)  # before any work: never replace what idmgraph did not write
    timings: dict[str, float] = {}
    clock = [time.perf_counter(), "reading"]
    say = step or (lambda _msg: None)

    tell = progress or (lambda _stage, _done, _total: None)

    def step(message: str, stage: str | None = None, done: int = 0, total: int = 1) -> None:
        """Tell the caller what the build does now, and time each stage."""
        stage = stage or message.split()[0]
        if stage != clock[1]:
            now = time.perf_counter()
            timings[clock[1]] = timings.get(clock[1], 0.0) + now - clock[0]
            if clock[1] != "parsing":  # parsing has said its own counts
                tell(clock[1], 1, 1)
            clock[:] = [now, stage]
        say(message)
        tell(stage, done, total)

    step("reading sources")
    cache, last, units = None, None, None
    keys: dict[str, str | None] = {}  # each source's key in the parse cache
    if out_dir is not None:
        cache = AgendaCache(cache_folder(out_dir))
        last = LastBuild(cache_folder(out_dir))
        if clean:
            cache.clear()
        else:
            last.read_ahead(out_dir)  # in a thread, while the sources are parsed and resolved
        # the statements of the sources that did not change, and whose people, posts and
        # organisations the resolution still sees the same, are those the last build made: its
        # units, checked in a thread meanwhile (keyed by the sources' keys, found as they are parsed)
        units = SourceUnits(cache.folder / UNITS_FOLDER, keys)
        units.check_ahead()
        keep_reads_in(cache.folder / "reference")  # the reference data's YAML, as JSON

    def settle() -> None:
        """The threads that read the last build and check its units, ended."""
        if last is not None:
            last.settle()
        if units is not None:
            units.settle()

    try:  # the units' pack closed (and its check ahead awaited) on bad input
        sources = find_sources(paths or default_inputs(), cache.record_source if cache is not None else None)
        if not sources:
            raise AgendaError(
                ", ".join(str(p) for p in (paths or default_inputs())),
                None,
                "no agenda files (.txt, .md, .html, .pdf, .docx) found",
            )
        agendas = []
        events: dict[str, list[tuple[Source, Agenda]]] = {}
        # the clock of parsing starts before the first agenda comes back (a pool's first answer
        # holds most of the work; it was counted as reading)
        step(f"parsing {len(sources)} sources", "parsing", 0, len(sources))
        for src, key, agenda in _parse_sources(sources, cache, settle):
            keys[src.id] = key
            done = len(agendas)
            step(f"parsing {done + 1}/{len(sources)}: {src.id}", "parsing", done, len(sources))
            _check_same_event(agenda, src, events.get(agenda.event.id, []))
            events.setdefault(agenda.event.id, []).append((src, agenda))
            agendas.append(agenda)
            tell("parsing", len(agendas), len(sources))
        step("resolving people, states and organisations")
        res = resolve_agendas(agendas)
        step("linking themes")
        themes = _assign_themes(agendas, {s.id: list(s.themes) for s in sources}, cache, keys)
        step("building RDF")
        ds = build_dataset(res, {s.id: s for s in sources}, themes, units)
    except BaseException:
        if units is not None:
            units.discard()
        raise
    step("validating (SHACL shapes, SPARQL checks)")
    # the shapes and the checks run in threads while the files are made here; nothing is
    # written into out_dir before they are known to pass
    previous, ttl_segments, kept, patched, statements = {}, None, None, None, None
    writing: FolderWrite | None = None
    changed: Future | None = None
    if out_dir is None:
        statements = ds.union_statements()  # the union of the graphs, sorted
        validation = start_validation(ds.ntriples(statements), statements=statements)
    else:
        # a rebuild of an output folder: the shapes validate only the nodes that what changed
        # since its last good build can reach, the checks run on that build's union kept on
        # disk and patched, and idm.trig and idm.ttl are patched where the change is
        # (idmgraph.patch), or else written by segments, those that did not change copied
        # (idmgraph.last_build, idmgraph.segments)
        previous = {} if clean else last.previous_files(out_dir)
        kept = KeptStore(last.folder)
        last.made = Made(dict(units.sources), units.shared) if units.shared is not None else None
        change: Future = Future()  # found here while the thread opens the kept store
        changed = Future() if "idm.ttl" in previous else None
        if changed is None:
            change.set_result(None)
            statements = ds.union_statements()  # the union of the graphs, sorted
        # a kept store that cannot be patched is loaded with the union: the one made here by
        # the time the change is known, if it was, else made in the thread
        checks_store = functools.partial(
            kept.open,
            last.sha256.get("idm.ttl"),
            change.result,
            lambda: statements if statements is not None else ds.union_statements(),
        )
        validation = start_validation(
            checks_store, statements=statements, changed=changed, patterns=last.folder / CHECK_PATTERNS
        )
    try:
        if changed is not None:

            def change_found(found: Change | None) -> None:
                """The checks told how the union changed (the kept store is patched with it,
                and the shapes and checks run where it is, while the files are written)."""
                change.set_result(found)
                changed.set_result(None if found is None else found.statements)

            try:
                patched = _patched(ds, units, last, previous, base, change_found)
                if patched is None:
                    statements = ds.union_statements()
                    ttl_segments = statement_digests(statements, statement_cuts(statements))
                    if not change.done():  # not found by a patch that then could not be made
                        change_found(changed_statements(previous["idm.ttl"], statements, ttl_segments))
            except BaseException as exc:
                for future in (change, changed):
                    if not future.done():
                        future.set_exception(exc)
                raise
        counts = graph_counts(res)
        # the quads: a patch counted them from the segments (the statements of the sources that
        # did not change are not read)
        counts["triples"] = patched.quads if patched is not None else len(ds)
        misses = _check_expected(res, sources, out_dir)
        files: dict[str, bytes] = {}
        if out_dir is not None and not misses:
            step("writing files")
            if patched is not None:
                trig, ttl = patched.trig, patched.ttl
            else:
                trig, ttl = _serialise(ds, base, statements, previous, ttl_segments)
            # idm.trig and idm.ttl in pieces, written as they are (a patched file's pieces are
            # views of the last file's bytes)
            pieces = {"idm.trig": trig.chunks(), "idm.ttl": ttl.chunks()}
            last.segments = {"idm.trig": trig.index(), "idm.ttl": ttl.index()}
            segments_kept = (trig.reused + ttl.reused, len(trig.segments) + len(ttl.segments))
            # what the files are if the graph passes, and what the next build keeps, made while
            # the shapes and checks run: the files written into the folder swapped in once the
            # graph passes, and each hashed once (the catalogue, the segment index and the kept
            # store's mark all name its SHA-256), in a thread (writing and hashing give the
            # interpreter back), idm.trig and idm.ttl first (the largest, made already), while
            # the rest is made here: participations.csv, report.json as a passing report says it
            # (a report that does not pass fails the build), and what the next build reads of
            # this one
            writing = FolderWrite(out_dir, {})
            with ThreadPoolExecutor(1) as pool:
                hashing = [pool.submit(_write_and_hash, writing, pieces)]
                csv_file = {"participations.csv": _participations_csv(res, base, units)}
                files.update(csv_file)
                hashing.append(pool.submit(_write_and_hash, writing, csv_file))
                passing = ValidationReport()
                files["report.json"] = _report_json(
                    BuildResult(sources, agendas, res, ds, passing, out_dir, themes, counts, base=base)
                )
                docs = render_ontology_docs(Path(out_dir) / ONTOLOGY_DOCS)  # with pyLODE installed
                if docs is not None:
                    files[ONTOLOGY_DOCS] = docs
                last.prepare_made()
                units.prepare()
                sums, sizes = {}, {}
                for done in hashing:
                    more_sums, more_sizes = done.result()
                    sums.update(more_sums)
                    sizes.update(more_sizes)
            files["dataset.ttl"] = _dataset_description(sizes, sources, base, sums)
            for name in ("report.json", ONTOLOGY_DOCS, "dataset.ttl"):
                if name in files:
                    writing.add(name, files[name])
            last.prepare(sums, sizes, writing.tmp)
            step("writing files (the SHACL shapes still running)", "writing")
        report = validation.report()
        validated_whole = validation.whole
        statements = previous = None  # the threads are done with them: not held while files are written
        result = BuildResult(sources, agendas, res, ds, report, out_dir, themes, counts, base=base)
        result.validated_whole = validated_whole
        if files:
            result.segments_kept = segments_kept
            result.files_patched = patched is not None
        if misses:
            raise BuildFailed("expected counts not met:\n  " + "\n  ".join(misses), report)
        if not report.conforms:
            raise BuildFailed(
                "the graph violates its shapes or checks:\n  " + "\n  ".join(report.lines()[:50]), report
            )
        if out_dir is not None:
            step("writing files")
            result.files = writing.commit()
            last.commit()
            kept.commit(sums["idm.ttl"])
            if cache is not None:
                cache.prune()  # the entries of sources gone or changed
                prune_kept_lines()  # and the YAML read of files since changed
                units.commit()  # the statements of each source, for the next build
    except BaseException:
        if kept is not None:
            validation.join()  # the threads are done with the kept store
            kept.undo()
        if writing is not None:
            writing.discard()
        if last is not None:
            last.discard()
        if units is not None:
            units.discard()  # the pack this build began
        raise
    if cache is not None:
        result.counts_cached = cache.hits
        result.units_kept = units.hits
    step("done")
    result.timings = timings
    return result
