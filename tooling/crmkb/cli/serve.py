"""`kb serve`: the site, rendered from the records, served and rebuilt on each change."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from crmkb.cli.options import resolve_root, root_option, today
from crmkb.errors import UsageError
from crmkb.i18n import _

IDLE_SECONDS = 30.0


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
@click.option(
    "--idle-timeout",
    type=click.FloatRange(min=0.1),
    default=IDLE_SECONDS,
    show_default=True,
    help="Seconds after which an idle connection is closed.",
)
@root_option
def serve(out: Path, dev_addr: str, builder: str, idle_timeout: float, root: Path | None) -> None:
    """Render the site, build it and serve it; rebuild what a record change affects.

    Edit a record and reload its page: only the pages whose source changed are built again,
    and every other page is served meanwhile. While the records have errors, the last good
    site stays served with a notice on every page. Stop with Ctrl-C.

    \b
    Example:
        kb serve --dev-addr 127.0.0.1:8001
    """
    from crmkb.cli.render import site_config
    from crmkb.site.serve import Site
    from crmkb.site.serve import serve as run

    host, _colon, port = dev_addr.rpartition(":")
    if not host or not port.isdigit() or int(port) > 65535:
        raise UsageError(
            _("--dev-addr {given} is not HOST:PORT, like 127.0.0.1:8000").format(given=dev_addr)
        )
    base = resolve_root(root)
    target = out if out.is_absolute() else base / out
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    site = Site(base, target, site_config(base), builder, today)

    def ready(url: str) -> None:
        click.echo(_("Serving on {url} (Ctrl-C to stop)").format(url=url))

    run(site, host, int(port), ready, idle_timeout)


COMMANDS = [serve]
