"""Bad input is an error that names the file, the line and the field, with exit code 2, never a
traceback (issue 11, point 11): source.yml checked against its fields, YAML aliases refused,
malformed curation files, hostile parameter values."""

import pytest

from idmgraph.cli import main
from idmgraph.records import AgendaError
from idmgraph.themes import load_theme_curation

AGENDA = (
    "Dialogue\nGeneva, 4 May 2021\n\n10:00 - 11:00 Panel 1: Data\n- Jane Roe, Minister of Labour, Spain\n"
)


@pytest.mark.parametrize(
    "field, message",
    [
        ("themes: topic:data", "2: unknown field 'themes'"),
        ("expected: many", "2: 'expected' must be a mapping"),
        ("event: {start_date: yesterday}", "2: 'event.start_date' must be a date"),
        ("event: 5", "2: 'event' must be a mapping"),
        ("id: [1, 2]", "2: 'id' must be lower-case letters"),
        ("retrieved: yesterday", "2: 'retrieved' must be a date"),
        ("language: 7", "2: 'language' must be en, fr or es"),
        ("event:\n  themes: [nonsense:x]", "3: 'event.themes' has 'nonsense:x'"),
        ("event:\n  themes: topic:data", "3: 'event.themes' must be a list"),
        ("expected:\n  people: lots", "3: 'expected.people' must be a whole number or a list of names"),
        ("url: 'javascript:alert(1)'", "2: 'url' must be an http:// or https:// address"),
        ("a: &x [1, 2]\nb: *x", "3: YAML aliases"),
    ],
)
def test_a_bad_source_yml_names_its_line_and_field(tmp_path, capsys, field, message):
    (tmp_path / "agenda.txt").write_text(AGENDA, encoding="utf-8")
    (tmp_path / "source.yml").write_text(f"file: agenda.txt\n{field}\n", encoding="utf-8")
    assert main(["build", str(tmp_path / "agenda.txt"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"source.yml:{message}" in err and "Traceback" not in err


def test_a_yaml_bomb_is_refused_before_it_expands(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 12)]
    path = tmp_path / "session-themes.yml"
    path.write_text("\n".join(lines) + "\nsessions: []\n", encoding="utf-8")
    with pytest.raises(AgendaError, match="aliases"):
        load_theme_curation(path)


@pytest.mark.parametrize(
    "text, message",
    [
        ("sessions: x", "1: expected a mapping with a list 'sessions'"),
        ("sessions:\n  - {source: s}", "2: the entry lacks session"),
        ("sessions:\n  - {source: s, session: a, add: [nonsense]}", "2: unknown theme 'nonsense'"),
        ("sessions:\n  - {source: s, session: a, add: gcm:compact}", "2: 'add' is a list of themes"),
    ],
)
def test_a_malformed_curation_file_names_its_line(tmp_path, text, message):
    path = tmp_path / "session-themes.yml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(AgendaError) as error:
        load_theme_curation(path)
    assert str(error.value).endswith(message) or message in str(error.value)


@pytest.mark.parametrize(
    "query, value",
    [
        ("organizations-by-type", "type=<x>"),
        ("representation-level", "level=<x>"),
        ("people-by-state", "state=<x>"),
    ],
)
def test_hostile_parameter_values_are_usage_errors(build_2017, capsys, query, value):
    assert main(["query", query, "--param", value, "--build", str(build_2017.out_dir)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_a_device_is_no_agenda(tmp_path, capsys):
    assert main(["build", "/dev/zero", "--out", str(tmp_path / "out")]) == 2
    assert "not a regular file" in capsys.readouterr().err
