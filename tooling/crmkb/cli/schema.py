"""`kb schema`: JSON Schema for each record kind, for editor completion and checking."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crmkb.records import REGISTRY
from crmkb.store import atomic_write


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
        path = out / f"{kind.name}.schema.json"
        atomic_write(path, json.dumps(item, ensure_ascii=False, indent=2) + "\n")
        click.echo(path.as_posix())


COMMANDS = [schema]
