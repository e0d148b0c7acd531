"""`kb feedback judge` and `kb solution validate|archive`: the lead's judgement, recorded."""

from __future__ import annotations

from pathlib import Path

import click

from crmkb.cli.editing import record_id_argument, report
from crmkb.cli.options import on_option, resolve_root, root_option, step_date


@click.group()
def feedback() -> None:
    """Judge user feedback: reasonable (supported) or unreasonable (explained, declined).

    \b
    Example:
        kb feedback judge FB-0003 --unreasonable --reason "系统按设计禁止删除已审核订单"
    """


@feedback.command(name="judge")
@record_id_argument
@click.option("--reasonable/--unreasonable", required=True, help="The judgement.")
@click.option("--reason", required=True, help="Why (the response given to the user).")
@click.option("--link", "links", multiple=True, metavar="ID", help="ISS-…/CR-… acting on it.")
@on_option
@root_option
def judge(
    record_id: str,
    reasonable: bool,
    reason: str,
    links: tuple[str, ...],
    on: str | None,
    root: Path | None,
) -> None:
    """Judge feedback; reasonable feedback links the issue or change request acting on it.

    \b
    Examples:
        kb feedback judge FB-0003 --unreasonable --reason "按设计如此，应走作废申请"
        kb feedback judge FB-0004 --reasonable --reason "确有需要" --link CR-0009
    """
    from crmkb.editing import normalise_id
    from crmkb.judgement import judge as record_judgement

    now, when = step_date(on)
    ids = [normalise_id(link) for link in links]
    done = record_judgement(resolve_root(root), now, record_id, reasonable, reason, ids, when)
    report(done, f"judged {'reasonable' if reasonable else 'unreasonable'}")


@click.group()
def solution() -> None:
    """Move a solution through its lifecycle: draft -> validated -> archived.

    \b
    Example:
        kb solution validate SOL-0021
    """


def _step(root: Path | None, solution_id: str, how: str, on: str | None) -> None:
    from crmkb.judgement import SOLUTION_STEPS, solution_step

    now, when = step_date(on)
    done = solution_step(resolve_root(root), now, solution_id, how, when)
    before, after = SOLUTION_STEPS[how]
    report(done, f"{before} -> {after}")


@solution.command()
@record_id_argument
@on_option
@root_option
def validate(record_id: str, on: str | None, root: Path | None) -> None:
    """A draft solution worked for the user: validated (it needs its steps written).

    \b
    Example:
        kb solution validate SOL-0021
    """
    _step(root, record_id, "validate", on)


@solution.command()
@record_id_argument
@on_option
@root_option
def archive(record_id: str, on: str | None, root: Path | None) -> None:
    """A validated solution is archived as the company's own answer (taught, reused).

    \b
    Example:
        kb solution archive SOL-0021
    """
    _step(root, record_id, "archive", on)


def _teaching_commands() -> None:
    from crmkb.cli.teaching import review, teach

    solution.add_command(teach)
    solution.add_command(review)


_teaching_commands()
COMMANDS = [feedback, solution]
