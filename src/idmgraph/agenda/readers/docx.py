"""A Word (.docx) agenda -> lines: paragraphs and table rows in document order.

Read with python-docx. A paragraph's line number is its place among the document's paragraphs
(table cells included), which is what a curator counts in Word's navigation. Heading styles
give a heading level (by the style's outline level or its name in English, French or Spanish),
list styles and numbering a bullet, and a table row keeps its cells together on one line.
"""

from __future__ import annotations

import re
from io import BytesIO

from ...records import AgendaError
from ...text import clean
from ..lines import Document, Line, split_bullet

__all__ = ["read_docx"]

_HEADING_STYLE = re.compile(r"^(?:heading|titre|t[ií]tulo|encabezado)\s*(\d)$", re.IGNORECASE)


def _level(paragraph) -> int | None:
    style = paragraph.style
    name = (style.name or "") if style is not None else ""
    if name.lower() in ("title", "titre", "título", "titulo"):
        return 1
    m = _HEADING_STYLE.match(name.strip())
    return int(m.group(1)) if m else None


def _bullet(paragraph) -> str | None:
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return "\u2022"
    style = paragraph.style
    name = (style.name or "").lower() if style is not None else ""
    return "\u2022" if "list" in name or "liste" in name or "lista" in name else None


class _Reader:
    def __init__(self) -> None:
        self.number = 0
        self.lines: list[Line] = []

    def paragraph_lines(self, paragraph) -> list[Line]:
        self.number += 1
        out = []
        level, bullet = _level(paragraph), _bullet(paragraph)
        if bullet and not clean(paragraph.text):
            return [Line(self.number, "", bullet=bullet)]  # a blank bullet, reported by the parser
        for k, part in enumerate(paragraph.text.replace("\t", " ").split("\n")):
            text = clean(part)
            if not text:
                continue
            mark, body = split_bullet(text)
            out.append(
                Line(
                    self.number,
                    body,
                    bullet=mark or (bullet if k == 0 else None),
                    level=level if k == 0 else None,
                )
            )
        return out

    def table(self, table) -> None:
        from docx.table import Table

        for row in table.rows:
            seen, cells = set(), []
            for cell in row.cells:  # python-docx repeats a merged cell once per grid column
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                cells.append(cell)
            cell_lines = []
            for cell in cells:
                found: list[Line] = []
                for block in cell.iter_inner_content():
                    if isinstance(block, Table):
                        self.table(block)
                    else:
                        found.extend(self.paragraph_lines(block))
                cell_lines.append(found)
            first = [c[0] for c in cell_lines if c]
            if not first:
                continue
            self.lines.append(
                Line(
                    first[0].number,
                    clean("  ".join(ln.text for ln in first)),
                    cells=tuple(ln.text for ln in first),
                )
            )
            for c in cell_lines:
                self.lines.extend(c[1:])


def read_docx(data: bytes, path: str) -> Document:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors on damaged files
        raise AgendaError(path, None, f"not a readable Word document: {exc}") from exc
    reader = _Reader()
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            reader.table(block)
        else:
            reader.lines.extend(reader.paragraph_lines(block))
    if not reader.lines:
        raise AgendaError(path, None, "a Word document with no text")
    title = clean(document.core_properties.title or "") or None
    return Document(
        path=path,
        format="docx",
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lines=tuple(reader.lines),
        title=title,
    )
