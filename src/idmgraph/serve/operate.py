"""What an operator needs from a public endpoint: an access log, caching by the build's digest.

Both are pure ASGI middleware, so answers still stream through them.

- ``AccessLog`` gives every request an id (sent back as ``X-Request-Id``) and writes one line when
  its answer is done: client, method, path, status, duration, bytes and, for a query, the SHA-256
  of its text (never the text: it can be large, and it is the client's). Plain text or JSON lines.
- ``BuildCache`` gives every successful GET answer an ``ETag`` made of the served build's digest
  and what the client asked (path, query string, Accept), and answers ``If-None-Match`` with 304
  before any work is done: the build is immutable while served, so the same request has the same
  answer until a reload changes the digest. Errors are marked ``no-store``.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import logging
import time
import uuid

from starlette.datastructures import Headers

__all__ = ["AccessLog", "BuildCache", "note_query", "ACCESS_LOG"]

ACCESS_LOG = logging.getLogger("idmgraph.access")
# the record of the request being answered: handlers add to it (the query's hash)
_record: contextvars.ContextVar[dict | None] = contextvars.ContextVar("idmgraph_access", default=None)


def note_query(text: str) -> None:
    """Put the hash of the query being run in the access log line of this request."""
    record = _record.get()
    if record is not None:
        record["query"] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class AccessLog:
    def __init__(self, app, log_format: str = "text"):
        self.app, self.log_format = app, log_format

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        client = scope.get("client") or ("?", 0)
        record = {
            "id": uuid.uuid4().hex[:16],
            "client": client[0],
            "method": scope["method"],
            "path": scope["path"],
            "status": 0,
            "bytes": 0,
        }
        token = _record.set(record)

        async def send_logged(message):
            if message["type"] == "http.response.start":
                record["status"] = message["status"]
                headers = list(message.get("headers", [])) + [(b"x-request-id", record["id"].encode())]
                message = dict(message, headers=headers)
            elif message["type"] == "http.response.body":
                record["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_logged)
        finally:
            _record.reset(token)
            record["ms"] = round((time.perf_counter() - started) * 1000, 1)
            if ACCESS_LOG.isEnabledFor(logging.INFO):
                ACCESS_LOG.info(self._line(record))

    def _line(self, r: dict) -> str:
        if self.log_format == "json":
            return json.dumps(r, ensure_ascii=True)
        # the path is the client's: %-escaped by the server already, control characters cannot pass
        query = f" query={r['query']}" if "query" in r else ""
        return (
            f'{r["id"]} {r["client"]} "{r["method"]} {r["path"]}" {r["status"]} '
            f"{r['ms']}ms {r['bytes']}B{query}"
        )


class BuildCache:
    """ETag and 304 from the served build's digest; ``digest`` is called at each request (a
    reload changes it)."""

    def __init__(self, app, digest, max_age_s: int = 300, uncached: tuple[str, ...] = ("/health",)):
        self.app, self.digest, self.max_age_s, self.uncached = app, digest, max_age_s, uncached

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = scope["method"] in ("GET", "HEAD") and scope["path"] not in self.uncached
        tag = None
        if cacheable:
            headers = Headers(scope=scope)
            query = scope.get("query_string", b"").decode("latin-1")
            asked = "\n".join((self.digest(), scope["path"], query, headers.get("accept", "")))
            tag = 'W/"' + hashlib.sha256(asked.encode("utf-8")).hexdigest()[:32] + '"'
            wanted = [t.strip() for t in headers.get("if-none-match", "").split(",")]
            if tag in wanted or "*" in wanted:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 304,
                        "headers": [
                            (b"etag", tag.encode()),
                            (b"cache-control", f"public, max-age={self.max_age_s}".encode()),
                            (b"vary", b"Accept, Accept-Encoding"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return

        async def send_tagged(message):
            if message["type"] == "http.response.start":
                own = [v for k, v in message.get("headers", []) if k.lower() == b"cache-control"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                if message["status"] == 200 and own and b"immutable" in own[0]:
                    headers.append((b"cache-control", own[0]))  # a versioned file: cached for good
                elif message["status"] == 200 and tag is not None:
                    headers.append((b"etag", tag.encode()))
                    headers.append((b"cache-control", f"public, max-age={self.max_age_s}".encode()))
                else:
                    headers.append((b"cache-control", b"no-store"))
                message = dict(message, headers=headers)
            await send(message)

        await self.app(scope, receive, send_tagged)
