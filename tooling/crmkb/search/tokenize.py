"""The one Chinese-aware tokenizer shared by the site search index and `kb similar`.

Text is normalised to lowercase Simplified Chinese (OpenCC t2s) so that traditional and
simplified spellings meet; CJK runs are segmented with jieba's dictionary in search mode
(sub-words as well as whole words), ASCII words and record ids stay whole tokens.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

import opencc

from crmkb.search.words import STOP_CHARS

# rjieba is jieba's algorithm and dictionary compiled to Rust: same tokens as
# jieba.lcut_for_search (pinned by a test) at ~100x the speed, which matters at 10k records.
# It is imported on first use: loading its dictionary takes 0.1 s, and `kb similar` cuts its
# query without it (see `presegmented`).

CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = f"[{CJK_CLASS}]+"
# Words joined by - _ . stay one token (ISS-0042, v1.2) and are also split into parts.
_ASCII_WORD = r"[0-9a-z\u00c0-\u024f]+(?:[-_.][0-9a-z\u00c0-\u024f]+)*"
_TOKEN_RE = re.compile(f"({_CJK_RUN})|({_ASCII_WORD})")
_PART_RE = re.compile(r"[-_.]")


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


def normalize(text: str) -> str:
    """Return `text` as lowercase Simplified Chinese with full-width forms folded (NFKC)."""
    converted: str = _converter().convert(unicodedata.normalize("NFKC", text))
    return converted.lower()


# Runs already cut as rjieba cuts them (see crmkb.search.dictionary), by run.
_PRESEGMENTED: ContextVar[dict[str, list[str]]] = ContextVar("presegmented", default={})  # noqa: B039  # never mutated


@contextmanager
def presegmented(table: dict[str, list[str]]) -> Iterator[None]:
    """Within this block, `segment` takes these runs' words from `table` instead of rjieba."""
    token = _PRESEGMENTED.set(table)
    try:
        yield
    finally:
        _PRESEGMENTED.reset(token)


@lru_cache(maxsize=1)
def rjieba_module() -> Any:
    import rjieba

    return rjieba


def segment(run: str) -> list[str]:
    """Segment one run of CJK characters in search mode (whole words plus their sub-words)."""
    words = _PRESEGMENTED.get().get(run)
    if words is None:
        words = rjieba_module().cut_for_search(run)
    return [word for word in words if len(word) > 1 or word not in STOP_CHARS]


def cjk_runs(normalized: str) -> list[str]:
    """The runs of CJK characters in normalised text: what `segment` is given."""
    return [cjk for cjk, _ in _TOKEN_RE.findall(normalized) if cjk]


def tokens_of_normalized(text: str) -> list[str]:
    """Tokenize text that has already been through `normalize`."""
    out: list[str] = []
    for match in _TOKEN_RE.finditer(text):
        cjk, word = match.groups()
        if cjk:
            out.extend(segment(cjk))
            continue
        out.append(word)
        if _PART_RE.search(word):
            out.extend(part for part in _PART_RE.split(word) if part)
    return out


def tokens(text: str) -> list[str]:
    """Split `text` into normalised search tokens, in order, repeats kept."""
    return tokens_of_normalized(normalize(text))


# Traditional characters with several simplified forms that OpenCC's t2s collapses to one: it
# writes 帳號 as 帐号, where the 2013 standard and most CRM text write 账号. Each entry lists
# every simplified form; queries try them all and the index decides which ones exist.
SEVERAL_FORMS = {
    "帳": "帐账",
    "乾": "干乾",
    "著": "着著",
    "徵": "征徵",
    "藉": "借藉",
    "夥": "伙夥",
    "甦": "苏甦",
    "祇": "只祇",
}
MAX_VARIANTS = 8  # spellings tried per query word; 3 ambiguous characters already make 8


_FORMS: list[dict[str, str]] = []  # the table of `char_forms`, once built or given


def char_forms() -> dict[str, str]:
    """Character -> every simplified form to try for it (itself included where it is one)."""
    if not _FORMS:
        _FORMS.append(build_char_forms())
    return _FORMS[0]


def use_char_forms(table: dict[str, str]) -> None:
    """Take `char_forms` as kept from an earlier build (the record cache keeps it, keyed by the
    code and library versions): building it reads every OpenCC table, 0.2 s per command."""
    _FORMS[:] = [table]


def build_char_forms() -> dict[str, str]:
    """`char_forms`, computed.

    Built from OpenCC's own tables (a traditional character that several simplified ones
    convert to, in any of s2t/s2tw/s2hk) plus SEVERAL_FORMS; each simplified form of such a
    character also gets its siblings, so 账龄 finds a page written 帳齡 (indexed as 帐龄).
    """
    convert = _converter().convert
    back = [opencc.OpenCC(name).convert for name in ("s2t.json", "s2tw.json", "s2hk.json")]
    forms: dict[str, set[str]] = {}
    for code in range(0x4E00, 0xA000):
        simple = chr(code)
        if convert(simple) != simple:
            continue
        for to_traditional in back:
            traditional = to_traditional(simple)
            if len(traditional) == 1 and traditional != simple:
                forms.setdefault(traditional, {convert(traditional)}).add(simple)
    for traditional, extra in SEVERAL_FORMS.items():
        forms.setdefault(traditional, set()).update(extra)
    table: dict[str, str] = {}
    for traditional, family in forms.items():
        if len(family) < 2:
            continue
        ordered = [convert(traditional), *sorted(family - {convert(traditional)})]
        table[traditional] = "".join(ordered)
        for simple in family:
            table[simple] = "".join(dict.fromkeys([simple, *ordered]))
    return table


def variants(term: str) -> list[str]:
    """`term` (normalised) and its spellings with the other simplified forms of its characters."""
    forms = char_forms()
    found = [""]
    for char in term:
        options = forms.get(char, char)
        found = [head + option for head in found for option in options][:MAX_VARIANTS]
    if term not in found:
        found.insert(0, term)
    return list(dict.fromkeys([term, *found]))


def char_map() -> dict[str, str]:
    """Map every CJK character OpenCC changes to its Simplified form, for the browser side.

    The browser cannot run OpenCC, so the query is normalised with this per-character
    table; only one-to-one conversions are kept because the query is mapped char by char.
    """
    convert = _converter().convert
    ranges = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
    table: dict[str, str] = {}
    for low, high in ranges:
        for code in range(low, high + 1):
            char = unicodedata.normalize("NFKC", chr(code))
            simplified = convert(char)
            if len(char) == 1 and len(simplified) == 1 and simplified != chr(code):
                table[chr(code)] = simplified
    return table
