"""Where each generated page lives in the site (docs-relative .md paths)."""

from __future__ import annotations

import re

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


# Readable as-is; never starting with the `x-` of spelled-out values keeps anchors unique.
_PLAIN = re.compile(r"(?!x-)[a-z0-9]+(?:[-_][a-z0-9]+)*")


def anchor(prefix: str, value: str) -> str:
    """A stable, unique ASCII anchor for a module, cause or tag heading, whatever its text.

    Lowercase words joined by hyphens stay readable; anything else (Chinese, capitals, spaces,
    punctuation) is spelled as code points after `x-`, so `CRM`/`crm` and `a b`/`a-b` differ
    and no character can end the link's URL.
    """
    if _PLAIN.fullmatch(value):
        return f"{prefix}-{value}"
    return f"{prefix}-x-" + "-".join(f"{ord(char):x}" for char in value)


def href(source: str, target: str) -> str:
    """Relative Markdown link from page `source` to page `target` (both docs-relative .md)."""
    # posixpath.relpath is the slow part of rendering the 10k-row catalogs; pages are never
    # more than a few folders deep, so strip the common folders and climb the rest.
    source_dirs = source.split("/")[:-1]
    target_parts = target.split("/")
    common = 0
    while (
        common < len(source_dirs)
        and common < len(target_parts) - 1
        and source_dirs[common] == target_parts[common]
    ):
        common += 1
    return "/".join([".."] * (len(source_dirs) - common) + target_parts[common:])
