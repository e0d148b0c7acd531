"""`kb sla`: every open issue's current clock, who it waits on, and the time left or lost."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from crmkb.cli.options import format_option, pad, readable, root_option, today
from crmkb.cli.output import safe_line
from crmkb.cli.queues import owner_options, queue_owner
from crmkb.i18n import _

WAITS = {"project": "the project", "consultant": "the consultant", "user": "the user"}


@click.command()
@owner_options
@format_option("text", "json")
@root_option
def sla(owner: str | None, mine: bool, fmt: str, root: Path | None) -> None:
    """List open issues by SLA standing, with the working days left (or overdue).

    Every waiting state has a clock: investigating (internal_days), escalated
    (consultant_days), proposed (proposed_days, until the user gets the fix) and
    verifying (verifying_days; the project's own clock is paused while the user tests).
    Overdue change-request milestones are listed too.

    \b
    Examples:
        kb sla --mine
        CRMKB_TODAY=2026-11-23 kb sla --format json
    """
    from crmkb.milestones import overdue_milestones
    from crmkb.sla import board

    kb = readable(root, today())
    who = queue_owner(kb, owner, mine)
    result = board(kb, who)
    late = overdue_milestones(kb, who)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for note in result.notes:
        click.echo(safe_line(_("note: {note}").format(note=note)), err=True)
    if fmt == "json":
        payload = {
            "today": str(result.today),
            "owner": who,
            "overdue": [_row(w) for w in result.overdue],
            "due_today": [_row(w) for w in result.due_today],
            "paused": [_row(w) for w in result.paused],
            "on_track": [_row(w) for w in result.on_track],
            "milestones_overdue": [m.as_json() for m in late],
            "warnings": result.warnings,
            "notes": result.notes,
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(f"SLA on {result.today}" + (f" for {who}" if who else ""))
    _section("Overdue", result.overdue)
    _section("Due today", result.due_today)
    _section("On track", result.on_track)
    _section("Paused, waiting on the user (verifying)", result.paused)
    click.echo(f"Milestones overdue: {len(late)}")
    for m in late:
        click.echo(
            safe_line(f"  {m.cr_id}  {m.days_late} wd late, due {m.due}  {m.name}  {m.title}")
        )


def left(remaining: int) -> str:
    if remaining < 0:
        return f"{-remaining} wd late"
    return "due today" if remaining == 0 else f"{remaining} wd left"


def _section(title: str, waits: list[Any]) -> None:
    click.echo(f"{title}: {len(waits)}")
    for w in waits:
        issue = w.issue
        cells = [
            issue.id,
            pad(issue.severity, 8),
            pad(w.state, 13),
            pad(w.waits_on, 10),
            pad(left(w.remaining), 11),
            f"due {w.due}",
            issue.title,
        ]
        click.echo(safe_line("  " + "  ".join(cells)))


def _row(w: Any) -> dict[str, Any]:
    issue = w.issue
    return {
        "id": issue.id,
        "title": issue.title,
        "status": issue.status,
        "severity": issue.severity,
        "owner": issue.owner,
        "waits_on": w.waits_on,
        "paused": w.paused,
        "start": str(w.start),
        "working_days": w.days,
        "due": str(w.due),
        "remaining": w.remaining,
        "path": issue.path,
    }


COMMANDS = [sla]
