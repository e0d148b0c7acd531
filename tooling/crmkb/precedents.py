"""Past issues and solutions like a new problem, so a duplicate is caught before it is filed."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crmkb.records.issue import Issue
from crmkb.records.solution import Solution

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase
    from crmkb.search.bags import PartialBag
    from crmkb.search.index import SearchDoc
    from crmkb.search.synonyms import Synonyms

LIMIT = 5


@dataclass(frozen=True)
class Precedent:
    """One similar record: its id, kind, standing and title, and how well it matched."""

    id: str
    kind: str
    status: str
    title: str
    score: float
    solution: str | None = None  # for an issue: its solution, or the issue it duplicates


def documents(kb: KnowledgeBase) -> list[SearchDoc]:
    """Issues and solutions as search documents, with the site's own tokenizer behind them."""
    docs = [_doc(i, "issue") for i in kb.of(Issue).values()]
    return docs + [_doc(s, "solution") for s in kb.of(Solution).values()]


def similar(
    kb: KnowledgeBase, text: str, limit: int = LIMIT, exclude: frozenset[str] = frozenset()
) -> list[Precedent]:
    """The `limit` issues and solutions most like `text`, best first."""
    from crmkb.search.documents import synonyms_of
    from crmkb.search.similar import rank

    _kept_char_forms(kb)
    synonyms = synonyms_of(kb)
    with _query_cut(kb, text):
        docs, bags = _candidates(kb, text, exclude, synonyms)
        matches = rank(text, docs, limit, synonyms, bags)
    found = []
    for match in matches:
        record = kb.get(match.doc.location)
        if isinstance(record, Issue):
            found.append(
                Precedent(
                    record.id,
                    "issue",
                    record.status,
                    record.title,
                    match.score,
                    record.solution or record.duplicate_of,
                )
            )
        elif isinstance(record, Solution):
            found.append(
                Precedent(record.id, "solution", record.confidence, record.title, match.score)
            )
    return found


def _kept_char_forms(kb: KnowledgeBase) -> None:
    """The spelling table from the record cache, or built and kept there for the next time."""
    from crmkb.record_cache import code_version
    from crmkb.search.tokenize import char_forms, use_char_forms

    if kb.cache is None:
        return
    kept = kb.cache.derived("char-forms", code_version())
    if isinstance(kept, dict):
        use_char_forms(kept)
    else:
        kb.cache.keep("char-forms", code_version(), char_forms())


def _query_cut(kb: KnowledgeBase, text: str) -> AbstractContextManager[None]:
    """The query's runs cut from the part of jieba's dictionary they contain (kept in the
    record cache), so the whole dictionary is never loaded for a query; rjieba's own cut
    otherwise (no cache, or no dictionary file)."""
    from crmkb.record_cache import code_version
    from crmkb.search import dictionary
    from crmkb.search.tokenize import cjk_runs, normalize, presegmented

    searched = len(kb.of(Issue)) + len(kb.of(Solution))
    if kb.cache is None or searched < dictionary.MIN_RECORDS:
        return contextlib.nullcontext()
    try:
        source = dictionary.dictionary_file()
        stat = source.stat()
    except (FileNotFoundError, OSError):
        return contextlib.nullcontext()
    runs = cjk_runs(normalize(text))
    version = f"{code_version()} {source} {stat.st_size} {stat.st_mtime_ns}"
    found = kb.cache.words(
        version,
        lambda: dictionary.checked_dictionary(source),
        lambda longest: dictionary.candidates(runs, longest),
    )
    if found is None:
        return contextlib.nullcontext()
    words, total = found
    return presegmented(dictionary.segmented(runs, words, total))


def _candidates(
    kb: KnowledgeBase, text: str, exclude: frozenset[str], synonyms: Synonyms
) -> tuple[list[SearchDoc], list[PartialBag] | None]:
    """The docs to rank and, with the record cache, their terms kept from earlier commands:
    then a doc is a stub naming its record, and only records whose file changed are read and
    tokenised again."""
    import hashlib

    from crmkb.cached_records import Records
    from crmkb.knowledge_base import path_of
    from crmkb.record_cache import code_version
    from crmkb.search.bags import PartialBag
    from crmkb.search.index import SearchDoc
    from crmkb.search.similar import terms_of, weighted_terms

    if kb.cache is None:
        return [d for d in documents(kb) if d.location not in exclude], None
    stubs: list[SearchDoc] = []
    keys: list[str] = []
    # A record's terms depend on its file, the code, the synonym groups and the taught words.
    groups = hashlib.blake2b(synonyms.fingerprint().encode(), digest_size=8)
    version = f"{code_version()}-{groups.hexdigest()}"
    for model, kind in ((Issue, "issue"), (Solution, "solution")):
        bucket = kb.of(model)
        for record_id in bucket:
            if record_id in exclude:
                continue
            path = path_of(bucket, record_id)
            stubs.append(SearchDoc(record_id, "", "", kind))
            keys.append(f"bag {version} {path} {kb.sources.get(path, record_id)}")

    def compute(indexes: list[int]) -> list[Mapping[str, int]]:
        wanted = {stubs[i].location for i in indexes}
        for model in (Issue, Solution):
            if isinstance(bucket := kb.of(model), Records):
                bucket.prefetch(wanted)  # one cache lookup for all, not one per record
        found: list[Mapping[str, int]] = []
        for i in indexes:
            record = kb.get(stubs[i].location)
            assert isinstance(record, Issue | Solution)
            found.append(weighted_terms(_doc(record, stubs[i].kind), synonyms))
        return found

    index = kb.cache.term_index(keys, compute, terms_of(text, synonyms))
    return stubs, [PartialBag(terms, length) for terms, length in index]


def _doc(record: Issue | Solution, kind: str) -> SearchDoc:
    from crmkb.search.documents import symptom_of
    from crmkb.search.index import SearchDoc

    symptom = symptom_of(record.body) if kind == "issue" else ""
    return SearchDoc(record.id, record.title, record.body, kind, (record.id, *record.tags), symptom)


def lines(found: list[Precedent]) -> list[str]:
    """One line per precedent: id, score, standing, title, and the solution an issue points to."""
    out = []
    for p in found:
        link = f"  -> {p.solution}" if p.solution else ""
        out.append(f"{p.id}  {p.score:5.2f}  {p.status:<9}  {p.title}{link}")
    return out
