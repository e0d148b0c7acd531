"""Time every lifecycle command and `kb new issue` as whole processes on generated repositories.

    .venv/bin/python benchmarks/write_bench.py [--sizes 1000 10000 50000] [--runs 5]
        [--before OTHER/.venv/bin/kb]

Each command runs on the first generated issue in the state it needs, with the record cache
warm, after one uncounted warm-up. The files it writes are put back after every run (a created
file is removed), so each run starts from the same state and sees the restored files as
changed, as a cache would in real use. `chain` runs investigate, escalate, propose, verify and
resolve on one issue one after another without putting anything back in between (each step
starts from the state the step before left), and reports the median step. `start-up` is
`kb escalate --help`: Python, the imports and the command line, no record read. Figures are
medians of wall time and of CPU time (user + system of the child process). With --before, the
same commands of another install run interleaved on their own copy of the repository.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from check_bench import OUT, TODAY, generated_repo

TARGET = 0.3
Times = tuple[float, float]  # wall, cpu


class Repo:
    """A copy of a generated repository, with issues found by state."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.by_state: dict[str, list[str]] = {}
        for path in sorted((root / "records/issues").glob("ISS-*.md")):
            found = re.search(r"^status: (\w+)$", path.read_text(encoding="utf-8"), re.M)
            self.by_state.setdefault(found.group(1) if found else "reported", []).append(path.stem)
        self.solution = sorted((root / "records/solutions").glob("SOL-*.md"))[0].stem
        self.last_issue = max(int(n[4:]) for names in self.by_state.values() for n in names)

    def first(self, state: str) -> str:
        if not self.by_state.get(state):
            raise SystemExit(f"no issue in state {state!r} in {self.root}")
        return self.by_state[state][0]


# (name, untimed steps that bring an issue to the state the command needs, the timed command)
Row = tuple[str, list[list[str]], list[list[str]]]


def commands(repo: Repo) -> list[Row]:
    new = ["new", "issue", "--title", "回款单重复生成", "--set", "reporter=P010"]
    new += ["--set", "module=receivable", "--set", "severity=medium"]
    solve = ["--solution", repo.solution, "--cause", "process"]
    open_, escalated = repo.first("investigating"), repo.first("escalated")
    fresh = f"ISS-{repo.last_issue + 1:04d}"  # the id kb new issue gives next
    return [
        ("start-up", [], [["escalate", "--help"]]),
        ("new issue", [], [new]),
        ("investigate", [new], [["investigate", fresh]]),
        ("escalate", [], [["escalate", open_]]),
        ("propose", [], [["propose", escalated]]),
        ("verify", [["propose", escalated]], [["verify", escalated]]),
        ("resolve", [["verify", open_]], [["resolve", open_, *solve]]),
        ("decline", [], [["decline", open_, "--reason", "不是系统问题"]]),
        ("reject", [["verify", open_]], [["reject", open_, "--reason", "用户说还是不对"]]),
        ("reopen", [], [["reopen", repo.first("resolved"), "--reason", "又出现了"]]),
        ("assign", [], [["assign", open_, "P005"]]),
        ("note", [], [["note", open_, "已电话回访"]]),
        # The lead's day: one step after another, each starting from the state the last left.
        ("chain", [], [
            ["propose", escalated], ["verify", escalated], ["resolve", escalated, *solve],
            ["reopen", escalated, "--reason", "又出现了"], ["assign", escalated, "P005"],
        ]),
    ]  # fmt: skip


def run(kb: str, args: list[str], root: Path) -> Times:
    env = {**os.environ, "CRMKB_TODAY": TODAY, "CRMKB_ROOT": str(root)}
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.run([kb, *args], env=env, capture_output=True, text=True, stdin=None)
    wall = time.perf_counter() - start
    after = os.times()
    if proc.returncode != 0:
        raise SystemExit(f"{kb} {shlex.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


class Snapshot:
    """Every issue and solution file's bytes, to put back what a command changed (a file
    whose modification time moved is compared, a created file removed)."""

    def __init__(self, root: Path) -> None:
        self.folders = [root / "records/issues", root / "records/solutions"]
        self.saved = {p: p.read_bytes() for folder in self.folders for p in folder.iterdir()}
        self.stamps = {p: p.stat().st_mtime_ns for p in self.saved}

    def undo(self) -> None:
        for folder in self.folders:
            for path in folder.iterdir():
                if path not in self.saved:
                    path.unlink()
                elif path.stat().st_mtime_ns != self.stamps[path]:
                    if path.read_bytes() != self.saved[path]:
                        path.write_bytes(self.saved[path])
                    self.stamps[path] = path.stat().st_mtime_ns


def measure(kb: str, row: Row, snapshot: Snapshot) -> list[Times]:
    root = snapshot.folders[0].parent.parent
    try:
        for args in row[1]:
            run(kb, args, root)
        return [run(kb, args, root) for args in row[2]]
    finally:
        snapshot.undo()


def table(size: int, runs: int, ours: str, before: str | None) -> None:
    repo = Repo(generated_repo(size, 1))
    other = OUT / f"write-before-{size}"
    if before:
        shutil.rmtree(other, ignore_errors=True)
        shutil.copytree(repo.root, other, ignore=shutil.ignore_patterns(".kb-cache"))
    snapshots = {"this": Snapshot(repo.root), "before": Snapshot(other) if before else None}
    for row in commands(repo):
        times: dict[str, list[Times]] = {"this": [], "before": []}
        for i in range(runs + 1):  # the first run warms the caches and is not counted
            mine = measure(ours, row, snapshots["this"])
            mark = snapshots["before"]
            theirs = measure(before, row, mark) if before and mark else []
            if i:
                times["this"] += mine
                times["before"] += theirs
        cells = _cell(times["this"]) + _cell(times["before"])
        print(f"{size:>8}  {row[0]:<12}{cells}", flush=True)


def _cell(times: list[Times]) -> str:
    if not times:
        return ""
    wall = statistics.median(t[0] for t in times)
    cpu = statistics.median(t[1] for t in times)
    flag = "*" if wall > TARGET else " "
    return f"  {wall:6.2f}s{flag}{cpu:6.2f}s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 50_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", help="another install's kb, timed interleaved")
    args = parser.parse_args()
    ours = str(Path(sys.executable).parent / "kb")
    head = f"{'records':>8}  {'command':<12}  {'this: wall':>10}{'cpu':>7}"
    print(head + (f"  {'before: wall':>12}{'cpu':>7}" if args.before else ""))
    for size in args.sizes:
        table(size, args.runs, ours, args.before)
    print(f"* over {TARGET} s wall; machine: {os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}")
    print("reproduce: " + shlex.join([os.path.relpath(sys.executable), *sys.argv]))


if __name__ == "__main__":
    main()
