"""Benchmark `kb check` on a generated 10,000-record repository against a bare parsing loop.

    .venv/bin/python benchmarks/check_bench.py [--records 10000] [--runs 5]

The repository is generated once into benchmarks/out/ (gitignored) and reused while the
generator, record count and seed are unchanged. Both figures are the wall time of a whole
process, started with subprocess, median of --runs runs after one warm-up run:

- `kb check`: the real command, imports and reporting included;
- reference: a bare loop that reads the same files, parses them with yaml.CSafeLoader and
  validates them with the pydantic models, and nothing else (no locations, no cross-checks).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
TODAY = "2026-11-23"
TARGET_SECONDS = 1.5

BARE_LOOP = """
import sys
from pathlib import Path
import yaml
from crmkb.records import REGISTRY

root = Path(sys.argv[1])
count = 0
for kind in REGISTRY:
    if kind.list_key:
        path = root / (kind.directory + kind.suffix)
        if path.exists():
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            for item in data[kind.list_key]:
                kind.model.model_validate(item)
                count += 1
        continue
    folder = root / kind.directory
    if not folder.is_dir():
        continue
    for path in sorted(folder.iterdir()):
        text = path.read_text(encoding="utf-8")
        if kind.markdown:
            text = text[4 : text.index("\\n---\\n", 3)]
        kind.model.model_validate(yaml.load(text, Loader=yaml.CSafeLoader))
        count += 1
print(count, "records")
"""


def generated_repo(records: int, seed: int) -> Path:
    """The cached repository, regenerated when the generator or its arguments change."""
    generator = HERE / "generate.py"
    stamp = hashlib.sha256(generator.read_bytes()).hexdigest()[:16] + f"-{records}-{seed}"
    target = OUT / f"repo-{records}-seed{seed}"
    marker = target / ".generated"
    if marker.exists() and marker.read_text() == stamp:
        return target
    subprocess.run(
        [
            sys.executable,
            str(generator),
            str(target),
            "--records",
            str(records),
            "--seed",
            str(seed),
            "--today",
            TODAY,
        ],
        check=True,
    )
    marker.write_text(stamp)
    return target


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    last_line: str = ""

    def show(self) -> str:
        walls = ", ".join(f"{s:.2f}" for s in self.wall)
        return (
            f"{statistics.median(self.wall):.2f} s wall ({walls}); "
            f"{statistics.median(self.cpu):.2f} s cpu"
        )


def run_once(
    argv: list[str], env: dict[str, str], timing: Timing | None, cold: Path | None = None
) -> None:
    """Run `argv` once; record its wall time and its CPU time (user + system). With `cold`,
    that repository's record cache is deleted first, so the run parses every file."""
    if cold is not None:
        shutil.rmtree(cold / ".kb-cache", ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{shlex.join(argv)} failed ({proc.returncode}):\n{proc.stderr}")
    if timing is not None:
        timing.wall.append(elapsed)
        timing.cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        output = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
        timing.last_line = output[-1] if output else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    repo = generated_repo(args.records, args.seed)
    bindir = Path(sys.executable).parent
    kb = bindir / "kb"
    env = {**os.environ, "CRMKB_TODAY": TODAY}
    env.pop("CRMKB_ROOT", None)

    check_cmd = [str(kb), "check", "--root", str(repo)]
    bare_cmd = [sys.executable, "-c", BARE_LOOP, str(repo)]
    check, warm, bare = Timing(), Timing(), Timing()
    run_once(check_cmd, env, None)  # warm the page cache; not counted
    run_once(bare_cmd, env, None)
    for _ in range(args.runs):  # interleaved, so a busy moment hurts all alike
        run_once(check_cmd, env, check, cold=repo)
        run_once(bare_cmd, env, bare)
        run_once(check_cmd, env, warm)

    median = statistics.median(check.wall)
    verdict = "meets" if median <= TARGET_SECONDS else "MISSES"
    print(f"repository:      {repo}")
    print(f"kb check says:   {check.last_line}")
    print(f"kb check (cold): {check.show()}  (record cache deleted before each run)")
    print(f"kb check (warm): {warm.show()}  (record cache from the run before)")
    print(f"bare reference:  {bare.show()}  (CSafeLoader + pydantic only)")
    print(
        f"ratio (cold):    {median / statistics.median(bare.wall):.2f}x the bare loop (wall), "
        f"{statistics.median(check.cpu) / statistics.median(bare.cpu):.2f}x (cpu); "
        f"median of {args.runs}; {verdict} the {TARGET_SECONDS} s target"
    )
    print(f"ratio (warm):    {statistics.median(warm.wall) / statistics.median(bare.wall):.2f}x")
    print(f"machine:         {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.2f}")
    print(
        "reproduce:       "
        + shlex.join(
            [
                os.path.relpath(sys.executable),
                "benchmarks/check_bench.py",
                "--records",
                str(args.records),
                "--seed",
                str(args.seed),
                "--runs",
                str(args.runs),
            ]
        )
    )
    print(
        "one run:         "
        + f"CRMKB_TODAY={TODAY} "
        + shlex.join([os.path.relpath(kb), "check", "--root", os.path.relpath(repo)])
    )


if __name__ == "__main__":
    main()
