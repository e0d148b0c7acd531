"""Synonym groups (records/synonyms.yml): words staff use for the same thing, for search.

A query word from a group also finds pages that use any other word of the group, on the site
and in `kb similar` (死机 finds 无响应). The lead curates the groups like any other record.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, Field

from crmkb.errors import RecordError
from crmkb.records.base import Kind, Record, Slug

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MAX_WORD_CHARS = 20
MAX_WORDS = 30


def _word(value: str) -> str:
    value = unicodedata.normalize("NFKC", value).strip()
    if not value:
        raise ValueError("a synonym must not be empty")
    if len(value) > MAX_WORD_CHARS:
        raise ValueError(f"a synonym has at most {MAX_WORD_CHARS} characters; shorten it")
    if len(value) == 1 and _CJK.match(value):
        # One character would match inside countless unrelated words (卡 in 卡片, 信用卡…).
        raise ValueError(f"'{value}' is a single character; use a word of two or more")
    if any(char in value for char in "\n\t"):
        raise ValueError("a synonym is one line of text")
    return value


Word = Annotated[str, AfterValidator(_word)]


class SynonymGroup(Record):
    id: Slug
    words: list[Word] = Field(min_length=2, max_length=MAX_WORDS)


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    """A word may belong to one group only, or a query could not tell which group it means."""
    seen: dict[str, str] = {}
    for group in kb.of(SynonymGroup).values():
        mine: set[str] = set()
        for number, word in enumerate(group.words):
            key = word.lower()
            if key in mine:
                yield group.error(("words", number), f"'{word}' appears twice in this group")
            elif key in seen:
                yield group.error(
                    ("words", number),
                    f"'{word}' is already in synonym group '{seen[key]}'; "
                    "keep it in one group only (merge the groups if they mean the same)",
                )
            mine.add(key)
            seen.setdefault(key, group.id)


KIND = Kind(
    name="synonym",
    model=SynonymGroup,
    directory="records/synonyms",
    id_pattern=r"[a-z][a-z0-9-]*",
    list_key="synonyms",
    title="同义词",
    check=check,
)
