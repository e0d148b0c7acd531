"""Run `kb check` on each repository named on the command line, in one process.

Prints `DONE <i> <exit code>` after each, or `TRACEBACK <i> <exception>` when one escapes the
command; a crash of the process (a signal) shows as the missing lines. Used by test_fuzz.py.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import traceback

from crmkb.cli import main


def run_one(root: str) -> int:
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        try:
            main(["check", "--root", root], standalone_mode=True)
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else 1
    return 0


def main_loop(roots: list[str]) -> None:
    os.environ.setdefault("CRMKB_TODAY", "2026-11-23")
    for i, root in enumerate(roots):
        try:
            code = run_one(root)
        except BaseException as exc:  # the test counts these: there must be none
            last = traceback.format_exception_only(type(exc), exc)[-1].strip()
            print(f"TRACEBACK {i} {last[:300]!r}", flush=True)
            continue
        print(f"DONE {i} {code}", flush=True)


if __name__ == "__main__":
    main_loop(sys.argv[1:])
