"""Turn every known record id in a page's text into a link to the record's page.

Runs on HTML that has already been sanitised. It only rewrites text between tags (never inside
a tag, a link, code or a heading), it only matches ids of records that have a page, and the
link it inserts is built from the site's own URL map, so record text cannot steer it.
"""

from __future__ import annotations

import re

from mkdocs.utils import get_relative_url

# An id in text: never inside a tag (the next angle bracket after it must open a tag).
ID = re.compile(
    r"(?<![A-Za-z0-9-])((?:ISS|SOL|CR|TM-[A-Z]+)-\d{2,})(?![A-Za-z0-9-])(?=[^<>]*(?:<|$))"
)
# Whole elements whose text stays as it is: links, code, headings (split out, never scanned).
SKIP = re.compile(r"(<(a|code|pre|h[1-6]|script|style|title)\b.*?</\2\s*>)", re.S | re.I)


def autolink(html: str, page_url: str, targets: dict[str, str]) -> str:
    """`html` with each id in `targets` (id -> site URL) linked, except the page's own."""

    def swap(match: re.Match[str]) -> str:
        target = targets.get(match.group(1))
        if target is None or target == page_url:
            return match.group(0)
        href = get_relative_url(target, page_url)
        return f'<a class="crmkb-id" href="{href}">{match.group(1)}</a>'

    pieces = SKIP.split(html)
    # split() yields text, element, element name, text, ...: the text is scanned, the element
    # kept as it is, and the name (a by-product of the back-reference) dropped.
    out = [ID.sub(swap, piece) if n % 3 == 0 else piece for n, piece in enumerate(pieces)]
    return "".join(out[n] for n in range(len(out)) if n % 3 != 2)
