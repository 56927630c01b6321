"""Golden files per stage for the test agendas: records (ingest JSON) and the source and entities
graphs (Turtle, compared by isomorphism). ``data/layouts/`` holds one agenda per layout family of
the genre (English, French, Spanish), each golden file checked by hand against its agenda.
Rewrite them only on purpose: ``pytest --update-golden``, then review the diff."""

import json

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from conftest import AGENDAS, GOLDEN, LAYOUTS
from idmgraph import iris
from idmgraph.agenda import parse_agenda
from idmgraph.build import run_build

PATHS = {p.stem: p for folder in (AGENDAS, LAYOUTS) for p in folder.glob("*.txt")}
FIXTURES = sorted(PATHS)


@pytest.mark.parametrize("stem", FIXTURES)
def test_records(stem, update_golden):
    data = parse_agenda(PATHS[stem]).to_json()
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    path = GOLDEN / f"{stem}.records.json"
    if update_golden:
        path.write_text(text, encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text)


@pytest.mark.parametrize("stem", FIXTURES)
def test_source_graph(stem, update_golden, tmp_path):
    result = run_build([PATHS[stem]], None)
    got, ds = Graph(), result.dataset.to_rdflib()
    for graph in (iris.source_graph(stem), iris.ENTITIES_GRAPH):
        for t in ds.graph(graph):
            got.add(t)
    path = GOLDEN / f"{stem}.graph.ttl"
    if update_golden:
        path.write_text(got.serialize(format="turtle"), encoding="utf-8")
    want = Graph().parse(path, format="turtle")
    if not isomorphic(got, want):
        _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
        lines = [f"+ {t}" for t in sorted(only_got)][:20] + [f"- {t}" for t in sorted(only_want)][:20]
        pytest.fail("source graph differs from golden:\n" + "\n".join(map(str, lines)))
