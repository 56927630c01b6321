"""IRIs the build mints: never empty, never shared by two names, whatever the script."""

from idmgraph.build import run_build
from idmgraph.query import IDMGraph
from idmgraph.store import open_store
from idmgraph.text import slug

AGENDA = """Regional dialogue
Geneva, 4 May 2021

10:00 - 11:00 Panel 1: Data
Speakers:
- 王伟, Director, National Bureau of Statistics, China
- 李明, Director, National Immigration Administration, China
- Иван Петров, Director, Federal Migration Service, Russian Federation
- Пётр Иванов, Adviser, Federal Migration Service, Russian Federation
- محمد علي, Director, Ministry of Labour, Egypt
"""


def test_names_in_any_script_get_keys_of_their_own():
    names = ["王伟", "李明", "Иван Петров", "Пётр Иванов", "محمد علي", "Jürg Lauber"]
    keys = [slug(n) for n in names]
    assert all(keys) and len(set(keys)) == len(keys)
    assert slug("Jürg Lauber") == "jurg-lauber"  # Latin names keep their readable keys
    assert slug("王伟") == slug(" 王伟 ")  # stable for a given folded name


def test_people_with_names_in_other_scripts_are_five_people(tmp_path):
    path = tmp_path / "scripts-en.txt"
    path.write_text(AGENDA, encoding="utf-8")
    result = run_build([path], tmp_path / "build")  # SHACL passes: no empty, no shared IRI
    g = IDMGraph(open_store(result.out_dir))
    df = g.query("session-speakers")
    assert sorted(df.name) == sorted(["王伟", "李明", "Иван Петров", "Пётр Иванов", "محمد علي"])
    assert df.person.nunique() == 5 and not any(p.endswith("/person/") for p in df.person)
