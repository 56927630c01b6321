"""The one shape every format reader gives the parser: numbered lines with their bullet and heading level.

Format knowledge stops here: a reader turns text, HTML, PDF or DOCX into ``Line`` records
(text, where it was read, bullet, heading level, indent), and the parser never asks which
format a line came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Line", "Document", "split_bullet", "where"]

# Bullets as agendas write them: symbols (•, §, ▪ ...), dashes and asterisks followed by a space,
# numbers and letters closed by "." or ")" and followed by a space. "•Mr." (no space) is a bullet
# too; "-5 %" or "10.00" are not.
_BULLET = re.compile(
    r"^\s*(?:"
    r"(?P<sym>[\u2022\u25cf\u25aa\u25a0\u25e6\u25cb\u25ba\u25b8\u27a2\u2713\u00a7\u00b7\u2023\u2043\uf0b7\uf0a7\u25c6\u2219\u2192\u2794])\s*"
    r"|(?P<dash>[-*+\u2013\u2014])(?:\s+|$)"
    r"|(?P<num>\(?\d{1,2}[.)])\s+(?=\D)"
    r"|(?P<letter>\(?[a-z]\))\s+"
    r")"
)


@dataclass(frozen=True)
class Line:
    """One line of an agenda as a reader gives it.

    ``number`` is where a curator finds the line: the line of a text or HTML file, the paragraph
    of a DOCX, the line of the text extracted from a PDF (``page`` says which page). ``bullet`` is
    the list mark removed from ``text`` ("•", "-", "3."), ``level`` a heading level where the
    format has one (HTML h1-h6, DOCX headings, Markdown #, large type in a PDF).
    """

    number: int
    text: str
    bullet: str | None = None
    level: int | None = None
    indent: int = 0
    page: int | None = None
    cells: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return where(self.number, self.page)


def where(line: int | None, page: int | None = None) -> str:
    """How a location is written in messages: ``12`` or ``57 (page 3)``."""
    if line is None:
        return ""
    return f"{line} (page {page})" if page else str(line)


@dataclass(frozen=True)
class Document:
    """An agenda file read into lines; ``title`` is the document's own title where it has one."""

    path: str
    format: str  # text | html | pdf | docx
    media_type: str
    lines: tuple[Line, ...]
    title: str | None = None


def split_bullet(text: str) -> tuple[str | None, str]:
    """(bullet, rest) of a line; (None, text) when it has no list mark.

    >>> split_bullet("• Tom Berg, Minister of Labour")
    ('•', 'Tom Berg, Minister of Labour')
    >>> split_bullet("•Mr. Tim Sun")
    ('•', 'Mr. Tim Sun')
    >>> split_bullet("- Opening Ceremony")
    ('-', 'Opening Ceremony')
    >>> split_bullet("2. Jane Roe, Director")
    ('2.', 'Jane Roe, Director')
    >>> split_bullet("10.00 - 13.00 Plenary")
    (None, '10.00 - 13.00 Plenary')
    >>> split_bullet("• .")
    ('•', '.')
    """
    m = _BULLET.match(text)
    if not m:
        return None, text
    mark = next(g for g in m.groups() if g)
    return mark.strip(), text[m.end() :].strip()
