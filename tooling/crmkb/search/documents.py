"""What the index knows about a record page beyond its rendered text: symptom, tags, synonyms."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from crmkb.records.issue import Issue
from crmkb.records.solution import Solution
from crmkb.records.synonym import SynonymGroup
from crmkb.search.labels import issue_state, kind_label
from crmkb.search.synonyms import Synonyms

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

SYMPTOM_HEADINGS = ("现象", "現象", "symptom", "symptoms")
_SECTION = re.compile(r"^##\s+(.+?)\s*$", re.M)


def symptom_of(body: str) -> str:
    """The text of the body's 现象 (Symptom) section, or '' when it has none."""
    sections = _SECTION.split(body)
    for heading, text in zip(sections[1::2], sections[2::2], strict=True):
        if heading.strip().lower() in SYMPTOM_HEADINGS:
            return text.strip()
    return ""


def synonyms_of(kb: KnowledgeBase) -> Synonyms:
    """The synonym groups (short forms included) and what the corpus teaches the search."""
    groups = list(kb.of(SynonymGroup).values())
    taught, heads = learned(kb, groups)
    return Synonyms.from_groups(((g.id, g.every_word) for g in groups), taught, heads)


def learned(kb: KnowledgeBase, groups: list[SynonymGroup]) -> tuple[list[str], list[str]]:
    """crmkb.search.lexicon.learn over the naming texts, kept in the record cache (keyed by
    the texts) so `kb similar` does not cut every title again."""
    import hashlib

    from crmkb.record_cache import code_version
    from crmkb.search.lexicon import learn

    texts = naming_texts(kb, groups)
    key = ""
    if kb.cache is not None:
        named = hashlib.blake2b("\n".join(texts).encode(), digest_size=16)
        key = f"{code_version()} {named.hexdigest()}"
        kept = kb.cache.derived("lexicon", key)
        if isinstance(kept, list) and len(kept) == 2:
            return list(kept[0]), list(kept[1])
    taught, heads = learn(texts)
    found = (sorted(taught), sorted(heads))
    if kb.cache is not None:
        kb.cache.keep("lexicon", key, list(found))
    return found


def naming_texts(kb: KnowledgeBase, groups: list[SynonymGroup]) -> list[str]:
    """What names the things staff look for: titles and tags of issues and solutions, the
    synonym groups' words and short forms, module names and their master data."""
    from crmkb.records.crm_module import CrmModule

    texts: list[str] = []
    records: list[Issue | Solution] = [*kb.of(Issue).values(), *kb.of(Solution).values()]
    for record in records:
        texts.append(record.title)
        texts.extend(record.tags)
    for group in groups:
        texts.extend(group.every_word)
    for module in kb.of(CrmModule).values():
        texts.extend([module.name, *module.master_data])
    return texts


class RecordFacts:
    """The symptom field and result tags of record pages, from the loaded knowledge base.

    A solution's symptom holds its own and the titles of the issues it solves, so a query that
    finds a resolved issue finds its solution beside it.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.language = kb.config.language
        self.solved: dict[str, list[str]] = {}
        for issue in kb.of(Issue).values():
            if issue.solution:
                self.solved.setdefault(issue.solution, []).append(issue.title)

    def of(self, kind: str, record_id: str) -> tuple[str, tuple[str, ...]]:
        tags = (kind_label(kind, self.language),)
        issue = self.kb.of(Issue).get(record_id) if kind == "issue" else None
        if issue is not None:
            return symptom_of(issue.body), (*tags, issue_state(issue.status, self.language))
        solution = self.kb.of(Solution).get(record_id) if kind == "solution" else None
        if solution is not None:
            titles = " ".join(self.solved.get(solution.id, []))
            return f"{symptom_of(solution.body)} {titles}".strip(), tags
        return "", tags
