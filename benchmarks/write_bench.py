"""Benchmark the write path: a lifecycle step and `kb new issue`, before and after, side by side.

    .venv/bin/python benchmarks/write_bench.py --before ../base/.venv/bin/kb [--runs 7]

`--before` is the `kb` of the version to compare with (a checkout of the starting commit with
its own venv); the `kb` next to this interpreter is "after". Each version works on its own copy
of the generated 10,000-record repository (benchmarks/out/, as check_bench.py makes it). The
runs are interleaved (before, after, before, after ...) so a busy machine slows both alike;
every figure is the wall time of the whole process, median of --runs runs after one warm-up:

- step: `kb escalate ISS-…` on an issue under investigation; the file is put back after
  each run;
- new: `kb new issue --title … --set …`; the created file is removed after each run.
"""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from check_bench import OUT, TODAY, generated_repo

TARGET_RATIO = 1.2
NEW_ARGS = [
    "new", "issue", "--title", "回款单重复生成", "--set", "reporter=P010",
    "--set", "module=receivable", "--set", "severity=medium",
]  # fmt: skip


def _copy(source: Path, name: str) -> Path:
    target = OUT / name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".generated"))
    return target


def _open_issue(root: Path) -> str:
    for path in sorted((root / "records/issues").glob("ISS-*.md")):
        if re.search(r"^status: investigating$", path.read_text(encoding="utf-8"), re.MULTILINE):
            return path.stem
    raise SystemExit(f"no investigating issue in {root}")


def _timed(argv: list[str], root: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = {"CRMKB_TODAY": TODAY, "CRMKB_ROOT": str(root), "PATH": "/usr/bin:/bin"}
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{shlex.join(argv)} failed ({proc.returncode}):\n{proc.stderr}")
    return elapsed, proc


def _step(kb: str, root: Path, issue: str) -> float:
    path = root / "records/issues" / f"{issue}.md"
    original = path.read_bytes()
    elapsed, _ = _timed([kb, "escalate", issue], root)
    path.write_bytes(original)
    return elapsed


def _new(kb: str, root: Path) -> float:
    elapsed, proc = _timed([kb, *NEW_ARGS], root)
    (root / proc.stdout.strip()).unlink()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="kb executable of the older version")
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    after = str(Path(sys.executable).parent / "kb")
    source = generated_repo(args.records, 1)
    roots = {"before": _copy(source, "write-before"), "after": _copy(source, "write-after")}
    kbs = {"before": args.before, "after": after}
    issue = _open_issue(source)
    times: dict[tuple[str, str], list[float]] = {}
    for run in range(args.runs + 1):  # run 0 warms the caches and is not counted
        for version in ("before", "after"):
            step = _step(kbs[version], roots[version], issue)
            new = _new(kbs[version], roots[version])
            if run:
                times.setdefault(("step", version), []).append(step)
                times.setdefault(("new", version), []).append(new)
    print(f"{args.records:,} records, median of {args.runs} interleaved runs (wall, seconds)")
    print(f"{'command':<34}{'before':>8}{'after':>8}{'ratio':>8}")
    labels = {"step": f"kb escalate {issue}", "new": "kb new issue --title … --set …"}
    for what, label in labels.items():
        before = statistics.median(times[(what, "before")])
        now = statistics.median(times[(what, "after")])
        print(f"{label:<34}{before:>8.2f}{now:>8.2f}{now / before:>7.2f}x")
    print(f"target: after <= {TARGET_RATIO}x before")
    command = f"{shlex.quote(sys.executable)} benchmarks/write_bench.py --before {args.before}"
    print(f"reproduce: {command} --records {args.records} --runs {args.runs}")


if __name__ == "__main__":
    main()
