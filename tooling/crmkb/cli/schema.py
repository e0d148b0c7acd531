"""`kb schema`: JSON Schema for each record kind, for editor completion and checking."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crmkb.errors import UsageError
from crmkb.records import REGISTRY


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(".kb-schema"),
    show_default=True,
    help="Folder to write <kind>.schema.json files into.",
)
def schema(out: Path) -> None:
    """Write a JSON Schema file per record kind and print their paths.

    List kinds (people, roles, modules) get the schema of the whole file.

    \b
    Example:
        kb schema --out .vscode/kb-schema
    """
    from crmkb.knowledge_base import find_root
    from crmkb.store import writing

    target = out.resolve()
    base = find_root(Path.cwd())
    if base is None:  # outside a repository the journal lives in the output folder
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create {out}: {exc.strerror}") from None
        base = target
    files: dict[Path, str] = {}
    for kind in REGISTRY:
        item = kind.model.model_json_schema()
        if kind.list_key:
            item = {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "title": f"{kind.directory}{kind.suffix}",
                "type": "object",
                "additionalProperties": False,
                "required": [kind.list_key],
                "properties": {kind.list_key: {"type": "array", "items": item}},
            }
        else:
            item = {"$schema": "https://json-schema.org/draft/2020-12/schema", **item}
        files[out / f"{kind.name}.schema.json"] = json.dumps(item, ensure_ascii=False, indent=2)
    with writing(base) as change:
        for path, text in files.items():
            change.write(path.resolve(), text + "\n")
        change.commit()
    for path in files:
        click.echo(path.as_posix())


COMMANDS = [schema]
