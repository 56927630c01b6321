"""The SHACL engines on PyPI on the build's shapes and the same data, valid and broken
(``make bench``): pySHACL (the reference), pyshacl-turbo (what the build runs) and pyrudof,
each in a child process that reports its time and peak memory, and the violations each finds
(as focus node, path and constraint) compared with pySHACL's.

The data is a synthetic graph of about ``--triples`` triples (``idmgraph.synthetic``), as the
union of its graphs in N-Triples; "broken" drops one in ten participations' ``idm:session``
and one in ten sessions' ``rdfs:label``. pyrudof is not a dependency of idmgraph: give the
Python that has it with ``--rudof-python`` (``python -m venv R && R/bin/pip install pyrudof``);
without it, its row says so.

Usage: ``python benchmarks/shacl_engines.py [--triples 200000] [--rudof-python PATH]``
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from children import REPORT_PEAK, run_child  # noqa: E402

IDM = "https://w3id.org/idmgraph/ontology#"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
# each child prints its violations as JSON on stdout and its peak memory last on stderr
PYSHACL = f"""
import json, sys
from rdflib import Graph
from idmgraph.validate import shacl_results
data = Graph().parse(sys.argv[1], format="nt")
found = shacl_results(data, engine="pyshacl")
print(json.dumps(sorted({{(r.focus, r.path or "", r.constraint) for r in found}})))
{REPORT_PEAK}
"""
TURBO = f"""
import json, sys
from idmgraph.validate import shacl_results
with open(sys.argv[1], encoding="utf-8") as f:
    found = shacl_results(f.read(), engine="turbo")
print(json.dumps(sorted({{(r.focus, r.path or "", r.constraint) for r in found}})))
{REPORT_PEAK}
"""
RUDOF = f"""
import json, sys
import pyrudof
rudof = pyrudof.Rudof(pyrudof.RudofConfig())
rudof.read_data(sys.argv[1], format=pyrudof.RDFFormat.NTriples)
rudof.read_shacl(sys.argv[2])
report = rudof.validate_shacl()
found = {{(str(e.focus_node), str(e.path or ""), str(e.constraint_component))
         for e in report if str(e.severity) == "Violation"}}
print(json.dumps(sorted(found)))
{REPORT_PEAK}
"""


def write_data(folder: Path, triples: int) -> tuple[Path, Path]:
    """(valid, broken) N-Triples files of the union of a synthetic graph's graphs."""
    from idmgraph.build import dataset_from_agendas
    from idmgraph.synthetic import events_for_triples, synthetic_agendas

    _, ds = dataset_from_agendas(synthetic_agendas(events_for_triples(triples)), near_miss=False)
    text = ds.ntriples()
    lines = text.splitlines(keepends=True)
    valid = folder / "valid.nt"
    valid.write_text(text, encoding="utf-8")
    broken_lines, seen = [], {"session": 0, "label": 0}
    for line in lines:
        if f" <{IDM}session> " in line:
            seen["session"] += 1
            if seen["session"] % 10 == 0:
                continue
        if f" {RDFS_LABEL} " in line and "/session/" in line.split(" ", 1)[0]:
            seen["label"] += 1
            if seen["label"] % 10 == 0:
                continue
        broken_lines.append(line)
    broken = folder / "broken.nt"
    broken.write_text("".join(broken_lines), encoding="utf-8")
    return valid, broken


def _run(args: list[str]) -> dict:
    took, peak, done = run_child(args)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return {
        "seconds": round(took, 2),
        "peak_mb": round(peak),
        "violations": [tuple(v) for v in json.loads(done.stdout)],
    }


def main(argv=None) -> int:
    from idmgraph.validate import SHAPES_PATH

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=200_000)
    ap.add_argument("--rudof-python", default=None, help="a Python that has pyrudof installed")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        valid, broken = write_data(Path(tmp), args.triples)
        for label, path in (("valid", valid), ("broken", broken)):
            size = sum(1 for _ in path.open(encoding="utf-8"))
            reference = _run([sys.executable, "-c", PYSHACL, str(path)])
            engines = {
                "pySHACL": reference,
                "pyshacl-turbo": _run([sys.executable, "-c", TURBO, str(path)]),
                "pyrudof": _run([args.rudof_python, "-c", RUDOF, str(path), str(SHAPES_PATH)])
                if args.rudof_python
                else {"error": "not measured (give --rudof-python)"},
            }
            want = set(reference.get("violations", []))
            for name, got in engines.items():
                row = {"data": label, "triples": size, "engine": name, **got}
                if "violations" in got:
                    have = set(got.pop("violations"))
                    row.update(found=len(have), missed=len(want - have), extra=len(have - want))
                rows.append(row)
    for r in rows:
        if "error" in r:
            print(f"{r['data']:<6} {r['triples']:,} triples  {r['engine']:<14} {r['error']}")
        else:
            print(
                f"{r['data']:<6} {r['triples']:,} triples  {r['engine']:<14} {r['seconds']:>6} s "
                f"{r['peak_mb']:>5} MB  {r['found']} violations ({r['missed']} of pySHACL's missed, "
                f"{r['extra']} more)"
            )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
