"""`kb show` text: fields with people and modules named, the SLA state, then the history."""

from __future__ import annotations

from typing import Any

from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.base import Record

PEOPLE_FIELDS = frozenset({"reporter", "owner", "requester", "person", "by"})


def lines(kb: KnowledgeBase, record: Record) -> list[str]:
    import yaml

    from crmkb.people_lookup import name_of

    fields = {
        k: v
        for k, v in record.model_dump(exclude_none=True).items()
        if v not in ({}, [], "") and k != "history"
    }
    for key in PEOPLE_FIELDS & set(fields):
        fields[key] = name_of(kb, str(fields[key]))
    if "module" in fields:
        fields["module"] = _module(kb, str(fields["module"]))
    if "owner" in getattr(type(record), "model_fields", {}) and "owner" not in fields:
        from crmkb.people_lookup import owner_of

        fields["owner"] = f"{name_of(kb, owner_of(kb, record))}, the module's owner"
    if "confidence" in fields:  # a solution: how often it has been reused
        fields["reuse"] = f"{len(getattr(record, 'issues', []))} issue(s)"
    out = [f"# {record.path}"]
    out += yaml.safe_dump(fields, allow_unicode=True, sort_keys=False).rstrip().splitlines()
    out += _sla(kb, record)
    history = getattr(record, "history", [])
    if history:
        out.append("history:")
        for entry in history:
            who = name_of(kb, entry.by) if entry.by else "-"
            step = f"[{entry.step}] " if entry.step else ""
            out.append(f"  {entry.on}  {who}  {step}{entry.text}")
    if record.body.strip():
        out += ["", *record.body.strip().splitlines()]
    return out


def _module(kb: KnowledgeBase, module_id: str) -> str:
    from crmkb.records.crm_module import CrmModule

    found = kb.of(CrmModule).get(module_id)
    return f"{found.name} ({module_id})" if found else module_id


def _sla(kb: KnowledgeBase, record: Record) -> list[str]:
    from crmkb.records.issue import Issue

    if not isinstance(record, Issue):
        return []
    from crmkb.cli.sla import WAITS, left
    from crmkb.sla import kb_calendar, waiting

    found = waiting(record, kb.config, kb_calendar(kb), kb.today)
    if found is None:
        return [f"sla: closed ({record.status})"]
    paused = ", the project's clock paused" if found.paused else ""
    return [
        f"sla: {record.status}, waits on {WAITS[found.waits_on]}, due {found.due}, "
        f"{left(found.remaining)}{paused}"
    ]


def jsonable(kb: KnowledgeBase, record: Record) -> dict[str, Any]:
    from crmkb.knowledge_base import as_jsonable
    from crmkb.people_lookup import owner_of

    data = as_jsonable(record)
    if "owner" in getattr(type(record), "model_fields", {}):
        data["effective_owner"] = owner_of(kb, record)
    return data
