"""`kb new KIND`: scaffold a record under the next free id, never overwriting anything."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from crmkb.cli.new_prompts import ask, default_owner, resolve_names
from crmkb.cli.options import resolve_root, root_option, today
from crmkb.cli.output import safe_line
from crmkb.errors import UsageError

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase


@click.command()
@click.argument(
    "kind",
    type=click.Choice(["issue", "solution", "change", "feedback", "audit", "data-check"]),
)
@click.option("--title", help="The record's title (or summary, for feedback).")
@click.option(
    "--set",
    "fields",
    multiple=True,
    metavar="FIELD=VALUE",
    help=(
        "Set a front-matter field. Text is kept as typed; a list is a,b or [a, b]; dates are "
        "YYYY-MM-DD. Repeatable."
    ),
)
@root_option
def new(kind: str, title: str | None, fields: tuple[str, ...], root: Path | None) -> None:
    """Write a new record from its template and print its path.

    Missing required fields are asked for when run in a terminal; otherwise pass them
    with --set. The record gets the next free id and no existing file is ever replaced.

    \b
    Examples:
        kb new issue --title "回款日期与到账日期不一致" --set reporter=P012 \\
            --set module=receivable --set severity=medium
        kb new solution --title "付款条件统一由财务维护" --set "modules=[payment-terms]"
    """
    from crmkb.records import REGISTRY

    base = resolve_root(root)
    spec = REGISTRY[kind]
    data = _initial(spec.model, spec.date_field, title, fields, kind)
    kb_now = _names(base)
    resolve_names(kb_now, data)
    _ask_missing(kb_now, spec.model, data)
    default_owner(kb_now, spec.model, data)
    _validate_fields(kind, spec.model, data)
    language = _language(base)
    kb, record_id, path = _create(base, kind, data, language)
    click.echo(path.relative_to(base).as_posix())
    _after_create(kb, kind, record_id, data)


def _initial(
    model: Any, date_field: str | None, title: str | None, fields: tuple[str, ...], kind: str
) -> dict[str, Any]:
    from crmkb.fieldinput import field_value

    data: dict[str, Any] = {}
    if date_field and date_field != "published":
        data[date_field] = today()
    if title is not None:
        data["summary" if kind == "feedback" else "title"] = title
    for item in fields:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set expects FIELD=VALUE, got {item!r}")
        data[key.strip()] = field_value(model, key.strip(), raw) if raw else None
    return data


def _ask_missing(kb: KnowledgeBase, model: Any, data: dict[str, Any]) -> None:
    missing = [
        name
        for name, info in model.model_fields.items()
        if info.is_required() and name != "id" and name not in data
    ]
    if not missing:
        return
    if not sys.stdin.isatty():
        wanted = " ".join(f"--set {name}=…" for name in missing)
        raise UsageError(f"missing required fields: {', '.join(missing)}; pass {wanted}")
    ask(kb, model, data, missing)


def _names(base: Path) -> KnowledgeBase:
    """People and modules, to turn names into ids (the write loads everything under its lock)."""
    from crmkb.knowledge_base import load_lists

    return load_lists(base, ("person", "module"))


def _validate_fields(kind: str, model: Any, data: dict[str, Any]) -> None:
    """The fields on their own, before the lock: a typo is reported without loading anything."""
    from pydantic import ValidationError

    from crmkb.records import REGISTRY

    try:
        model.model_validate({"id": f"{REGISTRY[kind].prefix}-0001", **data})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in exc.errors(include_url=False)
        )
        raise UsageError(f"the new {kind} would not be valid: {problems}") from None


def _language(base: Path) -> str:
    from crmkb.config import load_config

    return load_config(base).language


def _create(
    base: Path, kind: str, data: dict[str, Any], language: str
) -> tuple[KnowledgeBase, str, Path]:
    import yaml

    from crmkb.records import REGISTRY
    from crmkb.store import writing

    spec = REGISTRY[kind]

    def render(record_id: str) -> str:
        order = list(spec.model.model_fields)
        fields = {"id": record_id, **dict(sorted(data.items(), key=lambda kv: _rank(order, kv[0])))}
        front = yaml.safe_dump(
            fields, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1_000_000
        )
        body = spec.template(language) if spec.template else ""
        return f"---\n{front}---\n\n{body}"

    with writing(base, today()) as change:
        kb, _ = change.checked()
        record_id, path = change.create(spec, render)
        change.commit()
    return kb, record_id, path


def _rank(order: list[str], name: str) -> int:
    return order.index(name) if name in order else len(order)


def _after_create(kb: KnowledgeBase, kind: str, record_id: str, data: dict[str, Any]) -> None:
    """After a new issue, list the most similar past issues and solutions on stderr."""
    if kind != "issue":
        return
    from crmkb.precedents import lines, similar

    tags: list[Any] = data["tags"] if isinstance(data.get("tags"), list) else []
    text = " ".join(str(part) for part in (data.get("title", ""), *tags))
    found = similar(kb, text, exclude=frozenset({record_id}))
    if not found:
        return
    click.echo(
        f"Similar past issues and solutions; if one is the same problem, "
        f"run kb duplicate {record_id} --of ISS-…:",
        err=True,
    )
    for line in lines(found):
        click.echo(f"  {safe_line(line)}", err=True)


COMMANDS = [new]
