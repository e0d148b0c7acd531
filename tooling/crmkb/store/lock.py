"""The repository-wide write lock: one `kb` command writes at a time."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from crmkb.store.journal import StoreError, describe

LOCK = ".kb.lock"
DEFAULT_WAIT = 60.0


def _wait() -> float:
    try:
        return float(os.environ.get("CRMKB_LOCK_WAIT", DEFAULT_WAIT))
    except ValueError:
        return DEFAULT_WAIT


@contextmanager
def repository_lock(root: Path) -> Iterator[None]:
    """Hold the lock for the block; wait for another writer, refuse after CRMKB_LOCK_WAIT s."""
    # filelock: flock() on Unix, released by the kernel even when the holder is killed.
    # Imported here so that commands that only read never load it.
    from filelock import FileLock, Timeout

    lock = FileLock(root / LOCK, timeout=_wait())
    try:
        lock.acquire()
    except Timeout:
        raise StoreError(
            f"another kb command has been writing for {_wait():.0f} s (lock {LOCK}); "
            "wait for it to finish and run this command again"
        ) from None
    except OSError as exc:
        raise StoreError(f"{describe(exc, root / LOCK, root)}; nothing was written") from None
    try:
        yield
    finally:
        lock.release()
