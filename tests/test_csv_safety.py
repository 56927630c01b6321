"""CSV files meant for spreadsheets never carry a formula (issue 11, point 10); the SPARQL
endpoint's CSV stays standard."""

import csv
import io

from idmgraph.build import run_build
from idmgraph.cli import main
from idmgraph.network import read_network_data
from idmgraph.network.export import analyze, write_analysis

AGENDA = """Dialogue
Geneva, 4 May 2021

10:00 - 11:00 Panel 1: Data
Speakers:
- Jane Roe, =HYPERLINK("http://evil.example/x"), Ministry of Labour, Spain
- John Doe, +Director, @Example Network, Kenya
"""

RISKY = ("=", "+", "-", "@", "\t", "\r")


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_no_csv_for_spreadsheets_starts_a_formula(tmp_path, capsys):
    path = tmp_path / "risky-en.txt"
    path.write_text(AGENDA, encoding="utf-8")
    result = run_build([path], tmp_path / "build")
    table = (result.out_dir / "participations.csv").read_text(encoding="utf-8")
    cells = _cells(table)
    assert any("HYPERLINK" in c for c in cells)  # the text is kept...
    assert not [c for c in cells if c.startswith(RISKY)]  # ...but never as a formula
    assert main(["query", "session-speakers", "--build", str(result.out_dir), "--format", "csv"]) == 0
    cells = _cells(capsys.readouterr().out)
    assert any("HYPERLINK" in c for c in cells) and not [c for c in cells if c.startswith(RISKY)]
    files = write_analysis(analyze(read_network_data(build_dir=result.out_dir)), tmp_path / "analysis")
    for name, file in files.items():
        if name.endswith(".csv"):
            assert not [c for c in _cells(file.read_text(encoding="utf-8")) if c.startswith(RISKY)], name


def test_workbooks_and_excel_csv_keep_accents_and_carry_no_formula(tmp_path, capsys):
    import openpyxl

    path = tmp_path / "risky-en.txt"
    path.write_text(AGENDA.replace("Jane Roe", "Jürg Lauber-Niño"), encoding="utf-8")
    out = run_build([path], tmp_path / "build").out_dir
    book = tmp_path / "speakers.xlsx"
    args = ["query", "session-speakers", "--build", str(out)]
    assert main([*args, "--format", "xlsx", "--output", str(book)]) == 0
    sheet = openpyxl.load_workbook(book).active
    cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("Jürg Lauber-Niño" in c for c in cells)
    assert not [c for c in cells if c.startswith(RISKY)] and not [c for c in cells if c.startswith("=")]
    assert main([*args, "--format", "xlsx"]) == 2  # a workbook is not for the terminal
    capsys.readouterr()
    assert main([*args, "--format", "csv", "--excel"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("\ufeff") and "Jürg Lauber-Niño" in text
    assert main([*args, "--format", "csv"]) == 0
    assert not capsys.readouterr().out.startswith("\ufeff")
