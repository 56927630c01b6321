"""Speed of the agenda reader (``make bench``), beside the floor of the same work.

- text: a 1 MB agenda in the common layout (``idmgraph.synthetic.synthetic_agenda_text``: about
  600 days, 10,000 entries, people recurring with a heavy tail) read into records (target under
  1 s); floor: reading and decoding the file and splitting its lines.
- PDF: a 20-page "Final Agenda" with a ruled time | session table, written by the tests'
  renderer (target under 3 s); floor: pdfplumber extracting the text lines of every page.

Each figure is the median CPU time of several runs in one process, each run reading the agenda as new
(the reader's memory of lines and entries already read is dropped before it; the reference data
stay loaded, as in a build).

Usage: ``python benchmarks/ingest.py [--repeat 3] [--json FILE]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))  # the fixture renderer


def _median(fn, repeat: int) -> float:
    from idmgraph.agenda.assemble import forget_readings

    times = []
    for _ in range(repeat):
        forget_readings()  # each run reads the agenda as new: no line or entry seen before
        t = time.process_time()  # CPU time: the figure does not move with the machine's other work
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times)


def bench_text(folder: Path, repeat: int) -> dict:
    from idmgraph.agenda import parse_agenda
    from idmgraph.synthetic import synthetic_agenda_text

    path = folder / "agenda-1mb.txt"
    path.write_text(synthetic_agenda_text(1_000_000), encoding="utf-8")
    parse_agenda(ROOT / "tests" / "data" / "layouts" / "l01-iom-slots-bullets-en.txt")  # warm-up
    agenda = parse_agenda(path)
    entries = sum(len(s.moderators) + len(s.speakers) for s in agenda.sessions)
    floor = _median(lambda: path.read_bytes().decode("utf-8").splitlines(), repeat)
    took = _median(lambda: parse_agenda(path), repeat)
    return {
        "bytes": path.stat().st_size,
        "sessions": len(agenda.sessions),
        "entries": entries,
        "warnings": len(agenda.warnings),
        "seconds": took,
        "floor_s": floor,
        "ratio": took / floor if floor else None,
    }


def bench_pdf(folder: Path, repeat: int) -> dict:
    import pdfplumber

    from idmgraph.agenda import parse_agenda
    from render import agenda_lines, to_pdf

    lines = agenda_lines(ROOT / "tests" / "data" / "layouts" / "l01-iom-slots-bullets-en.txt")
    path = folder / "final-agenda.pdf"
    repeat_body = 1
    while True:  # as many copies of the programme as make 20 pages
        to_pdf(lines, path, table=True, repeat=repeat_body)
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        if pages >= 20:
            break
        repeat_body = max(repeat_body + 1, int(repeat_body * 20 / max(pages, 1)))

    def floor_run():
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text_lines()

    agenda = parse_agenda(path)
    floor = _median(floor_run, repeat)
    took = _median(lambda: parse_agenda(path), repeat)
    return {
        "pages": pages,
        "sessions": len(agenda.sessions),
        "entries": sum(len(s.moderators) + len(s.speakers) for s in agenda.sessions),
        "seconds": took,
        "floor_s": floor,
        "ratio": took / floor if floor else None,
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        text = bench_text(Path(tmp), args.repeat)
        text_ok = text["seconds"] < 1.0
        ok &= text_ok
        print(
            f"ingest of a {text['bytes'] / 1e6:.1f} MB text agenda ({text['sessions']:,} sessions, "
            f"{text['entries']:,} entries): {text['seconds']:.2f} s, floor (read and split lines) "
            f"{text['floor_s'] * 1000:.0f} ms, ratio {text['ratio']:.0f} (target < 1 s) "
            f"{'OK' if text_ok else 'MISSED'}"
        )
        pdf = bench_pdf(Path(tmp), args.repeat)
        pdf_ok = pdf["seconds"] < 3.0
        ok &= pdf_ok
        print(
            f"ingest of a {pdf['pages']}-page PDF agenda ({pdf['sessions']} sessions, "
            f"{pdf['entries']} entries): "
            f"{pdf['seconds']:.2f} s, floor (pdfplumber text lines) {pdf['floor_s']:.2f} s, "
            f"ratio {pdf['ratio']:.2f} (target < 3 s) {'OK' if pdf_ok else 'MISSED'}"
        )
    if args.json:
        args.json.write_text(json.dumps({"text": text, "pdf": pdf}, indent=2))
    print("\nall targets met" if ok else "\nsome targets MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
