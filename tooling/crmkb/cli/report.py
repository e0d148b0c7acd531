"""`kb report weekly|monthly`: the operation report for one period, as Markdown."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crmkb.cli.options import readable, resolve_root, root_option, today
from crmkb.cli.output import safe


@click.command()
@click.argument("cadence", type=click.Choice(["weekly", "monthly"]))
@click.option("--period", metavar="ID", help="2026-W47 or 2026-11 (default: the current one).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@click.option("--force", is_flag=True, help="Replace --out if it already exists.")
@click.option("--no-charts", is_flag=True, help="Leave out the inline SVG charts.")
@root_option
def report(
    cadence: str,
    period: str | None,
    out: Path | None,
    force: bool,
    no_charts: bool,
    root: Path | None,
) -> None:
    """Write a weekly or monthly operation report (default: to stdout).

    Covers problems reported, resolved and open; SLA compliance; median working days to
    resolve; problems by module and cause; user-error share and modules lacking training;
    change requests moved; unreasonable feedback declined.

    \b
    Examples:
        kb report weekly --period 2026-W47
        kb report monthly --period 2026-11 --out reports/2026-11.md
    """
    from crmkb.errors import UsageError
    from crmkb.report import Cadence, period_of
    from crmkb.report import period as parse_period
    from crmkb.report_render import report as render
    from crmkb.store import writing

    now = today()
    which: Cadence = "weekly" if cadence == "weekly" else "monthly"
    when = parse_period(which, period) if period else period_of(which, now)
    if when.start > now:
        raise UsageError(f"period {when.id} starts after today ({now}); pick a past period")
    if out is not None and out.exists() and not force:
        raise UsageError(f"{out} already exists; pass --force to replace it")
    base = resolve_root(root)
    kb = readable(base, now)
    text = render(kb, when, with_charts=not no_charts)
    if out is None:
        click.echo(safe(text) if sys.stdout.isatty() else text, nl=False)
        return
    with writing(base, now) as change:
        change.write(out.resolve(), text)
        change.commit()
    click.echo(f"wrote {out}", err=True)


COMMANDS = [report]
