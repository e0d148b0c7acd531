"""`kb serve`: render the site, build it once, serve it, and on each record change re-render
and rebuild only what changed, while every page stays served.

The builder (MkDocs or ProperDocs) runs in this process on the rendered folder in its dirty
mode: a render rewrites only the files whose content changed, so only their pages are built
again, each replaced whole (`serve_build`). Pages are served straight from the built folder
by waitress (`serve_http`), so a request never waits for a rebuild; record changes are seen
by the operating system's file events (inotify through watchdog, `watch`), so an idle server
does not poll the records. While the records have errors the last good site stays served,
with a notice on every page.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmkb.errors import KbError, RecordErrors
from crmkb.i18n import _, ngettext
from crmkb.site.render import DOCS, Rendered, Renderer, not_written

log = logging.getLogger("crmkb.serve")
# The reports are built again once the records have been left alone this long, so the next
# edit, made while the lead looks at a page, does not wait for them.
QUIET_SECONDS = float(os.environ.get("CRMKB_SERVE_QUIET") or 10.0)
BUILDERS = ("mkdocs", "properdocs")


@dataclass
class Site:
    """One repository's rendered folder and its built site."""

    root: Path
    out: Path
    config: dict[str, Any]
    builder: str = "mkdocs"
    today: Callable[[], Any] = field(default=lambda: None)

    @property
    def site_dir(self) -> Path:
        return self.out / "site"

    def __post_init__(self) -> None:
        self.renderer = Renderer(self.out, self.config)
        self.errors = 0  # how many errors the records have now (the notice on every page)
        self.unbuilt = False  # a render whose build failed: the next refresh builds

    @property
    def broken(self) -> bool:
        return self.errors > 0

    def render(self) -> Rendered:
        """Render everything the first time, then only what the records' changes affect."""
        from crmkb.knowledge_base import load
        from crmkb.site.report_job import ReportJob

        if self.renderer.sources:
            self.kb = load(self.root, today=self.today())
            return self.renderer.update(self.kb)
        # The first render counts the reports in a second process meanwhile: both cores.
        reports = ReportJob(self.root, self.out / DOCS, self.today())
        try:
            self.kb = load(self.root, today=self.today())
            try:
                return self.renderer.full(self.kb, reports.wait)
            except KbError as exc:
                log.warning("%s\nrendering them here instead", exc)
                return self.renderer.full(self.kb)
        finally:
            reports.stop()

    def build(self, dirty: bool) -> None:
        """Build the rendered folder with the chosen builder, in this process."""
        from crmkb.site.serve_build import build

        build(self.out, self.site_dir, self.builder, self.kb, dirty)

    def refresh(self) -> Rendered | None:
        """Re-render and rebuild after a change; None when the records are invalid (the last
        good site stays served, with a notice, and the errors are logged)."""
        try:
            done = self.render()
        except RecordErrors as exc:
            self.errors = sum(e.severity == "error" for e in exc.errors) or 1
            text = _("the records have errors; still serving the last good site:\n{errors}")
            log.error("%s", text.format(errors=exc))
            return None
        if done.written or done.removed or self.unbuilt:
            self.unpublish(done.removed)
            self.unbuilt = True
            self.build(dirty=True)  # never a clean build: every other page stays served
            self.unbuilt = False
        if self.errors:
            log.info("%s", _("the records are valid again"))
            self.errors = 0
        return done

    def unpublish(self, removed: list[str]) -> None:
        """Remove the built output of sources that are gone (a deleted record's page)."""
        from mkdocs.structure.files import File

        directory_urls = bool(self.config.get("use_directory_urls", True))
        for uri in removed:
            built = File(uri, str(self.out / DOCS), str(self.site_dir), directory_urls)
            target = Path(built.abs_dest_path)
            target.unlink(missing_ok=True)
            if target.name == "index.html" and target.parent != self.site_dir:
                shutil.rmtree(target.parent, ignore_errors=True)

    def refresh_reports(self, lock: threading.Lock) -> int:
        """Render the operation reports in a second process, then build what changed (how
        many files); the lock is held only for the build, so an edit never waits for the
        counting."""
        from crmkb.site.report_job import render_elsewhere

        log.debug("counting the reports again in a second process")
        pages, written = render_elsewhere(self.root, self.out / DOCS, self.today())
        with lock:
            self.renderer.remember(pages)
            if written:
                self.build(dirty=True)
        return len(written)


def serve(
    site: Site, host: str, port: int, ready: Callable[[str], None], idle_seconds: float
) -> None:
    """Render, build, serve and rebuild on change until interrupted. The port is taken
    first: when another program holds it, nothing is rendered or started."""
    from crmkb.site import handover
    from crmkb.site.index_job import IndexJobs
    from crmkb.site.serve_http import SiteApp, listen
    from crmkb.site.watch import Watcher

    server = listen(SiteApp(site.site_dir, lambda: site.errors), host, port, idle_seconds)
    watcher = None
    try:
        handover.WRITER = IndexJobs().submit
        started = time.monotonic()
        try:
            done = site.render()
            site.build(dirty=False)
        except OSError as exc:
            raise not_written(site.out, exc) from None
        log.info(
            "%s",
            _("built the site in {seconds:.1f} s ({written} of {files} files written)").format(
                seconds=time.monotonic() - started,
                written=len(done.written),
                files=done.unchanged + len(done.written),
            ),
        )
        lock = threading.Lock()  # one rebuild at a time
        attempts = Attempts()

        def changed() -> bool:
            with lock:
                return attempts.run(lambda: _refresh(site))

        reports = Reports(site, lock, attempts)
        docs = site.root / str(site.config.get("docs_dir", "docs"))
        watcher = Watcher([site.root / "records", docs], changed, reports.wanted, QUIET_SECONDS)
        watcher.start()
        ready(f"http://{host}:{server.effective_port}/")
        server.run()  # until Ctrl-C
    finally:
        if watcher is not None:
            watcher.stop()
        server.close()


def _refresh(site: Site) -> None:
    started = time.monotonic()
    result = site.refresh()
    if result is not None and (result.written or result.removed):
        count = len(result.written) + len(result.removed)
        log.info(
            "%s",
            ngettext(
                "rebuilt {count} changed file in {seconds:.1f} s",
                "rebuilt {count} changed files in {seconds:.1f} s",
                count,
            ).format(count=count, seconds=time.monotonic() - started),
        )


class Attempts:
    """Runs a rebuild: one that fails (a full or read-only disk, no descriptors left, a build
    error) is logged, once however often it is tried again, and the last good site stays
    served."""

    def __init__(self) -> None:
        self.failure = ""

    def run(self, work: Callable[[], None]) -> bool:
        from mkdocs.exceptions import MkDocsException

        try:
            work()
        except OSError as exc:
            return self._failed(_described(exc))
        except (KbError, MkDocsException) as exc:
            return self._failed(str(exc))
        except Exception as exc:  # a builder's or plugin's own failure: the server goes on
            return self._failed(f"{type(exc).__name__}: {exc}")
        if self.failure:
            log.info("%s", _("the rebuild works again"))
            self.failure = ""
        return True

    def _failed(self, reason: str) -> bool:
        if reason != self.failure:
            text = _("the rebuild failed; still serving the last good site: {reason}")
            log.error("%s", text.format(reason=reason))
            self.failure = reason
        return False


class Reports:
    """Renders and builds the reports in the background once the records are left alone;
    asked again while at it, it goes round once more."""

    def __init__(self, site: Site, lock: threading.Lock, attempts: Attempts) -> None:
        self.site, self.lock, self.attempts = site, lock, attempts
        self._asked = threading.Event()
        self._running = threading.Lock()

    def wanted(self) -> None:
        self._asked.set()
        if self._running.acquire(blocking=False):
            threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        try:
            while self._asked.is_set():
                self._asked.clear()
                if not self.site.broken:
                    self.attempts.run(self._refresh)
        finally:
            self._running.release()
        if self._asked.is_set():  # asked between the last look and the release
            self.wanted()

    def _refresh(self) -> None:
        started = time.monotonic()
        written = self.site.refresh_reports(self.lock)
        if written:
            log.info(
                "%s",
                ngettext(
                    "rebuilt {count} report page in {seconds:.1f} s",
                    "rebuilt {count} report pages in {seconds:.1f} s",
                    written,
                ).format(count=written, seconds=time.monotonic() - started),
            )


def _described(exc: OSError) -> str:
    return f"{exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else "")


def check_builder(name: str) -> None:
    if name not in BUILDERS:
        raise KbError(f"unknown builder {name!r}; use one of: {', '.join(BUILDERS)}")
