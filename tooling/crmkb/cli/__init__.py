"""The `kb` command: one module per subcommand, errors reported once here at the edge."""

from __future__ import annotations

import importlib
from collections.abc import MutableMapping
from typing import Any

import click

from crmkb import i18n
from crmkb.cli.output import safe, safe_line
from crmkb.errors import KbError, RecordErrors
from crmkb.i18n import LANGUAGES


class KbGroup(click.Group):
    """Reports crmkb errors once, with the exit code they carry, instead of a traceback; its
    commands are imported from their modules (LAZY_COMMANDS) when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            module = importlib.import_module(f"crmkb.cli.{LAZY_COMMANDS[cmd_name]}")
            for command in module.COMMANDS:
                self.add_command(command)
        return self.commands.get(cmd_name)

    def load_all(self) -> MutableMapping[str, click.Command]:
        """Every command, imported: for tools and tests that walk the whole command tree."""
        for name in LAZY_COMMANDS:
            self.get_command(click.Context(self), name)
        return self.commands

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
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    envvar="KB_LANG",
    help="Language of this command's messages (default: `language:` in crmkb.yml).",
)
def main(lang: str | None) -> None:
    """Validate, query and edit the CRM knowledge base records.

    \b
    Example:
        kb check
        kb --lang en sla
    """
    # The repository's own language is taken up where each command finds its root
    # (options.resolve_root).
    i18n.choose(lang)


def run() -> None:
    """The `kb` console script: `main` for a one-shot process.

    Only here, never for `kb serve` or when `main` runs inside another program (tests), may the
    loaded records be frozen out of the garbage collector (see knowledge_base.load_records).
    """
    import sys

    from crmkb import knowledge_base

    knowledge_base.FREEZE_AFTER_LOAD = sys.argv[1:2] != ["serve"]
    main()


# Each command's module, imported only when that command runs (or help lists it): starting
# `kb show` must not pay for importing every other command and the libraries they use.
# tests/foundation/test_cli_meta.py checks this table against each module's COMMANDS.
LAZY_COMMANDS = {
    "check": "check",
    "new": "new",
    "list": "query",
    "show": "query",
    "schema": "schema",
    **dict.fromkeys(
        ("investigate", "escalate", "propose", "verify", "resolve", "duplicate", "decline"),
        "lifecycle",
    ),
    "reject": "ways_back",
    "reopen": "ways_back",
    **dict.fromkeys(("edit", "note", "assign", "attach"), "editing"),
    "feedback": "judgement",
    "solution": "judgement",
    "intake": "intake",
    "sla": "sla",
    "exam": "exam",
    "cert": "cert",
    "cr": "changes",
    "audit": "audit",
    "points": "points",
    "report": "report",
    "similar": "similar",
    "render": "render",
    "serve": "serve",
    "renumber": "renumber",
}
