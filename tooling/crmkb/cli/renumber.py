"""`kb renumber`: give a record a new id, or move every id a branch shares with its base."""

from __future__ import annotations

from pathlib import Path

import click

from crmkb.cli.options import resolve_root, root_option, today
from crmkb.errors import RecordErrors, UsageError
from crmkb.i18n import _


@click.command()
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option(
    "--onto",
    metavar="REF",
    help="Renumber every record this branch added whose id REF took since (e.g. origin/main).",
)
@click.option("--check", "check_only", is_flag=True, help="With --onto: only report them (exit 1).")
@click.option(
    "--head",
    metavar="REV",
    help="With --check: the branch's commit to look at, instead of the working tree.",
)
@root_option
def renumber(
    old: str | None,
    new: str | None,
    onto: str | None,
    check_only: bool,
    head: str | None,
    root: Path | None,
) -> None:
    """Give record OLD the id NEW: its file, evidence folder and every reference move.

    Run it when a pull request's new id was taken on main since the branch left it: git
    would report an add/add conflict on the record's file. It is one checked, journalled
    change, and the record's history says what happened.

    \b
    Examples:
        git fetch origin && kb renumber --onto origin/main
        kb renumber ISS-0050 ISS-0052
        kb renumber --onto origin/main --check   # report only (CI adds --head SHA)
    """
    from crmkb.renumber import onto as plan_onto
    from crmkb.renumber import renumber as run
    from crmkb.renumber import taken_errors

    base = resolve_root(root)
    if (onto is None) == (old is None) or (old is None) != (new is None):
        raise UsageError(_("name OLD and NEW ids, or --onto REF (not both)"))
    if head is not None and not check_only:
        raise UsageError(_("--head goes with --check"))
    if check_only:
        if onto is None:
            raise UsageError(_("--check goes with --onto REF"))
        errors = taken_errors(base, onto, head)
        if errors:
            raise RecordErrors(errors)
        click.echo(_("no id of this branch was taken on {base}").format(base=onto))
        return

    def plan() -> dict[str, str]:
        if onto is not None:
            return plan_onto(base, onto)
        assert old is not None and new is not None
        return {old: new}

    done = run(base, today(), plan)
    if not done.moved:
        click.echo(_("no id of this branch was taken on {base}").format(base=onto))
    for old_id, new_id in done.moved.items():
        click.echo(f"{old_id} → {new_id}")
    for path in done.written:
        click.echo("  " + _("wrote {path}").format(path=path))
    for path in done.removed:
        click.echo("  " + _("removed {path}").format(path=path))


COMMANDS = [renumber]
