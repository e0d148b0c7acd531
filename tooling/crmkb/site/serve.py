"""`kb serve`: render the site, build it once, serve it, and on each record change re-render
and rebuild only what changed, while every page stays served.

The builder (MkDocs or ProperDocs) runs in this process on the rendered folder in its dirty
mode: a render rewrites only the files whose content changed, so only their pages are built
again. Pages are served straight from the built folder by a plain threaded HTTP server, so a
request never waits for a rebuild; record changes are seen by the operating system's file
events (inotify through watchdog), so an idle server does not poll the records.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmkb.errors import KbError, RecordErrors
from crmkb.site.render import CONFIG, DOCS, Rendered, Renderer

log = logging.getLogger("crmkb.serve")
SETTLE_SECONDS = 0.2  # an editor's save is several file events; build once they settle
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
        self.broken = False  # the last change left records with errors

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
        if self.builder == "properdocs":
            import properdocs.replacement  # noqa: F401  # mkdocs.* imports become properdocs.*
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        from crmkb.site import handover

        config = load_config(str(self.out / CONFIG), site_dir=str(self.site_dir))
        config.plugins.on_startup(command="serve", dirty=dirty)
        handover.KB = self.kb  # just loaded and checked: the plugin need not load it again
        try:
            build(config, dirty=dirty)
        finally:
            handover.KB = None
            config.plugins.on_shutdown()

    def refresh(self) -> Rendered | None:
        """Re-render and rebuild after a change; None when the records are invalid (the last
        good site stays served and the errors are logged)."""
        try:
            done = self.render()
        except RecordErrors as exc:
            log.error("records have errors; still serving the last good site:\n%s", exc)
            self.broken = True
            return None
        if self.broken:
            log.info("records are valid again")
            self.broken = False
        if done.written or done.removed:
            self.unpublish(done.removed)
            self.build(dirty=True)  # never a clean build: every other page stays served
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

        log.info("counting the reports again in a second process")
        pages, written = render_elsewhere(self.root, self.out / DOCS, self.today())
        with lock:
            self.renderer.remember(pages)
            if written:
                self.build(dirty=True)
        return len(written)


class Watcher:
    """Calls `changed` once file events under the watched folders have settled."""

    def __init__(
        self,
        folders: list[Path],
        changed: Callable[[], None],
        quiet: Callable[[], None] | None = None,
    ) -> None:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        self._changed = changed
        self._quiet = quiet  # called once no change has come for QUIET_SECONDS after one
        self._pending = threading.Event()
        self._last = 0.0
        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.event_type in ("opened", "closed_no_write"):
                    return
                watcher._last = time.monotonic()
                watcher._pending.set()

        self.observer = Observer()
        for folder in folders:
            if folder.is_dir():
                self.observer.schedule(Handler(), str(folder), recursive=True)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        self.observer.start()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._pending.set()
        self.observer.stop()

    def _loop(self) -> None:
        stale = False  # reports wait for a quiet moment: they are counted over every issue
        while not self._stop.is_set():
            if not self._pending.wait(timeout=QUIET_SECONDS if stale else None):
                if self._quiet is not None:
                    self._quiet()
                stale = False
                continue
            while not self._stop.is_set() and time.monotonic() - self._last < SETTLE_SECONDS:
                time.sleep(SETTLE_SECONDS / 4)
            self._pending.clear()
            if not self._stop.is_set():
                self._changed()
                stale = True


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        log.debug(format, *args)


def http_server(site_dir: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_Quiet, directory=str(site_dir))
    return http.server.ThreadingHTTPServer((host, port), handler)


def serve(site: Site, host: str, port: int, ready: Callable[[str], None]) -> None:
    """Render, build, serve and rebuild on change until interrupted."""
    from crmkb.site import handover
    from crmkb.site.index_job import IndexJobs

    handover.WRITER = IndexJobs().submit
    try:
        done = site.render()
        log.info(
            "rendered %d files (%d written)", done.unchanged + len(done.written), len(done.written)
        )
        site.build(dirty=False)
    except OSError as exc:
        raise KbError(f"cannot write the site into {site.out}: {_described(exc)}") from None
    server = http_server(site.site_dir, host, port)
    lock = threading.Lock()  # one rebuild at a time

    def changed() -> None:
        with lock, _kept_serving():
            started = time.monotonic()
            result = site.refresh()
            if result is not None and (result.written or result.removed):
                log.info(
                    "rebuilt %d changed files in %.1f s",
                    len(result.written) + len(result.removed),
                    time.monotonic() - started,
                )

    reports = Reports(site, lock)
    docs = site.root / str(site.config.get("docs_dir", "docs"))
    watcher = Watcher([site.root / "records", docs], changed, reports.wanted)
    watcher.start()
    ready(f"http://{host}:{server.server_address[1]}/")
    try:
        server.serve_forever(poll_interval=5)  # the poll only checks for shutdown
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
        server.server_close()


class Reports:
    """Renders and builds the reports in the background once the records are left alone;
    asked again while at it, it goes round once more."""

    def __init__(self, site: Site, lock: threading.Lock) -> None:
        self.site, self.lock = site, lock
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
                if self.site.broken:
                    continue
                started = time.monotonic()
                written = 0
                with _kept_serving():
                    written = self.site.refresh_reports(self.lock)
                if written:
                    log.info(
                        "rebuilt %d report pages in %.1f s", written, time.monotonic() - started
                    )
        finally:
            self._running.release()
        if self._asked.is_set():  # asked between the last look and the release
            self.wanted()


@contextlib.contextmanager
def _kept_serving() -> Iterator[None]:
    """A rebuild that fails (a full or read-only disk, a build error) is logged; the last good
    site stays served and the next change tries again."""
    from mkdocs.exceptions import MkDocsException

    try:
        yield
    except OSError as exc:
        log.error("the rebuild failed; still serving the last good site: %s", _described(exc))
    except (KbError, MkDocsException) as exc:
        log.error("the rebuild failed; still serving the last good site: %s", exc)


def _described(exc: OSError) -> str:
    return f"{exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else "")


def check_builder(name: str) -> None:
    if name not in BUILDERS:
        raise KbError(f"unknown builder {name!r}; use one of: {', '.join(BUILDERS)}")
