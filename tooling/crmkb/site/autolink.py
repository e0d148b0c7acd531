"""Turn every known record id in a page's text into a link to the record's page.

Runs on HTML that has already been sanitised. It only rewrites text between tags (never inside
a tag, a link, code or a heading), it only matches ids of records that have a page, and the
link it inserts is built from the site's own URL map, so record text cannot steer it.
"""

from __future__ import annotations

import re

from mkdocs.utils import get_relative_url

ID = re.compile(r"(?<![A-Za-z0-9-])((?:ISS|SOL|CR|TM-[A-Z]+)-\d{2,})(?![A-Za-z0-9-])")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
SKIP = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "title"}


def autolink(html: str, page_url: str, targets: dict[str, str]) -> str:
    """`html` with each id in `targets` (id -> site URL) linked, except the page's own."""
    out: list[str] = []
    depth = 0  # how many SKIP elements we are inside
    position = 0
    for tag in _TAG.finditer(html):
        out.append(_link_text(html[position : tag.start()], page_url, targets, depth))
        out.append(tag.group(0))
        position = tag.end()
        if tag.group(2).lower() in SKIP and not tag.group(0).endswith("/>"):
            depth += -1 if tag.group(1) else 1
            depth = max(depth, 0)
    out.append(_link_text(html[position:], page_url, targets, depth))
    return "".join(out)


def _link_text(text: str, page_url: str, targets: dict[str, str], depth: int) -> str:
    if depth or not text:
        return text

    def swap(match: re.Match[str]) -> str:
        target = targets.get(match.group(1))
        if target is None or target == page_url:
            return match.group(0)
        href = get_relative_url(target, page_url)
        return f'<a class="crmkb-id" href="{href}">{match.group(1)}</a>'

    return ID.sub(swap, text)
