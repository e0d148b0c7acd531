"""`kb check`: validate every record and apply the cross-record rules."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from crmkb.cli.options import format_option, resolve_root, root_option, today
from crmkb.cli.output import github_data, github_property, safe_line
from crmkb.errors import RecordError
from crmkb.i18n import _, ngettext

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

PROGRESS_THRESHOLD = 500


@click.command()
@root_option
@format_option("human", "json", "github")
@click.option("--strict", is_flag=True, help="Treat warnings (such as overdue SLAs) as errors.")
@click.option(
    "--base",
    metavar="REF",
    envvar="KB_BASE_REF",
    help="Also fail on ids this branch added that REF (the pull request's base) took since.",
)
def check(root: Path | None, fmt: str, strict: bool, base: str | None) -> None:
    """Validate every record; report each problem as path:line:col.

    Exit status: 0 clean, 1 problems found, 2 usage or environment problems.

    \b
    Examples:
        kb check
        kb check --format json
        kb check --format github   # annotations in a GitHub Actions log
        kb check --base origin/main  # and no new id was taken on main meanwhile
    """
    from crmkb.knowledge_base import check as run_check
    from crmkb.knowledge_base import count_files
    from crmkb.store import journal_problem
    from crmkb.store.journal import pending_paths

    repo = resolve_root(root, finish=False)
    # Counting lists every folder once more: only when a progress bar could be shown.
    total = count_files(repo) if fmt == "human" and sys.stderr.isatty() else 0
    if total >= PROGRESS_THRESHOLD:
        with click.progressbar(length=total, label="Checking records", file=sys.stderr) as bar:
            kb, found = run_check(repo, today=today(), progress=bar.update, exam_pool=True)
    else:
        kb, found = run_check(repo, today=today(), exam_pool=True)
    found = _with_personal_data(kb, found)
    if (interrupted := journal_problem(repo)) is not None:
        pending = pending_paths(repo)  # files the interrupted write creates: not orphans yet
        found = [interrupted, *(e for e in found if e.path not in pending)]
    if base:
        from crmkb.renumber import taken_errors

        found = [*found, *taken_errors(repo, base)]
    failing = [e for e in found if e.severity == "error" or strict]
    records = sum(len(v) for v in kb.records.values())
    _report(found, fmt, records, kb.skipped, kb.notes)
    if fmt != "json":
        _suggest_short_forms(kb)
    if failing:
        raise SystemExit(1)


def _with_personal_data(kb: KnowledgeBase, found: list[RecordError]) -> list[RecordError]:
    """Warn about personal data in the text of the records that loaded (not people.yml).

    Each file's hits are kept in the record cache under its content hash, and a record is
    built only when its file has hits: a file without any lists no accepted value either
    (the list itself would be a hit)."""
    from crmkb.knowledge_base import path_of
    from crmkb.records import REGISTRY
    from crmkb.records import personal_data as pd

    stored = kb.cache.derived("personal-data", pd.SCAN_VERSION) if kb.cache else None
    known: dict[str, list[list[Any]]] = stored if isinstance(stored, dict) else {}
    kept: dict[str, list[pd.Hit]] = {}
    warnings = []
    for kind in REGISTRY:
        bucket = kb.records.get(kind.name, {})
        if pd.FIELD not in kind.model.model_fields:
            continue
        for record_id in bucket:
            path = path_of(bucket, record_id)
            digest = kb.sources.get(path)
            cached = known.get(digest) if digest else None
            hits = pd.file_hits(kb.root, path) if cached is None else list(map(pd.as_hit, cached))
            if digest:
                kept[digest] = hits
            if hits:
                warnings += pd.record_warnings(bucket[record_id], hits)
    if kb.cache is not None and kept.keys() != known.keys():
        kb.cache.keep("personal-data", pd.SCAN_VERSION, kept)
    return sorted({*found, *warnings})


def _report(
    found: list[RecordError], fmt: str, records: int, skipped: list[str], notes: list[str]
) -> None:
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
        if notes:  # where the SLA calendar's days came from, when not all from one source
            payload["notes"] = notes
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if fmt == "github":
        lines = [
            f"::{e.severity} file={github_property(e.path)},line={e.line},col={e.col}"
            f"::{github_data(e.message)}"
            for e in found
        ]
    else:
        lines = [safe_line(str(e)) for e in found]
    if lines:  # one write: thousands of warnings are not thousands of echo calls
        click.echo("\n".join(lines))
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
    for note in notes:
        click.echo(safe_line(_("note: {note}").format(note=note)), err=True)


def _suggest_short_forms(kb: KnowledgeBase) -> None:
    """Short forms the corpus suggests, for the lead to add to records/synonyms.yml or not."""
    from crmkb.search.short_forms import candidates

    for short, word in candidates(kb):
        note = _(
            "'{short}' may be a short form of '{word}': list it under `short:` in that word's "
            "synonym group (records/synonyms.yml) if staff use it"
        ).format(short=short, word=word)
        click.echo(_("note: {note}").format(note=note), err=True)


COMMANDS = [check]
