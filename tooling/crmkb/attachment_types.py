"""The inert file types an attachment may be, each checked by its content as well as its name.

`publishable` returns the bytes the site may serve (an SVG is rewritten by svg-hush) or raises
`Refused` with what to change. Everything not listed here is refused: the list is an
allowlist, so a type a browser runs (HTML, XHTML, XML, SVGZ, MHT, scripts...) never passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from py_svg_hush import filter_svg


class Refused(ValueError):
    """An attachment the site must not publish; `offset` points at the offending bytes."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


# Named in the messages so the lead knows what to export instead.
HTML_LIKE = frozenset(
    {".html", ".htm", ".shtml", ".shtm", ".stm", ".xht", ".xhtml", ".xml", ".xsl", ".xslt"}
    | {".svgz", ".mht", ".mhtml", ".js", ".mjs", ".php", ".phtml", ".asp", ".aspx", ".jsp"}
    | {".cgi", ".pl", ".swf", ".hta", ".vbs", ".wasm", ".rdf", ".appcache", ".manifest"}
)
ACCEPTED = "PNG, JPEG, GIF, WebP, SVG (sanitised), PDF or plain text (.txt)"

_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".pdf": (b"%PDF-",),
}
# SVG markup that svg-hush would strip anyway; refused here so the lead hears about it.
_ACTIVE_SVG = re.compile(
    r"<\s*(?:[\w.-]+:)?(?:script|foreignObject|iframe|embed|object|handler|listener)\b"
    r"|(?<=\s)on[a-z]+\s*=|javascript\s*:|@import|(?:href|src)\s*=\s*[\"']?\s*(?:[a-z]+:)?//"
    r"|url\(\s*[\"']?\s*(?:[a-z]+:)?//|<!ENTITY",
    re.IGNORECASE,
)
# PDF names that run script, open other files or fetch (names may hide letters as #xx).
_ACTIVE_PDF = re.compile(
    rb"/(?:JavaScript|JS|OpenAction|AA|Launch|SubmitForm|ImportData|RichMedia|EmbeddedFiles?"
    rb"|XFA|GoToR|GoToE|URI)\b"
)
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _image(suffix: str) -> Callable[[bytes], bytes]:
    def check(data: bytes) -> bytes:
        if suffix == ".webp":
            ok = data[:4] == b"RIFF" and data[8:12] == b"WEBP"
        else:
            ok = data.startswith(_SIGNATURES[suffix])
        if not ok:
            raise Refused(f"the content is not a {suffix[1:].upper()} file; export it again")
        return data

    return check


def _text(data: bytes) -> bytes:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused("a .txt attachment must be UTF-8 text; save it as UTF-8", exc.start) from None
    for at, char in enumerate(text):
        if ord(char) < 0x20 and char not in "\t\n\r\f":
            raise Refused("a .txt attachment must be plain text (control characters found)", at)
    return data


def _svg(data: bytes) -> bytes:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:512]:
        raise Refused("SVG must be saved as UTF-8 (this one is UTF-16 or binary)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused("SVG must be saved as UTF-8", exc.start) from None
    found = _ACTIVE_SVG.search(text)
    if found:
        raise Refused(
            "SVG contains script, an event handler, an outside reference or embedded content "
            f"({found.group(0).strip()!r}); export it again as a plain image",
            len(text[: found.start()].encode()),
        )
    try:
        return filter_svg(data)
    except Exception as exc:  # svg-hush raises its own error types for malformed XML
        raise Refused(f"SVG is not well-formed ({exc}); export it again") from None


def _pdf(data: bytes) -> bytes:
    if not data.startswith(_SIGNATURES[".pdf"]):
        raise Refused("the content is not a PDF file; export it again")
    names = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
    found = _ACTIVE_PDF.search(names)
    if found:
        raise Refused(
            f"PDF contains an active element ({found.group(0).decode()}: script, actions, links "
            "or embedded files); print it to PDF again without them"
        )
    return data


CHECKS: dict[str, Callable[[bytes], bytes]] = {
    **{suffix: _image(suffix) for suffix in (".png", ".jpg", ".jpeg", ".gif", ".webp")},
    ".svg": _svg,
    ".pdf": _pdf,
    ".txt": _text,
}


def publishable(suffixes: list[str], data: bytes) -> bytes:
    """The bytes to publish for a file with these (lowercased) suffixes, or `Refused`."""
    active = [s for s in suffixes if s in HTML_LIKE]
    if active:
        # Any suffix counts: servers such as Apache run `report.shtml.txt` as server-side HTML.
        raise Refused(
            f"{active[0]} files can run in the browser and cannot be published; attach {ACCEPTED}"
        )
    check = CHECKS.get(suffixes[-1] if suffixes else "")
    if check is None:
        raise Refused(f"this file type cannot be published; attach {ACCEPTED}")
    return check(data)
