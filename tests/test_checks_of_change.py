"""The SPARQL checks of a change (idmgraph.checks_of_change, issue 14): run only where a change
to a graph that passed them can have made a row, they find what the checks of the whole changed
graph find."""

import random

import pytest

from idmgraph.checks_of_change import bindings_of_change, change_form, check_patterns, run_checks_of_change
from idmgraph.quads import joined_statements
from idmgraph.store import store_of
from idmgraph.validate import check_files, run_checks


def _predicates() -> set[str]:
    """The predicates the checks' triple patterns name, as N-Triples terms."""
    found = set()
    for path in check_files():
        patterns = check_patterns(path.read_text(encoding="utf-8"))
        for pattern in () if patterns is None else (*patterns[0], *patterns[1]):
            if pattern[1].kind == "iri":
                found.add(f"<{pattern[1].value}>")
    return found


def _mutations(statements: list[str], seed: int = 14) -> list[tuple[str, list[str]]]:
    """Changes of one statement, for each predicate a check reads: one taken away, and one
    whose object is another statement's object of the same predicate (a participation of
    someone else, a contribution delivered in another session, a break with a speaker)."""
    rng = random.Random(seed)
    by_predicate: dict[str, list[str]] = {}
    for t in statements:
        by_predicate.setdefault(t.split(" ", 2)[1], []).append(t)
    out = []
    for predicate in sorted(_predicates() & set(by_predicate)):
        found = by_predicate[predicate]
        for t in rng.sample(found, min(3, len(found))):
            out.append((f"without {t}", [x for x in statements if x != t]))
            s, p, _ = t.split(" ", 2)
            other = rng.choice(found).split(" ", 2)[2]
            added = f"{s} {p} {other}"
            if added not in found:
                out.append((f"with {added}", sorted({*statements, added})))
    # a term the ontology does not declare: a property, and a class
    ontology = "<https://w3id.org/idmgraph/ontology#"
    typed = next(
        t for t in statements if t.split(" ", 2)[1:2] == [RDF_TYPE] and ontology in t.split(" ", 2)[2]
    )
    said = next(t for t in statements if t.split(" ", 2)[1].startswith(ontology))
    for t, undeclared in (
        (typed, f"{typed.split(' ', 2)[0]} {RDF_TYPE} {ontology}Undeclared>"),
        (said, said.replace(said.split(" ", 2)[1], f"{ontology}undeclared>", 1)),
    ):
        out.append((f"with {undeclared}", sorted({*statements, undeclared} - {t})))
    return out


RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def _sorted(checks: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """Each check's rows once each, sorted (the checks of a change give them so)."""
    return {name: sorted(set(rows)) for name, rows in checks.items()}


def test_the_checks_of_a_change_find_what_the_whole_graph_gives(build_all):
    before = build_all.dataset.union_statements()
    assert not any(run_checks(store_of(joined_statements(before)), union=False).values())
    mutations = _mutations(before)
    assert len(mutations) > 40
    broken = bounded = 0
    whole_of_undeclared = []
    for what, after in mutations:
        changed = sorted(set(before).symmetric_difference(after))
        store = store_of(joined_statements(after))
        whole = _sorted(run_checks(store, union=False))
        if "ndeclared" in what:
            whole_of_undeclared.append(whole["term-not-in-ontology-violation"])
            # found by lookups of the statements that changed, not by a whole run of the check
            term_check = next(p for p in check_files() if p.stem == "term-not-in-ontology-violation")
            assert bindings_of_change(change_form(term_check), changed), what
        assert run_checks_of_change(store, changed, check_files()) == whole, what
        broken += any(whole.values())
        bounded += sum(
            bindings_of_change(p.read_text(encoding="utf-8"), changed) is not None for p in check_files()
        )
    assert broken > 15  # the mutations break checks: the test can fail
    assert all(whole_of_undeclared)  # both undeclared terms are found
    assert bounded > 4 * len(mutations)  # most checks ran bounded, not whole


@pytest.mark.parametrize(
    "query, bounded",
    [
        ("SELECT ?s WHERE { ?s <http://e/p> ?o }", True),
        ("SELECT ?s WHERE { ?s <http://e/p> ?o FILTER NOT EXISTS { ?o <http://e/q> ?x } }", True),
        ("SELECT ?s WHERE { ?s <http://e/p> ?o OPTIONAL { ?o <http://e/q> ?x } }", False),
        ("SELECT ?s WHERE { ?s <http://e/p> ?o MINUS { ?o <http://e/q> ?s } }", False),
        ("SELECT ?s WHERE { ?s <http://e/p>/<http://e/q> ?o }", False),
        ("SELECT ?s WHERE { { SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s } }", False),
        ("SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s", False),
        ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 5 } }", False),
        ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o FILTER NOT EXISTS { ?o ?q ?s } } } }", False),
        ("SELECT ?s WHERE { GRAPH ?g { ?s <http://e/p> ?o } }", False),
    ],
)
def test_what_a_change_can_bound(query, bounded):
    """Triple patterns, UNION, FILTER and (NOT) EXISTS are bounded; OPTIONAL, MINUS, paths,
    GRAPH, subqueries and groupings run whole."""
    assert (check_patterns(query) is not None) == bounded


def test_a_statement_in_a_not_exists_binds_only_the_check_s_own_variables():
    """Taking away "?o q ?x" binds ?o (the check's own) and leaves ?x to the pattern; taking
    away a statement that binds none of the check's own variables runs the check whole."""
    query = "SELECT ?s WHERE { ?s <http://e/p> ?o FILTER NOT EXISTS { ?o <http://e/q> ?x } }"
    runs = bindings_of_change(query, ["<http://e/a> <http://e/q> <http://e/b>"])
    assert [{k: str(v) for k, v in run.items()} for run in runs] == [{"o": "<http://e/a>"}]
    assert bindings_of_change(query, ["<http://e/a> <http://e/other> <http://e/b>"]) == []
    assert (
        bindings_of_change(
            "SELECT ?s WHERE { ?s <http://e/p> ?o FILTER NOT EXISTS { ?x <http://e/q> ?y } }",
            ["<http://e/a> <http://e/q> <http://e/b>"],
        )
        is None
    )
    assert bindings_of_change(query, ["_:b1 <http://e/q> <http://e/b>"]) is None


def test_nothing_changed_runs_nothing():
    assert bindings_of_change("SELECT ?s WHERE { ?s <http://e/p> ?o }", []) == []


def test_a_check_with_a_form_for_changes_is_bounded_by_it_and_run_whole_as_written(tmp_path, monkeypatch):
    """``NAME.change.rq`` beside ``NAME.rq``: a change runs it bounded; where the change cannot
    be bounded by it, the check runs whole as ``NAME.rq`` says (a grouping a change cannot
    bound, written to run fast whole)."""
    import idmgraph.checks_of_change as checks_of_change

    check = tmp_path / "p-violation.rq"
    check.write_text("SELECT ?s WHERE { { SELECT ?s WHERE { ?s <http://e/p> ?o } GROUP BY ?s } }")
    assert change_form(check) == check.read_text()
    (tmp_path / "p-violation.change.rq").write_text("SELECT DISTINCT ?s WHERE { ?s <http://e/p> ?o }")
    assert change_form(check).startswith("SELECT DISTINCT")
    store = store_of("<http://e/a> <http://e/p> <http://e/b> .\n<http://e/c> <http://e/q> <http://e/d> .\n")
    ran = []
    real = checks_of_change.select
    monkeypatch.setattr(checks_of_change, "select", lambda s, q, union: ran.append(q) or real(s, q, union=union))
    changed = ["<http://e/a> <http://e/p> <http://e/b>"]
    assert run_checks_of_change(store, changed, [check]) == {"p-violation": [("<http://e/a>",)]}
    assert ran == []  # bounded by the form for changes
    monkeypatch.setattr(checks_of_change, "MOST_RUNS", 0)
    assert run_checks_of_change(store, changed, [check]) == {"p-violation": [("<http://e/a>",)]}
    assert ran == [check.read_text()]  # whole, as the check is written
