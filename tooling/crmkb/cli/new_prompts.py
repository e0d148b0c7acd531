"""Interactive `kb new`: ask each missing field with its choices, accept names, re-ask only a
wrong answer and keep the rest."""

from __future__ import annotations

import typing
from typing import TYPE_CHECKING, Any

import click

from crmkb.errors import UsageError

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

PERSON_FIELDS = ("reporter", "requester", "person", "owner", "auditor", "checker")
HINTS = {
    "reporter": "who reported it (id like P010, or a name)",
    "requester": "who asks for the change (id or name)",
    "person": "who gave the feedback (id or name)",
    "auditor": "who audits (id or name)",
    "checker": "who ran the check (id or name)",
    "module": "CRM module (id or Chinese name)",
    "severity": "severity",
    "reasonable": "reasonable? (yes/no)",
    "summary": "summary",
    "title": "title",
    "modules": "CRM modules, comma separated (ids or Chinese names)",
}


def resolve_names(kb: KnowledgeBase, data: dict[str, Any], strict: bool = False) -> None:
    """People and modules given by name (李娜, 应收与回款) become their ids.

    A value that names nobody is left as typed, so the record check reports it where it
    stands; `strict` (a prompt answer) refuses it at once instead.
    """
    from crmkb.people_lookup import module_id, person_id

    def lookup(find: Any, value: str) -> str:
        try:
            return str(find(kb, value))
        except UsageError:
            if strict:
                raise
            return value

    for name in PERSON_FIELDS:
        if isinstance(data.get(name), str):
            data[name] = lookup(person_id, data[name])
    if isinstance(data.get("module"), str):
        data["module"] = lookup(module_id, data["module"])
    if isinstance(data.get("modules"), list):
        data["modules"] = [lookup(module_id, str(m)) for m in data["modules"]]


def default_owner(kb: KnowledgeBase, model: Any, data: dict[str, Any]) -> None:
    """An issue or change request without an owner is owned by its module's owner."""
    from crmkb.records.crm_module import CrmModule

    if "owner" in model.model_fields and not data.get("owner"):
        module = kb.of(CrmModule).get(str(data.get("module", "")))
        if module is not None:
            data["owner"] = module.owner


def ask(kb: KnowledgeBase, model: Any, data: dict[str, Any], missing: list[str]) -> None:
    """Prompt for each missing field until its answer is valid; earlier answers are kept."""
    for name in missing:
        while True:
            answer = click.prompt(_label(kb, model, name))
            try:
                data[name] = _value(kb, model, name, answer)
                break
            except UsageError as exc:
                click.echo(f"error: {exc}; try again", err=True)


def _label(kb: KnowledgeBase, model: Any, name: str) -> str:
    hint = HINTS.get(name, name)
    choices = _choices(model, name)
    if choices:
        return f"{hint} [{'/'.join(choices)}]"
    if name in ("module", "modules"):
        from crmkb.records.crm_module import CrmModule

        known = ", ".join(f"{m.id} {m.name}" for m in kb.of(CrmModule).values())
        return f"{hint}; one of: {known}\n{name}"
    return hint


def _choices(model: Any, name: str) -> tuple[str, ...]:
    info = model.model_fields.get(name)
    if info is None:
        return ()
    annotation = info.annotation
    if typing.get_origin(annotation) is typing.Literal:
        return tuple(str(a) for a in typing.get_args(annotation))
    return ()


def _value(kb: KnowledgeBase, model: Any, name: str, answer: str) -> Any:
    from pydantic import TypeAdapter, ValidationError

    from crmkb.fieldinput import field_value

    choices = _choices(model, name)
    if choices and answer.strip() not in choices:
        raise UsageError(f"{name} must be one of {', '.join(choices)}")
    single: dict[str, Any] = {name: answer.strip()}
    if name in (*PERSON_FIELDS, "module"):
        resolve_names(kb, single, strict=True)  # a name or an id, with a message naming both
    else:
        single[name] = field_value(model, name, answer)
        resolve_names(kb, single, strict=True)
    try:
        TypeAdapter(model.model_fields[name].annotation).validate_python(single[name])
    except ValidationError as exc:
        raise UsageError(f"{name}: {exc.errors()[0]['msg']}") from None
    return single[name]
