"""Edit-to-served time of `kb serve`, its idle CPU, and its cold start against today's build.

    .venv/bin/python benchmarks/serve_bench.py [--records 10000] [--edits 3] [--skip-build]

On a generated repository (benchmarks/out/, with the real mkdocs.yml and kb/ copied in):

1. today's cold build: `mkdocs build` with the crmkb plugin (skipped with --skip-build);
2. `kb serve`'s cold start: render, build, serving (the time until it prints its URL);
3. per edit: a record's title is changed and its page polled every 0.1 s until the new title
   is served; meanwhile the home page is fetched and its response time kept;
4. the server's CPU time over 20 idle seconds (from /proc), as a share of one core, once
   the reports it rebuilds after 10 quiet seconds are done.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from check_bench import OUT, TODAY, generated_repo

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "CRMKB_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}


def site_repo(records: int) -> Path:
    """A copy of the generated records with the site's inputs, for building."""
    target = OUT / f"serve-{records}"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(generated_repo(records, 1), target, ignore=shutil.ignore_patterns(".kb-*"))
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(REPO / "kb", target / "kb")
    return target


def fetch(url: str) -> tuple[float, str]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        body = response.read().decode("utf-8", errors="replace")
    return time.perf_counter() - start, body


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def edit(issue: Path, n: int) -> str:
    text = issue.read_text(encoding="utf-8")
    marker = f"编辑{n}号"
    issue.write_text(re.sub(r"^title: (\"?)", rf"title: \g<1>{marker} ", text, count=1, flags=re.M))
    return marker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    repo = site_repo(args.records)
    bindir = Path(sys.executable).parent
    if not args.skip_build:
        start = time.perf_counter()
        built = repo / "built-by-mkdocs"
        argv = [str(bindir / "mkdocs"), "build", "-q", "-f", str(repo / "mkdocs.yml"), "-d"]
        subprocess.run([*argv, str(built)], env=ENV, check=True)
        print(f"today's cold build (mkdocs + plugin): {time.perf_counter() - start:7.1f} s")
    port = free_port()
    argv = [str(bindir / "kb"), "serve", "--root", str(repo), "--dev-addr", f"127.0.0.1:{port}"]
    start = time.perf_counter()
    server = subprocess.Popen(argv, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert server.stdout is not None
        for line in server.stdout:
            if line.startswith(b"Serving on"):
                break
        print(f"kb serve cold start (render + build):  {time.perf_counter() - start:7.1f} s")
        base = f"http://127.0.0.1:{port}/"
        issue = sorted((repo / "records" / "issues").glob("ISS-*.md"))[len("records") * 7]
        page = f"{base}issues/{issue.stem}/"
        waits, others = [], []
        for n in range(1, args.edits + 1):
            marker = edit(issue, n)
            saved = time.perf_counter()
            while marker not in fetch(page)[1]:
                others.append(fetch(base)[0])
                time.sleep(0.1)
            waits.append(time.perf_counter() - saved)
            time.sleep(2)
        print(f"edit-to-served ({issue.stem}):          " + ", ".join(f"{w:.2f} s" for w in waits))
        print(f"  median {statistics.median(waits):.2f} s (target 5 s)")
        if others:
            print(
                f"home page while rebuilding: median {statistics.median(others):.3f} s, "
                f"worst {max(others):.3f} s over {len(others)} requests"
            )
        time.sleep(60)  # kb serve rebuilds the reports after 10 quiet seconds; let that finish
        before = cpu_seconds(server.pid)
        time.sleep(20)
        idle = (cpu_seconds(server.pid) - before) / 20
        print(f"idle server: {idle * 100:.2f}% of a core (target under 2%)")
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"machine: {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.2f}")
    print("reproduce: " + shlex.join([os.path.relpath(sys.executable), *sys.argv]))


if __name__ == "__main__":
    main()
