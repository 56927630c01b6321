"""Agenda files in any published format -> a Document of numbered lines.

The format is told by the content, not the file name: ``%PDF-`` is a PDF, a ZIP holding
``word/document.xml`` a Word document, text that opens as an HTML document is a web page,
anything else plain text (UTF-8 with or without BOM, or UTF-16 with BOM). Each reader is a thin
layer to the same ``Line`` records; the parser never learns which format it reads.
"""

from __future__ import annotations

import os
import stat
import zipfile
from io import BytesIO
from pathlib import Path

from ...records import AgendaError
from ..lines import Document

__all__ = ["read_document", "sniff_format", "MAX_AGENDA_BYTES", "FORMATS"]

MAX_AGENDA_BYTES = 50 * 1024 * 1024  # a 20-page agenda PDF is well under 5 MB
FORMATS = ("text", "html", "pdf", "docx")
_HTML_STARTS = ("<!doctype html", "<html", "<head", "<body", "<meta", "<?xml")


def _read_bytes(path: Path) -> bytes:
    try:
        info = os.stat(path)
    except OSError as exc:
        raise AgendaError(str(path), None, f"cannot read: {exc.strerror}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise AgendaError(str(path), None, "not a regular file: an agenda is a text, HTML, PDF or DOCX file")
    if info.st_size > MAX_AGENDA_BYTES:
        raise AgendaError(
            str(path),
            None,
            f"{info.st_size:,} bytes: larger than the {MAX_AGENDA_BYTES:,}-byte limit of an agenda",
        )
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_AGENDA_BYTES + 1)
    except OSError as exc:
        raise AgendaError(str(path), None, f"cannot read: {exc.strerror}") from exc
    if len(data) > MAX_AGENDA_BYTES:
        raise AgendaError(str(path), None, f"larger than the {MAX_AGENDA_BYTES:,}-byte limit of an agenda")
    return data


def sniff_format(data: bytes) -> str:
    """The format of an agenda file, from its first bytes.

    >>> sniff_format(b"%PDF-1.7 ...")
    'pdf'
    >>> sniff_format(b"<!DOCTYPE html><html><body><p>Agenda</p></body></html>")
    'html'
    >>> sniff_format("Agenda\\n10:00 - 11:00 Opening <b>x</b>".encode())
    'text'
    """
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    from .text import decode_head

    head = decode_head(data[:4096]).lstrip().lower()
    while head.startswith("<!--") and "-->" in head:
        head = head[head.index("-->") + 3 :].lstrip()
    if head.startswith(_HTML_STARTS) and (head.startswith("<?xml") is False or "<html" in head):
        return "html"
    return "text"


def read_document(path: str | Path) -> Document:
    """Read an agenda file of any supported format, or raise AgendaError naming the file (and line)."""
    path = Path(path)
    data = _read_bytes(path)
    if not data.strip():
        raise AgendaError(str(path), None, "empty file: no agenda text")
    kind = sniff_format(data)
    if kind == "doc":
        raise AgendaError(str(path), None, "a legacy Word .doc file: save it as .docx, PDF or text")
    if kind == "rtf":
        raise AgendaError(str(path), None, "an RTF file: save it as .docx, PDF or text")
    if kind == "docx":
        try:
            with zipfile.ZipFile(BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile as exc:
            raise AgendaError(str(path), None, f"a damaged ZIP file: {exc}") from exc
        if "word/document.xml" not in names:
            raise AgendaError(
                str(path), None, "a ZIP file that is not a Word document (no word/document.xml)"
            )
        from .docx import read_docx

        return read_docx(data, str(path))
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, str(path))
    if kind == "html":
        from .html import read_html

        return read_html(data, str(path))
    from .text import read_text

    return read_text(data, str(path))
