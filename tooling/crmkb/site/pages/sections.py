"""Find and move the `## ` sections of a record's Markdown body (steps, workaround)."""

from __future__ import annotations

import re

STEPS = ("解决步骤", "步骤", "操作步骤", "Steps")
WORKAROUND = ("临时办法", "临时做法", "Workaround")
_HEADING = re.compile(r"^## +(.+?)\s*$", re.M)


def split(body: str) -> tuple[str, list[tuple[str, str]]]:
    """The text before the first `## ` heading, and every (heading, content) pair in order."""
    marks = list(_HEADING.finditer(body))
    if not marks:
        return body, []
    head = body[: marks[0].start()]
    found = []
    for mark, after in zip(marks, [*marks[1:], None], strict=True):
        end = after.start() if after else len(body)
        found.append((mark.group(1), body[mark.end() : end].strip("\n")))
    return head, found


def section(body: str, names: tuple[str, ...]) -> str | None:
    """The content of the first section named one of `names`, or None when empty or absent."""
    for heading, content in split(body)[1]:
        if heading in names and content.strip():
            return content.strip()
    return None


def lead_with(body: str, names: tuple[str, ...]) -> str:
    """`body` with the section named one of `names` moved to the front."""
    head, found = split(body)
    first = [(h, c) for h, c in found if h in names]
    rest = [(h, c) for h, c in found if h not in names]
    if not first:
        return body
    parts = [f"## {h}\n\n{c}\n" for h, c in [*first, *rest]]
    return (head.strip() + "\n\n" if head.strip() else "") + "\n".join(parts)


def first_items(markdown: str, count: int) -> tuple[str, bool]:
    """The first `count` top-level list items of a steps section, and whether any were cut."""
    lines = markdown.splitlines()
    starts = [i for i, line in enumerate(lines) if re.match(r"^(\d+[.)]|[-*+]) ", line)]
    if len(starts) <= count:
        return markdown, False
    return "\n".join(lines[: starts[count]]).rstrip(), True


def indent(markdown: str) -> str:
    """Indent a Markdown block by four spaces, to sit inside an admonition."""
    return "\n".join(("    " + line) if line.strip() else "" for line in markdown.splitlines())
