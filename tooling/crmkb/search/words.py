"""The query rules the site's worker and `kb similar` share, written once.

`manifest()` puts them into the index manifest (manifest.json), where worker.js reads them;
`kb similar` reads them from here. Nothing of this list is copied into the JavaScript.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Single characters so common they only add noise to an index; multi-char words are kept.
STOP_CHARS = frozenset(
    "的了是在和与及或等也就都而被把对这那有我你他她它们个之为以于将从到并但又再则即该其所着吗呢吧啊"
)

# Question words and spoken filler staff wrap a problem in: they say nothing about which page
# answers it, so a query drops them before it is cut into words (in the browser and in
# `kb similar` alike). Written in Simplified Chinese: queries are normalised first.
FILLER = (
    "怎么办",
    "怎么回事",
    "怎么",
    "如何",
    "为什么",
    "为啥",
    "什么",
    "怎样",
    "请问",
    "一下",
    "老是",
    "总是",
    "一直",
    "是不是",
    "能不能",
    "咋办",
    "咋回事",
    "咋就",
    "咋",
)

SYNONYM_WEIGHT = 0.8  # a synonym match scores a little below the word itself
SOUND_WEIGHT = 0.6  # a match by sound (回宽 for 回款) scores below any exact match
SUB_WEIGHT = 0.5  # sub-words of a query word count half, as a fallback


@lru_cache(maxsize=1)
def _filler_pattern() -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, FILLER), key=len, reverse=True)))


def without_filler(normalized: str) -> str:
    """`normalized` with every filler word replaced by spaces (positions kept)."""
    return _filler_pattern().sub(lambda m: " " * len(m.group(0)), normalized)


def manifest() -> dict[str, object]:
    """The shared rules as the worker reads them from manifest.json."""
    return {
        "stop": "".join(sorted(STOP_CHARS)),
        "filler": sorted(FILLER, key=len, reverse=True),
        "synonym_weight": SYNONYM_WEIGHT,
        "sound_weight": SOUND_WEIGHT,
        "sub_weight": SUB_WEIGHT,
    }
