"""Benchmark `kb check` on a generated repository against a bare parsing loop.

    .venv/bin/python benchmarks/check_bench.py [--records 1000 10000 50000] [--runs 5]
        [--before /path/to/other/.venv/bin/kb]

Each repository is generated once into benchmarks/out/ (gitignored) and reused while the
generator, record count and seed are unchanged. Every figure is the wall and CPU time of a
whole process, started with subprocess, median of --runs runs after one warm-up run, the
commands interleaved so a busy moment hurts all alike:

- `kb check` cold: the real command with its record cache deleted first (it parses every file
  and writes the cache); warm: with the cache the run before left; no cache: CRMKB_NO_CACHE=1;
- reference: a bare loop that reads the same files, parses them with yaml.CSafeLoader and
  validates them with the pydantic models, and nothing else (no locations, no cross-checks);
- with --before: another install's `kb check`, cold, on a copy of the same repository.
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
    parser.add_argument("--records", type=int, nargs="+", default=[10_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", help="another install's kb, timed cold beside this one")
    args = parser.parse_args()
    for size in args.records:
        measure(size, args.seed, args.runs, args.before)
    reproduce = [os.path.relpath(sys.executable), "benchmarks/check_bench.py", "--records"]
    reproduce += [str(n) for n in args.records] + ["--runs", str(args.runs)]
    if args.before:
        reproduce += ["--before", args.before]
    print(f"machine:         {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.2f}")
    print("reproduce:       " + shlex.join(reproduce))


def measure(size: int, seed: int, runs: int, before: str | None) -> None:
    repo = generated_repo(size, seed)
    kb = Path(sys.executable).parent / "kb"
    env = {**os.environ, "CRMKB_TODAY": TODAY}
    env.pop("CRMKB_ROOT", None)
    env.pop("CRMKB_NO_CACHE", None)
    check_cmd = [str(kb), "check", "--root", str(repo)]
    bare_cmd = [sys.executable, "-c", BARE_LOOP, str(repo)]
    timings = {name: Timing() for name in ("cold", "warm", "no cache", "bare", "before")}
    other = OUT / f"before-{size}-seed{seed}"
    if before:  # its own copy: the other install's cache must not meet this one's
        shutil.rmtree(other, ignore_errors=True)
        shutil.copytree(repo, other, ignore=shutil.ignore_patterns(".kb-cache"))
    run_once(check_cmd, env, None)  # warm the page cache; not counted
    run_once(bare_cmd, env, None)
    for _ in range(runs):
        run_once(check_cmd, env, timings["cold"], cold=repo)
        run_once(bare_cmd, env, timings["bare"])
        run_once(check_cmd, env, timings["warm"])
        run_once(check_cmd, {**env, "CRMKB_NO_CACHE": "1"}, timings["no cache"])
        if before:
            run_once([before, "check", "--root", str(other)], env, timings["before"], cold=other)
    bare = timings["bare"]
    print(f"{size:,} records: {repo}")
    print(f"  kb check says:   {timings['cold'].last_line}")
    for name, timing in timings.items():
        if not timing.wall:
            continue
        ratio = statistics.median(timing.wall) / statistics.median(bare.wall)
        cpu = statistics.median(timing.cpu) / statistics.median(bare.cpu)
        print(f"  {name + ':':<16} {timing.show()}  {ratio:.2f}x the bare loop (cpu {cpu:.2f}x)")
    print(
        "  one run:         "
        + f"CRMKB_TODAY={TODAY} "
        + shlex.join([os.path.relpath(kb), "check", "--root", os.path.relpath(repo)])
    )


if __name__ == "__main__":
    main()
