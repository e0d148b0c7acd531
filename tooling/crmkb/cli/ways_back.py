"""`kb reject` and `kb reopen`: back to investigation, stamped and noted."""

from __future__ import annotations

from pathlib import Path

import click

from crmkb.cli.editing import record_id_argument, report
from crmkb.cli.options import on_option, resolve_root, root_option, step_date


def _back(root: Path | None, issue_id: str, how: str, reason: str, on: str | None) -> None:
    from crmkb.ways_back import go_back

    now, when = step_date(on)
    done = go_back(resolve_root(root), now, issue_id, how, reason, when, None)
    before = "verifying" if how == "reject" else "resolved"
    report(done, f"{before} -> investigating on {when}")


@click.command()
@record_id_argument
@click.option("--reason", required=True, help="What the user found wrong with the fix.")
@on_option
@root_option
def reject(record_id: str, reason: str, on: str | None, root: Path | None) -> None:
    """The user rejected the fix: verifying -> investigating (the SLA clock restarts).

    \b
    Example:
        kb reject ISS-0042 --reason "含税报价单仍然取错税率"
    """
    _back(root, record_id, "reject", reason, on)


@click.command()
@record_id_argument
@click.option("--reason", required=True, help="Why the resolved problem is back.")
@on_option
@root_option
def reopen(record_id: str, reason: str, on: str | None, root: Path | None) -> None:
    """A resolved problem came back: resolved -> investigating (the SLA clock restarts).

    \b
    Example:
        kb reopen ISS-0042 --reason "月结后问题再次出现"
    """
    _back(root, record_id, "reopen", reason, on)


COMMANDS = [reject, reopen]
