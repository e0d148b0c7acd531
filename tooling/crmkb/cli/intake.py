"""`kb intake`: problem reports from staff who never touch git (a mail, or an issue form)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crmkb.cli.options import format_option, resolve_root, root_option, today
from crmkb.i18n import _
from crmkb.intake_write import Intake

if TYPE_CHECKING:
    from crmkb.intake_form import Form
    from crmkb.knowledge_base import KnowledgeBase


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
@click.option(
    "--list-evidence",
    is_flag=True,
    help="With --issue-form: print the form's GitHub attachment links, one a line, and stop "
    "(the workflow downloads link N to evidence-N).",
)
@click.option(
    "--skip-missing-evidence",
    is_flag=True,
    help="With --issue-form: file the report without evidence that could not be downloaded.",
)
@format_option("text", "json")
@root_option
def intake(
    source: Path,
    issue_form: bool,
    evidence_dir: Path | None,
    list_evidence: bool,
    skip_missing_evidence: bool,
    fmt: str,
    root: Path | None,
) -> None:
    """Turn a mailed daily problem log (.eml) or a submitted issue form into issue records.

    Each problem becomes an issue with its screenshots as evidence. The reporter is the
    person with the sender's email, verified only by the company's mail server
    (`intake.authserv_id`), or the person with the GitHub account that opened the form
    (`github:` in people.yml); otherwise the reporter is a claim the lead confirms. A
    malformed report writes nothing and says what is wrong.

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
    extra: dict[str, object] = {}
    if issue_form:
        from crmkb.intake_form import evidence_links, read_form

        if list_evidence:
            for url in evidence_links(_form_body(raw, source)):
                click.echo(url)
            return
        form = read_form(raw, str(source), evidence_dir, skip_missing_evidence)
        report = form.report
        text = f"reported through the issue form (#{form.number}) by @{form.login or '?'}"
        done = create_issues(base, today(), report, text, _form_reporter(form))
        extra["missing"] = list(form.missing)
    else:
        from crmkb.config import load_config
        from crmkb.intake_mail import read_mail

        settings = load_config(base).intake
        report = read_mail(raw, source.name, settings, today())
        text = f"reported by mail from {report.sender}: {report.subject}".rstrip(": ")
        done = create_issues(base, today(), report, text)
    _tell(done, report.notes, fmt, extra)


def _form_body(raw: bytes, source: Path) -> str:
    from crmkb.errors import UsageError

    try:
        return str(json.loads(raw)["issue"]["body"] or "")
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(
            _("{file} is not a GitHub issues event payload ({why})").format(file=source, why=exc)
        ) from None


def _form_reporter(form: Form) -> Callable[[KnowledgeBase], tuple[str, bool]]:
    """The person of the GitHub account that opened the form; else the typed name, as a claim
    for the lead to confirm."""

    def find(kb: KnowledgeBase) -> tuple[str, bool]:
        from crmkb.errors import UsageError
        from crmkb.identity import by_github
        from crmkb.people_lookup import person_id

        found = by_github(kb, form.login)
        if found:
            return found, True
        if not form.typed:
            raise UsageError(
                _(
                    "the GitHub account {login} is no person's (github: in records/people.yml) "
                    "and the form names no reporter"
                ).format(login=form.login or "?")
            )
        return person_id(kb, form.typed), False

    return find


def _tell(done: Intake, notes: tuple[str, ...], fmt: str, extra: dict[str, object]) -> None:
    made = done.created
    if fmt == "json":
        rows = [
            {"id": m.id, "title": m.title, "path": m.path, "evidence": m.evidence} for m in made
        ]
        claimed = [m.id for m in made if not m.confirmed]
        extra = {**extra, "unconfirmed": claimed} if claimed else extra
        out = {"created": rows, "notes": list(notes), "refused": done.refused, **extra}
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
        if not m.confirmed:
            click.echo(
                safe_line(
                    _(
                        "  the reporter {person} is only claimed: confirm it with "
                        "kb edit {id} --set reporter_confirmed=true (or correct it with "
                        "--set reporter=…)"
                    ).format(person=m.reporter, id=m.id)
                )
            )
    for line in (*notes, *done.refused):
        click.echo(safe_line(_("note: {text}").format(text=line)))


COMMANDS = [intake]
