"""Command line: turns flags into arguments for the stage functions; no logic lives here.

Exit codes: 0 success; 1 the graph failed validation (shapes, checks or expected counts);
2 bad input or usage (unreadable agenda, ambiguous block, unknown query or parameter).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__

if TYPE_CHECKING:
    from rich.console import Console

EXIT_OK, EXIT_INVALID, EXIT_INPUT = 0, 1, 2

_EPILOG = "exit codes: 0 ok, 1 validation failed, 2 bad input or usage"
_PROJECT_HELP = (
    "project folder: its data/sources/, data/curation/ and data/build/ are the defaults "
    "(default: the current folder, or the nearest folder above it with a data/sources/)"
)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="idmgraph", epilog=_EPILOG, description="IDM agendas as an RDF knowledge graph."
    )
    p.add_argument("--version", action="version", version=f"idmgraph {__version__}")
    p.add_argument("--project", type=Path, default=None, help=_PROJECT_HELP)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("ingest", help="parse one agenda and print it", epilog=_EPILOG)
    s.add_argument(
        "file", type=Path, help="agenda file: text, HTML page, PDF or Word document (told by content)"
    )
    s.add_argument("--format", choices=("json", "table"), default="table")
    s.add_argument(
        "--lines",
        action="store_true",
        help="print the lines as read from the file, numbered as warnings and curation number them",
    )

    s = sub.add_parser(
        "fetch",
        help="save a published agenda page or PDF as a new source folder (the only command that downloads)",
        epilog=_EPILOG,
    )
    s.add_argument("url", help="http(s) address of the agenda page, PDF or Word document")
    s.add_argument("--id", default=None, help="source id (default: from the address)")
    s.add_argument("--sources", type=Path, default=None, help="sources folder (default: data/sources/)")
    s.add_argument(
        "--timeout-s",
        type=_bounded(float, 0.1, 86_400),
        default=30.0,
        help="give up after this many seconds (default 30)",
    )
    s.add_argument(
        "--max-bytes", type=int, default=20 * 1024 * 1024, help="refuse larger answers (default 20 MB)"
    )

    s = sub.add_parser("build", help="build and validate the graph", epilog=_EPILOG)
    s.add_argument(
        "sources",
        nargs="*",
        type=Path,
        metavar="SOURCE",
        help="agenda files or folders (default: data/sources/)",
    )
    s.add_argument("--out", type=Path, default=None, help="output folder (default: data/build/)")
    s.add_argument("--quiet", action="store_true", help="print only errors")
    s.add_argument(
        "--clean",
        action="store_true",
        help="build from nothing: empty the cache kept beside the output folder (parsed sources, "
        "the last build's segments and its graph kept on disk for the checks), so every source is "
        "parsed, the whole graph validated and every file written anew (the files are the same "
        "bytes either way)",
    )
    s.add_argument(
        "--base",
        default=None,
        metavar="IRI",
        help="mint instance and graph IRIs under this base, for a deployment on its own domain "
        "(default https://w3id.org/idmgraph/; the vocabulary stays there)",
    )

    s = sub.add_parser(
        "cite",
        help="the public pages behind a participation, person, session or meeting",
        epilog=_EPILOG,
    )
    s.add_argument("iri", help="an IRI of the graph, or its path such as person/laura-thompson")
    s.add_argument("--build", type=Path, default=None, help="build folder (default: data/build/)")
    s.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="table (default), csv or json"
    )

    s = sub.add_parser("validate", help="validate a built graph again", epilog=_EPILOG)
    s.add_argument("--build", type=Path, default=None, help="build folder (default: data/build/)")

    s = sub.add_parser(
        "analyze", help="participation networks: measures, report, Gephi exports", epilog=_EPILOG
    )
    s.add_argument("--out", type=Path, default=None, help="output folder (default: data/build/analysis/)")
    s.add_argument("--build", type=Path, default=None, help="build folder (default: data/build/)")
    s.add_argument("--endpoint", default=None, help="read the graph from this SPARQL endpoint instead")
    s.add_argument("--seed", type=int, default=42, help="seed of the community detection (default 42)")
    s.add_argument(
        "--format",
        choices=("csv", "xlsx"),
        default="csv",
        help="csv (default): a CSV file per table; xlsx: also every table in tables.xlsx, a sheet each",
    )
    s.add_argument(
        "--excel", action="store_true", help="CSV files with a byte-order mark, so Excel reads their accents"
    )

    s = sub.add_parser("viz", help="interactive offline HTML views of the networks", epilog=_EPILOG)
    s.add_argument("--out", type=Path, default=None, help="output folder (default: data/build/views/)")
    s.add_argument("--build", type=Path, default=None, help="build folder (default: data/build/)")
    s.add_argument("--endpoint", default=None, help="read the graph from this SPARQL endpoint instead")
    s.add_argument(
        "--size-by",
        choices=("degree", "strength", "betweenness", "eigenvector"),
        default="degree",
        help="node size (default degree)",
    )

    s = sub.add_parser("serve", help="a read-only SPARQL 1.1 endpoint on the built graph", epilog=_EPILOG)
    s.add_argument("--build", type=Path, default=None, help="build folder (default: data/build/)")
    s.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    s.add_argument(
        "--port", type=_bounded(int, 1, 65535), default=7878, help="TCP port, 1-65535 (default 7878)"
    )
    s.add_argument(
        "--max-rows",
        type=_bounded(int, 1, 10**9),
        default=100_000,
        help="refuse SELECT answers with more rows, and CONSTRUCT/DESCRIBE answers with more "
        "triples, than this (at least 1; default 100000)",
    )
    s.add_argument(
        "--max-answer-mb",
        type=_bounded(int, 1, 100_000),
        default=200,
        help="refuse answers larger than this many MB (default 200)",
    )
    s.add_argument(
        "--log-format",
        choices=("text", "json", "none"),
        default="text",
        help="access log on stderr, a line per request: id, client, path, status, duration, bytes, "
        "query hash (default text; none for no access log)",
    )
    s.add_argument(
        "--timeout-s",
        type=_bounded(float, 0.1, 86_400),
        default=30.0,
        help="stop queries running longer (0.1 s to a day; default 30)",
    )
    s.add_argument(
        "--workers", type=_bounded(int, 1, 64), default=2, help="query worker processes, 1-64 (default 2)"
    )
    s.add_argument(
        "--worker-memory-mb",
        type=_bounded(int, 256, 1_048_576),
        default=4096,
        help="address space a query worker may use; past it the query fails and the worker is replaced "
        "(default 4096)",
    )
    s.add_argument(
        "--max-connections",
        type=_bounded(int, 8, 65_536),
        default=256,
        help="concurrent connections; past them a request gets 503 (default 256)",
    )
    s.add_argument(
        "--allow-service",
        action="append",
        default=[],
        metavar="PREFIX",
        help="let queries use SERVICE with endpoints whose IRI starts with PREFIX (repeatable); "
        "without it SERVICE is refused, so that no client can make this server fetch anything",
    )

    s = sub.add_parser(
        "push", help="load the build into another SPARQL 1.1 store (Graph Store Protocol)", epilog=_EPILOG
    )
    s.add_argument(
        "--store", required=True, help="the store's Graph Store Protocol URL, e.g. http://host/store"
    )
    s.add_argument("--build", type=Path, default=None, help="build folder (default: data/build/)")
    s.add_argument(
        "--user",
        default=None,
        help="log in as this user (HTTP Basic or Digest, as the store asks); "
        "the password is read from IDMGRAPH_STORE_PASSWORD, else asked for",
    )
    s.add_argument(
        "--default-graph",
        default=None,
        metavar="IRI",
        help="send the build's default graph to this named graph (for stores with no default graph, "
        "such as Virtuoso)",
    )

    for name, helptext in (
        ("query", "run a named research query"),
        ("sparql", "run a SPARQL query on the built graph"),
    ):
        s = sub.add_parser(name, help=helptext, epilog=_EPILOG)
        if name == "query":
            s.add_argument("name", nargs="?", help="query name (see --list)")
            s.add_argument("--list", action="store_true", help="list the queries and their parameters")
            s.add_argument(
                "--param",
                action="append",
                default=[],
                metavar="KEY=VALUE",
                help="a parameter of the query, such as theme=10.7 or person='Laura Thompson' "
                "(repeat for several; --list shows each query's parameters)",
            )
            s.add_argument("--lang", choices=("en", "fr"), default=None, help="label language")
            s.add_argument(
                "--broader",
                action="store_true",
                help="theme queries: a broader theme also finds its narrower ones (SDG 10 finds 10.7)",
            )
            s.add_argument(
                "--direct",
                action="store_true",
                help="theme queries: only the sessions tagged with the theme itself, not those the "
                "editorial mappings tie to it",
            )
            s.add_argument(
                "--scope",
                choices=("session", "event"),
                default=None,
                help="theme queries: 'event' also applies the themes of a whole meeting to its sessions",
            )
        else:
            s.add_argument("query", nargs="?", help="SPARQL text")
            s.add_argument("--file", type=Path, help="a .rq file")
        s.add_argument(
            "--format",
            choices=("table", "csv", "json", "xlsx"),
            default="table",
            help="table (default), csv, json, or xlsx (an Excel workbook; needs --output)",
        )
        s.add_argument(
            "--excel",
            action="store_true",
            help="csv: begin with a byte-order mark, so that Excel opens accents right",
        )
        s.add_argument("--output", type=Path, default=None, help="write to this file, not to the terminal")
        s.add_argument("--build", type=Path, default=None, help="build folder (default: data/build/)")
        s.add_argument("--endpoint", default=None, help="run on this SPARQL 1.1 endpoint instead")
    for command in sub.choices.values():  # also after the command: idmgraph build --project DIR
        command.add_argument("--project", type=Path, default=argparse.SUPPRESS, help=_PROJECT_HELP)
    return p


def _bounded(kind, low, high):
    """An argparse type: a number of ``kind`` between low and high, else a usage error (exit 2)."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not low <= value <= high or value != value:
            raise argparse.ArgumentTypeError(f"{text} is out of range ({low} to {high})")
        return value

    return parse


def _emit(console: Console, frame, fmt: str, title: str | None = None, excel: bool = False,
          output: Path | None = None) -> None:  # fmt: skip
    """A query's answer in the format asked for, to the terminal or to ``output``. The files
    meant for spreadsheets (csv, xlsx) never carry a formula."""
    from .query import iso_frame
    from .report import render_frame
    from .text import spreadsheet_safe_frame

    if fmt == "xlsx":
        if output is None:
            raise UsageError("--format xlsx writes a workbook: give --output FILE.xlsx")
        import pandas as pd

        frame = spreadsheet_safe_frame(frame)
        with pd.ExcelWriter(output, engine="openpyxl") as book:
            frame.to_excel(book, index=False, sheet_name=(title or "answer")[:31])
        console.print(f"wrote {_rel(output)} ({len(frame)} rows)", markup=False)
        return
    frame = iso_frame(frame)  # dates as the graph writes them
    if fmt == "csv":
        text = ("\ufeff" if excel else "") + spreadsheet_safe_frame(frame).to_csv(index=False)
    elif fmt == "json":
        text = frame.to_json(orient="records", force_ascii=False, indent=2) + "\n"
    elif output is not None:
        text = frame.to_string(index=False) + "\n"
    else:
        render_frame(console, frame, title)
        return
    if output is not None:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {_rel(output)} ({len(frame)} rows)", markup=False)
    else:
        sys.stdout.write(text)


def _ingest(args, console: Console) -> int:
    from .agenda import parse_agenda, read_document
    from .report import render_agenda

    if args.lines:
        doc = read_document(args.file)
        console.print(f"{args.file} ({doc.format})", markup=False)
        for line in doc.lines:
            mark = f"{line.bullet} " if line.bullet else ""
            head = f"[h{line.level}] " if line.level else ""
            console.print(f"{line.where:>14}  {head}{mark}{line.text}", markup=False, highlight=False)
        return EXIT_OK
    agenda = parse_agenda(args.file)
    if args.format == "json":
        sys.stdout.write(json.dumps(agenda.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        render_agenda(console, agenda)
        for w in agenda.warnings:
            console.print(f"warning: {w}", markup=False)
    return EXIT_OK


def _fetch(args, console: Console) -> int:
    from .fetch import fetch_source
    from .paths import default_sources

    if args.timeout_s <= 0 or args.max_bytes <= 0:
        raise UsageError("--timeout-s and --max-bytes must be positive")
    got = fetch_source(
        args.url,
        args.sources or default_sources(),
        args.id,
        max_bytes=args.max_bytes,
        timeout_s=args.timeout_s,
    )
    console.print(f"saved {_rel(got.file)} ({got.size:,} bytes, sha256 {got.sha256[:12]}…)", markup=False)
    console.print(
        f"next: review {_rel(got.folder / 'source.yml')}, then 'idmgraph ingest {_rel(got.file)}'",
        markup=False,
    )
    return EXIT_OK


def _build(args, console: Console) -> int:
    from .build import run_build
    from .namespace import BASE, check_base
    from .paths import default_out

    try:
        base = check_base(args.base or BASE)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    bar = _ProgressBar()
    try:
        result = run_build(
            args.sources or None, args.out or default_out(), base=base, progress=bar.tell, clean=args.clean
        )
    finally:
        bar.stop()
    if not args.quiet:
        from .report import render_headline  # and rich's console: not imported for a quiet build

        render_headline(console, result)
    if _ONE_COMMAND:
        _KEPT.append(result)  # not freed when this returns: the process ends first (``end_process``)
    return EXIT_OK


class _ProgressBar:
    """A rich progress bar on stderr, a row per build stage with its counts (the agendas parsed
    so far out of all); it appears once the build has taken a second, on a terminal only, and
    goes when it ends. Rich's progress is made only then (a build of a second or less, or one
    whose stderr is a file, does not import it, nor run its refresh thread)."""

    def __init__(self):
        import time

        self.bar = None
        self.stages: dict[str, tuple[int, int]] = {}  # each stage's (done, total) so far, in order
        self.tasks: dict[str, int] = {}
        self.started = time.perf_counter()
        self.shown = sys.stderr.isatty()

    def tell(self, stage: str, done: int, total: int) -> None:
        import time

        self.stages[stage] = (done, total)
        if self.bar is None:
            if not self.shown or time.perf_counter() - self.started <= 1.0:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=Console(stderr=True), transient=True,
            )  # fmt: skip
            self.bar.start()
        for name, (stage_done, stage_total) in self.stages.items():
            if name not in self.tasks:
                self.tasks[name] = self.bar.add_task(name, total=stage_total)
            self.bar.update(self.tasks[name], completed=stage_done, total=stage_total)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


class _LazyConsole:
    """A rich Console made when first used: rich takes 40 ms to import, and a quiet build or a
    command that fails early prints nothing through it."""

    def __init__(self, **options):
        self._options, self._console = options, None

    def __getattr__(self, name: str):
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)


def _validate(args, console: Console) -> int:
    from .paths import default_out
    from .store import open_store
    from .validate import validate_store

    path = (args.build or default_out()) / "idm.trig"
    if not path.exists():
        console.print(f"{path}: no built graph; run 'idmgraph build' first", markup=False)
        return EXIT_INPUT
    report = validate_store(open_store(path))
    for line in report.lines():
        console.print(line, markup=False)
    console.print(f"{path}: " + ("valid" if report.conforms else "INVALID"), markup=False)
    return EXIT_OK if report.conforms else EXIT_INVALID


def _query(args, console: Console) -> int:
    from .paths import default_out
    from .query import QueryError, list_queries, run_query

    if args.list or not args.name:
        for q in list_queries():
            console.print(f"[bold]{q.name}[/bold]: {q.description}")
            for p in q.params:
                console.print(
                    f"    --param {p.name}=... ({'required' if p.required else 'optional'}): {p.help}",
                    markup=False,
                )
        return EXIT_OK if args.list else EXIT_INPUT
    params = {}
    for item in args.param:
        if "=" not in item:
            raise QueryError(f"--param takes KEY=VALUE, not '{item}'")
        key, value = item.split("=", 1)
        params[key.strip()] = value
    if args.broader:
        params["broader"] = "true"
    if args.direct:
        params["direct"] = "true"
    if args.scope:
        params["scope"] = args.scope
    store = _remote(args)
    frame = run_query(args.name, params, store=store, build_dir=args.build or default_out(), lang=args.lang)
    _emit(console, frame, args.format, args.name, args.excel, args.output)
    return EXIT_OK


def _sparql(args, console: Console) -> int:
    from .paths import default_out
    from .query import QueryError, run_sparql, run_sparql_guarded

    if args.file:
        try:
            text = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{args.file}: cannot read: {exc}") from exc
    elif args.query:
        text = args.query
    else:
        raise QueryError("give a query, or --file F.rq")
    remote = _remote(args)
    if remote is None:  # a query the engine aborts on ends this child, not the command
        frame = run_sparql_guarded(text, build_dir=args.build or default_out())
    else:
        frame = run_sparql(text, store=remote)
    _emit(console, frame, args.format, None, args.excel, args.output)
    return EXIT_OK


def _cite(args, console: Console) -> int:
    import pandas as pd

    from .cite import citations_of
    from .paths import default_out
    from .store import open_store

    try:
        rows = citations_of(open_store(args.build or default_out()), args.iri)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not rows:
        console.print(f"nothing in the graph cites a page for {args.iri}", markup=False)
        return EXIT_INVALID  # the command found nothing to say
    frame = pd.DataFrame(rows, columns=["fact", "fact_label", "url", "read", "page_kind"])
    _emit(console, frame, args.format, f"pages behind {args.iri}")
    return EXIT_OK


def _remote(args):
    """A remote endpoint standing in for the local store, or None."""
    if not getattr(args, "endpoint", None):
        return None
    from .remote import RemoteStore

    return RemoteStore(args.endpoint)


def _network_data(args):
    from .network import read_network_data
    from .paths import default_out

    build = args.build or default_out()
    if not args.endpoint and not (build / "idm.trig").exists():
        raise FileNotFoundError(f"{build / 'idm.trig'}: no built graph; run 'idmgraph build' first")
    return read_network_data(endpoint=args.endpoint, build_dir=build), build


def _analyze(args, console: Console) -> int:
    from .network.export import analyze, write_analysis
    from .trends import trend_charts, trend_tables

    data, build = _network_data(args)
    result = analyze(data, seed=args.seed)
    if args.endpoint:
        from .remote import RemoteStore

        store = RemoteStore(args.endpoint)
    else:
        from .store import open_store

        store = open_store(build)
    result.trends = trend_tables(store)
    result.charts = trend_charts(result.trends)
    files = write_analysis(
        result, args.out or build / "analysis", excel=args.excel, workbook=args.format == "xlsx"
    )
    s = result.summary
    console.print(
        f"networks: {s['people']} people, {s['sessions']} sessions, {s['co_panel_edges']} co-panel ties "
        f"in {s['co_panel_components']} components, {s['communities']} communities",
        markup=False,
    )
    console.print(
        f"report: {_rel(files['report.md'])} ({len(files)} files: CSV tables, charts in PNG and SVG, "
        "GEXF, GraphML, JSON)",
        markup=False,
    )
    return EXIT_OK


def _viz(args, console: Console) -> int:
    from .viz import write_views

    data, build = _network_data(args)
    files = write_views(data, args.out or build / "views", size_by=args.size_by)
    for path in files.values():
        console.print(f"view: {_rel(path)}", markup=False)
    return EXIT_OK


def _serve(args, console: Console) -> int:
    import hashlib
    import os
    import shutil
    import signal
    import tempfile
    from urllib.parse import urlsplit

    import uvicorn

    from .ontology_docs import FILE_NAME as ONTOLOGY_DOCS
    from .paths import default_out
    from .serve import create_app
    from .serve.server import server_config
    from .serve.workers import QueryPool
    from .store import open_store

    for prefix in args.allow_service:
        parts = urlsplit(prefix)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"--allow-service {prefix!r}: give the start of an http(s) endpoint IRI")
    build = args.build or default_out()
    if not (build / "idm.trig").exists():
        raise FileNotFoundError(f"{build / 'idm.trig'}: no built graph; run 'idmgraph build' first")
    if args.log_format != "none":
        import logging

        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access = logging.getLogger("idmgraph.access")
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        access.propagate = False

    def load() -> tuple:
        """The build as it is now, in a private snapshot: (folder, store, pool, digest, the
        build's ontology documentation or None)."""
        # one immutable build until the next reload: the pages and every worker (also one
        # started again later) read this copy, whatever happens to the build folder meanwhile
        snapshot = Path(tempfile.mkdtemp(prefix="idmgraph-serve-"))
        try:
            try:
                os.link(build / "idm.trig", snapshot / "idm.trig")  # a rebuild writes new files
            except OSError:
                shutil.copyfile(build / "idm.trig", snapshot / "idm.trig")
            with open(snapshot / "idm.trig", "rb") as trig:
                digest = hashlib.file_digest(trig, "sha256").hexdigest()
            docs = build / ONTOLOGY_DOCS
            ontology_html = docs.read_bytes() if docs.is_file() else None  # written by the build with pyLODE
            store = open_store(snapshot)
            pool = QueryPool(
                snapshot / "idm.trig",
                size=args.workers,
                timeout_s=args.timeout_s,
                memory_mb=args.worker_memory_mb,
            )
        except BaseException:
            shutil.rmtree(snapshot, ignore_errors=True)
            raise
        return snapshot, store, pool, digest, ontology_html

    snapshot, store, pool, digest, ontology_html = load()
    loaded = [(snapshot, pool)]
    try:
        console.print(
            f"SPARQL endpoint: http://{args.host}:{args.port}/sparql ({len(store)} quads, build "
            f"{digest[:12]}, {args.workers} query workers, timeout {args.timeout_s:g} s, "
            f"{args.worker_memory_mb} MB a worker); kill -HUP {os.getpid()} serves a new build",
            markup=False,
        )
        app = create_app(
            store,
            max_rows=args.max_rows,
            pool=pool,
            allow_service=tuple(args.allow_service),
            max_bytes=args.max_answer_mb * 1024 * 1024,
            digest=digest,
            log_format="json" if args.log_format == "json" else "text",
            ontology_html=ontology_html,
        )
        del store, pool

        def reload() -> None:
            """Load the build folder as it is now and serve it; the old build keeps answering
            until the new one is ready, and a build that cannot be loaded is not served."""
            import threading

            try:
                fresh = load()
            except Exception as exc:  # the old build stays served
                console.print(f"reload failed, still serving build {app.state.served().digest[:12]}: {exc}",
                              markup=False)  # fmt: skip
                return
            old = app.state.reload(fresh[1], fresh[2], fresh[3], fresh[4])
            loaded.append((fresh[0], fresh[2]))
            console.print(
                f"reloaded: build {fresh[3][:12]}, {old.quads} -> {len(fresh[1])} quads", markup=False
            )

            def retire() -> None:  # queries running on the old build finish first
                import time

                time.sleep(args.timeout_s + 1)
                for entry in [e for e in loaded if e[1] is old.pool]:
                    entry[1].close()
                    shutil.rmtree(entry[0], ignore_errors=True)
                    loaded.remove(entry)

            threading.Thread(target=retire, daemon=True).start()

        def on_hangup(signum, frame) -> None:
            import threading

            threading.Thread(target=reload, daemon=True).start()

        signal.signal(signal.SIGHUP, on_hangup)
        try:
            uvicorn.Server(server_config(app, args.host, args.port, args.max_connections)).run()
        except KeyboardInterrupt:  # uvicorn has shut down cleanly and passes Ctrl-C on
            return 130
    finally:
        for folder, running in loaded:
            running.close()
            shutil.rmtree(folder, ignore_errors=True)
    return EXIT_OK


def _push(args, console: Console) -> int:
    from .paths import default_out
    from .push import PushError, push_graphs

    trig = (args.build or default_out()) / "idm.trig"
    if not trig.exists():
        raise FileNotFoundError(f"{trig}: no built graph; run 'idmgraph build' first")
    password = None
    if args.user:
        import os

        password = os.environ.get("IDMGRAPH_STORE_PASSWORD")
        if password is None:
            if not sys.stdin.isatty():
                raise PushError("--user needs a password: set IDMGRAPH_STORE_PASSWORD")
            import getpass

            password = getpass.getpass(f"password for {args.user} at {args.store}: ")
    sent = push_graphs(trig, args.store, user=args.user, password=password, default_graph=args.default_graph)
    console.print(f"pushed {len(sent)} graphs, {sum(sent.values())} triples, to {args.store}", markup=False)
    return EXIT_OK


def _rel(path: Path) -> str:
    import os

    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


class UsageError(Exception):
    """A command-line value that cannot be used (exit code 2)."""


def main(argv: list[str] | None = None) -> int:
    from .build import BuildFailed
    from .fetch import FetchError
    from .files import OutputRefused
    from .paths import default_out, set_project
    from .query import QueryError
    from .records import AgendaError
    from .remote import PushError, RemoteError, TruncatedAnswer
    from .text import printable
    from .yamlfile import YamlError

    args = _parser().parse_args(argv)
    # the imports are done: the cycle collector ``command`` paused is on again for a server or a
    # query; a build's process ends with the build, and the collector, paused while the build
    # runs, would walk its few million objects once more when on again (0.06 s at 400 agendas)
    if _ONE_COMMAND and args.command != "build":
        import gc

        gc.enable()
    if args.project is not None:
        if not args.project.is_dir():
            print(f"error: --project {args.project}: no such folder", file=sys.stderr)
            return EXIT_INPUT
        set_project(args.project)
    console = _LazyConsole(soft_wrap=False, width=None if sys.stdout.isatty() else 200)
    err = _LazyConsole(stderr=True, soft_wrap=True)
    handlers = {
        "ingest": _ingest,
        "fetch": _fetch,
        "build": _build,
        "validate": _validate,
        "query": _query,
        "sparql": _sparql,
        "cite": _cite,
        "analyze": _analyze,
        "viz": _viz,
        "serve": _serve,
        "push": _push,
    }
    try:
        return handlers[args.command](args, console)
    except AgendaError as exc:
        err.print(printable(f"error: {exc}"), markup=False)
        return EXIT_INPUT
    except (QueryError, FileNotFoundError, UsageError, YamlError) as exc:
        err.print(printable(f"error: {exc}"), markup=False)
        return EXIT_INPUT
    except (PushError, TruncatedAnswer, FetchError, RemoteError) as exc:
        err.print(printable(f"error: {exc}"), markup=False)
        return EXIT_INPUT
    except OutputRefused as exc:
        err.print(printable(f"error: {exc}"), markup=False)
        return EXIT_INPUT
    except BuildFailed as exc:
        out = getattr(args, "out", None) or _rel(default_out())
        err.print(printable(f"build failed; {out} left as it was.\n{exc}"), markup=False)
        return EXIT_INVALID


# set by ``command``: this process is the ``idmgraph`` command, and ends when the command does
_ONE_COMMAND = False
# what such a process keeps until it ends: a build's dataset, resolution and agendas (a few
# million objects at 400 agendas), which freeing one by one took 0.1-0.2 s for nothing
_KEPT: list[object] = []


def command(argv: list[str] | None = None) -> int:
    """The ``idmgraph`` command: ``main`` in a process of its own, that ends with it. Python's
    cycle collector is paused while the command's modules are imported (rdflib's among them:
    tens of collections that find next to nothing); ``main`` turns it on again for any command
    but a build."""
    import gc

    global _ONE_COMMAND
    _ONE_COMMAND = True
    gc.disable()
    return main(argv)


def end_process(code: int) -> NoReturn:
    """End the process with ``code`` once what it printed is written, without the interpreter's
    finalisation (freeing every object, module by module). Only for a process whose work is
    done and its files closed and in place, as ``command``'s is when it returns."""
    import contextlib

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream: nothing to write
            stream.flush()
    os._exit(code)


def console() -> NoReturn:
    """The ``idmgraph`` console script: ``command``, then ``end_process``. An error the command
    does not handle ends the process as Python does (its traceback printed)."""
    end_process(command())


if __name__ == "__main__":
    console()
