"""A published agenda PDF -> lines, with the page of each: running text and ruled time | session tables.

Read with pdfplumber (pdfminer.six underneath). Ruled tables are found by their lines and read
row by row, so a time cell stays with its session even when it is centred beside a session cell
of several lines: the row gives one line (the cells' first lines side by side), then the other
lines of its cells. Text outside tables is read as visual lines. Type clearly larger than the
body text makes a heading; running headers and footers repeated on most pages, and page
numbers, are dropped. Lines are numbered through the whole document; warnings give the page too.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from io import BytesIO

from ...records import AgendaError
from ...text import clean
from ..lines import Document, Line, split_bullet

__all__ = ["read_pdf"]

_PAGE_NUMBER = re.compile(
    r"^(?:page|p\.|pagina|página)?\s*\d{1,3}(?:\s*(?:of|/|de|sur)\s*\d{1,3})?$", re.IGNORECASE
)


def _inside(obj: dict, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def _page_items(page) -> list[tuple[float, str, object, float]]:
    """(top, kind, payload, size) of a page's text lines and table rows, top to bottom."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    outside = page.filter(lambda obj: not any(_inside(obj, b) for b in boxes)) if boxes else page
    items: list[tuple[float, str, object, float]] = []
    for ln in outside.extract_text_lines(return_chars=True, strip=True):
        sizes = [c.get("size", 0) for c in ln.get("chars", ()) if c.get("text", "").strip()]
        items.append((ln["top"], "text", ln["text"], statistics.median(sizes) if sizes else 0.0))
    for table in tables:
        rows = table.extract()
        for row, cells in zip(table.rows, rows):
            texts = [c or "" for c in cells]
            if any(t.strip() for t in texts):
                items.append((row.bbox[1], "row", texts, 0.0))
    items.sort(key=lambda it: it[0])
    return items


def read_pdf(data: bytes, path: str) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(BytesIO(data))
    except (PDFSyntaxError, PDFPasswordIncorrect) as exc:
        raise AgendaError(path, None, f"not a readable PDF: {type(exc).__name__}") from exc
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise AgendaError(path, None, f"not a readable PDF: {exc}") from exc
    with pdf:
        try:
            pages = [(n, page.height, _page_items(page)) for n, page in enumerate(pdf.pages, start=1)]
            title = (pdf.metadata or {}).get("Title")
        except Exception as exc:
            raise AgendaError(path, None, f"cannot read the PDF's text: {exc}") from exc
    sizes = [size for _, _, items in pages for _, kind, _, size in items if kind == "text" and size]
    body_size = statistics.median(sizes) if sizes else 0.0
    # running headers and footers: the same text near the top or bottom of most pages
    edge = Counter()
    for _, height, items in pages:
        seen = set()
        for top, kind, payload, _ in items:
            if kind == "text" and (top < height * 0.08 or top > height * 0.92):
                seen.add(re.sub(r"\d+", "#", clean(str(payload))))
        edge.update(seen)
    running = {t for t, n in edge.items() if len(pages) >= 3 and n >= max(3, len(pages) * 0.5)}
    lines: list[Line] = []
    number = 0
    for page_no, height, items in pages:
        for top, kind, payload, size in items:
            if kind == "row":
                cells = [[clean(x) for x in str(c).splitlines() if clean(x)] for c in payload]  # type: ignore[union-attr]
                first = [c[0] for c in cells if c]
                number += 1
                lines.append(Line(number, clean("  ".join(first)), page=page_no, cells=tuple(first)))
                for cell in cells:
                    for rest in cell[1:]:
                        number += 1
                        bullet, body = split_bullet(rest)
                        lines.append(Line(number, body, bullet=bullet, page=page_no))
                continue
            text = clean(str(payload))
            if not text or _PAGE_NUMBER.match(text):
                continue
            if (top < height * 0.08 or top > height * 0.92) and re.sub(r"\d+", "#", text) in running:
                continue
            number += 1
            level = None
            if body_size and size >= body_size * 1.25 and len(text.split()) <= 20:
                level = 1 if size >= body_size * 1.6 else 2
            bullet, body = split_bullet(text)
            lines.append(Line(number, body, bullet=bullet, level=level, page=page_no))
    if not any(ln.text for ln in lines):
        raise AgendaError(path, None, "a PDF without a text layer (a scanned page?): run OCR on it first")
    return Document(
        path=path,
        format="pdf",
        media_type="application/pdf",
        lines=tuple(lines),
        title=clean(str(title)) if title else None,
    )
