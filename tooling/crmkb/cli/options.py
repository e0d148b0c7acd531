"""Options and lookups that several commands share, written once."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from crmkb.errors import UsageError

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

F = TypeVar("F", bound=Callable[..., Any])


def root_option(func: F) -> F:
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="CRMKB_ROOT",
        help="Repository root (default: the nearest folder with crmkb.yml or records/).",
    )(func)


def format_option(*choices: str) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(choices),
            default=choices[0],
            show_default=True,
            help="Output format.",
        )(func)

    return decorate


def on_option(func: F) -> F:
    """--on DATE for a workflow step; read it with `step_date`."""
    return click.option(
        "--on", "on", metavar="DATE", help="Date of the step, YYYY-MM-DD (default: today)."
    )(func)


def step_date(on: str | None) -> tuple[dt.date, dt.date]:
    """(today, the step's date): --on when given, else today."""
    now = today()
    return now, parse_date(on, "--on") if on else now


def resolve_root(root: Path | None, *, finish: bool = True) -> Path:
    """The repository root given or found from the working directory.

    A write that a killed `kb` left half done is completed or undone first (`finish`), so no
    command reads it half written; `kb check` passes finish=False and reports it instead.
    """
    base = _find_root(root)
    from crmkb.i18n import speak_for

    speak_for(base)
    if finish:
        from crmkb.store import StoreError, finish_interrupted

        try:
            done = finish_interrupted(base)
        except StoreError as exc:
            click.echo(f"warning: {exc}", err=True)
            done = []
        for line in done:
            click.echo(f"kb: {line}", err=True)
    return base


def _find_root(root: Path | None) -> Path:
    from crmkb.knowledge_base import find_root

    if root is not None:
        if not (root / "records").is_dir() and not (root / "crmkb.yml").is_file():
            raise UsageError(f"{root} is not a crmkb repository (no records/ folder or crmkb.yml)")
        return root.resolve()
    found = find_root(Path.cwd())
    if found is None:
        raise UsageError(
            "no crmkb repository here: run kb inside a folder with records/ or crmkb.yml, "
            "or pass --root"
        )
    return found


def readable(root: Path | None, day: dt.date, *, exam_pool: bool = False) -> KnowledgeBase:
    """The records a read command can trust; each broken file is named once on stderr.

    `exam_pool` also reads the exam pool (wherever crmkb.yml keeps it), so exam results are
    re-graded before they count.
    """
    from crmkb.cli.output import safe_line
    from crmkb.knowledge_base import load_readable

    kb, skipped = load_readable(resolve_root(root), today=day, exam_pool=exam_pool)
    for error in skipped:
        click.echo(
            safe_line(
                f"warning: skipped {error.path}: {error.line}:{error.col}: {error.message} "
                "(kb check lists every problem)"
            ),
            err=True,
        )
    return kb


def today() -> dt.date:
    """Today's date, or CRMKB_TODAY (YYYY-MM-DD) to back-date work or replay tests."""
    value = os.environ.get("CRMKB_TODAY")
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"CRMKB_TODAY={value!r} is not a date like 2026-11-23") from None


def parse_date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{what} {value!r} is not a date like 2026-11-23") from None


def pad(text: str, columns: int) -> str:
    """`text` padded to `columns` terminal columns; CJK characters take two columns."""
    return text + " " * max(0, columns - width(text))


def width(text: str) -> int:
    """Terminal columns `text` takes: CJK (wide and fullwidth) characters take two."""
    if text.isascii():  # ids, dates, states: every character takes one column
        return len(text)
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def normalise(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Click callback: a record id as typed (iss-0001) in its canonical form (ISS-0001)."""
    from crmkb.editing import normalise_id

    return normalise_id(value) if value is not None else None
