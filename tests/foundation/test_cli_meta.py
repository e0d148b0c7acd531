"""Every `kb` command, including those added later: help with an example, light imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from crmkb.cli import LAZY_COMMANDS, KbGroup, main

# Libraries that only some commands need; importing the CLI (and so every `kb check`) must not
# pay for them. Command modules import them inside the command function instead.
HEAVY = (
    "jieba",
    "rjieba",
    "mkdocs",
    "material",
    "markdown",
    "pymdownx",
    "jinja2",
    "ruamel",
    "opencc",
    "nh3",
    "holidays",
    "filelock",
    "playwright",
    "crmkb.site",
    "crmkb.search",
    "crmkb.training",
)


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    commands = group.load_all() if isinstance(group, KbGroup) else group.commands
    for name, command in sorted(commands.items()):
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, (*prefix, name)))
    return found


COMMANDS = [(), *all_commands(main)]


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(("kb", *p)))
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"], prog_name="kb")
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout, f"kb {' '.join(path)} --help shows no Example"
    usage = " ".join(("kb", *path))
    example_lines = result.stdout.split("Example", 1)[1].splitlines()[1:]
    assert any(line.strip().startswith(usage) for line in example_lines), (
        f"the example of `{usage}` does not show `{usage} ...`"
    )


def test_core_commands_are_registered() -> None:
    assert {"check", "new", "list", "show", "schema"} <= set(main.load_all())


def test_the_lazy_command_table_names_every_command_of_each_module() -> None:
    """`kb` imports a command's module only when it runs: the table it looks names in must
    list exactly the commands each module defines."""
    import importlib

    defined = {
        command.name: module
        for module in set(LAZY_COMMANDS.values())
        for command in importlib.import_module(f"crmkb.cli.{module}").COMMANDS
    }
    assert defined == LAZY_COMMANDS


def test_help_lists_every_command_with_its_short_help() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from crmkb.cli import main; main(['--help'])"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    listed = result.stdout.split("Commands:", 1)[1].splitlines()[1:]
    shown = {line.split()[0]: line.split(None, 1)[1] for line in listed if line.strip()}
    expected = {name: cmd.get_short_help_str(45) for name, cmd in main.load_all().items()}
    assert set(shown) == set(expected)
    for name, short in expected.items():
        assert shown[name].startswith(short.removesuffix("...")), (name, shown[name])


def test_running_a_command_imports_only_its_own_module() -> None:
    code = (
        "import sys\nfrom crmkb.cli import main\n"
        "try:\n    main(['show', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(' '.join(m for m in sys.modules if m.startswith('crmkb.cli.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.split("\n")[-2].split())
    assert "crmkb.cli.query" in loaded
    assert not loaded & {"crmkb.cli.lifecycle", "crmkb.cli.exam", "crmkb.cli.serve"}


def test_importing_the_cli_stays_light() -> None:
    code = "import sys, crmkb.cli; print('\\n'.join(sorted(sys.modules)))"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY or m.startswith(HEAVY))
    assert heavy == [], f"importing crmkb.cli imports {heavy}; import them lazily"


def test_schema_writes_one_json_schema_per_kind(tmp_path: Path) -> None:
    from crmkb.records import REGISTRY

    out = tmp_path / "schema"
    result = CliRunner().invoke(main, ["schema", "--out", str(out)], prog_name="kb")
    expected = [f"{(out / f'{kind.name}.schema.json').as_posix()}" for kind in REGISTRY]
    assert (result.exit_code, result.stdout.splitlines()) == (0, expected)
    for kind in REGISTRY:
        schema = json.loads((out / f"{kind.name}.schema.json").read_text(encoding="utf-8"))
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["type"] == "object"
        if kind.list_key:
            assert schema["required"] == [kind.list_key]
            item = schema["properties"][kind.list_key]["items"]
        else:
            item = schema
        assert item["additionalProperties"] is False
        assert "id" in item["properties"]
        assert set(item["required"]) >= {"id"}
        assert_refs_resolve(schema, schema)


def assert_refs_resolve(node: object, root: dict[str, object]) -> None:
    """Without jsonschema installed: every local $ref must point at an existing definition."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            target: object = root
            for part in ref.removeprefix("#/").split("/"):
                assert isinstance(target, dict) and part in target, f"dangling $ref {ref}"
                target = target[part]
        for value in node.values():
            assert_refs_resolve(value, root)
    elif isinstance(node, list):
        for value in node:
            assert_refs_resolve(value, root)
