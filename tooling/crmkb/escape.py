"""The one way record text is put into Markdown, HTML, SVG and front matter.

Every page, report and chart inserts a record's words through these functions, so no call
site has to remember which characters matter where.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata

# Python-Markdown's backslash-escapable characters that can start markup inside a line:
# emphasis, code, links and images, attr_list braces, tables, headings.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}()|#!])")
# Characters YAML (the front matter) refuses or folds as line breaks even inside a quoted
# string (DEL, C1 with NEL, U+2028/2029, surrogates, non-characters); JSON escapes C0 itself.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


def clean(value: object) -> str:
    """One line of text: control characters (DEL, C1, NUL...) dropped, whitespace folded."""
    words = str(value).split()
    return " ".join("".join(c for c in word if not _is_control(c)) for word in words).strip()


def clean_block(value: str) -> str:
    """A multi-line body: control characters other than tab and newline dropped.

    Python-Markdown uses STX/ETX internally as placeholders, so they must never reach it.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in value if c in "\t\n" or not _is_control(c))


def markdown_inline(value: object) -> str:
    """Text for a Markdown line or table cell: shown literally, never parsed as markup."""
    escaped = html.escape(clean(value), quote=True)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped)


def html_text(value: object) -> str:
    """Text for an HTML (or SVG/XML) element's content or a quoted attribute value."""
    return html.escape(clean(value), quote=True)


def plain_title(value: object) -> str:
    """A title for the front matter, which the theme prints in <title>, the header and nav.

    The theme does not escape it everywhere (Jinja's striptags even unescapes entities), so
    the characters that could open a tag or an attribute are swapped for look-alikes.
    """
    table = str.maketrans({"<": "‹", ">": "›", "&": "＆", '"': "”", "'": "’", "`": "‵"})
    return clean(value).translate(table)


def front_matter(meta: dict[str, object]) -> str:
    """Front matter as JSON (a subset of YAML) that YAML's reader always accepts."""
    # JSON is YAML, and dumping it is ~30x faster than yaml.safe_dump at 10k pages.
    dumped = json.dumps(meta, ensure_ascii=False, sort_keys=True)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", dumped)


# What makes a spreadsheet read a cell as a formula: Excel, LibreOffice and Google Sheets take
# =, +, -, @ and a leading tab or carriage return; the full-width forms are added because
# Excel's East Asian input turns them into the ASCII ones, and leading spaces are skipped
# since some importers trim them.
_FORMULA_START = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def spreadsheet_cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula (CSV injection)."""
    first = text.lstrip(" \u3000")[:1]
    return "'" + text if first and first in _FORMULA_START else text
