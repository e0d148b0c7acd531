"""`kb edit --set field=value`: which fields may be set directly, and how a value is read."""

from __future__ import annotations

from typing import Any

from crmkb.errors import UsageError
from crmkb.fieldinput import field_value
from crmkb.records.base import Kind

# Fields only their own command changes, so their rules (dates, links, history) hold.
GUARDED = {
    "id": "the id never changes",
    "status": "use the lifecycle commands (kb investigate, kb resolve, kb reject, …)",
    "dates": "use the lifecycle commands; --on back-dates a step",
    "history": "use kb note",
    "restarted": "use kb reject or kb reopen",
    "solution": "use kb resolve --solution",
    "duplicate_of": "use kb duplicate --of",
    "evidence": "use kb attach",
    "confidence": "use kb solution validate|archive",
    "reasonable": "use kb feedback judge",
    "options": "use kb cr option",
    "evaluations": "use kb cr evaluate",
    "decision": "use kb cr decide",
    "development": "use kb cr develop and kb cr milestone",
    "pilot": "use kb cr pilot",
    "rollout": "use kb cr rollout",
}


def parse_pairs(kind: Kind, pairs: tuple[str, ...]) -> dict[str, Any]:
    """FIELD=VALUE pairs as values: text stays as typed, typed fields are parsed by type."""
    found: dict[str, Any] = {}
    fields = kind.model.model_fields
    for item in pairs:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--set expects FIELD=VALUE, got {item!r}")
        if key in GUARDED:
            raise UsageError(f"{key} cannot be set with kb edit: {GUARDED[key]}")
        if key not in fields:
            known = ", ".join(n for n in fields if n not in GUARDED)
            raise UsageError(f"{kind.name} records have no field {key!r}; fields: {known}")
        found[key] = None if raw == "" else field_value(kind.model, key, raw)
    return found
