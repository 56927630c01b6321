"""A published agenda (web page, PDF, Word document) -> a new source folder ``data/sources/<id>/``.

``idmgraph fetch URL`` is the one command that downloads, and only when a person runs it: the
build never does. The page is saved exactly as served, beside a ``source.yml`` that records where
and when it was read (the URL asked for and the one answered after redirects, the retrieval
time, the content type, the size and SHA-256 of the bytes). An existing source is never touched;
the size and the time a server may take are bounded.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from . import __version__
from .agenda.readers import sniff_format
from .text import slug

__all__ = ["FetchError", "Fetched", "fetch_source", "MAX_FETCH_BYTES"]

MAX_FETCH_BYTES = 20 * 1024 * 1024
SUFFIXES = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "text": ".txt"}


class FetchError(Exception):
    """A page that could not be saved as a source (exit code 2)."""


@dataclass(frozen=True)
class Fetched:
    source_id: str
    folder: Path
    file: Path
    url: str
    final_url: str
    content_type: str
    sha256: str
    size: int


def _source_id(url: str) -> str:
    parts = urlsplit(url)
    stem = Path(parts.path.rstrip("/")).stem or parts.netloc
    return slug(stem or parts.netloc)[:60] or "source"


def _download(url: str, max_bytes: int, timeout_s: float, client=None) -> tuple[bytes, str, str]:
    """(body, final URL, content type); every failure a FetchError saying what happened."""
    import httpx

    own = client is None
    client = client or httpx.Client(
        follow_redirects=True,
        max_redirects=5,
        timeout=httpx.Timeout(timeout_s),
        headers={"User-Agent": f"idmgraph/{__version__} (fetch)"},
    )
    deadline = time.monotonic() + timeout_s
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise FetchError(f"{url}: the server answered HTTP {response.status_code}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(
                    f"{url}: {int(declared):,} bytes announced, more than the {max_bytes:,}-byte limit"
                )
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url}: more than the {max_bytes:,}-byte limit; not saved")
                if time.monotonic() > deadline:
                    raise FetchError(f"{url}: still sending after {timeout_s:g} s; not saved")
                chunks.append(chunk)
            return b"".join(chunks), str(response.url), response.headers.get("content-type", "")
    except httpx.TooManyRedirects as exc:
        raise FetchError(f"{url}: too many redirects") from exc
    except httpx.TimeoutException as exc:
        raise FetchError(f"{url}: no answer within {timeout_s:g} s") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from exc
    finally:
        if own:
            client.close()


def fetch_source(
    url: str,
    sources_dir: Path,
    source_id: str | None = None,
    *,
    max_bytes: int = MAX_FETCH_BYTES,
    timeout_s: float = 30.0,
    client=None,
) -> Fetched:
    """Save the page at ``url`` as ``sources_dir/<id>/`` with its ``source.yml``.

    Raises FetchError for a URL that is not http(s), a source id in use, an answer that is not
    200, too large or too slow, or a body that is not an agenda format (text, HTML, PDF, DOCX)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(f"{url}: give an http:// or https:// address")
    sid = source_id or _source_id(url)
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,79}", sid):
        raise FetchError(f"source id {sid!r}: use lower-case letters, digits, '.', '_' and '-'")
    folder = Path(sources_dir) / sid
    if folder.exists():
        raise FetchError(f"{folder}: a source with this id exists; it is never overwritten (give --id)")
    body, final_url, content_type = _download(url, max_bytes, timeout_s, client)
    if not body.strip():
        raise FetchError(f"{url}: an empty answer")
    kind = sniff_format(body)
    if kind not in SUFFIXES:
        raise FetchError(f"{url}: a {kind} file, which idmgraph cannot read (text, HTML, PDF or DOCX)")
    digest = hashlib.sha256(body).hexdigest()
    name = f"{sid}{SUFFIXES[kind]}"
    meta = {
        "id": sid,
        "file": name,
        "url": final_url,
        **({"requested_url": url} if final_url != url else {}),
        "retrieved": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "content_type": content_type,
        "format": kind,
        "bytes": len(body),
        "sha256": digest,
        "note": "Saved by idmgraph fetch, unedited. Review and add title, language, publisher, licence, "
        "event and expected counts before building.",
    }
    import yaml  # here: every command imports this module for its errors, and a build reads no YAML

    Path(sources_dir).mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{sid}.fetch-", dir=sources_dir))
    try:
        (tmp / name).write_bytes(body)
        (tmp / "source.yml").write_text(
            "# Written by idmgraph fetch; the agenda file beside it is never edited.\n"
            + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )
        os.rename(tmp, folder)  # fails rather than replace a folder made meanwhile
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise FetchError(f"{folder}: cannot write the source: {exc.strerror}") from exc
    return Fetched(sid, folder, folder / name, url, final_url, content_type, digest, len(body))
