"""`kb intake`: problem reports from staff who never touch git (a mail, or an issue form)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crmkb.cli.options import format_option, resolve_root, root_option, today
from crmkb.i18n import _
from crmkb.intake_write import Intake


@click.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--issue-form",
    "issue_form",
    is_flag=True,
    help="SOURCE is a GitHub `issues` event payload of the problem-report form.",
)
@click.option(
    "--evidence-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="With --issue-form: where the form's attachments were downloaded.",
)
@format_option("text", "json")
@root_option
def intake(
    source: Path, issue_form: bool, evidence_dir: Path | None, fmt: str, root: Path | None
) -> None:
    """Turn a mailed daily problem log (.eml) or a submitted issue form into issue records.

    Each problem becomes an issue with its screenshots as evidence; the reporter is matched
    by email address (mail) or by the name/id typed in the form. A malformed report writes
    nothing and says what is wrong.

    \b
    Examples:
        kb intake 问题日报-2026-11-23.eml
        kb intake --issue-form "$GITHUB_EVENT_PATH" --evidence-dir evidence --format json
    """
    from crmkb.errors import UsageError
    from crmkb.intake_write import create_issues

    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {source}: {exc.strerror}") from None
    base = resolve_root(root)
    if issue_form:
        from crmkb.intake_form import read_form
        from crmkb.people_lookup import person_id

        report, typed, number = read_form(raw, str(source), evidence_dir)
        text = f"reported through the issue form (#{number})"
        done = create_issues(base, today(), report, text, lambda kb: person_id(kb, typed))
    else:
        from crmkb.config import load_config
        from crmkb.intake_mail import read_mail

        settings = load_config(base).intake
        report = read_mail(raw, source.name, settings, today())
        text = f"reported by mail from {report.sender}: {report.subject}".rstrip(": ")
        done = create_issues(base, today(), report, text)
    _tell(done, report.notes, fmt)


def _tell(done: Intake, notes: tuple[str, ...], fmt: str) -> None:
    made = done.created
    if fmt == "json":
        rows = [
            {"id": m.id, "title": m.title, "path": m.path, "evidence": m.evidence} for m in made
        ]
        out = {"created": rows, "notes": list(notes), "refused": done.refused}
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    from crmkb.cli.output import safe_line

    if not made:
        click.echo("no problems reported; nothing was written")
        return
    for m in made:
        click.echo(safe_line(f"{m.id}  {m.title}"))
        click.echo(f"  wrote {m.path}")
        for path in m.evidence:
            click.echo(f"  wrote {path}")
    for line in (*notes, *done.refused):
        click.echo(safe_line(_("note: {text}").format(text=line)))


COMMANDS = [intake]
