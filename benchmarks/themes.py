"""Theme tagging quality: precision and recall of the keyword rules (data/reference/theme-rules.yml)
against the reviewed gold standard tests/golden/session-themes.yml, on the agendas the rules were
written with and on held-out agendas labelled after the rules were fixed (the honest figure).
Targets on the first: precision >= 0.9, recall >= 0.8 (held by tests/test_theme_quality.py).

    python benchmarks/themes.py [--misses]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "golden" / "session-themes.yml"


def main() -> int:
    from idmgraph.themes import score_gold_file

    ap = argparse.ArgumentParser()
    ap.add_argument("--misses", action="store_true", help="list the missed and the wrong themes")
    args = ap.parse_args()
    ok = True
    parts = (("agendas", "test agendas (rules written with them)"), ("heldout", "held-out agendas"))
    for part, label in parts:
        s = score_gold_file(GOLD, part, ROOT)
        line = (
            f"theme rules on {label}: {s.sessions} sessions, {s.gold} themes in the gold, {s.found} found, "
            f"{s.correct} right: precision {s.precision:.2f}, recall {s.recall:.2f}"
        )
        if part == "agendas":
            good = s.precision >= 0.9 and s.recall >= 0.8
            ok &= good
            line += f" (target >= 0.90, >= 0.80) {'OK' if good else 'MISSED'}"
        else:
            line += " (measured, no target)"
        print(line)
        if args.misses:
            for kind, pairs in (("missed", s.missed), ("wrong", s.wrong)):
                for key, session, theme in pairs:
                    print(f"  {kind}: {Path(key).name} {session} {theme}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
