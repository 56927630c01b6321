"""Test fixtures in every published format, written at test time from the text agendas the tests hold.

No binary fixture is copied from elsewhere: an HTML page (with navigation, a sidebar, a cookie
banner, scripts and a footer around the agenda), a Word document (headings, list paragraphs,
time | session tables) and PDFs (running text, and a ruled two-column time | session table whose
time cells are centred beside sessions of several lines) are generated from the same lines.
"""

from __future__ import annotations

import html
from pathlib import Path

from idmgraph.agenda.dates import parse_slot
from idmgraph.agenda.lines import Line
from idmgraph.agenda.readers.text import text_lines

__all__ = ["agenda_lines", "to_html", "to_docx", "to_pdf", "blocks"]


def agenda_lines(path: Path) -> list[Line]:
    return text_lines(path.read_text(encoding="utf-8"))


def _slot(line: Line):
    try:
        return parse_slot(line.text)
    except ValueError:
        return None


def _time_text(line: Line) -> tuple[str, str]:
    """(the time as written, the title after it) of a slot line."""
    slot = _slot(line)
    title = slot.title if slot else ""
    time = line.text[: len(line.text) - len(title)].strip() if title else line.text
    return time, title


def blocks(lines: list[Line]) -> list[tuple[Line | None, list[Line]]]:
    """The lines grouped under the time slot that heads them (None before the first slot)."""
    out: list[tuple[Line | None, list[Line]]] = [(None, [])]
    for line in lines:
        if not line.bullet and _slot(line):
            out.append((line, []))
        else:
            out[-1][1].append(line)
    return out


def _bullet_text(line: Line) -> str:
    return f"\u2022 {line.text}" if line.bullet else line.text


# ----------------------------------------------------------------------------- HTML
def to_html(lines: list[Line], path: Path) -> Path:
    """A saved agenda page as a CMS publishes it: the agenda in <main>, surrounded by noise that
    names people too (a news teaser, a footer), which the reader must drop."""
    title, body = lines[0].text, lines[1:]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)} | International Organization for Migration</title>",
        "<style>.hidden{display:none}</style><script>window.tracking = 'Jane Doe, Director, X';</script>",
        "</head><body>",
        '<div class="cookie-banner" role="dialog">We use cookies. <button>Accept</button></div>',
        '<header class="site-header"><nav class="navbar"><ul><li><a href="/">Home</a></li>',
        "<li><a href='/news'>News</a></li><li>Mr. Paul Noise, Director, Navigation Office</li></ul></nav></header>",
        '<div class="breadcrumb"><a href="/">Home</a> › Events</div>',
        f'<main id="main-content"><article><h1 class="page-title">{html.escape(title)}</h1>',
        '<div class="field--name-body">',
    ]
    in_list = False
    for line in body:
        if line.bullet and not in_list:
            parts.append("<ul>")
            in_list = True
        elif not line.bullet and in_list:
            parts.append("</ul>")
            in_list = False
        text = html.escape(line.text)
        if line.bullet:
            parts.append(f"<li>{text}</li>")
        elif line.level:
            parts.append(f"<h{line.level + 1}>{text}</h{line.level + 1}>")
        elif _slot(line):
            time, rest = _time_text(line)
            parts.append(f"<p><strong>{html.escape(time)}</strong> {html.escape(rest)}</p>")
        else:
            parts.append(f"<p>{text}</p>")
    if in_list:
        parts.append("</ul>")
    parts += [
        "</div></article></main>",
        '<aside class="sidebar"><h2>Related news</h2><p>Ms. Jane Sidebar, Director General, Sidebar Institute, Kenya</p></aside>',
        "<div hidden><p>Mr. Hidden Person, Minister of Labour, Spain</p></div>",
        "<footer><p>Contact: Ms. Anna Footer, Media Officer, International Organization for Migration</p>",
        "<p>© International Organization for Migration</p></footer>",
        "<script>document.write('Mr. Script Person, Minister');</script>",
        "</body></html>",
    ]
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- DOCX
def to_docx(lines: list[Line], path: Path) -> Path:
    """A Word agenda: a title, list paragraphs, and each time slot as a time | session table row."""
    import docx

    document = docx.Document()
    document.core_properties.title = lines[0].text
    document.add_heading(lines[0].text, level=0)
    for slot_line, under in blocks(lines[1:]):
        if slot_line is not None:
            table = document.add_table(rows=1, cols=2)
            time, title = _time_text(slot_line)
            table.rows[0].cells[0].text = time
            table.rows[0].cells[1].text = title
        for line in under:
            if line.bullet:
                document.add_paragraph(line.text, style="List Bullet")
            elif line.level:
                document.add_heading(line.text, level=min(line.level, 3))
            else:
                document.add_paragraph(line.text)
    document.save(path)
    return path


# ----------------------------------------------------------------------------- PDF
def _styles():
    import os

    import reportlab
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    fonts = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", os.path.join(fonts, "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("VeraBd", os.path.join(fonts, "VeraBd.ttf")))
    # paragraphs spaced as a word processor spaces them by default
    body = ParagraphStyle("body", fontName="Vera", fontSize=10, leading=12, spaceAfter=6)
    return {
        "title": ParagraphStyle("title", fontName="VeraBd", fontSize=18, leading=22, spaceAfter=8),
        "heading": ParagraphStyle("heading", fontName="VeraBd", fontSize=13, leading=16, spaceBefore=4),
        "body": body,
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=2, spaceAfter=3),
    }


def _paragraph(line: Line, styles):
    from reportlab.platypus import Paragraph

    text = html.escape(line.text, quote=False)
    if line.bullet:
        return Paragraph(text or "&nbsp;", styles["bullet"], bulletText="\u2022")  # a blank bullet shows
    if line.level:
        return Paragraph(text, styles["heading"])
    return Paragraph(text, styles["body"])


def to_pdf(lines: list[Line], path: Path, table: bool = False, repeat: int = 1) -> Path:
    """A "Final Agenda" PDF: running text, or (``table``) a ruled time | session table whose time
    cells are centred beside sessions of several lines. ``repeat`` copies the agenda's body that
    many times (a long document for the benchmark), with page numbers in the footer."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = _styles()

    def footer(canvas, doc):
        canvas.setFont("Vera", 8)
        canvas.drawString(A4[0] / 2, 20, f"{doc.page}")

    doc = SimpleDocTemplate(str(path), pagesize=A4, title=lines[0].text)
    story = [Paragraph(html.escape(lines[0].text, quote=False), styles["title"])]
    for _ in range(repeat):
        for slot_line, under in blocks(lines[1:]):
            if slot_line is None or not table:
                if slot_line is not None:
                    story.append(_paragraph(slot_line, styles))
                story.extend(_paragraph(line, styles) for line in under)
                continue
            time, title = _time_text(slot_line)
            cell = [Paragraph(html.escape(title, quote=False), styles["body"])] if title else []
            cell += [_paragraph(line, styles) for line in under]
            row = Table(
                [[Paragraph(html.escape(time, quote=False), styles["body"]), cell or ""]],
                colWidths=[95, 380],
                style=TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("VALIGN", (0, 0), (0, -1), "MIDDLE"),
                        ("VALIGN", (1, 0), (1, -1), "TOP"),
                    ]
                ),
            )
            story.append(row)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return path
