"""idmgraph fetch against a local HTTP server on loopback: a page saved as a new source with its
source.yml; redirects followed; 404, too large and too slow answers refused; no source overwritten."""

import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from conftest import LAYOUTS
from idmgraph.agenda import parse_agenda
from idmgraph.cli import main
from idmgraph.fetch import FetchError, fetch_source
from render import agenda_lines, to_html, to_pdf


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    lines = agenda_lines(LAYOUTS / "l01-iom-slots-bullets-en.txt")
    pages = {
        "/events/idm-2019-youth": (
            to_html(lines, folder / "a.html").read_bytes(),
            "text/html; charset=utf-8",
        ),
        "/docs/final-agenda.pdf": (to_pdf(lines, folder / "a.pdf").read_bytes(), "application/pdf"),
    }

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path in pages:
                body, kind = pages[self.path]
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif self.path == "/old-address":
                self.send_response(302)
                self.send_header("Location", "/events/idm-2019-youth")
                self.end_headers()
            elif self.path == "/loop":
                self.send_response(302)
                self.send_header("Location", "/loop")
                self.end_headers()
            elif self.path == "/huge":  # no Content-Length: the limit is kept while reading
                self.send_response(200)
                self.send_header("Content-Type", "application/pdf")
                self.end_headers()
                chunk = b"%PDF-1.4 " + b"0" * (1 << 20)
                try:
                    for _ in range(21):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
            elif self.path == "/slow":  # drips its answer
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                try:
                    for _ in range(30):
                        self.wfile.write(b"Agenda\n")
                        self.wfile.flush()
                        time.sleep(0.2)
                except (BrokenPipeError, ConnectionResetError):
                    pass
            else:
                self.send_response(404)
                self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", pages
    server.shutdown()


def test_a_page_becomes_a_source_with_its_provenance(site, tmp_path):
    root, pages = site
    got = fetch_source(f"{root}/events/idm-2019-youth", tmp_path)
    assert got.folder == tmp_path / "idm-2019-youth" and got.file.name == "idm-2019-youth.html"
    body = pages["/events/idm-2019-youth"][0]
    assert got.file.read_bytes() == body
    meta = yaml.safe_load((got.folder / "source.yml").read_text(encoding="utf-8"))
    assert (
        meta["url"] == f"{root}/events/idm-2019-youth" and meta["sha256"] == hashlib.sha256(body).hexdigest()
    )
    assert (meta["format"], meta["bytes"], meta["content_type"]) == (
        "html",
        len(body),
        "text/html; charset=utf-8",
    )
    assert meta["retrieved"].endswith("Z")
    # what was saved reads as the agenda it is
    agenda = parse_agenda(got.file)
    assert (
        agenda.source == "idm-2019-youth" and len({p.name for s in agenda.sessions for p in s.speakers}) == 12
    )


def test_redirects_are_followed_and_recorded(site, tmp_path):
    root, _ = site
    got = fetch_source(f"{root}/old-address", tmp_path, "moved")
    meta = yaml.safe_load((got.folder / "source.yml").read_text(encoding="utf-8"))
    assert meta["url"] == f"{root}/events/idm-2019-youth" and meta["requested_url"] == f"{root}/old-address"


def test_a_pdf_keeps_its_kind(site, tmp_path):
    root, _ = site
    got = fetch_source(f"{root}/docs/final-agenda.pdf", tmp_path)
    assert got.file.name == "final-agenda.pdf" and parse_agenda(got.file).format == "pdf"


@pytest.mark.parametrize(
    "path, kwargs, words",
    [
        ("/missing", {}, "HTTP 404"),
        ("/loop", {}, "too many redirects"),
        ("/huge", {}, "byte limit"),
        ("/slow", {"timeout_s": 1.0}, "1 s"),
    ],
)
def test_bad_answers_are_refused_and_leave_nothing(site, tmp_path, path, kwargs, words):
    root, _ = site
    started = time.monotonic()
    with pytest.raises(FetchError, match=words):
        fetch_source(f"{root}{path}", tmp_path, "x", **kwargs)
    assert time.monotonic() - started < 10
    assert list(tmp_path.iterdir()) == []


def test_an_existing_source_is_never_touched(site, tmp_path):
    root, _ = site
    (tmp_path / "idm-2019-youth").mkdir()
    (tmp_path / "idm-2019-youth" / "keep.txt").write_text("mine")
    with pytest.raises(FetchError, match="never overwritten"):
        fetch_source(f"{root}/events/idm-2019-youth", tmp_path)
    assert [p.name for p in (tmp_path / "idm-2019-youth").iterdir()] == ["keep.txt"]


def test_only_web_addresses(tmp_path):
    for url in ("file:///etc/passwd", "ftp://example.org/a.pdf", "/etc/passwd"):
        with pytest.raises(FetchError, match="http"):
            fetch_source(url, tmp_path)


def test_cli_fetch_exit_codes(site, tmp_path, capsys):
    root, _ = site
    assert main(["fetch", f"{root}/events/idm-2019-youth", "--sources", str(tmp_path), "--id", "y"]) == 0
    assert "saved" in capsys.readouterr().out
    assert main(["fetch", f"{root}/missing", "--sources", str(tmp_path), "--id", "z"]) == 2
    assert "HTTP 404" in capsys.readouterr().err
    assert main(["fetch", f"{root}/events/idm-2019-youth", "--sources", str(tmp_path), "--id", "y"]) == 2
