"""File events for `kb serve`: a change under the watched folders, once it has settled."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

SETTLE_SECONDS = 0.2  # an editor's save is several file events; build once they settle
RETRY_SECONDS = 5.0  # a rebuild the machine stopped (a full disk, no descriptors) is tried again


class Watcher:
    """Calls `changed` once file events under the watched folders have settled; when it
    returns False (the rebuild failed), calls it again after RETRY_SECONDS even with no new
    event, so an edit made while the machine was short of something is still served."""

    def __init__(
        self,
        folders: list[Path],
        changed: Callable[[], bool],
        quiet: Callable[[], None] | None = None,
        quiet_seconds: float = 10.0,
    ) -> None:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        self._changed = changed
        self._quiet = quiet  # called once no change has come for quiet_seconds after one
        self._quiet_seconds = quiet_seconds
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
            if not self._pending.wait(timeout=self._quiet_seconds if stale else None):
                if self._quiet is not None:
                    self._quiet()
                stale = False
                continue
            while not self._stop.is_set() and time.monotonic() - self._last < SETTLE_SECONDS:
                time.sleep(SETTLE_SECONDS / 4)
            self._pending.clear()
            if self._stop.is_set():
                return
            stale = True
            if not self._changed():
                self._last = time.monotonic() + RETRY_SECONDS  # a new event comes sooner
                self._pending.set()
