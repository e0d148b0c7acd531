"""What the corpus teaches the search: words jieba does not know, and the head words typos are
matched against by sound.

Titles, tags, synonym words, short forms and module names name what staff look for. Cut by
jieba's dictionary alone (no HMM guessing), a name jieba does not know (郑浩, 纷享销客) falls
apart into lone characters; such a run of two or more lone characters (no stop character) is
taught: the index holds it as a word, so the browser's query cut finds it, and `kb similar`
counts it the same way. The head words are every word of two or more characters of those
texts, taught ones included: what a query word that matches nothing may sound like.
"""

from __future__ import annotations

from collections.abc import Iterable

from crmkb.search.tokenize import cjk_runs, normalize, rjieba_module
from crmkb.search.words import STOP_CHARS

MAX_TAUGHT_CHARS = 8  # longer runs of unknown characters are sentences, not names
MAX_HEAD_CHARS = 6


def _cut(run: str) -> list[str]:
    words: list[str] = rjieba_module().cut(run, False)
    return words


def taught_in(run: str) -> list[str]:
    """The runs of two or more lone characters jieba's dictionary leaves in `run`."""
    found: list[str] = []
    pending: list[str] = []
    for word in [*_cut(run), ""]:
        if len(word) == 1 and word not in STOP_CHARS:
            pending.append(word)
            continue
        if 2 <= len(pending) <= MAX_TAUGHT_CHARS:
            found.append("".join(pending))
        pending = []
    return found


def learn(texts: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(taught words, head words) of the corpus' naming texts."""
    taught: set[str] = set()
    heads: set[str] = set()
    for text in texts:
        for run in cjk_runs(normalize(text)):
            new = taught_in(run)
            taught.update(new)
            heads.update(new)
            heads.update(w for w in _cut(run) if 2 <= len(w) <= MAX_HEAD_CHARS)
    return frozenset(taught), frozenset(heads)
