"""The comparison site for site_bench.py: the same generated pages as a plain Material site.

Record pages are not_in_nav and Material's own search indexes everything (lang zh, jieba).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml

from crmkb.knowledge_base import load
from crmkb.site.assets import record_assets
from crmkb.site.pages import generate

NOT_IN_NAV = ["/issues/", "/solutions/*/", "/changes/*/", "/training/*/", "/reports/"]


def _plain(markdown: str) -> str:
    """Drop the crmkb-only front matter (search exclusion, home template)."""
    if not markdown.startswith("---\n"):
        return markdown
    _, front, body = markdown.split("---\n", 2)
    meta = yaml.safe_load(front) or {}
    meta = {k: v for k, v in meta.items() if k not in {"search", "crmkb", "template"}}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body


def write_plain_site(repo: Path, out: Path, today: str) -> Path:
    """Write docs/ and mkdocs.yml for the plain site into `out`; returns the config path."""
    shutil.rmtree(out, ignore_errors=True)
    docs = out / "docs"
    kb = load(repo, today=dt.date.fromisoformat(today))
    for uri, markdown in generate(kb).items():
        target = docs / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_plain(markdown), encoding="utf-8")
    for uri, content in record_assets(repo).items():  # the checked bytes, as the site has them
        target = docs / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    ours = yaml.safe_load((repo / "mkdocs.yml").read_text(encoding="utf-8"))
    config = {
        "site_name": ours["site_name"],
        "docs_dir": "docs",
        "theme": {"name": "material", "language": "zh", "font": False},
        "plugins": [{"search": {"lang": "zh"}}],
        "markdown_extensions": ours["markdown_extensions"],
        "not_in_nav": "\n".join(NOT_IN_NAV),
        "nav": ours["nav"],
    }
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return out / "mkdocs.yml"
