"""`kb render OUT`: the whole site source, rendered from the records into a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from crmkb.cli.options import resolve_root, root_option, today
from crmkb.errors import UsageError


@click.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@root_option
def render(out: Path, root: Path | None) -> None:
    """Write the site source (every generated page, assets and attachments) into OUT.

    Only files whose content changed are written, and pages whose record is gone are
    removed, so a builder's --dirty mode rebuilds just those. OUT/mkdocs.yml builds the site
    with MkDocs or ProperDocs, for example `mkdocs build -f OUT/mkdocs.yml`; it is written
    last, so a render the disk stopped leaves no folder a builder would build.

    \b
    Example:
        kb render build/site-src && mkdocs build -f build/site-src/mkdocs.yml
    """
    from crmkb.knowledge_base import load
    from crmkb.site.render import not_written
    from crmkb.site.render import render as render_site

    base = resolve_root(root)
    site = site_config(base)
    kb = load(base, today=today())
    try:
        done = render_site(kb, out, site)
    except OSError as exc:
        raise not_written(out, exc) from None
    click.echo(
        f"{out}: {len(done.written)} written, {len(done.removed)} removed, "
        f"{done.unchanged} unchanged"
    )


def site_config(base: Path) -> dict[str, Any]:
    """The repository's mkdocs.yml, read as plain YAML."""
    import yaml

    path = base / "mkdocs.yml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise UsageError(f"{path} is not plain YAML: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path} must be a mapping of MkDocs settings")
    return data


COMMANDS = [render]
