"""The build describes itself for data catalogues (issue 13, point 3): DCAT and schema.org, with
its files' SHA-256, the pages its sources were read from, and no date of its own making (the
same sources give the same bytes)."""

import hashlib

import pyoxigraph as ox

from idmgraph.build import run_build

DCAT = "http://www.w3.org/ns/dcat#"
SCHEMA = "https://schema.org/"


def _description(folder):
    store = ox.Store()
    store.load(path=str(folder / "dataset.ttl"), format=ox.RdfFormat.TURTLE)
    return store


def test_the_build_lists_its_files_with_their_checksums(build_2017):
    folder = build_2017.out_dir
    store = _description(folder)
    rows = store.query(
        "SELECT ?name ?sha ?size WHERE { <https://w3id.org/idmgraph/id/dataset> a <https://schema.org/Dataset> ; "
        "<http://www.w3.org/ns/dcat#distribution> ?d . ?d <https://schema.org/name> ?name ; "
        "<https://schema.org/sha256> ?sha ; <http://www.w3.org/ns/dcat#byteSize> ?size }"
    )
    listed = {r["name"].value: (r["sha"].value, int(r["size"].value)) for r in rows}
    assert set(listed) == {"idm.trig", "idm.ttl", "participations.csv"}
    for name, (sha, size) in listed.items():
        data = (folder / name).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (sha, size), name
    sources = {
        r["s"].value for r in store.query("SELECT ?s WHERE { ?d <http://purl.org/dc/terms/source> ?s }")
    }
    assert any(u.startswith("https://www.iom.int/") for u in sources)
    modified = next(iter(store.query("SELECT ?m WHERE { ?d <http://purl.org/dc/terms/modified> ?m }")))["m"]
    assert modified.value == "2026-11-27"  # the day the source was read, as its source.yml says


def test_the_same_sources_give_the_same_description(build_2017, tmp_path):
    from conftest import SOURCES

    again = run_build([SOURCES], tmp_path / "again")
    assert again.files["dataset.ttl"].read_bytes() == (build_2017.out_dir / "dataset.ttl").read_bytes()
