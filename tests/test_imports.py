"""Every module of idmgraph imports first, on its own: a user's ``from idmgraph.sources import
find_sources`` must not meet an import cycle that importing the package in another order hides."""

import pkgutil
import subprocess
import sys

import idmgraph

CHECK = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "idmgraph" or m.startswith("idmgraph.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{name}: {type(exc).__name__}: {exc}")
print("\\n".join(failed))
"""


def test_each_module_imports_first_on_its_own():
    names = [m.name for m in pkgutil.walk_packages(idmgraph.__path__, "idmgraph.") if "_vendor" not in m.name]
    assert "idmgraph.sources" in names and "idmgraph.agenda.assemble" in names
    done = subprocess.run([sys.executable, "-c", CHECK, *names], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
