"""`kb points`: the monthly ranking of reporters by points earned for their reports."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crmkb.cli.options import format_option, pad, readable, root_option, today
from crmkb.cli.output import safe_line


@click.command()
@click.option("--month", metavar="YYYY-MM", help="Month to rank (default: this month).")
@format_option("text", "json")
@root_option
def points(month: str | None, fmt: str, root: Path | None) -> None:
    """Rank reporters by the points their reports earned in a month.

    Points per severity come from crmkb.yml `points:`; duplicate and declined reports
    earn none.

    \b
    Example:
        kb points --month 2026-11
    """
    from crmkb.points import parse_month, ranking

    now = today()
    wanted = month or f"{now.year}-{now.month:02d}"
    parse_month(wanted)
    kb = readable(root, now)
    standings = ranking(kb, wanted)
    if fmt == "json":
        rows = [
            {
                "rank": s.rank,
                "person": s.person,
                "name": s.name,
                "points": s.points,
                "issues": list(s.issues),
            }
            for s in standings
        ]
        click.echo(json.dumps({"month": wanted, "ranking": rows}, ensure_ascii=False, indent=2))
        return
    click.echo(f"Points for {wanted}")
    for s in standings:
        name = pad(s.name, 8)
        line = f"{s.rank:>3}. {s.person}  {name}  {s.points:>3}  {' '.join(s.issues)}"
        click.echo(safe_line(line))
    if not standings:
        click.echo("  no scoring reports this month")


COMMANDS = [points]
