"""Plain-text and Markdown agendas -> lines (UTF-8 with or without BOM, UTF-16 with BOM, CRLF or LF)."""

from __future__ import annotations

import codecs
import re

from ...records import AgendaError
from ...text import clean
from ..lines import Document, Line, split_bullet

__all__ = ["read_text", "decode_text", "decode_head", "text_lines"]

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")


def decode_head(data: bytes) -> str:
    """Best-effort decoding of the first bytes, only to tell the format."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="ignore")
    return data.decode("utf-8", errors="ignore")


def decode_text(data: bytes, path: str) -> str:
    """Decode an agenda's bytes, or raise AgendaError naming the file and line."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        codec = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        try:
            return data[2:].decode(codec)
        except UnicodeDecodeError as exc:
            raise AgendaError(path, None, f"not valid UTF-16 at byte {exc.start + 2}") from exc
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise AgendaError(path, line, "binary file (NUL byte): not an agenda text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise AgendaError(
            path, line, f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the agenda as UTF-8"
        ) from exc


def text_lines(text: str, first: int = 1, page: int | None = None) -> list[Line]:
    """Lines of plain or Markdown text: bullets, Markdown headings and indentation kept apart."""
    out = []
    for number, raw in enumerate(text.splitlines(), start=first):
        expanded = raw.replace("\t", "    ")
        indent = len(expanded) - len(expanded.lstrip())
        line = cleaned = clean(raw)
        if not line:
            continue
        level = None
        m = _MD_HEADING.match(line) if line[0] == "#" else None
        if m:
            level, line = len(m.group(1)), m.group(2)
        if "**" in line or "__" in line:
            line = _MD_EMPHASIS.sub(r"\2", line)
        bullet, rest = split_bullet(line)
        if rest is not cleaned:  # a heading, emphasis or bullet taken off: clean what is left
            rest = clean(rest)
        out.append(Line(number, rest, bullet=bullet, level=level, indent=indent, page=page))
    return out


def read_text(data: bytes, path: str) -> Document:
    text = decode_text(data, path)
    lines = text_lines(text)
    if not lines:
        raise AgendaError(path, None, "empty file: no agenda text")
    return Document(path=path, format="text", media_type="text/plain", lines=tuple(lines))
