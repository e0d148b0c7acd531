"""Benchmark the crmkb site against a plain Material site of the same pages.

    NO_MKDOCS_2_WARNING=1 .venv/bin/python benchmarks/site_bench.py --records 1000 10000

For each size, a repository is generated with benchmarks/generate.py (cached in
benchmarks/out/), then built twice: with the real mkdocs.yml (crmkb plugin and search), and as
a plain mkdocs-material site holding the same generated pages (record pages not_in_nav) with
Material's built-in search in Chinese (jieba). For each site it prints the build wall time, the
site size, and, in headless Chromium with a cold cache per query, the time from typing a query
to the first result and the bytes the search moved (index, shards, worker; counted by the local
server, uncompressed), median and worst over the queries.

Measured 2026-11-23 on the 2-core VM, 6 queries (the 10,000-record crmkb build was re-run
alone with --skip-plain: 275.9 s when tests ran beside it):

    records  site   build    size       first result (median/worst)  moved (median/worst)
    1,000    crmkb   20.9 s   26.2 MiB   0.44 s / 0.55 s              103 KiB / 145 KiB
    1,000    plain   25.0 s   29.2 MiB   2.28 s / 5.91 s (1 timeout)  5,544 KiB
    10,000   crmkb  162.3 s  224.0 MiB   0.49 s / 0.53 s              104 KiB / 153 KiB
    10,000   plain  212.6 s  257.4 MiB   17.8 s / 29.2 s (1 timeout)  55,600 KiB

The crmkb site at 10,000 records is 8.6x its size at 1,000 (plain: 8.8x).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
TODAY = "2026-11-23"
QUERIES = ["付款条件重复", "折扣审批", "離職移交", "合同到期提醒", "回款核销", "ISS-0042"]
TIMEOUT_S = 60.0
sys.path[:0] = [str(REPO / "tests"), str(HERE)]

from site_browser import SearchRun, measure_search  # noqa: E402
from site_plain import write_plain_site  # noqa: E402


@dataclass
class Build:
    name: str
    seconds: float
    size: int
    site: Path


def _env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CRMKB_TODAY": TODAY}


def repository(records: int, checkout: Path = REPO, name: str = "site-repo") -> Path:
    """The generated repository for `records`, made once and reused, with the site config
    (mkdocs.yml, kb/) of `checkout`."""
    repo = OUT / f"{name}-{records}"
    stamp = repo / ".generated"
    if not stamp.exists():
        shutil.rmtree(repo, ignore_errors=True)
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(repo), "--records", str(records)],
            check=True,
            capture_output=True,
        )
        stamp.write_text("ok\n")
    for item in ("mkdocs.yml", "kb"):
        target = repo / item
        shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(True)
        source = checkout / item
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target)
    return repo


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def build(name: str, config: Path, site: Path, python: str = sys.executable) -> Build:
    shutil.rmtree(site, ignore_errors=True)
    command = [python, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    started = time.perf_counter()
    subprocess.run(command, check=True, env=_env(), capture_output=True)
    return Build(name, time.perf_counter() - started, size_of(site), site)


def mib(size: float) -> str:
    return f"{size / 2**20:.1f} MiB"


def report(records: int, built: Build, runs: list[SearchRun]) -> None:
    found = [r for r in runs if r.first_result_s is not None]
    times = [r.first_result_s for r in found if r.first_result_s is not None]
    moved = [r.bytes_moved for r in runs]
    index = size_of(built.site / "assets" / "crmkb-search")
    print(f"  {built.name:<8} build {built.seconds:7.1f} s   site {mib(built.size):>10}   ", end="")
    print(f"search index {index / 1024:8.0f} KiB   " if index else "", end="")
    if times:
        print(
            f"first result median {statistics.median(times):6.2f} s (worst {max(times):.2f}), "
            f"moved median {statistics.median(moved) / 1024:8.0f} KiB "
            f"(worst {max(moved) / 1024:.0f}), {len(found)}/{len(runs)} queries answered"
        )
    else:
        print(
            f"no result within {TIMEOUT_S:.0f} s for any query, "
            f"moved median {statistics.median(moved) / 1024:.0f} KiB"
        )
    for run in runs:
        shown = f"{run.first_result_s:.2f} s" if run.first_result_s is not None else "timeout"
        print(f"      {run.query:<10} {shown:>9} {run.bytes_moved / 1024:9.0f} KiB  top: {run.top}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--skip-plain", action="store_true", help="only the crmkb site")
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of the queries (medians over all rounds)"
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout with its own .venv (e.g. the commit before a change): its site "
        "is built from the same records and searched beside this one, as 'before'",
    )
    args = parser.parse_args()
    print("reproduce: NO_MKDOCS_2_WARNING=1 .venv/bin/python " + shlex.join(sys.argv))
    sizes: dict[tuple[str, int], int] = {}
    for records in args.records:
        repo = repository(records)
        print(f"{records} records ({repo.relative_to(REPO)})")
        builds = [build("crmkb", repo / "mkdocs.yml", OUT / f"site-crmkb-{records}")]
        if args.baseline:
            old = repository(records, args.baseline, "site-repo-baseline")
            python = str(args.baseline / ".venv" / "bin" / "python")
            builds.append(
                build("before", old / "mkdocs.yml", OUT / f"site-before-{records}", python)
            )
        if not args.skip_plain:
            plain = write_plain_site(repo, OUT / f"plain-{records}", TODAY)
            builds.append(build("plain", plain, OUT / f"site-plain-{records}"))
        # Query by query, alternating sites, so a noisy moment hits both alike.
        runs: dict[str, list[SearchRun]] = {built.name: [] for built in builds}
        for query in QUERIES * args.repeat:
            for built in builds:
                runs[built.name] += measure_search(built.site, [query], TIMEOUT_S)
        for built in builds:
            report(records, built, runs[built.name])
            sizes[(built.name, records)] = built.size
    if len(args.records) > 1:
        small, large = min(args.records), max(args.records)
        for name in ("crmkb", "plain"):
            if (name, small) in sizes:
                ratio = sizes[(name, large)] / sizes[(name, small)]
                print(f"{name}: site at {large} records is {ratio:.1f}x the site at {small}")
    print("command: " + shlex.join([sys.argv[0], *sys.argv[1:]]))


if __name__ == "__main__":
    main()
