"""Rank records by likeness to a free-text query, for `kb similar`: BM25 over search tokens."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from crmkb.search.bags import Bag, PartialBag
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


def weighted_terms(doc: SearchDoc) -> Bag:
    """A document's terms and their weights, as `rank` counts them."""
    counts = Bag(tokens(doc.text))
    for term in tokens(" ".join((doc.title, *doc.keywords))):
        counts[term] += TITLE_WEIGHT
    return counts


def terms_of(query: str) -> set[str]:
    """The terms of a query that `rank` looks for in each document."""
    return set(tokens(query))


def rank(
    query: str,
    docs: Sequence[SearchDoc],
    limit: int = 5,
    bags: Sequence[Bag | PartialBag] | None = None,
) -> list[Match]:
    """Return up to `limit` docs sharing words with `query`, best first (ties by location).

    `bags` are the docs' `weighted_terms` when the caller kept them (the record cache does);
    they need to hold only the `query_terms`.
    """
    query_terms = terms_of(query)
    if not query_terms or not docs:
        return []
    if bags is None:
        bags = [weighted_terms(doc) for doc in docs]
    lengths = [bag.length for bag in bags]
    average = sum(lengths) / len(lengths) or 1.0
    df = Counter(term for bag in bags for term in query_terms if term in bag)
    total = len(docs)
    matches = []
    for doc, bag, length in zip(docs, bags, lengths, strict=True):
        score = 0.0
        for term in [t for t in query_terms if t in bag]:
            idf = math.log(1 + (total - df[term] + 0.5) / (df[term] + 0.5))
            tf = bag[term]
            score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))
        if score > 0:
            matches.append(Match(doc, score))
    matches.sort(key=lambda match: (-match.score, match.doc.location))
    return matches[:limit]
