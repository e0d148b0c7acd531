"""`kb render`: the site source in a folder, rewritten only where it changed, built by MkDocs
and by ProperDocs into the same pages, and searchable in both (headless Chromium)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser

from crmkb.cli import main
from crmkb.cli.render import site_config
from crmkb.knowledge_base import load
from crmkb.site.render import DOCS, MANIFEST, Renderer, all_sources, render, write_site
from crmkb.site.report_job import render_elsewhere
from harness import search, serve, watched_tab
from site_kit import copy_site_inputs

TODAY = "2026-11-23"
NEW_ISSUE = """\
---
id: ISS-0900
title: 报价单打印预览空白
reporter: P009
reported: 2026-11-20
module: quote
severity: low
---

## 现象

打印预览是空白页。
"""
# The builder's name and version in <meta name="generator">: the one thing that may differ.
GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


def _render(root: Path, out: Path) -> list[str]:
    kb = load(root)
    done = render(kb, out, site_config(root))
    return sorted(done.written) + [f"-{uri}" for uri in done.removed]


def test_a_render_rewrites_only_what_changed(tmp_path: Path) -> None:
    root = copy_site_inputs(tmp_path / "repo")
    out = tmp_path / "out"
    first = _render(root, out)
    assert "issues/ISS-0042.md" in first and "mkdocs.yml" not in first  # pages, in docs/
    assert (out / "mkdocs.yml").is_file() and (out / "overrides" / "main.html").is_file()
    assert _render(root, out) == []  # nothing changed, nothing written
    before = (out / DOCS / "issues" / "ISS-0001.md").stat().st_mtime_ns

    issue = root / "records" / "issues" / "ISS-0042.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace('title: "', 'title: "已改 ', 1))
    changed = _render(root, out)
    assert "issues/ISS-0042.md" in changed
    assert "issues/ISS-0001.md" not in changed  # an unrelated record's page is left alone
    assert (out / DOCS / "issues" / "ISS-0001.md").stat().st_mtime_ns == before

    (root / "records" / "issues" / "ISS-0900.md").write_text(NEW_ISSUE, encoding="utf-8")
    assert "issues/ISS-0900.md" in _render(root, out)
    (root / "records" / "issues" / "ISS-0900.md").unlink()
    assert "-issues/ISS-0900.md" in _render(root, out)  # the deleted record's page goes
    assert not (out / DOCS / "issues" / "ISS-0900.md").exists()


def test_kb_render_reports_what_it_did(tmp_path: Path) -> None:
    root = copy_site_inputs(tmp_path / "repo")
    runner = CliRunner(env={"CRMKB_TODAY": TODAY})
    args = ["render", str(tmp_path / "out"), "--root", str(root)]
    first = runner.invoke(main, args, catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert re.fullmatch(r".*out: \d+ written, 0 removed, 0 unchanged\n", first.output)
    again = runner.invoke(main, args, catch_exceptions=False)
    assert re.fullmatch(r".*out: 0 written, 0 removed, \d+ unchanged\n", again.output)


def _build(command: str, config: Path, site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CRMKB_TODAY": TODAY}
    argv = [sys.executable, "-m", command, "build", "--strict", "-f", str(config), "-d", str(site)]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample rendered once, then built by MkDocs and by ProperDocs."""
    base = tmp_path_factory.mktemp("two-builders")
    root = copy_site_inputs(base / "repo")
    runner = CliRunner(env={"CRMKB_TODAY": TODAY})
    result = runner.invoke(main, ["render", str(base / "out"), "--root", str(root)])
    assert result.exit_code == 0, result.output
    _build("mkdocs", base / "out" / "mkdocs.yml", base / "mkdocs-site")
    _build("properdocs", base / "out" / "mkdocs.yml", base / "properdocs-site")
    return base / "mkdocs-site", base / "properdocs-site"


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_mkdocs_and_properdocs_build_the_same_pages(two_sites: tuple[Path, Path]) -> None:
    mkdocs, properdocs = (_files(site) for site in two_sites)
    assert sorted(mkdocs) == sorted(properdocs)
    assert "issues/ISS-0042/index.html" in mkdocs
    different = []
    for name, data in mkdocs.items():
        other = properdocs[name]
        if name.endswith(".html"):
            data = GENERATOR.sub("", data.decode("utf-8")).encode()
            other = GENERATOR.sub("", other.decode("utf-8")).encode()
        if name.endswith((".html", ".json", ".js", ".md")) and data != other:
            different.append(name)
    # The sitemap's gzip stamps the build time; everything a reader sees is byte for byte equal.
    assert different == []


@pytest.fixture()
def served(two_sites: tuple[Path, Path]) -> Iterator[list[str]]:
    with serve(two_sites[0]) as first, serve(two_sites[1]) as second:
        yield [first, second]


def test_search_works_in_both_sites(browser: Browser, served: list[str]) -> None:
    for base in served:
        with watched_tab(browser, base) as (page, _):
            page.goto(base)
            found = [r["href"].removeprefix(base) for r in search(page, "ISS-0042")]
            hrefs = [href.split("?")[0] for href in found]  # ?h= marks the matched words
            assert hrefs[:1] == ["issues/ISS-0042/"], base


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != MANIFEST
    }


def test_an_incremental_render_equals_a_full_one(tmp_path: Path) -> None:
    """After each change, what `kb serve` renders (only what the change touches) is exactly
    what a full render of the same records gives."""
    root = copy_site_inputs(tmp_path / "repo")
    renderer = Renderer(tmp_path / "out", site_config(root))
    renderer.full(load(root))
    issues = root / "records" / "issues"
    solutions = root / "records" / "solutions"

    def retitle(path: Path, prefix: str) -> None:
        text = path.read_text(encoding="utf-8")
        path.write_text(
            re.sub(r"^title: (\"?)", rf"title: \g<1>{prefix}", text, count=1, flags=re.M)
        )

    changes = [
        lambda: retitle(issues / "ISS-0001.md", "改题 "),  # shown on its solution's page
        lambda: retitle(solutions / "SOL-0001.md", "改方案 "),  # shown on its issues' pages
        lambda: (issues / "ISS-0900.md").write_text(NEW_ISSUE, encoding="utf-8"),
        lambda: (issues / "ISS-0900.md").unlink(),
    ]
    for number, change in enumerate(changes):
        change()
        kb = load(root)
        done = renderer.update(kb)
        assert done.written or done.removed
        # kb serve has a second process render the reports once the changed pages are served.
        renderer.remember(render_elsewhere(root, tmp_path / "out" / DOCS, None)[0])
        full = tmp_path / f"full-{number}"
        render(load(root), full, site_config(root))
        assert _tree(tmp_path / "out" / DOCS) == _tree(full / DOCS), number


def test_a_render_cut_short_leaves_nothing_the_next_one_misses(tmp_path: Path) -> None:
    """A render that dies after writing its files but before its manifest (kill -9, or the
    second process failing) listed them beforehand: the next render removes the page of a
    record deleted meanwhile, and the folder holds only what it rendered."""
    root = copy_site_inputs(tmp_path / "repo")
    out = tmp_path / "out"
    site = site_config(root)
    kb = load(root)

    def dies() -> list[str]:
        raise KeyboardInterrupt  # as if killed after the pages were written

    with pytest.raises(KeyboardInterrupt):
        write_site(root, out, site, all_sources(kb, site), dies)
    assert (out / DOCS / "issues" / "ISS-0030.md").is_file()
    (root / "records" / "issues" / "ISS-0030.md").unlink()  # named by no other record
    done = render(load(root), out, site)
    assert "issues/ISS-0030.md" in done.removed
    assert not (out / DOCS / "issues" / "ISS-0030.md").exists()


def test_a_rendered_site_keeps_the_light_and_dark_palette(tmp_path: Path) -> None:
    import yaml

    root = copy_site_inputs(tmp_path / "repo")
    _render(root, tmp_path / "out")
    rendered = yaml.safe_load((tmp_path / "out" / "mkdocs.yml").read_text(encoding="utf-8"))
    palette = rendered["theme"]["palette"]
    assert palette == site_config(root)["theme"]["palette"]
    media = [option["media"] for option in palette]
    assert media == ["(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"]
    assert [option["scheme"] for option in palette] == ["default", "slate"]
    assert all(option["toggle"]["name"] for option in palette)
