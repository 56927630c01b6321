"""Notebooks are kept without outputs and only call the package (they run under --nbmake)."""

import json
from pathlib import Path

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


def test_the_notebooks_are_stripped_of_outputs():
    assert [p.stem for p in NOTEBOOKS] == [
        "01-who-spoke-on-which-theme",
        "02-participation-network",
        "03-careers-across-events",
        "04-the-making-of-the-global-compact",
    ]
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


def test_notebooks_define_no_functions_or_classes():
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        assert "\ndef " not in "\n" + code and "\nclass " not in "\n" + code, path.name


def test_notebook_1_shows_its_chart_when_executed():
    """Run as a reader runs it (a Jupyter kernel): the chart is in the executed notebook's outputs."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    images = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})
    ]
    assert len(images) == 1
    table = next(c for c in nb.cells if c.cell_type == "code" and '"10.7"' in c.source)
    html = "".join(o["data"].get("text/html", "") for o in table.outputs if "data" in o)
    assert "mapping" in html  # SDG 10.7 reached through the mappings
