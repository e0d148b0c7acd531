"""Synonym groups (records/synonyms.yml): words staff use for the same thing, for search.

A query word from a group also finds pages that use any other word of the group, on the site
and in `kb similar` (死机 finds 无响应). A group may also list short forms staff write for its
words (`short: [CFO, 财总]` for 财务总监): an English abbreviation, or a Chinese short name whose
characters appear in order inside one of the group's words. The lead curates the groups like any
other record.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, Field

from crmkb.errors import RecordError
from crmkb.i18n import _
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
_ABBREVIATION = re.compile(r"[A-Za-z][A-Za-z0-9&]{1,9}")


def _short(value: str) -> str:
    value = _word(value)
    if value.isascii() and not _ABBREVIATION.fullmatch(value):
        raise ValueError(
            f"'{value}' is not an abbreviation: use 2 to 10 letters and digits, starting with a "
            "letter (CFO, OA, B2B)"
        )
    return value


Short = Annotated[str, AfterValidator(_short)]


class SynonymGroup(Record):
    id: Slug
    words: list[Word] = Field(min_length=1, max_length=MAX_WORDS)
    short: list[Short] = Field(default_factory=list, max_length=MAX_WORDS)

    @property
    def every_word(self) -> list[str]:
        """The words and the short forms: everything a query may say for this group."""
        return [*self.words, *self.short]


def in_order(short: str, word: str) -> bool:
    """Whether the characters of `short` appear in order inside `word` (财总 in 财务总监)."""
    rest = iter(word)
    return all(char in rest for char in short)


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    """A word may belong to one group only, or a query could not tell which group it means;
    a group has two words or more, or a word and its short forms; a Chinese short form is made
    of one of the group's words' characters, in order."""
    seen: dict[str, str] = {}
    for group in kb.of(SynonymGroup).values():
        if len(group.every_word) < 2:
            yield group.error(
                ("words",), _("a group needs two words or more (or a word and a short form)")
            )
        for number, short in enumerate(group.short):
            if not short.isascii() and not any(in_order(short, w) for w in group.words):
                yield group.error(
                    ("short", number),
                    _(
                        "'{short}' is not a short form of any word of this group: its "
                        "characters must appear in order inside one of them (财总 for 财务总监)"
                    ).format(short=short),
                )
        mine: set[str] = set()
        for number, (field_name, word) in enumerate(
            [("words", w) for w in group.words] + [("short", w) for w in group.short]
        ):
            at = number if field_name == "words" else number - len(group.words)
            key = word.lower()
            if key in mine:
                yield group.error((field_name, at), f"'{word}' appears twice in this group")
            elif key in seen:
                yield group.error(
                    (field_name, at),
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
