"""Build the static, sharded search index the browser worker queries.

Layout written into `out_dir` (all JSON, deterministic for the same docs):
  manifest.json        counts the worker needs (docs, shards, chunk size, tiers, version)
  charmap.json         traditional -> simplified characters, characters with several
                       simplified forms, and synonym words -> group tokens, for queries
  s/<n>.json           terms hashed to shard n: {term: [df, [impact, doc, +delta, ...], ...]}
  p/<n>.json           sounds hashed to shard n: {"@char": [readings], sound key: [head words]}
  d/<n>.json           doc metadata chunk n: [[location, title, kind, teaser, tags], ...]
  worker.js            the web worker speaking Material's search protocol

Docs are numbered tier by tier (records that answer a question, other pages, listings), so
the worker knows a doc's tier from its number alone and ranks every listing page below every
record page that matches.
"""

from __future__ import annotations

import json
import math
import shutil
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise
from pathlib import Path

from crmkb.search import sounds, words
from crmkb.search.synonyms import Synonyms
from crmkb.search.tokenize import char_forms, char_map, normalize, tokens_of_normalized

FORMAT_VERSION = 3
CHUNK_SIZE = 4  # docs per metadata file: the top hits rarely share one, so keep them small
SHARD_TARGET_BYTES = 6_000  # keeps a multi-term query's shard fetches well under 500 KiB
POSTINGS_CAP = 256  # highest-impact docs kept per term; df keeps the true count for idf
TEASER_CHARS = 120
TITLE_BONUS = 3.0  # impact added when the term is in the title: titles outrank any body
KEYWORD_BONUS = 2.0  # ids, tags and keywords
SYMPTOM_BONUS = 1.5  # the problem in the reporter's words: what staff type into the box
ANSWER_KINDS = frozenset({"issue", "solution"})  # tier 0: pages that answer a problem
LISTING_KINDS = frozenset({"index", "listing"})  # tier 2: catalogs, reports, leaderboards
BODY_K1 = 1.2
BODY_B = 0.75
IMPACT_SCALE = 10  # impacts are stored as small integers to keep shards compact


@dataclass(frozen=True)
class SearchDoc:
    """One searchable page: where it lives and what it says."""

    location: str
    title: str
    text: str
    kind: str
    keywords: tuple[str, ...] = ()
    symptom: str = ""  # weighed between title and body
    tags: tuple[str, ...] = ()  # shown on the result: page kind, an issue's state

    @property
    def tier(self) -> int:
        return 0 if self.kind in ANSWER_KINDS else 2 if self.kind in LISTING_KINDS else 1


@dataclass(frozen=True)
class IndexStats:
    """What `write_index` produced, for logs and benchmarks."""

    docs: int
    terms: int
    postings: int
    shards: int
    chunks: int
    bytes: int


def fnv1a(term: str) -> int:
    """32-bit FNV-1a over UTF-8; worker.js implements the same function."""
    value = 0x811C9DC5
    for byte in term.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def _terms(text: str, synonyms: Synonyms) -> Counter[str]:
    """Search tokens of `text`, plus one group token per synonym word it uses."""
    normalized = normalize(text)
    counts = Counter(tokens_of_normalized(normalized))
    counts.update(synonyms.groups_in(normalized))
    return counts


def _impacts(docs: Sequence[SearchDoc], synonyms: Synonyms) -> dict[str, dict[int, int]]:
    """Score every (term, doc) pair: saturated body frequency plus title/symptom/keyword bonuses."""
    body_counts = [_terms(doc.text, synonyms) for doc in docs]
    lengths = [sum(counts.values()) for counts in body_counts]
    average = (sum(lengths) / len(lengths)) if lengths else 1.0
    average = average or 1.0

    postings: dict[str, dict[int, int]] = {}
    for number, doc in enumerate(docs):
        title = set(_terms(doc.title, synonyms))
        symptom = set(_terms(doc.symptom, synonyms))
        keywords = set(_terms(" ".join(doc.keywords), synonyms))
        norm = BODY_K1 * (1 - BODY_B + BODY_B * lengths[number] / average)
        counts = body_counts[number]
        for term in title | symptom | keywords | set(counts):
            tf = counts.get(term, 0)
            score = tf * (BODY_K1 + 1) / (tf + norm) if tf else 0.0
            score += TITLE_BONUS * (term in title) + KEYWORD_BONUS * (term in keywords)
            score += SYMPTOM_BONUS * (term in symptom)
            postings.setdefault(term, {})[number] = max(1, round(score * IMPACT_SCALE))
    return postings


def encode_postings(by_doc: dict[int, int], cap: int = POSTINGS_CAP) -> list[int | list[int]]:
    """Encode one term as [df, [impact, doc, delta...], ...], groups by impact descending."""
    ranked = sorted(by_doc.items(), key=lambda item: (-item[1], item[0]))[:cap]
    groups: dict[int, list[int]] = {}
    for doc, impact in ranked:
        groups.setdefault(impact, []).append(doc)
    encoded: list[int | list[int]] = [len(by_doc)]
    for impact in sorted(groups, reverse=True):
        members = sorted(groups[impact])
        deltas = [members[0]] + [b - a for a, b in pairwise(members)]
        encoded.append([impact, *deltas])
    return encoded


def _dump(path: Path, value: object) -> int:
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    raw = data.encode("utf-8")
    path.write_bytes(raw)
    return len(raw)


def _teaser(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= TEASER_CHARS else flat[:TEASER_CHARS] + "…"


def _chunks(docs: Sequence[SearchDoc]) -> Iterable[list[list[object]]]:
    for start in range(0, len(docs), CHUNK_SIZE):
        yield [
            [doc.location, doc.title, doc.kind, _teaser(doc.symptom or doc.text), list(doc.tags)]
            for doc in docs[start : start + CHUNK_SIZE]
        ]


def labels(language: str) -> dict[str, str]:
    """What the worker writes on a result, in the site's language."""
    from crmkb.i18n import _, speaking

    with speaking(language):
        return {"sound": _("Matched by sound: {words}")}


def write_index(
    docs: Sequence[SearchDoc],
    out_dir: Path,
    synonyms: Synonyms | None = None,
    language: str = "en",
) -> IndexStats:
    """Write the sharded index, doc chunks, char map and worker for `docs` into `out_dir`."""
    synonyms = Synonyms() if synonyms is None else synonyms
    # Stable numbers whatever the input order, grouped by tier (see the module docstring).
    docs = sorted(docs, key=lambda doc: (doc.tier, doc.location))
    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / "s").mkdir(parents=True)
    (out_dir / "d").mkdir()
    (out_dir / "p").mkdir()

    impacts = _impacts(docs, synonyms)
    encoded = {term: encode_postings(by_doc) for term, by_doc in impacts.items()}
    postings = sum(min(len(by_doc), POSTINGS_CAP) for by_doc in impacts.values())
    sizes = {
        term: len(json.dumps(value, separators=(",", ":"))) + len(term) * 3 + 4
        for term, value in encoded.items()
    }
    shard_count = max(1, math.ceil(sum(sizes.values()) / SHARD_TARGET_BYTES))
    shards: list[dict[str, object]] = [{} for _ in range(shard_count)]
    for term in sorted(encoded):
        shards[fnv1a(term) % shard_count][term] = encoded[term]

    written = 0
    for number, shard in enumerate(shards):
        written += _dump(out_dir / "s" / f"{number}.json", shard)
    chunk_count = 0
    for number, chunk in enumerate(_chunks(docs)):
        written += _dump(out_dir / "d" / f"{number}.json", chunk)
        chunk_count += 1
    heard = sounds.shards(synonyms.sounds, "".join(synonyms.heads), fnv1a)
    for number, part in enumerate(heard):
        written += _dump(out_dir / "p" / f"{number}.json", part)
    table = char_map()
    written += _dump(
        out_dir / "charmap.json",
        {
            "from": "".join(table),
            "to": "".join(table.values()),
            "forms": char_forms(),
            "synonyms": synonyms.tokens,
        },
    )
    written += _dump(
        out_dir / "manifest.json",
        {
            "version": FORMAT_VERSION,
            "docs": len(docs),
            "shards": shard_count,
            "chunk": CHUNK_SIZE,
            # First doc number of tier 1 and of tier 2.
            "tiers": [sum(doc.tier < tier for doc in docs) for tier in (1, 2)],
            # The least impact of a term in a title or keyword: such a match names the page.
            "title_impact": round(TITLE_BONUS * IMPACT_SCALE),
            "sound_shards": len(heard),
            "words": words.manifest(),
            "labels": labels(language),
        },
    )
    worker = resources.files("crmkb.search").joinpath("assets/worker.js").read_bytes()
    (out_dir / "worker.js").write_bytes(worker)
    written += len(worker)
    return IndexStats(
        docs=len(docs),
        terms=len(encoded),
        postings=postings,
        shards=shard_count,
        chunks=chunk_count,
        bytes=written,
    )
