"""Issue 18 items 2 and 3: no Markdown the site renders costs more than linear time.

The cost of rendering is measured with Python-Markdown configured as mkdocs.yml configures
it, as CPU time within one run: the input is doubled and the cost may at most double, with a
generous factor and constant for a busy machine (a quadratic construct costs four times as
much; the hostile inputs of the issue took minutes). Real timings: benchmarks/markdown_bench.py.
"""

from __future__ import annotations

import time
from pathlib import Path

import markdown
import pytest
import yaml

from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.markup import MAX_HEADINGS, MAX_OPEN_ANGLES, MAX_OPEN_LINKS
from crmkb.site.pages import urls
from crmkb.site.pages.catalog import _tag_lists
from crmkb.site.record_text import RecordTextExtension, fence

REPO = Path(__file__).resolve().parents[2]


def _site_markdown() -> markdown.Markdown:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    names, settings = [], {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        settings[name] = options or {}
    return markdown.Markdown(extensions=[*names, RecordTextExtension()], extension_configs=settings)


def cost(text: str) -> float:
    """CPU seconds to render `text`, the least of three runs."""
    best = float("inf")
    for _ in range(3):
        md = _site_markdown()
        start = time.process_time()
        md.convert(text)
        best = min(best, time.process_time() - start)
    return best


def at_most_linear(small: str, large: str) -> None:
    once, twice = cost(small), cost(large)
    assert twice <= 2.6 * once + 0.05, (once, twice)


def test_the_tags_page_renders_in_linear_time(kb: KnowledgeBase) -> None:
    from crmkb.records.issue import Issue

    issue = next(iter(kb.of(Issue).values()))

    def tags_page(count: int) -> str:
        tags = {f"标签{n:05d}": [issue] for n in range(count)}
        return _tag_lists(urls.CATALOG_TAGS, tags)

    at_most_linear(tags_page(600), tags_page(1200))


def _body(filler: int) -> str:
    """Every unfinished construct a body may hold, then `filler` paragraphs of plain use."""
    hostile = [
        "[a](b " * MAX_OPEN_LINKS,
        "<a " * MAX_OPEN_ANGLES,
        "<http://a " * (MAX_OPEN_ANGLES // 2),
        "\n".join(["## 重复"] * MAX_HEADINGS),
    ]
    ordinary = "见 [SOL-0001](../solutions/SOL-0001.md)，<b>金额</b> 与 `代码` 一致。" * 5
    return fence("\n\n".join([*hostile, *[ordinary] * filler]))


def test_a_body_within_the_bounds_renders_in_linear_time() -> None:
    at_most_linear(_body(400), _body(800))


@pytest.mark.parametrize(
    ("unit", "message"),
    [
        ("[a](b ", "links opened with '](' that no ')' closes"),
        ("![a](b ", "links opened with '](' that no ')' closes"),
        ("<a ", "'<' that no '>' closes on its line"),
        ("<http://a ", "'<' that no '>' closes on its line"),
        ("# a\n", "headings"),
    ],
)
def test_kb_check_refuses_the_quadratic_bodies(tmp_path: Path, unit: str, message: str) -> None:
    """The issue's bodies (at most 100,000 characters) are located errors, never built."""
    import shutil

    from click.testing import CliRunner

    from crmkb.cli import main

    root = tmp_path / "kb"
    shutil.copytree(REPO / "records", root / "records")
    shutil.copy(REPO / "crmkb.yml", root / "crmkb.yml")
    path = root / "records/issues/ISS-0001.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n" + unit * (90_000 // len(unit)), encoding="utf-8")
    found = CliRunner().invoke(
        main, ["check", "--root", str(root)], env={"CRMKB_TODAY": "2026-11-23"}
    )
    lines = [line for line in found.stdout.splitlines() if "ISS-0001.md" in line]
    assert found.exit_code == 1
    assert len(lines) == 1 and "error: the body holds more than" in lines[0], lines
    assert message in lines[0]
