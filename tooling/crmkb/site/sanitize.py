"""Sanitise the HTML of generated pages: record text is data and must never run or fetch.

nh3 (Ammonia) keeps only document markup; on top of that every id gets GitHub's
`user-content-` prefix, so record text can never stand in for an element the theme's
scripts look up (DOM clobbering of `__config`, `__search`...), and every URL is parsed with
the WHATWG rules browsers use (Ada) and kept only when it stays on the site.
"""

from __future__ import annotations

import html as htmllib
from collections.abc import Callable, Iterable
from typing import Protocol

import nh3
from ada_url import URL

from crmkb.site.record_text import split

ID_PREFIX = "user-content-"
TAGS = set(nh3.ALLOWED_TAGS) - {"map", "area"}
ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    # Markdown, admonitions and the toc permalinks need ids, classes and titles. Never `name`.
    "*": {"id", "class", "title"},
    "a": {"href", "hreflang", "title"},
    # A date a page states (data as of, a deadline): the site's clock script reads it.
    "time": {"datetime"},
}
# Attributes holding a URL among those kept above; nh3's own scheme check runs first.
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
# mailto only ever survives as a trusted link from crmkb.yml (report_form): site_url refuses it.
URL_SCHEMES = {"http", "https", "data", "mailto"}
# Two made-up origins: a URL is on the site only if it stays on it whichever scheme serves it
# (`http:evil.example` is a relative path on an http page but another host on an https one).
_SITE_HOST = "crmkb.invalid"
_BASES = (f"http://{_SITE_HOST}/a/b/", f"https://{_SITE_HOST}/a/b/")


def site_url(value: str, *, image: bool = False) -> str | None:
    """`value` if a browser would resolve it to a path on this site, else None.

    Images may also be `data:image/...` (an image cannot run script or fetch). Whitespace,
    control characters and backslashes are refused outright: browsers strip or reinterpret
    them, and a person writing a link never needs them.
    """
    if image and value[:11].lower() == "data:image/":
        return value
    if any(c.isspace() or c == "\\" or ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return None
    for base in _BASES:
        try:
            parsed = URL(value, base=base)
        except ValueError:
            return None
        if parsed.host != _SITE_HOST or parsed.protocol != base.split("//")[0]:
            return None
    return _prefixed_fragment(value)


def _prefixed_fragment(value: str) -> str:
    """Point a `#fragment` at the prefixed id the sanitiser gave its target."""
    path, hash_mark, fragment = value.partition("#")
    if not hash_mark or not fragment or fragment.startswith(ID_PREFIX):
        return value
    return f"{path}#{ID_PREFIX}{fragment}"


# Classes the site's scripts act on (crmkb-due, crmkb-asof, crmkb-list-data...): never from
# record text, which could otherwise pose as a deadline or a data-as-of line.
SITE_CLASS = "crmkb-"


def _filter(
    trusted: tuple[str, ...], record_text: bool = False
) -> Callable[[str, str, str], str | None]:
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "class" and record_text:
            return " ".join(c for c in value.split() if not c.startswith(SITE_CLASS)) or None
        if attribute not in URL_ATTRIBUTES:
            return value
        if tag == "a" and attribute == "href" and value.startswith(trusted):
            return value
        return site_url(value, image=(tag, attribute) == ("img", "src"))

    return keep


def sanitize(html: str, trusted: tuple[str, ...] = (), record_text: bool = False) -> str:
    """Keep document markup; drop scripts, handlers and every URL that leaves the site.

    `trusted` are link prefixes from the site's own configuration (the problem-report form);
    they are never passed for record text.
    """
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_filter(trusted, record_text),
        url_schemes=URL_SCHEMES,
        link_rel=None,
        id_prefix=ID_PREFIX,
    )


class _Anchor(Protocol):
    id: str

    @property
    def children(self) -> Iterable[_Anchor]: ...


def prefix_toc(items: Iterable[_Anchor]) -> None:
    """Give the table of contents the same prefixed ids as the sanitised headings."""
    for item in items:
        if not item.id.startswith(ID_PREFIX):
            item.id = ID_PREFIX + item.id
        prefix_toc(item.children)


def sanitize_page(html: str, trusted: tuple[str, ...] = ()) -> str:
    """`sanitize` each record body apart from the page around it (see record_text).

    Only the page around the bodies, which crmkb writes with every record field escaped, may
    link to a `trusted` prefix.
    """
    pieces = split(html)
    return "".join(
        sanitize(piece, (), record_text=True) if n % 2 else sanitize(piece, trusted)
        for n, piece in enumerate(pieces)
    )


def plain_text(html: str) -> str:
    """The visible text of an HTML fragment, whitespace folded, for the search index."""
    stripped = nh3.clean(html, tags=set(), clean_content_tags={"script", "style"})
    return " ".join(htmllib.unescape(stripped).replace("¶", " ").split())
