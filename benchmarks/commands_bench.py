"""Time each single-record `kb` command on generated repositories of 1k, 10k and 50k records.

    .venv/bin/python benchmarks/commands_bench.py [--sizes 1000 10000 50000] [--runs 3]
        [--before /path/to/other/.venv/bin/kb]

Each command runs as a whole process (imports included), with the record cache warm from the
run before, as the lead meets it: the median of --runs runs after one uncounted warm-up. The
lifecycle step (`kb escalate`) and `kb new issue` change the repository; the file they
write is restored (or removed) after each run, so the next command sees one changed file and
pays for it, as it would in real use. With --before, the same commands of another install
(the starting commit's, say) run interleaved with these, on a copy of the same repository.
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from check_bench import OUT, TODAY, generated_repo

TARGET = 0.3
Command = tuple[str, list[str], Callable[[Path], Callable[[], None]] | None]


def _restore(relpath: str) -> Callable[[Path], Callable[[], None]]:
    """Prepare a run that rewrites `relpath`: keep its text, give back a function restoring it."""

    def prepare(repo: Path) -> Callable[[], None]:
        path = repo / relpath
        text = path.read_bytes()
        return lambda: path.write_bytes(text)

    return prepare


def _remove_created(repo: Path) -> Callable[[], None]:
    folder = repo / "records" / "issues"
    before = set(os.listdir(folder))

    def undo() -> None:
        for name in set(os.listdir(folder)) - before:
            (folder / name).unlink()

    return undo


def commands(repo: Path) -> list[Command]:
    open_issue = _first_investigating(repo)
    new_issue = ["new", "issue", "--title", "回款日期与到账日期不一致"]
    new_issue += ["--set", "reporter=P001", "--set", "module=receivable", "--set", "severity=low"]
    return [
        ("show", ["show", "ISS-0001"], None),
        ("list", ["list", "issue", "--status", "investigating"], None),
        ("list kind", ["list", "issue"], None),
        ("list filters", ["list", "issue", "--module", "receivable", "--severity", "high"], None),
        ("list json", ["list", "solution", "--status", "draft", "--format", "json"], None),
        ("sla", ["sla"], None),
        ("similar", ["similar", "客户回款提醒不对"], None),
        ("escalate", ["escalate", open_issue], _restore(f"records/issues/{open_issue}.md")),
        ("new issue", new_issue, _remove_created),
    ]


def _first_investigating(repo: Path) -> str:
    for path in sorted((repo / "records" / "issues").iterdir()):
        if "\nstatus: investigating" in path.read_text(encoding="utf-8"):
            return path.stem
    raise SystemExit(f"no issue in status 'investigating' in {repo}")


def timed(
    kb: str, args: list[str], repo: Path, prepare: Callable[[Path], Callable[[], None]] | None
) -> tuple[float, float]:
    """The command's wall time and its CPU time (user + system, from the kernel's accounting
    of the finished child)."""
    env = {**os.environ, "CRMKB_TODAY": TODAY, "CRMKB_ROOT": str(repo)}
    undo = prepare(repo) if prepare else None
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([kb, *args], env=env, capture_output=True, text=True, stdin=None)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime
    if undo:
        undo()
    if proc.returncode != 0:
        raise SystemExit(f"{kb} {shlex.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return elapsed, cpu


def _cell(times: list[tuple[float, float]]) -> str:
    """Median wall / median CPU seconds."""
    wall = statistics.median(t[0] for t in times)
    cpu = statistics.median(t[1] for t in times)
    return f"{wall:5.2f} / {cpu:4.2f}s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 50_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", help="another install's kb, timed interleaved")
    parser.add_argument("--only", nargs="+", help="time only these commands (names as printed)")
    args = parser.parse_args()
    kb = str(Path(sys.executable).parent / "kb")
    head = f"{'records':>8}  {'command':<12} {'this kb wall / cpu':>18}"
    print(head + ("  before wall / cpu" if args.before else ""))
    for size in args.sizes:
        repo = generated_repo(size, 1)
        other = OUT / f"before-{size}"
        if args.before:
            shutil.rmtree(other, ignore_errors=True)
            shutil.copytree(repo, other, ignore=shutil.ignore_patterns(".kb-cache"))
        for name, argv, prepare in commands(repo):
            if args.only and name not in args.only:
                continue
            ours: list[tuple[float, float]] = []
            theirs: list[tuple[float, float]] = []
            timed(kb, argv, repo, prepare)  # warm-up: fills the record cache
            if args.before:
                timed(args.before, argv, other, prepare)
            for _ in range(args.runs):
                ours.append(timed(kb, argv, repo, prepare))
                if args.before:
                    theirs.append(timed(args.before, argv, other, prepare))
            over = statistics.median(t[0] for t in ours) > TARGET
            before = f"  {_cell(theirs):>18}" if theirs else ""
            flag = "  (over 0.3 s)" if over else ""
            print(f"{size:>8}  {name:<12} {_cell(ours):>18}{before}{flag}", flush=True)
    print(f"machine: {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.2f}")
    print("reproduce: " + shlex.join([os.path.relpath(sys.executable), *sys.argv]))


if __name__ == "__main__":
    main()
