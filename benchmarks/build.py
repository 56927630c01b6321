"""Speed and memory of ``idmgraph build`` end to end (``make bench``), beside the floor of the same
work: pyoxigraph loading the graph the build wrote.

A synthetic corpus is written to disk as agenda text in the common layout (one meeting each, a
day of an opening, three panels with a moderator and 3-6 speakers, and a closing; people recur
with a heavy tail, ``idmgraph.synthetic``) and curated records (one for every ten agendas),
then ``idmgraph build DIR --out OUT`` runs in a child process, timed, its peak memory read from
the kernel (``ru_maxrss``). The floor loads the ``idm.trig`` it wrote into a pyoxigraph store,
in a child process too.

Then one agenda changes and the build runs again (its parse cache holds the others), three
times, another agenda each time; the median of the three is the figure (one run moves with the
machine by a quarter within an hour), and the floor is measured again after each, its median the
one the rebuild's ratio is taken to. A ``--clean`` build of the corpus as it is then says
whether the last rebuild wrote the same bytes.

idmgraph's modules are compiled to bytecode before anything is timed, as pip does when it
installs the wheel and as Python does on a package's first import. Without it (a machine that
sets ``PYTHONDONTWRITEBYTECODE``, as this project's does) every child compiles them from source
again: 0.15-0.4 s of each build that is not the build's work.

Targets (issue 14): 400 agendas (about 260k triples) in under 12 s and 1 GB; a million triples
in under 60 s and 2 GB; a rebuild after one agenda changed in under 2 s.

Usage: ``python benchmarks/build.py [--agendas 100 400] [--json FILE]``
"""

from __future__ import annotations

import argparse
import compileall
import json
import statistics
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from children import REPORT_PEAK, run_child  # noqa: E402

REBUILDS = 3  # rebuilds after one agenda changed, each another; their median is the figure

BUILD = f"""
import sys
from idmgraph.cli import command, end_process  # what the idmgraph command runs (cli.console)
code = command(sys.argv[1:])
{REPORT_PEAK}
end_process(code)
"""
FLOOR = f"""
import sys, pyoxigraph as ox
store = ox.Store()
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.TRIG)
print(len(store))
{REPORT_PEAK}
"""


def write_corpus(folder: Path, n: int) -> int:
    """``n`` agendas of a day each, a week apart, and a curated record for every tenth of them
    (in ``records/``, a meeting of another series three days later); the bytes written."""
    from idmgraph.synthetic import synthetic_agenda_text, synthetic_record_yaml

    total = 0
    (folder / "records").mkdir(exist_ok=True)
    for i in range(n):
        day = date(1990, 1, 1) + timedelta(weeks=i)
        path = folder / f"agenda-{i:04d}.txt"
        text = synthetic_agenda_text(600, seed=i, start=day)
        path.write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
        if i % 10 == 0:
            record = synthetic_record_yaml(i, day + timedelta(days=3))
            (folder / "records" / f"record-{i:04d}.yml").write_text(record, encoding="utf-8")
            total += len(record.encode("utf-8"))
    return total


def change_one(folder: Path, n: int, which: int = 0) -> None:
    """One agenda of the corpus gains a speaker in its last panel (a source that changed): the
    middle one, or the ``which``-th after it."""
    path = folder / f"agenda-{(n // 2 + which) % n:04d}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    last = max(i for i, line in enumerate(lines) if line.startswith("• "))
    lines.insert(
        last + 1, "• Ms. Wilhelmina Quarshie-Ekström, Director, Ministry of Labour, Ghana (Statement)"
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _child(args: list[str]) -> tuple[float, float, str]:
    """(seconds, peak MB, stdout) of a child process that reports its own peak memory."""
    took, peak, done = run_child(args)
    if done.returncode not in (0, 1):  # 1: expected counts or checks failed, still a full build
        raise SystemExit(f"{' '.join(args[:3])} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return took, peak, done.stdout


def bench(n: int, work: Path) -> dict:
    corpus = work / f"corpus-{n}"
    corpus.mkdir()
    size = write_corpus(corpus, n)
    out = work / f"build-{n}"
    took, peak, _ = _child([sys.executable, "-c", BUILD, "build", str(corpus), "--out", str(out), "--quiet"])
    floor_s, floor_mb, quads = _child([sys.executable, "-c", FLOOR, str(out / "idm.trig")])
    rebuilds, floors = [], []
    for which in range(REBUILDS):
        change_one(corpus, n, which)
        rebuilds.append(
            _child([sys.executable, "-c", BUILD, "build", str(corpus), "--out", str(out), "--quiet"])[:2]
        )
        # the floor again, in the same minute as the rebuild (the machine's speed moves)
        floors.append(_child([sys.executable, "-c", FLOOR, str(out / "idm.trig")])[0])
    again_s = statistics.median(s for s, _ in rebuilds)
    beside = statistics.median(floors)
    again_mb = max(mb for _, mb in rebuilds)
    clean = work / f"clean-{n}"
    _child([sys.executable, "-c", BUILD, "build", str(corpus), "--out", str(clean), "--quiet", "--clean"])
    same = all(
        (out / f).read_bytes() == (clean / f).read_bytes() for f in ("idm.trig", "idm.ttl", "report.json")
    )
    return {
        "agendas": n,
        "bytes": size,
        "quads": int(quads.strip() or 0),
        "build_s": round(took, 2),
        "build_peak_mb": round(peak),
        "floor_s": round(floor_s, 2),
        "floor_peak_mb": round(floor_mb),
        "ratio_s": round(took / floor_s, 1) if floor_s else None,
        "rebuild_one_changed_s": round(again_s, 2),
        "rebuild_runs_s": [round(s, 2) for s, _ in rebuilds],
        # the floor moves with the machine as the rebuild does (1.17-2.12 s at 400 agendas over
        # three days): the rebuild beside the floor measured after each rebuild (their median)
        # says what the code costs
        "rebuild_floor_runs_s": [round(f, 2) for f in floors],
        "rebuild_ratio": round(again_s / beside, 2) if beside else None,
        "rebuild_peak_mb": round(again_mb),
        "rebuild_same_bytes_as_clean": same,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    # 1,150 agendas (and their 115 records) make about a million triples
    ap.add_argument("--agendas", type=int, nargs="+", default=[100, 400, 1150])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    rows = []
    # the bytecode an installed idmgraph has (see the module's docstring)
    compileall.compile_dir(ROOT / "src" / "idmgraph", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        for n in sorted(args.agendas):
            rows.append(bench(n, Path(tmp)))
    for r in rows:
        print(
            f"build {r['agendas']} agendas ({r['bytes'] / 1e6:.1f} MB, {r['quads']:,} quads): "
            f"{r['build_s']} s, peak {r['build_peak_mb']} MB; floor (pyoxigraph loading idm.trig) "
            f"{r['floor_s']} s -> {r['ratio_s']}x; after one agenda changed {r['rebuild_one_changed_s']} s "
            f"(median of {', '.join(map(str, r['rebuild_runs_s']))}; {r['rebuild_ratio']}x the floor "
            f"measured after each, {', '.join(map(str, r['rebuild_floor_runs_s']))} s), "
            f"peak {r['rebuild_peak_mb']} MB, "
            + (
                "the same bytes as a clean build"
                if r["rebuild_same_bytes_as_clean"]
                else "NOT the bytes of a clean build"
            )
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    misses = [m for r in rows for m in targets_missed(r)]
    for m in misses:
        print(f"MISSED: {m}")
    print("every build target met" if not misses else "some targets MISSED")
    return 1 if misses else 0


def targets_missed(row: dict) -> list[str]:
    """The issue's targets a row of figures misses: 400 agendas under 12 s and 1 GB, a rebuild
    after one of them changed under 2 s; a million triples under 60 s and 2 GB; always the
    same bytes as a clean build."""
    out = []
    n = row["agendas"]
    if not row["rebuild_same_bytes_as_clean"]:
        out.append(f"{n} agendas: the rebuild did not write the bytes of a clean build")
    if n == 400:
        if row["build_s"] >= 12 or row["build_peak_mb"] >= 1024:
            out.append(f"400 agendas: {row['build_s']} s, {row['build_peak_mb']} MB (< 12 s, < 1 GB)")
        if row["rebuild_one_changed_s"] >= 2:
            out.append(f"400 agendas, one changed: {row['rebuild_one_changed_s']} s (< 2 s)")
    if row["quads"] >= 1_000_000 and (row["build_s"] >= 60 or row["build_peak_mb"] >= 2048):
        out.append(f"{row['quads']:,} quads: {row['build_s']} s, {row['build_peak_mb']} MB (< 60 s, < 2 GB)")
    return out


if __name__ == "__main__":
    sys.exit(main())
