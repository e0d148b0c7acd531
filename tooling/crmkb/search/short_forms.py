"""Short forms the corpus suggests, offered to the lead by `kb check` (never added silently).

Two signs, read in what names things (titles, tags, module names and master data):
- an English abbreviation written next to its Chinese term: 财务总监（CFO）, CFO（财务总监）;
- a word of the corpus whose characters appear, in order but not side by side, inside a longer
  word of the corpus that starts with the same character: 财总 in 财务总监.
A pair already in one synonym group is not offered again.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from crmkb.search.tokenize import CJK_CLASS

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

_TERM = f"[{CJK_CLASS}]{{2,8}}"
_ABBREVIATION = r"[A-Za-z][A-Za-z0-9&]{1,9}"
_BESIDE = re.compile(
    rf"({_TERM})\s*[（(]\s*({_ABBREVIATION})\s*[）)]|({_ABBREVIATION})\s*[（(]\s*({_TERM})\s*[）)]"
)


def _spaced_subsequence(short: str, word: str) -> bool:
    if len(short) >= len(word) or short in word or short[0] != word[0]:
        return False
    rest = iter(word)
    return all(char in rest for char in short)


def candidates(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(short form, long form) pairs the corpus suggests and no synonym group holds yet."""
    from crmkb.records.synonym import SynonymGroup
    from crmkb.search.documents import learned, naming_texts

    groups = list(kb.of(SynonymGroup).values())
    grouped = {(a.lower(), b.lower()) for g in groups for a in g.every_word for b in g.every_word}
    texts = naming_texts(kb, groups)
    found: set[tuple[str, str]] = set()
    for text in texts:
        for match in _BESIDE.finditer(text):
            term, short, short2, term2 = match.groups()
            found.add((short or short2, term or term2))
    _, heads = learned(kb, groups)  # kept in the record cache
    longer = [w for w in heads if len(w) >= 4]
    for short in (w for w in heads if len(w) == 2):
        found.update((short, word) for word in longer if _spaced_subsequence(short, word))
    return sorted(pair for pair in found if (pair[0].lower(), pair[1].lower()) not in grouped)
