"""`kb audit plan`: draw the sample of a spot check (稽核), and optionally write its draft."""

from __future__ import annotations

import secrets
from pathlib import Path

import click

from crmkb.cli.options import parse_date, readable, resolve_root, root_option, today
from crmkb.cli.output import safe_line
from crmkb.i18n import _


@click.group()
def audit() -> None:
    """Spot checks of people or records against a standard (稽核).

    \b
    Example:
        kb audit plan --of people --size 5 --seed 20261207 --weight sales-rep=2
    """


@audit.command()
@click.option(
    "--of",
    "population",
    type=click.Choice(["people", "issues"]),
    required=True,
    help="Sample active people (grouped by role) or issues (grouped by module).",
)
@click.option("--size", type=click.IntRange(1, 1000), required=True, help="How many to draw.")
@click.option(
    "--seed",
    type=click.IntRange(0, 2**63 - 1),
    help="Seed of the draw: the same seed and records draw the same sample (default: new).",
)
@click.option(
    "--weight",
    "weights",
    multiple=True,
    metavar="GROUP=N",
    help="A role's or module's weight (default 1 each; 0 leaves it out). Repeatable.",
)
@click.option("--since", metavar="DATE", help="Issues reported on or after DATE only.")
@click.option("--write", is_flag=True, help="Also write a draft audit holding the sample.")
@click.option("--title", help="The draft audit's title (with --write).")
@click.option(
    "--standard",
    metavar="KIND:REF",
    help="What is checked (with --write): process:…, training:TM-…, data_rights:ROLE.",
)
@click.option("--module", help="The CRM module the standard concerns (with --write).")
@click.option("--auditor", metavar="PERSON", help="Who audits (default: you, see `me:`).")
@root_option
def plan(
    population: str,
    size: int,
    seed: int | None,
    weights: tuple[str, ...],
    since: str | None,
    write: bool,
    title: str | None,
    standard: str | None,
    module: str | None,
    auditor: str | None,
    root: Path | None,
) -> None:
    """Draw a reproducible random sample for an audit and print it.

    \b
    Examples:
        kb audit plan --of people --size 5 --seed 7 --weight sales-rep=2 --weight consultant=0
        kb audit plan --of issues --size 4 --seed 7 --since 2026-11-01 --write \\
            --title "应收模块录入规范抽查" --standard process:回款登记流程 --module receivable
    """
    from crmkb.audit_plan import draw, parse_standard, parse_weights, write_draft
    from crmkb.errors import UsageError

    kb = readable(root, today())  # first: it takes up the repository's language
    if write and not (title and standard and module):
        raise UsageError(_("--write needs --title, --standard and --module"))
    chosen_seed = seed if seed is not None else secrets.randbelow(10**9)
    since_day = parse_date(since, "--since") if since else None
    drawn = draw(kb, population, size, chosen_seed, parse_weights(weights), since_day)  # type: ignore[arg-type]
    header = _("{n} of {total} {what}, seed {seed} (repeat with --seed {seed})")
    what = _("people") if population == "people" else _("issues")
    click.echo(
        header.format(n=len(drawn.drawn), total=drawn.candidates, what=what, seed=drawn.seed)
    )
    for item in drawn.drawn:
        click.echo(safe_line(f"{item.id}  {item.group}  {item.label}"))
    if write:
        parsed = parse_standard(standard or "")
        _id, path = write_draft(
            resolve_root(root), today(), drawn, title or "", (*parsed, module or ""), auditor
        )
        click.echo(_("wrote {path}; record each finding there").format(path=path))


COMMANDS = [audit]
