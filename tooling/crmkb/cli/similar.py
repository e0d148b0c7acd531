"""`kb similar`: the past issues and solutions most like a problem description."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from crmkb.cli.options import format_option, readable, root_option, today
from crmkb.cli.output import safe_line


@click.command()
@click.argument("text")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 50))
@format_option("text", "json")
@root_option
def similar(text: str, limit: int, fmt: str, root: Path | None) -> None:
    """List the past issues and solutions most similar to TEXT, best first.

    Uses the site search's Chinese-aware tokenizer (traditional and simplified meet).
    Search before filing: a duplicate is cheaper to catch than to close.

    \b
    Example:
        kb similar "节后回款入账 账龄逾期"
    """
    from crmkb.errors import UsageError
    from crmkb.precedents import lines
    from crmkb.precedents import similar as find

    if not text.strip():
        raise UsageError('give some words describing the problem, e.g. kb similar "回款 账龄"')
    kb = readable(root, today())
    found = find(kb, text, limit)
    if fmt == "json":
        click.echo(json.dumps([asdict(p) for p in found], ensure_ascii=False, indent=2))
        return
    for line in lines(found):
        click.echo(safe_line(line))
    if not found:
        click.echo("no similar issues or solutions", err=True)


COMMANDS = [similar]
