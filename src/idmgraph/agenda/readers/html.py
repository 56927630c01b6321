"""A saved agenda web page -> lines: the main content, headings and list items kept, the rest dropped.

Parsed with lxml (the HTML parser of libxml2), which gives every element its line in the
source, so warnings point at the page as saved. Navigation, headers, footers, forms, scripts
and hidden elements are dropped; the main content is ``<main>`` (or ``role=main``), else the
largest ``<article>``, else the body. Each block element (paragraph, heading, list item, table
row, ``<br>``-separated run) becomes one line; a table row keeps its cells together on one line.
"""

from __future__ import annotations

import re

from ...records import AgendaError
from ...text import clean
from ..lines import Document, Line, split_bullet
from .text import decode_head

__all__ = ["read_html"]

_DROP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
    "textarea",
    "head",
    "object",
    "embed",
    "canvas",
    "map",
    "dialog",
    "input",
    "label",
    "audio",
    "video",
    "picture",
    "img",
    "meta",
    "link",
}
_DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "menu", "menubar", "dialog", "alert"}
_DROP_CLASS = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|footer|site-header|sidebar|share|sharing|social|"
    r"cookies?|skip-link|pager|tabs|toolbar|visually-hidden|sr-only|element-invisible|hidden)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BLOCKS = {
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "section",
    "article",
    "main",
    "ul",
    "ol",
    "dl",
    "figure",
    "figcaption",
    "address",
    "center",
    "table",
    "tr",
    "body",
    "hr",
    "details",
    "summary",
    "caption",
    "tbody",
    "thead",
    "tfoot",
}
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


def _decode(data: bytes, path: str) -> str:
    if data[:3] == b"\xef\xbb\xbf" or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return decode_head(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        m = _CHARSET.search(data[:4096])
        codec = m.group(1).decode("ascii") if m else "windows-1252"
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError) as exc:
            raise AgendaError(path, None, f"cannot decode the page as {codec}: {exc}") from exc


def _dropped(el) -> bool:
    if el.tag in _DROP_TAGS:
        return True
    attrs = el.attrib
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    if attrs.get("role", "").lower() in _DROP_ROLES:
        return True
    if re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", attrs.get("style", ""), re.IGNORECASE):
        return True
    classes = " ".join((attrs.get("class", ""), attrs.get("id", "")))
    return bool(classes.strip() and _DROP_CLASS.search(classes))


class _Emitter:
    """Collects inline text into lines; a block element or <br> ends the current line."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.parts: list[str] = []
        self.number: int | None = None
        self.pending: dict = {}

    def text(self, value: str | None, number: int | None) -> None:
        if value and value.strip():
            if self.number is None:
                self.number = number
            self.parts.append(value)
        elif value:
            self.parts.append(" ")

    def flush(self, **attrs) -> None:
        text = clean("".join(self.parts))
        if not text and self.pending.get("bullet") and self.pending.get("number"):
            # an empty list item is a blank bullet: kept, so that the parser can report it
            self.lines.append(Line(self.pending["number"], "", bullet=self.pending["bullet"]))
            self.pending = {}
        if text:
            info = {**self.pending, **attrs}
            bullet, rest = split_bullet(text)
            if bullet and not info.get("bullet"):
                info["bullet"] = bullet
                text = rest
            self.lines.append(
                Line(
                    number=self.number or info.get("number") or 1,
                    text=clean(text),
                    bullet=info.get("bullet"),
                    level=info.get("level"),
                    indent=info.get("indent", 0),
                    cells=info.get("cells", ()),
                )
            )
            self.pending = {}
        self.parts, self.number = [], None

    def start_block(self, **attrs) -> None:
        self.flush()
        self.pending = {k: v for k, v in attrs.items() if v is not None}


def _inline_lines(el) -> list[str]:
    """The text of a table cell as its lines (<br> and block children break lines)."""
    sub = _Emitter()
    _walk(el, sub, depth=0, top=True)
    sub.flush()
    return [ln.text for ln in sub.lines]


def _row(tr, out: _Emitter) -> None:
    cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th") and not _dropped(c)]
    texts = [_inline_lines(c) for c in cells]
    first = [t[0] for t in texts if t]
    if not first:
        return
    out.flush()
    out.lines.append(Line(number=tr.sourceline or 1, text=clean("  ".join(first)), cells=tuple(first)))
    for t in texts:
        for rest in t[1:]:
            bullet, body = split_bullet(rest)
            out.lines.append(Line(number=tr.sourceline or 1, text=body, bullet=bullet))


def _walk(el, out: _Emitter, depth: int, top: bool = False) -> None:
    tag = el.tag if isinstance(el.tag, str) else None
    if tag is None or _dropped(el):
        return
    if tag == "br":
        out.flush()
        return
    if tag == "table" or tag in ("tbody", "thead", "tfoot"):
        out.flush()
        for child in el:
            if isinstance(child.tag, str) and child.tag == "tr" and not _dropped(child):
                _row(child, out)
            elif isinstance(child.tag, str) and child.tag in ("tbody", "thead", "tfoot", "caption"):
                _walk(child, out, depth)
            _tail(child, out)
        out.flush()
        return
    if tag == "tr" and not top:
        _row(el, out)
        return
    block = tag in _BLOCKS and not top
    if block:
        bullet = None
        if tag == "li":
            parent = el.getparent()
            if parent is not None and parent.tag == "ol":
                items = [c for c in parent if isinstance(c.tag, str) and c.tag == "li"]
                bullet = f"{items.index(el) + 1}."
            else:
                bullet = "\u2022"
        out.start_block(level=_HEADINGS.get(tag), bullet=bullet, indent=depth * 2, number=el.sourceline)
    out.text(el.text, el.sourceline)
    inner = depth + (1 if tag in ("ul", "ol") else 0)
    for child in el:
        _walk(child, out, inner)
        _tail(child, out)
    if block:
        out.flush()


def _tail(child, out: _Emitter) -> None:
    if child.tail:
        out.text(child.tail, child.sourceline)


def _text_length(el) -> int:
    return len(clean(" ".join(el.itertext())))


def _main(root):
    for xpath in ("//main", "//*[@role='main']"):
        found = [e for e in root.xpath(xpath) if not _dropped(e)]
        if found:
            return max(found, key=_text_length)
    articles = [e for e in root.xpath("//article") if not _dropped(e)]
    if articles:
        return max(articles, key=_text_length)
    body = root.find("body")
    return body if body is not None else root


def read_html(data: bytes, path: str) -> Document:
    from lxml import etree
    from lxml import html as lxml_html

    text = _decode(data, path)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses a str with an encoding declaration
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=False)
    try:
        root = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise AgendaError(path, None, f"not a readable HTML page: {exc}") from exc
    title_el = root.find(".//title")
    page_title = clean(title_el.text_content()) if title_el is not None else None
    main = _main(root)
    out = _Emitter()
    h1_inside = main.find(".//h1") is not None
    if not h1_inside:
        h1 = next((h for h in root.iter("h1") if not _dropped(h) and _text_length(h)), None)
        if h1 is not None:
            out.lines.append(Line(number=h1.sourceline or 1, text=clean(h1.text_content()), level=1))
    _walk(main, out, depth=0, top=True)
    out.flush()
    lines = [ln for ln in out.lines if ln.text or ln.bullet]
    if not lines:
        raise AgendaError(path, None, "an HTML page with no text in its main content")
    title = next((ln.text for ln in lines if ln.level == 1), None) or page_title
    return Document(path=path, format="html", media_type="text/html", lines=tuple(lines), title=title)
