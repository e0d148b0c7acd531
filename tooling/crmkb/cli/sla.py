"""`kb sla`: what is overdue, what is due today and what waits on the user, in working days."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from crmkb.cli.options import format_option, readable, root_option, today
from crmkb.cli.output import safe_line


@click.command()
@format_option("text", "json")
@root_option
def sla(fmt: str, root: Path | None) -> None:
    """List open issues by SLA standing: overdue (and by how much), due today, paused.

    Deadlines count working days on the calendar set in crmkb.yml (mainland China by
    default, with its public holidays and swapped weekend workdays).

    \b
    Examples:
        kb sla
        CRMKB_TODAY=2026-11-23 kb sla --format json
    """
    from crmkb.sla import board

    kb = readable(root, today())
    result = board(kb)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if fmt == "json":
        payload = {
            "today": str(result.today),
            "overdue": [_row(c) for c in result.overdue],
            "due_today": [_row(c) for c in result.due_today],
            "paused": [_row(c) for c in result.paused],
            "on_track": [_row(c) for c in result.on_track],
            "warnings": result.warnings,
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(f"SLA on {result.today}")
    _section("Overdue", result.overdue, lambda c: f"{c.late_by} wd late, due {c.due}")
    _section("Due today", result.due_today, lambda c: f"due {c.due}")
    _section(
        "Paused, waiting on the user",
        result.paused,
        lambda c: f"verifying since {c.waiting_since}",
    )
    click.echo(f"On track: {len(result.on_track)}")


def _section(title: str, clocks: list[Any], detail: Any) -> None:
    click.echo(f"{title}: {len(clocks)}")
    for c in clocks:
        issue = c.issue
        line = f"  {issue.id}  {issue.severity:<8}  {c.track:<10}  {detail(c)}  {issue.title}"
        click.echo(safe_line(line))


def _row(c: Any) -> dict[str, Any]:
    issue = c.issue
    return {
        "id": issue.id,
        "title": issue.title,
        "status": issue.status,
        "severity": issue.severity,
        "track": c.track,
        "start": str(c.start),
        "working_days": c.days,
        "due": str(c.due),
        "late_by": c.late_by,
        "waiting_since": str(c.waiting_since) if c.waiting_since else None,
        "path": issue.path,
    }


COMMANDS = [sla]
