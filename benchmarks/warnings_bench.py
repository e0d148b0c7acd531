"""How much located warnings cost `kb check`: the same files checked when overdue and not.

    .venv/bin/python benchmarks/warnings_bench.py [--issues 10000] [--out benchmarks/out/warnings]

Writes a copy of the sample with N extra copies of one reported issue (reported on DAY), then
prints the pair of commands to time side by side: `kb check` as of a day when every copy is
overdue (N SLA warnings, each located at its field) and as of DAY (none overdue). Time them
paired, in one run, e.g. with hyperfine:

    hyperfine -w 1 -r 5 "$(printf '%s' "$OVERDUE")" "$(printf '%s' "$ON_TIME")"

The target (issue 24) is overdue <= 1.2x on time at 10,000 copies.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DAY = "2026-12-07"  # every copy is reported this day: on time as of it
LATE = "2026-12-31"  # a dozen working days later: every copy is overdue
TEMPLATE = """\
---
id: {id}
title: "報價折扣審批通知郵件標題亂碼 {n}"
reporter: P009
reported: {day}
module: quote
severity: low
status: reported
handled_by: internal
tags: [报价, 邮件通知]
---

## 现象

業務經理收到的審批郵件標題是一串問號。
"""


def build(out: Path, issues: int) -> None:
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(REPO / "records", out / "records")
    shutil.copy(REPO / "crmkb.yml", out / "crmkb.yml")
    folder = out / "records" / "issues"
    for n in range(issues):
        record_id = f"ISS-{10000 + n}"
        text = TEMPLATE.format(id=record_id, n=n, day=DAY)
        (folder / f"{record_id}.md").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--issues", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "warnings")
    args = parser.parse_args()
    build(args.out, args.issues)
    kb = shlex.quote(str(Path(sys.executable).with_name("kb")))
    root = shlex.quote(str(args.out))
    print(f"{args.issues} copies of a reported issue in {args.out}; time these paired:")
    print(f"OVERDUE='env CRMKB_TODAY={LATE} {kb} check --root {root}'")
    print(f"ON_TIME='env CRMKB_TODAY={DAY} {kb} check --root {root}'")


if __name__ == "__main__":
    main()
