"""`kb cr ...`: move a change request through options, evaluation, decision, pilot, rollout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from crmkb.cli.options import (
    normalise,
    on_option,
    parse_date,
    resolve_root,
    root_option,
    step_date,
    today,
)


@click.group(name="cr")
def cr() -> None:
    """Advance a change request one stage; the stage order is enforced.

    \b
    Example:
        kb cr option CR-0007 --key A --summary "跟进记录模板"
    """


def _run(
    root: Path | None, cr_id: str, make: Any, on: str | None, *args: Any, story: str = ""
) -> None:
    from crmkb.change_flow import advance

    now, when = step_date(on)
    done = advance(resolve_root(root), now, cr_id, make(*args, when), story, when)
    click.echo(f"{done.id}: {done.before} -> {done.after}")
    click.echo(f"  wrote {done.path}")


@cr.command()
@click.argument("cr_id", callback=normalise)
@click.option("--key", required=True, help="Option key, e.g. A.")
@click.option("--summary", required=True, help="What the option does.")
@click.option("--custom", is_flag=True, help="The option needs custom development.")
@on_option
@root_option
def option(
    cr_id: str, key: str, summary: str, custom: bool, on: str | None, root: Path | None
) -> None:
    """Add a consultant's option (needs the request's reason and goal first).

    \b
    Example:
        kb cr option CR-0008 --key A --summary "按客户设置默认开票信息" --on 2026-11-20
    """
    from crmkb.change_flow import option as make

    _run(root, cr_id, make, on, key, summary, custom, story=f"option {key}: {summary}")


@cr.command()
@click.argument("cr_id", callback=normalise)
@click.option("--option", "option_key", required=True, help="The option evaluated.")
@click.option("--by", required=True, metavar="PERSON", help="Who evaluated it (P012).")
@click.option("--verdict", required=True, type=click.Choice(["accept", "reject", "revise"]))
@click.option("--comment", help="What the user said.")
@on_option
@root_option
def evaluate(
    cr_id: str,
    option_key: str,
    by: str,
    verdict: str,
    comment: str | None,
    on: str | None,
    root: Path | None,
) -> None:
    """Record a user's evaluation of one option.

    \b
    Example:
        kb cr evaluate CR-0007 --option A --by P012 --verdict accept --comment "省时间"
    """
    from crmkb.change_flow import evaluate as make

    story = f"{by} evaluated option {option_key}: {verdict}"
    _run(root, cr_id, make, on, option_key, by, verdict, comment, story=story)


@cr.command()
@click.argument("cr_id", callback=normalise)
@click.option("--option", "option_key", help="The option chosen.")
@click.option("--reject", is_flag=True, help="Reject the request (no option chosen).")
@click.option("--by", required=True, metavar="PERSON", help="Who decided (P001).")
@click.option("--note", help="Why.")
@on_option
@root_option
def decide(
    cr_id: str,
    option_key: str | None,
    reject: bool,
    by: str,
    note: str | None,
    on: str | None,
    root: Path | None,
) -> None:
    """Decide on an evaluated change request: choose an option, or --reject it.

    \b
    Example:
        kb cr decide CR-0007 --option A --by P001 --note "试点后推广"
    """
    from crmkb.change_flow import decide as make
    from crmkb.errors import UsageError

    if reject == bool(option_key):
        raise UsageError("pass exactly one of --option KEY or --reject")
    story = f"decided by {by}: " + (f"option {option_key}" if option_key else "rejected")
    _run(root, cr_id, make, on, option_key, by, note, story=story)


@cr.command()
@click.argument("cr_id", callback=normalise)
@click.option("--cost", required=True, type=click.FloatRange(min=0), help="Cost in CNY.")
@click.option("--vendor", help="Who develops it.")
@click.option(
    "--milestone",
    "milestones",
    multiple=True,
    metavar="NAME=DATE",
    help="A milestone and its due date. Repeatable.",
)
@root_option
def develop(
    cr_id: str, cost: float, vendor: str | None, milestones: tuple[str, ...], root: Path | None
) -> None:
    """Plan the custom development of the chosen option: cost and milestones.

    \b
    Example:
        kb cr develop CR-0006 --cost 18000 --milestone "开发完成=2026-12-04"
    """
    from crmkb.change_flow import advance
    from crmkb.change_flow import develop as make
    from crmkb.errors import UsageError

    plan = []
    for item in milestones:
        name, sep, due = item.rpartition("=")
        if not sep or not name.strip():
            raise UsageError(f"--milestone expects NAME=DATE, got {item!r}")
        when = parse_date(due, "--milestone date")
        if when < today():
            raise UsageError(f"milestone {name.strip()!r} is due {when}, in the past")
        plan.append((name.strip(), when))
    story = f"development planned: cost {cost:g}, {len(plan)} milestone(s)"
    done = advance(resolve_root(root), today(), cr_id, make(cost, vendor, plan), story)
    click.echo(f"{done.id}: {done.before} -> {done.after}")
    click.echo(f"  wrote {done.path}")


@cr.group()
def milestone() -> None:
    """Add development milestones and mark them done.

    \b
    Example:
        kb cr milestone add CR-0005 "联调完成" --due 2026-12-04
    """


@milestone.command(name="add")
@click.argument("cr_id", callback=normalise)
@click.argument("name")
@click.option("--due", required=True, metavar="DATE", help="Due date, YYYY-MM-DD (not past).")
@root_option
def milestone_add(cr_id: str, name: str, due: str, root: Path | None) -> None:
    """Add a milestone to a change request's development plan.

    \b
    Example:
        kb cr milestone add CR-0005 "联调完成" --due 2026-12-04
    """
    from crmkb.change_flow import milestone_add as make

    when = parse_date(due, "--due")
    now = today()
    _run(root, cr_id, lambda *_: make(name, when, now), None, story=f"milestone added: {name}")


@milestone.command(name="done")
@click.argument("cr_id", callback=normalise)
@click.argument("name")
@on_option
@root_option
def milestone_done(cr_id: str, name: str, on: str | None, root: Path | None) -> None:
    """Mark a development milestone done (not before the decision).

    \b
    Example:
        kb cr milestone done CR-0005 "向导开发完成" --on 2026-11-13
    """
    from crmkb.change_flow import milestone_done as make

    _run(root, cr_id, make, on, name, story=f"milestone done: {name}")


@cr.command()
@click.argument("cr_id", callback=normalise)
@click.option("--reason", help="Why the user asks for the change.")
@click.option("--goal", "wanted", help="What the user wants to reach (not how).")
@on_option
@root_option
def goal(
    cr_id: str, reason: str | None, wanted: str | None, on: str | None, root: Path | None
) -> None:
    """Record the user's reason and goal (needed before the consultant's options).

    \b
    Example:
        kb cr goal CR-0009 --reason "外币客户报价要手工换算" --goal "报价单直接按客户币种出具"
    """
    from crmkb.change_flow import goal as make
    from crmkb.errors import UsageError

    if reason is None and wanted is None:
        raise UsageError("pass --reason, --goal or both")
    _run(root, cr_id, make, on, reason, wanted, story="reason and goal recorded")


@cr.command()
@click.argument("cr_id", callback=normalise)
@click.argument("issue_ids", nargs=-1, required=True)
@on_option
@root_option
def link(cr_id: str, issue_ids: tuple[str, ...], on: str | None, root: Path | None) -> None:
    """Link the issues a change request acts on.

    \b
    Example:
        kb cr link CR-0009 ISS-0031 ISS-0033
    """
    from crmkb.change_flow import link as make
    from crmkb.editing import normalise_id

    ids = [normalise_id(i) for i in issue_ids]
    _run(root, cr_id, make, on, ids, story=f"linked {', '.join(ids)}")


@cr.command()
@click.argument("cr_id", callback=normalise)
@click.option("--users", required=True, help="Pilot users, comma separated: P005,P006.")
@on_option
@root_option
def pilot(cr_id: str, users: str, on: str | None, root: Path | None) -> None:
    """Start a small pilot with named users (custom development must be finished).

    \b
    Example:
        kb cr pilot CR-0006 --users P005,P006 --on 2026-11-23
    """
    from crmkb.change_flow import pilot as make

    names = [u.strip().upper() for u in users.split(",") if u.strip()]
    _run(root, cr_id, make, on, names, story=f"pilot started with {', '.join(names)}")


@cr.command(name="pilot-end")
@click.argument("cr_id", callback=normalise)
@click.option("--outcome", required=True, help="What the pilot showed.")
@on_option
@root_option
def pilot_end(cr_id: str, outcome: str, on: str | None, root: Path | None) -> None:
    """End the pilot with its outcome (needed before rollout).

    \b
    Example:
        kb cr pilot-end CR-0003 --outcome "试点3人两周无差错，可推广"
    """
    from crmkb.change_flow import pilot_outcome as make

    _run(root, cr_id, make, on, outcome, story=f"pilot ended: {outcome}")


@cr.command()
@click.argument("cr_id", callback=normalise)
@on_option
@root_option
def rollout(cr_id: str, on: str | None, root: Path | None) -> None:
    """Roll the change out company-wide (refused without a pilot outcome).

    \b
    Example:
        kb cr rollout CR-0003 --on 2026-11-23
    """
    from crmkb.change_flow import rollout as make

    _run(root, cr_id, make, on, story="rolled out company-wide")


COMMANDS = [cr]
