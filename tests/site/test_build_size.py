"""Sizes stay linear: records at the schema's limits build within twice the sample's memory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from crmkb.records.base import MAX_BODY, MAX_TAG, MAX_TAGS, MAX_TITLE
from site_kit import copy_site_inputs

AT_LIMITS = 10  # records, each with the longest title, body and the most, longest tags
# Runs the build as its own child, so RUSAGE_CHILDREN sees that build and nothing else.
MEASURE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "sys.stderr.write(done.stderr)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(done.returncode)\n"
)


def peak_rss_kib(root: Path) -> int:
    """Peak resident memory of a strict `mkdocs build` of `root`, in KiB."""
    build = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"]
    build += ["-f", str(root / "mkdocs.yml"), "-d", str(root / "site")]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CRMKB_TODAY": "2026-11-23"}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *build], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def at_limits(number: int) -> str:
    """A resolved issue as large as the schema allows (a copy of ISS-0001's facts)."""
    tags = ", ".join(f"{number:02d}{i:02d}" + "签" * (MAX_TAG - 4) for i in range(MAX_TAGS))
    body = ("## 现象\n\n" + "回款到账日与入账日不一致。" * MAX_BODY)[: MAX_BODY - 2]  # + 2 newlines
    return (
        f"---\nid: ISS-{900 + number:04d}\ntitle: {'长' * MAX_TITLE}\nreporter: P010\n"
        "reported: 2026-10-09\nmodule: receivable\nseverity: high\ncause: process\n"
        "status: resolved\nsolution: SOL-0001\n"
        "dates:\n  investigating: 2026-10-09\n  resolved: 2026-10-16\n"
        f"tags: [{tags}]\n---\n\n{body}\n"
    )


def test_records_at_the_limits_build_within_twice_the_samples_memory(tmp_path: Path) -> None:
    sample = copy_site_inputs(tmp_path / "sample")
    large = copy_site_inputs(tmp_path / "large")
    for number in range(AT_LIMITS):
        path = large / "records" / "issues" / f"ISS-{900 + number:04d}.md"
        path.write_text(at_limits(number), encoding="utf-8")
    solution = large / "records" / "solutions" / "SOL-0001.md"
    listed = ", ".join(f"ISS-{900 + n:04d}" for n in range(AT_LIMITS))
    solution.write_text(
        solution.read_text(encoding="utf-8").replace("issues: [", f"issues: [{listed}, ", 1),
        encoding="utf-8",
    )
    base, grown = peak_rss_kib(sample), peak_rss_kib(large)
    assert grown < 2 * base, f"sample {base} KiB, at the limits {grown} KiB"
    tags_page = (large / "site" / "catalog" / "tags" / "index.html").stat().st_size
    assert tags_page < 2_000_000, tags_page
