"""A plain install works as well as the editable one (issue 13, point 2): the wheel is built from
a copy of the checkout, installed in a fresh virtual environment outside it, and used from a
folder that is not the checkout: build, query, serve, with the ontology, shapes, queries,
reference data and templates read from the installed package."""

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import httpx
import pytest

from conftest import ROOT
from idmgraph.serve.vendor import YASGUI, installed_yasgui
from stores import start_idmgraph_serve

# what an sdist carries (MANIFEST.in); the wheel is built from it, as pip builds from an sdist
SHIPPED = [
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "LICENSE",
    "src",
    "ontology",
    "data/reference",
]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("install")
    tree = tmp / "tree"
    for part in SHIPPED:
        source, target = ROOT / part, tree / part
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    wheels = tmp / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                    str(wheels), str(tree)], check=True, capture_output=True)  # fmt: skip
    (wheel,) = wheels.glob("idmgraph-*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True)  # fmt: skip
    # the dependencies come from the test environment (nothing downloaded): its site-packages
    # as a plain path, so its editable idmgraph (a .pth of its own) is never seen
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()  # fmt: skip
    Path(site, "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp / "work"
    shutil.copytree(ROOT / "data" / "sources", work / "data" / "sources")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "IDMGRAPH_PROJECT")}
    return venv, work, env


def _run(venv, work, env, *args):
    return subprocess.run([str(venv / "bin" / "idmgraph"), *args], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def test_the_installed_package_reads_its_own_files(installed):
    venv, work, env = installed
    probe = "import idmgraph, idmgraph.paths as p; print(idmgraph.__file__); print(p.bundled('ontology')); print(p.in_checkout())"
    out = subprocess.run([str(venv / "bin" / "python"), "-c", probe], cwd=work, env=env,
                         capture_output=True, text=True, check=True).stdout.split("\n")  # fmt: skip
    assert out[0].startswith(str(venv)) and out[1].startswith(str(venv)) and out[2] == "False"
    assert Path(out[1], "shapes.ttl").is_file()


def test_build_query_and_serve_from_the_wheel(installed):
    venv, work, env = installed
    built = _run(venv, work, env, "build")
    assert built.returncode == 0, built.stderr
    assert (work / "data" / "build" / "idm.trig").is_file()
    listed = _run(venv, work, env, "query", "--list")
    assert (
        listed.returncode == 0
        and "who-spoke-on-theme" in listed.stdout
        and "session-speakers" in listed.stdout
    )
    speakers = _run(
        venv, work, env, "query", "who-spoke-on-theme", "--param", "theme=10.7", "--format", "csv"
    )
    assert speakers.returncode == 0 and "Panel 1" in speakers.stdout, speakers.stderr
    # another folder, the project named with --project
    elsewhere = _run(venv, work.parent, env, "--project", str(work), "query", "--list")
    assert elsewhere.returncode == 0 and "who-spoke-on-theme" in elsewhere.stdout
    server, url = start_idmgraph_serve(
        "--workers", "1", command=[str(venv / "bin" / "idmgraph")], cwd=work, env=env
    )
    try:
        home = httpx.get(url + "/", timeout=10)
        assert home.status_code == 200 and "who-spoke-on-theme" in home.text
        if installed_yasgui() is not None:  # the checkout has YASGUI: the wheel carries it too
            script = f"/static/yasgui/{YASGUI['version']}/yasgui.min.js"
            assert script in home.text and httpx.get(url + script).status_code == 200
        ask = httpx.get(url + "/sparql", params={"query": "ASK { ?s a <http://xmlns.com/foaf/0.1/Person> }"},
                        headers={"Accept": "application/sparql-results+json"})  # fmt: skip
        assert ask.json()["boolean"] is True
        ontology = httpx.get(url + "/ontology", headers={"Accept": "text/html"})
        assert ontology.status_code == 200
        if importlib.util.find_spec("pylode"):  # the build documented the ontology with pyLODE
            assert (work / "data" / "build" / "ontology.html").is_file() and "pyLODE" in ontology.text
    finally:
        server.terminate()
        server.wait(timeout=20)
