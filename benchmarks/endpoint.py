"""Endpoint benchmark: `idmgraph serve` against a bare `oxigraph serve-read-only`, on the same
synthetic graph (default about 1M triples), same research queries with the same bound values.

Targets (issue 5): median latency of the research queries within 1.3x of Oxigraph's, and
throughput (8 concurrent clients) at least 75% of it.

Where Virtuoso Open Source is installed (Debian virtuoso-opensource), it is measured too, for
information (no target): the time `idmgraph push` takes to load it, each query's latency, and
whether its answers equal idmgraph serve's.
Usage: python benchmarks/endpoint.py [--size 1000000] [--repeat 7] [--requests 400]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str) -> None:
    import httpx

    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not come up")


def _start_virtuoso(path: Path) -> dict | None:
    """Virtuoso on loopback, loaded by `idmgraph push` (timed); None where it is not installed."""
    import shutil

    if not shutil.which("virtuoso-t"):
        print("virtuoso: not installed (Debian package virtuoso-opensource); not measured")
        return None
    sys.path.insert(0, str(ROOT / "tests"))
    from idmgraph.push import push_graphs
    from stores import Virtuoso

    server = Virtuoso(Path(tempfile.mkdtemp()) / "virtuoso", buffers=170_000)
    t = time.perf_counter()
    sent = push_graphs(
        path,
        server.store,
        user=server.user,
        password=server.password,
        default_graph="https://w3id.org/idmgraph/graph/provenance",
    )
    pushed = time.perf_counter() - t
    return {"server": server, "push_s": pushed, "triples": sum(sent.values()), "graphs": len(sent)}


def _rows(data: dict, joined: dict[str, str], settings: set[str]) -> list[tuple]:
    """A SPARQL JSON answer as comparable rows: values only, GROUP_CONCAT items sorted, without
    the columns that echo a setting (Virtuoso gives a bound boolean back as 1, not true)."""
    from idmgraph.query import sort_joined

    names = [n for n in data["head"]["vars"] if n not in settings]
    return [
        tuple(
            sort_joined(b[n]["value"], joined[n]) if n in joined and n in b else b.get(n, {}).get("value")
            for n in names
        )
        for b in data["results"]["bindings"]
    ]


def _measure_pages(store, root: str, repeat: int) -> bool:
    """Linked Data pages (HTML) of the busiest person, a session, a theme, a state and a named
    graph: each under 1 s (median)."""
    import httpx

    from idmgraph.serve.pages import local_path

    def one(query: str) -> str:
        return next(iter(store.query(query, use_default_graph_as_union=True)))["x"].value

    idm = "https://w3id.org/idmgraph/ontology#"
    pages = {
        "busiest person": one(
            f"SELECT ?x (COUNT(*) AS ?n) WHERE {{ ?p <{idm}participant> ?x }} "
            "GROUP BY ?x ORDER BY DESC(?n) LIMIT 1"
        ),
        "session": one(f"SELECT ?x WHERE {{ ?x a <{idm}Session> }} LIMIT 1"),
        "theme (the Global Compact)": "https://w3id.org/idmgraph/vocab/gcm/compact",
        "state": one(f"SELECT ?x WHERE {{ ?x a <{idm}State> }} LIMIT 1"),
        "named graph": "https://w3id.org/idmgraph/graph/entities",
    }
    ok = True
    print("Linked Data pages (HTML), median latency (target < 1 s each)")
    with httpx.Client(timeout=120) as c:
        for label, iri in pages.items():
            url = root + local_path(iri, "https://w3id.org/idmgraph/")
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                r = c.get(url, headers={"Accept": "text/html"})
                r.raise_for_status()
                times.append(time.perf_counter() - t)
            median = statistics.median(times)
            ok &= median < 1.0
            print(f"  {label:28} {median * 1000:8.1f}ms  {len(r.content) / 1000:8.0f} kB")
    return ok


def _measure_virtuoso(virtuoso: dict, texts: dict[str, str], ours: str, repeat: int) -> None:
    import httpx

    from idmgraph.query import SETTING_KINDS, load_query

    url = virtuoso["server"].sparql
    print(
        f"virtuoso: idmgraph push loaded {virtuoso['triples']:,} triples in {virtuoso['graphs']} graphs "
        f"in {virtuoso['push_s']:.1f} s"
    )
    accept = {"Accept": "application/sparql-results+json"}
    same = 0
    with httpx.Client(timeout=300) as c:
        for name, text in texts.items():
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                # a form POST: Virtuoso 7.2 never answers application/sparql-query
                r = c.post(url, data={"query": text}, headers=accept)
                times.append(time.perf_counter() - t)
            if r.status_code != 200:
                print(f"  {name:28} {r.status_code}: {' '.join(r.text.split())[:100]}")
                continue
            spec = load_query(name)
            settings = {p.name for p in spec.params if p.kind in SETTING_KINDS} | {"reach"}
            expected = _rows(c.post(ours, data={"query": text}, headers=accept).json(), spec.joined, settings)
            equal = _rows(r.json(), spec.joined, settings) == expected
            same += equal
            print(
                f"  {name:28} {statistics.median(times) * 1000:8.1f}ms  {len(expected):6} rows  "
                f"{'same answer' if equal else 'DIFFERENT answer'}"
            )
    print(f"  {same} of {len(texts)} research queries answer the same on Virtuoso as on idmgraph serve")


def main() -> int:
    import httpx
    import pyoxigraph as ox
    import uvicorn
    from run import query_params, synthetic_file

    from idmgraph.query import load_query, query_bindings
    from idmgraph.remote import bind_values
    from idmgraph.serve import create_app
    from idmgraph.serve.workers import QueryPool

    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--requests", type=int, default=400)
    args = ap.parse_args()

    path, meta = synthetic_file(args.size)
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.N_QUADS)
    texts = {}
    for name, params in query_params(meta).items():
        spec = load_query(name)
        subs = {ox.Variable(k): v for k, v in query_bindings(spec, dict(params), store).items()}
        texts[name] = bind_values(spec.text, subs)

    # the bare Oxigraph server
    location = tempfile.mkdtemp()
    subprocess.run(
        [str(Path(sys.executable).parent / "oxigraph"), "load", "--location", location, "--file", str(path)],
        check=True,
        capture_output=True,
    )
    ox_port = _port()
    oxi = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "oxigraph"),
            "serve-read-only",
            "--location",
            location,
            "--bind",
            f"127.0.0.1:{ox_port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # ours, with its worker pool
    pool = QueryPool(path, size=2, timeout_s=60)
    our_port = _port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(store, pool=pool), host="127.0.0.1", port=our_port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    urls = {
        "idmgraph serve": f"http://127.0.0.1:{our_port}/sparql",
        "oxigraph serve-read-only": f"http://127.0.0.1:{ox_port}/query",
    }
    virtuoso = _start_virtuoso(path)
    try:
        for url in urls.values():
            _wait(url.rsplit("/", 1)[0] + "/")
        headers = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}
        latency: dict[str, dict[str, float]] = {k: {} for k in urls}
        with httpx.Client(timeout=120) as c:
            for name, text in texts.items():
                for label, url in urls.items():
                    times = []
                    for _ in range(args.repeat):
                        t = time.perf_counter()
                        r = c.post(url, content=text.encode(), headers=headers)
                        r.raise_for_status()
                        times.append(time.perf_counter() - t)
                    latency[label][name] = statistics.median(times)
        throughput = {}
        jobs = [texts[n] for n in sorted(texts)] * (args.requests // len(texts))
        for label, url in urls.items():

            def one(text, url=url):
                with httpx.Client(timeout=120) as c:
                    c.post(url, content=text.encode(), headers=headers).raise_for_status()

            t = time.perf_counter()
            with ThreadPoolExecutor(8) as ex:
                list(ex.map(one, jobs))
            throughput[label] = len(jobs) / (time.perf_counter() - t)
        pages_ok = _measure_pages(store, urls["idmgraph serve"].rsplit("/", 1)[0], args.repeat)
        if virtuoso is not None:
            _measure_virtuoso(virtuoso, texts, urls["idmgraph serve"], args.repeat)
    finally:
        server.should_exit = True
        oxi.terminate()
        pool.close()
        if virtuoso is not None:
            virtuoso["server"].stop()
    ours, theirs = latency["idmgraph serve"], latency["oxigraph serve-read-only"]
    print(f"endpoint on {meta['triples']:,} triples; median latency of {args.repeat} runs per query")
    print(f"  {'query':28} {'idmgraph':>10} {'oxigraph':>10} {'ratio':>6}")
    ok = True
    for name in texts:
        ratio = ours[name] / theirs[name]
        print(f"  {name:28} {ours[name] * 1000:8.1f}ms {theirs[name] * 1000:8.1f}ms {ratio:6.2f}")
    med_ratio = statistics.median(ours[n] / theirs[n] for n in texts)
    share = throughput["idmgraph serve"] / throughput["oxigraph serve-read-only"]
    ok = med_ratio <= 1.3 and share >= 0.75 and pages_ok
    print(
        f"  median ratio {med_ratio:.2f} (target <= 1.3); throughput with 8 clients: "
        f"{throughput['idmgraph serve']:.1f} vs {throughput['oxigraph serve-read-only']:.1f} queries/s "
        f"= {share:.0%} (target >= 75%) {'OK' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
