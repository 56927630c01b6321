"""Packs idmgraph's bundled files into the wheel.

The repository keeps the ontology at ``ontology/`` and the reference data at ``data/reference/``
(where curators and readers look for them); the package reads them through ``idmgraph.paths``,
which finds them as ``idmgraph/_data/ontology`` and ``idmgraph/_data/reference`` in an installed
wheel. An editable install reads the repository's own, so nothing is copied there.

The query page's YASGUI files are not in the repository: the wheel takes the copy ``make`` fetched
into ``src/idmgraph/_vendor/`` or fetches them from the npm registry, pinned by version and
integrity hash (``idmgraph/serve/vendor.py``); without them the page falls back to its plain form.
"""

import runpy
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BUNDLED = {"ontology": HERE / "ontology", "reference": HERE / "data" / "reference"}


class BuildWithBundledData(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "idmgraph" / "_data"
        for name, source in BUNDLED.items():
            if not source.is_dir():
                raise SystemExit(f"{source}: missing; build the wheel from a checkout or an sdist")
            shutil.copytree(source, target / name, dirs_exist_ok=True)
        vendor = runpy.run_path(str(HERE / "src" / "idmgraph" / "serve" / "vendor.py"))
        vendor["main"]([str(Path(self.build_lib) / "idmgraph" / "_vendor")])


setup(cmdclass={"build_py": BuildWithBundledData})
