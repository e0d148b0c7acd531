"""`kb check`: validate every record and apply the cross-record rules."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from crmkb.cli.options import format_option, resolve_root, root_option, today
from crmkb.cli.output import github_data, github_property, safe_line
from crmkb.errors import RecordError
from crmkb.i18n import _, ngettext

PROGRESS_THRESHOLD = 500


@click.command()
@root_option
@format_option("human", "json", "github")
@click.option("--strict", is_flag=True, help="Treat warnings (such as overdue SLAs) as errors.")
def check(root: Path | None, fmt: str, strict: bool) -> None:
    """Validate every record; report each problem as path:line:col.

    Exit status: 0 clean, 1 problems found, 2 usage or environment problems.

    \b
    Examples:
        kb check
        kb check --format json
        kb check --format github   # annotations in a GitHub Actions log
    """
    from crmkb.knowledge_base import check as run_check
    from crmkb.knowledge_base import count_files
    from crmkb.store import journal_problem
    from crmkb.store.journal import pending_paths

    base = resolve_root(root, finish=False)
    # Counting lists every folder once more: only when a progress bar could be shown.
    total = count_files(base) if fmt == "human" and sys.stderr.isatty() else 0
    if total >= PROGRESS_THRESHOLD:
        with click.progressbar(length=total, label="Checking records", file=sys.stderr) as bar:
            kb, found = run_check(base, today=today(), progress=bar.update, exam_pool=True)
    else:
        kb, found = run_check(base, today=today(), exam_pool=True)
    if (interrupted := journal_problem(base)) is not None:
        pending = pending_paths(base)  # files the interrupted write creates: not orphans yet
        found = [interrupted, *(e for e in found if e.path not in pending)]
    failing = [e for e in found if e.severity == "error" or strict]
    records = sum(len(v) for v in kb.records.values())
    _report(found, fmt, records, kb.skipped)
    if failing:
        raise SystemExit(1)


def _report(found: list[RecordError], fmt: str, records: int, skipped: list[str]) -> None:
    errors = sum(1 for e in found if e.severity == "error")
    warnings = len(found) - errors
    if fmt == "json":
        payload = {
            "records": records,
            "errors": errors,
            "warnings": warnings,
            "problems": [e.as_dict() for e in found],
        }
        if skipped:  # checks that need the exam pool kept outside the repository
            payload["skipped"] = skipped
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for e in found:
        if fmt == "github":
            where = f"file={github_property(e.path)},line={e.line},col={e.col}"
            click.echo(f"::{e.severity} {where}::{github_data(e.message)}")
        else:
            click.echo(safe_line(str(e)))
    click.echo(
        _("{records} records checked: {errors}, {warnings}").format(
            records=records,
            errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
            warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
        ),
        err=True,
    )
    for note in skipped:
        click.echo(_("skipped: {note}").format(note=note), err=True)


COMMANDS = [check]
