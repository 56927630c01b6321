"""SERVICE in a client's query: refused, unless the operator allowed that endpoint.

pyoxigraph evaluates ``SERVICE <url> { ... }`` by sending the pattern to ``url``: on a public
server, any client (and, through CORS, any web page its users open) could make the server
fetch internal addresses and read the answers back. So every query is read as a SPARQL parser
reads it before it runs: codepoint escapes (``\\u0053ERVICE``) decoded first, as the grammar
says they are; then the query cut into the grammar's terminals (comments, IRIs, strings,
variables, prefixed names, words), so that ``SERVICE`` in a string, an IRI, a comment or a
prefixed name is no keyword and the keyword is found wherever it stands (in OPTIONAL, in a
subquery, in lower case, with SILENT). A query with a SERVICE keyword is refused with 400,
unless its endpoint is an absolute IRI (written out, or a prefixed name of the query's PREFIX
declarations) that starts with one of the prefixes the operator allows (``idmgraph serve
--allow-service``); ``SERVICE ?var`` is always refused, the server cannot tell where it goes.
"""

from __future__ import annotations

import re

from .protocol import ProtocolError

__all__ = ["service_endpoints", "check_services", "unescape_codepoints", "check_nesting", "MAX_NESTING"]

# deeper than this, groups and brackets are refused before parsing: 3,000 nested groups made the
# parser overflow its stack and kill the worker (a research query nests fewer than ten)
MAX_NESTING = 128

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][^\W]\w*)
  | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:(?:[\w:%-]|\\.)(?:[\w.:%-]|\\.)*)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def unescape_codepoints(query: str) -> str:
    """Decode ``\\uXXXX`` and ``\\UXXXXXXXX`` everywhere, as SPARQL parsers do before parsing.

    >>> unescape_codepoints("\\\\u0053ERVICE")
    'SERVICE'
    """

    def one(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)

    return _CODEPOINT.sub(one, query)


def _tokens(query: str) -> list[tuple[str, str]]:
    out = []
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind not in ("ws", "comment"):
            out.append((kind, m.group(0)))  # type: ignore[arg-type]
    return out


def service_endpoints(query: str) -> list[str | None]:
    """The endpoint of every SERVICE keyword in a query: the IRI it names, or None where it is a
    variable, a relative IRI or anything the server cannot resolve to an absolute IRI.

    >>> service_endpoints('SELECT * { SERVICE <http://a.example/sparql> { ?s ?p ?o } }')
    ['http://a.example/sparql']
    >>> service_endpoints('PREFIX e: <http://b.example/> SELECT * { OPTIONAL { service silent e:q {} } }')
    ['http://b.example/q']
    >>> service_endpoints('SELECT * { SERVICE ?where { ?s ?p ?o } }')
    [None]
    >>> service_endpoints('SELECT * { ?s <http://x/SERVICE> "SERVICE <http://c>" } # SERVICE <http://d>')
    []
    """
    tokens = _tokens(unescape_codepoints(query))
    prefixes: dict[str, str] = {}
    for i, (kind, text) in enumerate(tokens):
        if kind == "word" and text.upper() == "PREFIX" and i + 2 < len(tokens):
            (k1, name), (k2, iri) = tokens[i + 1], tokens[i + 2]
            if k1 == "pname" and name.endswith(":") and k2 == "iri":
                prefixes[name[:-1]] = iri[1:-1]
    found: list[str | None] = []
    for i, (kind, text) in enumerate(tokens):
        if kind != "word" or text.upper() != "SERVICE":
            continue
        j = i + 1
        if j < len(tokens) and tokens[j][0] == "word" and tokens[j][1].upper() == "SILENT":
            j += 1
        target = tokens[j] if j < len(tokens) else ("other", "")
        endpoint = None
        if target[0] == "iri":
            endpoint = target[1][1:-1]
        elif target[0] == "pname" and ":" in target[1]:
            prefix, local = target[1].split(":", 1)
            if prefix in prefixes:
                endpoint = prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        if endpoint is not None and not re.match(r"^https?://", endpoint, re.IGNORECASE):
            endpoint = None  # relative, or not a web address: never resolved against anything
        found.append(endpoint)
    return found


def check_services(query: str, allowed: tuple[str, ...] = ()) -> None:
    """Raise ProtocolError(400) for a query that would make the server fetch an endpoint the
    operator did not allow."""
    for endpoint in service_endpoints(query):
        if endpoint is None:
            raise ProtocolError(
                400,
                "SERVICE is refused here: this server does not query other endpoints"
                + (" unless they are written out as an allowed absolute IRI" if allowed else ""),
            )
        if not any(endpoint.startswith(prefix) for prefix in allowed):
            raise ProtocolError(
                400,
                f"SERVICE <{endpoint}> is refused: this server does not query other endpoints"
                + (f" (allowed: {', '.join(allowed)})" if allowed else ""),
            )


def check_nesting(query: str, limit: int = MAX_NESTING) -> None:
    """Refuse (400) a query that nests groups, brackets or parentheses deeper than ``limit``
    (strings, IRIs and comments are not counted)."""
    depth = deepest = 0
    for kind, text in _tokens(unescape_codepoints(query)):
        if kind != "other":
            continue
        if text in "{([":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                raise ProtocolError(400, f"the query nests more than {limit} levels deep; write it flatter")
        elif text in "})]":
            depth -= 1
