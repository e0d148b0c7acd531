"""Rank records by likeness to a free-text query, for `kb similar`: BM25 over search tokens.

Like the site search, a query word also matches its other simplified spellings (帐/账) and its
synonym group (死机 ~ 无响应), filler words are dropped (crmkb.search.words), a record sharing
only a lone character is not a match, and two characters of the query that match (almost)
nothing but sound like a head word of the corpus match that word, below exact matches.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from crmkb.search.bags import Bag, PartialBag
from crmkb.search.index import SearchDoc
from crmkb.search.sounds import alike
from crmkb.search.synonyms import Synonyms
from crmkb.search.tokenize import cjk_runs, normalize, tokens, tokens_of_normalized, variants
from crmkb.search.words import SOUND_WEIGHT, SYNONYM_WEIGHT, without_filler

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 3  # a word in the title counts as three in the body: titles name the problem
SOUND = "\u2248"  # prefixes a concept matched by sound: never produced by the tokenizer
RARE_DF = 2  # a query word in at most this many records may be a typo of a same-sound word


@dataclass(frozen=True)
class Match:
    """One similar record and how strongly it matches."""

    doc: SearchDoc
    score: float


def weighted_terms(doc: SearchDoc, synonyms: Synonyms) -> Bag:
    """A document's terms and their weights, as `rank` counts them."""
    counts = Bag(tokens(doc.text))
    counts.update(synonyms.groups_in(normalize(doc.text)))
    head = normalize(" ".join((doc.title, doc.symptom, *doc.keywords)))
    for term in [*tokens_of_normalized(head), *synonyms.groups_in(head)]:
        counts[term] += TITLE_WEIGHT
    return counts


def _concepts(query: str, synonyms: Synonyms) -> dict[str, list[str]]:
    """Each query term with the spellings and synonym token that also count for it."""
    normalized = without_filler(normalize(query))
    found: dict[str, list[str]] = {}
    for term in tokens_of_normalized(normalized):
        spellings = variants(term)
        group = [synonyms.tokens[s] for s in spellings if s in synonyms.tokens]
        found[term] = [*spellings, *group[:1]]
    for group_token in synonyms.groups_in(normalized):
        found.setdefault(group_token, [group_token])
    for run in cjk_runs(normalized):
        for start in range(len(run) - 1):
            pair = run[start : start + 2]
            if pair not in synonyms.heads and (words := alike(pair, synonyms.sounds)):
                found.setdefault(SOUND + pair, [pair, *words])
    return found


def _sound_counts(term: str, alt: str, df: Counter[str], concepts: dict[str, list[str]]) -> bool:
    """Whether a sound concept's word counts: the typed pair itself is rare, and no longer
    query word that holds the pair is common (账龄报表 holds 龄报, a pair of no word)."""
    typed = term[1:]
    if alt == typed or df[typed] > RARE_DF:
        return False
    return not any(
        typed in other and len(other) > 2 and df[other] > RARE_DF
        for other in concepts
        if not other.startswith(SOUND)
    )


def _meaningful(term: str) -> bool:
    return len(term) > 1 or term.isascii()  # a sound concept's pair is two characters


def terms_of(query: str, synonyms: Synonyms) -> set[str]:
    """Every term `rank` looks for in a document for this query."""
    return {alt for alts in _concepts(query, synonyms).values() for alt in alts}


def rank(
    query: str,
    docs: Sequence[SearchDoc],
    limit: int = 5,
    synonyms: Synonyms | None = None,
    bags: Sequence[Bag | PartialBag] | None = None,
) -> list[Match]:
    """Return up to `limit` docs sharing words with `query`, best first (ties by location).

    `bags` are the docs' `weighted_terms` when the caller kept them (the record cache does);
    they need to hold only the `terms_of` the query.
    """
    synonyms = Synonyms() if synonyms is None else synonyms
    concepts = _concepts(query, synonyms)
    if not concepts or not docs:
        return []
    if bags is None:
        bags = [weighted_terms(doc, synonyms) for doc in docs]
    lengths = [bag.length for bag in bags]
    average = sum(lengths) / len(lengths) or 1.0
    wanted = {alt for alts in concepts.values() for alt in alts}
    df = Counter(term for bag in bags for term in wanted if term in bag)
    total = len(docs)
    lone = len(concepts) == 1
    matches = []
    for doc, bag, length in zip(docs, bags, lengths, strict=True):
        if not bag:  # no term at all (a kept bag holds only the query's terms): no score
            continue
        score, meaningful = 0.0, False
        norm = K1 * (1 - B + B * length / average)
        for term, alternatives in concepts.items():
            best = 0.0
            for alt in alternatives:
                if alt not in bag:
                    continue
                sound = term.startswith(SOUND)
                if sound and not _sound_counts(term, alt, df, concepts):
                    continue
                idf = math.log(1 + (total - df[alt] + 0.5) / (df[alt] + 0.5))
                weight = SYNONYM_WEIGHT if alt.startswith("~") else 1.0
                weight *= SOUND_WEIGHT if sound else 1.0
                best = max(best, weight * idf * bag[alt] * (K1 + 1) / (bag[alt] + norm))
            if best > 0:
                score += best
                meaningful = meaningful or lone or _meaningful(term)
        if score > 0 and meaningful:
            matches.append(Match(doc, score))
    matches.sort(key=lambda match: (-match.score, match.doc.location))
    return matches[:limit]
