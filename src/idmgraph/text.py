"""Text normalisation shared by every stage: folding for matching, slugs for IRIs."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "fold_aligned", "slug", "clean", "normalise_quotes"]

_QUOTES = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "`": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
)


def normalise_quotes(text: str) -> str:
    """Replace typographic apostrophes, dashes and spaces by their ASCII forms.

    >>> normalise_quotes("l\u2019OIM \u2013 10h")
    "l'OIM - 10h"
    """
    if text.isascii() and "`" not in text:  # every other character it replaces is beyond ASCII
        return text
    return text.translate(_QUOTES)


def clean(text: str) -> str:
    """Collapse runs of white space (including no-break spaces) and strip.

    >>> clean("  Orateurs\u00a0:  ")
    'Orateurs :'
    """
    return " ".join(text.split())


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Fold *text* for matching: accents removed, case folded, quotes and spaces normalised.
    (Cached: the parser folds the same words of the genre again and again.)

    >>> fold("Émirats  arabes unis")
    'emirats arabes unis'
    >>> fold("António Vitorino") == fold("Antonio Vitorino")
    True
    """
    text = normalise_quotes(text)
    if text.isascii():
        return clean(text.casefold())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return clean(stripped.casefold())


class _FoldTable(dict):
    """A translation table that folds each character once, the first time it is met: lower case,
    no accent, typographic quotes and dashes straightened, one character for one."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        f = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).casefold()
        folded = f if len(f) == 1 else (ch.lower() if len(ch.lower()) == 1 else ch)
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold_aligned(text: str) -> str:
    """Fold character by character, so that offsets in the result are offsets in *text*.

    Matching runs on the folded text; what is kept (a name, a title) is cut from the original.

    >>> fold_aligned("Équateur") == "equateur"
    True
    >>> len(fold_aligned("Ms. Ōta – Straße")) == len("Ms. Ōta – Straße")
    True
    """
    text = normalise_quotes(text)
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD_TABLE)


@lru_cache(maxsize=1 << 16)  # the same event, person and session keys are minted many times
def slug(text: str, max_length: int = 80) -> str:
    """A lower-case ASCII slug for IRIs, stable for a given folded text.

    >>> slug("Juan José Gómez Camacho")
    'juan-jose-gomez-camacho'
    >>> slug("Ministère des affaires étrangères")
    'ministere-des-affaires-etrangeres'

    Letters that fold to no ASCII (Chinese, Cyrillic, Arabic, ...) are never dropped in silence: a
    hash of the folded text follows what ASCII there is, so a key is never empty and two names
    never share one.

    >>> slug("王伟") != slug("李明") and slug("王伟").startswith("h")
    True
    >>> slug("Li 王伟")[:3]
    'li-'
    """
    folded = fold(text)
    s = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if not folded.isascii() and any(ord(c) > 127 and c.isalnum() for c in folded):
        import hashlib

        digest = hashlib.sha256(folded.encode()).hexdigest()[:10]
        s = f"{s}-h{digest}" if s else f"h{digest}"
    if len(s) > max_length:
        import hashlib

        digest = hashlib.sha256(s.encode()).hexdigest()[:8]
        s = s[: max_length - 9].rstrip("-") + "-" + digest
    return s


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell for a CSV meant for spreadsheets, where text that opens with =, +, -, @, a tab or
    a carriage return would run as a formula (OWASP, "CSV injection"): such text gets a leading
    apostrophe; numbers and other text are left as they are.

    >>> spreadsheet_safe("=1+2"), spreadsheet_safe("-5"), spreadsheet_safe(-5)
    ("'=1+2", "'-5", -5)
    >>> spreadsheet_safe("Jürg Lauber")
    'Jürg Lauber'
    """
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def spreadsheet_safe_cells(values) -> list:
    """``spreadsheet_safe`` of each value, in order (a CSV row of many: a test, not a call, for
    a cell that is no text or opens with no formula sign).

    >>> spreadsheet_safe_cells(["=1+2", 7, "Jürg Lauber"])
    ["'=1+2", 7, 'Jürg Lauber']
    """
    return ["'" + v if v.__class__ is str and v.startswith(_FORMULA) else v for v in values]


def spreadsheet_safe_frame(frame):
    """A DataFrame whose text cells are spreadsheet-safe (for CSV files meant for spreadsheets)."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = frame.copy()
    for column in out.columns:
        if is_object_dtype(out[column]) or is_string_dtype(out[column]):
            out[column] = out[column].map(spreadsheet_safe)
    return out


# C0 and C1 controls (ESC starts terminal sequences) and the bidirectional overrides and isolates
# that reorder what a terminal shows
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    r"""Text from an agenda made safe for a terminal: control characters (ESC, BEL, ...) and
    bidirectional overrides shown as escapes, never sent to the terminal.

    >>> printable("Jane\x1b[31mRoe\u202e")
    'Jane\\x1b[31mRoe\\u202e'
    """
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)
