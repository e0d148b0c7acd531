"""Issue lifecycle commands: investigate, escalate, propose, verify, resolve, duplicate, decline.

One command per transition; each dates its step (today, or --on) and edits the file in place.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

import click

from crmkb.cli.options import normalise, on_option, resolve_root, root_option, step_date
from crmkb.records.issue import Cause

CAUSES: tuple[str, ...] = typing.get_args(Cause)


def _run(root: Path | None, issue_id: str, target: str, on: str | None, **fields: Any) -> None:
    from crmkb.lifecycle import Step, move

    now, when = step_date(on)
    base = resolve_root(root)
    if fields.get("consultant"):
        from crmkb.knowledge_base import load_records
        from crmkb.people_lookup import person_id

        fields["consultant"] = person_id(load_records(base, today=now)[0], fields["consultant"])
    moved = move(base, now, issue_id, Step(target=target, on=when, **fields))
    click.echo(f"{moved.issue}: {moved.before} -> {moved.after} on {moved.on}")
    for path in moved.written:
        click.echo(f"  wrote {path}")


@click.command()
@click.argument("issue_id", callback=normalise)
@on_option
@root_option
def investigate(issue_id: str, on: str | None, root: Path | None) -> None:
    """Start investigating a reported issue: context, reproduction, likely causes.

    \b
    Example:
        kb investigate ISS-0042 --on 2026-11-20
    """
    _run(root, issue_id, "investigating", on)


@click.command()
@click.argument("issue_id", callback=normalise)
@click.option("--to", metavar="PERSON", help="The consultant it goes to (id or name).")
@click.option("--summary", help="What the investigation found, for the consultant.")
@on_option
@root_option
def escalate(
    issue_id: str, to: str | None, summary: str | None, on: str | None, root: Path | None
) -> None:
    """Escalate an investigated issue to the consultant (handled_by becomes consultant).

    The consultant's proposal is then due within the configured consultant_days.

    \b
    Example:
        kb escalate ISS-0042 --to P002
    """
    _run(root, issue_id, "escalated", on, consultant=to, summary=summary)


@click.command()
@click.argument("issue_id", callback=normalise)
@click.option("--summary", help="What the consultant proposed.")
@on_option
@root_option
def propose(issue_id: str, summary: str | None, on: str | None, root: Path | None) -> None:
    """Record that the consultant proposed a solution for an escalated issue.

    \b
    Example:
        kb propose ISS-0042 --summary "税率改取产品档案" --on 2026-11-24
    """
    _run(root, issue_id, "proposed", on, summary=summary)


@click.command()
@click.argument("issue_id", callback=normalise)
@on_option
@root_option
def verify(issue_id: str, on: str | None, root: Path | None) -> None:
    """Hand the fix to the user to test; the SLA clock pauses while the user verifies.

    \b
    Example:
        kb verify ISS-0042
    """
    _run(root, issue_id, "verifying", on)


@click.command()
@click.argument("issue_id", callback=normalise)
@click.option(
    "--solution",
    metavar="SOL-ID",
    callback=normalise,
    help="The existing solution that resolves it.",
)
@click.option("--new-solution", is_flag=True, help="Create a draft solution (needs --title).")
@click.option("--title", help="Title of the new solution.")
@click.option("--cause", type=click.Choice(CAUSES), help="Cause category (needed if not set).")
@on_option
@root_option
def resolve(
    issue_id: str,
    solution: str | None,
    new_solution: bool,
    title: str | None,
    cause: str | None,
    on: str | None,
    root: Path | None,
) -> None:
    """Resolve an issue, linking it to a solution (which then lists the issue too).

    \b
    Examples:
        kb resolve ISS-0042 --solution SOL-0007 --cause user_error
        kb resolve ISS-0042 --new-solution --title "报价单税率取自客户档案"
    """
    from crmkb.errors import UsageError

    if new_solution == bool(solution):
        raise UsageError("pass exactly one of --solution SOL-… or --new-solution --title …")
    if new_solution and not (title and title.strip()):
        raise UsageError("--new-solution needs --title for the new solution")
    if title and not new_solution:
        raise UsageError("--title is only used with --new-solution")
    fields = {"cause": cause, "solution": solution, "new_solution_title": title}
    _run(root, issue_id, "resolved", on, **fields)


@click.command()
@click.argument("issue_id", callback=normalise)
@click.option(
    "--of",
    "of",
    required=True,
    callback=normalise,
    metavar="ISS-ID",
    help="The issue it duplicates.",
)
@on_option
@root_option
def duplicate(issue_id: str, of: str, on: str | None, root: Path | None) -> None:
    """Close an issue as a duplicate of an earlier one (no points are earned for it).

    \b
    Example:
        kb duplicate ISS-0045 --of ISS-0003
    """
    _run(root, issue_id, "duplicate", on, duplicate_of=of)


@click.command()
@click.argument("issue_id", callback=normalise)
@click.option("--reason", required=True, help="Why the report is declined.")
@on_option
@root_option
def decline(issue_id: str, reason: str, on: str | None, root: Path | None) -> None:
    """Decline a report, with the reason (no points are earned for it).

    \b
    Example:
        kb decline ISS-0049 --reason "系统按设计禁止删除已审核订单，应走作废申请"
    """
    _run(root, issue_id, "declined", on, reason=reason)


COMMANDS = [investigate, escalate, propose, verify, resolve, duplicate, decline]
