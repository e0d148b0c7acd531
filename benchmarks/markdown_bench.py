"""Time the site's Markdown on the inputs issue 18 found quadratic, doubling each.

The tags page of N tags (crmkb's own output) and a record body holding every unfinished
construct `kb check` lets through (crmkb.records.markup's bounds) plus ordinary paragraphs,
rendered with Python-Markdown configured as mkdocs.yml configures it. Prints the CPU seconds
of each size (least of --runs) and the ratio to the size before: about 2 when linear.

    .venv/bin/python benchmarks/markdown_bench.py --runs 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "site"))

from test_linear_markdown import _body, cost

from crmkb.knowledge_base import load
from crmkb.records.issue import Issue
from crmkb.site.pages import urls
from crmkb.site.pages.catalog import _tag_lists

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.parse_args()
    issue = next(iter(load(REPO, today=dt.date(2026, 11, 23)).of(Issue).values()))
    cases = {
        "tags page, tags": lambda n: _tag_lists(
            urls.CATALOG_TAGS, {f"标签{i:05d}": [issue] for i in range(n)}
        ),
        "bounded hostile body, paragraphs": _body,
    }
    sizes = {"tags page, tags": [300, 600, 1200, 2400], "bounded hostile body, paragraphs": [
        200, 400, 800, 1600]}  # fmt: skip
    for name, make in cases.items():
        before = None
        for n in sizes[name]:
            text = make(n)
            seconds = cost(text)
            ratio = f"{seconds / before:.2f}x" if before else ""
            print(f"{name:34} {n:6d}  {len(text):9,d} chars  {seconds:7.3f} s  {ratio}")
            before = seconds


if __name__ == "__main__":
    main()
