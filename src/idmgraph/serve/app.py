"""The read-only SPARQL 1.1 endpoint: a Starlette (ASGI) app on a pyoxigraph store.

``create_app(store)`` is a factory with no work at import; request logic lives in
``protocol.py`` (tested directly). Queries run in Starlette's thread pool, so one slow query does
not block the others.

Also the query page at ``/``, VoID at ``/void``, and every IRI the graph mints, under
``/id/``, ``/graph/``, ``/vocab/`` and ``/ontology`` (pages.py).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import uuid
from pathlib import Path
from urllib.parse import parse_qs

import anyio
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from .. import __version__
from .fair import FairTurns
from .federation import check_nesting, check_services
from .operate import AccessLog, BuildCache, note_query
from .pages import _VOCABULARY_PREFIXES
from .protocol import GRAPH_FORMATS, RESULT_FORMATS, ProtocolError, negotiate, read_request
from .results import write_results
from .vendor import installed_yasgui, read_pin

__all__ = ["create_app", "execute", "service_description", "Served", "DEFAULT_MAX_ROWS", "DEFAULT_MAX_BYTES"]

DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
ALL_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]
LOG = logging.getLogger("idmgraph.serve")


def _graphs(iris: list[str]) -> list[ox.NamedNode]:
    try:
        return [ox.NamedNode(i) for i in iris]
    except ValueError as exc:
        raise ProtocolError(400, f"invalid graph IRI: {exc}") from exc


def execute(
    store: ox.Store,
    query: str,
    accept: str | None,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    hint: str | None = None,
    allow_service: tuple[str, ...] | list[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[str, bytes]:
    """Run a query and serialise its answer: (media type, bytes), or ProtocolError.

    Without default-graph-uri the default graph is the union of all graphs. A SELECT with more
    than ``max_rows`` rows, a CONSTRUCT or DESCRIBE with more than ``max_rows`` triples, and an
    answer past ``max_bytes`` are refused (422) rather than cut silently. SERVICE is refused (400)
    unless its endpoint starts with one of ``allow_service``. A failure while the query runs is
    logged here and answered with an error id, never with its detail (which may hold what
    another server said).
    """
    check_nesting(query)
    check_services(query, tuple(allow_service))
    kwargs: dict = {}
    if default_graphs:
        kwargs["default_graph"] = _graphs(default_graphs)
    else:
        kwargs["use_default_graph_as_union"] = True
    if named_graphs:
        kwargs["named_graphs"] = _graphs(named_graphs)

    # errors are raised outside the except blocks and without their cause: a traceback would
    # keep pyoxigraph's result alive, and it must be freed on the thread that made it
    failure: ProtocolError | None = None
    try:
        media, payload = _answer(store.query(query, **kwargs), accept, hint, max_rows)
    except ProtocolError as exc:
        failure = ProtocolError(exc.status, exc.message, exc.headers)
    except SyntaxError as exc:
        failure = ProtocolError(400, f"malformed query: {exc}")
    except Exception as exc:  # evaluation errors (a SERVICE that failed, an I/O error), also
        failure = _internal(exc)  # while the answer is read: it is computed as it is read
    if failure is not None:
        raise failure
    if len(payload) > max_bytes:
        raise ProtocolError(
            422,
            f"the answer passes {max_bytes // (1024 * 1024):,} MB, the limit of this service: "
            "add LIMIT/OFFSET to page through it",
        )
    return media, payload


def _answer(result, accept: str | None, hint: str | None, max_rows: int) -> tuple[str, bytes]:
    kind = "graph" if isinstance(result, ox.QueryTriples) else "results"
    try:
        media = negotiate(accept, kind, hint)
    except ProtocolError:
        # pyoxigraph's results must be freed on the thread that made them: drop the answer
        # here, before the exception's traceback could carry it to another thread
        del result
        raise
    if isinstance(result, ox.QueryBoolean):
        return media, result.serialize(format=RESULT_FORMATS[media])
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        solutions = _at_most(
            result, max_rows, f"the result has more than {max_rows} rows, the limit of this service: "
            "add LIMIT/OFFSET to page through it",
        )  # fmt: skip
        del result
        rows = [tuple(sol[n] for n in names) for sol in solutions]
        return media, write_results(names, rows, media)  # one pass: the rows are in hand
    triples = _at_most(
        result, max_rows, f"the graph has more than {max_rows} triples, the limit of this service: "
        "add LIMIT to the WHERE clause, or narrow it",
    )  # fmt: skip
    del result
    return media, ox.serialize(triples, format=GRAPH_FORMATS[media])


def _at_most(items, limit: int, refusal: str) -> list:
    """The items of an answer, refused (422) past ``limit`` rather than cut silently."""
    out = []
    for item in items:
        if len(out) == limit:
            raise ProtocolError(422, refusal)
        out.append(item)
    return out


def _internal(exc: BaseException) -> ProtocolError:
    """A failure logged with an id; the client gets the id, not the detail."""
    ref = uuid.uuid4().hex[:12]
    # its text, not the exception: a log record that held it would hold its traceback, and
    # with it pyoxigraph's result, past the thread that made it (where it must be freed)
    LOG.error("query failed [%s]: %s: %s", ref, type(exc).__name__, str(exc))
    return ProtocolError(500, f"the query failed while running (error {ref}, logged on the server)")


def service_description(endpoint: str, store: ox.Store, allow_service: tuple[str, ...] = ()) -> str:
    """A SPARQL 1.1 service description (Turtle) that says what this server really does: federated
    queries (SERVICE) only when the operator allowed some endpoints."""
    graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    results = " ,\n        ".join(
        f"<http://www.w3.org/ns/formats/{n}>"
        for n in (
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "N-Triples",
            "JSON-LD",
            "RDF_XML",
        )
    )
    named = "".join(f"\n    sd:namedGraph [ sd:name <{g}> ] ;" for g in graphs)
    federated = ", sd:BasicFederatedQuery" if allow_service else ""
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    dcterms:title "idmgraph {__version__}: IOM International Dialogue on Migration knowledge graph" ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph{federated} ;
    sd:resultFormat {results} ;
    sd:defaultDataset [ a sd:Dataset ;
        sd:defaultGraph [ a sd:Graph ] ;{named}
    ] .
"""


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC = Path(__file__).resolve().parent.parent / "static"
OWN_STATIC = ("yasr-plugins.js",)
DEFAULT_QUERY = """SELECT ?session ?name WHERE {
  ?p a <https://w3id.org/idmgraph/ontology#Participation> ;
     <https://w3id.org/idmgraph/ontology#session> ?session ;
     <https://w3id.org/idmgraph/ontology#participant>/<http://xmlns.com/foaf/0.1/name> ?name .
} LIMIT 50"""


def _template(name: str):
    from jinja2 import Environment

    return Environment(autoescape=True).from_string((TEMPLATES / name).read_text(encoding="utf-8"))


def script_json(data: bytes | str) -> str:
    """JSON placed inside a ``<script>`` element: no ``<`` can close it or open a comment."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return text.replace("<", "\\u003c")


def query_page(
    example: str | None = None,
    text: str | None = None,
    values: dict | None = None,
    base: str = "",
    dataset_json_ld: str = "{}",
    notice: str | None = None,
) -> str:
    """The plain query page: an editor, the research queries as examples with a form for their
    parameters, results drawn as a table with downloads (no CDN, no framework;
    ``templates/query.html``, autoescaped). The research queries' forms, and the whole page
    where YASGUI is not installed (``notice`` says so)."""
    from ..query import CHOICES, QueryError, list_queries, load_query

    spec = None
    if example:
        with contextlib.suppress(QueryError):  # an unknown example shows the default query
            spec = load_query(example)
    queries = [
        {"name": q.name, "description": q.description, "params": ", ".join("?" + p.name for p in q.params)}
        for q in list_queries()
    ]
    return _template("query.html").render(
        text=spec.text if spec else (text or DEFAULT_QUERY),
        example=spec,
        values=values or {},
        queries=queries,
        base=base,
        choices=CHOICES,
        dataset_json_ld=script_json(dataset_json_ld),
        notice=notice,
    )


YASGUI_QUERY = """PREFIX idm: <https://w3id.org/idmgraph/ontology#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

# who took part in which session, in which role
SELECT ?start ?session ?name ?role WHERE {
  ?p a idm:Participation ;
     idm:session ?s ;
     idm:role/skos:prefLabel ?label ;
     idm:participant/foaf:name ?name .
  ?s schema:name ?session ;
     schema:startDate ?start .
  FILTER(lang(?label) = "en")
  BIND(STR(?label) AS ?role)
}
ORDER BY ?start ?name
LIMIT 100"""


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=\.)\s", text, maxsplit=1)[0].rstrip(":")


def yasgui_page(pin: dict, base: str, dataset_json_ld: str = "{}") -> str:
    """The query page with YASGUI (its editor, completion, result table and downloads; SELECT,
    ASK, CONSTRUCT and DESCRIBE), the research queries beside it: each with its form (the plain
    page) or opened in the editor as SPARQL (``templates/yasgui.html``, autoescaped)."""
    from ..namespace import BASE, PREFIXES
    from ..query import list_queries

    queries = list_queries()
    config = {
        "defaultQuery": YASGUI_QUERY,
        "prefixes": PREFIXES,
        "queries": {q.name: q.text for q in queries},
        # the graph's IRIs and the paths of this server's pages for them
        "local": [
            [base + "id/", "/id/"],
            [base + "graph/", "/graph/"],
            [BASE + "vocab/", "/vocab/"],
            [BASE + "ontology", "/ontology"],
        ],  # fmt: skip
    }
    return _template("yasgui.html").render(
        yasgui=pin,
        queries=[
            {"name": q.name, "summary": _first_sentence(q.description), "description": q.description}
            for q in queries
        ],  # fmt: skip
        config=config,
        dataset_json_ld=script_json(dataset_json_ld),
    )


# a request's body and a query past these sizes are refused (413) before they are read whole
MAX_BODY_BYTES = 1024 * 1024
MAX_QUERY_BYTES = 256 * 1024
request_client: contextvars.ContextVar[str] = contextvars.ContextVar("request_client", default="?")


async def _limited_body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) past ``limit`` bytes whether or not it says its length."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"the request body passes {limit:,} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise ProtocolError(413, f"the request body passes {limit:,} bytes")
    return bytes(body)


# Linked Data and error pages: their own inline style, no script, nothing from elsewhere
DOC_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'"


class SecurityHeaders:
    """Every answer says its type is what it says (nosniff); every HTML answer without a policy of
    its own gets one that runs no script and loads nothing from elsewhere (pure ASGI: answers
    still stream)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if content_type.startswith(b"text/html") and b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", DOC_CSP.encode()))
                message = dict(message, headers=headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)


ONTOLOGY_DOCS_CSP = DOC_CSP.replace("img-src 'self'", "img-src 'self' data:")
# the page makes requests to this server only, and runs only its own inline script
PAGE_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'"
)
# YASGUI's page: its script and style from this server; it draws icons as data: images and sets
# styles inline
YASGUI_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'self'"
)
NO_YASGUI = (
    "The YASGUI query editor is not installed in this copy of idmgraph (its files come from the "
    "npm registry at install time: make, or python src/idmgraph/serve/vendor.py src/idmgraph/_vendor); "
    "this is the plain form."
)


class Served:
    """What the server answers from: one immutable build (its store for the pages, its query
    workers, its digest). A reload swaps the whole of it at once, so the pages and /sparql can
    never answer from two builds."""

    def __init__(
        self, store: ox.Store, pool=None, digest: str | None = None, ontology_html: bytes | None = None
    ):
        import datetime
        import threading

        self.store, self.pool = store, pool
        self.ontology_html = ontology_html  # the build's pyLODE page, if it wrote one
        self._dumps: Path | None = None
        self._dump_lock = threading.Lock()
        self._checksums: dict[str, str] = {}
        # without the digest of a build file, answers are cached for this process only
        self.digest = digest or "process-" + uuid.uuid4().hex
        self.quads = len(store)
        self.loaded = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")

    def dump(self, name: str) -> Path:
        """A whole-dataset dump (``idm.trig.gz`` or ``idm.nq.gz``), written once per build the
        first time it is asked for, into a folder that goes when this build is no longer served."""
        import gzip
        import shutil
        import tempfile
        import weakref

        fmt = DUMPS[name]
        with self._dump_lock:
            if self._dumps is None:
                self._dumps = Path(tempfile.mkdtemp(prefix="idmgraph-dumps-"))
                weakref.finalize(self, shutil.rmtree, self._dumps, True)
            path = self._dumps / name
            if not path.exists():
                partial = path.with_suffix(".partial")
                # no time in the gzip header: the same build gives the same bytes and checksum
                with (
                    open(partial, "wb") as raw,
                    gzip.GzipFile(name, mode="wb", compresslevel=6, fileobj=raw, mtime=0) as out,
                ):
                    prefixes = _VOCABULARY_PREFIXES if fmt == ox.RdfFormat.TRIG else None  # TriG: prefixed
                    self.store.dump(out, format=fmt, prefixes=prefixes)
                partial.replace(path)
        return path

    def checksum(self, name: str) -> str:
        """The SHA-256 of a dump (written first if it is not yet), as catalogues list it."""
        import hashlib

        if name not in self._checksums:
            with open(self.dump(name), "rb") as f:
                self._checksums[name] = hashlib.file_digest(f, "sha256").hexdigest()
        return self._checksums[name]


# whole-dataset dumps: the named graphs as TriG and as N-Quads, gzipped
DUMPS = {"idm.trig.gz": ox.RdfFormat.TRIG, "idm.nq.gz": ox.RdfFormat.N_QUADS}


def create_app(
    store: ox.Store,
    max_rows: int = DEFAULT_MAX_ROWS,
    pool=None,
    base: str | None = None,
    allow_service: tuple[str, ...] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    digest: str | None = None,
    log_format: str = "text",
    ontology_html: bytes | None = None,
) -> Starlette:
    """The endpoint app for a store (read-only). With a ``QueryPool``, queries run in worker
    processes that are stopped at the pool's timeout; without, in this process's threads.
    SERVICE is refused unless its endpoint starts with one of ``allow_service``. Answers past
    ``max_rows`` rows or triples, or ``max_bytes`` bytes, are refused (422).

    Clients (addresses) take turns at the workers (``fair.py``); a queue too long is answered
    503 at once. ``app.state.reload(store, pool, digest)`` swaps the build served.

    ``base`` is where the graph's instance IRIs live, read from the build when not given
    (``idmgraph build --base``): ``{base}id/x`` is served at ``/id/x`` and ``{base}graph/x`` at
    ``/graph/x``, so a deployment on its own domain serves its own IRIs. The vocabulary (always
    under ``https://w3id.org/idmgraph/``) is served at ``/vocab/x`` and ``/ontology``."""
    from ..namespace import BASE, ONTOLOGY_IRI
    from ..query import QueryError, iri_base, list_queries, load_query, query_bindings
    from ..remote import bind_values
    from .pages import describe, describe_ontology, rdf_response, render_page, void_description, wants_html
    from .protocol import _FORMAT_PARAMS, FORMAT_KEYS, format_hint

    base = base or iri_base(store)
    served = [Served(store, pool, digest, ontology_html)]  # swapped whole by a reload
    # the query editor, where the install fetched it (read once: the files do not change)
    yasgui_dir = installed_yasgui()
    yasgui = read_pin(yasgui_dir) if yasgui_dir else None
    workers = getattr(pool, "size", 2)
    # queries and pages wait in threads of their own: slow queries never stall the pages
    query_threads = anyio.CapacityLimiter(max(4, 4 * workers))
    page_threads = anyio.CapacityLimiter(16)
    # turns at the workers go round the clients that wait: a client alone uses every worker,
    # one that floods the server delays another's query by the queries running, not by its flood
    # a request waits at most twice the query timeout (10 s at least: a worker replaced after a
    # crash takes a moment to start) before its 503
    turns = FairTurns(
        workers if pool is not None else 4, wait_s=max(10.0, 2 * getattr(pool, "timeout_s", 30.0))
    )

    async def pages_thread(fn, *args):
        return await anyio.to_thread.run_sync(lambda: fn(*args), limiter=page_threads)

    # one description per address the server is reached at (the Host a request names): a cache
    # of the first would tell every client another's host; bounded, since Host is the client's
    void_cache: dict[tuple[str, str], str] = {}

    async def void_turtle(request: Request) -> str:
        """The dataset's description (VoID, DCAT, schema.org) as this client's address names it."""
        key = (str(request.url_for("sparql")), str(request.url_for("void")))
        if key not in void_cache:
            if len(void_cache) >= 16:
                void_cache.clear()
            now = served[0]
            dumps = {str(request.url_for("dump", name=n)): await pages_thread(now.checksum, n) for n in DUMPS}
            void_cache[key] = await pages_thread(void_description, now.store, key[0], key[1], base, dumps)
        return void_cache[key]

    async def void(request: Request) -> Response:
        return _rdf_answer(await void_turtle(request), request)

    async def dataset_json_ld(request: Request) -> str:
        from .pages import compact_json_ld

        turtle = await void_turtle(request)
        triples = [q.triple for q in ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)]
        return compact_json_ld(triples).decode("utf-8")

    async def answer(request: Request, iri: str, triples: list[ox.Triple]) -> Response:
        if not triples:
            return PlainTextResponse(f"nothing is known about <{iri}>\n", status_code=404)
        fmt = request.query_params.get("format")
        accept = _FORMAT_PARAMS.get(fmt or "", fmt) if fmt else request.headers.get("accept")
        headers = {"Vary": "Accept"}
        if not fmt and wants_html(accept):
            page = await pages_thread(render_page, served[0].store, iri, base)
            return HTMLResponse(page, headers=headers)
        try:
            media, payload = rdf_response(triples, accept)
        except ProtocolError as exc:
            return PlainTextResponse(exc.message + "\n", status_code=exc.status)
        return Response(payload, media_type=media, headers=headers)

    def resource_under(prefix: str):
        async def resource(request: Request) -> Response:
            iri = prefix + request.path_params["rest"]
            try:
                ox.NamedNode(iri)
            except ValueError:
                return PlainTextResponse(f"not an IRI: <{iri}>\n", status_code=404)
            return await answer(request, iri, await pages_thread(describe, served[0].store, iri))

        return resource

    async def ontology(request: Request) -> Response:
        # the ontology's terms are hash IRIs: a client asks for the document, without the fragment
        iri = str(ONTOLOGY_IRI)
        docs = served[0].ontology_html
        if (
            docs is not None
            and not request.query_params.get("format")
            and wants_html(request.headers.get("accept"))
        ):
            # the build's pyLODE documentation: no script runs, its icons are data: images
            return HTMLResponse(
                docs, headers={"Vary": "Accept", "Content-Security-Policy": ONTOLOGY_DOCS_CSP}
            )
        return await answer(request, iri, await pages_thread(describe_ontology, served[0].store))

    async def run_job(query, accept, hint=None, default_graphs=None, named_graphs=None):
        """A query run in a worker (stopped at the timeout) or in a thread, refused past its
        limits; (media, bytes or a ``Spooled`` answer)."""
        if len(query.encode("utf-8")) > MAX_QUERY_BYTES:
            raise ProtocolError(
                413, f"the query passes {MAX_QUERY_BYTES:,} bytes; a SPARQL query needs far less"
            )
        note_query(query)
        job = {
            "query": query,
            "accept": accept,
            "default_graphs": default_graphs or [],
            "named_graphs": named_graphs or [],
            "max_rows": max_rows,
            "max_bytes": max_bytes,
            "hint": hint,
            "allow_service": list(allow_service),
        }
        now = served[0]
        async with turns.turn(request_client.get()):
            if now.pool is not None:
                return await anyio.to_thread.run_sync(now.pool.run, job, limiter=query_threads)
            return await anyio.to_thread.run_sync(lambda: execute(now.store, **job), limiter=query_threads)

    async def queries(request: Request) -> Response:
        """The research queries and their parameters, as JSON: what /queries/{name} takes."""
        return JSONResponse(
            [
                {
                    "name": q.name,
                    "description": q.description,
                    "url": str(request.url_for("research_query", name=q.name)),
                    "params": [
                        {"name": p.name, "required": p.required, "kind": p.kind, "help": p.help}
                        for p in q.params
                    ],
                }
                for q in list_queries()
            ]
        )

    async def research_query(request: Request) -> Response:
        """A research query with its parameters from the URL (``?theme=GCM%2021&lang=fr``), bound
        as ``idmgraph query`` binds them (names, codes and notations resolved to IRIs), answered
        like /sparql (format by Accept or ``format=``, timeout, row limit)."""
        try:
            spec = load_query(request.path_params["name"])
        except QueryError as exc:
            return PlainTextResponse(str(exc) + "\n", status_code=404)
        params = {k: v for k, v in request.query_params.items() if k not in FORMAT_KEYS}
        hint = format_hint(parse_qs(request.url.query))
        request_client.set(request.client.host if request.client else "?")
        try:
            bindings = await pages_thread(query_bindings, spec, params, served[0].store)
            text = bind_values(spec.text, {ox.Variable(k): v for k, v in bindings.items()})
            media, payload = await run_job(text, request.headers.get("accept"), hint)
        except QueryError as exc:
            return PlainTextResponse(str(exc) + "\n", status_code=400)
        except ProtocolError as exc:
            return PlainTextResponse(exc.message + "\n", status_code=exc.status, headers=exc.headers)
        return _respond(media, payload)

    async def sparql(request: Request) -> Response:
        request_client.set(request.client.host if request.client else "?")
        try:
            body = await _limited_body(request, MAX_BODY_BYTES)
            if len(request.url.query) > MAX_BODY_BYTES:
                raise ProtocolError(414, f"the URL passes {MAX_BODY_BYTES:,} bytes: POST the query instead")
            req = read_request(request.method, request.url.query, request.headers.get("content-type"), body)
            if req.query is None:
                description = service_description(
                    str(request.url_for("sparql")), served[0].store, allow_service
                )
                return _rdf_answer(description, request)
            media, payload = await run_job(
                req.query,
                request.headers.get("accept"),
                req.format_hint,
                req.default_graphs,
                req.named_graphs,
            )
        except ProtocolError as exc:
            return PlainTextResponse(exc.message + "\n", status_code=exc.status, headers=exc.headers)
        return _respond(media, payload)

    async def dump(request: Request) -> Response:
        """The whole dataset, gzipped (listed in VoID as void:dataDump)."""
        name = request.path_params["name"]
        if name not in DUMPS:
            return PlainTextResponse(f"no dump {name!r}; there are {', '.join(DUMPS)}\n", status_code=404)
        path = await pages_thread(served[0].dump, name)
        media = "application/trig" if name.startswith("idm.trig") else "application/n-quads"
        return FileResponse(
            path,
            media_type=media,
            filename=name,
            headers={"Content-Encoding": "identity"},
        )

    async def graph_store(request: Request) -> Response:
        """The SPARQL 1.1 Graph Store Protocol, read-only: GET ?graph=IRI (a named graph) or
        ?default (the default graph: what the build says of its sources), by Accept."""
        if request.method not in ("GET", "HEAD"):
            return PlainTextResponse(
                "this graph store is read-only: GET or HEAD\n",
                status_code=405,
                headers={"Allow": "GET, HEAD"},
            )
        params = request.query_params
        graphs = params.getlist("graph")
        if ("default" in params) == bool(graphs) or len(graphs) > 1:
            return PlainTextResponse("give one graph=IRI, or default\n", status_code=400)
        if graphs:
            try:
                target = ox.NamedNode(graphs[0])
            except ValueError:
                return PlainTextResponse(f"not an IRI: <{graphs[0]}>\n", status_code=400)
        else:
            target = ox.DefaultGraph()

        def read() -> list[ox.Triple]:
            return [q.triple for q in served[0].store.quads_for_pattern(None, None, None, target)]

        triples = await pages_thread(read)
        if not triples and graphs:
            return PlainTextResponse(f"no graph <{graphs[0]}> in this store\n", status_code=404)
        return _graph_answer(request, triples)

    async def health(request: Request) -> Response:
        """Is the server answering, from which build, with how many workers."""
        now = served[0]
        alive = now.pool.alive() if now.pool is not None else None
        ok = alive is None or alive > 0
        return JSONResponse(
            {
                "status": "ok" if ok else "no query worker is running",
                "version": __version__,
                "build": now.digest,
                "quads": now.quads,
                "loaded": now.loaded,
                "workers": None if now.pool is None else {"alive": alive, "size": now.pool.size},
            },
            status_code=200 if ok else 503,
        )

    def reload(new_store: ox.Store, new_pool=None, new_digest: str | None = None,
               new_ontology_html: bytes | None = None) -> Served:  # fmt: skip
        """Serve another build from now on; the build served until now is returned (its pool is
        the caller's to close once its queries are done)."""
        old = served[0]
        served[0] = Served(new_store, new_pool, new_digest, new_ontology_html)
        void_cache.clear()
        return old

    async def home(request: Request) -> Response:
        q = request.query_params
        dataset = await dataset_json_ld(request)
        if yasgui is not None and not q.get("example") and not q.get("plain"):
            page = yasgui_page(yasgui, base, dataset)
            return HTMLResponse(page, headers={"Content-Security-Policy": YASGUI_CSP})
        values = {k: v for k, v in q.items() if k not in ("example", "query", "plain")}
        notice = None if yasgui is not None else NO_YASGUI
        page = query_page(q.get("example"), q.get("query"), values, base, dataset, notice)
        return HTMLResponse(page, headers={"Content-Security-Policy": PAGE_CSP})

    async def own_static(request: Request) -> Response:
        """idmgraph's own scripts for the query page (its Chart and Pivot result views)."""
        name = request.path_params["name"]
        if name not in OWN_STATIC:
            return PlainTextResponse("no such file\n", status_code=404)
        return FileResponse(STATIC / name, media_type="text/javascript")

    async def yasgui_file(request: Request) -> Response:
        """YASGUI's script and style, under their version (cached for good by browsers)."""
        name, version = request.path_params["name"], request.path_params["version"]
        if yasgui is None or version != yasgui["version"] or name not in yasgui["files"]:
            return PlainTextResponse("no such file\n", status_code=404)
        media = "text/javascript" if name.endswith(".js") else "text/css"
        return FileResponse(
            yasgui_dir / name,
            media_type=media,
            headers={"Cache-Control": "public, max-age=31536000, immutable"},
        )

    app = Starlette(
        routes=[
            Route("/sparql", sparql, methods=ALL_METHODS, name="sparql"),
            Route("/health", health),
            Route("/data", graph_store, methods=ALL_METHODS),
            Route("/dumps/{name}", dump, name="dump"),
            Route("/", home),
            Route("/favicon.ico", lambda request: Response(status_code=204)),
            Route("/static/yasgui/{version}/{name}", yasgui_file),
            Route("/static/idmgraph/{name}", own_static),
            Route("/queries", queries),
            Route("/queries/{name}", research_query, name="research_query"),
            Route("/void", void, name="void"),
            Route("/.well-known/void", void),
            Route("/id/{rest:path}", resource_under(base + "id/")),
            Route("/graph/{rest:path}", resource_under(base + "graph/")),
            Route("/vocab/{rest:path}", resource_under(BASE + "vocab/")),
            Route("/ontology", ontology),
            Route("/ontology/{version}", ontology),
        ],
        middleware=[
            Middleware(AccessLog, log_format=log_format),
            Middleware(SecurityHeaders),
            Middleware(BuildCache, digest=lambda: f"{__version__}:{served[0].digest}"),
            Middleware(GZipMiddleware, minimum_size=4096),
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST"],
                allow_headers=["*"],
                expose_headers=["Content-Type", "ETag", "X-Request-Id"],
            ),
        ],
    )
    app.state.reload = reload
    app.state.served = lambda: served[0]
    return app


def _graph_answer(request: Request, triples: list[ox.Triple]) -> Response:
    """Triples in the RDF format the client asks for (Accept, or format=), as the pages write
    them (pages.rdf_response)."""
    from .pages import rdf_response
    from .protocol import format_hint

    try:
        media, payload = rdf_response(
            triples, request.headers.get("accept"), format_hint(parse_qs(request.url.query))
        )
    except ProtocolError as exc:
        return PlainTextResponse(exc.message + "\n", status_code=exc.status)
    return Response(payload, media_type=media, headers={"Vary": "Accept"})


def _rdf_answer(turtle: str, request: Request) -> Response:
    """A description written as Turtle (service description, VoID), in the RDF format the client
    asks for: the Turtle as written when that is what is asked."""
    from .protocol import format_hint

    try:
        asked = negotiate(request.headers.get("accept"), "graph", format_hint(parse_qs(request.url.query)))
    except ProtocolError:
        asked = None  # _graph_answer says what is offered
    if asked == "text/turtle":
        return Response(turtle, media_type="text/turtle", headers={"Vary": "Accept"})
    return _graph_answer(
        request, [q.triple for q in ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)]
    )


def _respond(media: str, payload) -> Response:
    """An answer in hand, or one a worker spooled to a file: streamed from the file, so a client
    that reads slowly holds a file, not the server's memory."""
    if isinstance(payload, bytes):
        return Response(payload, media_type=media, headers={"Vary": "Accept"})
    handle = payload.open()

    def chunks():
        with handle:
            while block := handle.read(256 * 1024):
                yield block

    return StreamingResponse(
        chunks(), media_type=media, headers={"Vary": "Accept", "Content-Length": str(payload.size)}
    )
