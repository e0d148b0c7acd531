"""Question banks (QB-OP-01): exam pools (never published) and practice pools (public)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from crmkb.errors import RecordError
from crmkb.records.base import (
    MAX_TAGS,
    Flag,
    Kind,
    Record,
    Tag,
    Text,
)

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

Answer = str | list[str] | bool


class Question(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )

    id: str = Field(pattern=r"^Q-[A-Z0-9-]+$")
    type: Literal["single", "multiple", "true_false"]
    text: Text
    options: dict[str, Text] = Field(default_factory=dict)
    answer: Answer
    explanation: Text
    section: Text
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    # A retired question is no longer drawn but still grades the results that used it;
    # retire a question instead of deleting it or changing its key.
    retired: Flag = False

    def option_key(self, typed: str) -> str | None:
        """The option key `typed` names, matched without regard to case (b -> B)."""
        wanted = typed.strip().casefold()
        return next((k for k in self.options if k.casefold() == wanted), None)

    def _canonical(self, keys: object) -> object:
        if isinstance(keys, str):
            return self.option_key(keys) or keys
        if isinstance(keys, list):
            return sorted(str(self._canonical(k)) for k in keys)
        return keys

    def correct(self, given: Answer | None) -> bool:
        """Whether an answer given in an exam matches the key (option keys in any case)."""
        if self.type == "true_false":
            return given is self.answer
        if self.type == "multiple":
            if not isinstance(given, list) or not isinstance(self.answer, list):
                return False
        elif not isinstance(given, str):
            return False
        return self._canonical(given) == self._canonical(self.answer)

    def key_problems(self) -> Iterator[tuple[tuple[str, ...], str]]:
        if self.type == "true_false":
            if self.options:
                yield ("options",), "a true_false question has no options"
            if not isinstance(self.answer, bool):
                yield ("answer",), "a true_false answer is true or false"
            return
        if len(self.options) < 2:
            yield ("options",), "a choice question needs at least two options"
        keys = self.answer if isinstance(self.answer, list) else [self.answer]
        if self.type == "single" and not isinstance(self.answer, str):
            yield ("answer",), "a single-choice answer is one option key, like A"
        if self.type == "multiple" and (not isinstance(self.answer, list) or not self.answer):
            yield ("answer",), "a multiple-choice answer is a list with at least one option key"
        folded = [k.casefold() for k in self.options]
        if len(set(folded)) < len(folded):
            yield ("options",), "two option keys differ only in case; make the keys distinct"
        texts = [_fingerprint(t) for t in self.options.values()]
        if len(set(texts)) < len(texts):
            yield ("options",), "two options have the same text; make each option different"
        if isinstance(self.answer, list) and len({str(k).casefold() for k in self.answer}) < len(
            self.answer
        ):
            yield ("answer",), "an option key is listed twice in the answer"
        for key in keys:
            if isinstance(key, str) and self.option_key(key) is None:
                yield (
                    ("answer",),
                    f"answer '{key}' is not one of the options {sorted(self.options)}",
                )


class QuestionBank(Record):
    id: str = Field(pattern=r"^QB-[A-Z0-9-]+$")
    module: str = Field(pattern=r"^TM-[A-Z]{2}-\d{2,}$")
    pool: Literal["exam", "practice"]
    questions: list[Question] = Field(min_length=1)

    def drawable(self) -> list[Question]:
        """The questions an exam may draw (not retired)."""
        return [q for q in self.questions if not q.retired]


def pool_absent(kb: KnowledgeBase) -> str:
    """Why the exam pool is not here, to name checks skipped for want of it."""
    if kb.config.exam_pool:
        return f"the exam pool is not here ({kb.config.exam_pool} not found)"
    return "the exam pool is not here (set exam_pool in crmkb.yml to the folder that holds it)"


def _fingerprint(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text).lower()


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    from crmkb.records.training_module import TrainingModule

    modules = kb.of(TrainingModule)
    ids: dict[str, str] = {}
    texts: dict[str, str] = {}
    for bank in kb.of(QuestionBank).values():
        yield from kb.refs(bank, ("module",), bank.module, TrainingModule)
        if (bank.pool == "practice") != bank.id.endswith("-P"):
            yield bank.error(
                ("pool",),
                f"pool is {bank.pool} but the id {bank.id} "
                + ("does not end" if bank.pool == "practice" else "ends")
                + " in -P; practice banks, and only they, end in -P",
            )
        sections = modules[bank.module].sections() if bank.module in modules else None
        for i, q in enumerate(bank.questions):
            for loc, message in q.key_problems():
                yield bank.error(("questions", i, *loc), message)
            if q.id in ids:
                yield bank.error(
                    ("questions", i, "id"), f"question id {q.id} is also in {ids[q.id]}"
                )
            ids[q.id] = bank.id
            fp = _fingerprint(q.text)
            if fp in texts:
                yield bank.error(("questions", i, "text"), f"duplicate of question {texts[fp]}")
            texts.setdefault(fp, q.id)
            if sections is not None and q.section not in sections:
                yield bank.error(
                    ("questions", i, "section"),
                    f"section '{q.section}' is not a heading in {bank.module}; "
                    f"use one of: {', '.join(sections) or '(the guide has no headings)'}",
                )


KIND = Kind(
    name="questions",
    model=QuestionBank,
    directory="records/questions",
    id_pattern=r"QB-[A-Z0-9-]+",
    prefix="QB",
    title="题库",
    check=check,
)
