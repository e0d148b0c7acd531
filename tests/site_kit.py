"""Building the sample site for tests: a copy of its inputs, a strict build, a hostile record.

Imported by name (not as `conftest`) so it never collides with another folder's conftest.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SITE_INPUTS = ["mkdocs.yml", "mkdocs-preview.yml", "crmkb.yml", "kb", "records"]

HOSTILE_ISSUE = """\
---
id: ISS-0999
title: "<img src=x onerror=window.__pwned=1>标题注入测试"
reporter: P009
reported: 2026-11-20
module: quote
severity: low
status: reported
tags: [安全测试]
---

## 现象

<script>window.__pwned = 2</script>正文脚本测试
<img src="x" onerror="window.__pwned = 3">
<img src="https://example.com/track.png">
[点这里](javascript:window.__pwned=4)
<a href="javascript:window.__pwned=5">另一个链接</a>
"""


def copy_site_inputs(target: Path, repo: Path = REPO) -> Path:
    """A throwaway copy of the repository's site inputs, to build or break."""
    target.mkdir(parents=True, exist_ok=True)
    for name in SITE_INPUTS:
        source = repo / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.exists():
            shutil.copy2(source, target / name)
    return target


def mkdocs_build(
    root: Path, site: Path, extra_env: dict[str, str] | None = None, config: str = "mkdocs.yml"
) -> subprocess.CompletedProcess[str]:
    # The sample is dated; build it as of the day the tests assume (ages, SLA states).
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CRMKB_TODAY": "2026-11-23"}
    env.update(extra_env or {})
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(root / config),
            "-d",
            str(site),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
