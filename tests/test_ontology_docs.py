"""The ontology's HTML documentation (issue 13, point 3): made by pyLODE when the graph is built,
reused while the ontology is unchanged, served at /ontology to browsers."""

import pytest
from starlette.testclient import TestClient

from idmgraph import ontology_docs
from idmgraph.build import run_build
from idmgraph.serve import create_app

pytest.importorskip("pylode", reason="pyLODE is the optional extra 'docs' (make installs it)")


@pytest.fixture(scope="module")
def page(build_2017):
    return (build_2017.out_dir / "ontology.html").read_bytes()


def test_the_build_documents_the_ontology_in_english(page):
    text = page.decode("utf-8")
    assert text.startswith("<!-- idmgraph ontology documentation: sha256 ")
    assert "<title>idmgraph ontology</title>" in text
    assert 'id="participation"' in text and "https://w3id.org/idmgraph/ontology#Participation" in text
    assert "https://w3id.org/idmgraph/ontology/0.1.0" in text  # its version IRI
    assert "https://creativecommons.org/licenses/by/4.0/" in text
    # one language a page: pyLODE would run "State" and "État" together
    assert ">State<" in text and "État" not in text and "<script src" not in text


def test_an_unchanged_ontology_is_not_rendered_again(build_2017, page, monkeypatch):
    import pylode

    def refuse(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(pylode, "OntPub", refuse)
    assert ontology_docs.render_ontology_docs(build_2017.out_dir / "ontology.html") == page


def test_without_pylode_the_build_writes_no_page(tmp_path, monkeypatch):
    from conftest import SOURCES

    monkeypatch.setattr(ontology_docs, "_pylode_version", lambda: None)
    result = run_build([SOURCES], tmp_path / "build")
    assert "idm.trig" in result.files and not (tmp_path / "build" / "ontology.html").exists()


def test_browsers_get_the_documentation_and_rdf_clients_the_ontology(store_2017, page):
    with_docs = TestClient(create_app(store_2017, ontology_html=page))
    html = with_docs.get("/ontology", headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.content == page
    assert "script-src" not in html.headers["content-security-policy"]
    assert "img-src 'self' data:" in html.headers["content-security-policy"]
    turtle = with_docs.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle") and "owl:Ontology" in turtle.text
    # a build without the page: the server's own description of the ontology
    plain = TestClient(create_app(store_2017)).get("/ontology", headers={"Accept": "text/html"})
    assert plain.status_code == 200 and "pyLODE" not in plain.text
