"""`kb cert status`: who holds the certifications their roles require (the work gate)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import click

from crmkb.cli.options import format_option, readable, root_option, today
from crmkb.cli.output import safe_line


@click.group()
def cert() -> None:
    """Certification register commands.

    \b
    Example:
        kb cert status
    """


@cert.command()
@format_option("human", "json")
@click.option("--person", "person_id", metavar="ID", help="Only this person.")
@root_option
def status(fmt: str, person_id: str | None, root: Path | None) -> None:
    """List each active person's required certifications: valid, expiring, expired or missing.

    A certificate expiring within 30 days still counts as valid. Exit status: 0 when everyone
    working in a role holds every certification it requires, 1 when someone does not
    (so CI or an access review can gate on it), 2 on usage problems.

    \b
    Examples:
        kb cert status
        kb cert status --person P023
        kb cert status --format json
    """
    from crmkb.errors import UsageError
    from crmkb.training.register import STATE_LABEL, lacking, standings

    day = today()
    kb = readable(root, day)
    rows = standings(kb, day)
    if person_id is not None:
        if not any(p == person_id for p in kb.records.get("person", {})):
            raise UsageError(
                f"unknown person {person_id!r}; people are listed in records/people.yml"
            )
        rows = [r for r in rows if r.person.id == person_id]
    missing = lacking(rows)
    if fmt == "json":
        payload = {
            "date": day.isoformat(),
            "standings": [r.as_dict() for r in rows],
            "lacking": len({r.person.id for r in missing}),
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            expires = r.result.expires.isoformat() if r.result and r.result.expires else "-"
            note = f" retake from {r.retake_from}" if r.retake_from else ""
            click.echo(
                safe_line(
                    f"{r.person.id}  {_pad(r.person.name, 8)}{_pad(r.certification, 12)}"
                    f"{_pad(r.state, 10)}{_pad(expires, 12)}{r.result.id if r.result else '-'}"
                    f"{note}"
                )
            )
        people = len({r.person.id for r in rows})
        click.echo(
            f"{people} people, {len(rows)} required certifications: "
            + ", ".join(f"{sum(1 for r in rows if r.state == s)} {s}" for s in STATE_LABEL),
            err=True,
        )
    if missing:
        who = sorted({r.person.id for r in missing})
        click.echo(
            f"{len(who)} {'person lacks' if len(who) == 1 else 'people lack'} a valid required "
            f"certification: {', '.join(who)}; "
            "they take it with: kb exam CERT --person ID",
            err=True,
        )
        raise SystemExit(1)


def _pad(value: str, width: int) -> str:
    """Left-justify for a terminal, counting wide (CJK) characters as two columns."""
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in value)
    return value + " " * max(1, width - shown)


COMMANDS = [cert]
