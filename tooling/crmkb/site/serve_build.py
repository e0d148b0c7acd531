"""How `kb serve` runs the builder (MkDocs or ProperDocs) in its own process while the built
folder is being served: every file is replaced whole, and the logs hold no false alarms."""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crmkb.site import handover
from crmkb.site.render import CONFIG


def build(out: Path, site_dir: Path, builder: str, kb: Any, dirty: bool) -> None:
    """Build the rendered folder `out` into `site_dir`, with `kb` already loaded and checked."""
    if builder == "properdocs":
        import properdocs.replacement  # noqa: F401  # mkdocs.* imports become properdocs.*
    from mkdocs.commands.build import build as run
    from mkdocs.config import load_config

    _whole_files()
    _quiet_logs()
    config = load_config(str(out / CONFIG), site_dir=str(site_dir))
    _without_sitemap(config)
    config.plugins.on_startup(command="serve", dirty=dirty)
    handover.KB = kb  # the plugin need not load the records again
    try:
        run(config, dirty=dirty)
    finally:
        handover.KB = None
        config.plugins.on_shutdown()


def _without_sitemap(config: Any) -> None:
    """MkDocs writes sitemap.xml.gz in place on every build (not through `write_file`), and
    no crawler reads this server: no sitemap, and no copy of its template either."""
    from mkdocs.plugins import BasePlugin

    class NoSitemap(BasePlugin):  # type: ignore[no-untyped-call,type-arg]
        def on_files(self, files: Any, config: Any) -> Any:
            template = files.get_file_from_path("sitemap.xml")
            if template is not None:
                files.remove(template)
            return files

    config.theme.static_templates.discard("sitemap.xml")
    config.plugins["crmkb-serve-no-sitemap"] = NoSitemap()


def _whole_files() -> None:
    """MkDocs writes a page in place (open, truncate, write): a request in between would get
    an empty or half page. Here its two writers (`write_file`, `copy_file`, which plugins use
    too) write beside the file under a hidden name and rename it over the old one, so a
    reader gets the old file or the new one, never a part."""
    from mkdocs import utils

    if getattr(utils.write_file, "whole", False):
        return
    write, copy = utils.write_file, utils.copy_file

    def write_file(content: bytes, output_path: str) -> None:
        _replace(output_path, lambda temporary: write(content, temporary))

    def copy_file(source_path: str, output_path: str) -> None:
        if os.path.isdir(output_path):
            output_path = os.path.join(output_path, os.path.basename(source_path))
        _replace(output_path, lambda temporary: copy(source_path, temporary))

    write_file.whole = True  # type: ignore[attr-defined]
    utils.write_file, utils.copy_file = write_file, copy_file


def _replace(target: str, writer: Callable[[str], None]) -> None:
    folder, name = os.path.split(target)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        writer(temporary)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class _NotAFault(logging.Filter):
    """MkDocs warns on every dirty build that navigation may be inaccurate: `kb serve` renders
    every page a change touches, so the warning is noise that reads like a fault."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def _quiet_logs() -> None:
    """Keep the builder's warnings and errors; its per-build progress lines are not news
    (`kb serve` logs one line per rebuild itself)."""
    for name in ("mkdocs", "properdocs"):
        logging.getLogger(name).setLevel(logging.WARNING)
        build_log = logging.getLogger(f"{name}.commands.build")
        if not any(isinstance(f, _NotAFault) for f in build_log.filters):
            build_log.addFilter(_NotAFault())
