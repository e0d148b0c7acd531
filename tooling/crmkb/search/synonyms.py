"""Synonym groups for search: every word of a group stands for one shared group token.

The index adds a group's token to every page that uses any of its words, and a query word
from a group looks that token up, so 死机 finds pages that say 无响应. `kb similar` and the
browser worker (through the `synonyms` table in charmap.json) share these tokens.

The same object carries what the corpus teaches the search (crmkb.search.lexicon): the words
jieba does not know, counted as words wherever a text holds them, and the head words a typo is
matched against by sound.
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
    taught: frozenset[str] = frozenset()  # words the corpus teaches jieba's dictionary
    heads: frozenset[str] = frozenset()  # words of titles, tags, groups and module names

    @classmethod
    def from_groups(
        cls,
        groups: Iterable[tuple[str, Sequence[str]]],
        taught: Iterable[str] = (),
        heads: Iterable[str] = (),
    ) -> Synonyms:
        table: dict[str, str] = {}
        for group_id, words in groups:
            for word in words:
                table.setdefault(normalize(word), TOKEN_PREFIX + group_id)
        return cls(table, frozenset(taught), frozenset(heads))

    @property
    def sounds(self) -> dict[str, list[str]]:
        """The head words by sound key (see crmkb.search.sounds)."""
        cached: dict[str, list[str]] | None = self.__dict__.get("_sounds")
        if cached is None:
            from crmkb.search.sounds import by_key

            cached = by_key(self.heads)
            object.__setattr__(self, "_sounds", cached)
        return cached

    def __bool__(self) -> bool:
        return bool(self.tokens or self.taught or self.heads)

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
        """How often each group's words, and each taught word, occur in normalised text."""
        found: Counter[str] = Counter()
        if self.tokens:
            found.update(self.tokens[m.group(0)] for m in self._pattern.finditer(normalized))
        if self.taught:
            found.update(self._taught_in(normalized))
        return found

    def _taught_in(self, normalized: str) -> list[str]:
        starts: dict[str, set[int]] | None = self.__dict__.get("_starts")
        if starts is None:  # first character -> lengths of the taught words it begins
            starts = {}
            for word in self.taught:
                starts.setdefault(word[0], set()).add(len(word))
            object.__setattr__(self, "_starts", starts)
        return [
            normalized[i : i + size]
            for i, char in enumerate(normalized)
            if char in starts
            for size in starts[char]
            if normalized[i : i + size] in self.taught
        ]

    def fingerprint(self) -> str:
        """Changes whenever what this object adds to a text's terms changes."""
        return repr((sorted(self.tokens.items()), sorted(self.taught)))

    def words_of(self, token: str) -> list[str]:
        return [word for word, group in self.tokens.items() if group == token]
