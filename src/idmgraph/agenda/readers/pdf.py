"""A published agenda PDF -> lines, with the page of each: running text and ruled time | session tables.

Read with pdfplumber (pdfminer.six underneath). Ruled tables are found by their lines and read
row by row, so a time cell stays with its session even when it is centred beside a session cell
of several lines: the row gives one line (the cells' first paragraphs side by side), then the
other paragraphs of its cells. Text outside tables is read as visual lines, and a line that a
paragraph wrapped onto is joined back to it: it starts with no bullet, time or label, follows at
the paragraph's line spacing, starts where the paragraph's words start, and the line before it
ends where its first word would not have fitted. Type clearly larger than the
body text makes a heading; running headers and footers repeated on most pages, and page numbers,
are dropped. Lines are numbered through the whole document; warnings give the page too.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from io import BytesIO

from ...records import AgendaError
from ...text import clean
from ..dates import looks_like_time
from ..lines import Document, Line, split_bullet

__all__ = ["read_pdf"]

_PAGE_NUMBER = re.compile(
    r"^(?:page|p\.|pagina|página)?\s*\d{1,3}(?:\s*(?:of|/|de|sur)\s*\d{1,3})?$", re.IGNORECASE
)
# a glyph with no Unicode mapping at the start of a line is a bullet in these documents
_CID_BULLET = re.compile(r"^\(cid:\d+\)\s*")
_LABEL_START = re.compile(r"^[^\W\d_][^:]{0,40}\s?:(?:-|\s|$)")


@dataclass
class _VLine:
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    text: str
    first_word: float  # width of the line's first word
    text_x0: float  # where the words start (after a bullet): a wrapped line starts there too

    def starts_item(self) -> bool:
        """A bullet, a time, a label or a capitalised word after a full stop: a paragraph of its own."""
        return bool(split_bullet(self.text)[0] or looks_like_time(self.text) or _LABEL_START.match(self.text))


def _visual_lines(region) -> list[_VLine]:
    out = []
    for ln in region.extract_text_lines(return_chars=True, strip=True):
        chars = [c for c in ln.get("chars", ()) if c.get("text", "").strip()]
        text = _CID_BULLET.sub("\u2022 ", clean(ln["text"]))
        if not text:
            continue
        sizes = [c.get("size", 0) for c in chars]
        first_end = next((c["x1"] for c, nxt in zip(chars, chars[1:]) if nxt["x0"] - c["x1"] > 1.0), ln["x1"])
        words_at = next((c["x0"] for c in chars if c["text"].isalnum()), ln["x0"])
        out.append(
            _VLine(
                ln["top"],
                ln["bottom"],
                ln["x0"],
                ln["x1"],
                statistics.median(sizes) if sizes else 0.0,
                text,
                first_end - ln["x0"],
                words_at,
            )
        )
    return out


def _paragraphs(lines: list[_VLine], margin: float) -> list[_VLine]:
    """Join the lines a paragraph wrapped onto, for text whose right margin is ``margin``."""
    out: list[_VLine] = []
    for ln in lines:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not ln.starts_item()
            and abs(ln.size - prev.size) < 0.5
            and 0 <= ln.top - prev.bottom <= max(prev.size * 0.35, 1.0)
            and prev.x1 + ln.first_word + prev.size * 0.3 >= margin - 1.0
            and ln.x0 >= prev.text_x0 - 2.0
        ):
            prev.text = f"{prev.text} {ln.text}"
            prev.bottom, prev.x1 = ln.bottom, ln.x1
            continue
        out.append(_VLine(ln.top, ln.bottom, ln.x0, ln.x1, ln.size, ln.text, ln.first_word, ln.text_x0))
    return out


def _inside(obj: dict, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def _page_items(page) -> list[tuple[float, str, object, float]]:
    """(top, kind, payload, size) of a page's paragraphs and table rows, top to bottom."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    outside = page.filter(lambda obj: not any(_inside(obj, b) for b in boxes)) if boxes else page
    vlines = _visual_lines(outside)
    margin = max((v.x1 for v in vlines), default=page.width)
    items: list[tuple[float, str, object, float]] = [
        (p.top, "text", p.text, p.size) for p in _paragraphs(vlines, margin)
    ]
    for table in tables:
        for row in table.rows:
            cells = []
            for bbox in row.cells:
                if bbox is None:
                    continue
                region = page.crop(bbox, strict=False)
                vlines = _visual_lines(region)
                paras = _paragraphs(vlines, max((v.x1 for v in vlines), default=bbox[2]))
                cells.append([p.text for p in paras])
            if any(cells):
                items.append((row.bbox[1], "row", cells, 0.0))
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
    edge: Counter[str] = Counter()
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
                cells: list[list[str]] = payload  # type: ignore[assignment]
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
