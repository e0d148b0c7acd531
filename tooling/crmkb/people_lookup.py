"""Turning what the lead types (P010, p010, 李娜, 应收) into person and module ids."""

from __future__ import annotations

from crmkb.errors import UsageError
from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.crm_module import CrmModule
from crmkb.records.person import Person


def person_id(kb: KnowledgeBase, text: str) -> str:
    """The id of the person `text` names by id (any case) or by exact name."""
    value = text.strip()
    people = kb.of(Person)
    if value.upper() in people:
        return value.upper()
    named = [p.id for p in people.values() if p.name == value]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise UsageError(
            f"{len(named)} people are named {value!r} ({', '.join(named)}); use the id"
        )
    raise UsageError(f"no person {value!r}; give an id like P010 or a name from records/people.yml")


def module_id(kb: KnowledgeBase, text: str) -> str:
    """The id of the CRM module `text` names by id or by its (Chinese) name."""
    value = text.strip()
    modules = kb.of(CrmModule)
    if value.lower() in modules:
        return value.lower()
    for module in modules.values():
        if module.name == value:
            return module.id
    known = ", ".join(f"{m.id} ({m.name})" for m in modules.values())
    raise UsageError(f"no CRM module {value!r}; one of: {known}")


def name_of(kb: KnowledgeBase, person: str | None) -> str:
    """'李娜 (P010)' for a known person id, the id itself otherwise."""
    if not person:
        return "-"
    found = kb.of(Person).get(person)
    return f"{found.name} ({person})" if found else person


def owner_of(kb: KnowledgeBase, record: object) -> str | None:
    """A record's owner: its own `owner`, else the owner of its CRM module."""
    own = getattr(record, "owner", None)
    if own:
        return str(own)
    module = kb.of(CrmModule).get(str(getattr(record, "module", "")))
    return module.owner if module else None
