"""Training modules (TM-OP-01, TM-BP-01): guides in a track, ordered, for some roles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from crmkb.errors import RecordError
from crmkb.records.base import (
    MAX_ITEMS,
    Int,
    Kind,
    Record,
    Slug,
    Title,
)
from crmkb.records.personal_data import AcceptedValue

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

_HEADING = re.compile(r"^#{2,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


class TrainingModule(Record):
    id: str = Field(pattern=r"^TM-[A-Z]{2}-\d{2,}$")
    title: Title
    track: Literal["operation", "process"]
    roles: list[Slug] = Field(min_length=1)
    order: Int = Field(ge=1, le=10_000)
    modules: list[Slug] = Field(default_factory=list)
    # Values the personal-data warning accepts in this record (not a person's: a hotline).
    personal_data_ok: list[AcceptedValue] = Field(default_factory=list, max_length=MAX_ITEMS)

    def sections(self) -> list[str]:
        """The guide's section headings, which question explanations link to."""
        return [m.group(1) for m in _HEADING.finditer(self.body)]


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    from crmkb.records.crm_module import CrmModule
    from crmkb.records.role import Role

    seen: dict[tuple[str, int], str] = {}
    for tm in kb.of(TrainingModule).values():
        for i, role in enumerate(tm.roles):
            yield from kb.refs(tm, ("roles", i), role, Role)
        for i, module in enumerate(tm.modules):
            yield from kb.refs(tm, ("modules", i), module, CrmModule)
        slot = (tm.track, tm.order)
        if slot in seen:
            yield tm.error(("order",), f"order {tm.order} in track {tm.track} is also {seen[slot]}")
        seen[slot] = tm.id


def template(language: str) -> str:
    if language == "en":
        return "## Goal\n\n\n\n## Steps\n\n1. \n\n## Common mistakes\n\n"
    return "## 学习目标\n\n\n\n## 操作步骤\n\n1. \n\n## 常见错误\n\n"


KIND = Kind(
    name="training",
    model=TrainingModule,
    directory="records/training",
    id_pattern=r"TM-[A-Z]{2}-\d{2,}",
    markdown=True,
    prefix="TM",
    title="培训模块",
    check=check,
    template=template,
)
