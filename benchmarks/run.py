"""Speed and memory figures for idmgraph (``make bench``). Targets live here, not in timed tests.

Sections
- build: ``idmgraph build`` of data/sources/ in a new process (target: under 5 s).
- viz: the participation view of a synthetic graph of about 5,000 nodes, rendered (its layout
  computed) and opened in headless Chromium until drawn and still (target: under 10 s in all).
- synthetic graphs of about 10k, 100k and 1M triples from the seeded generator
  (``idmgraph.synthetic``): time to load the N-Quads into Oxigraph and peak memory (1M:
  under 10 s and 1.5 GB), then every research query, median of repeated runs, through
  ``idmgraph.query.run_query`` and the same SPARQL straight on the pyoxigraph store
  (1M: each median under 0.5 s and within 1.3x of the direct run, or 5 ms of it: the fixed
  cost of a DataFrame); ```analyze`` and ``viz``
  (rendering the three views) in a fresh process (1M: analyze under 60 s and 2 GB).

Usage: ``python benchmarks/run.py [--sizes 10000,100000,1000000] [--repeat 7] [--json FILE]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks" / ".cache"  # not in data/build/, which every build replaces
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from children import PEAK_MB  # noqa: E402


def bench_build(runs: int = 5) -> dict:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "idmgraph.cli", "build", "--quiet", "--out", str(BENCH_DIR / "build")],
            check=True,
            cwd=ROOT,
        )
        times.append(time.perf_counter() - t)
    return {"median_s": statistics.median(times), "max_s": max(times)}


def _code_digest() -> str:
    """Digest of what shapes the synthetic graph (code, ontology, reference data): the cache key."""
    import hashlib

    h = hashlib.sha256()
    for folder in ("src/idmgraph", "ontology", "data/reference"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".ttl", ".yml", ".rq"):
                h.update(path.read_bytes())
    return h.hexdigest()[:10]


def synthetic_file(size: int) -> tuple[Path, dict]:
    """Write (once) the synthetic graph of about `size` triples as N-Quads; return path and facts."""
    from idmgraph import __version__
    from idmgraph.build import dataset_from_agendas
    from idmgraph.synthetic import events_for_triples, synthetic_agendas

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"synthetic-{size}-v{__version__}-{_code_digest()}.nq"
    meta_path = path.with_suffix(".json")
    if path.exists() and meta_path.exists():
        return path, json.loads(meta_path.read_text())
    t = time.perf_counter()
    agendas = synthetic_agendas(events_for_triples(size))
    res, ds = dataset_from_agendas(agendas, near_miss=False)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(ds.nquads()), encoding="utf-8")
    tmp.replace(path)
    counts: dict[str, int] = {}
    for p in res.participations:
        counts[p.person] = counts.get(p.person, 0) + 1
    top_person = max(sorted(counts), key=counts.get)
    state_counts: dict[str, int] = {}
    for p in res.participations:
        if p.entry.state:
            state_counts[p.entry.state] = state_counts.get(p.entry.state, 0) + 1
    meta = {
        "triples": len(ds),
        "events": len(agendas),
        "people": len(res.persons),
        "participations": len(res.participations),
        "generate_s": time.perf_counter() - t,
        "person": res.persons[top_person].name,
        "person_participations": counts[top_person],
        "state": max(sorted(state_counts), key=state_counts.get),
        "session": f"https://w3id.org/idmgraph/id/event/{agendas[0].event.id}/"
        + agendas[0].sessions[1].id.replace(":", "-"),
    }
    meta_path.write_text(json.dumps(meta, indent=2))
    return path, meta


# each child prints its own peak memory (children.PEAK_MB: VmHWM, not ru_maxrss)
_PEAK = PEAK_MB
_LOAD = f"""
import sys, time
import pyoxigraph as ox
t = time.perf_counter()
store = ox.Store()
store.load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
n = len(store)
print(time.perf_counter() - t, {_PEAK}, n)
"""


def bench_load(path: Path) -> dict:
    """Load in a fresh process, so that peak memory is the load's alone."""
    out = subprocess.run(
        [sys.executable, "-c", _LOAD, str(path)], check=True, capture_output=True, text=True
    ).stdout.split()
    return {"load_s": float(out[0]), "peak_rss_mb": float(out[1]), "quads": int(out[2])}


_ANALYZE = f"""
import sys, tempfile, time
from pathlib import Path
import pyoxigraph as ox
from idmgraph.network import read_network_data
from idmgraph.network.export import analyze, write_analysis
t = time.perf_counter()
store = ox.Store()
store.load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
load = time.perf_counter() - t
t = time.perf_counter()
data = read_network_data(store=store)
result = analyze(data)
from idmgraph.trends import trend_charts, trend_tables
result.trends = trend_tables(store)  # as idmgraph analyze does
result.charts = trend_charts(result.trends)
files = write_analysis(result, Path(tempfile.mkdtemp()) / "analysis")
analyze_s = time.perf_counter() - t
from idmgraph.viz import write_views
t = time.perf_counter()
views = write_views(data, Path(tempfile.mkdtemp()) / "views")
print(load, analyze_s, {_PEAK}, len(files), time.perf_counter() - t)
"""


def bench_analyze(path: Path) -> dict:
    """`analyze` (read networks, every measure, every export) in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", _ANALYZE, str(path)], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout.split()
    return {
        "load_s": float(out[0]),
        "analyze_s": float(out[1]),
        "peak_rss_mb": float(out[2]),
        "files": int(out[3]),
        "viz_s": float(out[4]),
    }


def bench_viz(target_nodes: int = 5000) -> dict:
    """Render the participation view of a synthetic graph of about `target_nodes` nodes, and
    (when Debian chromium is installed) open it headless and wait until it is drawn and still."""
    import shutil
    import tempfile

    from idmgraph.build import dataset_from_agendas
    from idmgraph.network import full_graph, read_network_data
    from idmgraph.store import store_from_dataset
    from idmgraph.synthetic import synthetic_agendas
    from idmgraph.viz import render_view

    events = max(1, target_nodes // 19)  # about 19 nodes per event in the participation graph
    _, ds = dataset_from_agendas(synthetic_agendas(events), near_miss=False)
    data = read_network_data(store=store_from_dataset(ds))
    g = full_graph(data)
    t = time.perf_counter()
    html = render_view(g, "synthetic participation graph", data)
    render_s = time.perf_counter() - t
    out = {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "render_s": render_s,
        "browser_s": None,
    }
    chromium = shutil.which("chromium")
    if chromium:
        from playwright.sync_api import sync_playwright

        page_path = Path(tempfile.mkdtemp()) / "view.html"
        page_path.write_text(html, encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
            )
            page = browser.new_page(viewport={"width": 1200, "height": 800}, bypass_csp=True)
            t = time.perf_counter()
            page.goto(page_path.as_uri())
            page.wait_for_function("document.body.dataset.ready === '1'", timeout=120_000)
            out["browser_s"] = time.perf_counter() - t
            out["drawn"] = int(page.evaluate("document.body.dataset.drawnNodes"))
            browser.close()
    return out


def query_params(meta: dict) -> dict[str, dict[str, str]]:
    return {
        "session-speakers": {"session": meta["session"]},
        "person-participations": {"person": meta["person"]},
        "people-by-state": {"state": meta["state"]},
        "organizations-by-type": {"type": "national-government"},
        "people-at-several-events": {},
        "who-spoke-on-theme": {"theme": "whole-of-society"},
        "themes-of-person": {"person": meta["person"]},
        "states-by-theme": {"theme": "SDG 10", "broader": "true"},
        "actor-types-by-theme": {"theme": "return-and-reintegration"},
        "theme-cooccurrence": {},
        "sdg-coverage": {},
        "representation-level": {"per": "event"},
        "participation-by-region": {"by": "subregion"},
        "actor-types-by-event": {},
        "states-over-time": {},
        "theme-share-by-year": {},
        "series-participants": {"series": "idm"},  # every synthetic meeting is one of the IDM's
    }


# run_query's own cost over the direct run: a share of it, or the fixed cost of making a
# DataFrame (about a millisecond), which a query of two milliseconds would otherwise fail on
OVERHEAD_RATIO, OVERHEAD_FIXED_S = 1.3, 0.005


def within_overhead(q: dict) -> bool:
    """Whether run_query costs at most 1.3x the direct run, or 5 ms more than it."""
    return q["ratio"] <= OVERHEAD_RATIO or q["median_s"] - q["direct_median_s"] <= OVERHEAD_FIXED_S


def bench_queries(path: Path, meta: dict, repeat: int) -> dict:
    import pyoxigraph as ox

    from idmgraph.query import list_queries, load_query, query_bindings, run_query

    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.N_QUADS)
    params = query_params(meta)
    missing = {q.name for q in list_queries()} - set(params)
    if missing:
        raise SystemExit(f"benchmark has no parameters for {sorted(missing)}")
    out = {}
    for name, p in params.items():
        spec = load_query(name)
        ours, direct = [], []
        subs = {ox.Variable(k): v for k, v in query_bindings(spec, dict(p), store).items()}
        rows = 0
        for _ in range(repeat):
            t = time.perf_counter()
            frame = run_query(name, p, store=store)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            result = store.query(spec.text, use_default_graph_as_union=True, substitutions=subs or None)
            cols = [v.value for v in result.variables]
            rows = len([tuple(s[c] for c in cols) for s in result])
            direct.append(time.perf_counter() - t)
        assert len(frame) == rows, (name, len(frame), rows)
        out[name] = {
            "rows": rows,
            "median_s": statistics.median(ours),
            "direct_median_s": statistics.median(direct),
            "ratio": statistics.median(ours) / max(statistics.median(direct), 1e-9),
        }
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    args = ap.parse_args()
    figures: dict = {}
    ok = True
    build = bench_build()
    figures["build"] = build
    good = build["max_s"] < 5
    ok &= good
    print(
        f"build of data/sources/: median {build['median_s']:.2f} s, max {build['max_s']:.2f} s "
        f"(target < 5 s) {'OK' if good else 'MISSED'}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        path, meta = synthetic_file(size)
        load = bench_load(path)
        queries = bench_queries(path, meta, args.repeat)
        figures[str(size)] = {"meta": meta, "load": load, "queries": queries}
        big = size >= 1_000_000
        print(
            f"\nsynthetic ~{size:,} triples: {meta['triples']:,} triples, {meta['events']} events, "
            f"{meta['people']:,} people, {meta['participations']:,} participations "
            f"(generated in {meta['generate_s']:.1f} s)"
        )
        load_ok = not big or (load["load_s"] < 10 and load["peak_rss_mb"] < 1536)
        ok &= load_ok
        print(
            f"  load into Oxigraph: {load['load_s']:.2f} s, peak RSS {load['peak_rss_mb']:.0f} MB"
            + (f" (target < 10 s, < 1.5 GB) {'OK' if load_ok else 'MISSED'}" if big else "")
        )
        an = bench_analyze(path)
        figures[str(size)]["analyze"] = an
        an_ok = not big or (an["analyze_s"] < 60 and an["peak_rss_mb"] < 2048)
        ok &= an_ok
        print(
            f"  analyze: {an['analyze_s']:.1f} s after a {an['load_s']:.1f} s load, "
            f"peak RSS {an['peak_rss_mb']:.0f} MB, "
            f"{an['files']} files"
            + (f" (target < 60 s, < 2 GB) {'OK' if an_ok else 'MISSED'}" if big else "")
        )
        print(f"  viz: the three views of the whole graph rendered in {an['viz_s']:.1f} s")
        print(f"  {'query':28} {'rows':>7} {'run_query':>10} {'direct':>10} {'ratio':>6}")
        for name, q in queries.items():
            q_ok = not big or (q["median_s"] < 0.5 and within_overhead(q))
            ok &= q_ok
            print(
                f"  {name:28} {q['rows']:>7} {q['median_s'] * 1000:>8.1f}ms "
                f"{q['direct_median_s'] * 1000:>8.1f}ms "
                f"{q['ratio']:>6.2f}" + ("" if q_ok else "  MISSED")
            )
    viz = bench_viz()
    figures["viz"] = viz
    viz_ok = viz["render_s"] + (viz["browser_s"] or 0) < 10
    ok &= viz_ok
    browser = (
        f", drawn and still in headless Chromium after {viz['browser_s']:.1f} s ({viz['drawn']} nodes)"
        if viz["browser_s"] is not None
        else ", not opened (no chromium)"
    )
    print(
        f"\nviz of a {viz['nodes']:,}-node participation view ({viz['edges']:,} edges): rendered in "
        f"{viz['render_s']:.1f} s{browser} (target < 10 s) {'OK' if viz_ok else 'MISSED'}"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2))
    print("\nall targets met" if ok else "\nsome targets MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
