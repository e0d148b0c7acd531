"""Where each generated page lives in the site (docs-relative .md paths)."""

from __future__ import annotations

import posixpath

HOME = "index.md"
CATALOG = "catalog/index.md"
CATALOG_MODULES = "catalog/modules.md"
CATALOG_CAUSES = "catalog/causes.md"
CATALOG_TAGS = "catalog/tags.md"
SOLUTIONS = "solutions/index.md"
OPEN = "open.md"
CHANGES = "changes/index.md"
TRAINING = "training/index.md"
PEOPLE = "people.md"


def issue(record_id: str) -> str:
    return f"issues/{record_id}.md"


def solution(record_id: str) -> str:
    return f"solutions/{record_id}.md"


def change(record_id: str) -> str:
    return f"changes/{record_id}.md"


def training(record_id: str) -> str:
    return f"training/{record_id}.md"


def anchor(prefix: str, value: str) -> str:
    """A stable ASCII anchor for a module, cause or tag heading (tags are often Chinese)."""
    code = "-".join(f"{ord(char):x}" for char in value) if not value.isascii() else value
    return f"{prefix}-{code}".lower().replace(" ", "-")


def href(source: str, target: str) -> str:
    """Relative Markdown link from page `source` to page `target` (both docs-relative .md)."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")
