"""Files records attach (evidence, screenshots) are published as-is, so they must be inert."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from crmkb.errors import RecordError

# records/<folder>/ -> site folder; Markdown records themselves become pages, not attachments.
ATTACHMENT_FOLDERS = {"records/training": "training", "records/evidence": "evidence"}
# Browsers run these when opened directly, so a record may not publish them.
ACTIVE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".xml", ".js", ".mjs", ".svgz"})
_ACTIVE_SVG = re.compile(
    r"<\s*script|<\s*foreignObject|(?<=\s)on[a-z]+\s*=|javascript\s*:|<\s*iframe|<\s*embed|<\s*object",
    re.IGNORECASE,
)


def attachments(root: Path) -> Iterator[tuple[str, Path]]:
    """(repository path, file) for every non-Markdown file in the attachment folders."""
    for folder in ATTACHMENT_FOLDERS:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and path.suffix != ".md" and not path.name.startswith("."):
                yield path.relative_to(root).as_posix(), path


def problems(root: Path) -> Iterator[RecordError]:
    """An error for each attachment a browser would execute if it were opened on the site."""
    for display, path in attachments(root):
        suffix = path.suffix.lower()
        if suffix in ACTIVE_SUFFIXES:
            yield RecordError(
                display, 1, 1, f"{suffix} files cannot be published; attach a screenshot or PDF"
            )
        elif suffix == ".svg":
            try:
                text = path.read_bytes().decode("utf-8", errors="replace")
            except OSError as exc:
                yield RecordError(display, 1, 1, f"cannot read this attachment: {exc.strerror}")
                continue
            found = _ACTIVE_SVG.search(text)
            if found:
                line = text.count("\n", 0, found.start()) + 1
                col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
                yield RecordError(
                    display,
                    line,
                    col,
                    "SVG contains script, an event handler or embedded content "
                    f"({found.group(0).strip()!r}); export it again as a plain image",
                )
