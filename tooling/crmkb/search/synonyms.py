"""Synonym groups for search: every word of a group stands for one shared group token.

The index adds a group's token to every page that uses any of its words, and a query word
from a group looks that token up, so 死机 finds pages that say 无响应. `kb similar` and the
browser worker (through the `synonyms` table in charmap.json) share these tokens.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from crmkb.search.tokenize import CJK_CLASS, normalize

TOKEN_PREFIX = "~"  # never produced by the tokenizer, so a group token never meets a word


@dataclass(frozen=True)
class Synonyms:
    """Normalised word -> group token, and one pattern that finds every word in a text."""

    tokens: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_groups(cls, groups: Iterable[tuple[str, Sequence[str]]]) -> Synonyms:
        table: dict[str, str] = {}
        for group_id, words in groups:
            for word in words:
                table.setdefault(normalize(word), TOKEN_PREFIX + group_id)
        return cls(table)

    def __bool__(self) -> bool:
        return bool(self.tokens)

    @property
    def _pattern(self) -> re.Pattern[str]:
        cached: re.Pattern[str] | None = self.__dict__.get("_compiled")
        if cached is None:
            # Longest first so 没有反应 wins over 反应; ASCII words only as whole words.
            words = sorted(self.tokens, key=len, reverse=True)
            alternatives = [
                re.escape(w) if re.search(f"[{CJK_CLASS}]", w) else rf"\b{re.escape(w)}\b"
                for w in words
            ]
            cached = re.compile("|".join(alternatives) or r"(?!)")
            object.__setattr__(self, "_compiled", cached)
        return cached

    def groups_in(self, normalized: str) -> Counter[str]:
        """How often each group's words occur in already-normalised text."""
        if not self.tokens:
            return Counter()
        return Counter(self.tokens[m.group(0)] for m in self._pattern.finditer(normalized))

    def words_of(self, token: str) -> list[str]:
        return [word for word, group in self.tokens.items() if group == token]
