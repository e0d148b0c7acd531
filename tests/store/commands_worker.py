"""Run every kind of `kb` command on each repository named on the command line, in one process.

For each repository and command prints `DONE <i> <command> <exit code>`, or
`TRACEBACK <i> <command> <exception>` when an exception escapes the command, or
`NOJSON <i> check` when `kb check --format json` printed no JSON. Used by test_fuzz.py: one
broken record must never stop a command, only be named by it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
import traceback

from crmkb.cli import main

COMMANDS: list[tuple[str, list[str]]] = [
    ("check", ["check", "--format", "json"]),
    ("show", ["show", "ISS-0001"]),
    ("show-other", ["show", "SOL-0001"]),
    ("list", ["list", "issue"]),
    ("sla", ["sla"]),
    ("report", ["report", "weekly", "--period", "2026-W47"]),
    ("report-csv", ["report", "monthly", "--period", "2026-11", "--format", "csv"]),
    ("points", ["points"]),
    ("similar", ["similar", "付款条件"]),
    ("cert", ["cert", "status", "--person", "P011"]),
    ("render", ["render", "{out}"]),
    ("note", ["note", "ISS-0002", "fuzz"]),
]


def run_one(root: str, args: list[str]) -> tuple[int, str]:
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(io.StringIO()):
        try:
            main([*args, "--root", root], standalone_mode=True)
        except SystemExit as exc:
            return (exc.code if isinstance(exc.code, int) else 1), sink.getvalue()
    return 0, sink.getvalue()


def main_loop(roots: list[str]) -> None:
    os.environ.setdefault("CRMKB_TODAY", "2026-11-23")
    for i, root in enumerate(roots):
        with tempfile.TemporaryDirectory(prefix="kb-render-") as out:
            for name, args in COMMANDS:
                argv = [a.replace("{out}", out) for a in args]
                try:
                    code, output = run_one(root, argv)
                except BaseException as exc:  # the test counts these: there must be none
                    last = traceback.format_exception_only(type(exc), exc)[-1].strip()
                    where = traceback.extract_tb(exc.__traceback__)[-1]
                    at = f"{os.path.basename(where.filename)}:{where.lineno}"
                    print(f"TRACEBACK {i} {name} {last[:200]!r} at {at}", flush=True)
                    continue
                if name == "check":
                    try:
                        json.loads(output)
                    except ValueError:
                        print(f"NOJSON {i} {name} {code}", flush=True)
                        continue
                print(f"DONE {i} {name} {code}", flush=True)


if __name__ == "__main__":
    main_loop(sys.argv[1:])
