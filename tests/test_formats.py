"""Agendas as published: the same agenda as text, a web page, a Word document and two PDFs reads
the same, format by content, with locations a curator can find (line of the page, page of the PDF)."""

import codecs
import zipfile

import pytest

from conftest import LAYOUTS
from idmgraph.agenda import parse_agenda, read_document
from idmgraph.agenda.readers import sniff_format
from idmgraph.build import run_build
from idmgraph.records import AgendaError
from render import agenda_lines, to_docx, to_html, to_pdf

LAYOUT_FILES = sorted(LAYOUTS.glob("*.txt"))
RENDERINGS = {
    "html": lambda lines, p: to_html(lines, p.with_suffix(".html")),
    "docx": lambda lines, p: to_docx(lines, p.with_suffix(".docx")),
    "pdf": lambda lines, p: to_pdf(lines, p.with_suffix(".pdf")),
    "pdf-table": lambda lines, p: to_pdf(lines, p.with_suffix(".pdf"), table=True),
}


def _without_locations(agenda) -> tuple[dict, list]:
    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k not in ("line", "page")}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x

    data = agenda.to_json()
    return strip(data["event"]), strip(data["sessions"])


@pytest.mark.parametrize("kind", RENDERINGS)
@pytest.mark.parametrize("path", LAYOUT_FILES, ids=lambda p: p.stem[:3])
def test_every_layout_reads_the_same_in_every_format(path, kind, tmp_path):
    folder = tmp_path / kind
    folder.mkdir()
    rendered = RENDERINGS[kind](agenda_lines(path), folder / path.stem)
    got = parse_agenda(rendered)
    assert got.format == kind.split("-")[0]
    assert _without_locations(got) == _without_locations(parse_agenda(path))
    assert sorted(w.code for w in got.warnings) == sorted(w.code for w in parse_agenda(path).warnings)


def test_a_web_page_keeps_its_agenda_and_drops_the_rest(tmp_path):
    page = to_html(agenda_lines(LAYOUTS / "l01-iom-slots-bullets-en.txt"), tmp_path / "agenda.html")
    agenda = parse_agenda(page)
    names = {p.name for s in agenda.sessions for p in s.moderators + s.speakers}
    assert len(names) == 15 and "Ngozi Adeyemi-Okafor" in names
    # navigation, sidebar, hidden blocks, footer and scripts name people too; none is read
    text = "\n".join(line.text for line in read_document(page).lines)
    for noise in ("Paul Noise", "Jane Sidebar", "Hidden Person", "Anna Footer", "Script Person", "cookies"):
        assert noise not in text
    # every line number is the line of the page's source where the item is
    source = page.read_text(encoding="utf-8").splitlines()
    for p in agenda.sessions[1].speakers:
        assert p.name in source[p.line - 1]


def test_a_pdf_gives_pages_and_keeps_wrapped_entries_whole(tmp_path):
    lines = agenda_lines(LAYOUTS / "l17-un-spanish-es.txt")
    pdf = to_pdf(lines, tmp_path / "agenda.pdf", table=True, repeat=3)
    doc = read_document(pdf)
    assert doc.format == "pdf" and doc.title == lines[0].text
    assert {ln.page for ln in doc.lines} >= {1, 2}
    pablo = [ln for ln in doc.lines if "Pablo Rosales" in ln.text]
    # a long entry wraps in its cell; it is one line again, ending where the entry ends
    assert pablo and all(ln.text.endswith("Relaciones Exteriores de Chile.") for ln in pablo)
    # page numbers in the footer are not agenda text
    assert not any(ln.text.strip().isdigit() for ln in doc.lines)


def test_the_format_is_told_by_the_content(tmp_path):
    lines = agenda_lines(LAYOUTS / "l18-idm-final-agenda-fr.txt")
    html = to_html(lines, tmp_path / "a.html")
    disguised = tmp_path / "agenda.txt"
    disguised.write_bytes(html.read_bytes())
    assert sniff_format(disguised.read_bytes()) == "html"
    assert parse_agenda(disguised).format == "html"
    pdf = to_pdf(lines, tmp_path / "a.pdf")
    other = tmp_path / "agenda.bin"
    other.write_bytes(pdf.read_bytes())
    assert parse_agenda(other).format == "pdf"


def test_utf16_crlf_and_bom_texts_read_the_same(tmp_path):
    path = LAYOUTS / "l18-idm-final-agenda-fr.txt"
    text = path.read_text(encoding="utf-8")
    want = _without_locations(parse_agenda(path))
    for name, data in {
        "utf16.txt": codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le"),
        "utf16be.txt": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        "bom.txt": codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"),
    }.items():
        p = tmp_path / name
        p.write_bytes(data)
        assert _without_locations(parse_agenda(p)) == want, name


def test_a_build_records_each_source_format(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    to_pdf(agenda_lines(LAYOUTS / "l01-iom-slots-bullets-en.txt"), folder / "l01-pdf.pdf")
    to_docx(agenda_lines(LAYOUTS / "l18-idm-final-agenda-fr.txt"), folder / "l18-docx.docx")
    result = run_build([folder], None)
    from rdflib import Namespace

    schema = Namespace("https://schema.org/")
    provenance = result.dataset.to_rdflib().default_graph
    formats = {str(o) for o in provenance.objects(None, schema.encodingFormat)}
    assert formats == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    assert result.report.conforms


@pytest.mark.parametrize(
    "name, data, words",
    [
        (
            "broken.pdf",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
            "PDF",
        ),
        ("notword.docx", None, "not a Word document"),
        ("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "legacy Word .doc"),
        ("empty.html", b"<!DOCTYPE html><html><body><nav>Menu</nav><main></main></body></html>", "no text"),
    ],
)
def test_unreadable_files_are_errors_naming_the_file(name, data, words, tmp_path):
    path = tmp_path / name
    if data is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "not a document")
    else:
        path.write_bytes(data)
    with pytest.raises(AgendaError) as err:
        parse_agenda(path)
    assert err.value.path == str(path) and words in str(err.value)


def test_two_sources_of_one_event_are_refused_until_told_apart(tmp_path):
    lines = agenda_lines(LAYOUTS / "l01-iom-slots-bullets-en.txt")
    to_pdf(lines, tmp_path / "a.pdf")
    to_docx(lines, tmp_path / "b.docx")
    with pytest.raises(AgendaError, match="describe the same event"):
        run_build([tmp_path], None)


def test_only_regular_files_of_bounded_size(tmp_path, monkeypatch):
    with pytest.raises(AgendaError, match="not a regular file"):
        read_document("/dev/zero")
    import idmgraph.agenda.readers as readers

    monkeypatch.setattr(readers, "MAX_AGENDA_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text("Agenda\n" + "x" * 2000, encoding="utf-8")
    with pytest.raises(AgendaError, match="limit of an agenda"):
        read_document(big)
