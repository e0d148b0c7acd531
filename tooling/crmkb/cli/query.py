"""`kb list` and `kb show`: query records by kind, status, module, severity and date."""

from __future__ import annotations

import datetime as dt
import json
import typing
from pathlib import Path
from typing import Any

import click

from crmkb.cli.options import format_option, parse_date, readable, root_option, today
from crmkb.cli.output import safe, safe_line
from crmkb.errors import UsageError
from crmkb.records import REGISTRY
from crmkb.records.base import Record

FILTERS = ("status", "module", "severity")


@click.command(name="list")
@click.argument("kind", type=click.Choice(REGISTRY.names()))
@click.option("--status", help="Only records in this status.")
@click.option("--module", help="Only records of this CRM module.")
@click.option("--severity", help="Only issues of this severity.")
@click.option("--since", help="Only records dated on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Only records dated on or before this date (YYYY-MM-DD).")
@format_option("table", "json")
@root_option
def list_records(
    kind: str,
    status: str | None,
    module: str | None,
    severity: str | None,
    since: str | None,
    until: str | None,
    fmt: str,
    root: Path | None,
) -> None:
    """List records of one kind, optionally filtered.

    \b
    Examples:
        kb list issue --status investigating
        kb list issue --module receivable --since 2026-10-01 --format json
    """
    from crmkb.knowledge_base import as_jsonable

    kb = readable(root, today())
    spec = REGISTRY[kind]
    wanted = {"status": status, "module": module, "severity": severity}
    records = list(kb.records.get(kind, {}).values())
    for name, value in wanted.items():
        if value is None:
            continue
        if name not in spec.model.model_fields and not (name == "module" and _has_modules(spec)):
            raise UsageError(f"--{name} does not apply to {kind} records")
        allowed = _choices(spec.model, name)
        if name == "module":
            allowed = tuple(kb.records.get("module", {}))
        if allowed and value not in allowed:
            raise UsageError(f"--{name} {value!r} is not one of: {', '.join(allowed)}")
        records = [r for r in records if _matches(r, name, value)]
    records = _in_range(records, spec.date_field, kind, since, until)
    if fmt == "json":
        click.echo(json.dumps([as_jsonable(r) for r in records], ensure_ascii=False, indent=2))
        return
    for r in records:
        click.echo(_row(r, spec.date_field))
    click.echo(f"{len(records)} {kind} records", err=True)


def _choices(model: type[Record], name: str) -> tuple[str, ...]:
    """The closed set of values a field takes, or () when it is open."""
    info = model.model_fields.get(name)
    if info is None:
        return ()
    args = [a for a in typing.get_args(info.annotation) if a is not type(None)]
    if typing.get_origin(info.annotation) is typing.Literal:
        return tuple(str(a) for a in typing.get_args(info.annotation))
    literal = [a for a in args if typing.get_origin(a) is typing.Literal]
    return tuple(str(v) for a in literal for v in typing.get_args(a))


def _has_modules(spec: Any) -> bool:
    return "modules" in spec.model.model_fields


def _matches(record: Record, name: str, value: str) -> bool:
    if name == "module" and not hasattr(record, "module"):
        return value in getattr(record, "modules", [])
    return str(getattr(record, name, "")) == value


def _in_range(
    records: list[Record], field: str | None, kind: str, since: str | None, until: str | None
) -> list[Record]:
    if since is None and until is None:
        return records
    if field is None:
        raise UsageError(f"--since/--until do not apply to {kind} records (they have no date)")
    low = parse_date(since, "--since") if since else dt.date.min
    high = parse_date(until, "--until") if until else dt.date.max
    return [r for r in records if (d := getattr(r, field)) is not None and low <= d <= high]


def _row(record: Record, date_field: str | None) -> str:
    cells = [record.id]
    for name in ("status", "severity", "module"):
        if hasattr(record, name):
            cells.append(str(getattr(record, name)))
    if date_field and getattr(record, date_field, None):
        cells.append(str(getattr(record, date_field)))
    label = getattr(record, "title", None) or getattr(record, "name", None)
    label = label or getattr(record, "summary", "")
    cells.append(str(label))
    return safe_line("  ".join(cells))


@click.command()
@click.argument("record_id")
@format_option("text", "json")
@root_option
def show(record_id: str, fmt: str, root: Path | None) -> None:
    """Show one record by id: its fields, then its body.

    \b
    Examples:
        kb show ISS-0001
        kb show SOL-0003 --format json
    """
    import yaml

    from crmkb.knowledge_base import as_jsonable

    kb = readable(root, today())
    record = kb.get(record_id)
    if record is None:
        raise UsageError(f"no record with id {record_id!r}; try kb list KIND")
    if fmt == "json":
        click.echo(json.dumps(as_jsonable(record), ensure_ascii=False, indent=2))
        return
    fields = {
        k: v for k, v in record.model_dump(exclude_none=True).items() if v not in ({}, [], "")
    }
    click.echo(f"# {safe_line(record.path)}")
    click.echo(safe(yaml.safe_dump(fields, allow_unicode=True, sort_keys=False).rstrip()))
    if record.body.strip():
        click.echo("")
        click.echo(safe(record.body.strip()))


COMMANDS = [list_records, show]
