"""Sanitise the HTML of generated pages: record text is data and must never run or fetch."""

from __future__ import annotations

import html as htmllib

import nh3

TAGS = set(nh3.ALLOWED_TAGS) - {"map", "area"}
ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    # Markdown, admonitions and the toc permalinks need ids, classes and titles.
    "*": {"id", "class", "title"},
    "a": {"href", "hreflang", "title"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _no_outside_fetch(tag: str, attribute: str, value: str) -> str | None:
    """Drop resource URLs on other hosts: the site is served on an intranet, offline."""
    if attribute == "src" and ("://" in value or value.startswith("//")):
        return None
    return value


def sanitize(html: str) -> str:
    """Keep document markup; drop scripts, event handlers, javascript: URLs and remote images."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_no_outside_fetch,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )


def plain_text(html: str) -> str:
    """The visible text of an HTML fragment, whitespace folded, for the search index."""
    stripped = nh3.clean(html, tags=set(), clean_content_tags={"script", "style"})
    return " ".join(htmllib.unescape(stripped).replace("¶", " ").split())
