"""The query page researchers already know (issue 13, point 1): YASGUI from the npm registry,
pinned by version and integrity hash, fetched at install time into the package, served by
idmgraph itself, never fetched at run time; the plain form where it could not be had.

The Chromium tests need the installed files (``make`` fetches them). Where they are missing the
tests skip and say so, unless ``IDMGRAPH_REQUIRE_YASGUI=1`` (set by ``.ci/run``): then it fails.
"""

import hashlib
import io
import json
import os
import tarfile

import pytest

from idmgraph.serve import app as app_module
from idmgraph.serve import create_app
from idmgraph.serve.vendor import YASGUI, installed, installed_yasgui, integrity_of, read_pin, unpack
from stores import idmgraph_serving


def _tarball(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


@pytest.fixture
def fake_package():
    data = _tarball(
        {
            "package/build/yasgui.min.js": b"var Yasgui = 1;",
            "package/build/yasgui.min.css": b".yasgui {}",
            "package/build/yasgui.esm.js": b"export default 1;",
            "package/../../outside.txt": b"never written",
        }
    )
    pin = dict(YASGUI, version="0.0.1", integrity=integrity_of(data))
    return data, pin


def test_only_the_pinned_files_of_a_verified_tarball_are_unpacked(tmp_path, fake_package):
    data, pin = fake_package
    folder = unpack(data, tmp_path / "yasgui", pin)
    assert sorted(p.name for p in folder.iterdir()) == ["PIN.json", "yasgui.min.css", "yasgui.min.js"]
    assert not (tmp_path.parent / "outside.txt").exists() and not list(tmp_path.rglob("outside.txt"))
    record = read_pin(folder)
    assert record["version"] == "0.0.1" and record["integrity"] == pin["integrity"]
    assert record["files"]["yasgui.min.js"] == hashlib.sha256(b"var Yasgui = 1;").hexdigest()
    assert installed(folder, pin) and not installed(folder, YASGUI)  # another version is not it
    (folder / "yasgui.min.js").write_text("alert('changed')")
    assert not installed(folder, pin)


def test_a_tarball_that_hashes_otherwise_is_refused(tmp_path, fake_package):
    data, pin = fake_package
    with pytest.raises(ValueError, match="is not the pinned"):
        unpack(data + b"\0", tmp_path / "yasgui", pin)
    assert not (tmp_path / "yasgui").exists()


def test_without_yasgui_the_page_is_the_plain_form_and_says_so(store_2017, monkeypatch):
    from starlette.testclient import TestClient

    monkeypatch.setattr(app_module, "installed_yasgui", lambda: None)
    client = TestClient(create_app(store_2017, max_rows=100))
    page = client.get("/")
    assert page.status_code == 200 and 'id="notice"' in page.text and "not installed" in page.text
    assert 'id="q"' in page.text and "who-spoke-on-theme" in page.text
    assert client.get(f"/static/yasgui/{YASGUI['version']}/yasgui.min.js").status_code == 404


def _require_yasgui():
    if installed_yasgui() is None:
        reason = "YASGUI is not installed (make fetches it from the npm registry)"
        if os.environ.get("IDMGRAPH_REQUIRE_YASGUI") == "1":
            pytest.fail(reason + ", and IDMGRAPH_REQUIRE_YASGUI=1 says it must be")
        pytest.skip(reason)


def test_yasgui_files_are_served_under_their_version_and_nothing_else(store_2017):
    from starlette.testclient import TestClient

    _require_yasgui()
    client = TestClient(create_app(store_2017, max_rows=100))
    version = YASGUI["version"]
    script = client.get(f"/static/yasgui/{version}/yasgui.min.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "immutable" in script.headers["cache-control"]
    assert (
        hashlib.sha256(script.content).hexdigest() == read_pin(installed_yasgui())["files"]["yasgui.min.js"]
    )
    for wrong in (f"/static/yasgui/{version}/PIN.json", "/static/yasgui/0.0.0/yasgui.min.js",
                  f"/static/yasgui/{version}/..%2F..%2F__init__.py"):  # fmt: skip
        assert client.get(wrong).status_code == 404, wrong
    plugins = client.get("/static/idmgraph/yasr-plugins.js")
    assert plugins.status_code == 200 and 'registerPlugin("pivot"' in plugins.text
    assert client.get("/static/idmgraph/..%2Ftemplates%2Fyasgui.html").status_code == 404
    page = client.get("/")
    assert f'src="/static/yasgui/{version}/yasgui.min.js"' in page.text
    policy = page.headers["content-security-policy"]
    assert "connect-src 'self'" in policy and "script-src 'self'" in policy and "default-src 'none'" in policy


def test_the_page_describes_the_dataset_with_checksums_of_its_dumps(store_2017):
    from starlette.testclient import TestClient

    client = TestClient(create_app(store_2017, max_rows=100))
    for page in (client.get("/").text, client.get("/?plain=1").text):
        start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
        data = json.loads(page[start : page.index("</script>", start)])
        nodes = {n["@id"]: n for n in data["@graph"]}
        dataset = nodes["http://testserver/void#dataset"]
        assert "schema:Dataset" in dataset["@type"] and "dcat:Dataset" in dataset["@type"]
        assert dataset["schema:license"] == [{"@id": "https://creativecommons.org/licenses/by/4.0/"}]
        sums = {
            n["schema:contentUrl"][0]["@id"]: n["schema:sha256"][0]["@value"]
            for n in nodes.values()
            if "schema:sha256" in n
        }
        assert set(sums) == {"http://testserver/dumps/idm.trig.gz", "http://testserver/dumps/idm.nq.gz"}
        for url, sha256 in sums.items():
            body = client.get(url.replace("http://testserver", ""))
            assert hashlib.sha256(body.content).hexdigest() == sha256


@pytest.fixture(scope="module")
def live_root(store_2017):
    with idmgraph_serving(store_2017) as root:
        yield root


def test_yasgui_in_chromium_select_construct_and_a_research_query(live_root):
    from browser import CHROMIUM, browser_page

    if CHROMIUM is None:
        pytest.skip("Debian chromium is not installed (.ci/run installs it)")
    _require_yasgui()
    rows = "document.querySelectorAll('.tabPanel.active .yasr tbody tr').length"
    cells = (
        "[...document.querySelectorAll('.tabPanel.active .yasr tbody tr')]"
        ".map(r => [...r.cells].slice(1).map(c => c.textContent.trim()))"
    )
    with browser_page(1400, 900) as (page, requests):
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(live_root + "/")
        page.wait_for_selector(".CodeMirror")
        # the editor highlights SPARQL; the default query runs from the page's button
        assert page.locator(".cm-keyword").count() > 0
        page.click(".tabPanel.active .yasqe_queryButton")
        page.wait_for_function(f"{rows} > 0", timeout=30_000)
        select = page.evaluate(cells)
        # CONSTRUCT, drawn as subject, predicate, object
        panel2 = (
            "PREFIX idm: <https://w3id.org/idmgraph/ontology#>\n"
            "CONSTRUCT { ?p <http://xmlns.com/foaf/0.1/name> ?n } WHERE {\n"
            "  ?x idm:session <https://w3id.org/idmgraph/id/event/idm-2017-04-18-new-york/2017-04-18T15-00> ;\n"
            "     idm:participant ?p . ?p <http://xmlns.com/foaf/0.1/name> ?n }"
        )
        editor = "document.querySelector('.tabPanel.active .CodeMirror').CodeMirror"
        page.evaluate(f"{editor}.setValue({json.dumps(panel2)})")
        page.click(".tabPanel.active .yasqe_queryButton")
        page.wait_for_function(
            "document.querySelector('.tabPanel.active .yasr thead') && "
            "document.querySelector('.tabPanel.active .yasr thead').textContent.includes('predicate')",
            timeout=30_000,
        )
        construct = page.evaluate(cells)
        # a person's IRI opens this server's page for them
        with page.context.expect_page() as person_page:
            page.locator(".tabPanel.active .yasr tbody a[href*='/id/person/']").first.click()
        person_url = person_page.value.url
        # a research query opened from the list beside the editor, in a tab of its own
        page.click("button[data-query='people-by-state']")
        page.wait_for_selector(".tabPanel.active .CodeMirror")
        opened = page.evaluate(f"{editor}.getValue()")
        page.click(".tabPanel.active .yasqe_queryButton")
        page.wait_for_function(f"{rows} > 0", timeout=30_000)
        by_state = page.evaluate(cells)
        page.screenshot(path="/tmp/yasgui-page.png")
        # idmgraph's own result views: a chart and a pivot table of people per session and role
        counts = (
            "PREFIX idm: <https://w3id.org/idmgraph/ontology#>\n"
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "SELECT ?session ?role (COUNT(*) AS ?people) WHERE {\n"
            "  ?p idm:role/skos:prefLabel ?role ; idm:session ?session . FILTER(lang(?role) = 'en')\n"
            "} GROUP BY ?session ?role"
        )
        page.evaluate(f"{editor}.setValue({json.dumps(counts)})")
        page.click(".tabPanel.active .yasqe_queryButton")
        page.wait_for_function(f"{rows} > 0", timeout=30_000)
        page.click(".tabPanel.active .select_chart")
        bars = page.locator(".tabPanel.active .idm-chart rect").count()
        page.click(".tabPanel.active .select_pivot")
        page.select_option(".tabPanel.active .idm-pivot select >> nth=2", "people")
        pivot_head = page.evaluate(
            "[...document.querySelectorAll('.tabPanel.active .idm-pivot-table thead th')].map(c => c.textContent)"
        )
        pivot_total = page.evaluate(
            "[...document.querySelectorAll('.tabPanel.active .idm-pivot-table tfoot td')].map(c => c.textContent)"
        )

    assert not errors
    assert any("Laura Thompson" in row for row in select) and any("moderator" in row for row in select)
    # Panel 2: a moderator and four speakers, each named once
    names = sorted(row[2].split('"')[1] for row in construct)
    assert {row[1] for row in construct} == {"foaf:name"} and len(names) == 5
    assert names[:2] == ["Alex Zalami", "El Habib Nadir"]
    assert opened.startswith("#") and "?state" in opened
    assert any("Juan José Gómez Camacho" in " ".join(row) for row in by_state)
    assert person_url.startswith(live_root + "/id/person/")
    # 14 (session, role) pairs; 8 sessions, each with speakers, six with a moderator: 37 in all
    assert bars == 14
    assert pivot_head[1:] == ["moderator", "speaker", "total"] and pivot_total[-1] == "37"
    # nothing asked of any other server: no registry, no CDN, no prefix service
    assert requests and all(u.startswith(live_root) for u in requests)
