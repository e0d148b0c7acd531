"""The `kb` command: one module per subcommand, errors reported once here at the edge."""

from __future__ import annotations

from typing import Any

import click

from crmkb.cli.output import safe, safe_line
from crmkb.errors import KbError, RecordErrors


class KbGroup(click.Group):
    """Reports crmkb errors once, with the exit code they carry, instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RecordErrors as exc:
            for error in exc.errors:
                click.echo(safe_line(str(error)), err=True)
            if note := getattr(exc, "note", None):
                click.echo(f"error: {note}", err=True)
            ctx.exit(exc.exit_code)
        except KbError as exc:
            click.echo(safe(f"error: {exc}"), err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=KbGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="crmkb")
def main() -> None:
    """Validate, query and edit the CRM knowledge base records.

    \b
    Example:
        kb check
    """


def run() -> None:
    """The `kb` console script: `main` for a one-shot process.

    Only here, never for `kb serve` or when `main` runs inside another program (tests), may the
    loaded records be frozen out of the garbage collector (see knowledge_base.load_records).
    """
    import sys

    from crmkb import knowledge_base

    knowledge_base.FREEZE_AFTER_LOAD = sys.argv[1:2] != ["serve"]
    main()


def _register() -> None:
    from crmkb.cli import (
        cert,
        changes,
        check,
        editing,
        exam,
        intake,
        judgement,
        lifecycle,
        new,
        points,
        query,
        render,
        report,
        schema,
        serve,
        similar,
        sla,
        ways_back,
    )

    for module in (
        check,
        new,
        query,
        schema,
        lifecycle,
        ways_back,
        editing,
        judgement,
        intake,
        sla,
        exam,
        cert,
        changes,
        points,
        report,
        similar,
        render,
        serve,
    ):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
