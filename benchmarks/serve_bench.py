"""Edit-to-served time of `kb serve`, its idle CPU, and its cold start beside today's build.

    .venv/bin/python benchmarks/serve_bench.py [--records 10000] [--pairs 1] [--skip-build]

On a generated repository (benchmarks/out/, with the real mkdocs.yml and kb/ copied in):

1. cold build, paired in one run: `mkdocs build` with the crmkb plugin (today's build), then
   `kb serve`'s cold start (render, build, serving: the time until it prints its URL, and
   until its search index is written); --pairs N alternates them N times; --skip-build
   leaves out `mkdocs build`;
2. edits, each a record's title changed and its page polled every 0.1 s until the new title
   is served (the home page is fetched meanwhile and its response time kept):
   - one after a pause,
   - three more, each made 2 s after the previous one was served,
   - one made while the reports of the previous change are being counted again (they are,
     once the records were left alone for 10 s);
3. the server's CPU time over 20 idle seconds (from /proc), as a share of one core.
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
import threading
import time
import urllib.request
from pathlib import Path

from check_bench import OUT, TODAY, generated_repo

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "CRMKB_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}
BIN = Path(sys.executable).parent


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


class Server:
    """`kb serve` on the repository, its log lines collected as they come."""

    def __init__(self, repo: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        argv = [str(BIN / "kb"), "--lang", "en", "serve", "--root", str(repo)]
        argv += ["--dev-addr", f"127.0.0.1:{self.port}"]
        self.lines: list[tuple[float, str]] = []
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.perf_counter(), line))

    def wait_for(self, text: str, after: int = 0) -> float:
        """Seconds since the start until a log line (from line `after` on) holds `text`."""
        while True:
            for at, line in self.lines[after:]:
                if text in line:
                    return at - self.started
            if self.process.poll() is not None:
                raise SystemExit("kb serve stopped:\n" + "".join(x for _, x in self.lines[-20:]))
            time.sleep(0.05)

    def served(self, path: str) -> float:
        """Seconds since the start until `path` is served (the search index: its manifest)."""
        while True:
            try:
                with urllib.request.urlopen(self.base + path, timeout=5):
                    return time.perf_counter() - self.started
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit("kb serve stopped") from None
            time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def cold(repo: Path, pairs: int, skip_build: bool) -> Server:
    """Today's build and kb serve's cold start, alternated; the last server is kept running."""
    builds, starts, indexed = [], [], []
    server = None
    for n in range(pairs):
        if not skip_build:
            shutil.rmtree(repo / ".kb-cache", ignore_errors=True)  # no record cache either
            start = time.perf_counter()
            argv = [str(BIN / "mkdocs"), "build", "-q", "-f", str(repo / "mkdocs.yml")]
            subprocess.run([*argv, "-d", str(repo / "built-by-mkdocs")], env=ENV, check=True)
            builds.append(time.perf_counter() - start)
        shutil.rmtree(repo / "build", ignore_errors=True)  # from nothing, every time
        shutil.rmtree(repo / ".kb-cache", ignore_errors=True)
        server = Server(repo)
        starts.append(server.wait_for("Serving on"))
        indexed.append(server.served("assets/crmkb-search/manifest.json"))
        if n < pairs - 1:
            server.stop()
    if builds:
        print(f"today's cold build (mkdocs build + plugin): {_list(builds)}")
    print(f"kb serve cold start, serving:              {_list(starts)}")
    print(f"kb serve cold start, search index written: {_list(indexed)}")
    assert server is not None
    return server


def _list(values: list[float]) -> str:
    shown = ", ".join(f"{v:.1f}" for v in values)
    return f"{shown} s" + (f" (median {statistics.median(values):.1f})" if len(values) > 1 else "")


def edit_and_wait(server: Server, issue: Path, n: int, others: list[float]) -> float:
    text = issue.read_text(encoding="utf-8")
    marker = f"编辑{n}号"
    issue.write_text(re.sub(r"^title: (\"?)", rf"title: \g<1>{marker} ", text, count=1, flags=re.M))
    saved = time.perf_counter()
    page = f"{server.base}issues/{issue.stem}/"
    while marker not in fetch(page)[1]:
        others.append(fetch(server.base)[0])
        time.sleep(0.1)
    return time.perf_counter() - saved


def edits(server: Server, repo: Path) -> None:
    issue = sorted((repo / "records" / "issues").glob("ISS-*.md"))[49]
    others: list[float] = []
    paused = edit_and_wait(server, issue, 1, others)
    spaced = []
    for n in range(2, 5):
        time.sleep(2)
        spaced.append(edit_and_wait(server, issue, n, others))
    # The reports are counted again once the records were left alone for 10 s (kb serve no
    # longer logs that it starts): edit 1 s into that.
    time.sleep(11)
    during = edit_and_wait(server, issue, 5, others)
    print(f"edit-to-served ({issue.stem}), target 5 s:")
    print(f"  after a pause:                     {paused:.2f} s")
    print(f"  2 s after the previous was served: {', '.join(f'{w:.2f} s' for w in spaced)}")
    print(f"  while the reports are counted:     {during:.2f} s")
    print(
        f"home page meanwhile: median {statistics.median(others):.3f} s, "
        f"worst {max(others):.3f} s over {len(others)} requests"
    )


def idle(server: Server) -> None:
    seen = len(server.lines)
    server.wait_for("rebuilt", after=seen)  # the reports of the last edit, built
    while not server.lines or time.perf_counter() - server.lines[-1][0] < 15:
        time.sleep(1)  # and their search index written: nothing logged for 15 s
    before = cpu_seconds(server.process.pid)
    time.sleep(20)
    share = (cpu_seconds(server.process.pid) - before) / 20
    print(f"idle server: {share * 100:.2f}% of a core over 20 s (target under 2%)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--pairs", type=int, default=1)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--cold-only", action="store_true", help="stop after the cold build")
    args = parser.parse_args()
    repo = site_repo(args.records)
    print(f"{args.records} records; load average {os.getloadavg()[0]:.2f}")
    server = cold(repo, args.pairs, args.skip_build)
    try:
        if not args.cold_only:
            edits(server, repo)
            idle(server)
    finally:
        server.stop()
    print(f"machine: {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.2f}")
    print("reproduce: " + shlex.join([os.path.relpath(sys.executable), *sys.argv]))


if __name__ == "__main__":
    main()
