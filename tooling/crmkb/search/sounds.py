"""Matching by sound: staff type with pinyin input methods, so their typos are homophones.

Every character's toneless readings (pypinyin) are folded the way input methods forgive
(z/zh, c/ch, s/sh, n/l, an/ang, en/eng, in/ing), and a word's sound key is its folded syllables.
A query word that no record's head words contain, but that sounds like one of them (回宽 and
回款: hui kuan), is matched by that word too, below exact matches. The index ships the
readings and the head words by key (`shards`), so the browser does the same as `kb similar`.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Iterable
from functools import lru_cache

from pypinyin import Style, lazy_pinyin, pinyin

MAX_KEYS = 16  # sound keys tried per query word (characters with several readings multiply)
CHAR_PREFIX = "@"  # a shard entry "@字" holds the character's readings; others are keys
SHARD_TARGET_BYTES = 6_000


def fold(syllable: str) -> str:
    """One toneless syllable with the fuzzy initials and finals input methods accept."""
    for retroflex in ("zh", "ch", "sh"):
        if syllable.startswith(retroflex):
            syllable = syllable[0] + syllable[2:]
    if syllable.startswith("l"):
        syllable = "n" + syllable[1:]
    if syllable.endswith(("ang", "eng", "ing")):
        syllable = syllable[:-1]
    return syllable


@lru_cache(maxsize=65536)
def readings(char: str) -> tuple[str, ...]:
    """The folded readings of one character, most common first ('' when it has none)."""
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    folded = [fold(r) for r in (found[0] if found else []) if r.isascii() and r.isalpha()]
    return tuple(dict.fromkeys(folded))


def word_key(word: str) -> str:
    """The sound key of a corpus word, read in context (银行: yin han), or '' when some
    character has no reading."""
    syllables = lazy_pinyin(word, style=Style.NORMAL, errors="ignore")
    if len(syllables) != len(word) or not all(s.isascii() and s.isalpha() for s in syllables):
        return ""
    return " ".join(fold(s) for s in syllables)


def query_keys(text: str) -> list[str]:
    """Every sound key a typed word may stand for (each reading of each character)."""
    options = [readings(char) for char in text]
    if not all(options):
        return []
    return [" ".join(combo) for combo in itertools.islice(itertools.product(*options), MAX_KEYS)]


def by_key(words: Iterable[str]) -> dict[str, list[str]]:
    """Head words by sound key."""
    table: dict[str, set[str]] = {}
    for word in words:
        key = word_key(word)
        if key:
            table.setdefault(key, set()).add(word)
    return {key: sorted(found) for key, found in table.items()}


def alike(text: str, table: dict[str, list[str]]) -> list[str]:
    """The head words that sound like `text` (never `text` itself)."""
    found = {word for key in query_keys(text) for word in table.get(key, ())}
    found.discard(text)
    return sorted(found)


def typed_chars() -> list[str]:
    """The characters a typo is made of whose readings the browser gets: GB2312's first level
    (the 3,755 common characters pinyin input methods offer first), in code point order."""
    chars = []
    for code in range(0x4E00, 0xA000):
        char = chr(code)
        try:
            encoded = char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        if encoded[0] < 0xD8:  # rows 16-55: level 1
            chars.append(char)
    return chars


def shards(
    table: dict[str, list[str]], extra_chars: Iterable[str], hash_of: Callable[[str], int]
) -> list[dict[str, str | list[str]]]:
    """The browser's sound table in shards: head words by sound key, each key in shard
    `hash_of(key) % count` (the index's FNV-1a); and character readings, packed per shard
    under CHAR_PREFIX as "宽kuan|和he hu huo|…", a character in shard
    `hash_of(CHAR_PREFIX + char) % count`. Only readings some head word holds are shipped: a
    character read otherwise cannot sound like any head word."""
    heard = {syllable for key in table for syllable in key.split()}
    chars: dict[str, str] = {}
    for char in sorted({*typed_chars(), *extra_chars}):
        found = [r for r in readings(char) if r in heard]
        if found:
            chars[char] = " ".join(found)
    size = sum(len(c.encode()) + len(r) + 1 for c, r in chars.items())
    size += sum(len(json.dumps([k, v], ensure_ascii=False).encode()) for k, v in table.items())
    count = max(1, math.ceil(size / SHARD_TARGET_BYTES))
    packed: list[list[str]] = [[] for _ in range(count)]
    for char, spoken in chars.items():
        packed[hash_of(CHAR_PREFIX + char) % count].append(char + spoken)
    out: list[dict[str, str | list[str]]] = [{} for _ in range(count)]
    for number, part in enumerate(packed):
        if part:
            out[number][CHAR_PREFIX] = "|".join(part)
    for key in sorted(table):
        out[hash_of(key) % count][key] = table[key]
    return out
