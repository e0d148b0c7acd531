"""`kb edit`, `kb note`, `kb assign`, `kb attach`: change one record, with a history entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from crmkb.cli.options import on_option, resolve_root, root_option, step_date


def record_id_argument(func: Any) -> Any:
    """RECORD_ID, normalised (iss-0001 -> ISS-0001)."""
    from crmkb.cli.options import normalise

    return click.argument("record_id", callback=normalise)(func)


def report(edited: Any, what: str) -> None:
    from crmkb.cli.output import safe_line

    click.echo(safe_line(f"{edited.id}: {what}"))
    for path in edited.written:
        click.echo(safe_line(f"  wrote {path}"))


@click.command()
@record_id_argument
@click.option(
    "--set",
    "pairs",
    multiple=True,
    required=True,
    metavar="FIELD=VALUE",
    help="A field and its new value (text is kept as typed; FIELD= removes it). Repeatable.",
)
@on_option
@root_option
def edit(record_id: str, pairs: tuple[str, ...], on: str | None, root: Path | None) -> None:
    """Change fields of a record; it is validated as kb check would before it is written.

    \b
    Example:
        kb edit ISS-0042 --set severity=high --set "title=报价单税率错误"
    """
    from crmkb import roundtrip
    from crmkb.editing import Entry, edit_record, kind_of
    from crmkb.field_edit import parse_pairs

    now, when = step_date(on)
    kind = kind_of(record_id)
    values = parse_pairs(kind, pairs)
    order = tuple(kind.model.model_fields)

    def change(data: Any, _: Any) -> None:
        for key, value in values.items():
            if value is None:
                data.pop(key, None)
            else:
                roundtrip.put(data, key, value, order)

    text = "edited " + ", ".join(values)
    done = edit_record(resolve_root(root), now, record_id, change, Entry(when, text))
    report(done, text)


@click.command()
@record_id_argument
@click.argument("text")
@on_option
@root_option
def note(record_id: str, text: str, on: str | None, root: Path | None) -> None:
    """Append a dated note (author, date, text) to a record's history.

    \b
    Example:
        kb note ISS-0042 "用户补充：只有含税报价单出错"
    """
    from crmkb.editing import Entry, edit_record
    from crmkb.errors import UsageError

    if not text.strip():
        raise UsageError("the note is empty; write what happened")
    now, when = step_date(on)
    done = edit_record(resolve_root(root), now, record_id, lambda *_: None, Entry(when, text))
    report(done, "note added")


@click.command()
@record_id_argument
@click.argument("person")
@on_option
@root_option
def assign(record_id: str, person: str, on: str | None, root: Path | None) -> None:
    """Give an issue or change request an owner (a person id or name).

    \b
    Examples:
        kb assign ISS-0042 P010
        kb assign CR-0007 李娜
    """
    from crmkb import roundtrip
    from crmkb.editing import Entry, edit_record, kind_of
    from crmkb.errors import UsageError
    from crmkb.knowledge_base import load_records
    from crmkb.people_lookup import name_of, person_id

    now, when = step_date(on)
    base = resolve_root(root)
    kind = kind_of(record_id)
    if "owner" not in kind.model.model_fields:
        raise UsageError(f"{kind.name} records have no owner; assign an issue or change request")
    kb, _ = load_records(base, today=now)
    owner = person_id(kb, person)

    def change(data: Any, _: Any) -> None:
        roundtrip.put(data, "owner", owner, tuple(kind.model.model_fields))

    text = f"assigned to {name_of(kb, owner)}"
    report(edit_record(base, now, record_id, change, Entry(when, text)), text)


@click.command()
@record_id_argument
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@on_option
@root_option
def attach(record_id: str, files: tuple[Path, ...], on: str | None, root: Path | None) -> None:
    """Copy evidence (screenshots, PDFs) into records/evidence/ISS-…/ and link it.

    \b
    Example:
        kb attach ISS-0042 ~/截图/报价单.png
    """
    from crmkb.errors import UsageError
    from crmkb.evidence import attach as attach_files

    loaded = []
    for path in files:
        try:
            loaded.append((path.name, path.read_bytes()))
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    now, when = step_date(on)
    done = attach_files(resolve_root(root), now, record_id, loaded, when)
    report(done, f"{len(files)} evidence file(s) attached")


COMMANDS = [edit, note, assign, attach]
