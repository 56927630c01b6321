"""SPARQL stores the tests start on loopback, each a separate process with its own data folder:
``idmgraph serve`` (in a thread), the ``oxigraph`` server from PyPI, and Virtuoso Open Source
(Debian package ``virtuoso-opensource``).

Virtuoso is skipped, with the reason, where the package is not installed, unless
``IDMGRAPH_REQUIRE_VIRTUOSO=1`` (set by ``.ci/run`` once it has installed the package): then a
missing Virtuoso fails the run instead of skipping quietly.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
VIRTUOSO = shutil.which("virtuoso-t")
VIRTUOSO_REQUIRED = os.environ.get("IDMGRAPH_REQUIRE_VIRTUOSO") == "1"
# Debian's package puts the HTTP server's pages here; the tests' instances read them, never write
VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(
    url: str, proc: subprocess.Popen, what: str, seconds: float = 60.0, log: Path | None = None
):
    """Poll ``url`` until it answers (any HTTP status); fail with the server's log if it dies."""
    deadline = time.time() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers, if only with an error status
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
                pytest.fail(f"{what} did not start at {url}\n{tail}")
            time.sleep(0.2)


def start_oxigraph(*args: str) -> tuple[subprocess.Popen, int]:
    """The oxigraph server with these arguments on a free loopback port, once it answers."""
    if not OXIGRAPH.exists():
        pytest.skip("the oxigraph server (PyPI package oxigraph, in the test extras) is not installed")
    port = free_port()
    proc = subprocess.Popen(
        [str(OXIGRAPH), *args, "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until_up(f"http://127.0.0.1:{port}/", proc, "oxigraph server", seconds=30)
    return proc, port


def start_idmgraph_serve(*args: str, command: list[str] | None = None, cwd=None, env=None):
    """``idmgraph serve`` with these arguments, in a process of its own on a free loopback port,
    once it answers /health: (process, base URL). ``command`` runs another installation."""
    port = free_port()
    proc = subprocess.Popen(
        [*(command or [sys.executable, "-m", "idmgraph.cli"]), "serve", *args, "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/health", proc, "idmgraph serve", seconds=60)
    return proc, url


@contextmanager
def oxigraph_serving(trig: Path, folder: Path):
    """``oxigraph serve-read-only`` on a store loaded from ``trig``; yields the query URL."""
    if not OXIGRAPH.exists():
        pytest.skip("the oxigraph server (PyPI package oxigraph, in the test extras) is not installed")
    subprocess.run(
        [str(OXIGRAPH), "load", "--location", str(folder), "--file", str(trig)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    proc, port = start_oxigraph("serve-read-only", "--location", str(folder), "--union-default-graph")
    try:
        yield f"http://127.0.0.1:{port}/query"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def idmgraph_serving(store, **options):
    """``idmgraph serve``'s app under uvicorn in a thread; yields its base URL."""
    import uvicorn

    from idmgraph.serve import create_app

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(store, **options), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started:
        if time.time() > deadline:
            pytest.fail("idmgraph serve did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


_VIRTUOSO_INI = """\
; written by the idmgraph tests: one instance per test run, loopback only
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {folder}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
CaseMode = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
ServerThreads = 10
Charset = UTF-8

[SPARQL]
; Virtuoso cuts answers at ResultSetMaxRows without saying so: set far above any test answer
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 60
"""


class Virtuoso:
    """A Virtuoso Open Source server in a folder of its own, on free loopback ports.

    A new database's administrator is ``dba`` with password ``dba``; it is reachable only from
    this machine and deleted with the test's temporary folder.
    """

    user = "dba"
    password = "dba"

    def __init__(self, folder: Path, max_rows: int = 1_000_000, buffers: int = 10_000):
        if not VIRTUOSO:
            reason = "Virtuoso Open Source is not installed (Debian package virtuoso-opensource; .ci/run installs it)"
            if VIRTUOSO_REQUIRED:
                pytest.fail(reason + ", and IDMGRAPH_REQUIRE_VIRTUOSO=1 says it must be")
            pytest.skip(reason)
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        http_port, sql_port = free_port(), free_port()
        ini = folder / "virtuoso.ini"
        ini.write_text(
            _VIRTUOSO_INI.format(
                folder=folder,
                sql_port=sql_port,
                http_port=http_port,
                vsp=VIRTUOSO_VSP,
                max_rows=max_rows,
                buffers=buffers,  # 8 kB pages: 10,000 for the tests, ~170,000 (1.4 GB) for 1M triples
                dirty_buffers=buffers * 3 // 4,
            )
        )
        self.base = f"http://127.0.0.1:{http_port}"
        self.sparql = f"{self.base}/sparql"
        # the Graph Store Protocol endpoint that accepts writes (HTTP Digest login)
        self.store = f"{self.base}/sparql-graph-crud-auth"
        self.proc = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(self.sparql, self.proc, "Virtuoso", seconds=120, log=folder / "virtuoso.log")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
