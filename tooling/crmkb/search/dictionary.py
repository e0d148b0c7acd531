"""Segmenting a short query with only the part of jieba's dictionary it needs.

Loading rjieba builds its whole dictionary (349,045 words, 0.1 s), which is most of what a
one-line `kb similar` query would cost. jieba's segmentation of a run of characters depends only
on the dictionary words found inside that run, their frequencies and the dictionary's total
frequency (the route score of a word is ln(freq) - ln(total)). So rjieba's own segmenter, given
a dictionary of just those words with the same frequencies and the same total, cuts the run
exactly as the full dictionary does; the words are looked up in the record cache, which keeps
jieba's dictionary file as a table.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

# A word no run of CJK characters can contain: it carries the rest of the total frequency.
_FILLER = "\ue000"
# Below this many issues and solutions, loading rjieba (0.1 s) costs less than keeping its
# dictionary in a new record cache (about 1 s, once).
MIN_RECORDS = 1000


def dictionary_file() -> Path:
    """jieba's dictionary (the one rjieba compiles in), found without importing jieba."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the jieba package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


def read_dictionary(path: Path) -> Iterator[tuple[str, int]]:
    """(word, frequency) per line; a word listed twice keeps its last frequency, as rjieba's
    loader does (callers store them in a mapping)."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) >= 2:
                yield parts[0], int(parts[1])


def checked_dictionary(path: Path) -> dict[str, int] | None:
    """The dictionary file's words, or None when it is not rjieba's own (see below)."""
    entries = dict(read_dictionary(path))
    return entries if entries and agrees_with_rjieba(entries) else None


def agrees_with_rjieba(entries: Mapping[str, int]) -> bool:
    """Whether this dictionary is the one rjieba compiled in, as far as a sample shows: its
    words are rjieba's with the same frequencies and total (rjieba's `suggest_freq` of a word
    is its frequency, of two words their product over the total), and texts made of sampled
    words are cut alike."""
    from crmkb.search.tokenize import rjieba_module

    full = rjieba_module()
    words = sorted(entries)[::97]
    total = sum(entries.values())
    for word in words:
        if not full.has_word(word):
            return False
        if full.cut(word, False) == [word] and full.suggest_freq(word) - entries[word] not in (
            0,
            1,
        ):
            return False
    common = sorted((w for w in entries if len(w) == 2), key=entries.__getitem__)[-40:]
    for first, second in zip(common[::2], common[1::2], strict=True):
        if full.cut(first + second, False) == [first, second]:
            expected = entries[first] * entries[second] / total
            if abs(full.suggest_freq(first + second) - 1 - expected) > 1:
                return False
    texts = ["".join(words[i : i + 7]) for i in range(0, len(words), 7)]
    wanted = candidates(texts, max(map(len, entries), default=0))
    cut = segmented(texts, {w: entries[w] for w in wanted if w in entries}, total)
    return all(cut[text] == full.cut_for_search(text) for text in texts)


def candidates(runs: Iterable[str], longest: int) -> set[str]:
    """Every substring of the runs that could be a dictionary word."""
    return {
        run[i:j]
        for run in runs
        for i in range(len(run))
        for j in range(i + 1, min(len(run), i + longest) + 1)
    }


def segmented(runs: Iterable[str], words: Mapping[str, int], total: int) -> dict[str, list[str]]:
    """Each run cut for search by rjieba from a dictionary of `words` (every dictionary word
    found inside the runs, with its frequency) and the full dictionary's `total`."""
    jieba = _segmenter_class().empty()
    for word, freq in words.items():
        jieba.add_word(word, freq, None)
    rest = total - sum(words.values())
    if rest > 0:
        jieba.add_word(_FILLER, rest, None)
    cut: Callable[[str], list[str]] = jieba.cut_for_search
    return {run: cut(run) for run in runs}


def _segmenter_class() -> Any:
    """rjieba's compiled `Jieba` class, loaded without the package's `__init__`, which would
    build the default instance with the whole dictionary."""
    if "rjieba.rjieba" in sys.modules:  # loaded already (rjieba itself imports it so)
        return sys.modules["rjieba.rjieba"].Jieba
    spec = importlib.util.find_spec("rjieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("rjieba is not installed")
    folder = next(iter(spec.submodule_search_locations))
    binary = next(
        os.path.join(folder, name)
        for name in sorted(os.listdir(folder))
        if name.startswith("rjieba.")
        and name.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))
    )
    loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", binary)
    module_spec = importlib.util.spec_from_file_location("rjieba.rjieba", binary, loader=loader)
    assert module_spec is not None
    module = importlib.util.module_from_spec(module_spec)
    loader.exec_module(module)
    sys.modules["rjieba.rjieba"] = module  # a later `import rjieba` reuses it
    return module.Jieba
