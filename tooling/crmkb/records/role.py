"""Roles (records/roles.yml): duties, data rights per CRM module, required certifications."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StringConstraints

from crmkb.errors import RecordError
from crmkb.records.base import (
    MAX_ITEMS,
    Flag,
    Kind,
    Record,
    Slug,
    Text,
)

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

Right = Literal["enter", "review", "query", "modify"]
CertId = Annotated[str, StringConstraints(pattern=r"^CERT-[A-Z0-9-]+$")]


class Role(Record):
    id: Slug
    name: Text
    duties: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)
    data_rights: dict[Slug, list[Right]] = Field(default_factory=dict)
    certifications: list[CertId] = Field(default_factory=list)
    # Holders may proctor exams: their key may sign results (records/proctors/allowed_signers).
    proctor: Flag = False


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    from crmkb.records.certification import Certification
    from crmkb.records.crm_module import CrmModule

    for role in kb.of(Role).values():
        for module in role.data_rights:
            yield from kb.refs(role, ("data_rights", module), module, CrmModule)
        for i, cert in enumerate(role.certifications):
            yield from kb.refs(role, ("certifications", i), cert, Certification)


KIND = Kind(
    name="role",
    model=Role,
    directory="records/roles",
    id_pattern=r"[a-z][a-z0-9-]*",
    list_key="roles",
    title="角色",
    check=check,
)
