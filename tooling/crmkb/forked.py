"""A forked worker process: it computes a result for its parent, sends it back, and may go on
with more work (writing the record cache) while the parent carries on with its own."""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from collections.abc import Callable
from typing import IO, Any, Generic, NoReturn, TypeVar

T = TypeVar("T")
# The worker's second step: its own result, then what the parent handed over (None if nothing).
Then = Callable[[T, Any], None]


def _scratch() -> IO[bytes]:
    """An unnamed file for one transfer: in memory where Linux offers it, nothing on disk."""
    if hasattr(os, "memfd_create"):
        return os.fdopen(os.memfd_create("kb-transfer"), "w+b")
    return tempfile.TemporaryFile()


class Worker(Generic[T]):
    """The parent's handle on a forked worker."""

    def __init__(self, pid: int, ready: int, result: IO[bytes], give: int, given: IO[bytes]):
        self._pid = pid
        self._ready = ready  # read end: one byte once the result is written, EOF if it failed
        self._result = result
        self._give = give  # write end: one byte once `hand_over` has written its value
        self._given = given

    def result(self) -> T | None:
        """The worker's result (waiting for it), or None when the worker failed."""
        try:
            ok = os.read(self._ready, 1) == b"1"
        finally:
            os.close(self._ready)
        if not ok:
            self.join()
            return None
        self._result.seek(0)
        with self._result:
            value: T = pickle.load(self._result)
        return value

    def hand_over(self, value: Any) -> None:
        """Give the worker's second step a value (once; without it, it gets None)."""
        if self._give < 0:
            return
        with contextlib.suppress(OSError):  # a worker that already ended just loses it
            pickle.dump(value, self._given, protocol=pickle.HIGHEST_PROTOCOL)
            self._given.flush()
            os.write(self._give, b"1")
        self._close_give()

    def join(self) -> None:
        """Wait for the worker to end (its second step included)."""
        self._close_give()
        if self._pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = 0

    def _close_give(self) -> None:
        if self._give >= 0:
            os.close(self._give)
            self._give = -1
            self._given.close()


def fork(work: Callable[[], T], then: Then[T] | None = None) -> Worker[T] | None:
    """Run `work()` in a forked process, then `then(result, handed_over)` there; None when no
    process can be forked (the caller then does the work itself)."""
    try:
        result, given = _scratch(), _scratch()
    except OSError:
        return None
    ready_r, ready_w = os.pipe()
    give_r, give_w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for fd in (ready_r, ready_w, give_r, give_w):
            os.close(fd)
        result.close()
        given.close()
        return None
    if pid == 0:
        os.close(ready_r)
        os.close(give_w)
        _child(work, then, result, ready_w, give_r, given)
    os.close(ready_w)
    os.close(give_r)
    return Worker(pid, ready_r, result, give_w, given)


def _child(
    work: Callable[[], T],
    then: Then[T] | None,
    result: IO[bytes],
    ready: int,
    give: int,
    given: IO[bytes],
) -> NoReturn:
    # os._exit in every case: the parent's open files, buffers and exit handlers are its own.
    code = 1
    try:
        value = work()
        pickle.dump(value, result, protocol=pickle.HIGHEST_PROTOCOL)
        result.flush()
        os.write(ready, b"1")
        os.close(ready)
        if then is not None:
            handed = None
            if os.read(give, 1) == b"1":  # EOF: the parent handed nothing over (or ended)
                given.seek(0)
                handed = pickle.load(given)
            then(value, handed)
        code = 0
    finally:
        os._exit(code)
