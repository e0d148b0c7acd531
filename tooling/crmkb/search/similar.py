"""Rank records by likeness to a free-text query, for `kb similar`: BM25 over search tokens."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from crmkb.search.index import SearchDoc
from crmkb.search.tokenize import tokens

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 3  # a word in the title counts as three in the body: titles name the problem


@dataclass(frozen=True)
class Match:
    """One similar record and how strongly it matches."""

    doc: SearchDoc
    score: float


def _weighted_terms(doc: SearchDoc) -> Counter[str]:
    counts = Counter(tokens(doc.text))
    for term in tokens(" ".join((doc.title, *doc.keywords))):
        counts[term] += TITLE_WEIGHT
    return counts


def rank(query: str, docs: Sequence[SearchDoc], limit: int = 5) -> list[Match]:
    """Return up to `limit` docs sharing words with `query`, best first (ties by location)."""
    query_terms = set(tokens(query))
    if not query_terms or not docs:
        return []
    bags = [_weighted_terms(doc) for doc in docs]
    lengths = [sum(bag.values()) for bag in bags]
    average = sum(lengths) / len(lengths) or 1.0
    df = Counter(term for bag in bags for term in query_terms & bag.keys())
    total = len(docs)
    matches = []
    for doc, bag, length in zip(docs, bags, lengths, strict=True):
        score = 0.0
        for term in query_terms & bag.keys():
            idf = math.log(1 + (total - df[term] + 0.5) / (df[term] + 0.5))
            tf = bag[term]
            score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))
        if score > 0:
            matches.append(Match(doc, score))
    matches.sort(key=lambda match: (-match.score, match.doc.location))
    return matches[:limit]
