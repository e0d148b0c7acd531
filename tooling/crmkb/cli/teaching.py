"""`kb solution teach` and `kb solution review`: the fix taught (宣导), a 需复核 cleared."""

from __future__ import annotations

from pathlib import Path

import click

from crmkb.cli.editing import record_id_argument, report
from crmkb.cli.options import on_option, resolve_root, root_option, step_date
from crmkb.i18n import _


@click.command()
@record_id_argument
@click.option(
    "--to",
    "audience",
    multiple=True,
    metavar="WHO",
    help="Who was told: a role (sales-rep) or a person (P012). Repeatable.",
)
@click.option(
    "--channel",
    type=click.Choice(["meeting", "mail", "training"]),
    required=True,
    help="How: a meeting, a mail, or a training module updated.",
)
@click.option("--training", metavar="TM-…", help="The training module updated.")
@click.option("--note", help="What was said, in a line.")
@on_option
@root_option
def teach(
    record_id: str,
    audience: tuple[str, ...],
    channel: str,
    training: str | None,
    note: str | None,
    on: str | None,
    root: Path | None,
) -> None:
    """Record that a fix was taught to its users (宣导): when, to whom, how.

    \b
    Example:
        kb solution teach SOL-0004 --to sales-rep --to finance-clerk --channel meeting \\
            --note "周例会讲解付款条件由财务统一维护"
    """
    from crmkb.teaching import channel_name
    from crmkb.teaching import teach as record_teaching

    now, when = step_date(on)
    done = record_teaching(
        resolve_root(root), now, record_id, list(audience), channel, training, note, when
    )
    report(done, _("taught on {date} ({channel})").format(date=when, channel=channel_name(channel)))


@click.command()
@record_id_argument
@click.option("--note", required=True, help="What was checked and found.")
@on_option
@root_option
def review(record_id: str, note: str, on: str | None, root: Path | None) -> None:
    """A solution was checked again (after kb reopen marked it 需复核): reviewed today.

    \b
    Example:
        kb solution review SOL-0004 --note "步骤仍然有效，补充了月结时的注意事项"
    """
    from crmkb.teaching import review as record_review

    now, when = step_date(on)
    done = record_review(resolve_root(root), now, record_id, note, when)
    report(done, _("reviewed on {date}").format(date=when))
