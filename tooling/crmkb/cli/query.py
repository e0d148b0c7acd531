"""`kb list` and `kb show`: query records by kind, status, module, severity and date."""

from __future__ import annotations

import datetime as dt
import json
import typing
from pathlib import Path
from typing import Any

import click

from crmkb.cli.options import format_option, normalise, parse_date, readable, root_option, today
from crmkb.cli.output import safe_line
from crmkb.cli.queues import owner_options, queue_owner
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
@owner_options
@format_option("table", "json")
@root_option
def list_records(
    kind: str,
    status: str | None,
    module: str | None,
    severity: str | None,
    since: str | None,
    until: str | None,
    owner: str | None,
    mine: bool,
    fmt: str,
    root: Path | None,
) -> None:
    """List records of one kind, optionally filtered (--status is a solution's confidence).

    \b
    Examples:
        kb list issue --status investigating --mine
        kb list solution --status draft
        kb list issue --module receivable --since 2026-10-01 --format json
    """
    from crmkb.cached_records import where
    from crmkb.cli.columns import table
    from crmkb.knowledge_base import as_jsonable

    kb = readable(root, today())
    spec = REGISTRY[kind]
    who = queue_owner(kb, owner, mine)
    if who is not None and "owner" not in spec.model.model_fields:
        raise UsageError(f"--owner/--mine do not apply to {kind} records (they have no owner)")
    wanted = {"status": status, "module": module, "severity": severity}
    if kind == "solution" and status is not None:
        wanted = {"confidence": status, "module": module, "severity": severity}
    checks = {}
    for name, value in wanted.items():
        if value is None:
            continue
        flag = "status" if name == "confidence" else name
        if name not in spec.model.model_fields and not (name == "module" and _has_modules(spec)):
            raise UsageError(f"--{flag} does not apply to {kind} records")
        allowed = _choices(spec.model, name)
        if name == "module":
            allowed = tuple(kb.records.get("module", {}))
        if allowed and value not in allowed:
            raise UsageError(f"--{flag} {value!r} is not one of: {', '.join(allowed)}")
        checks[name] = value
    records = where(kb.records.get(kind, {}), {n: v.__eq__ for n, v in checks.items()})
    for name, value in checks.items():
        records = [r for r in records if _matches(r, name, value)]
    records = _in_range(records, spec.date_field, kind, since, until)
    if who is not None:
        from crmkb.people_lookup import owner_of

        records = [r for r in records if owner_of(kb, r) == who]
    if fmt == "json":
        click.echo(json.dumps([as_jsonable(r) for r in records], ensure_ascii=False, indent=2))
        return
    if records:
        for line in table(kind, records):
            click.echo(safe_line(line))
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


@click.command()
@click.argument("record_id", callback=normalise)
@format_option("text", "json")
@root_option
def show(record_id: str, fmt: str, root: Path | None) -> None:
    """Show one record by id: its fields (people and modules named), SLA, history, body.

    \b
    Examples:
        kb show ISS-0001
        kb show SOL-0003 --format json
    """
    from crmkb.cli.record_text import jsonable, lines

    kb = readable(root, today())
    record = kb.get(record_id)
    if record is None:
        raise UsageError(f"no record with id {record_id!r}; try kb list KIND")
    if fmt == "json":
        click.echo(json.dumps(jsonable(kb, record), ensure_ascii=False, indent=2))
        return
    for line in lines(kb, record):
        click.echo(safe_line(line))


COMMANDS = [list_records, show]
