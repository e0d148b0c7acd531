"""What a Markdown body may hold so that its page renders in time linear in its size.

Python-Markdown spends time quadratic in the text on a few unfinished constructs: a link or
image whose `](` no `)` closes rescans the rest of its paragraph, and a `<` that no `>`
closes makes the raw-HTML stash rescan the rest of the document; each heading costs a
table-of-contents entry, a permalink and, when repeated, a search for a free id. A person
writes a handful of each; a body past these bounds is refused with the place of the first
construct over the bound, which keeps the cost of every page at most linear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from crmkb.errors import RecordError
from crmkb.yamlfile import Document

MAX_OPEN_ANGLES = 100  # '<' with no '>' before the next '<' or the end of its line
MAX_OPEN_LINKS = 100  # '](' with no ')' before the next '](' or the end of its paragraph
MAX_HEADINGS = 150

_ANGLE = re.compile(r"<(?=[^<>\n]*(?:<|\n|$))")
_HEADING = re.compile(r"^(?:#{1,6}(?:[ \t]|$)|(?:=+|-+)[ \t]*$)", re.MULTILINE)


def _open_links(body: str) -> Iterator[int]:
    """Offsets of each `](` that nothing closes before the next `](` or a blank line."""
    for paragraph in re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", body):
        text = paragraph.group()
        starts = [m.start() for m in re.finditer(r"\]\(", text)]
        for here, after in zip(starts, [*starts[1:], len(text)], strict=False):
            if ")" not in text[here:after]:
                yield paragraph.start() + here


def markup_problems(doc: Document) -> list[RecordError]:
    """A located error for each kind of construct a body holds past its bound."""
    body = doc.body
    found = []
    checks = (
        (
            (m.start() for m in _ANGLE.finditer(body)),
            MAX_OPEN_ANGLES,
            "'<' that no '>' closes on its line",
            "write them as &lt; or close the tags",
        ),
        (
            _open_links(body),
            MAX_OPEN_LINKS,
            "links opened with '](' that no ')' closes",
            "close each link or move the text into an evidence file",
        ),
        (
            (m.start() for m in _HEADING.finditer(body)),
            MAX_HEADINGS,
            "headings",
            "merge sections, or move the text into an evidence file",
        ),
    )
    for offsets, limit, what, advice in checks:
        over = next((at for n, at in enumerate(offsets) if n == limit), None)
        if over is not None:
            line = body.count("\n", 0, over)
            col = over - (body.rfind("\n", 0, over) + 1) + 1
            message = f"the body holds more than {limit} {what}; {advice}"
            found.append(RecordError(doc.path, max(doc.body_line, 1) + line, col, message))
    return found
