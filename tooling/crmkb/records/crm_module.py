"""CRM modules (records/modules.yml): the parts of the CRM and who owns their master data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import Field

from crmkb.errors import RecordError
from crmkb.records.base import MAX_ITEMS, Kind, PersonId, Record, Slug, Text

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase


class CrmModule(Record):
    id: Slug
    name: Text
    owner: PersonId
    description: Text | None = None
    master_data: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    from crmkb.records.person import Person

    for module in kb.of(CrmModule).values():
        yield from kb.refs(module, ("owner",), module.owner, Person)


KIND = Kind(
    name="module",
    model=CrmModule,
    directory="records/modules",
    id_pattern=r"[a-z][a-z0-9-]*",
    list_key="modules",
    title="CRM 模块",
    check=check,
)
