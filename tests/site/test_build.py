"""Real `mkdocs build --strict` of the sample site: pages, navigation, index, failures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.issue import Issue
from site_kit import copy_site_inputs, mkdocs_build


def test_every_page_kind_is_built(built_site: Path, kb: KnowledgeBase) -> None:
    for path in [
        "index.html",
        "catalog/index.html",
        "catalog/modules/index.html",
        "solutions/index.html",
        "open/index.html",
        "changes/index.html",
        "training/index.html",
        "people/index.html",
        "issues/ISS-0001/index.html",
        "solutions/SOL-0001/index.html",
        "changes/CR-0001/index.html",
        "training/TM-OP-01/index.html",
        "training/img/customer-new.svg",
        "evidence/ISS-0001/ageing-report.svg",
    ]:
        assert (built_site / path).is_file(), path
    assert len(list((built_site / "issues").iterdir())) == len(kb.of(Issue))


def test_records_are_not_in_the_nav_sidebar(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    start = home.index('class="md-nav md-nav--primary')
    nav = home[start : home.index('class="md-sidebar md-sidebar--secondary', start)]
    assert "catalog/" in nav
    assert "ISS-0001" not in nav


def test_materials_index_leaves_records_to_the_crmkb_index(built_site: Path) -> None:
    material = json.loads((built_site / "search" / "search_index.json").read_text())
    assert not [d for d in material["docs"] if d["location"].startswith("issues/")]
    manifest = json.loads((built_site / "assets/crmkb-search/manifest.json").read_text())
    assert manifest["docs"] > 90


def test_worker_url_is_versioned_by_content(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert '"search": "assets/crmkb-search/worker.js?v=' in home


def test_invalid_record_fails_the_build_with_kb_checks_message(tmp_path: Path) -> None:
    root = copy_site_inputs(tmp_path)
    issue = root / "records" / "issues" / "ISS-0001.md"
    issue.write_text(
        issue.read_text(encoding="utf-8").replace("severity: high", "severity: huge"),
        encoding="utf-8",
    )
    result = mkdocs_build(root, tmp_path / "site")
    assert result.returncode != 0
    check = subprocess.run(
        [str(Path(sys.executable).parent / "kb"), "check"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ},
        check=False,
    )
    located = [line for line in check.stdout.splitlines() if ": error: " in line]
    assert any(line.startswith("records/issues/ISS-0001.md:") for line in located)
    for line in located:
        assert line in result.stderr


def test_search_index_is_deterministic(tmp_path: Path) -> None:
    root = copy_site_inputs(tmp_path / "inputs")  # a snapshot: others may edit records meanwhile
    first, again = tmp_path / "first", tmp_path / "again"
    assert mkdocs_build(root, first).returncode == 0
    assert mkdocs_build(root, again).returncode == 0
    for path in sorted((first / "assets" / "crmkb-search").rglob("*.json")):
        assert path.read_bytes() == (again / path.relative_to(first)).read_bytes(), path
