"""`kb serve`: the site, rendered from the records, served and rebuilt on each change."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from crmkb.cli.options import resolve_root, root_option, today
from crmkb.errors import UsageError


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/site-src"),
    show_default=True,
    help="Folder for the rendered source; the built site goes to OUT/site.",
)
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="HOST:PORT.")
@click.option(
    "--builder",
    type=click.Choice(["mkdocs", "properdocs"]),
    default="mkdocs",
    show_default=True,
    help="Which builder builds the rendered folder.",
)
@root_option
def serve(out: Path, dev_addr: str, builder: str, root: Path | None) -> None:
    """Render the site, build it and serve it; rebuild what a record change affects.

    Edit a record and reload its page: only the pages whose source changed are built again,
    and every other page is served meanwhile. Stop with Ctrl-C.

    \b
    Example:
        kb serve --dev-addr 127.0.0.1:8000
    """
    from crmkb.cli.render import site_config
    from crmkb.site.serve import Site
    from crmkb.site.serve import serve as run

    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit():
        raise UsageError(f"--dev-addr {dev_addr!r} is not HOST:PORT, like 127.0.0.1:8000")
    base = resolve_root(root)
    target = out if out.is_absolute() else base / out
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    site = Site(base, target, site_config(base), builder, today)
    run(site, host, int(port), lambda url: click.echo(f"Serving on {url} (Ctrl-C to stop)"))


COMMANDS = [serve]
